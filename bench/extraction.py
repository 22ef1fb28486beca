"""Body and metadata quality plus speed: our extractor against plain trafilatura, same run.

Usage: python bench/extraction.py [--data PATH] [--only fr] [--repeat N] [--no-speed] [--misses]

Reads the fundus pages of ``../shared/data/fundus`` (or ``$MONITOR_BENCH_DATA`` / ``--data``),
scores both extractors as ``../shared/data/README.md`` describes and prints one Markdown
table. Speed is CPU time on one core (the process is pinned to one CPU where possible), best
of ``--repeat`` runs, every page in memory beforehand. Exits 2 when the data is absent.
``--misses`` lists every title and author miss with its kind, and counts the kinds, so the
figures can be read against the ground truth's own inconsistencies.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from monitor.extraction import extract_page  # noqa: E402
from monitor.extraction.credits import is_agency, is_newsroom, names_outlet, outlet_keys  # noqa: E402
from monitor.extraction.decoding import decode_html  # noqa: E402
from monitor.extraction.evaluation import (  # noqa: E402
    GoldPage,
    Prediction,
    Scores,
    load_gold_pages,
    same_author_set,
    same_title,
    score_pages,
)
from monitor.extraction.headlines import visible_headline  # noqa: E402
from monitor.extraction.normalise import fold_for_comparison  # noqa: E402
from monitor.extraction.structured import read_page_metadata  # noqa: E402
from monitor.extraction.titles import strip_site_suffix, unescape_entities  # noqa: E402


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


_TYPOGRAPHY = str.maketrans("‘’“”„«»–—", '\'\'"""""--')


def _exact(text: str | None) -> str:
    """The scorer's view (whitespace folded, NBSP and soft hyphens as the contract says)."""
    return fold_for_comparison(text or "")


def _loose(text: str | None) -> str:
    """Also quotes, dashes and case folded: "typography only" when this is all that differs."""
    return _exact(text).translate(_TYPOGRAPHY).casefold()


def _page_titles(page: GoldPage) -> dict[str, str]:
    """The page's own titles by source, site names stripped as the extractor strips them;
    ``<h1>`` is the displayed headline (none when the only ``<h1>`` is a breadcrumb item)."""
    from trafilatura.utils import load_html

    tree = load_html(decode_html(page.html, None)[0])
    meta = read_page_metadata(tree)
    host = re.sub(r"^https?://([^/]+).*", r"\1", page.url)
    names = tuple(n for n in (meta.first_meta("og:site_name"), page.publisher) if n)
    raw = {
        "JSON-LD headline": meta.jsonld.headline if meta.jsonld else None,
        "og:title": meta.first_meta("og:title"),
        "twitter:title": meta.first_meta("twitter:title"),
        "<title>": meta.html_title,
    }
    titles = {k: strip_site_suffix(unescape_entities(v), names, host) for k, v in raw.items() if v}
    h1 = visible_headline(tree, 300)
    if h1:
        titles["<h1>"] = h1
    return titles


def _sources(
    title: str | None, titles: dict[str, str], fold: Callable[[str | None], str]
) -> list[str]:
    return [name for name, text in titles.items() if fold(text) == fold(title)]


def _describe(title: str | None, titles: dict[str, str]) -> str:
    exact = _sources(title, titles, _exact)
    if exact:
        return " = ".join(exact)
    loose = _sources(title, titles, _loose)
    if loose:
        return " ≈ ".join(loose) + " (quotes/case differ)"
    for name, text in titles.items():
        parts = [_loose(part) for part in re.split(r"\s+[-–—|:/]\s+|:\s+", text)]
        if len(parts) > 1 and _loose(title) in parts:
            return f"a part of {name} (kicker or suffix dropped)"
        if _loose(text) and _loose(text) in _loose(title):
            return f"{name} with a kicker or suffix added"
    return "no title of the page"


def title_miss_kind(page: GoldPage, got: str | None) -> tuple[str, str]:
    """(broad kind, detail) of a title miss. The detail names, for the ground truth and for
    ours, which of the page's own titles each one is (exact as scored, or only after folding
    quotes and case); the broad kind says whether the displayed ``<h1>`` is on either side."""
    if got is None:
        return "no title extracted", "no article extracted"
    if _loose(got) == _loose(page.title):
        return "typography only (quotes, dashes, case)", "same words"
    titles = _page_titles(page)
    truth, ours = _describe(page.title, titles), _describe(got, titles)
    detail = f"ground truth = {truth}; ours = {ours}"
    if truth == "no title of the page":
        kind = "ground truth = no title of the page"
    elif truth.startswith(("a part of", "og:title with", "JSON-LD headline with")):
        kind = "ground truth = a page title with its kicker or suffix changed"
    elif "<h1>" in truth.split(" (")[0].split(" = ") + truth.split(" (")[0].split(" ≈ "):
        kind = "ground truth = the displayed <h1>, ours = another publisher title"
    elif "<h1>" in ours:
        kind = "ours = the displayed <h1>, ground truth = another publisher title"
    elif "<h1>" not in titles:
        kind = "no single displayed <h1>: ground truth and ours are different publisher titles"
    else:
        kind = "ground truth and ours are different publisher titles, neither the <h1>"
    return kind, detail


def _initials(name: str) -> str:
    """ "ThePortugalNews" → "tpn", "The Portugal News" → "tpn"."""
    words = re.findall(r"[A-Z][a-z]+|[a-z]+", name) if " " not in name else name.split()
    return "".join(w[0] for w in words).casefold() if len(words) >= 3 else ""


def author_miss_kind(page: GoldPage, got: tuple[str, ...], site: str | None) -> str:
    """Why an author set differs. The outlet is known by the page's site name, the data's
    publisher name and its initials, the host, and the JSON-LD publisher and Organization
    authors (schema.org's own word that a credit is the outlet). "Ground truth lists the
    outlet" is only said when dropping outlet names from both sides makes the sets equal."""
    from trafilatura.utils import load_html

    meta = read_page_metadata(load_html(decode_html(page.html, None)[0]))
    jsonld_outlets = (
        [a.name for a in meta.jsonld.authors if a.is_organisation] if meta.jsonld else []
    )
    if meta.jsonld and meta.jsonld.publisher:
        jsonld_outlets.append(meta.jsonld.publisher)
    values = [site, page.publisher, page.url.split("/")[2], *jsonld_outlets]
    outlets = outlet_keys(n for n in values if n)
    outlets |= {i for i in (_initials(page.publisher or ""), _initials(site or "")) if i}

    def people(names: tuple[str, ...]) -> set[str]:
        return {
            fold_for_comparison(n)
            for n in names
            if not names_outlet(n, outlets) and not (is_newsroom(n) and not is_agency(n))
        }

    truth_outlets = [a for a in page.authors if names_outlet(a, outlets)]
    truth_desks = [a for a in page.authors if is_newsroom(a) and a not in truth_outlets]
    same_people = people(got) == people(page.authors)
    if truth_outlets and same_people:
        return "ground truth lists the outlet"
    if truth_desks and same_people:
        return "ground truth lists a newsroom credit (staff, Redaktion)"
    if truth_outlets or truth_desks:
        return "ground truth lists only the outlet or desk; the page credits someone we return"
    return "ours wrong or missing"


def print_misses(pages: list[GoldPage]) -> None:
    titles: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    for page in pages:
        draft = extract_page(page.html, page.url).draft
        got_title = draft.title if draft else None
        got_authors = draft.authors if draft else ()
        site = draft.site_name if draft else None
        if not same_title(got_title, page.title):
            kind, detail = title_miss_kind(page, got_title)
            titles[kind] += 1
            print(f"title  {page.name}: {kind}\n  {detail}\n  got {got_title!r}")
            print(f"  exp {page.title!r}")
        if not same_author_set(got_authors, page.authors):
            kind = author_miss_kind(page, got_authors, site)
            authors[kind] += 1
            print(f"author {page.name}: {kind}\n  got {got_authors}\n  exp {page.authors}")
    for label, counts in (("title misses", titles), ("author misses", authors)):
        print(f"{label}: {sum(counts.values())}")
        for kind, count in counts.most_common():
            print(f"  {count:3d}  {kind}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("MONITOR_BENCH_DATA") or str(REPO.parent / "shared/data/fundus")
    parser.add_argument("--data", default=default, help="folder of fundus pages")
    parser.add_argument("--only", help="country folder to restrict to (fr: the French pages)")
    parser.add_argument("--repeat", type=int, default=1, help="timing repetitions (best kept)")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing runs")
    parser.add_argument("--misses", action="store_true", help="list title and author misses")
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
    if args.misses:
        print_misses(pages)
        return 0
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
