"""A 公示表 that is a register of penalties: a header row, then one row per punished party, each row carrying its own
行政处罚决定书文号. The People's Bank publishes its 行政处罚信息公示表 this way:

    序号 · 当事人名称 · 行政处罚决定书文号 · 违法行为类型 · 行政处罚内容 · 作出行政处罚决定机关名称 · 作出行政处罚决定日期 · 备注

Rows that share a 文号 (a bank and the manager punished with it, or one number merged down several rows) are one
decision; every other row is a decision of its own. What real tables do that a reader must survive:

- a title row above the header (「中国人民银行XX分行行政处罚信息公示表」), and notes below the table (「注：…」);
- a two-level header (当事人 over 名称 / 法定代表人);
- cells merged down the rows (the authority, the date, a shared 文号) or across (a note);
- the header repeated at the top of each printed page, and a party's row broken across a page;
- an amount in a column of its own (罚款金额（万元）) instead of in the 行政处罚内容.

    >>> [p.name for d in read_register(grid) for p in d.parties]          # doctest: +SKIP
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.fields.amounts import find_amounts
from nlp.fields.parties import is_empty, party_kind, split_role
from nlp.fields.sanctions import read_sanctions
from nlp.formats.grid import Cell, Grid
from nlp.labels import label_field
from nlp.layouts.table import TableFields
from nlp.patterns import WHOLE_NUMBER
from nlp.records import Party, Sanction
from nlp.text import fold, squash

# Column labels the PBOC tables use that the NFRA tables do not, mapped to the same field names.
_EXTRA_LABELS = [
    (re.compile(r"^没收.*(?:金额|数额)"), "confiscated_amount"),   # 没收违法所得、没收非法财物金额（万元）
    # 罚款金额（元）, 处罚金额, 金额（万元）; not 涉案金额 or 违法金额, which are what the violation was about
    (re.compile(r"^(?:罚款|罚没款?|处罚)?(?:金额|数额)"), "amount"),
    (re.compile(r"^(?:序号|编号)$"), "ordinal"),
    (re.compile(r"^(?:备注|说明|公示期限)$"), None),
    (re.compile(r"处罚结果|处罚种类|处罚措施"), "decision_text"),
    (re.compile(r"证件|身份证|统一社会信用代码|组织机构代码|注册号"), None),
    (re.compile(r"当事人类型|主体类型|类别"), "party_type"),
]


@lru_cache(maxsize=4096)   # every table is scored for a header, and tables repeat their labels
def column_field(label: str) -> str | None:
    """The field a header label fills (nlp/layouts/table.py's labels, plus a register's own)."""
    text = re.sub(r"\s+", "", fold(label))
    for pattern, target in _EXTRA_LABELS:
        if pattern.search(text):
            return target
    return label_field(text)


_PARTY_FIELDS = ("institution", "individual")


def _header_score(row: list[Cell]) -> int:
    fields = {column_field(cell.text) for cell in row if cell.text and len(cell.text) <= 30}
    return len(fields - {None, "never"}) if fields & set(_PARTY_FIELDS) else 0


def find_header(grid: Grid) -> int | None:
    """The index of the header row: the first of the top rows naming a party column and at least two other fields."""
    for index, row in enumerate(grid[:8]):
        if _header_score(row) >= 3:
            return index
    return None


def is_register(grid: Grid, rows_are_decisions: bool = False) -> bool:
    """A register: a header naming the parties, their penalties and a 文号 column, so that each row says which
    decision it belongs to. ``rows_are_decisions`` (a PBOC 公示表, whose every row is a decision of its own): a
    header naming the parties and their penalties is enough. An NFRA multi-party table without a 文号 column is one
    decision, read by nlp/layouts/table.py."""
    header = find_header(grid)
    if header is None:
        return False
    fields = {column_field(cell.text) for cell in grid[header]}
    return "decision_no" in fields or (rows_are_decisions and "decision_text" in fields)


@dataclass
class RegisterRow:
    values: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)   # field → its header label, to write the row as text
    keys: dict[str, int] = field(default_factory=dict)     # field → the grid cell it came from (merges share one)

    def text(self) -> str:
        """The row as 「label：value」 lines: what a reader of this decision reads."""
        return "\n".join(f"{self.labels[key]}：{value}" for key, value in self.values.items() if key != "ordinal")

    @property
    def party(self) -> str | None:
        return self.values.get("institution") or self.values.get("individual")


def _columns(grid: Grid, header: int) -> tuple[dict[int, str], dict[int, str], int]:
    """(column → field, column → label, the first data row). A second header row under labels merged across
    columns (当事人 over 名称 and 类型) is folded in: 「当事人/名称」, 「当事人/类型」."""
    labels = {c: cell.text for c, cell in enumerate(grid[header])}
    first_data = header + 1
    if first_data < len(grid):
        top, below = grid[header], grid[first_data]
        spans = {c for c in range(len(top)) if any(top[c].key == top[d].key for d in range(len(top)) if d != c)}
        sub = {c: cell.text for c, cell in enumerate(below) if cell.text and cell.key != top[c].key}
        if sub and set(sub) <= spans and not any(re.search(r"\d", text) for text in sub.values()):
            labels = {c: labels[c] + (f"/{sub[c]}" if c in sub else "") for c in labels}
            first_data += 1
    fields: dict[int, str] = {}
    for c, label in labels.items():
        target = column_field(label.split("/")[-1]) or column_field(label.replace("/", ""))
        if target == "institution" and "个人" in label:
            target = "individual"
        # a field in two columns (违法行为类型 and 违法事实) is read from both, except the one-value fields
        if target and target != "never" and (target not in fields.values() or target in _SEVERAL_COLUMNS):
            fields[c] = target
    return fields, labels, first_data


_SEVERAL_COLUMNS = ("facts", "legal_basis", "legal_representative")


def title_lines(grid: Grid) -> list[str]:
    """The rows above a register's header (its title: 「中国人民银行XX中心支行行政处罚信息公示表」)."""
    header = find_header(grid)
    return [" ".join(dict.fromkeys(cell.text for cell in row if cell.text)) for row in grid[:header or 0]]


def _is_note(row: list[Cell]) -> bool:
    """A line under the table spanning its width, or one that says it is a note."""
    texts = [cell.text for cell in row if cell.text]
    keys = {cell.key for cell in row if cell.text}
    # one cell merged across the table; not a row a page break left with one cell's text (the rest of the facts)
    spans_width = len(keys) == 1 and len(row) > 2 and sum(cell.key in keys for cell in row) > len(row) / 2
    return spans_width or bool(texts and re.match(r"^(?:注|备注|说明|附注)\s*[:：]", texts[0]))


def read_rows(grid: Grid) -> list[RegisterRow]:
    """The party rows under the header, a row broken over a page joined back to the row it continues."""
    header = find_header(grid)
    if header is None:
        return []   # not a register (is_register said so first)
    fields, labels, first = _columns(grid, header)
    header_texts = [cell.text for cell in grid[header]]
    rows: list[RegisterRow] = []
    for raw in grid[first:]:
        if [cell.text for cell in raw] == header_texts or _header_score(raw) >= 3 or _is_note(raw) \
                or not any(cell.text for cell in raw):
            continue   # the header repeated on a new page, a note, an empty row
        row = RegisterRow()
        for c, target in fields.items():
            if c < len(raw) and not is_empty(raw[c].text):
                if target in row.values:   # the second column of a field read from several
                    row.values[target] += "；" + raw[c].text
                    continue
                row.values[target], row.labels[target], row.keys[target] = raw[c].text, labels[c], raw[c].key
        previous = rows[-1] if rows else None
        party_key = next((row.keys[t] for t in _PARTY_FIELDS if t in row.keys), None)
        # a row a printed page broke in two: the part on the next page has no 序号 (and may have no name)
        broken = previous is not None and (row.party is None or (
            "ordinal" in fields.values() and "ordinal" not in row.values and "ordinal" in previous.values
            and _number_broken(row, previous)))
        # the same party merged down two rows under one 文号: one party, two lines of its penalty
        same_party = previous is not None and party_key in previous.keys.values() and \
            row.keys.get("decision_no") in (None, previous.keys.get("decision_no"))
        if not (broken or same_party):
            if row.party is not None:
                if previous is not None:
                    _fill_down(row, previous)
                rows.append(row)
            continue
        for key, value in row.values.items():
            if row.keys[key] == previous.keys.get(key):
                continue   # a cell merged over both rows
            if key == "ordinal":
                continue
            if key in previous.values:
                previous.values[key] += value if broken else "；" + value
            else:
                previous.values[key], previous.labels[key], previous.keys[key] = value, row.labels[key], row.keys[key]
    return rows


def _number_broken(row: RegisterRow, previous: RegisterRow) -> bool:
    """Whether a row without 序号 is the rest of the row above, cut by a page: the 文号 above is cut short
    (「银罚决字〔」 + 「2026〕107号」), or neither row has one to tell. A row with a whole 文号 of its own, under a
    row with a whole one, is a party of its own even without a 序号 (a bank's manager under the bank)."""
    above, here = previous.values.get("decision_no"), row.values.get("decision_no")
    if above is None and here is None:
        return False     # nothing to tell by: a party of its own
    if above is not None and not WHOLE_NUMBER.search(fold(above)):
        return True
    # in a numbered table, a row with neither 序号 nor 文号 is the rest of the row above
    return here is None or not WHOLE_NUMBER.search(fold(here))


# Cells a table merges down its rows. A printed page repeats no text in the part of a merged cell that runs onto the
# next page, so a row there shows them empty: it has the authority and date of the rows above.
_FILLED_DOWN = ("authority_name", "decision_date_text")


def _fill_down(row: RegisterRow, previous: RegisterRow) -> None:
    for key in _FILLED_DOWN:
        if key not in row.values and key in previous.values:
            row.values[key], row.labels[key], row.keys[key] = previous.values[key], previous.labels[key], \
                previous.keys[key]


def _amount_column(row: RegisterRow, key: str) -> float | None:
    """罚款金额（万元） 30 → 300000; the unit is in the header label when not in the cell."""
    text = row.values.get(key)
    if not text:
        return None
    amounts = find_amounts(fold(text))
    if amounts:
        return amounts[0].yuan
    number = re.fullmatch(r"\s*([\d,]+(?:\.\d+)?)\s*", fold(text))
    if not number:
        return None
    value = float(number.group(1).replace(",", ""))
    return value * 10_000 if "万元" in fold(row.labels.get(key, "")) else value


def row_party(row: RegisterRow) -> Party:
    name_value = row.values.get("institution") or row.values["individual"]
    name, role = split_role(squash(name_value))
    hint = None
    if "individual" in row.values and "institution" not in row.values or role:
        hint = "individual"
    kind_text = row.values.get("party_type", "")
    if re.search(r"个人|自然人", kind_text):
        hint = "individual"
    elif re.search(r"单位|机构|法人|企业", kind_text):
        hint = "institution"
    party = Party(name=name, kind=party_kind(name, hint), role=role, sanctions_text=row.values.get("decision_text"),
                  legal_representative=row.values.get("legal_representative"))
    party.sanctions = read_sanctions(party.sanctions_text or "")
    # an amount in a column of its own fills the sanction the 行政处罚内容 names without one (or adds it)
    for key, sanction_type, label in (("amount", "fine", "罚款"), ("confiscated_amount", "confiscation", "没收违法所得")):
        amount = _amount_column(row, key)
        if amount is None or amount == 0:
            continue
        named = [s for s in party.sanctions if s.type == sanction_type]
        if not named:
            party.sanctions.append(Sanction(type=sanction_type, label=label, amount_yuan=amount, text=row.values[key]))
        elif named[0].amount_yuan is None:
            named[0].amount_yuan = amount
    return party


def _number_key(number: str | None) -> str | None:
    return re.sub(r"\s+", "", fold(number)) if number else None


def read_register(grid: Grid) -> list[tuple[TableFields, list[RegisterRow]]]:
    """The decisions of a register, in table order: (fields of one 文号, the rows it was read from)."""
    groups: dict[str, list[RegisterRow]] = {}
    for position, row in enumerate(read_rows(grid)):
        key = _number_key(row.values.get("decision_no")) or f"#row{position}"
        groups.setdefault(key, []).append(row)
    out = []
    for rows in groups.values():
        fields = TableFields(parties=[row_party(row) for row in rows])
        for key in ("decision_no", "authority_name", "decision_date_text"):
            setattr(fields, key, next((row.values[key] for row in rows if row.values.get(key)), None))
        for key in ("facts", "legal_basis"):
            found = list(dict.fromkeys(row.values[key] for row in rows if row.values.get(key)))
            setattr(fields, key, "；".join(found) or None)
        texts = [(party.name, row.values.get("decision_text")) for party, row in zip(fields.parties, rows)]
        if len(rows) == 1:
            fields.decision_text = texts[0][1]
        else:
            fields.decision_text = "；".join(f"对{name}{text}" for name, text in texts if text) or None
        out.append((fields, rows))
    return out
