"""The rules and gazetteers extraction reads, kept as data (README.md here describes each file), and the one loader
of this folder: ``load("sanctions.yaml")`` parses a file once per process.

    >>> load("regions.csv")[0]["province"]
    '北京市'

What ``load`` returns is shared by every caller: read it, never change it.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str):
    """The parsed contents of ``nlp/data/<name>``: YAML as Python values, CSV as a tuple of rows (dicts)."""
    path = DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"no data file {name!r} in {DATA_DIR}")
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as handle:
            return tuple(csv.DictReader(handle))
    raise ValueError(f"{name}: nlp/data holds .yaml and .csv files")
