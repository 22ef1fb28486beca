"""Near-duplicate lookup cost as the store grows: 10k, 100k, 1M articles, SQLite and PostgreSQL.

For each size the store is bulk-loaded with synthetic articles and their 32 band rows (as the
Contracts allow: the bulk rows are random keys, generated inside the database), then 1,000 real
operations are timed, each in its own transaction as ingestion runs them:
signature + band keys (pure), candidate lookup (band and exact-key query), confirmation of the
candidates, and insert (article row, full-text row, band rows, cluster update). One op in ten is a
near copy of an earlier op, so the confirmation path is exercised too.

    python bench/dedup.py [--sizes 10000,100000,1000000] [--backends sqlite,postgresql]
                          [--postgres postgresql://postgres@127.0.0.1:5432/test]

Prints one table; the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from monitor.article import ArticleDraft  # noqa: E402
from monitor.db import store  # noqa: E402
from monitor.db.engine import open_engine  # noqa: E402
from monitor.db.migrations import upgrade_to_head  # noqa: E402
from monitor.dedup import (  # noqa: E402
    DedupSettings,
    band_keys,
    confirm_duplicate,
    exact_duplicate_key,
    signature_for,
)
from monitor.dedup.text import text_fingerprint  # noqa: E402
from monitor.settings import normalise_database_url  # noqa: E402

BANDS = DedupSettings().bands
OPS = 1000


def vocabulary() -> list[str]:
    words: list[str] = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        words.extend(seed.read_text(encoding="utf-8").split())
    return words


def operation_texts(rng: random.Random) -> list[str]:
    """1,000 article texts of 400–900 words; every tenth a lightly edited copy of an earlier one."""
    words = vocabulary()
    texts: list[str] = []
    for i in range(OPS):
        if i % 10 == 9:
            base = texts[rng.randrange(len(texts))].split("\n\n")
            texts.append("\n\n".join(["Dépêche reprise.", *base[:-1]]))
            continue
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(rng.randint(60, 120)))
            for _ in range(rng.randint(5, 8))
        ]
        texts.append("\n\n".join(paragraphs))
    return texts


def bulk_load(engine, start: int, stop: int) -> None:  # type: ignore[no-untyped-def]
    """Synthetic articles [start, stop) with BANDS random band rows each, generated in SQL."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "WITH RECURSIVE n(i) AS "
                    "(SELECT :start UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :stop) "
                    "INSERT INTO articles (id, seq, text, text_hash, word_count, paywalled, "
                    "authors, "
                    "revision, first_seen, last_seen, cluster_id) "
                    "SELECT printf('%016x', i), i, 'synthetic', printf('%064x', i), 1, 0, '[]', 1, "
                    ":now, :now, printf('%016x', i) FROM n"
                ),
                {"start": start, "stop": stop, "now": now},
            )
            conn.execute(
                text(
                    "WITH RECURSIVE n(i) AS "
                    "(SELECT :start UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :stop), "
                    "b(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM b WHERE j + 1 < :bands) "
                    "INSERT OR IGNORE INTO dedup_bands (band_key, article_id) "
                    "SELECT random(), printf('%016x', i) FROM n, b"
                ),
                {"start": start, "stop": stop, "bands": BANDS},
            )
        else:
            conn.execute(
                text(
                    "INSERT INTO articles (id, seq, text, text_hash, word_count, paywalled, "
                    "authors, "
                    "revision, first_seen, last_seen, cluster_id) "
                    "SELECT lpad(to_hex(i), 16, '0'), i, 'synthetic', lpad(to_hex(i), 64, '0'), 1, "
                    "false, '[]', 1, now(), now(), lpad(to_hex(i), 16, '0') "
                    "FROM generate_series(CAST(:start AS bigint), CAST(:stop AS bigint) - 1) AS i"
                ),
                {"start": start, "stop": stop},
            )
            conn.execute(
                text(
                    "INSERT INTO dedup_bands (band_key, article_id) "
                    "SELECT (random() * 1.8e19 - 9.2e18)::bigint, lpad(to_hex(i), 16, '0') "
                    "FROM generate_series(CAST(:start AS bigint), CAST(:stop AS bigint) - 1) AS i, "
                    "generate_series(1, :bands) ON CONFLICT DO NOTHING"
                ),
                {"start": start, "stop": stop, "bands": BANDS},
            )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE articles"))
            conn.execute(text("ANALYZE dedup_bands"))


def timed_operations(
    engine, texts: list[str], size: int, settings: DedupSettings
) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    times: dict[str, list[float]] = {"signature": [], "lookup": [], "confirm": [], "insert": []}
    for n, body in enumerate(texts):
        draft = ArticleDraft(text=body, url=f"https://bench.example/{size}/{n}", language="fr")
        t0 = time.perf_counter()
        exact = exact_duplicate_key(body, settings)
        signature = signature_for(body, settings)
        keys = band_keys(signature) if signature is not None else []
        t1 = time.perf_counter()
        with Session(engine) as session, session.begin():
            prepared = store.prepare_article(draft, text_fingerprint(body))
            t2 = time.perf_counter()
            candidates = store.duplicate_candidates(session, prepared.id, exact, keys)
            t3 = time.perf_counter()
            confirmed = [
                c.id for c in candidates if confirm_duplicate(body, c.text, settings).is_duplicate
            ]
            t4 = time.perf_counter()
            _, article = store.upsert_article(session, prepared, None, datetime.now(UTC))
            article.exact_key = exact
            store.replace_bands(session, article.id, keys)
            if confirmed:
                article.cluster_id = confirmed[0]
                article.duplicate_of = confirmed[0]
        t5 = time.perf_counter()
        times["signature"].append(t1 - t0)
        times["lookup"].append(t3 - t2)
        times["confirm"].append(t4 - t3)
        times["insert"].append((t2 - t1) + (t5 - t4))
    return times


def fresh_database(backend: str, postgres: str, workdir: Path) -> tuple[str, callable]:  # type: ignore[valid-type]
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}", lambda: None
    admin = normalise_database_url(postgres)
    name = f"monitor_bench_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(admin).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = DedupSettings()
    texts = operation_texts(random.Random(7))
    print(f"{OPS} timed operations per size; per-operation milliseconds (median / mean)")
    print(
        "| backend | articles | signature | lookup | confirm | insert | whole step "
        "| candidates/op |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            url, drop = fresh_database(backend, args.postgres, Path(tmp))
            try:
                engine = open_engine(url)
                upgrade_to_head(engine)
                loaded = 0
                for size in sizes:
                    started = time.perf_counter()
                    step = 100_000
                    while loaded < size:
                        upto = min(size, loaded + step)
                        bulk_load(engine, loaded, upto)
                        loaded = upto
                    load_s = time.perf_counter() - started
                    times = timed_operations(engine, texts, size, settings)
                    whole = [sum(parts) for parts in zip(*times.values(), strict=True)]
                    cells = [
                        f"{statistics.median(v) * 1000:.2f} / {statistics.mean(v) * 1000:.2f}"
                        for v in (*times.values(), whole)
                    ]
                    with Session(engine) as session:
                        cands = (
                            sum(
                                len(
                                    store.duplicate_candidates(
                                        session,
                                        "0" * 16,
                                        None,
                                        band_keys(signature_for(t, settings)),
                                    )
                                )
                                for t in texts[:50]
                            )
                            / 50
                        )
                    print(
                        f"| {backend} | {size:,} | "
                        + " | ".join(cells)
                        + f" | {cands:.1f} |  (bulk load {load_s:.0f} s)",
                        flush=True,
                    )
                    # Remove the timed rows so the next size starts from synthetic rows only.
                    with engine.begin() as conn:
                        conn.execute(text("DELETE FROM articles_fts"))
                        # Band rows of the timed articles go with them (ON DELETE CASCADE).
                        conn.execute(text("DELETE FROM articles WHERE text <> 'synthetic'"))
                engine.dispose()
            finally:
                drop()


if __name__ == "__main__":
    main()
