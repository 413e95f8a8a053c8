"""Transfers of a case across borders under a pinned bilateral agreement."""
