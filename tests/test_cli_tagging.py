"""Relevance, topics and entities stored at import, queried, shown and re-run (both backends)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from monitor.db.engine import open_engine
from tests.conftest import SEEDS


def _ids(stdout: str) -> set[str]:
    return {json.loads(line)["id"] for line in stdout.splitlines() if line.strip()}


def test_import_judges_tags_and_search_filters(db_url: str, run_cli, tmp_path: Path) -> None:
    wind = tmp_path / "wind.jsonl"
    wind.write_text(
        json.dumps(
            {
                "url": "https://meteo.example/mistral",
                "title": "Le mistral souffle fort sur la vallée du Rhône",
                "text": "Météo-France place trois départements en vigilance orange : le mistral "
                "soufflera en rafales jusqu'à 110 km/h dans la vallée du Rhône et sur le "
                "littoral provençal, avec un risque d'incendie élevé.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert run_cli("--db", db_url, "import", str(SEEDS), str(wind)).exit_code == 0
    every = run_cli("--db", db_url, "search", "--relevance", "any", "--format", "jsonl").stdout
    records = {r["id"]: r for r in map(json.loads, every.splitlines())}
    wind_record = next(r for r in records.values() if r["url"] == "https://meteo.example/mistral")
    assert wind_record["relevance"] == "none" and wind_record["topics"] == []
    seeds = [r for r in records.values() if r is not wind_record]
    assert all(r["relevance"] == "about" and r["topics"] for r in seeds)
    # The default view hides `none`; the wind page is still stored, as imports keep everything.
    assert wind_record["id"] not in _ids(
        run_cli("--db", db_url, "search", "--format", "jsonl").stdout
    )
    assert wind_record["id"] in _ids(
        run_cli("--db", db_url, "search", "--relevance", "none", "--format", "jsonl").stdout
    )
    funding = _ids(
        run_cli("--db", db_url, "search", "--topic", "funding", "--format", "jsonl").stdout
    )
    assert funding and funding <= {r["id"] for r in seeds}
    assert all(
        any(t["id"].split(".")[0] == "funding" for t in records[i]["topics"]) for i in funding
    )
    both = _ids(
        run_cli(
            "--db",
            db_url,
            "search",
            "--entity",
            "Microsoft",
            "--entity",
            "mistral ai",
            "--format",
            "jsonl",
        ).stdout
    )
    assert both == {
        r["id"] for r in seeds if {"Microsoft", "Mistral AI"} <= {e["name"] for e in r["entities"]}
    }
    assert "76b5440ce6d7ba29" in both


def test_show_explains_and_retag_reruns(db_url: str, run_cli) -> None:
    run_cli("--db", db_url, "import", str(SEEDS))
    shown = run_cli("--db", db_url, "show", "76b5440ce6d7ba29").stdout
    assert "relevance evidence" in shown and "'Mistral AI' in title" in shown
    assert "topics" in shown and "entities" in shown
    engine = open_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM article_topics"))
        conn.execute(text("UPDATE articles SET relevance = 'none'"))
    engine.dispose()
    assert not _ids(
        run_cli("--db", db_url, "search", "--topic", "funding", "--format", "jsonl").stdout
    )
    result = run_cli("--db", db_url, "retag")
    assert result.exit_code == 0
    assert result.stdout.startswith("retag: 5 article(s) judged with ")
    assert "relevance changed for 5" in result.stdout
    assert _ids(run_cli("--db", db_url, "search", "--topic", "funding", "--format", "jsonl").stdout)


def test_classify_is_wired_into_the_cli(run_cli) -> None:
    line = json.dumps({"id": 7, "text": "Mistral AI lève 600 millions d'euros.", "lang": "fr"})
    result = run_cli("classify", stdin=line + "\n{bad\n")
    assert result.exit_code == 1
    out = json.loads(result.stdout.splitlines()[0])
    assert out["id"] == 7 and out["relevance"] in ("about", "passing")
    assert "line 2" in result.stderr
