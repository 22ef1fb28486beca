"""Web-archive backfill: WARC response records through the same steps as a live crawl.

No network: each HTML response record becomes a PageItem and goes through extract → judge →
store exactly as a fetched page would, its fetch logged with the record's own date.
"""

from __future__ import annotations

import gzip
import logging
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from monitor.crawl.items import PageItem
from monitor.crawl.middlewares import frontier_key
from monitor.crawl.processing import Extractor, process_page, store_item
from monitor.db import fetchlog
from monitor.discovery import parse_date
from monitor.errors import InputError
from monitor.frontier import Window
from monitor.ingest import Stages

log = logging.getLogger(__name__)
MAX_RECORD_BYTES = 10 * 1024 * 1024


def _check_is_warc(path: Path) -> None:
    """warcio reads almost anything as a record; refuse a file that is not a WARC at all."""
    try:
        with path.open("rb") as raw:
            head = raw.read(2)
            raw.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=raw) as unzipped:
                    head = unzipped.read(5)
            else:
                head = raw.read(5)
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    if head != b"WARC/":
        raise InputError(f"{path}: not a WARC file (no WARC/1.x header at the start)")


def read_warc(path: Path, crawl_id: str, source: str | None) -> Iterator[PageItem]:
    """HTML response records of a WARC file (gzipped or not) as PageItems."""
    _check_is_warc(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url or not url.startswith(("http://", "https://")):
                    continue
                status = int(record.http_headers.get_statuscode() or 0)
                content_type = record.http_headers.get_header("Content-Type") or ""
                if status != 200 or "html" not in content_type.lower():
                    continue
                body = record.content_stream().read(MAX_RECORD_BYTES + 1)
                when = parse_date(record.rec_headers.get_header("WARC-Date")) or datetime.now(UTC)
                headers = {"content-type": content_type}
                item = PageItem(
                    url=url,
                    frontier_url=frontier_key(url),
                    source=source,
                    crawl_id=crawl_id,
                    fetched_at=when,
                    status=status,
                    final_url=url,
                    body=body,
                    headers=headers,
                )
                if len(body) > MAX_RECORD_BYTES:
                    item = replace(item, body=b"", outcome="too_large", error="record over 10 MB")
                yield item
        except ArchiveLoadFailed as exc:
            raise InputError(f"{path}: not a WARC file: {exc}") from None


def backfill_warc(
    engine: Engine,
    paths: list[Path],
    stages: Stages,
    extractor: Extractor,
    *,
    window: Window | None = None,
    workers: int = 1,
    crawl_id: str | None = None,
) -> tuple[str, Counter[str]]:
    """Process every record; returns the crawl id and its outcomes. Re-running skips what the
    frontier already holds, so a killed backfill continues where it stopped."""
    crawl_id = crawl_id or uuid.uuid4().hex
    counts: Counter[str] = Counter()
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for path in paths:
            batch: list[PageItem] = []
            for item in read_warc(path, crawl_id, source=f"warc:{path.name}"):
                with Session(engine) as session:
                    memory = fetchlog.url_memory(session, item.frontier_url)
                if memory is not None and memory.last_fetched is not None:
                    counts["already_seen"] += 1
                    continue
                batch.append(item)
                if len(batch) >= 32:
                    _process(engine, batch, stages, extractor, window, pool, counts)
                    batch = []
            _process(engine, batch, stages, extractor, window, pool, counts)
    finally:
        if pool is not None:
            pool.shutdown()
    return crawl_id, counts


def _process(engine, batch, stages, extractor, window, pool, counts) -> None:  # type: ignore[no-untyped-def]
    if not batch:
        return
    n = len(batch)
    if pool is None:
        processed = [process_page(item, extractor, stages, window) for item in batch]
    else:
        processed = list(pool.map(process_page, batch, [extractor] * n, [stages] * n, [window] * n))
    for item in processed:
        stored = store_item(engine, item, stages, datetime.now(UTC))
        counts[stored.outcome or "unknown"] += 1
