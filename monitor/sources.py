"""Sources as the user configures them: kinds, intervals, and the default list we ship."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from monitor.errors import ConfigError

SourceKind = Literal["feed", "sitemap", "site", "urls", "warc"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("feed", "sitemap", "site", "urls", "warc")
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_SECONDS = 60
POLITENESS_KEYS = frozenset({"download_delay", "concurrency", "max_pages", "max_depth"})


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: SourceKind
    url: str
    language: str | None = None
    interval_seconds: int = 3600
    enabled: bool = True
    politeness: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][\w.-]{0,99}", self.name):
            raise ConfigError(
                f"source name {self.name!r}: use letters, digits, '.', '_' or '-' (max 100)"
            )
        if self.kind not in SOURCE_KINDS:
            raise ConfigError(f"source {self.name}: unknown kind {self.kind!r}")
        if self.kind in ("feed", "sitemap", "site") and not re.match(r"https?://", self.url):
            raise ConfigError(
                f"source {self.name}: {self.kind} needs an http(s) URL, not {self.url!r}"
            )
        if self.interval_seconds < MIN_INTERVAL_SECONDS:
            raise ConfigError(f"source {self.name}: interval below {MIN_INTERVAL_SECONDS} s")
        unknown = set(self.politeness) - POLITENESS_KEYS
        if unknown:
            raise ConfigError(
                f"source {self.name}: unknown setting(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(POLITENESS_KEYS))}"
            )


def parse_interval(text: str) -> int:
    """``90s``, ``15m``, ``2h``, ``1d`` or plain seconds → seconds."""
    match = _INTERVAL.match(text)
    if not match:
        raise ConfigError(f"interval {text!r}: use a number with s, m, h or d (e.g. 15m)")
    return int(match[1]) * _UNIT_SECONDS[match[2]]


def default_sources() -> list[SourceSpec]:
    """The sources shipped for real monitoring (tests never contact them)."""
    raw = tomllib.loads(resources.files("monitor").joinpath("default_sources.toml").read_text())
    specs = []
    for name, entry in raw.get("sources", {}).items():
        specs.append(
            SourceSpec(
                name=name,
                kind=entry["kind"],
                url=entry["url"],
                language=entry.get("language"),
                interval_seconds=parse_interval(entry.get("interval", "1h")),
                enabled=entry.get("enabled", True),
            )
        )
    return specs
