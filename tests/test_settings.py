"""Settings precedence: flag > environment > file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.settings import DEFAULT_DATABASE_URL, build_settings, normalise_database_url


def test_precedence(tmp_path: Path) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text('[database]\nurl = "sqlite:///from-file.db"\n[dedup]\nthreshold = 0.8\n')
    env = {"MONITOR_CONFIG": str(config)}
    assert (
        build_settings(db_flag=None, config_flag=None, environ={}).database_url
        == DEFAULT_DATABASE_URL
    )
    from_file = build_settings(db_flag=None, config_flag=None, environ=env)
    assert from_file.database_url == "sqlite:///from-file.db"
    assert from_file.section("dedup") == {"threshold": 0.8}
    env["MONITOR_DATABASE_URL"] = "sqlite:///from-env.db"
    assert (
        build_settings(db_flag=None, config_flag=None, environ=env).database_url
        == "sqlite:///from-env.db"
    )
    flagged = build_settings(db_flag="sqlite:///flag.db", config_flag=None, environ=env)
    assert flagged.database_url == "sqlite:///flag.db"


def test_postgresql_urls_use_psycopg3() -> None:
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[database\n", "not valid TOML"),
        ("[daemons]\n", "unknown section"),
        ("database = 1\n", "must be a table"),
    ],
)
def test_bad_config_files_say_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=message):
        build_settings(db_flag=None, config_flag=str(config), environ={})


def test_unknown_scheme_and_missing_file() -> None:
    with pytest.raises(ConfigError, match="unsupported database URL scheme 'mysql'"):
        normalise_database_url("mysql://x")
    with pytest.raises(ConfigError, match="configuration file not found"):
        build_settings(db_flag=None, config_flag="/nonexistent.toml", environ={})
