"""Reading and validating the taxonomy file.

The file ships inside the package (``taxonomy.toml``); a user may point at another one. A bad
file is refused as a whole with a message naming the file and the topic at fault, because a
half-loaded taxonomy would silently stop tagging.
"""

from __future__ import annotations

import logging
import re
import tomllib
from importlib import resources
from pathlib import Path

from monitor.errors import ConfigError
from monitor.taxonomy.model import TOP_LEVEL_IDS, Taxonomy, TermPair, Topic

log = logging.getLogger(__name__)

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class TaxonomyError(ConfigError):
    """The taxonomy file is missing, unreadable or inconsistent."""


def default_taxonomy_text() -> str:
    return resources.files("monitor.taxonomy").joinpath("taxonomy.toml").read_text("utf-8")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy; ``None`` means the one bundled with the package."""
    if path is None:
        name, text = "taxonomy.toml (bundled)", default_taxonomy_text()
    else:
        name = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise TaxonomyError(f"cannot read taxonomy file {name}: {exc.strerror}") from exc
    return parse_taxonomy(text, name)


def parse_taxonomy(text: str, name: str = "<taxonomy>") -> Taxonomy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{name} is not valid TOML: {exc}") from exc
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise TaxonomyError(f"{name}: a non-empty string 'version' is required")
    raw_topics = data.get("topic")
    if not isinstance(raw_topics, list) or not raw_topics:
        raise TaxonomyError(f"{name}: no [[topic]] entries")
    topics = tuple(_topic(entry, name) for entry in raw_topics)
    _check_consistency(topics, name)
    return Taxonomy(version=version.strip(), topics=topics)


def _strings(entry: dict, key: str, name: str, topic_id: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(
            f"{name}: topic {topic_id!r}: {key} must be a list of non-empty strings"
        )
    return tuple(v.strip() for v in value)


def _topic(entry: object, name: str) -> Topic:
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{name}: every [[topic]] must be a table")
    topic_id = entry.get("id")
    if not isinstance(topic_id, str) or not _ID.match(topic_id):
        raise TaxonomyError(f"{name}: bad topic id {topic_id!r} (lowercase words, dotted)")
    for label in ("label_fr", "label_en"):
        if not isinstance(entry.get(label), str) or not entry[label].strip():
            raise TaxonomyError(f"{name}: topic {topic_id!r} needs a non-empty {label}")
    threshold = entry.get("threshold", 0.5)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise TaxonomyError(f"{name}: topic {topic_id!r}: threshold must be in (0, 1]")
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise TaxonomyError(f"{name}: topic {topic_id!r}: parent must be a topic id")
    iptc = entry.get("iptc_code")
    if iptc is not None and not (isinstance(iptc, str) and iptc.isdigit()):
        raise TaxonomyError(f"{name}: topic {topic_id!r}: iptc_code must be a string of digits")
    topic = Topic(
        id=topic_id,
        parent_id=parent,
        label_fr=entry["label_fr"].strip(),
        label_en=entry["label_en"].strip(),
        threshold=float(threshold),
        terms_fr=_strings(entry, "terms_fr", name, topic_id),
        terms_en=_strings(entry, "terms_en", name, topic_id),
        strong_terms=_strings(entry, "strong", name, topic_id),
        strong_fr_terms=_strings(entry, "strong_fr", name, topic_id),
        dependent_terms=_strings(entry, "dependent", name, topic_id),
        exclusions=_strings(entry, "exclusions", name, topic_id),
        pairs=_pairs(entry, name, topic_id),
        subject_names=_strings(entry, "subject_names", name, topic_id),
        names=_strings(entry, "names", name, topic_id),
        names_threshold=_names_threshold(entry, name, topic_id),
        counterparts=_strings(entry, "counterparts", name, topic_id),
        iptc_code=iptc,
    )
    if not (topic.terms_fr or topic.terms_en or topic.strong_terms or topic.strong_fr_terms):
        raise TaxonomyError(f"{name}: topic {topic_id!r} has no terms")
    return topic


def _names_threshold(entry: dict, name: str, topic_id: str) -> float | None:
    """``names_threshold``: in (0, 1], and only beside a ``names`` list (it applies to texts
    rich in those names)."""
    value = entry.get("names_threshold")
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1:
        raise TaxonomyError(f"{name}: topic {topic_id!r}: names_threshold must be in (0, 1]")
    if not entry.get("names"):
        raise TaxonomyError(f"{name}: topic {topic_id!r}: names_threshold needs a names list")
    return float(value)


_PAIR_KEYS = ("cue", "cue_fr", "cue_en", "names", "with", "with_fr", "with_en")


def _pairs(entry: dict, name: str, topic_id: str) -> tuple[TermPair, ...]:
    """``[[topic.pairs]]`` tables: cues (``cue``, ``cue_fr``, ``cue_en``) and/or ``names``, and
    partners (``with``, ``with_fr``, ``with_en``); the ``_fr`` / ``_en`` lists are tried only in
    text of that language (or of no clear language)."""
    raw = entry.get("pairs", [])
    if not isinstance(raw, list):
        raise TaxonomyError(f"{name}: topic {topic_id!r}: pairs must be [[topic.pairs]] tables")
    pairs = []
    for number, table in enumerate(raw, start=1):
        where = f"{topic_id} (pair {number})"
        if not isinstance(table, dict):
            raise TaxonomyError(f"{name}: topic {where!r}: must be a table")
        unknown = sorted(set(table) - set(_PAIR_KEYS))
        if unknown:
            raise TaxonomyError(
                f"{name}: topic {where!r}: unknown keys {unknown} (use {', '.join(_PAIR_KEYS)})"
            )
        lists = {key: _strings(table, key, name, where) for key in _PAIR_KEYS}
        cues = lists["cue"] or lists["cue_fr"] or lists["cue_en"] or lists["names"]
        partners = lists["with"] or lists["with_fr"] or lists["with_en"]
        if not cues or not partners:
            raise TaxonomyError(
                f"{name}: topic {where!r}: needs a 'cue' or 'names' list and a 'with' list"
            )
        pairs.append(
            TermPair(
                lists["cue"],
                lists["names"],
                lists["with"],
                lists["with_fr"],
                lists["with_en"],
                lists["cue_fr"],
                lists["cue_en"],
            )
        )
    return tuple(pairs)


def _check_consistency(topics: tuple[Topic, ...], name: str) -> None:
    ids = [t.id for t in topics]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TaxonomyError(f"{name}: duplicate topic ids {duplicates}")
    known = set(ids)
    for topic in topics:
        if topic.parent_id is None:
            if "." in topic.id:
                raise TaxonomyError(f"{name}: topic {topic.id!r} is dotted but has no parent")
            if topic.id not in TOP_LEVEL_IDS:
                raise TaxonomyError(
                    f"{name}: {topic.id!r} is not one of the fixed top-level ids "
                    f"({', '.join(TOP_LEVEL_IDS)})"
                )
        else:
            if topic.parent_id not in known:
                raise TaxonomyError(
                    f"{name}: topic {topic.id!r}: unknown parent {topic.parent_id!r}"
                )
            if not topic.id.startswith(topic.parent_id + "."):
                raise TaxonomyError(
                    f"{name}: topic {topic.id!r} must be named {topic.parent_id}.<child>"
                )
    missing = [i for i in TOP_LEVEL_IDS if i not in known]
    if missing:
        raise TaxonomyError(f"{name}: missing top-level topics {missing}")
