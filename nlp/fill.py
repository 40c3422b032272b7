"""Fill a Decision from what one document states: a disclosure table or a full-text decision is read into fields,
and the fields are normalised (institutions classified, citations read, the authority resolved, categories decided).
Shared by every source: NFRA envelopes, PBOC pages and attachments, CSRC decisions, `regkb parse`.
"""

from __future__ import annotations

import re

from nlp.fields.authorities import UnknownAuthority, authority_from_decision_no, resolve_authority
from nlp.fields.categories import categorise, subcategorise
from nlp.fields.institutions import classify as classify_institution
from nlp.fields.legal_basis import aliases as law_aliases
from nlp.fields.legal_basis import basis_in, read_citations
from nlp.fields.parties import party_kind
from nlp.formats.word_html import grids, lines
from nlp.layouts.freetext import parties_in
from nlp.layouts.fulltext import read_fulltext
from nlp.layouts.table import is_penalty_table, read_table
from nlp.privacy import mask
from nlp.records import Authority, Decision, Party
from nlp.review import (
    AUTHORITY_UNRESOLVED,
    NO_DECISION_DATE,
    NO_PARTY,
    NO_SANCTION,
    NO_TEXT,
    PARTIES_FROM_TEXT,
    UNKNOWN_LABEL,
)
from nlp.text import normalize, parse_date, scrub


def fill_decision(decision: Decision, root=None, *, text_lines: list[str] | None = None,
                  decision_no: str | None = None, authority_name: str | None = None,
                  tables: list | None = None, penalty_tables: list | None = None) -> Decision:
    """Read a disclosure table or a full-text decision (an HTML tree, or clean lines) into ``decision``.
    ``decision_no`` and ``authority_name`` are what the envelope says; the document's own words win.
    ``penalty_tables``: those of ``tables`` that are disclosure tables, where the caller has told them already."""
    if tables is None:
        tables = [grid for grid in grids(root) if grid] if root is not None else []
    decision.doc_format = "table" if tables else "fulltext"
    if tables:
        if penalty_tables is None:
            penalty_tables = [table for table in tables if is_penalty_table(table)]
        # the disclosure table, not a longer layout table around or beside it
        fields = read_table(max(penalty_tables or tables, key=len))
        aliases: dict[str, str] = {}
        sentences, context = fields.decision_text or "", fields.facts or ""
    else:
        text_lines = text_lines if text_lines is not None else lines(root)
        fields = read_fulltext(text_lines)
        # 「《中华人民共和国保险法》（以下简称《保险法》）」 is declared once, anywhere in the text
        aliases = law_aliases("\n".join(text_lines))
        decision.aliases = dict(fields.aliases)
        sentences = fields.decision_text or "\n".join(text_lines)
        context = "\n".join(text_lines) if fields.decision_text else ""
        if not text_lines:
            decision.review.add(NO_TEXT)
    if not fields.parties and sentences:
        # no party label: the targets its sentences punish (a condensed or reposted decision, 「对该公司罚款…」)
        fields.parties = [Party(name=name, kind=party_kind(name), sanctions=sanctions, sanctions_text=sentences)
                          for name, sanctions in parties_in(sentences, context)]
        if fields.parties:
            decision.review.add(PARTIES_FROM_TEXT)
    return finish_decision(decision, fields, aliases, decision_no=decision_no, authority_name=authority_name)


def finish_decision(decision: Decision, fields, aliases: dict[str, str], *, decision_no: str | None = None,
                    authority_name: str | None = None) -> Decision:
    """Put the ``fields`` a table or text states into ``decision``, normalised: institutions classified, citations
    read, the authority resolved and the violation categories decided. ``decision_no`` and ``authority_name`` are
    what the page or list around the document says; the document's own words win."""
    decision.parties = fields.parties
    for party in decision.parties:
        if party.kind == "institution":
            info = classify_institution(party.name)
            party.institution_type, party.parent = info.institution_type, info.parent
            party.legal_entity, party.branch_level = info.legal_entity, info.branch_level
        elif party.role and (employer := employer_in(party.role)):
            # a bank's staff punished with it: the group and legal person of the unit they worked in, so that
            # 「all decisions against 广发银行」 finds them (their institution type stays the institutions')
            info = classify_institution(employer)
            party.parent, party.legal_entity = info.parent, info.legal_entity
    decision.facts = fields.facts
    # the basis in its own cell or paragraph; else where the decision wrote it (inside 处罚内容, inside the facts)
    decision.legal_basis = fields.legal_basis or basis_in(fields.decision_text) or basis_in(fields.facts)
    decision.decision_text = fields.decision_text
    number = fields.decision_no or decision_no
    decision.decision_no = re.sub(r"\s+", "", normalize(number)) if number else None   # 〔２０１８〕 as 〔2018〕
    decision.decision_date = parse_date(fields.decision_date_text)
    decision.citations = read_citations(decision.legal_basis, aliases)
    decision.authority_name = fields.authority_name or authority_name
    decision.authority = resolve_named_authority(decision.authority_name, decision.decision_no)
    _review(decision, fields)
    types = {party.institution_type for party in decision.parties if party.institution_type}
    regulator = decision.authority.regulator if decision.authority else None
    evidence = categorise(decision.facts, decision.legal_basis, types, regulator)
    decision.categories = list(evidence)
    decision.category_evidence = evidence
    decision.subcategories = subcategorise(evidence, decision.facts)
    _scrub_texts(decision)
    return decision


_EMPLOYER = re.compile(r"(?:时任|原任|曾任|现任|原|时为|系)?(?P<unit>[\u4e00-\u9fff（）()]{2,40}?(?:股份有限公司|有限责任公司|"
                       r"有限公司|银行|信用合作联社|信用联社|信用社|合作社)(?:（中国）|\(中国\))?"
                       r"(?:股份有限公司|有限责任公司|有限公司)?)")


def employer_in(role: str) -> str | None:
    """The institution a person's role names: 「时任太平财产保险有限公司责信险部总经理」 → 太平财产保险有限公司."""
    found = _EMPLOYER.search(role)
    return found["unit"] if found else None


def _review(decision: Decision, fields) -> None:
    """What a person should check in the record (nlp/review.py), from what could not be read."""
    review = decision.review
    if not decision.parties:
        review.add(NO_PARTY)
    for party in decision.parties:
        if not party.sanctions:
            review.add(NO_SANCTION, party.name)
    if decision.authority is None:
        review.add(AUTHORITY_UNRESOLVED, decision.authority_name or "未注明")
    if not decision.decision_date:
        review.add(NO_DECISION_DATE)
    for label in getattr(fields, "unread_labels", ()):
        review.add(UNKNOWN_LABEL, label)


def _scrub_texts(record) -> None:
    """Every text of the record and its parts without control characters (nlp.text.scrub) and without a person's
    identity number, phone number or home address (nlp.privacy.mask): whatever the document carried, nothing that
    would break an Atom feed, a Word export or a terminal, nor what regkb never shows of a person, reaches the
    database. (Tested on all the texts at once first: most records have nothing to take out.) A dictionary's keys
    and values are scrubbed, not masked."""
    fields = _text_fields(record, [])
    texts = []
    for _, _, value in fields:
        if isinstance(value, str):
            texts.append(value)
        else:
            texts.extend(text for pair in value.items() for text in pair if isinstance(text, str))
    joined = _APART.join(texts)
    if scrub(joined) is joined and mask(joined) == joined:
        return
    for owner, name, value in fields:
        if isinstance(value, str):
            setattr(owner, name, mask(scrub(value)))
        else:
            setattr(owner, name, {scrub(k) if isinstance(k, str) else k: scrub(v) if isinstance(v, str) else v
                                  for k, v in value.items()})


# Between a record's texts tested together: a character that is neither a digit, a letter, white space nor
# punctuation, so that whatever mask or scrub would change in one text it changes in them all (mask's patterns look
# at a digit's neighbours, and a neighbour of this kind is as no neighbour), and that scrub keeps.
_APART = "\ue000"


def _text_fields(record, found: list[tuple]) -> list[tuple]:
    """(owner, name, value) of each text and dictionary of ``record`` and of the records it holds, alone or in
    lists, appended to ``found``."""
    for name, value in vars(record).items():
        if isinstance(value, (str, dict)):
            found.append((record, name, value))
        elif isinstance(value, list):
            for item in value:
                if hasattr(item, "__dataclass_fields__"):
                    _text_fields(item, found)
        elif hasattr(value, "__dataclass_fields__"):
            _text_fields(value, found)
    return found


def resolve_named_authority(name: str | None, decision_no: str | None) -> Authority | None:
    """The named authority when its name can be read, else what the decision number says, else None."""
    if name:
        try:
            return resolve_authority(name)
        except UnknownAuthority:
            pass
    return authority_from_decision_no(decision_no)
