"""Pair-level diagnostics of one linkage run against a simulated world's truth.

Which true pairs (two records of one child) the blocking proposed, which scored at least 0.5
and 0.9, and why the rest were missed. The cause of a missed pair is read from the two
records as the agencies wrote them and the child's true name (``people.parquet``), so it
names what the agencies did (a name in another script, a joined or swapped name, a missing
birth date ...), not what the linker happened to compare. Synthetic worlds only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lantern.names import romanise, skeleton
from lantern.recordlinkage.backends import connect
from lantern.recordlinkage.blocking import BLOCKING_KEYS
from lantern.recordlinkage.features import prepare_in

#: Causes, first to last: a missed pair's first cause that applies is its primary one.
CAUSES: tuple[str, ...] = (
    "script",  # one record wrote the name in its own script, the other in Latin
    "swapped",  # given and family names in each other's field
    "joined/split",  # one name cut at a different place (or not at all)
    "nickname",  # a nickname written as the given name
    "family missing",  # one record has the family name, the other does not
    "given 2+ edits",  # the given names differ by two or more edits (variants, two typos)
    "given 1 edit",
    "family differs",
    "names agree",  # the names meet: what remains is below
)
#: Non-name causes, counted whatever the names did.
OTHER_CAUSES: tuple[str, ...] = (
    "dob missing",
    "dob guessed",
    "dob differs",
    "district differs",
    "place missing",
    "sex differs",
)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _latin(text: object) -> str:
    return romanise(text) if isinstance(text, str) and text.strip() else ""


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and skeleton(a) == skeleton(b)


def _name_cause(a: pd.Series, b: pd.Series) -> str:
    if (a["ext_NameScript"] == "Latn") != (b["ext_NameScript"] == "Latn"):
        return "script"
    g1, f1, g2, f2 = (_latin(a["prs_FirstName"]), _latin(a["prs_SecondName"]),
                      _latin(b["prs_FirstName"]), _latin(b["prs_SecondName"]))  # fmt: skip
    if (_same(g1, f2) or _same(f1, g2)) and not _same(g1, g2):
        return "swapped"
    whole1, whole2 = (g1 + f1).replace(" ", ""), (g2 + f2).replace(" ", "")
    cut_elsewhere = (g1, f1) != (g2, f2) and (bool(f1) != bool(f2) or " " in g1 + g2)
    if cut_elsewhere and (_same(whole1, whole2) or _edits(whole1, whole2) <= 1):
        return "joined/split"
    n1, n2 = _latin(a["ext_Nickname"]), _latin(b["ext_Nickname"])
    if (_same(g1, n2) or _same(g2, n1)) and not _same(g1, g2):
        return "nickname"
    if bool(f1) != bool(f2):
        return "family missing"
    if g1 != g2:
        return "given 2+ edits" if _edits(g1, g2) >= 2 else "given 1 edit"
    if f1 != f2:
        return "family differs"
    return "names agree"


def _other_causes(a: pd.Series, b: pd.Series) -> list[str]:
    found = []
    d1, d2 = a["prs_Birthdate"] or "", b["prs_Birthdate"] or ""
    if not d1 or not d2:
        found.append("dob missing")
    elif "yes" in (a["ext_BirthdateEstimated"], b["ext_BirthdateEstimated"]):
        found.append("dob guessed")
    elif d1 != d2:
        found.append("dob differs")
    places1 = (a["prs_MailingState"] or "", a["prs_MailingCity"] or "")
    places2 = (b["prs_MailingState"] or "", b["prs_MailingCity"] or "")
    if any(x and y and x != y for x, y in zip(places1, places2, strict=True)):
        found.append("district differs")
    elif not any(x and y for x, y in zip(places1, places2, strict=True)):
        found.append("place missing")
    s1, s2 = a["prs_Gender"] or "", b["prs_Gender"] or ""
    if s1 and s2 and s1 != s2:
        found.append("sex differs")
    return found


def blocked_pairs(records: Path) -> pd.DataFrame:
    """Every pair of records (``unique_id_l`` < ``unique_id_r``) some blocking key proposes."""
    connection = connect()
    try:
        prepare_in(connection, records)
        parts = []
        for key in BLOCKING_KEYS:
            if key.explode:
                values = f"(SELECT unique_id, unnest({key.name}) AS v FROM prepared)"
            else:
                values = (
                    f"(SELECT unique_id, {key.name} AS v FROM prepared "
                    f"WHERE {key.name} IS NOT NULL)"
                )
            parts.append(
                f"SELECT a.unique_id AS l, b.unique_id AS r FROM {values} a JOIN {values} b "
                "ON a.v = b.v AND a.unique_id < b.unique_id"
            )
        return connection.execute(
            f"SELECT DISTINCT l AS unique_id_l, r AS unique_id_r FROM ({' UNION ALL '.join(parts)})"
        ).df()
    finally:
        connection.close()


@dataclass
class PairReport:
    """Counts of one world or the sum of several."""

    true_pairs: int = 0
    candidates: int = 0
    blocked: int = 0
    at_half: int = 0
    at_09: int = 0
    #: pairs of two different children scored at least 0.5 and 0.9 (what a gain may cost)
    false_half: int = 0
    false_09: int = 0
    #: stage -> primary cause -> pairs (stages: "not blocked", "scored < 0.5", "0.5 to 0.9")
    causes: dict[str, Counter[str]] = field(default_factory=dict)
    #: stage -> other cause -> pairs (non-exclusive)
    others: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, other: PairReport) -> None:
        self.true_pairs += other.true_pairs
        self.candidates += other.candidates
        self.blocked += other.blocked
        self.at_half += other.at_half
        self.at_09 += other.at_09
        self.false_half += other.false_half
        self.false_09 += other.false_09
        for mine, theirs in ((self.causes, other.causes), (self.others, other.others)):
            for stage, counts in theirs.items():
                mine.setdefault(stage, Counter()).update(counts)


STAGES = ("not blocked", "scored < 0.5", "0.5 to 0.9")


def diagnose(world: Path, pairs: pd.DataFrame) -> PairReport:
    """True pairs of ``world`` through blocking and scoring (``pairs``: the run's scored
    pairs, ``unique_id_l``/``_r`` and ``match_probability``), with the missed ones' causes."""
    records = pd.read_parquet(world / "records.parquet")
    truth = pd.read_parquet(world / "truth.parquet")
    records["unique_id"] = records["agency"].astype(str) + "|" + records["source_record_id"]
    truth["unique_id"] = truth["agency"].astype(str) + "|" + truth["source_record_id"]
    person = truth.set_index("unique_id")["true_person_id"]
    records["person"] = records["unique_id"].map(person)
    true = records[["unique_id", "person"]].merge(records[["unique_id", "person"]], on="person")
    true = true[true["unique_id_x"] < true["unique_id_y"]]
    true = true.rename(columns={"unique_id_x": "unique_id_l", "unique_id_y": "unique_id_r"})
    blocked = blocked_pairs(world / "records.parquet")
    blocked["blocked"] = True
    scored = pairs[["unique_id_l", "unique_id_r", "match_probability"]].copy()
    low = scored[["unique_id_l", "unique_id_r"]].min(axis=1)
    high = scored[["unique_id_l", "unique_id_r"]].max(axis=1)
    scored["unique_id_l"], scored["unique_id_r"] = low, high
    pair_person = scored["unique_id_l"].map(person), scored["unique_id_r"].map(person)
    wrong = scored[pair_person[0].to_numpy() != pair_person[1].to_numpy()]["match_probability"]
    true = true.merge(blocked, how="left").merge(scored, how="left")
    true["blocked"] = true["blocked"].notna()
    p = true["match_probability"].fillna(0.0)
    report = PairReport(
        true_pairs=len(true),
        candidates=len(blocked),
        blocked=int(true["blocked"].sum()),
        at_half=int((p >= 0.5).sum()),
        at_09=int((p >= 0.9).sum()),
        false_half=int((wrong >= 0.5).sum()),
        false_09=int((wrong >= 0.9).sum()),
    )
    by_id = records.set_index("unique_id")
    stage = pd.Series("", index=true.index)
    stage[(p < 0.9) & (p >= 0.5)] = STAGES[2]
    stage[p < 0.5] = STAGES[1]
    stage[~true["blocked"]] = STAGES[0]
    for name, rows in true[stage != ""].groupby(stage[stage != ""]):
        causes, others = Counter[str](), Counter[str]()
        for left, right in zip(rows["unique_id_l"], rows["unique_id_r"], strict=True):
            a, b = by_id.loc[left], by_id.loc[right]
            causes[_name_cause(a, b)] += 1
            others.update(_other_causes(a, b))
        report.causes[str(name)] = causes
        report.others[str(name)] = others
    return report


def table(reports: Iterable[tuple[str, PairReport]]) -> str:
    """Markdown: pairs through blocking and scoring per scenario, then the missed by cause."""
    reports = list(reports)
    lines = [
        "| scenario | true pairs | candidate pairs | blocked (recall) | p >= 0.5 | p >= 0.9 "
        "| false pairs p >= 0.5 | false pairs p >= 0.9 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in reports:
        n = max(r.true_pairs, 1)
        lines.append(
            f"| {name} | {r.true_pairs:,} | {r.candidates:,} | {r.blocked:,} "
            f"({r.blocked / n:.1%}) | {r.at_half:,} ({r.at_half / n:.1%}) | "
            f"{r.at_09:,} ({r.at_09 / n:.1%}) | {r.false_half:,} | {r.false_09:,} |"
        )
    lines += ["", "Missed true pairs by primary name cause (then other causes, non-exclusive):"]
    lines += [
        "",
        "| scenario | stage | " + " | ".join(CAUSES + OTHER_CAUSES) + " |",
        "|---|---|" + "---|" * len(CAUSES + OTHER_CAUSES),
    ]
    for name, r in reports:
        for stage in STAGES:
            causes, others = r.causes.get(stage, Counter()), r.others.get(stage, Counter())
            cells = [str(causes[c]) for c in CAUSES] + [str(others[c]) for c in OTHER_CAUSES]
            lines.append(f"| {name} | {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Link cached worlds (``count_study.py --worlds DIR`` makes them) and print the table."""
    import argparse
    import time

    from count_study import world  # type: ignore[import-not-found]
    from lantern.recordlinkage import link_records

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenarios", default="mekong,hardest")
    ap.add_argument("--capture", default="realistic")
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--children", type=int, default=2000)
    ap.add_argument("--agencies", type=int, default=5)
    ap.add_argument("--worlds", required=True)
    args = ap.parse_args()
    started = time.perf_counter()
    reports = []
    for scenario in args.scenarios.split(","):
        total = PairReport()
        for seed in (int(s) for s in args.seeds.split(",")):
            out = world(
                seed, args.children, scenario, args.capture, args.agencies, Path(args.worlds)
            )
            total.add(diagnose(out, link_records(out / "records.parquet").pairs))
        reports.append((scenario, total))
    print(table(reports))
    print(f"\nrun time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
