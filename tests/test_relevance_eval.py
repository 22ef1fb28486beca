"""Quality gate: relevance and topic figures on the labelled set never drop below the baseline."""

import json
from pathlib import Path

import pytest

from monitor.evaluation import SPLITS, evaluate, format_report, load_labelled

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def records():
    return load_labelled(DATA / "relevance_dev.jsonl")


@pytest.fixture(scope="module")
def baseline():
    return json.loads((DATA / "relevance_baseline.json").read_text("utf-8"))


def test_labelled_set_is_well_formed(records):
    assert 80 <= len(records) <= 550
    assert {r.split for r in records} == set(SPLITS)
    for record in records:
        assert record.relevance in ("about", "passing", "none")
        assert record.url and record.text.strip()
        assert (record.relevance == "about") == bool(record.topics)


@pytest.mark.parametrize("split", SPLITS)
def test_figures_do_not_drop_below_baseline(records, baseline, split):
    report = evaluate(r for r in records if r.split == split)
    floor = baseline[split]
    about = report.relevance["about"]
    assert about.precision >= floor["about_precision"] - 1e-9, format_report(report, split)
    assert about.recall >= floor["about_recall"] - 1e-9, format_report(report, split)
    assert report.topics_micro.f1 >= floor["topics_micro_f1"] - 5e-4, format_report(report, split)
    assert report.other_mistral_about <= floor["other_mistral_about"]


def test_no_other_mistral_is_ever_about(records):
    others = [r for r in records if r.relevance == "none" and "istral" in r.text]
    assert len(others) >= 30
    report = evaluate(others)
    assert report.relevance["about"].fp == 0
    assert report.relevance["passing"].fp == 0
