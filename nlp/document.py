"""One document, whatever it is, analysed: its type, the decisions it holds (if a penalty), the penalties it reports,
and its entities. The single entry point that `regkb parse`, `regkb extract` and the build share.

Most documents hold one decision. A register (a PBOC 公示表: one row per party, each with its own 文号) holds one
decision per 文号; ``analyse_decisions`` returns one Analysis for each, in table order.
"""

from __future__ import annotations

import copy

from nlp.clean import clean_text_lines
from nlp.entities import find_entities
from nlp.fields.authorities import regulator_pattern
from nlp.fill import fill_decision, finish_decision
from nlp.formats.attachments import AttachmentContent
from nlp.formats.grid import Grid
from nlp.formats.word_html import grids, lines
from nlp.layouts.freetext import document_type, is_legal_text, read_mentions
from nlp.layouts.register import is_register, read_register, title_lines
from nlp.layouts.table import is_penalty_table
from nlp.records import Analysis, Decision, Mention
from nlp.review import NO_TEXT, OCR_DOUBT, Review
from nlp.text import fold, squash


def analyse_decisions(base: Decision, *, root=None, tables: list[Grid] | None = None,
                      text_lines: list[str] | None = None, clean: bool = True, title: str | None = None,
                      decision_no: str | None = None, authority_name: str | None = None,
                      rows_are_decisions: bool = False) -> list[Analysis]:
    """Every decision a document holds (an HTML tree ``root``, or ``tables`` and ``text_lines`` read from an
    attachment): one per 文号 of a register, else the document's one analysis. ``clean=False``: the lines are
    clean already (attachment readers clean them). ``rows_are_decisions``: the document is a PBOC 公示表, whose
    rows are decisions of their own even without a 文号 column."""
    if tables is None:
        tables = [grid for grid in grids(root) if grid] if root is not None else []
    registers = [grid for grid in tables if is_register(grid, rows_are_decisions)]
    if registers:
        document_lines = _document_lines(root, text_lines, clean)
        above = [line for grid in registers for line in title_lines(grid)]
        hint = authority_name or authority_in(title, above + document_lines)
        analyses = analyse_registers(base, registers, title=title, authority_name=hint)
        if analyses:
            return analyses
        # a register's header over no party rows: the document is read as a whole (and flagged for review)
    return [analyse_document(base, root=root, tables=tables, text_lines=text_lines, clean=clean, title=title,
                             decision_no=decision_no, authority_name=authority_name)]


def analyse_attachment(base: Decision, content: AttachmentContent, *, title: str | None) -> list[Analysis]:
    """An office attachment's decisions (a table of parties is a 公示表: each row a decision). A scan read by OCR
    marks each decision so (``read_by``), and what OCR read that failed a check goes into the review of the
    decision whose row it is (all the scan's decisions, when the row's 文号 is itself in doubt)."""
    analyses = analyse_decisions(base, tables=content.grids, text_lines=content.lines, clean=False, title=title,
                                 rows_are_decisions=True)
    if content.read_by is None:
        return analyses
    key = lambda number: squash(fold(number or "")).replace(" ", "")   # noqa: E731
    by_number = {key(a.decision.decision_no): a for a in analyses if a.decision and a.decision.decision_no}
    scores = {key(number): score for number, score in content.scores.items()}
    lowest = min(scores.values(), default=None)
    for analysis in analyses:
        if analysis.decision is not None:
            analysis.decision.read_by = content.read_by
            analysis.decision.ocr_score = scores.get(key(analysis.decision.decision_no), lowest)
    for doubt in content.doubts:
        owner = by_number.get(key(doubt.number))
        for analysis in [owner] if owner else analyses:
            analysis.review.add(OCR_DOUBT, doubt.note())
    return analyses


def _document_lines(root, text_lines: list[str] | None, clean: bool) -> list[str]:
    """The document's lines: the given ones (cleaned unless they are already), else the HTML tree's."""
    if text_lines is not None:
        return clean_text_lines(text_lines) if clean else list(text_lines)
    return lines(root) if root is not None else []


def authority_in(title: str | None, document_lines: list[str]) -> str | None:
    """The regulator a register's title names (「中国人民银行天津分行行政处罚信息公示表」), for tables whose rows do
    not name their authority."""
    for line in [title or "", *document_lines[:5]]:
        found = regulator_pattern().search(line)
        if found:
            return found.group(0)
    return None


def analyse_registers(base: Decision, registers: list[Grid], *, title: str | None,
                      authority_name: str | None) -> list[Analysis]:
    groups = [group for grid in registers for group in read_register(grid)]
    out = []
    for ordinal, (fields, rows) in enumerate(groups, start=1):
        decision = copy.deepcopy(base)
        decision.doc_format = "register"
        decision.title = decision.title or title
        if len(groups) > 1:
            decision.doc_id = f"{base.doc_id}-{ordinal}"
        finish_decision(decision, fields, {}, authority_name=authority_name)
        text = "\n\n".join(row.text() for row in rows)
        entities = find_entities(text, known_names(decision))
        out.append(Analysis("penalty", decision, mentions_of(decision), entities, text, decision.review))
    return out


def analyse_document(base: Decision, *, root=None, tables: list[Grid] | None = None,
                     text_lines: list[str] | None = None, clean: bool = True, title: str | None = None,
                     decision_no: str | None = None, authority_name: str | None = None) -> Analysis:
    """Analyse an HTML tree (``root``), or tables and lines, as one document holding at most one decision. A penalty
    whose fields cannot be read is still a decision, with what could be read and its ``review`` list."""
    if tables is None:
        tables = [grid for grid in grids(root) if grid] if root is not None else []
    document_lines = _document_lines(root, text_lines, clean)
    penalty_tables = [grid for grid in tables if is_penalty_table(grid)]   # each table scored once
    doc_type = document_type(document_lines, has_penalty_table=bool(penalty_tables), title=title)
    text = "\n".join(document_lines)
    decision = None
    if doc_type == "penalty" or base.kind != "penalty":
        # a measure, commitment or review is read like a decision whatever its wording: its list says what it is
        hint = (authority_name or authority_in(title, document_lines)) if tables else authority_name
        decision = fill_decision(base, None, text_lines=None if tables else document_lines,
                                 decision_no=decision_no, authority_name=hint, tables=tables,
                                 penalty_tables=penalty_tables)
        if decision.kind != "penalty":
            _without_fines(decision)
        mentions = mentions_of(decision)
    elif is_legal_text(document_lines):
        mentions = []     # a law's 「对…处以…罚款」 are norms, not penalties imposed
    else:
        mentions = read_mentions(text)
    entities = find_entities(text, known_names(decision) if decision else ())
    review = decision.review if decision else Review()
    if decision is None and not text.strip():
        review.add(NO_TEXT)
    return Analysis(doc_type, decision, mentions, entities, text, review)


def _without_fines(decision: Decision) -> None:
    """A measure fines and confiscates nothing: a 罚款 its text recalls (an earlier penalty, the rule it applies) is
    not its sanction."""
    paid = ("fine", "confiscation", "fine_and_confiscation")
    for party in decision.parties:
        party.sanctions = [sanction for sanction in party.sanctions if sanction.type not in paid]


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
