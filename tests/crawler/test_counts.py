"""The count assertions of a source's YAML (``expected``), checked after a crawl that walked every list."""

from __future__ import annotations

from pathlib import Path

from crawler.run import count_problems

EXPECTED = {"min_documents_per_full_crawl": 50, "max_documents_per_full_crawl": 5000}


def test_a_count_inside_the_bounds_is_no_problem():
    assert count_problems("nfra", EXPECTED, 50, Path("/archive")) == []
    assert count_problems("nfra", EXPECTED, 5000, Path("/archive")) == []


def test_too_few_documents_after_a_full_crawl_is_a_problem_with_what_to_do():
    problem, = count_problems("nfra", EXPECTED, 12, Path("/archive"))
    assert "12 nfra documents" in problem.reason and "fewer than 50" in problem.reason
    assert "sources/nfra/source.yaml" in problem.hint


def test_too_many_documents_is_a_problem_too():
    problem, = count_problems("csrc", EXPECTED, 5001, Path("/archive"))
    assert "more than 5000" in problem.reason


def test_a_source_without_bounds_asserts_nothing():
    assert count_problems("pboc", {}, 0, Path("/archive")) == []
