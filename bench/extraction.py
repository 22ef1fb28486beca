"""Body and metadata quality plus speed: our extractor against plain trafilatura, same run.

Usage: python bench/extraction.py [--data PATH] [--only fr] [--repeat N] [--no-speed]

Reads the fundus pages of ``../shared/data/fundus`` (or ``$MONITOR_BENCH_DATA`` / ``--data``),
scores both extractors as ``../shared/data/README.md`` describes and prints one Markdown
table. Speed is CPU time on one core (the process is pinned to one CPU where possible), best
of ``--repeat`` runs, every page in memory beforehand. Exits 2 when the data is absent.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from monitor.extraction import extract_page  # noqa: E402
from monitor.extraction.evaluation import (  # noqa: E402
    GoldPage,
    Prediction,
    Scores,
    load_gold_pages,
    score_pages,
)


def ours(page: GoldPage) -> tuple[Prediction, str | None]:
    draft = extract_page(page.html, page.url).draft
    if draft is None:
        return Prediction(None, None, (), None, None), None
    day = draft.published.first_day().isoformat() if draft.published else None
    prediction = Prediction(draft.text, draft.title, draft.authors, day, draft.language)
    return prediction, draft.site_name


def plain_trafilatura(page: GoldPage, include_comments: bool) -> tuple[Prediction, str | None]:
    """Body as ``trafilatura.extract`` gives it (comments appended when on), metadata from
    the same library's ``bare_extraction(with_metadata=True)``."""
    text = trafilatura.extract(page.html, url=page.url, include_comments=include_comments)
    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return Prediction(text, None, (), None, None), None
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Prediction(text, doc.title, authors, doc.date, doc.language), doc.sitename


def evaluate(
    pages: list[GoldPage], run: Callable[[GoldPage], tuple[Prediction, str | None]]
) -> Scores:
    results = [run(page) for page in pages]
    return score_pages(pages, [r[0] for r in results], [r[1] for r in results])


def pages_per_second(
    pages: list[GoldPage], run: Callable[[GoldPage], object], repeat: int
) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        for page in pages:
            run(page)
        best = min(best, time.process_time() - start)
    return len(pages) / best if best else float("inf")


COLUMNS = (
    ("body P", "body_precision"),
    ("body R", "body_recall"),
    ("body F1", "body_f1"),
    ("title exact", "title_exact"),
    ("pub. day", "publication_day"),
    ("authors exact", "author_set_exact"),
    ("authors (people)", "author_set_exact_people"),
    ("language", "language"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("MONITOR_BENCH_DATA") or str(REPO.parent / "shared/data/fundus")
    parser.add_argument("--data", default=default, help="folder of fundus pages")
    parser.add_argument("--only", help="country folder to restrict to (fr: the French pages)")
    parser.add_argument("--repeat", type=int, default=1, help="timing repetitions (best kept)")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing runs")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    root = Path(args.data)
    if not root.is_dir():
        print(
            f"fundus data not found at {root}: pass --data or set MONITOR_BENCH_DATA",
            file=sys.stderr,
        )
        return 2
    pages = load_gold_pages(
        root, f"{args.only}/*.expected.json" if args.only else "*/*.expected.json"
    )
    if not pages:
        print(f"no pages under {root}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rows: dict[str, tuple[Scores, float | None]] = {
        "trafilatura 2.3.1 (default)": (
            evaluate(pages, lambda p: plain_trafilatura(p, True)),
            None,
        ),
        "trafilatura (include_comments=False)": (
            evaluate(pages, lambda p: plain_trafilatura(p, False)),
            None,
        ),
        "monitor.extraction": (evaluate(pages, ours), None),
    }
    speed_note = ""
    if not args.no_speed:
        theirs = pages_per_second(
            pages, lambda p: trafilatura.extract(p.html, url=p.url, with_metadata=True), args.repeat
        )
        mine = pages_per_second(pages, lambda p: extract_page(p.html, p.url), args.repeat)
        name = "trafilatura 2.3.1 (default)"
        rows[name] = (rows[name][0], theirs)
        rows["monitor.extraction"] = (rows["monitor.extraction"][0], mine)
        speed_note = (
            f"time per page, monitor.extraction / trafilatura.extract(with_metadata=True): "
            f"{theirs / mine:.2f}x"
        )
    print(f"{len(pages)} pages from {root}" + (f" (only {args.only}/)" if args.only else ""))
    header = ["extractor", *(label for label, _ in COLUMNS), "pages/s (1 core)"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, (scores, speed) in rows.items():
        cells = [f"{getattr(scores, field):.3f}" for _, field in COLUMNS]
        cells.append(f"{speed:.1f}" if speed else "")
        print(f"| {name} | " + " | ".join(cells) + " |")
    if speed_note:
        print(speed_note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
