"""The filter options shared by ``search`` and ``export`` (one decorator, one parser)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from monitor.filters import ArticleFilter, parse_day, parse_relevance
from monitor.searchtext import parse_query


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this day."),
        click.option("--until", metavar="YYYY-MM-DD", help="Published on or before this day."),
        click.option(
            "--source", "sources", multiple=True, help="Source name or site host (repeatable)."
        ),
        click.option("--lang", "languages", multiple=True, help="Language code (repeatable)."),
        click.option(
            "--relevance",
            default="about,passing",
            show_default=True,
            help="about, passing, none, any, or a comma list.",
        ),
        click.option("--include-duplicates", is_flag=True, help="Show the copies of a story too."),
        click.option("--author", help="Articles by this author (substring, any case)."),
        click.option(
            "--topic", "topics", multiple=True, help="Topic id, e.g. funding (repeat: AND)."
        ),
        click.option(
            "--entity", "entities", multiple=True, help="Person, organisation or product (AND)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_filter(query: str | None, **options: Any) -> ArticleFilter:
    return ArticleFilter(
        query=parse_query(query) if query else None,
        since=parse_day(options["since"], "--since") if options.get("since") else None,
        until=parse_day(options["until"], "--until") if options.get("until") else None,
        sources=tuple(options.get("sources") or ()),
        languages=tuple(options.get("languages") or ()),
        relevance=parse_relevance(options.get("relevance") or "about,passing"),
        include_duplicates=bool(options.get("include_duplicates")),
        author=options.get("author"),
        topics=tuple(options.get("topics") or ()),
        entities=tuple(options.get("entities") or ()),
    )
