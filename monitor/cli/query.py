"""``monitor search``, ``monitor show`` and ``monitor stats``: reading the store."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.text import Text
from sqlalchemy.orm import Session

from monitor.cli.context import AppContext, pass_app
from monitor.cli.filters import build_filter, filter_options
from monitor.cli.output import emit_rows, output_options
from monitor.db import store
from monitor.db.models import Article
from monitor.errors import NotFoundError
from monitor.exporting import CSV_COLUMNS, article_record, csv_row
from monitor.searchtext import SearchQuery, matching_spans

SNIPPET_CHARS = 160


def snippet(article: Article, query: SearchQuery | None) -> Text:
    """A short passage around the first match, with every matched word marked."""
    body = article.text.replace("\n\n", " ¶ ")
    spans = matching_spans(body, query, article.language) if query else []
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3) if spans else 0
    end = min(len(body), start + SNIPPET_CHARS)
    text = Text(("…" if start else "") + body[start:end] + ("…" if end < len(body) else ""))
    shift = 1 if start else 0
    for a, b in spans:
        if a >= start and b <= end:
            text.stylize("bold reverse", a - start + shift, b - start + shift)
    return text


def _day(record: dict[str, Any]) -> str:
    return (record["published"] or "")[:10]


@click.command("search")
@click.argument("query", required=False)
@filter_options
@click.option("--sort", type=click.Choice(["date", "relevance"]), default="date", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@output_options
@pass_app
def search_command(
    app: AppContext, query: str | None, sort: str, limit: int, fmt: str, **options: Any
) -> None:
    """Find articles by words ("phrases", OR, -word), date, source, language and relevance."""
    flt = build_filter(query, **options)
    with Session(app.engine()) as session:
        articles = store.find_articles(session, flt, sort, limit)  # type: ignore[arg-type]
        if fmt == "table":
            rows = [
                {
                    "id": a.id,
                    "date": _day(article_record(a)),
                    "source": a.source or a.site_name or a.host or "",
                    "title": a.title or "",
                    "relevance": a.relevance or "",
                    "snippet": snippet(a, flt.query),
                }
                for a in articles
            ]
        elif fmt == "csv":
            rows = [csv_row(article_record(a)) for a in articles]
        else:
            rows = [article_record(a) for a in articles]
    emit_rows(
        rows,
        fmt,
        table_columns=("id", "date", "source", "title", "relevance", "snippet"),
        csv_columns=CSV_COLUMNS,
        title=f"{len(rows)} article(s)",
    )


@click.command("show")
@click.argument("article_id")
@output_options
@pass_app
def show_command(app: AppContext, article_id: str, fmt: str) -> None:
    """Everything stored about one article: metadata, relevance evidence, cluster, revisions."""
    with Session(app.engine()) as session:
        article = store.get_article(session, article_id.strip().lower())
        if article is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        record = article_record(article)
        record["cluster"] = [
            {"id": m.id, "title": m.title, "duplicate_of": m.duplicate_of}
            for m in store.cluster_members(session, article.cluster_id or article.id)
        ]
        record["revisions"] = [
            {"revision": r.revision, "replaced_at": r.replaced_at.isoformat(), "title": r.title}
            for r in store.get_revisions(session, article.id)
        ]
    if fmt != "table":
        emit_rows([record], fmt, table_columns=())
        return
    console = Console()
    console.print(Text(record["title"] or "(no title)", style="bold"))
    for key in (
        "id", "seq", "url", "canonical_url", "source", "site_name", "authors", "published",
        "date_precision", "date_source", "modified", "language", "paywalled", "word_count",
        "relevance", "relevance_score", "tagger_version", "cluster_id", "duplicate_of",
        "revision", "first_seen", "last_seen",
    ):  # fmt: skip
        value = record[key]
        if value not in (None, [], ""):
            console.print(
                f"[dim]{key:>16}[/dim]  {', '.join(value) if isinstance(value, list) else value}"
            )
    if record["relevance_evidence"]:
        console.print("[bold]relevance evidence[/bold]")
        for item in record["relevance_evidence"]:
            console.print(
                f"  {item['term']!r} in {item['field']} [{item['start']}:{item['end']}]",
                markup=False,
            )
    if record["topics"]:
        console.print("[bold]topics[/bold]")
        for tag in record["topics"]:
            fired = ", ".join(f"{e['term']!r} ({e['field']})" for e in tag["evidence"][:6])
            console.print(f"  {tag['id']:24} {tag['score']:.2f}  {fired}", markup=False)
    if record["entities"]:
        console.print("[bold]entities[/bold]")
        console.print(
            "  "
            + "; ".join(f"{e['name']} ({e['kind']}) ×{e['mentions']}" for e in record["entities"]),
            markup=False,
        )
    if len(record["cluster"]) > 1:
        console.print("[bold]cluster[/bold]")
        for member in record["cluster"]:
            role = "canonical" if member["duplicate_of"] is None else "copy"
            console.print(f"  {member['id']}  {role:9}  {member['title'] or ''}")
    if record["revisions"]:
        console.print("[bold]earlier revisions[/bold]")
        for rev in record["revisions"]:
            console.print(f"  r{rev['revision']} replaced {rev['replaced_at']}")
    console.print()
    console.print(record["text"], soft_wrap=True, markup=False, highlight=False)


@click.command("stats")
@output_options
@pass_app
def stats_command(app: AppContext, fmt: str) -> None:
    """Counts by relevance, source, language and month; duplicates and revisions."""
    with Session(app.engine()) as session:
        stats = store.collect_stats(session)
    rows: list[dict[str, Any]] = [
        {"group": "total", "key": "articles", "count": stats.articles},
        {"group": "total", "key": "duplicates", "count": stats.duplicates},
        {"group": "total", "key": "revisions", "count": stats.revisions},
        {"group": "total", "key": "undated", "count": stats.undated},
    ]
    for group, counts in (
        ("relevance", stats.by_relevance),
        ("source", stats.by_source),
        ("language", stats.by_language),
        ("month", stats.by_month),
        ("topic", stats.by_topic),
        ("fetch outcome", stats.fetch_outcomes),
    ):
        rows.extend({"group": group, "key": k, "count": n} for k, n in counts.items())
    emit_rows(rows, fmt, table_columns=("group", "key", "count"), title="monitor stats")
