"""One settings object, built at the entry point and passed down.

Precedence (DESIGN.md, Contracts): command-line flag > ``MONITOR_*`` environment variable >
TOML file (``--config`` / ``MONITOR_CONFIG``) > built-in default. Nothing below the entry point
reads the environment.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///monitor.db"
KNOWN_SECTIONS = ("database", "crawl", "sources", "relevance", "dedup", "daemon", "outputs")


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    config_path: Path | None = None
    #: Raw sections of the configuration file that later stages (crawl, dedup, daemon…) read.
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        return self.sections.get(name, {})


def normalise_database_url(url: str) -> str:
    """Read ``postgresql://`` as psycopg 3, the driver the project ships with."""
    url = url.strip()
    if not url:
        raise ConfigError("the database URL is empty; give --db or MONITOR_DATABASE_URL")
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if not (url.startswith("sqlite") or url.startswith("postgresql+")):
        scheme = url.split(":", 1)[0]
        raise ConfigError(
            f"unsupported database URL scheme {scheme!r}: use sqlite:///PATH or postgresql://..."
        )
    return url


def read_config_file(path: Path) -> dict[str, dict[str, Any]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(raw) - set(KNOWN_SECTIONS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown section(s) {', '.join(unknown)}; "
            f"known sections are {', '.join(KNOWN_SECTIONS)}"
        )
    for name, value in raw.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
    return raw


def build_settings(
    *,
    db_flag: str | None,
    config_flag: str | None,
    environ: Mapping[str, str],
) -> Settings:
    """Combine flags, environment and file into one Settings, in the documented precedence."""
    config_value = config_flag or environ.get("MONITOR_CONFIG")
    config_path = Path(config_value) if config_value else None
    sections: dict[str, dict[str, Any]] = read_config_file(config_path) if config_path else {}
    file_url = sections.get("database", {}).get("url")
    if file_url is not None and not isinstance(file_url, str):
        raise ConfigError(f"{config_path}: [database] url must be a string")
    url = db_flag or environ.get("MONITOR_DATABASE_URL") or file_url or DEFAULT_DATABASE_URL
    return Settings(
        database_url=normalise_database_url(url), config_path=config_path, sections=sections
    )
