"""Quality gate: extraction scores on committed real pages must not fall below the baseline.

Like trafilatura's own ``eval_gate``: a small fixed corpus (twelve fundus pages, see
``tests/fixtures/extraction/README.md``) and a stored baseline. Raise the baseline when the
extractor improves; the full 258-page comparison is ``bench/extraction.py``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from monitor.extraction import extract_page
from monitor.extraction.evaluation import (
    GoldPage,
    Prediction,
    Scores,
    load_gold_pages,
    score_pages,
)

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


def _predict(page: GoldPage) -> tuple[Prediction, str | None]:
    draft = extract_page(page.html, page.url).draft
    assert draft is not None, f"{page.name}: no article extracted"
    day = draft.published.first_day().isoformat() if draft.published else None
    return Prediction(draft.text, draft.title, draft.authors, day, draft.language), draft.site_name


@pytest.fixture(scope="module")
def scores() -> Scores:
    pages = load_gold_pages(FIXTURES / "pages", "*.expected.json")
    assert len(pages) == 12
    results = [_predict(page) for page in pages]
    return score_pages(pages, [r[0] for r in results], [r[1] for r in results])


BASELINE = json.loads((FIXTURES / "gate_baseline.json").read_text(encoding="utf-8"))
METRICS = [f.name for f in dataclasses.fields(Scores) if f.name != "pages"]


@pytest.mark.parametrize("metric", METRICS)
def test_score_does_not_fall_below_baseline(scores: Scores, metric: str) -> None:
    floor = BASELINE[metric] - BASELINE["tolerance"]
    assert getattr(scores, metric) >= floor, (
        f"{metric} fell to {getattr(scores, metric):.3f} (baseline {BASELINE[metric]:.3f})"
    )
