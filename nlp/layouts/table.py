"""The 行政处罚信息公开表 as NFRA/CBIRC/CBRC publish it, in its two layouts.

Classic, one party: label cells on the left (merged with rowspan/colspan, nested 个人姓名 / 单位 → 名称 /
法定代表人（主要负责人）姓名), the value in the last cell of each row.

Multi-party (about 2020 on): a header row (序号 · 当事人名称 · 主要违法违规行为 · 行政处罚内容 · 作出决定机关 …) and one
row per party, shared cells merged with rowspan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.fields.parties import is_empty, party_kind, split_role
from nlp.fields.sanctions import read_sanctions
from nlp.formats.grid import Grid, distinct
from nlp.labels import label_field
from nlp.records import Party


@dataclass
class TableFields:
    """What a disclosure table says, before normalisation."""

    decision_no: str | None = None
    parties: list[Party] = field(default_factory=list)
    facts: str | None = None
    legal_basis: str | None = None
    decision_text: str | None = None
    authority_name: str | None = None
    decision_date_text: str | None = None
    unread_labels: list[str] = field(default_factory=list)


_PENALTY_LABELS = ("处罚", "当事人", "违法", "文号")


def is_penalty_table(grid: Grid) -> bool:
    """A disclosure table, as opposed to a layout table: its labels speak of parties, violations and penalties."""
    labels = "".join(cell.text for row in grid[:12] for cell in distinct(row)[:3])
    return sum(marker in labels for marker in _PENALTY_LABELS) >= 2


def is_multi_party(grid: Grid) -> bool:
    if not grid:
        return False
    header = [cell.text for cell in distinct(grid[0])]
    return len(header) >= 3 and any("当事人" in text for text in header) and any(
        "处罚内容" in text or "处罚决定" in text for text in header)


def read_table(grid: Grid) -> TableFields:
    if not grid:
        return TableFields()
    return _read_multi(grid) if is_multi_party(grid) else _read_classic(grid)


def _read_classic(grid: Grid) -> TableFields:
    pairs = []
    for row in grid:
        cells = distinct(row)
        if len(cells) < 2:
            continue  # a heading row spanning the table
        pairs.append(("/".join(cell.text for cell in cells[:-1]), cells[-1].text))
    return read_pairs(pairs)


def read_pairs(pairs: list[tuple[str, str]], *, labels_say_kind: bool = True) -> TableFields:
    """The fields (label, value) pairs state, from whatever layout they came: a table's label cells and value cell,
    or 「label：value」 lines (nlp/layouts/labelled.py). ``labels_say_kind``: a 单位 label makes its party an
    institution (a table's); in lines, where 被处罚人 names either, the name says."""
    fields = TableFields()
    individual = institution = legal_rep = None
    for label, value in pairs:
        target = label_field(label)
        if target is None:
            fields.unread_labels.append(label)
        elif target == "never":
            continue   # an address, an identity number: said of a party, never the party
        elif target == "individual":
            individual = individual if is_empty(value) else value
        elif target == "institution":
            institution = institution if is_empty(value) else value
        elif target == "legal_representative":
            legal_rep = legal_rep if is_empty(value) else value
        elif not is_empty(value) and not getattr(fields, target):
            setattr(fields, target, value)
    sanctions_text = fields.decision_text
    if institution:
        name, role = split_role(institution)
        kind = party_kind(name, "institution" if labels_say_kind else ("individual" if role else None))
        fields.parties.append(Party(name=name, kind=kind, role=role,
                                    legal_representative=legal_rep if kind == "institution" else None,
                                    sanctions_text=sanctions_text))
    if individual:
        name, role = split_role(individual)
        fields.parties.append(Party(name=name, kind="individual", role=role, sanctions_text=sanctions_text))
    if not fields.parties:
        return fields   # no name: the caller reads its sentences and flags the record for review
    if len(fields.parties) == 1:
        fields.parties[0].sanctions = read_sanctions(sanctions_text or "")
    else:
        assign_sanctions(fields.parties, sanctions_text or "")
    return fields


def _read_multi(grid: Grid) -> TableFields:
    fields = TableFields()
    header = [cell.text for cell in grid[0]]
    columns = {index: label_field(text) for index, text in enumerate(header)}
    fields.unread_labels = [text for index, text in enumerate(header) if columns[index] is None and text
                            and text not in ("序号", "编号", "备注")]
    shared: dict[str, set[str]] = {}
    for row in grid[1:]:
        values: dict[str, str] = {}
        for index, cell in enumerate(row):
            target = columns.get(index)
            if target and target != "never" and not is_empty(cell.text) and target not in values:
                values[target] = cell.text
        name_value = values.get("institution") or values.get("individual")
        if not name_value:
            continue
        name, role = split_role(name_value)
        kind = party_kind(name, "individual" if role else ("individual" if "individual" in values else None))
        party = Party(name=name, kind=kind, role=role, sanctions_text=values.get("decision_text"))
        party.sanctions = read_sanctions(party.sanctions_text or "")
        fields.parties.append(party)
        for key in ("decision_no", "facts", "legal_basis", "authority_name", "decision_date_text"):
            if values.get(key):
                shared.setdefault(key, [])
                if values[key] not in shared[key]:
                    shared[key].append(values[key])
    for key, found in shared.items():
        setattr(fields, key, "；".join(found) if key in ("facts", "legal_basis") else found[0])
    return fields


def assign_sanctions(parties: list[Party], text: str) -> None:
    """Give each party the sanctions addressed to it in ``text`` (对A罚款…；对B警告…)."""
    from nlp.layouts.fulltext import sanctions_by_target  # shared with full-text decisions

    for index, sanctions in sanctions_by_target(text, parties).items():
        parties[index].sanctions = sanctions
