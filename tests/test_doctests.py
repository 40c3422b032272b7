"""Every example written in a docstring runs, and says what it prints: a docstring that lies fails here. The API's
examples run against the demo database (regkb/kb.py opens $REGKB_DB)."""

from __future__ import annotations

import doctest
import importlib

import pytest

from tests.conftest import demo_database
from tests.test_architecture import modules

EXAMPLES = [name for name, _ in modules() if not name.startswith("datasette.") and not name.endswith("__main__")]


@pytest.mark.parametrize("name", EXAMPLES)
def test_docstring_examples_run(name, monkeypatch):
    module = importlib.import_module(name)
    if name == "regkb.kb":
        monkeypatch.setenv("REGKB_DB", str(demo_database()))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False)
    assert result.failed == 0, f"{result.failed} of {name}'s {result.attempted} docstring examples fail: " \
                               f"python -m doctest -v {module.__file__}"


def test_the_examples_are_many():
    counted = sum(doctest.DocTestFinder().find(importlib.import_module(name)).__len__() for name in EXAMPLES)
    examples = sum(len(test.examples) for name in EXAMPLES
                   for test in doctest.DocTestFinder().find(importlib.import_module(name)))
    assert counted and examples >= 30
