"""The JSON lines file: one announcement per line, appended, each line flushed to disk whole.

A daemon killed after writing a line but before recording it would write it again; so at start
the daemon reads the ids already in the file (:func:`ids_in_file`) and records them first.
A torn last line (a crash mid-write) is completed with a newline before the next append, so it
spoils only itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from monitor.outputs.announcement import Announcement


def append_announcements(path: Path, announcements: Sequence[Announcement]) -> None:
    if not announcements:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(
        json.dumps(a.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for a in announcements
    )
    with open(path, "a+b") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() > 0:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")
        handle.write(lines.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def ids_in_file(path: Path) -> set[str]:
    """Ids of the whole lines of the file (torn or foreign lines are skipped)."""
    found: set[str] = set()
    if not path.exists():
        return found
    with open(path, "rb") as handle:
        for raw in handle:
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                found.add(record["id"])
    return found
