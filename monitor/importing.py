"""Reading what a user imports: seed files, folders of them, and JSON lines in the export format.

Each input becomes an ArticleDraft or an ImportFailure naming the file (and line) and the
problem; one bad input never stops the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.article import ArticleDate, ArticleDraft
from monitor.cleaning import clean_scrape
from monitor.errors import InputError, MonitorError
from monitor.language import guess_language
from monitor.seedformat import SEED_NAME, read_seed

IMPORTABLE_SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True, slots=True)
class ImportFailure:
    where: str
    reason: str


def expand_paths(paths: Iterable[Path]) -> Iterator[Path | ImportFailure]:
    """Files as given, and inside folders every seed ``.txt`` and ``.jsonl`` file, sorted."""
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix in IMPORTABLE_SUFFIXES
                and (p.suffix == ".jsonl" or SEED_NAME.match(p.name))
            )
            if not found:
                yield ImportFailure(str(path), "no seed .txt or .jsonl file in this folder")
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            yield ImportFailure(str(path), "not a regular file")
        else:
            yield ImportFailure(str(path), "no such file or folder")


def draft_from_seed(path: Path) -> ArticleDraft:
    seed = read_seed(path)
    cleaned = clean_scrape(seed.body)
    if not cleaned.text.strip():
        raise InputError(f"{path}: no article text left after cleaning")
    return ArticleDraft(
        text=cleaned.text,
        title=cleaned.title,
        site_name=cleaned.site_name,
        authors=cleaned.authors,
        published=seed.published,
        language=guess_language(cleaned.text),
        id=seed.id,
        seq=seed.seq,
    )


def _optional_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"field {key!r} must be a string, not {type(value).__name__}")
    return value


def _record_date(
    record: dict[str, Any], key: str, precision_key: str, source_key: str
) -> ArticleDate | None:
    """A date field of a record; its precision is inferred from its shape when not given."""
    value = _optional_str(record, key)
    if value is None:
        return None
    precision = _optional_str(record, precision_key) or (
        "datetime" if "T" in value else {4: "year", 7: "month"}.get(len(value), "day")
    )
    source = _optional_str(record, source_key) or "seed"
    try:
        return ArticleDate(value, precision, source)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError(f"field {key!r}: {exc}") from None


def draft_from_record(record: Any) -> ArticleDraft:
    """An article from one line of ``monitor export --format jsonl`` (or a compatible source)."""
    if not isinstance(record, dict):
        raise InputError("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("missing or empty 'text'")
    authors = record.get("authors") or []
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise InputError("'authors' must be a list of strings")
    seq = record.get("seq")
    if seq is not None and (not isinstance(seq, int) or seq < 0):
        raise InputError("'seq' must be a non-negative integer")
    article_id = _optional_str(record, "id")
    if article_id is not None and not SEED_NAME.match(f"000_{article_id}.txt"):
        raise InputError(f"'id' {article_id!r} is not 16 lowercase hex digits")
    url = _optional_str(record, "url")
    canonical = _optional_str(record, "canonical_url")
    if article_id is None and not (url or canonical):
        raise InputError("a record needs an 'id' or a 'url'")
    return ArticleDraft(
        text=text,
        url=url,
        canonical_url=canonical,
        title=_optional_str(record, "title"),
        authors=tuple(authors),
        published=_record_date(record, "published", "date_precision", "date_source"),
        modified=_record_date(record, "modified", "modified_precision", "modified_source"),
        language=_optional_str(record, "language"),
        site_name=_optional_str(record, "site_name"),
        paywalled=bool(record.get("paywalled", False)),
        id=article_id,
        seq=seq,
        source=_optional_str(record, "source"),
    )


def read_jsonl(path: Path) -> Iterator[ArticleDraft | ImportFailure]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield ImportFailure(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                yield draft_from_record(record)
            except UnicodeDecodeError:
                yield ImportFailure(where, "not UTF-8")
            except json.JSONDecodeError as exc:
                yield ImportFailure(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            except MonitorError as exc:
                yield ImportFailure(where, str(exc))


def read_inputs(paths: Iterable[Path]) -> Iterator[tuple[str, ArticleDraft] | ImportFailure]:
    """Every article the paths hold, labelled with where it came from, or a failure."""
    for item in expand_paths(paths):
        if isinstance(item, ImportFailure):
            yield item
        elif item.suffix == ".jsonl":
            for number, result in enumerate(read_jsonl(item), start=1):
                yield result if isinstance(result, ImportFailure) else (f"{item}#{number}", result)
        else:
            try:
                yield str(item), draft_from_seed(item)
            except MonitorError as exc:
                message = str(exc)
                prefix = f"{item}: "
                yield ImportFailure(
                    str(item), message.removeprefix(prefix).removeprefix(f"{item.name}: ")
                )
