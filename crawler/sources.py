"""Load a source's facts from its YAML (crawler/sources/<name>.yaml) into a typed record."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

SOURCES_DIR = Path(__file__).resolve().parent / "sources"


@dataclass(frozen=True)
class Politeness:
    download_delay: float
    concurrency: int
    autothrottle_target_concurrency: float
    retry_times: int
    backoff_base: float
    backoff_max: float
    user_agent: str
    obey_robots_txt: bool


@dataclass(frozen=True)
class Source:
    source: str
    publisher: str
    base_url: str
    endpoints: dict[str, str]
    item_ids: dict[str, str]
    page_size: int
    publish_date_format: str
    encoding: str
    politeness: Politeness
    expected: dict[str, int] = field(default_factory=dict)

    def url(self, endpoint: str, **values: object) -> str:
        return self.base_url.rstrip("/") + self.endpoints[endpoint].format(**values)


def available() -> list[str]:
    return sorted(path.stem for path in SOURCES_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def load_source(name: str) -> Source:
    """The source's facts, read once per process (the build asks for them per document)."""
    path = SOURCES_DIR / f"{name}.yaml"
    if not path.exists():
        raise KeyError(f"no source {name!r}: known sources are {', '.join(available())}")
    facts = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts["politeness"] = Politeness(**facts["politeness"])
    facts["item_ids"] = {str(key): value for key, value in facts["item_ids"].items()}
    return Source(**facts)
