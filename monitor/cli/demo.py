"""``monitor demo``: the main job end to end, offline, on the default database.

It serves a small bundled publisher site on 127.0.0.1 (a feed, a news sitemap, articles about
Mistral AI, a syndicated copy and pages about other Mistrals), crawls it with the real spiders
and pipelines, and prints what landed. A fixed port keeps the article URLs, hence their ids,
the same from one run to the next, so a second demo stores nothing new.
"""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from monitor.cli.context import AppContext, pass_app
from monitor.cli.crawling import print_summary
from monitor.cli.output import emit_rows
from monitor.crawl.runner import run_crawl
from monitor.db import store
from monitor.db.migrations import upgrade_to_head
from monitor.exporting import article_record
from monitor.filters import ArticleFilter
from monitor.pipeline import build_stages
from monitor.sources import SourceSpec

DEMO_PORT = 8737
#: The demo site is ours and on loopback: no politeness delay is owed to it.
LOOPBACK_CRAWL = {"download_delay": 0, "autothrottle": False, "retry_base_delay": 0.2}


@click.command("demo")
@click.option("--port", type=click.IntRange(1024, 65535), default=DEMO_PORT, show_default=True)
@pass_app
def demo_command(app: AppContext, port: int) -> None:
    """Serve a bundled publisher site on 127.0.0.1, crawl it into the database, show what
    landed (offline; initialises the database if needed)."""
    from monitor.publisher_site import bundled_templates, demo_site, serve_site

    engine = app.engine(require_schema=False)
    upgrade_to_head(engine)
    with serve_site(demo_site(bundled_templates()), port=port) as running:
        specs = [
            SourceSpec(name="demo-feed", kind="feed", url=running.url("/feed.rss")),
            SourceSpec(name="demo-sitemap", kind="sitemap", url=running.url("/sitemap.xml")),
        ]
        click.echo(f"serving the demo publisher at {running.url('/')}; crawling it…")
        report = run_crawl(
            engine,
            specs,
            build_stages(app.settings),
            crawl_section={**LOOPBACK_CRAWL, **app.settings.section("crawl")},
        )
    print_summary(report.outcomes, report.failures, app.quiet)
    with Session(engine) as session:
        articles = store.find_articles(
            session, ArticleFilter(sources=("demo-feed", "demo-sitemap"), include_duplicates=True)
        )
        rows = [
            {
                "id": a.id,
                "date": (article_record(a)["published"] or "")[:10],
                "title": a.title,
                "relevance": a.relevance,
                "topics": " ".join(t.topic_id for t in a.tags),
                "copy of": a.duplicate_of or "",
            }
            for a in articles
        ]
    emit_rows(
        rows,
        "table",
        table_columns=("id", "date", "title", "relevance", "topics", "copy of"),
        title="articles from the demo site (monitor search / show / stats for more)",
    )
