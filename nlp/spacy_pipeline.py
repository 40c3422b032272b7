"""regkb's spaCy pipeline: ``spacy.blank("zh")`` with a tokenizer of jieba's words (its dictionary extended from
regkb's gazetteers) and the rule-based entity components of nlp/entities.py registered with spaCy, for those who
want a Doc: tokens, ``doc.ents``, ``doc.spans``.

    >>> doc = regkb_nlp()("崇左银保监分局对中国工商银行股份有限公司崇左分行罚款人民币50万元")
    >>> [(e.text, e.label_) for e in doc.ents]
    [('崇左银保监分局', 'REGULATOR'), ('中国工商银行股份有限公司崇左分行', 'ORG'), ('人民币50万元', 'MONEY')]

Each component proposes character spans into ``doc.spans["regkb_candidates"]``; ``regkb_entities`` keeps the longest
of overlapping candidates (nlp.entities.resolve) and sets ``doc.ents``: the entities nlp.entities.find_entities reads
without segmenting. MONEY spans carry ``span._.yuan``; LAW spans ``span._.law`` (the full law name) and
``span._.article``. No model is downloaded.
"""

from __future__ import annotations

import io
import logging
from bisect import bisect_left, bisect_right
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.entities import CANDIDATES, COMPONENTS, PIPES, make_component, resolve, scan_all, user_dictionary

for _name in ("yuan", "law", "article"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("known"):
    Doc.set_extension("known", default=())   # (name, label) pairs the document's own fields give


def entities_component(doc: Doc) -> Doc:
    """doc.ents from the components' candidates, resolved by :func:`resolve`."""
    candidates = [(span.start_char, span.end_char, span.label_, span) for span in doc.spans.get(CANDIDATES, [])]
    doc.ents = [span for *_, span in resolve(candidates)]
    return doc


# Each component declares what it writes (``assigns``) and its configuration, so ``nlp.config`` describes the rules:
# which data file each reads its patterns from, and the label it proposes.
_PROPOSES = ["doc.spans"]


@Language.factory("regkb_org", assigns=_PROPOSES, default_config=COMPONENTS["regkb_org"][0])
def make_org(nlp, name, patterns: str, lines_holding: str):
    return make_component(name, {"patterns": patterns, "lines_holding": lines_holding})


@Language.factory("regkb_regulator", assigns=_PROPOSES, default_config=COMPONENTS["regkb_regulator"][0])
def make_regulator(nlp, name, patterns: str):
    return make_component(name, {"patterns": patterns})


@Language.factory("regkb_person", assigns=_PROPOSES, default_config=COMPONENTS["regkb_person"][0])
def make_person(nlp, name, patterns: str):
    return make_component(name, {"patterns": patterns})


@Language.factory("regkb_money", assigns=_PROPOSES, default_config=COMPONENTS["regkb_money"][0])
def make_money(nlp, name, reader: str):
    return make_component(name, {"reader": reader})


@Language.factory("regkb_law", assigns=_PROPOSES, default_config=COMPONENTS["regkb_law"][0])
def make_law(nlp, name, reader: str, laws: str):
    return make_component(name, {"reader": reader, "laws": laws})


@Language.factory("regkb_gpe", assigns=_PROPOSES, default_config=COMPONENTS["regkb_gpe"][0])
def make_gpe(nlp, name, gazetteer: str):
    return make_component(name, {"gazetteer": gazetteer})


@Language.factory("regkb_date", assigns=_PROPOSES, default_config=COMPONENTS["regkb_date"][0])
def make_date(nlp, name, reader: str):
    return make_component(name, {"reader": reader})


Language.component("regkb_entities", func=entities_component, assigns=["doc.ents"], requires=["doc.spans"])


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


@lru_cache(maxsize=1)
def segmenter():
    """jieba with regkb's words, loaded when a text is first segmented (about a second): reading entities needs
    no segmentation (:func:`find_entities`), a Doc does."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.load_userdict(io.StringIO(user_dictionary()))
    return jieba


@lru_cache(maxsize=1)
def regkb_nlp() -> Language:
    """The pipeline, built once per process. Its tokenizer segments with jieba (loaded at the first text) and cuts
    at every boundary the components' scanners found; spaCy's own segmenter is not used, so it stays the default."""
    nlp = spacy.blank("zh")
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    scans = {component.label: component.scan for _, component in nlp.pipeline if hasattr(component, "scan")}
    nlp.tokenizer = BoundaryTokenizer(nlp.vocab, scans)
    return nlp


def analyse(text: str, known: tuple[tuple[str, str], ...] = ()) -> Doc:
    """Run the pipeline on ``text`` (``nlp(doc)``), telling the ORG and PERSON components the (name, label) pairs
    the document's own fields give: the tokenizer cuts at them, and they ride on the Doc (``doc._.known``)."""
    nlp = regkb_nlp()
    doc = nlp.tokenizer.make(text, tuple(known))
    return nlp(doc)
