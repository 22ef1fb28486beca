"""Fingerprints, signatures, band keys, the confirming check and the cluster rule."""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.dedup import (
    ClusterAssignment,
    ClusterMember,
    DedupSettings,
    Signature,
    assign_clusters,
    band_keys,
    confirm_duplicate,
    exact_duplicate_key,
    signature_for,
    text_fingerprint,
)

FIXTURES = Path(__file__).parent / "fixtures" / "dedup"
SETTINGS = DedupSettings()


def _text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


SEED_003 = _text("seed_003.txt")
SEED_004 = _text("seed_004.txt")
LEMONDE = _text("lemonde_2023_09_01.txt")


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --- exact fingerprint -------------------------------------------------------------------


def test_fingerprint_folds_case_spacing_and_punctuation() -> None:
    variant = SEED_003.upper().replace(" ", "  \n").replace(",", " ;")
    assert text_fingerprint(variant) == text_fingerprint(SEED_003)
    assert text_fingerprint(SEED_003) != text_fingerprint(SEED_004)


def test_exact_key_refuses_empty_ish_texts() -> None:
    assert exact_duplicate_key("", SETTINGS) is None
    assert exact_duplicate_key("Mistral", SETTINGS) is None
    assert exact_duplicate_key("Lire aussi.\n\n" * 40, SETTINGS) is None
    assert exact_duplicate_key(SEED_003, SETTINGS) == text_fingerprint(SEED_003)


# --- signatures and band keys ------------------------------------------------------------


def test_signature_round_trips_through_bytes() -> None:
    signature = signature_for(SEED_003, SETTINGS)
    assert signature is not None
    data = signature.to_bytes()
    assert len(data) == 14 + 4 * SETTINGS.num_perm
    assert Signature.from_bytes(data) == signature
    with pytest.raises(ValueError):
        Signature.from_bytes(data[:-1])
    with pytest.raises(ValueError):
        Signature.from_bytes(b"\x09" + data[1:])


def test_signature_is_deterministic_and_estimates_jaccard() -> None:
    first = signature_for(SEED_003, SETTINGS)
    assert first == signature_for(SEED_003, SETTINGS)
    half = "\n\n".join(_paragraphs(SEED_003)[:6])
    estimate = first.estimated_jaccard(signature_for(half, SETTINGS))
    exact = confirm_duplicate(SEED_003, half, SETTINGS).jaccard
    assert abs(estimate - exact) < 0.15
    assert first.estimated_jaccard(signature_for(SEED_004, SETTINGS)) < 0.1


def test_band_keys_are_64_bit_and_band_specific() -> None:
    keys = band_keys(signature_for(SEED_003, SETTINGS))
    assert len(keys) == SETTINGS.bands
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert len(set(keys)) == len(keys)
    assert set(keys).isdisjoint(band_keys(signature_for(SEED_004, SETTINGS)))
    other = DedupSettings(seed=SETTINGS.seed + 1)
    assert set(keys).isdisjoint(band_keys(signature_for(SEED_003, other)))


def test_light_edit_shares_band_keys() -> None:
    edited = SEED_003.replace("Mistral Large", "Mistral-Large").replace("lundi", "mardi")
    edited = "Par notre correspondant (AFP).\n\n" + edited
    shared = set(band_keys(signature_for(SEED_003, SETTINGS))) & set(
        band_keys(signature_for(edited, SETTINGS))
    )
    assert shared


@pytest.mark.parametrize(
    "text", ["", "   \n\n ", "Mistral", "Mistral AI lève des fonds.", "Partager\n\n" * 500]
)
def test_empty_ish_texts_have_no_signature(text: str) -> None:
    assert signature_for(text, SETTINGS) is None


def test_huge_text_is_signed_from_its_first_words() -> None:
    vocabulary = sorted(set((SEED_003 + SEED_004 + LEMONDE).split()))
    rng = random.Random(7)
    huge = " ".join(rng.choice(vocabulary) for _ in range(1_000_000))  # ~8 MB of prose-like text
    signature = signature_for(huge, SETTINGS)
    assert signature is not None
    assert signature == signature_for(huge[: len(huge) // 2], SETTINGS)
    repeated = (SEED_003 + "\n\n") * 2000  # a huge page made of one article repeated
    assert signature_for(repeated, SETTINGS) is None


def test_settings_validate() -> None:
    with pytest.raises(ValueError):
        DedupSettings(num_perm=100, bands=32)
    with pytest.raises(ValueError):
        DedupSettings(jaccard_threshold=1.5)
    assert DedupSettings().rows == 4


# --- confirming check --------------------------------------------------------------------


def test_light_edits_confirmed_by_jaccard() -> None:
    paragraphs = _paragraphs(SEED_004)
    edited = ["Mistral AI : ce qu'il faut savoir (AFP)", *paragraphs]
    edited[3] = edited[3].replace("Les", "Des")
    verdict = confirm_duplicate(SEED_004, "\n\n".join(edited), SETTINGS)
    assert verdict.is_duplicate
    assert verdict.reason == "jaccard"


def test_truncated_copy_confirmed_by_containment() -> None:
    paragraphs = _paragraphs(SEED_004)
    truncated = "\n\n".join(paragraphs[: len(paragraphs) * 2 // 5])
    verdict = confirm_duplicate(SEED_004, truncated, SETTINGS)
    assert verdict.jaccard < SETTINGS.jaccard_threshold
    assert verdict.is_duplicate
    assert verdict.reason == "containment"
    assert verdict.containment > 0.95


def test_distinct_articles_on_one_subject_not_confirmed() -> None:
    verdict = confirm_duplicate(SEED_003, SEED_004, SETTINGS)
    assert not verdict.is_duplicate
    assert verdict.jaccard < 0.05


def test_quoted_paragraph_is_not_a_copy() -> None:
    quoted = _paragraphs(SEED_003)[1]
    short_piece = "Selon Le Monde, la start-up a été claire. " + quoted
    verdict = confirm_duplicate(SEED_003, short_piece, SETTINGS)
    assert verdict.containment > SETTINGS.containment_threshold
    assert not verdict.is_duplicate
    assert verdict.reason == "shared_passage"
    long_piece = LEMONDE + "\n\n" + quoted
    assert not confirm_duplicate(SEED_003, long_piece, SETTINGS).is_duplicate


def test_shared_boilerplate_is_not_a_copy() -> None:
    header = "\n\n".join(_paragraphs(LEMONDE)[:2])
    footer = "Cet article vous est proposé par la rédaction. Abonnez-vous pour lire la suite. " * 3
    page_a = f"{header}\n\n{SEED_003}\n\n{footer}"
    page_b = f"{header}\n\n{SEED_004}\n\n{footer}"
    assert not confirm_duplicate(page_a, page_b, SETTINGS).is_duplicate


_empty_ish = st.one_of(
    st.sampled_from(["", " ", "\n\n", "Mistral", "AFP", "Lire aussi", "Publicité"]),
    st.text(max_size=40),
    st.builds(
        lambda line, times: "\n\n".join([line] * times),
        st.sampled_from(["Partager sur Facebook", "Lire aussi", "Mistral AI lève 600 M€"]),
        st.integers(min_value=1, max_value=300),
    ),
)


@given(_empty_ish, _empty_ish)
def test_empty_ish_texts_never_confirmed(text_a: str, text_b: str) -> None:
    verdict = confirm_duplicate(text_a, text_b, SETTINGS)
    assert not verdict.is_duplicate
    assert exact_duplicate_key(text_a, SETTINGS) is None or exact_duplicate_key(
        text_b, SETTINGS
    ) != exact_duplicate_key(text_a, SETTINGS)


# --- clusters ----------------------------------------------------------------------------

T0 = datetime(2024, 2, 26, 9, 30, tzinfo=UTC)


def _member(member_id: str, published_hours: int | None, seen_hours: int = 0) -> ClusterMember:
    published = None if published_hours is None else T0 + timedelta(hours=published_hours)
    return ClusterMember(member_id, published, T0 + timedelta(days=1, hours=seen_hours))


def test_earliest_published_is_canonical() -> None:
    members = [_member("b", 2), _member("a", 5), _member("c", None), _member("d", 1)]
    result = assign_clusters(members, [("a", "b"), ("b", "c")])
    assert result["b"] == ClusterAssignment("b", None)
    assert result["a"] == ClusterAssignment("b", "b")
    assert result["c"] == ClusterAssignment("b", "b")
    assert result["d"] == ClusterAssignment("d", None)


def test_late_arriving_earlier_copy_takes_over() -> None:
    members = [_member("x", 3), _member("y", 4)]
    assert assign_clusters(members, [("x", "y")])["y"].cluster_id == "x"
    members.append(_member("z", 0, seen_hours=48))
    result = assign_clusters(members, [("x", "y"), ("y", "z")])
    assert {result[i].cluster_id for i in "xyz"} == {"z"}
    assert result["z"].duplicate_of is None
    assert result["x"].duplicate_of == "z"


def test_ties_broken_by_first_seen_then_id() -> None:
    members = [_member("b", None, 1), _member("a", None, 1), _member("c", None, 0)]
    assert assign_clusters(members, [("a", "b"), ("b", "c")])["a"].cluster_id == "c"
    members = [_member("b", 1, 0), _member("a", 1, 0)]
    assert assign_clusters(members, [("a", "b")])["b"].cluster_id == "a"


def test_unknown_pair_member_refused() -> None:
    with pytest.raises(ValueError):
        assign_clusters([_member("a", 1)], [("a", "ghost")])


_ids = st.sampled_from([f"{n:016x}" for n in range(8)])


@st.composite
def _cluster_inputs(draw: st.DrawFn) -> tuple[list[ClusterMember], list[tuple[str, str]]]:
    ids = sorted(draw(st.sets(_ids, min_size=1)))
    members = [
        _member(
            member_id,
            draw(st.one_of(st.none(), st.integers(0, 3))),
            draw(st.integers(0, 2)),
        )
        for member_id in ids
    ]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=12))
    return members, pairs


@settings(max_examples=200)
@given(_cluster_inputs(), st.randoms(use_true_random=False))
def test_assign_clusters_is_order_independent(inputs, rng) -> None:
    members, pairs = inputs
    expected = assign_clusters(members, pairs)
    shuffled_members = list(members)
    shuffled_pairs = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in pairs]
    rng.shuffle(shuffled_members)
    rng.shuffle(shuffled_pairs)
    assert assign_clusters(shuffled_members + members[:1], shuffled_pairs * 2) == expected
    for member_id, assignment in expected.items():
        canonical = expected[assignment.cluster_id]
        assert canonical == ClusterAssignment(assignment.cluster_id, None)
        assert assignment.duplicate_of in (None, assignment.cluster_id)
        assert (assignment.duplicate_of is None) == (member_id == assignment.cluster_id)
