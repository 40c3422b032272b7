"""Entities in a document's text, by rules and data shipped in the package (no model is downloaded): each
component scans the text for one label (ORG, REGULATOR, PERSON, MONEY, LAW, GPE, DATE), and of overlapping
candidates the longest wins (a regulator's name inside a longer organisation loses to it).

    >>> [(e.text, e.label) for e in find_entities("崇左银保监分局对中国工商银行股份有限公司崇左分行罚款人民币50万元")]
    [('崇左银保监分局', 'REGULATOR'), ('中国工商银行股份有限公司崇左分行', 'ORG'), ('人民币50万元', 'MONEY')]

The same components make regkb's spaCy pipeline (nlp/spacy_pipeline.py), whose ``doc.ents`` are these entities
over jieba's tokens; extraction reads them here, without segmenting, and MONEY carries its yuan, LAW its law and
article.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from nlp.data import load
from nlp.fields.amounts import find_amounts
from nlp.fields.authorities import regulator_pattern, trie_pattern
from nlp.fields.legal_basis import read_citations
from nlp.fields.regions import gazetteer
from nlp.records import Entity
from nlp.text import _DATE_PATTERNS, folded_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc

CANDIDATES = "regkb_candidates"


def entity_patterns() -> dict:
    return load("entities.yaml")


def _propose(doc: Doc, start: int, end: int, label: str, **attributes) -> None:
    # The tokenizer split jieba's words at every boundary the scanners found, so the span aligns exactly.
    span = doc.char_span(start, end, label=label, alignment_mode="strict") or doc.char_span(
        start, end, label=label, alignment_mode="expand")
    if span is None:
        return
    for key, value in attributes.items():
        setattr(span._, key, value)
    doc.spans.setdefault(CANDIDATES, [])
    doc.spans[CANDIDATES].append(span)


Match = tuple[int, int, dict]


class _RegexComponent:
    """Matches of ``patterns``; with ``lines_holding``, words one of which every match holds, in a line of its own:
    only the lines holding one are searched."""

    label = ""

    def __init__(self, patterns: list[str], lines_holding: list[str] | None = None):
        self.patterns = [re.compile(p) for p in patterns]
        self.holding = re.compile("|".join(map(re.escape, lines_holding))) if lines_holding else None

    def scan(self, text: str, known: tuple[tuple[str, str], ...] = ()) -> list[Match]:
        found = []
        spans = _lines_holding(self.holding, text) if self.holding else [(0, len(text))]
        for pattern in self.patterns:
            for line_start, line_end in spans:
                for match in pattern.finditer(text, line_start, line_end):
                    start, end = match.span("name") if "name" in pattern.groupindex and match["name"] else match.span()
                    found.append((start, end, {}))
        return found

    def __call__(self, doc: Doc) -> Doc:
        for start, end, attributes in scanned(doc, self.label, self.scan):
            _propose(doc, start, end, self.label, **attributes)
        return doc


def _lines_holding(words: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` in which ``words`` finds something, in order. (Searched from its
    start, a line's first match sees the line break before it, as in the whole text.)"""
    spans: list[tuple[int, int]] = []
    for found in words.finditer(text):
        if spans and found.start() < spans[-1][1]:
            continue   # in the line taken already
        end = text.find("\n", found.end())
        spans.append((text.rfind("\n", 0, found.start()) + 1, len(text) if end < 0 else end))
    return spans


def scanned(doc: Doc, label: str, scan) -> list[Match]:
    """What the boundary tokenizer already found for ``label``, or a fresh scan of the text."""
    cache = doc.user_data.get("regkb_scans")
    if cache is not None and label in cache:
        return cache[label]
    return trimmed(doc.text, scan(doc.text, tuple(doc._.known)))


def trimmed(text: str, matches: list[Match]) -> list[Match]:
    """Matches without white space at their edges (a pattern's ``\\s*`` must not make an entity of a space), the
    empty ones dropped."""
    out = []
    for start, end, attributes in matches:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end, attributes))
    return out


class _KnownNamesMixin:
    """Also the names the document's own fields give for this label: its parties, and the abbreviations it declares
    (「太平财产保险有限公司（以下简称太平财险）」 makes every later 太平财险 an ORG), which no suffix rule catches."""

    label = ""

    def scan(self, text: str, known: tuple[tuple[str, str], ...] = ()) -> list[Match]:
        found = super().scan(text)
        for name, label in known:
            if label == self.label and name:   # an empty name would be an empty match, which trimmed drops
                found.extend(_occurrences(name, text))
        return found


def _occurrences(name: str, text: str) -> list[Match]:
    """Where ``name`` stands in ``text``, left to right, none overlapping (as a pattern of its letters finds it)."""
    found, start = [], text.find(name)
    while start >= 0:
        found.append((start, start + len(name), {}))
        start = text.find(name, start + len(name))
    return found


class OrgComponent(_KnownNamesMixin, _RegexComponent):
    """Financial institutions by the way their names end, and by the names and abbreviations the document gives.

    「对中国工商银行股份有限公司成都分行罚款」 → ORG 中国工商银行股份有限公司成都分行"""

    label = "ORG"


class RegulatorComponent(_RegexComponent):
    """Regulators across the reforms: 崇左银保监分局, 国家金融监督管理总局宁夏监管局, 中国人民银行成都分行.

    「宁夏银保监局对某银行罚款」 → REGULATOR 宁夏银保监局"""

    label = "REGULATOR"


class PersonComponent(_KnownNamesMixin, _RegexComponent):
    """People: a short name addressed by a sanction, or named after their former post; and the individual parties
    the document's own fields name.

    「对张某警告」 → PERSON 张某"""

    label = "PERSON"


class _FunctionComponent:
    """A component whose matches come from one of regkb's readers (amounts, citations, dates, the gazetteer)."""

    label = ""

    def __call__(self, doc: Doc) -> Doc:
        for start, end, attributes in scanned(doc, self.label, self.scan):
            _propose(doc, start, end, self.label, **attributes)
        return doc


class MoneyComponent(_FunctionComponent):
    """Amounts of money with their value in yuan: 「罚款人民币叁拾万元」 → MONEY 人民币叁拾万元 (yuan=300000)."""

    label = "MONEY"

    def scan(self, text: str, known=()) -> list[Match]:
        folded, back = folded_spans(text)   # find_amounts reads the folded text
        return [(*back(a.start, a.end), {"yuan": a.yuan}) for a in find_amounts(folded)]


_LAW_SPAN = re.compile(r"《[^《》]+》(?:[(（][^()（）]{0,40}[)）])?(?:第?[\d一二三四五六七八九十百零〇两]+条"
                       r"(?:第[\d一二三四五六七八九十]+款)?(?:第?[(（]?[\d一二三四五六七八九十]+[)）]?项)?)?")


class LawComponent(_FunctionComponent):
    """Laws and articles: 「《中华人民共和国银行业监督管理法》第四十六条」 → LAW (law=…, article=第四十六条)."""

    label = "LAW"

    def scan(self, text: str, known=()) -> list[Match]:
        found = []
        folded, back = folded_spans(text)
        for match in _LAW_SPAN.finditer(folded):
            cited = _first_citation(match.group(0))
            if cited:
                found.append((*back(match.start(), match.end()), {"law": cited[0], "article": cited[1]}))
        return found


@lru_cache(maxsize=4096)   # decisions cite the same few laws and articles in the same words
def _first_citation(span: str) -> tuple[str, str | None] | None:
    """The law and article a 「《…》第…条」 span cites first, or None when it cites none."""
    citations = read_citations(span)
    return (citations[0].law, citations[0].article) if citations else None


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern:
    places = gazetteer()
    return re.compile(trie_pattern({name for name in list(places.provinces) + list(places.cities) if len(name) >= 2}))


class GpeComponent(_FunctionComponent):
    """Provinces and cities from the gazetteer: 「浙江省衢州市」 → GPE 浙江省, GPE 衢州市."""

    label = "GPE"

    def scan(self, text: str, known=()) -> list[Match]:
        return [(m.start(), m.end(), {}) for m in _place_pattern().finditer(text)]


class DateComponent(_FunctionComponent):
    """Dates: 「2018年6月28日」「二〇一八年六月二十八日」 → DATE."""

    label = "DATE"

    def scan(self, text: str, known=()) -> list[Match]:
        folded, back = folded_spans(text)
        return [(*back(m.start(), m.end()), {}) for pattern in _DATE_PATTERNS for m in pattern.finditer(folded)]


# Which label wins when two candidates cover the same characters exactly.
_PRIORITY = {"LAW": 0, "MONEY": 1, "DATE": 2, "REGULATOR": 3, "ORG": 4, "PERSON": 5, "GPE": 6}


def resolve(candidates: list[tuple[int, int, str, object]]) -> list[tuple[int, int, str, object]]:
    """Of overlapping candidates ``(start, end, label, payload)`` (in the pipeline's order), keep the longest in
    characters, then the earliest, then by the label order LAW, MONEY, DATE, REGULATOR, ORG, PERSON, GPE; the kept
    ones in text order. 「中国工商银行股份有限公司成都分行」 stays one ORG, not GPE 成都 inside it."""
    ranked = sorted(candidates, key=lambda c: (c[0] - c[1], c[0], _PRIORITY.get(c[2], 9)))   # stable: ties in order
    taken = bytearray(max((c[1] for c in candidates), default=0))   # 1 where a kept candidate stands
    kept = []
    for candidate in ranked:
        start, end = candidate[0], candidate[1]
        if taken.find(1, start, end) < 0:
            kept.append(candidate)
            taken[start:end] = b"\x01" * (end - start)
    return sorted(kept, key=lambda c: c[0])


def _patterns(reference: str) -> list[str]:
    """「entities.yaml#ORG」: the ORG patterns of nlp/data/entities.yaml."""
    name, _, key = reference.partition("#")
    return load(name)[key]


# Each component by its name in the spaCy pipeline: its configuration (the data its rules come from, as
# ``nlp.config`` shows it) and how it is made from that configuration.
COMPONENTS = {
    "regkb_law": ({"reader": "nlp.fields.legal_basis.read_citations", "laws": "laws.yaml"}, lambda c: LawComponent()),
    "regkb_money": ({"reader": "nlp.fields.amounts.find_amounts"}, lambda c: MoneyComponent()),
    "regkb_date": ({"reader": "nlp.text.parse_date"}, lambda c: DateComponent()),
    "regkb_regulator": ({"patterns": "regulators.yaml"}, lambda c: RegulatorComponent([regulator_pattern().pattern])),
    "regkb_org": ({"patterns": "entities.yaml#ORG", "lines_holding": "entities.yaml#ORG_lines_holding"},
                  lambda c: OrgComponent(_patterns(c["patterns"]),
                                         _patterns(c["lines_holding"]) if c.get("lines_holding") else None)),
    "regkb_person": ({"patterns": "entities.yaml#PERSON"}, lambda c: PersonComponent(_patterns(c["patterns"]))),
    "regkb_gpe": ({"gazetteer": "regions.csv"}, lambda c: GpeComponent()),
}

PIPES = ("regkb_law", "regkb_money", "regkb_date", "regkb_regulator", "regkb_org", "regkb_person", "regkb_gpe",
         "regkb_entities")


def user_dictionary() -> str:
    """jieba's extra words, one per line with a frequency: gazetteer places, groups, regulators, legal terms."""
    words: set[str] = set(entity_patterns()["terms"])
    places = gazetteer()
    words |= {name for name in list(places.provinces) + list(places.cities) if len(name) >= 2}
    institutions = load("institutions.yaml")
    for group in institutions["groups"]:
        words |= set(group["names"]) | {group["parent"]}
    words |= set(institutions["foreign_banks"])
    for entry in load("laws.yaml"):
        words |= {entry["law"], *(entry.get("aliases") or [])}
    return "".join(f"{word} 2000\n" for word in sorted(words) if " " not in word)


def make_component(name: str, config: dict | None = None):
    default, make = COMPONENTS[name]
    return make({**default, **(config or {})})


@lru_cache(maxsize=1)
def scanners() -> dict:
    """Each component's scan by its label, in the pipeline's order."""
    made = [make_component(name) for name in PIPES if name in COMPONENTS]
    return {component.label: component.scan for component in made}


def scan_all(scanners: dict, text: str, known: tuple[tuple[str, str], ...] = ()) -> dict[str, list[Match]]:
    """Each component's matches in ``text``, trimmed, by label in the pipeline's order."""
    return {label: trimmed(text, scan(text, known)) for label, scan in scanners.items()}


def find_entities(text: str, known: tuple[tuple[str, str], ...] = ()) -> list[Entity]:
    """The entities of ``text``: what the spaCy pipeline's ``doc.ents`` are (nlp/spacy_pipeline.py), read from the
    components' scans directly. Every scanned span is a whole number of the Doc's tokens (its tokenizer cuts at
    them), so no segmentation is needed to know them, and none is done. What extraction uses; a test checks that
    the two agree.

    >>> [(e.text, e.label, e.yuan) for e in find_entities("崇左银保监分局对某银行罚款人民币50万元")]
    [('崇左银保监分局', 'REGULATOR', None), ('某银行', 'ORG', None), ('人民币50万元', 'MONEY', 500000.0)]
    """
    scans = scan_all(scanners(), text, tuple(known))
    candidates = [(start, end, label, attributes) for label, matches in scans.items()
                  for start, end, attributes in matches]
    return [Entity(text[start:end], label, start, end, attributes.get("yuan"), attributes.get("law"),
                   attributes.get("article")) for start, end, label, attributes in resolve(candidates)]
