"""How one name turns into the many spellings found across agencies' records.

Name pools carry each name's native spelling and the romanisations seen for it; these rule
tables add the systematic variation of each script's romanisation (Devanagari ``ee``/``i``,
``v``/``b``; Thai ``ph``/``p``; Arabic ``al-``/``el-``/no article), and ``typo`` the slips of
a hurried hand. Everything draws from a caller's uniform numbers, so it stays deterministic.
"""

from __future__ import annotations

from typing import Final

#: Substitutions per script of the native name: (found, replacement), tried on lower case.
RULES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "Deva": (
        ("ee", "i"),
        ("i", "ee"),
        ("oo", "u"),
        ("u", "oo"),
        ("sh", "s"),
        ("v", "b"),
        ("b", "v"),
        ("w", "v"),
        ("ksh", "x"),
        ("x", "ksh"),
        ("th", "t"),
        ("aa", "a"),
        ("chh", "ch"),
    ),
    "Thai": (
        ("ph", "p"),
        ("th", "t"),
        ("ee", "i"),
        ("i", "ee"),
        ("oo", "u"),
        ("w", "v"),
        ("ch", "j"),
        ("j", "ch"),
        ("k", "g"),
        ("orn", "on"),
        ("ai", "ay"),
        ("ae", "a"),
    ),
    "Khmr": (
        ("ea", "ia"),
        ("ou", "u"),
        ("ey", "ei"),
        ("y", "i"),
        ("ch", "chh"),
        ("h", ""),
        ("v", "w"),
    ),
    "Mymr": (
        ("ht", "t"),
        ("ky", "ch"),
        ("aw", "aw"),
        ("ay", "e"),
        (" ", ""),
        ("n", "nn"),
    ),
    "Laoo": (
        ("ou", "u"),
        ("ph", "p"),
        ("v", "w"),
        ("y", "i"),
        ("th", "t"),
        ("kh", "k"),
    ),
    "Arab": (
        ("al-", "el-"),
        ("al-", "al "),
        ("al-", ""),
        ("ou", "u"),
        ("u", "ou"),
        ("ee", "i"),
        ("i", "ee"),
        ("kh", "k"),
        ("q", "k"),
        ("sh", "ch"),
        ("dj", "j"),
        ("mm", "m"),
        ("ss", "s"),
    ),
    "Latn": (
        ("ç", "c"),
        ("xh", "dj"),
        ("sh", "sch"),
        ("ou", "u"),
        ("ss", "s"),
        ("k", "c"),
        ("c", "k"),
        ("é", "e"),
        ("è", "e"),
        ("ë", "e"),
        ("ă", "a"),
        ("ș", "s"),
        ("ț", "t"),
        ("j", "y"),
    ),
}


def recase(s: str) -> str:
    """Capitalise each word as records do (``al-Rashid`` keeps its lower-case article)."""
    words = []
    for w in s.split(" "):
        if w[:3] in ("al-", "el-"):
            words.append(w[:3] + w[3:4].upper() + w[4:])
        else:
            words.append(w[:1].upper() + w[1:])
    return " ".join(words)


def rule_variant(name: str, script: str, u: float) -> str:
    """A systematic respelling of ``name``; ``u`` in [0, 1) picks which applicable rule."""
    low = name.lower()
    rules = [r for r in RULES.get(script, ()) if r[0] in low]
    if not rules:
        return name
    found, repl = rules[int(u * len(rules)) % len(rules)]
    out = low.replace(found, repl, 1).strip()
    return recase(out) if out else name


_KEYBOARD_NEIGHBOURS: Final[dict[str, str]] = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "n": "bm",
    "m": "n",
    "s": "ad",
    "t": "ry",
    "r": "et",
    "h": "gj",
    "k": "jl",
    "l": "k",
    "d": "sf",
    "y": "tu",
}


def typo(text: str, u1: float, u2: float) -> str:
    """One slip after the first letter: drop, double, swap two neighbours or hit a nearby key."""
    if len(text) < 3:
        return text
    pos = 1 + int(u2 * (len(text) - 2))  # 1 .. len-2: the first letter is rarely mistyped
    op = int(u1 * 4)
    if op == 0:
        return text[:pos] + text[pos + 1 :]
    if op == 1:
        return text[:pos] + text[pos] + text[pos:]
    if op == 2:
        return text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]
    near = _KEYBOARD_NEIGHBOURS.get(text[pos].lower())
    if not near:
        return text[:pos] + text[pos + 1 :]
    return text[:pos] + near[int(u2 * 997) % len(near)] + text[pos + 1 :]
