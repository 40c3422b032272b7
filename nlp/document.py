"""One document, whatever it is, analysed: its type, the decision it holds (if a penalty), the penalties it reports,
and its entities. The single entry point that `regkb parse`, `regkb extract` and the build share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clean import clean_text_lines
from .freetext import Mention, document_type, read_mentions
from .nfra_document import fill_decision
from .pipeline import analyse
from .records import Decision
from .table_decision import is_penalty_table
from .word_html import grids, lines


@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int
    yuan: float | None = None
    law: str | None = None
    article: str | None = None


@dataclass
class Analysis:
    doc_type: str                      # penalty | notice | news | other
    decision: Decision | None
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    text: str = ""


def analyse_document(base: Decision, *, root=None, text_lines: list[str] | None = None, title: str | None = None,
                     decision_no: str | None = None, authority_name: str | None = None) -> Analysis:
    """Analyse an HTML tree (``root``) or plain lines. A penalty whose fields cannot be read raises Unparseable."""
    tables = [grid for grid in grids(root) if grid] if root is not None else []
    document_lines = lines(root) if root is not None else None
    if text_lines is not None:
        document_lines = clean_text_lines(text_lines)
    document_lines = document_lines or []
    doc_type = document_type(document_lines, has_penalty_table=any(is_penalty_table(g) for g in tables), title=title)
    text = "\n".join(document_lines)
    decision = None
    if doc_type == "penalty":
        decision = fill_decision(base, root if tables else None, text_lines=None if tables else document_lines,
                                 decision_no=decision_no, authority_name=authority_name, tables=tables)
        mentions = mentions_of(decision)
    else:
        mentions = read_mentions(text)
    doc = analyse(text, known_names(decision) if decision else ())
    entities = [Entity(e.text, e.label_, e.start_char, e.end_char, e._.yuan, e._.law, e._.article) for e in doc.ents]
    return Analysis(doc_type, decision, mentions, entities, text)


def known_names(decision: Decision) -> tuple[tuple[str, str], ...]:
    """(name, label) for the parties and the abbreviations the decision declares for them."""
    label = {party.name: "PERSON" if party.kind == "individual" else "ORG" for party in decision.parties}
    known = dict(label)
    for short, full in decision.aliases.items():
        owner = next((name for name in label if name == full or name in full or full in name), None)
        if owner:
            known[short] = label[owner]
    return tuple(known.items())


def mentions_of(decision: Decision) -> list[Mention]:
    """A decision's own penalties in the shape free text reports them: (authority, party, sanction, amount)."""
    authority = decision.authority.canonical if decision.authority else decision.authority_name
    return [Mention(authority, party.name, sanction.type, sanction.label, sanction.amount_yuan, sanction.text)
            for party in decision.parties for sanction in party.sanctions]
