"""The seed file format: names, date header, and render → parse → render stability."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.article import ArticleDate
from monitor.errors import SeedFormatError
from monitor.seedformat import parse_seed, parse_seed_name, render_seed, seed_file_name
from tests.conftest import SEEDS


def test_names_carry_sequence_and_id() -> None:
    assert parse_seed_name("004_5f9aaa8fe0df4825.txt") == (4, "5f9aaa8fe0df4825")
    assert parse_seed_name("1000_5f9aaa8fe0df4825.txt") == (1000, "5f9aaa8fe0df4825")
    assert seed_file_name(7, "5f9aaa8fe0df4825") == "007_5f9aaa8fe0df4825.txt"
    assert seed_file_name(1000, "5f9aaa8fe0df4825") == "1000_5f9aaa8fe0df4825.txt"


@pytest.mark.parametrize(
    "name", ["4_5f9aaa8fe0df4825.txt", "004_5F9AAA8FE0DF4825.txt", "004_5f9a.txt", "notes.txt"]
)
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(SeedFormatError, match="not a seed file name"):
        parse_seed_name(name)


def test_date_header_is_a_month() -> None:
    seed = parse_seed("003_a2f0a24b22965ef1.txt", (SEEDS / "003_a2f0a24b22965ef1.txt").read_bytes())
    assert seed.published == ArticleDate("2024-02", "month", "seed")
    assert seed.body.startswith("La startup française Mistral AI")
    undated = parse_seed("001_76b5440ce6d7ba29.txt", b"Un texte.")
    assert undated.published is None and undated.body == "Un texte."


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("00[34]_*.txt")))
def test_clean_seeds_render_byte_identical(name: str) -> None:
    raw = (SEEDS / name).read_bytes()
    seed = parse_seed(name, raw)
    assert render_seed(seed.body, seed.published).encode("utf-8") == raw


def test_year_precision_cannot_be_written_and_is_left_out() -> None:
    assert render_seed("Texte.", ArticleDate("2024", "year", "url")) == "Texte."
    assert (
        render_seed("Texte.", ArticleDate("2024-02-26", "day", "jsonld")) == " date 2024-02 Texte."
    )


_paragraph = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
    )
    .map(str.strip)
    .filter(bool)
)
_month = st.builds(lambda y, m: ArticleDate(f"{y:04d}-{m:02d}", "month", "seed"),
                   st.integers(1990, 2100), st.integers(1, 12))  # fmt: skip


@given(st.lists(_paragraph, min_size=1, max_size=8), st.none() | _month)
def test_render_parse_render_is_stable(
    paragraphs: list[str], published: ArticleDate | None
) -> None:
    text = "\n\n".join(paragraphs)
    rendered = render_seed(text, published)
    seed = parse_seed("012_0123456789abcdef.txt", rendered.encode("utf-8"))
    assert seed.published == published
    assert render_seed(seed.body, seed.published) == rendered
