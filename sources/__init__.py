"""The regulators regkb reads, one folder each, and the one registry of them.

A source is a folder here holding everything about one regulator's site::

    sources/<name>/
        source.yaml     its facts: publisher, base URL, endpoints, item ids or sites, politeness, expected counts
        spider.py       its Scrapy spider: the lists and documents at the real endpoints (crawler/spider.py's base)
        document.py     its document reader: an archived body of this site → a Reading (its decisions, read by
                        nlp/; what to show of it): ``read(body, **where)``; and for `regkb parse FILE`,
                        ``recognises(body, suffix)`` and ``analyse_file(body, doc_id=, path=)``
        mirror.py       how the loopback mirror answers at this site's paths from a corpus folder (``answer``)
        README.md       the site: its endpoints and page structures as recorded, and which public scrapers agree
        demo/           the bundled demo corpus the mirror serves for `regkb demo` (its README says what is real)

and beside it, ``tests/sources/<name>/``: its saved responses and its tests. Adding a regulator is one new folder
here and one there; nothing else names the sources (the CLI, the mirror, the build and `regkb parse` ask this
registry).

    >>> names()
    ['csrc', 'csrc_texts', 'neris', 'nfra', 'nfra_texts', 'pboc', 'pboc_texts']
    >>> get("pboc").facts.publisher
    "中国人民银行 The People's Bank of China"
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

from crawler.facts import Facts, load_facts

SOURCES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Source:
    """One regulator's folder. Its modules are imported when first asked for (extraction never loads Scrapy)."""

    name: str
    folder: Path

    @property
    def facts(self) -> Facts:
        return load_facts(self.folder / "source.yaml")

    @property
    def demo_corpus(self) -> Path:
        return self.folder / "demo"

    def module(self, part: str) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.name}.{part}")

    @cached_property
    def reader(self) -> ModuleType:
        """``document.py``: ``read(body, *, doc_id, url, sha256, listing, item_id) -> Reading``."""
        return self.module("document")

    @cached_property
    def spider(self) -> type:
        """The spider class ``spider.py`` defines for this source (the one whose ``name`` is the folder's)."""
        from crawler.spider import RegulatorSpider

        module = self.module("spider")
        found = [value for value in vars(module).values() if isinstance(value, type)
                 and issubclass(value, RegulatorSpider) and getattr(value, "name", None) == self.name]
        if len(found) != 1:
            raise LookupError(f"sources/{self.name}/spider.py defines {len(found)} spiders named {self.name!r}, not 1")
        return found[0]

    @cached_property
    def mirror(self) -> ModuleType:
        """``mirror.py``: ``answer(corpus, request) -> (status, content type, body) | None``."""
        return self.module("mirror")


def _discover() -> dict[str, Source]:
    """Every folder holding a source.yaml, in this package's folders (``__path__``: this one, and any a test adds)."""
    found: dict[str, Source] = {}
    for root in map(Path, __path__):
        for folder in sorted(root.iterdir()):
            if (folder / "source.yaml").is_file():
                found.setdefault(folder.name, Source(folder.name, folder))
    return dict(sorted(found.items()))


_SOURCES = _discover()


def refresh() -> None:
    """Look for source folders again (after a folder was added to ``sources.__path__``)."""
    global _SOURCES
    _SOURCES = _discover()


def names() -> list[str]:
    return list(_SOURCES)


def all_sources() -> list[Source]:
    return list(_SOURCES.values())


def get(name: str) -> Source:
    if name not in _SOURCES:
        raise KeyError(f"no source {name!r}: known sources are {', '.join(_SOURCES)}")
    return _SOURCES[name]


def load_source(name: str) -> Facts:
    """The facts of the source ``name`` (its source.yaml)."""
    return get(name).facts


def mirror(corpus: Path | None = None, *, host: str = "127.0.0.1", port: int = 0, **options):
    """A loopback mirror of every source's site (crawler/mirror.py), each serving ``corpus/<name>/`` (default: its
    own demo corpus, ``sources/<name>/demo/``). ``options`` go to every site (the PBOC's ``challenge=True``)."""
    from crawler.mirror import Mirror

    sites = [source.mirror.Site(Path(corpus) / source.name if corpus else source.demo_corpus, **options)
             for source in all_sources()]
    return Mirror(sites, host=host, port=port)
