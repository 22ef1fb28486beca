"""Relevance and topic figures on the labelled set, and the speed of judging against extracting.

    python bench/relevance_eval.py [--data DIR] [--limit N]

Prints (1) precision/recall per relevance class and per top-level topic, with micro-F1, on each
split of ``tests/data/relevance_dev.jsonl`` (dev, heldout, fresh, fresh2, fresh3, fresh4,
fresh5, fresh6, fresh7, fresh8); (2) in one run on one core, the time of
``trafilatura.extract(with_metadata=True)`` on the fundus pages of ``../shared/data`` (or
``--data`` / ``MONITOR_BENCH_DATA``) and the time of ``judge_article`` (relevance, topics and
entities) on the texts extracted, as a ratio, both in CPU time (``time.process_time``: the
machine may be shared). Exits 1 if the data folder is absent.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.evaluation import SPLITS, evaluate, format_report, load_labelled  # noqa: E402
from monitor.relevance import judge_article  # noqa: E402


def _pages(data: Path, limit: int | None) -> list[tuple[str, str]]:
    pages = sorted((data / "fundus").glob("*/*.html.gz"))[:limit]
    return [(p.name, gzip.decompress(p.read_bytes()).decode("utf-8", "replace")) for p in pages]


def speed(data: Path, limit: int | None) -> str:
    import trafilatura

    pages = _pages(data, limit)
    extracted: list[tuple[str, str | None]] = []
    extract_times = []
    for _, html in pages:
        start = time.process_time()
        doc = trafilatura.bare_extraction(html, with_metadata=True)
        extract_times.append(time.process_time() - start)
        if doc is not None and getattr(doc, "text", None):
            extracted.append((doc.text, getattr(doc, "title", None)))
    judge_article("warm up: Mistral AI")  # compile once, as a long-running process would
    judge_times = []
    verdicts: dict[str, int] = {}
    for text, title in extracted:
        start = time.process_time()
        judgement = judge_article(text, title)
        judge_times.append(time.process_time() - start)
        verdicts[judgement.relevance] = verdicts.get(judgement.relevance, 0) + 1
    t_extract, t_judge = sum(extract_times), sum(judge_times)
    # The fundus pages are not about Mistral AI, so they skip topic tagging: time the worst
    # case too, the seed articles (about Mistral AI, 4-8 kB each), judged with topics.
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    start = time.process_time()
    for _ in range(20):
        for seed in seeds:
            judge_article(seed)
    per_seed = (time.process_time() - start) / (20 * max(1, len(seeds))) * 1000
    per_extract = t_extract / max(1, len(pages)) * 1000
    per_judge = t_judge / max(1, len(judge_times)) * 1000
    chars = statistics.mean(len(t) for t, _ in extracted) if extracted else 0
    return "\n".join(
        [
            f"speed, one core, {len(pages)} fundus pages ({len(extracted)} with text, "
            f"mean {chars:.0f} characters)",
            "",
            "| step | total s | ms / page | median ms |",
            "|---|---|---|---|",
            f"| trafilatura.bare_extraction(with_metadata=True) | {t_extract:.2f} | "
            f"{per_extract:.2f} | {statistics.median(extract_times) * 1000:.2f} |",
            f"| judge_article (relevance + topics + entities) | {t_judge:.2f} | "
            f"{per_judge:.2f} | {statistics.median(judge_times) * 1000:.2f} |",
            f"| judge_article on the {len(seeds)} seed articles (about, tagged) | | "
            f"{per_seed:.2f} | |",
            "",
            f"judging / extracting time: {t_judge / t_extract:.3f} (target < 0.10); "
            f"about-article worst case / mean extraction: {per_seed / per_extract:.3f}; "
            f"verdicts on these pages: {verdicts}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="relevance figures and speed")
    default = os.environ.get("MONITOR_BENCH_DATA", str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--data", type=Path, default=Path(default))
    parser.add_argument("--limit", type=int, default=None, help="use the first N pages only")
    args = parser.parse_args()
    records = load_labelled(ROOT / "tests" / "data" / "relevance_dev.jsonl")
    for split in SPLITS:
        report = evaluate(r for r in records if r.split == split)
        print(format_report(report, f"labelled set [{split}]"))
        print()
    if not (args.data / "fundus").is_dir():
        print(
            f"no fundus pages under {args.data}: give --data or MONITOR_BENCH_DATA", file=sys.stderr
        )
        return 1
    print(speed(args.data, args.limit))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
