"""Web-archive backfill: WARC records go through the same steps as live pages, offline."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from monitor.publisher_site import SiteFaults, TestSites, load_templates
from tests.conftest import FIXTURES
from tests.crawling import monitor, query, write_config


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body, content_type in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def test_warc_backfill_stores_relevant_pages_once(db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    with TestSites(load_templates(FIXTURES / "site" / "templates"), faults=SiteFaults()) as sites:
        expected = [e for e in sites.expected_articles() if e.url.startswith(sites.main.base_url)]
        pages = []
        for article in expected:
            with urllib.request.urlopen(article.url, timeout=10) as answer:
                pages.append((article.url, answer.read(), answer.headers["Content-Type"]))
    pages.append((sites.main.base_url + "/logo.png", b"\x89PNG\r\n", "image/png"))
    archive = tmp_path / "archive.warc.gz"
    write_warc(archive, pages)

    first = monitor(db_url, config, "backfill", "--since", "2020-01-01", "--warc", str(archive))
    assert first.returncode == 0, first.stderr
    landed = {
        row[0]: row[1] for row in query(db_url, "SELECT canonical_url, relevance FROM articles")
    }
    assert landed == {e.url: e.relevance for e in expected if e.stored}
    irrelevant = {
        row[0] for row in query(db_url, "SELECT url FROM fetches WHERE outcome = 'irrelevant'")
    }
    assert irrelevant == {e.url for e in expected if not e.stored}

    again = monitor(db_url, config, "backfill", "--since", "2020-01-01", "--warc", str(archive))
    assert again.returncode == 0, again.stderr
    assert query(db_url, "SELECT count(*) FROM articles") == [(len(landed),)]
    assert query(db_url, "SELECT count(*) FROM fetches") == [(len(expected),)]


def test_a_file_that_is_not_a_warc_is_one_clear_line(db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    bogus = tmp_path / "notes.warc"
    bogus.write_text("this is not an archive")
    result = monitor(db_url, config, "backfill", "--since", "2020-01-01", "--warc", str(bogus))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"monitor: error: {bogus}: not a WARC file (no WARC/1.x header at the start)"
    ]
