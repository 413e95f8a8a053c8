"""Reading Thai and Lao by syllable: the steps both scripts share.

Thai and Lao descend from one script and are read the same way once a word is split into
syllables with a written vowel and the bare consonants between them: each syllable takes
its final from the run after it where the language speaks one, and what is left of the run
carries unwritten vowels. Only the tables differ (initial and final sounds, which letters
may close a syllable, how ย/ຍ and ว/ວ glide), so :mod:`lantern.names.thai` and
:mod:`lantern.names.lao` pass theirs in; what each script reads its own way (the vowels
written around an onset, clusters, the popular Lao spellings) stays in its module.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

#: Stands for a letter silenced by ``์`` / ``໌``: it ends a run of bare letters as the end of
#: the word does (``_WORD_END``); neither is a letter of either script.
SILENCED, _WORD_END = "\x00", "\x01"

#: The sound of a final letter after a vowel: ``coda(vowel, letter)``.
Coda = Callable[[str, str], str]


def free_run(
    run: list[str],
    at_end: bool,
    *,
    initials: Mapping[str, str],
    closers: Collection[str],
    coda: Coda,
) -> str:
    """Bare consonants with no written vowel: pairs spoken C-o-C, the rest C-a.

    Fewest syllables wins, and no pair may end in a letter outside ``closers`` (a letter
    that never closes a syllable, or a glide: สม|วดี som-wa-di, ສມວດີ som-va-dy). An odd
    one out is the last before a written syllable (สม|มณี: som-ma-ni), else the first
    (กมล: ka-mon).
    """
    n = len(run)

    def place_cost(k: int) -> float:
        if not at_end and k == n - 1:
            return 0.0
        return 0.1 if k == 0 else 0.2

    # best[k]: the cheapest reading of run[k:], filled from the end
    best: list[tuple[float, list[str]]] = [(0.0, [])] * (n + 1)
    for k in range(n - 1, -1, -1):
        cost, rest = best[k + 1]
        options = [(1.0 + place_cost(k) + cost, [initials[run[k]] + "a", *rest])]
        if k + 1 < n:
            closing = run[k + 1]
            bad = closing not in closers
            cost, rest = best[k + 2]
            pair = initials[run[k]] + "o" + coda("o", closing)
            options.append((10.0 * bad + cost, [pair, *rest]))
        best[k] = min(options, key=lambda option: option[0])
    return "".join(best[0][1])


def read_word[S](
    tokens: Iterable[S | str],
    *,
    close: Callable[[S, list[str], bool], list[str]],
    render: Callable[[S, bool], str],
    read_run: Callable[[list[str], bool], str],
) -> str:
    """A word from its syllables (``S``) and the bare letters between them.

    Each syllable is closed from the run of bare letters after it (``close`` returns what
    is left of the run), then spelt (``render`` is told whether it ends the word); the rest
    of the run is read by ``read_run``, told whether the word or a silenced letter ends it.
    """
    out: list[str] = []
    previous: S | None = None
    run: list[str] = []
    for token in [*tokens, _WORD_END]:
        if isinstance(token, str) and token not in (SILENCED, _WORD_END):
            run.append(token)
            continue
        at_end = token in (SILENCED, _WORD_END)
        if previous is not None:
            run = close(previous, run, at_end)
            out.append(render(previous, token == _WORD_END and not run))
        out.append(read_run(run, at_end))
        run = []
        previous = None if isinstance(token, str) else token
    return "".join(out)
