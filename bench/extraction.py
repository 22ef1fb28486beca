"""Body and metadata quality plus speed: our extractor against plain trafilatura, same run.

Usage: python bench/extraction.py [--data PATH] [--only fr] [--repeat N] [--json OUT]

Reads the fundus pages of ``../shared/data/fundus`` (or ``$MONITOR_BENCH_DATA`` / ``--data``)
and prints one table. Exits 2 when the data is absent.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from monitor.extraction import extract_page  # noqa: E402
from monitor.extraction.evaluation import (  # noqa: E402
    BodyScore,
    expected_day,
    same_author_set,
    same_title,
    score_body,
    summarise_body,
)


@dataclass(frozen=True)
class Page:
    name: str
    html: bytes
    truth: dict[str, Any]


@dataclass(frozen=True)
class Prediction:
    text: str | None
    title: str | None
    authors: tuple[str, ...]
    day: str | None
    language: str | None


def load_pages(root: Path, only: str | None) -> list[Page]:
    pages = []
    for expected in sorted(root.glob("*/*.expected.json")):
        if only and expected.parent.name != only:
            continue
        html_path = expected.with_name(expected.name.replace(".expected.json", ".html.gz"))
        pages.append(
            Page(
                f"{expected.parent.name}/{html_path.name.removesuffix('.html.gz')}",
                gzip.decompress(html_path.read_bytes()),
                json.loads(expected.read_text(encoding="utf-8")),
            )
        )
    return pages


def ours(page: Page) -> Prediction:
    draft = extract_page(page.html, page.truth["url"]).draft
    if draft is None:
        return Prediction(None, None, (), None, None)
    day = draft.published.first_day().isoformat() if draft.published else None
    return Prediction(draft.text, draft.title, draft.authors, day, draft.language)


def plain_trafilatura(page: Page, include_comments: bool = True) -> Prediction:
    """Body as ``trafilatura.extract`` gives it (comments appended when on), metadata from
    the same library's ``bare_extraction(with_metadata=True)``."""
    text = trafilatura.extract(page.html, url=page.truth["url"], include_comments=include_comments)
    doc = trafilatura.bare_extraction(page.html, url=page.truth["url"], with_metadata=True)
    if doc is None:
        return Prediction(text, None, (), None, None)
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    return Prediction(text, doc.title, authors, doc.date, doc.language)


def timed_plain(page: Page) -> object:
    return trafilatura.extract(page.html, url=page.truth["url"], with_metadata=True)


def evaluate(pages: list[Page], run: Callable[[Page], Prediction]) -> dict[str, float]:
    scores: list[BodyScore] = []
    titles = days = authors = languages = 0
    for page in pages:
        got, want = run(page), page.truth["expected"]
        scores.append(score_body(got.text, want.get("body_text") or ""))
        titles += same_title(got.title, want.get("title"))
        truth_day = expected_day(want.get("publishing_date"))
        days += got.day == (truth_day.isoformat() if truth_day else None)
        authors += same_author_set(got.authors, want.get("authors") or [])
        languages += (got.language or "") == page.truth.get("lang")
    body = summarise_body(scores)
    n = len(pages)
    return {
        "body_p": body.precision,
        "body_r": body.recall,
        "body_f1": body.f1,
        "title": titles / n,
        "day": days / n,
        "authors": authors / n,
        "language": languages / n,
    }


def pages_per_second(pages: list[Page], run: Callable[[Page], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        for page in pages:
            run(page)
        best = min(best, time.process_time() - start)
    return len(pages) / best if best else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("MONITOR_BENCH_DATA") or str(REPO.parent / "shared/data/fundus")
    parser.add_argument("--data", default=default)
    parser.add_argument("--only", help="country folder to restrict to (fr: the French pages)")
    parser.add_argument("--repeat", type=int, default=1, help="timing repetitions (best kept)")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    root = Path(args.data)
    if not root.is_dir():
        print(
            f"fundus data not found at {root}: pass --data or set MONITOR_BENCH_DATA",
            file=sys.stderr,
        )
        return 2
    pages = load_pages(root, args.only)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}) if hasattr(
        os, "sched_setaffinity"
    ) else None
    rows = {
        "trafilatura": evaluate(pages, plain_trafilatura),
        "trafilatura (no comments)": evaluate(pages, lambda p: plain_trafilatura(p, False)),
        "monitor": evaluate(pages, ours),
    }
    if not args.no_speed:
        rows["trafilatura"]["pages_s"] = pages_per_second(pages, timed_plain, args.repeat)
        rows["monitor"]["pages_s"] = pages_per_second(
            pages, lambda p: extract_page(p.html, p.truth["url"]), args.repeat
        )
    columns = ["body_p", "body_r", "body_f1", "title", "day", "authors", "language", "pages_s"]
    print(f"{len(pages)} pages from {root}" + (f" (only {args.only})" if args.only else ""))
    print("| extractor | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, row in rows.items():
        cells = [
            f"{row[c]:.3f}" if c != "pages_s" else f"{row[c]:.1f}" for c in columns if c in row
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if "pages_s" in rows["monitor"]:
        ratio = rows["trafilatura"]["pages_s"] / rows["monitor"]["pages_s"]
        print(f"time ratio monitor / trafilatura.extract(with_metadata=True): {ratio:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
