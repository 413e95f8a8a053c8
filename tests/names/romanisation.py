"""One measure for every romaniser: does a native-script name meet its Latin spellings?

"Meet" is what linkage needs: the same consonant skeleton key, and the same sound of the
Latin key, as one of the spellings agencies write for the name. The Thai, Lao and Khmer
tests all measure their romaniser this way, so they share it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lantern.names import name_keys, sound
from lantern.simulation.scenario import name_pools


def keys_meet(romanised: str, spellings: Iterable[str]) -> tuple[bool, bool]:
    """Whether a romanised name meets any of the spellings (skeleton key, sound)."""
    ours = name_keys(romanised)
    theirs = [name_keys(spelling) for spelling in spellings]
    skeleton = any(ours.skeleton == other.skeleton for other in theirs)
    by_sound = any(sound(ours.latin or "") == sound(other.latin or "") for other in theirs)
    return skeleton, by_sound


@dataclass(frozen=True, slots=True)
class Agreement:
    """Shares of a register's names that meet one of their Latin spellings."""

    names: int
    skeleton: float
    sound: float


def register_agreement(pool: str, route: Callable[[str], str]) -> Agreement:
    """Every name of a simulation register (given and family), read by ``route``."""
    register = name_pools()[pool]
    entries = [*register.given_f, *register.given_m, *register.family]
    skeleton_hits = sound_hits = 0
    for entry in entries:
        skeleton, by_sound = keys_meet(route(entry.native), entry.latin)
        skeleton_hits += skeleton
        sound_hits += by_sound
    return Agreement(len(entries), skeleton_hits / len(entries), sound_hits / len(entries))
