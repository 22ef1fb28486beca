"""``monitor extract`` through click's CliRunner (the command is invoked directly)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from monitor.cli.extract import extract_command
from monitor.extraction import JSON_KEYS

PAGES = Path(__file__).parent / "fixtures" / "extraction" / "pages"
PAGE = (
    "<html lang='fr'><head><title>Un titre | Site</title>"
    "<meta property='og:site_name' content='Site'></head><body><article><h1>Un titre</h1>"
    "<p>Le modèle publié par Mistral AI est disponible sous licence Apache 2.0 pour tous.</p>"
    "<p>Les chercheurs de l'entreprise parisienne expliquent leurs choix d'architecture.</p>"
    "<p>Les poids peuvent être téléchargés librement depuis la plateforme de la société.</p>"
    "</article></body></html>"
)


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_gz_and_html_files(tmp_path: Path) -> None:
    plain = tmp_path / "page.html"
    plain.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(
        extract_command, [str(PAGES / "fr_EuronewsFR_2026_01_06.html.gz"), str(plain)]
    )
    assert result.exit_code == 0, result.output
    first, second = _lines(result.stdout)
    assert tuple(first) == JSON_KEYS and first["error"] is None
    assert first["language"] == "fr" and first["text"]
    assert second["title"] == "Un titre" and "modèle" in second["text"]


def test_stdin_and_url_option() -> None:
    result = CliRunner().invoke(
        extract_command, ["--url", "https://site.example/a#top", "-"], input=PAGE.encode()
    )
    assert result.exit_code == 0, result.output
    (record,) = _lines(result.stdout)
    assert record["file"] == "-"
    assert record["url"] == "https://site.example/a"
    assert record["canonical_url"] == "https://site.example/a"


def test_failure_is_reported_and_others_still_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    good = tmp_path / "good.html.gz"
    good.write_bytes(gzip.compress(PAGE.encode()))
    result = CliRunner().invoke(
        extract_command, [str(empty), str(tmp_path / "missing.html"), str(good)]
    )
    assert result.exit_code == 1
    records = _lines(result.stdout)
    assert [r["error"] for r in records] == ["empty", "unreadable", None]
    assert "missing.html" in result.stderr


def test_corrupt_gzip_is_an_error_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = CliRunner().invoke(extract_command, [str(broken)])
    assert result.exit_code == 1
    (record,) = _lines(result.stdout)
    assert record["error"] in {"unreadable", "empty", "not_html"}


def test_gzip_bomb_is_refused_as_too_large(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html><body>" + b" " * 40_000_000))
    result = CliRunner().invoke(extract_command, [str(bomb)])
    assert result.exit_code == 1
    (record,) = _lines(result.stdout)
    assert record["error"] == "too_large"
