"""``monitor classify``: relevance, topics and entities for JSON lines, no database.

A thin shell over ``monitor.relevance.judge_article``: it parses lines, calls the library, and
turns each bad line into one message on stderr with its line number, the others still being
classified. Exit status 1 when any line was refused.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

import click

from monitor.article import Judgement
from monitor.relevance import judge_article


@dataclass(frozen=True, slots=True)
class ClassifyRequest:
    id: object
    text: str
    title: str | None
    lang: str | None


class BadLine(ValueError):
    """A line that is not a classify request; the message says why."""


def parse_request(raw: bytes) -> ClassifyRequest:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise BadLine("not a JSON object")
    if "id" not in data:
        raise BadLine("no 'id'")
    if not isinstance(data["id"], str | int) or isinstance(data["id"], bool):
        raise BadLine("'id' must be a string or an integer")
    if not isinstance(data.get("text"), str):
        raise BadLine("'text' must be a string")
    for key in ("title", "lang"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise BadLine(f"'{key}' must be a string when given")
    return ClassifyRequest(data["id"], data["text"], data.get("title"), data.get("lang"))


def render_result(request_id: object, judgement: Judgement) -> dict:
    return {
        "id": request_id,
        "relevance": judgement.relevance,
        "relevance_score": judgement.score,
        "topics": [
            {
                "id": tag.topic_id,
                "score": tag.score,
                "evidence": [
                    {"term": e.term, "field": e.field, "start": e.start, "end": e.end}
                    for e in tag.evidence
                ],
            }
            for tag in judgement.topics
        ],
        "entities": [{"name": e.name, "kind": e.kind} for e in judgement.entities],
    }


@click.command("classify")
def classify_command() -> None:
    """Judge relevance, topics and entities of JSON lines on stdin (keys id, text, optional
    title and lang); write one JSON line per article on stdout. No database is used."""
    stdin = sys.stdin.buffer
    failed = 0
    for number, raw in enumerate(stdin, start=1):
        if not raw.strip():
            continue
        try:
            request = parse_request(raw)
        except BadLine as exc:
            failed += 1
            click.echo(f"line {number}: {exc}", err=True)
            continue
        judgement = judge_article(request.text, request.title, request.lang)
        click.echo(json.dumps(render_result(request.id, judgement), ensure_ascii=False))
    if failed:
        click.echo(f"{failed} line(s) could not be classified", err=True)
        raise SystemExit(1)
