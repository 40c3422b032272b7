"""A source's facts (publisher, base URL, endpoints, item ids, sites, politeness, expected counts), read from its
YAML (``sources/<name>/source.yaml``) into typed records. Knows no particular source: the YAML says it all."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml


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
    download_timeout: float = 30.0   # seconds before a request that gets no answer is given up (then retried)


@dataclass(frozen=True)
class Site:
    """One website of a regulator that publishes its own penalty list (a PBOC branch, a CSRC bureau)."""

    key: str                      # shanghai, head_office, beijing …: what --branch names
    host: str                     # http://shanghai.pbc.gov.cn
    template: str                 # which list markup the site serves (the spider knows each)
    name: str                     # the authority that publishes there, as it named itself
    lists: tuple[str, ...]        # list paths; {page} where the page number goes
    province: str | None = None
    name_after_reform: str | None = None
    channels: tuple[str, ...] = ()    # CSRC: the searchList channel ids of its lists
    kinds: tuple[str, ...] = ()       # CSRC: each channel's document kind (nlp/records.py KINDS); penalty where absent

    def authority_on(self, day: str | None, reform_date: str | None) -> str:
        """The site's authority as named on ``day`` (ISO): before or after the reform that renamed it."""
        if self.name_after_reform and reform_date and day and day >= reform_date:
            return self.name_after_reform
        return self.name


@dataclass(frozen=True)
class Facts:
    source: str
    publisher: str
    base_url: str
    encoding: str
    politeness: Politeness
    endpoints: dict[str, str] = field(default_factory=dict)
    item_ids: dict[str, str] = field(default_factory=dict)
    page_size: int | None = None
    publish_date_format: str | None = None
    expected: dict[str, int] = field(default_factory=dict)
    sites: tuple[Site, ...] = ()
    challenge_markers: tuple[str, ...] = ()
    reform_date: str | None = None
    content_selectors: tuple[str, ...] = ()   # CSS: where a detail page keeps its content, first found wins
    demo_branches: tuple[str, ...] = ()       # the sites the bundled demo corpus holds (`regkb demo` crawls these)
    attachment_hosts: tuple[str, ...] = ()    # hosts besides the sites' own an attachment may be fetched from

    def url(self, endpoint: str, **values: object) -> str:
        return self.base_url.rstrip("/") + self.endpoints[endpoint].format(**values)

    def site(self, name: str) -> Site:
        """A site by its key (shanghai) or by the name of its authority, before or after the reform (上海分行)."""
        wanted = name.strip()
        exact = [site for site in self.sites if wanted in (site.key, site.name, site.name_after_reform)]
        if exact:
            return exact[0]
        partial = [site for site in self.sites if wanted and any(
            wanted in n for n in (site.name, site.name_after_reform or ""))]
        if len(partial) == 1:
            return partial[0]
        if partial:
            raise KeyError(f"{name!r} names {len(partial)} {self.source} sites ({', '.join(s.key for s in partial[:8])}"
                           f"{' …' if len(partial) > 8 else ''}): give one")
        raise KeyError(f"no {self.source} site {name!r}: known are {', '.join(s.key for s in self.sites)}")


@lru_cache(maxsize=None)
def load_facts(path: Path) -> Facts:
    """The facts in the YAML at ``path``, read once per process (the build asks for them per document)."""
    facts = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    facts["politeness"] = Politeness(**facts["politeness"])
    facts["item_ids"] = {str(key): value for key, value in (facts.get("item_ids") or {}).items()}
    facts["sites"] = tuple(Site(**{**site, "lists": tuple(site["lists"]), "channels": tuple(site.get("channels") or ()),
                                 "kinds": tuple(site.get("kinds") or ())})
                           for site in facts.get("sites") or ())
    facts["challenge_markers"] = tuple(facts.get("challenge_markers") or ())
    facts["content_selectors"] = tuple(facts.get("content_selectors") or ())
    facts["demo_branches"] = tuple(facts.get("demo_branches") or ())
    facts["attachment_hosts"] = tuple(facts.get("attachment_hosts") or ())
    return Facts(**facts)
