"""Clusters of copies: connected components of confirmed pairs and their canonical member.

Pure and order-independent: the result depends only on the set of members and the set of pairs,
never on the order they come in, so importing the same articles twice or in another order gives
the same clusters. The canonical member is the earliest published (undated last), then the
earliest first seen, then the smallest id; ``cluster_id`` is its id, so it moves when an earlier
copy arrives late, and every other member is ``duplicate_of`` it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class ClusterMember:
    """What the canonical rule needs to know about one article (datetimes UTC-aware)."""

    id: str
    published_at: datetime | None
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class ClusterAssignment:
    """An article's cluster: the canonical member's id, and whom it duplicates (None if it is
    the canonical member itself)."""

    cluster_id: str
    duplicate_of: str | None


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def canonical_order(member: ClusterMember) -> tuple[bool, datetime, datetime, str]:
    """Sort key of the canonical rule: dated before undated, earliest first, then first seen."""
    published = (
        _as_utc(member.published_at) if member.published_at else datetime.max.replace(tzinfo=UTC)
    )
    return (member.published_at is None, published, _as_utc(member.first_seen), member.id)


def _find(parent: dict[str, str], item: str) -> str:
    root = item
    while parent[root] != root:
        root = parent[root]
    while parent[item] != root:  # path compression
        parent[item], item = root, parent[item]
    return root


def assign_clusters(
    members: Iterable[ClusterMember], pairs: Iterable[tuple[str, str]]
) -> dict[str, ClusterAssignment]:
    """Cluster every member: connected components of ``pairs``, canonical by ``canonical_order``.

    A member in no pair is its own cluster. Every id in ``pairs`` must be among ``members``
    (the caller loads the neighbours' current clusters before calling); a duplicated member id
    is an error, since the two records could disagree on dates.
    """
    by_id: dict[str, ClusterMember] = {}
    for member in members:
        if member.id in by_id and by_id[member.id] != member:
            raise ValueError(f"member {member.id} given twice with different dates")
        by_id[member.id] = member
    parent = {member_id: member_id for member_id in by_id}
    for left, right in pairs:
        for end in (left, right):
            if end not in parent:
                raise ValueError(f"pair names {end}, which is not among the members")
        root_left, root_right = _find(parent, left), _find(parent, right)
        if root_left != root_right:
            parent[max(root_left, root_right)] = min(root_left, root_right)
    components: dict[str, list[ClusterMember]] = {}
    for member_id, member in by_id.items():
        components.setdefault(_find(parent, member_id), []).append(member)
    assignments: dict[str, ClusterAssignment] = {}
    for component in components.values():
        canonical = min(component, key=canonical_order).id
        for member in component:
            duplicate_of = None if member.id == canonical else canonical
            assignments[member.id] = ClusterAssignment(canonical, duplicate_of)
    return assignments
