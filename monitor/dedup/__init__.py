"""Deduplication, the pure part: canonical URLs, exact fingerprints, MinHash + LSH band keys,
the confirming similarity check and the cluster rule. No database, no global state: a store
keeps ``(band_key, article_id)`` rows and calls these functions.
"""

from monitor.dedup.clusters import ClusterAssignment, ClusterMember, assign_clusters
from monitor.dedup.minhash import Signature, band_keys, signature_for
from monitor.dedup.settings import DedupSettings
from monitor.dedup.similarity import PairVerdict, confirm_duplicate
from monitor.dedup.text import exact_duplicate_key, text_fingerprint
from monitor.dedup.urls import canonicalize_url, registered_domain, same_registered_domain

__all__ = [
    "ClusterAssignment",
    "ClusterMember",
    "DedupSettings",
    "PairVerdict",
    "Signature",
    "assign_clusters",
    "band_keys",
    "canonicalize_url",
    "confirm_duplicate",
    "exact_duplicate_key",
    "registered_domain",
    "same_registered_domain",
    "signature_for",
    "text_fingerprint",
]
