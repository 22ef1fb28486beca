"""End to end through the CLI on a real database (SQLite and PostgreSQL): import, export, search."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from tests.conftest import SEEDS

SEED_NAMES = [
    "000_8026e440585365f5.txt",
    "001_76b5440ce6d7ba29.txt",
    "002_6b4218afc371dc96.txt",
    "003_a2f0a24b22965ef1.txt",
    "004_5f9aaa8fe0df4825.txt",
]
NOISE = [
    "Newsletter",
    "Atlantico-Light",
    "©TOBY MELVILLE",
    "Voir la bio",
    "suspendre les commentaires",
    "logo_blanc",
    "Rechercher",
    "Abonnez-vous",
    "Likez Forbes",
    "&amp;",
    "**",
    "## ",
    "<!--",
    "PAR ANNE CAGAN",
]


def ids(result_stdout: str) -> list[str]:
    return [json.loads(line)["id"] for line in result_stdout.splitlines() if line.strip()]


@pytest.fixture
def seeded(db_url: str, run_cli) -> str:
    result = run_cli("--db", db_url, "import", str(SEEDS))
    assert result.exit_code == 0, result.stderr
    return db_url


def test_import_stores_five_then_nothing(db_url: str, run_cli) -> None:
    first = run_cli("--db", db_url, "import", str(SEEDS))
    assert first.exit_code == 0, first.stderr
    assert "5 new, 0 revised, 0 unchanged, 0 failed" in first.stdout
    again = run_cli("--db", db_url, "import", str(SEEDS))
    assert again.exit_code == 0
    assert "0 new, 0 revised, 5 unchanged, 0 failed" in again.stdout
    stats = run_cli("--db", db_url, "stats", "--format", "jsonl")
    rows = [json.loads(line) for line in stats.stdout.splitlines()]
    assert {"group": "total", "key": "articles", "count": 5} in rows


def test_export_seed_names_and_bytes(seeded: str, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("--db", seeded, "export", "--format", "seed", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == SEED_NAMES
    for name in SEED_NAMES[3:]:
        assert (out / name).read_bytes() == (SEEDS / name).read_bytes()
    for name in SEED_NAMES[:3]:
        exported = (out / name).read_text(encoding="utf-8")
        for noise in NOISE:
            assert noise not in exported, (name, noise)
        assert not exported.endswith("\n") and "\n\n\n" not in exported
    # Every paragraph of the articles themselves survives (first and last of each).
    text000 = (out / SEED_NAMES[0]).read_text(encoding="utf-8")
    assert text000.startswith("L’un des champions français de l'intelligence artificielle")
    assert text000.endswith(
        "Disons que l’on a déjà vu plus diabolique en matière de stratégie d’influence."
    )
    text001 = (out / SEED_NAMES[1]).read_text(encoding="utf-8")
    assert text001.startswith("L’annonce de la distribution de Mistral Large")
    assert "Un champion européen de l’IA ?" in text001
    text002 = (out / SEED_NAMES[2]).read_text(encoding="utf-8")
    assert text002.startswith("La star de l'intelligence artificielle tricolore")
    assert "Bourde de stagiaire ?" in text002
    assert "dont le dernier modèle caracole en tête des comparatifs" in text002
    assert text002.endswith("un plat tout à fait raté.")


def test_export_import_export_is_stable(seeded: str, run_cli, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli("--db", seeded, "export", "--format", "seed", "--out", str(first)).exit_code == 0
    other_db = f"sqlite:///{tmp_path / 'other.db'}"
    assert run_cli("--db", other_db, "init").exit_code == 0
    assert run_cli("--db", other_db, "import", str(first)).exit_code == 0
    assert (
        run_cli("--db", other_db, "export", "--format", "seed", "--out", str(second)).exit_code == 0
    )
    for name in SEED_NAMES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_jsonl_round_trip_keeps_every_field(seeded: str, run_cli, tmp_path: Path) -> None:
    dump = tmp_path / "all.jsonl"
    assert run_cli("--db", seeded, "export", "--format", "jsonl", "--out", str(dump)).exit_code == 0
    records = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [n[4:20] for n in SEED_NAMES]
    first = records[0]
    assert first["title"].startswith("IA : Mistral, le magicien français")
    assert first["site_name"] == "Atlantico.fr"
    assert first["authors"] == ["Rémi Bourgeot"]
    assert {"cluster_id", "duplicate_of", "relevance", "text"} <= set(first)
    assert records[3]["published"] == "2024-02" and records[3]["date_precision"] == "month"

    other_db = f"sqlite:///{tmp_path / 'other.db'}"
    run_cli("--db", other_db, "init")
    assert run_cli("--db", other_db, "import", str(dump)).exit_code == 0
    again = tmp_path / "again.jsonl"
    run_cli("--db", other_db, "export", "--format", "jsonl", "--out", str(again))
    volatile = {"first_seen", "last_seen"}
    for a, b in zip(records, [json.loads(x) for x in again.read_text().splitlines()], strict=True):
        assert {k: v for k, v in a.items() if k not in volatile} == {
            k: v for k, v in b.items() if k not in volatile
        }


def test_search_phrase_words_and_dates(seeded: str, run_cli) -> None:
    ai_act = run_cli("--db", seeded, "search", "AI Act", "--format", "jsonl")
    assert ai_act.exit_code == 0, ai_act.stderr
    assert sorted(ids(ai_act.stdout)) == ["6b4218afc371dc96", "8026e440585365f5"]
    since = run_cli(
        "--db", seeded, "search", "mistral", "--since", "2024-01-01", "--format", "jsonl"
    )
    assert ids(since.stdout) == ["a2f0a24b22965ef1"]
    for word in ("souverainete", "souveraineté", "SOUVERAINETÉ"):
        found = ids(run_cli("--db", seeded, "search", word, "--format", "jsonl").stdout)
        assert "8026e440585365f5" in found, word
    # A month-precision date matches when any day of its month is in range.
    sept = run_cli(
        "--db",
        seeded,
        "search",
        "--since",
        "2023-09-30",
        "--until",
        "2023-09-30",
        "--format",
        "jsonl",
    )
    assert ids(sept.stdout) == ["5f9aaa8fe0df4825"]
    phrase = run_cli("--db", seeded, "search", '"Mistral Large"', "--format", "jsonl")
    assert set(ids(phrase.stdout)) == {"76b5440ce6d7ba29", "a2f0a24b22965ef1"}
    excluded = run_cli("--db", seeded, "search", '"Mistral Large" -Kyutai', "--format", "jsonl")
    assert ids(excluded.stdout) == ["a2f0a24b22965ef1"]
    either = run_cli("--db", seeded, "search", "Kyutai OR Cagan", "--format", "jsonl")
    assert set(ids(either.stdout)) == {"76b5440ce6d7ba29"}


def test_search_table_marks_matches_and_show_prints(seeded: str, run_cli) -> None:
    table = run_cli("--db", seeded, "search", "Kyutai")
    assert table.exit_code == 0
    assert "76b5440ce6d7" in table.stdout
    shown = run_cli("--db", seeded, "show", "8026e440585365f5")
    assert shown.exit_code == 0
    assert "Atlantico.fr" in shown.stdout and "Rémi Bourgeot" in shown.stdout
    missing = run_cli("--db", seeded, "show", "0000000000000000")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "monitor: error: no article with id '0000000000000000'"


def test_changed_text_becomes_a_revision(seeded: str, run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "changed"
    folder.mkdir()
    original = (SEEDS / SEED_NAMES[3]).read_text(encoding="utf-8")
    (folder / SEED_NAMES[3]).write_text(original + "\n\nUn paragraphe ajouté après publication.")
    result = run_cli("--db", seeded, "import", str(folder))
    assert "0 new, 1 revised" in result.stdout
    shown = json.loads(
        run_cli("--db", seeded, "show", "a2f0a24b22965ef1", "--format", "jsonl").stdout
    )
    assert shown["revision"] == 2
    assert shown["revisions"][0]["revision"] == 1
    assert shown["text"].endswith("Un paragraphe ajouté après publication.")
    assert run_cli("--db", seeded, "import", str(folder)).stdout.startswith(
        "imported: 0 new, 0 revised, 1 unchanged"
    )


def test_bad_inputs_are_reported_and_the_rest_imported(
    db_url: str, run_cli, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS / SEED_NAMES[4], inputs / SEED_NAMES[4])
    (inputs / "005_00000000000000aa.txt").write_bytes("Un texte en latin-1 : été".encode("latin-1"))
    (inputs / "006_00000000000000bb.txt").write_bytes(b"")
    (inputs / "007_00000000000000cc.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    bad_name = tmp_path / "notes.txt"
    bad_name.write_text("Un article sans nom de seed.")
    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps({"id": "00000000000000dd", "text": "Premier article importé en JSON."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "00000000000000ee", "text": ""}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = run_cli(
        "--db", db_url, "import", str(inputs), str(bad_name), str(lines), str(tmp_path / "nope")
    )
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 7, errors
    joined = "\n".join(errors)
    assert "005_00000000000000aa.txt: not UTF-8 (byte 0xe9" in joined
    assert "006_00000000000000bb.txt: the file is empty" in joined
    assert "007_00000000000000cc.txt: binary data" in joined
    assert "notes.txt: not a seed file name" in joined
    assert "records.jsonl:2: malformed JSON" in joined
    assert "records.jsonl:3: missing or empty 'text'" in joined
    assert "nope: no such file or folder" in joined
    assert all(line.startswith("monitor: ") for line in errors)
    assert "2 new, 0 revised, 0 unchanged, 7 failed" in result.stdout


def test_unreachable_database_is_one_line(run_cli) -> None:
    result = run_cli("--db", "postgresql://nobody@127.0.0.1:1/none", "stats")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        "monitor: error: cannot connect to postgresql+psycopg://nobody@127.0.0.1:1/none"
    )


def test_uninitialised_database_says_run_init(run_cli, tmp_path: Path) -> None:
    result = run_cli("--db", f"sqlite:///{tmp_path / 'new.db'}", "search", "mistral")
    assert result.exit_code == 1
    assert "run `monitor init` first" in result.stderr


def test_bad_usage_exits_2(run_cli) -> None:
    assert run_cli("export", "--format", "xml", "--out", "x").exit_code == 2
    assert run_cli("frobnicate").exit_code == 2


def test_new_articles_take_the_next_sequence_number(seeded: str, run_cli, tmp_path: Path) -> None:
    lines = tmp_path / "new.jsonl"
    lines.write_text(
        json.dumps({"url": "https://example.fr/a", "text": "Mistral AI publie un modèle."}) + "\n"
        + json.dumps({"url": "https://example.fr/b", "text": "Mistral AI signe un accord."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert run_cli("--db", seeded, "import", str(lines)).exit_code == 0
    out = tmp_path / "out"
    run_cli("--db", seeded, "export", "--format", "seed", "--out", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert names[5:] == ["005_f273a7b5194aeba4.txt", "006_fc480bc025b434fd.txt"]


def test_a_silent_database_server_fails_within_the_connect_timeout(
    run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that accepts the connection and never answers (a network partition) gives the
    same one-line error instead of hanging for the kernel's TCP timeout."""
    import monitor.db.engine

    monkeypatch.setattr(monitor.db.engine, "POSTGRES_CONNECT_TIMEOUT", 1)
    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    try:
        result = run_cli("--db", f"postgresql://nobody@127.0.0.1:{port}/none", "stats")
    finally:
        silent.close()
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"monitor: error: cannot connect to postgresql+psycopg://nobody@127.0.0.1:{port}/none"
    )
