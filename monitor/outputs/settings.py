"""Where the outputs go, from the ``[outputs]`` section; every output is off unless configured.

::

    [outputs]
    atom = "/var/lib/monitor/mistral.atom"       # an Atom feed of the newest announcements
    jsonl = "/var/lib/monitor/mistral.jsonl"     # one JSON object per announced article, appended
    webhook = "https://chat.example/hooks/abc"   # POST {"articles": [...]} (JSON), retried
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError


@dataclass(frozen=True)
class OutputSettings:
    atom_path: Path | None = None
    jsonl_path: Path | None = None
    webhook_url: str | None = None
    #: Entries in the Atom feed (a feed reader keeps what it has seen; the feed stays small).
    atom_entries: int = 50
    atom_title: str = "Mistral AI in the press"
    webhook_timeout: float = 10.0
    #: Tries within one delivery round (with 1 s, 2 s… between them) before waiting for the next.
    webhook_tries: int = 3
    #: After this many failed tries in all, an announcement is given up for the webhook.
    webhook_max_attempts: int = 30
    #: Only articles first seen this recently are announced: starting the outputs on an old
    #: database does not flood the team with its history.
    lookback_seconds: float = 7 * 86400

    @property
    def enabled(self) -> bool:
        return any((self.atom_path, self.jsonl_path, self.webhook_url))


_KEYS = {
    "atom": str,
    "jsonl": str,
    "webhook": str,
    "atom_entries": int,
    "atom_title": str,
    "webhook_timeout": (int, float),
    "webhook_tries": int,
    "webhook_max_attempts": int,
    "lookback_days": (int, float),
}


def output_settings(section: Mapping[str, Any], base: Path | None = None) -> OutputSettings:
    """Read ``[outputs]``; relative paths are relative to ``base`` (the configuration's folder)."""
    unknown = set(section) - set(_KEYS)
    if unknown:
        raise ConfigError(
            f"[outputs]: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_KEYS))}"
        )
    for key, kind in _KEYS.items():
        if key in section and (
            not isinstance(section[key], kind) or isinstance(section[key], bool)
        ):
            raise ConfigError(f"[outputs] {key}: unexpected value {section[key]!r}")

    def path(key: str) -> Path | None:
        if key not in section:
            return None
        value = Path(section[key]).expanduser()
        return value if value.is_absolute() or base is None else base / value

    webhook = section.get("webhook")
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise ConfigError(f"[outputs] webhook: not an http(s) URL: {webhook!r}")
    values: dict[str, Any] = {
        "atom_path": path("atom"),
        "jsonl_path": path("jsonl"),
        "webhook_url": webhook,
    }
    for key in ("atom_entries", "atom_title", "webhook_timeout", "webhook_tries"):
        if key in section:
            values[key] = section[key]
    if "webhook_max_attempts" in section:
        values["webhook_max_attempts"] = section["webhook_max_attempts"]
    if "lookback_days" in section:
        values["lookback_seconds"] = float(section["lookback_days"]) * 86400
    settings = OutputSettings(**values)
    if settings.atom_entries < 1 or settings.webhook_tries < 1 or settings.webhook_timeout <= 0:
        raise ConfigError("[outputs]: atom_entries, webhook_tries and webhook_timeout must be > 0")
    return settings
