"""The spaCy pipeline: ``spacy.blank("zh")`` with the jieba segmenter, jieba's dictionary extended from regkb's
gazetteers, and rule-based entity components registered with spaCy.

    >>> doc = regkb_nlp()("崇左银保监分局对中国工商银行股份有限公司崇左分行罚款人民币50万元")
    >>> [(e.text, e.label_) for e in doc.ents]
    [('崇左银保监分局', 'REGULATOR'), ('中国工商银行股份有限公司崇左分行', 'ORG'), ('人民币50万元', 'MONEY')]

Each component proposes character spans into ``doc.spans["regkb_candidates"]``; ``regkb_entities`` keeps the longest
of overlapping candidates (a regulator's name inside a longer organisation loses to it) and sets ``doc.ents``.
MONEY spans carry ``span._.yuan``; LAW spans ``span._.law`` (the full law name) and ``span._.article``.
No model is downloaded: everything here is rules and data shipped in the package.
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.data import load
from nlp.fields.amounts import find_amounts
from nlp.fields.authorities import regulator_pattern, trie_pattern
from nlp.fields.legal_basis import read_citations
from nlp.fields.regions import gazetteer
from nlp.records import Entity
from nlp.text import _DATE_PATTERNS, folded_spans

CANDIDATES = "regkb_candidates"

for _name in ("yuan", "law", "article"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("known"):
    Doc.set_extension("known", default=())   # (name, label) pairs the document's own fields give


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
    label = ""

    def __init__(self, patterns: list[str]):
        self.patterns = [re.compile(p) for p in patterns]

    def scan(self, text: str, known: tuple[tuple[str, str], ...] = ()) -> list[Match]:
        found = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                start, end = match.span("name") if "name" in pattern.groupindex and match["name"] else match.span()
                found.append((start, end, {}))
        return found

    def __call__(self, doc: Doc) -> Doc:
        for start, end, attributes in scanned(doc, self.label, self.scan):
            _propose(doc, start, end, self.label, **attributes)
        return doc


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
            if label == self.label:
                found.extend((m.start(), m.end(), {}) for m in re.finditer(re.escape(name), text))
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
            citations = read_citations(match.group(0))
            if citations:
                found.append((*back(match.start(), match.end()),
                               {"law": citations[0].law, "article": citations[0].article}))
        return found


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
    ranked = sorted(candidates, key=lambda c: _PRIORITY.get(c[2], 9))
    ranked.sort(key=lambda c: (c[1] - c[0], -c[0]), reverse=True)
    taken: set[int] = set()
    kept = []
    for candidate in ranked:
        start, end = candidate[0], candidate[1]
        if not taken.intersection(range(start, end)):
            kept.append(candidate)
            taken.update(range(start, end))
    return sorted(kept, key=lambda c: c[0])


def entities_component(doc: Doc) -> Doc:
    """doc.ents from the components' candidates, resolved by :func:`resolve`."""
    candidates = [(span.start_char, span.end_char, span.label_, span) for span in doc.spans.get(CANDIDATES, [])]
    doc.ents = [span for *_, span in resolve(candidates)]
    return doc


# Each component declares what it writes (``assigns``) and its configuration, so ``nlp.config`` describes the rules:
# which data file each reads its patterns from, and the label it proposes.
_PROPOSES = ["doc.spans"]


@Language.factory("regkb_org", assigns=_PROPOSES, default_config={"patterns": "entities.yaml#ORG"})
def make_org(nlp, name, patterns: str):
    return OrgComponent(_patterns(patterns))


@Language.factory("regkb_regulator", assigns=_PROPOSES, default_config={"patterns": "regulators.yaml"})
def make_regulator(nlp, name, patterns: str):
    return RegulatorComponent([regulator_pattern().pattern])


@Language.factory("regkb_person", assigns=_PROPOSES, default_config={"patterns": "entities.yaml#PERSON"})
def make_person(nlp, name, patterns: str):
    return PersonComponent(_patterns(patterns))


@Language.factory("regkb_money", assigns=_PROPOSES, default_config={"reader": "nlp.fields.amounts.find_amounts"})
def make_money(nlp, name, reader: str):
    return MoneyComponent()


@Language.factory("regkb_law", assigns=_PROPOSES,
                  default_config={"reader": "nlp.fields.legal_basis.read_citations", "laws": "laws.yaml"})
def make_law(nlp, name, reader: str, laws: str):
    return LawComponent()


@Language.factory("regkb_gpe", assigns=_PROPOSES, default_config={"gazetteer": "regions.csv"})
def make_gpe(nlp, name, gazetteer: str):
    return GpeComponent()


@Language.factory("regkb_date", assigns=_PROPOSES, default_config={"reader": "nlp.text.parse_date"})
def make_date(nlp, name, reader: str):
    return DateComponent()


Language.component("regkb_entities", func=entities_component, assigns=["doc.ents"], requires=["doc.spans"])


def _patterns(reference: str) -> list[str]:
    """「entities.yaml#ORG」: the ORG patterns of nlp/data/entities.yaml."""
    name, _, key = reference.partition("#")
    return load(name)[key]


class BoundaryTokenizer:
    """jieba's words, split wherever an entity scanner found a boundary inside one, so that every entity is a
    whole number of tokens (「对张雄师」 segmented as one word still yields PERSON 张雄师). The scans are kept in
    ``doc.user_data["regkb_scans"]`` for the components, so each text is scanned once."""

    def __init__(self, vocab, scanners: dict):
        self.vocab = vocab
        self.scanners = scanners

    def make(self, text: str, known: tuple[tuple[str, str], ...] = ()) -> Doc:
        scans = scan_all(self.scanners, text, known)
        cuts = sorted({offset for matches in scans.values() for start, end, _ in matches for offset in (start, end)})
        words: list[str] = []
        spaces: list[bool] = []
        start = 0
        for word in segmenter().cut(text, cut_all=False):
            if not word:
                continue
            end = start + len(word)
            if word == " " and words and not spaces[-1]:
                # jieba keeps a space as a word of its own; spaCy wants it as the previous token's trailing space
                spaces[-1] = True
                start = end
                continue
            previous = start
            for cut in cuts[bisect_right(cuts, start):bisect_left(cuts, end)]:
                words.append(text[previous:cut])
                spaces.append(False)
                previous = cut
            words.append(text[previous:end])
            spaces.append(False)
            start = end
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["regkb_scans"] = scans
        doc._.known = tuple(known)
        return doc

    def __call__(self, text: str) -> Doc:
        return self.make(text)

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


@lru_cache(maxsize=1)
def segmenter():
    """jieba with regkb's words, loaded when a text is first segmented (about a second): reading entities needs
    no segmentation (:func:`find_entities`), a Doc does."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.load_userdict(io.StringIO(user_dictionary()))
    return jieba


def scan_all(scanners: dict, text: str, known: tuple[tuple[str, str], ...] = ()) -> dict[str, list[Match]]:
    """Each component's matches in ``text``, trimmed, by label in the pipeline's order."""
    return {label: trimmed(text, scan(text, known)) for label, scan in scanners.items()}


@lru_cache(maxsize=1)
def regkb_nlp() -> Language:
    """The pipeline, built once per process. Its tokenizer segments with jieba (loaded at the first text) and cuts
    at every boundary the components' scanners found; spaCy's own segmenter is not used, so it stays the default."""
    nlp = spacy.blank("zh")
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    scanners = {component.label: component.scan for _, component in nlp.pipeline if hasattr(component, "scan")}
    nlp.tokenizer = BoundaryTokenizer(nlp.vocab, scanners)
    return nlp


def analyse(text: str, known: tuple[tuple[str, str], ...] = ()) -> Doc:
    """Run the pipeline on ``text`` (``nlp(doc)``), telling the ORG and PERSON components the (name, label) pairs
    the document's own fields give: the tokenizer cuts at them, and they ride on the Doc (``doc._.known``)."""
    nlp = regkb_nlp()
    doc = nlp.tokenizer.make(text, tuple(known))
    return nlp(doc)


def find_entities(text: str, known: tuple[tuple[str, str], ...] = ()) -> list[Entity]:
    """The entities :func:`analyse` gives (``doc.ents``), read from the components' scans directly: every scanned
    span is a whole number of the Doc's tokens (the tokenizer cuts at them), so no segmentation is needed to know
    them, and none is done. What the extraction uses; a test checks the two agree.

    >>> [(e.text, e.label, e.yuan) for e in find_entities("崇左银保监分局对某银行罚款人民币50万元")]
    [('崇左银保监分局', 'REGULATOR', None), ('某银行', 'ORG', None), ('人民币50万元', 'MONEY', 500000.0)]
    """
    scans = scan_all(regkb_nlp().tokenizer.scanners, text, tuple(known))
    candidates = [(start, end, label, attributes) for label, matches in scans.items()
                  for start, end, attributes in matches]
    return [Entity(text[start:end], label, start, end, attributes.get("yuan"), attributes.get("law"),
                   attributes.get("article")) for start, end, label, attributes in resolve(candidates)]
