"""The extractor against the hand-annotated gold set, with a floor under each field of each set: tests/gold/dev
(rules may be written against it) and tests/gold/test (held out: no rule was). The floors sit just under the measured
scores, so that a regression fails; raise them when the scores rise."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from pipeline.evaluate import Score, document_of, evaluate, gold_sets
from regkb.cli import cli
from tests.conftest import REPO, TESTS

GOLD = TESTS / "gold"
DEV, TEST = GOLD / "dev", GOLD / "test"
FLOORS = {"fines": 0.95, "parties": 0.95, "province": 0.98, "citations": 0.90, "categories": 0.85,
          "doc_type": 0.95, "authority_id": 0.95, "decision_date": 0.95, "decision_no": 0.95, "sanctions": 0.90,
          "mentions": 0.90}
DEV_FIELDS_RIGHT = 0.985
# The held-out set (tests/gold/test): measured 0.594 with 15 of 30 documents an error before the readers of issue 11,
# 0.948 and none after (regkb evaluate tests/gold; see tests/gold/test/README.md for what that number means).
TEST_FIELDS_RIGHT = 0.90
TEST_FLOORS = {"doc_type": 0.93, "mentions": 0.88}


@pytest.fixture(scope="module")
def report():
    return evaluate(DEV)


def annotations(folder):
    return [a for path in folder.glob("*.yaml") for a in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_gold_sets_have_documents_of_every_kind():
    assert gold_sets(GOLD) == {"dev": DEV, "test": TEST}
    assert len(annotations(DEV)) >= 60 and len(annotations(TEST)) >= 20
    for folder in (DEV, TEST):
        assert {"penalty", "news", "other"} <= {a["doc_type"] for a in annotations(folder)}
        for annotation in annotations(folder):
            assert document_of(folder, annotation).is_file(), annotation


def test_no_document_is_in_both_sets():
    def documents(folder):
        return {document_of(folder, a).read_bytes() for a in annotations(folder)}
    assert not documents(DEV) & documents(TEST)


def test_the_gold_set_copies_no_document_of_the_repository():
    """A document the repository holds elsewhere (a demo document, a recorded fixture) is named by its path."""
    import hashlib
    import subprocess

    tracked = [line for line in subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                                               text=True).stdout.split("\0") if line]
    if not tracked:
        pytest.skip("not a git checkout")
    elsewhere = {hashlib.sha256((REPO / f).read_bytes()).hexdigest() for f in tracked
                 if not f.startswith("tests/gold/") and (REPO / f).is_file()}
    copies = [p.name for folder in (DEV, TEST) for p in (folder / "documents").iterdir()
              if hashlib.sha256(p.read_bytes()).hexdigest() in elsewhere]
    assert copies == []


@pytest.mark.parametrize("field, floor", sorted(FLOORS.items()))
def test_field_meets_its_floor(report, field, floor):
    score = report.scores[field]
    assert score.tp + score.fn > 0, f"{field} has no support in the gold set"
    assert score.f1 >= floor, f"{field}: F1 {score.f1:.3f} < {floor}\n" + "\n".join(
        line for line in report.errors if f": {field}" in line)


def test_dev_fields_right_and_no_failure(report):
    assert report.failed == 0 and report.fields_right >= DEV_FIELDS_RIGHT, report.table()


@pytest.fixture(scope="module")
def held_out():
    return evaluate(TEST)


def test_held_out_fields_right_and_no_failure(held_out):
    assert held_out.failed == 0 and held_out.fields_right >= TEST_FIELDS_RIGHT, held_out.table()


@pytest.mark.parametrize("field, floor", sorted(TEST_FLOORS.items()))
def test_held_out_field_meets_its_floor(held_out, field, floor):
    assert held_out.scores[field].f1 >= floor, held_out.table()


def test_scores_are_counted_the_way_they_are_defined():
    score = Score(tp=8, fp=2, fn=0)
    assert (score.precision, score.recall) == (0.8, 1.0)
    assert round(score.f1, 4) == round(2 * 0.8 / 1.8, 4)


def test_evaluate_command_prints_the_table():
    result = CliRunner().invoke(cli, ["evaluate", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert f"dev: {len(annotations(DEV))} documents" in result.output
    assert f"test: {len(annotations(TEST))} documents" in result.output
    assert "held out" in result.output and "fields right" in result.output
    for field in ("parties", "fines", "province", "citations", "categories"):
        assert field in result.output
