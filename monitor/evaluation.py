"""Scoring relevance and topics against a labelled set (``tests/data/relevance_dev.jsonl``).

Each record holds ``relevance`` (about | passing | none), ``topics`` (top-level ids, for
``about`` records), ``text``, optional ``title``, ``lang``, ``url`` and ``split`` (dev |
heldout | fresh | fresh2 | fresh3 | fresh4 | fresh5 | fresh6 | fresh7 | fresh8). Precision and
recall are per relevance class; topic figures are per top-level id and micro-averaged, over the
records labelled ``about`` (a missed ``about`` then loses its topics, as it would in use). Run
``python -m monitor.evaluation FILE [--split SPLIT[,SPLIT...]|all] [--mistakes]``; several
splits are pooled (thresholds are chosen on ``dev,heldout,fresh``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from monitor.article import RELEVANCES, Judgement
from monitor.relevance import judge_article
from monitor.taxonomy.model import TOP_LEVEL_IDS

SPLITS: tuple[str, ...] = (
    "dev",
    "heldout",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
)


@dataclass(frozen=True, slots=True)
class LabelledText:
    id: str
    relevance: str
    topics: tuple[str, ...]
    text: str
    title: str | None = None
    lang: str | None = None
    url: str | None = None
    split: str = "dev"


@dataclass(frozen=True, slots=True)
class PrecisionRecall:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Mistake:
    id: str
    url: str | None
    expected: str
    got: str


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    count: int
    relevance: dict[str, PrecisionRecall]
    topics: dict[str, PrecisionRecall]
    topics_micro: PrecisionRecall
    other_mistral_about: int  # texts about wind/missile/ships/poet/song judged "about"
    mistakes: tuple[Mistake, ...] = field(default=())


def load_labelled(path: str | Path) -> list[LabelledText]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                raw = json.loads(line)
                records.append(
                    LabelledText(
                        raw["id"],
                        raw["relevance"],
                        tuple(raw.get("topics", ())),
                        raw["text"],
                        raw.get("title"),
                        raw.get("lang"),
                        raw.get("url"),
                        raw.get("split", "dev"),
                    )
                )
    return records


def _top_level(topic_id: str) -> str:
    return topic_id.split(".", 1)[0]


def evaluate(records: Iterable[LabelledText], judge=judge_article) -> EvaluationReport:
    records = list(records)
    counts = {r: [0, 0, 0] for r in RELEVANCES}
    topic_counts = {t: [0, 0, 0] for t in TOP_LEVEL_IDS}
    mistakes: list[Mistake] = []
    other_about = 0
    for record in records:
        judgement: Judgement = judge(record.text, record.title, record.lang)
        got, want = judgement.relevance, record.relevance
        if got == want:
            counts[got][0] += 1
        else:
            counts[got][1] += 1
            counts[want][2] += 1
            mistakes.append(Mistake(record.id, record.url, want, got))
        if want == "none" and got == "about" and _is_other_mistral(record):
            other_about += 1
        if want != "about":
            continue
        predicted = {_top_level(t.topic_id) for t in judgement.topics}
        expected = set(record.topics)
        for topic in TOP_LEVEL_IDS:
            slot = topic_counts[topic]
            if topic in predicted and topic in expected:
                slot[0] += 1
            elif topic in predicted:
                slot[1] += 1
            elif topic in expected:
                slot[2] += 1
        if predicted != expected:
            got_topics = ",".join(sorted(predicted))
            mistakes.append(Mistake(record.id, record.url, ",".join(sorted(expected)), got_topics))
    relevance = {k: PrecisionRecall(*v) for k, v in counts.items()}
    topics = {k: PrecisionRecall(*v) for k, v in topic_counts.items()}
    micro = PrecisionRecall(*(sum(v[i] for v in topic_counts.values()) for i in range(3)))
    return EvaluationReport(len(records), relevance, topics, micro, other_about, tuple(mistakes))


def _is_other_mistral(record: LabelledText) -> bool:
    text = f"{record.title or ''} {record.text}"
    return "istral" in text


def format_report(report: EvaluationReport, title: str) -> str:
    lines = [
        f"{title}: {report.count} texts",
        "",
        "| class | P | R | F1 | tp | fp | fn |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, pr in report.relevance.items():
        lines.append(
            f"| {name} | {pr.precision:.3f} | {pr.recall:.3f} | {pr.f1:.3f} | "
            f"{pr.tp} | {pr.fp} | {pr.fn} |"
        )
    lines += ["", "| topic | P | R | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for name, pr in [*report.topics.items(), ("micro", report.topics_micro)]:
        lines.append(
            f"| {name} | {pr.precision:.3f} | {pr.recall:.3f} | {pr.f1:.3f} | "
            f"{pr.tp} | {pr.fp} | {pr.fn} |"
        )
    lines.append("")
    lines.append(f"other-Mistral texts judged about: {report.other_mistral_about}")
    return "\n".join(lines)


def _splits(value: str) -> tuple[str, ...]:
    """``all``, one split, or several joined by commas (pooled)."""
    if value == "all":
        return SPLITS
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in SPLITS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown split {', '.join(unknown) or value!r}: use all or some of {', '.join(SPLITS)}"
        )
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument(
        "--split",
        type=_splits,
        default=SPLITS,
        help=f"all (default), or one or more of {', '.join(SPLITS)} joined by commas",
    )
    parser.add_argument("--mistakes", action="store_true", help="list every wrong verdict")
    args = parser.parse_args(argv)
    try:
        records = load_labelled(args.path)
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read {args.path}: {exc}", file=sys.stderr)
        return 1
    records = [r for r in records if r.split in args.split]
    report = evaluate(records)
    print(format_report(report, f"{args.path.name} [{','.join(args.split)}]"))
    if args.mistakes:
        for m in report.mistakes:
            print(f"  {m.id} expected {m.expected!r} got {m.got!r}  {m.url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
