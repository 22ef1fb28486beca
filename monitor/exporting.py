"""Writing stored articles out: seed files, JSON lines (every stored field) and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from monitor.db.models import Article
from monitor.db.store import article_date
from monitor.errors import InputError
from monitor.seedformat import render_seed, seed_file_name

ExportFormat = Literal["seed", "jsonl", "csv"]
CSV_COLUMNS = (
    "id", "seq", "published", "date_precision", "title", "site_name", "source", "language",
    "relevance", "relevance_score", "topics", "cluster_id", "duplicate_of", "url", "authors",
    "word_count",
)  # fmt: skip


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def article_record(article: Article) -> dict[str, Any]:
    """Every stored field of an article, as the JSON lines export (and import) carries it."""
    published = article_date(article, "published")
    modified = article_date(article, "modified")
    return {
        "id": article.id,
        "seq": article.seq,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": article.source,
        "site_name": article.site_name,
        "title": article.title,
        "authors": list(article.authors or []),
        "published": published.value if published else None,
        "date_precision": published.precision if published else None,
        "date_source": published.source if published else None,
        "modified": modified.value if modified else None,
        "modified_precision": modified.precision if modified else None,
        "modified_source": modified.source if modified else None,
        "language": article.language,
        "paywalled": article.paywalled,
        "text": article.text,
        "text_hash": article.text_hash,
        "word_count": article.word_count,
        "relevance": article.relevance,
        "relevance_score": article.relevance_score,
        "relevance_evidence": article.relevance_evidence,
        "tagger_version": article.tagger_version,
        "topics": [
            {"id": t.topic_id, "score": t.score, "evidence": t.evidence} for t in article.tags
        ],
        "entities": [
            {"name": m.entity.name, "kind": m.entity.kind, "mentions": m.mentions}
            for m in article.mentions
        ],
        "cluster_id": article.cluster_id,
        "duplicate_of": article.duplicate_of,
        "revision": article.revision,
        "first_seen": _iso(article.first_seen),
        "last_seen": _iso(article.last_seen),
    }


def seed_text(article: Article) -> str:
    return render_seed(article.text, article_date(article, "published"))


def write_seed_folder(articles: Iterable[Article], folder: Path) -> int:
    """One ``NNN_<id>.txt`` per article; an existing folder is written into, files replaced."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder; seed export writes a folder")
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for article in articles:
        target = folder / seed_file_name(article.seq, article.id)
        target.write_bytes(seed_text(article).encode("utf-8"))
        count += 1
    return count


def write_jsonl(articles: Iterable[Article], path: Path) -> int:
    count = 0
    with _open_for_writing(path) as handle:
        for article in articles:
            handle.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
            count += 1
    return count


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """The flat form of a record for CSV: lists joined, topics as their ids."""
    return {
        **record,
        "authors": "; ".join(record["authors"]),
        "topics": " ".join(t["id"] for t in record["topics"]),
    }


def write_csv(articles: Iterable[Article], path: Path) -> int:
    count = 0
    with _open_for_writing(path) as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for article in articles:
            writer.writerow(csv_row(article_record(article)))
            count += 1
    return count


def _open_for_writing(path: Path):  # type: ignore[no-untyped-def]
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file path for this format")
    try:
        return path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def export_articles(articles: Iterable[Article], fmt: ExportFormat, out: Path) -> int:
    writers = {"seed": write_seed_folder, "jsonl": write_jsonl, "csv": write_csv}
    return writers[fmt](articles, out)
