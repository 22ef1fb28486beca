"""``monitor classify``: JSON lines in, JSON lines out, bad lines reported by number."""

import json

from click.testing import CliRunner

from monitor.cli.classify import classify_command


def _run(lines: list[str | bytes]):
    payload = b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n" for x in lines)
    return CliRunner().invoke(classify_command, input=payload)


def test_classifies_each_line():
    result = _run(
        [
            json.dumps(
                {
                    "id": "a",
                    "title": "Mistral AI lève 600 millions d'euros",
                    "text": "La start-up a bouclé une levée de fonds record.",
                    "lang": "fr",
                }
            ),
            json.dumps({"id": 7, "text": "Le mistral souffle à 120 km/h dans la vallée du Rhône."}),
        ]
    )
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["id"] == "a" and first["relevance"] == "about"
    assert 0 < first["relevance_score"] <= 1
    funding = next(t for t in first["topics"] if t["id"] == "funding")
    assert {"term", "field", "start", "end"} <= set(funding["evidence"][0])
    assert {"name": "Mistral AI", "kind": "organisation"} in first["entities"]
    assert second == {
        "id": 7,
        "relevance": "none",
        "relevance_score": 0.0,
        "topics": [],
        "entities": [],
    }


def test_bad_lines_are_reported_with_their_number_and_the_rest_classified():
    result = _run(
        [
            "{not json",
            json.dumps({"id": "ok", "text": "Mistral AI recrute."}),
            "",
            json.dumps(["a list"]),
            json.dumps({"text": "no id"}),
            json.dumps({"id": "x", "text": 3}),
            b"\xff\xfe not utf-8",
        ]
    )
    assert result.exit_code == 1
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in outputs] == ["ok"]
    for number in (1, 4, 5, 6, 7):
        assert f"line {number}:" in result.stderr
    assert "line 3:" not in result.stderr


def test_empty_input_is_fine():
    result = _run([])
    assert result.exit_code == 0 and result.stdout == ""
