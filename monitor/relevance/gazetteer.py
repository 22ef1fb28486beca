"""The gazetteer file, compiled into regular expressions once.

Names are matched case-sensitively: "Le Chat" is Mistral AI's assistant, "le chat" a cat; "IA"
and "AI" are cues, "j'ai" is not. The compiled form is immutable and built lazily on first use.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from monitor.errors import ConfigError

EntityKind = Literal["person", "organisation", "product"]
_KINDS = ("person", "organisation", "product")


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    kind: EntityKind
    aliases: tuple[str, ...]
    mistral_ai: bool = False
    ambiguous: bool = False


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entities: tuple[Entity, ...]
    names: re.Pattern[str]  # every alias, longest first
    entity_of_alias: dict[str, Entity]
    bare_mistral: re.Pattern[str]
    ai_cues: tuple[re.Pattern[str], ...]
    other_cues: dict[str, re.Pattern[str]]
    pinned: dict[str, re.Pattern[str]]
    # Every pinned pattern in one alternation: a window where it finds nothing holds no pinned
    # match of any sense, and the per-sense searches are skipped (most windows).
    any_pinned: re.Pattern[str] = re.compile(r"(?!x)x")


def _alternation(patterns: list[str], flags: int = 0) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def _by_first_letter(aliases: list[str]) -> str:
    """The alternation of ``aliases`` grouped by first character, each group in the aliases'
    order: "M(?:istral AI|istral Large|...)|A(?:rthur Mensch|...)". It matches what the flat
    alternation matches (aliases of another first character cannot match where a group is
    tried, and within a group the order, longest first, is kept), but where a word starts
    with "M" the engine tries the twenty "M" aliases, not all hundred."""
    groups: dict[str, list[str]] = {}
    for alias in aliases:
        groups.setdefault(alias[0], []).append(re.escape(alias[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())


def parse_gazetteer(text: str, name: str = "gazetteer.toml") -> Gazetteer:
    try:
        data = tomllib.loads(text)
        entities = []
        for raw in data["entity"]:
            if raw["kind"] not in _KINDS:
                raise ConfigError(f"{name}: entity {raw['name']!r}: unknown kind {raw['kind']!r}")
            aliases = tuple(dict.fromkeys([raw["name"], *raw.get("aliases", [])]))
            entities.append(
                Entity(
                    raw["name"],
                    raw["kind"],
                    aliases,
                    bool(raw.get("mistral_ai")),
                    bool(raw.get("ambiguous")),
                )
            )
        cues = data["cues"]
        ai = (_alternation(cues["ai"]), _alternation(cues["ai_i"], re.IGNORECASE))
        other = {k: _alternation(v) for k, v in cues["other_senses"].items()}
        pinned = {k: _alternation(v) for k, v in cues["pinned"].items()}
        any_pinned = _alternation([p for v in cues["pinned"].values() for p in v])
    except (KeyError, TypeError, tomllib.TOMLDecodeError, re.error) as exc:
        raise ConfigError(f"{name} is malformed: {exc!r}") from exc
    entity_of_alias: dict[str, Entity] = {}
    for entity in entities:
        for alias in entity.aliases:
            if alias in entity_of_alias:
                raise ConfigError(f"{name}: alias {alias!r} is given to two entities")
            entity_of_alias[alias] = entity
    by_length = sorted(entity_of_alias, key=len, reverse=True)
    # No leading look-behind: it would stop the regex engine from skipping ahead to the
    # aliases' first letters. Callers check "not after a word character or a dot" themselves
    # (``mentions.spans_not_after_word``), which finds exactly the same matches.
    names = re.compile(r"(?:" + _by_first_letter(by_length) + r")(?![\w])")
    return Gazetteer(
        entities=tuple(entities),
        names=names,
        entity_of_alias=entity_of_alias,
        bare_mistral=re.compile(r"(?i:mistral)(?![\w])"),
        ai_cues=ai,
        other_cues=other,
        pinned=pinned,
        any_pinned=any_pinned,
    )


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer, compiled on first use; the same immutable value every time."""
    text = resources.files("monitor.relevance").joinpath("gazetteer.toml").read_text("utf-8")
    return parse_gazetteer(text)
