"""Full-text 行政处罚决定书: parties from their labelled lines, sanctions from the decision paragraph.

    当 事 人：太平财产保险有限公司        → institution; 住所 and 法定代表人 lines belong to it
    法定代表人：刘世宏                     → not a party
    当事人：张雄师 / 职务：时任…总经理     → individual with a role
    …对太平财险罚款50万元；…对张雄师警告并罚款10万元。 → each party's sanctions (以下简称 resolved)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.clean import undouble_label
from nlp.fields.authorities import regulator_pattern
from nlp.fields.parties import is_empty, party_kind, split_role
from nlp.fields.sanctions import read_sanctions
from nlp.labels import PARTY_FIELDS, is_label, label_field
from nlp.layouts.labelled import labelled_pairs
from nlp.layouts.table import TableFields, read_pairs
from nlp.patterns import DECISION_NO, DETAIL_LABEL, PARTY_LABEL, PARTY_LABEL_ALONE, PENALTY_FORMS, short_names
from nlp.records import Party, Sanction
from nlp.text import normalize

# Where the operative part starts, strongest marker first (「不服本行政处罚决定」 at the end is not a start).
_DECISION_START = ("如下行政处罚", "如下处罚", "处罚决定如下", "作出以下", "作出如下", "行政处罚内容", "处罚内容",
                   "我会决定", "本会决定", "我局决定", "本局决定", "决定给予", "决定对", "处罚决定")
_DECISION_END = ("当事人应当", "当事人应在", "当事人应自", "上述当事人应", "如不服", "如对本处罚决定不服", "当事人如果对",
                 "当事人如对", "逾期", "缴款", "请在接到",
                 "如果对本监督管理措施不服")
_AUTHORITY_LINE = re.compile(r"^(?:作出处罚决定的机关(?:名称)?|作出决定机关|处罚机关)\s*[:：]\s*(?P<value>.+)$")
_TITLE_AUTHORITY = re.compile(rf"^(?P<authority>.+?)(?:{'|'.join(PENALTY_FORMS)})")


@dataclass
class FulltextFields(TableFields):
    """What a decision's text states: the fields a table states, and the short names it declares for its parties
    (「（以下简称太平财险）」)."""

    aliases: dict[str, str] = field(default_factory=dict)


def read_fulltext(lines: list[str]) -> FulltextFields:
    """What a decision's text states. No party line gives no parties (the caller reads the sentences instead and
    flags the record for review); nothing here raises on a readable text."""
    fields = FulltextFields()
    metadata, lines = page_metadata([undouble_label(normalize(line)) for line in lines])
    folded = _label_on_its_own_line(lines)
    text = "\n".join(folded)
    number = DECISION_NO.search(text)
    fields.decision_no = number.group(0).strip() if number else metadata.get("文号")
    fields.parties = _parties(folded, fields.unread_labels)
    labelled = _labelled_fields(folded) if not fields.parties else None
    if labelled is not None:
        fields.parties = labelled.parties
    if not fields.parties:
        fields.parties = _addressees(folded)
    fields.aliases = short_names(text)
    for line in folded:
        match = _AUTHORITY_LINE.match(line)
        if match:
            # the name only, even when a PDF's broken lines ran the next line into it
            named = regulator_pattern().search(match["value"])
            fields.authority_name = named.group(0) if named else match["value"].strip()
    if fields.authority_name is None and metadata.get("发布机构"):
        fields.authority_name = metadata["发布机构"]
    if fields.authority_name is None:
        for line in folded[:3]:
            match = _TITLE_AUTHORITY.match(line)
            if match and len(match["authority"]) >= 3:
                fields.authority_name = match["authority"]
                break
    if fields.authority_name is None:
        # the signature: the authority's name alone on one of the last lines, above the date
        signed = [line.strip() for line in folded[-4:] if regulator_pattern().fullmatch(line.strip())]
        fields.authority_name = signed[-1] if signed else None
    fields.decision_text = _decision_section(folded)
    fields.facts = _facts(folded)
    fields.legal_basis = _basis(folded, fields.decision_text)
    tail = [line for line in folded[-4:] if re.search(r"\d{4}年\d{1,2}月\d{1,2}日$|^[二〇○零一]{4}年", line)]
    fields.decision_date_text = tail[-1] if tail else None
    if labelled is not None:
        # a table that reached us as lines: what its labels say wins over what prose rules guess
        for key in ("decision_no", "facts", "legal_basis", "decision_text", "authority_name", "decision_date_text"):
            if getattr(labelled, key):
                setattr(fields, key, getattr(labelled, key))
        fields.unread_labels.extend(labelled.unread_labels)
        return fields
    _attach_sanctions(fields)
    return fields


def _labelled_fields(lines: list[str]):
    """A disclosure table's fields when its labels and values came as lines (nlp/layouts/labelled.py), or None
    when the lines label no party."""
    pairs = labelled_pairs(lines)
    if not any(label_field(label) in PARTY_FIELDS for label, _ in pairs):
        return None
    fields = read_pairs(pairs, labels_say_kind=False)
    return fields if fields.parties else None


_METADATA_LABELS = ("索引号", "分类", "发布机构", "发文机关", "发文日期", "成文日期", "发布日期", "名称", "文号", "主题词",
                    "主题分类", "体裁分类", "生成日期", "信息来源")
_METADATA = re.compile(rf"(?P<label>{'|'.join(_METADATA_LABELS)})\s*[:：]\s*")


def page_metadata(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """A government page's metadata block (「索引号：… 分类：… 发布机构：… 文号：…」, on one line or several, above the
    text): its values by label, and the lines without it, so that the block is read as metadata (文号, 发布机构),
    not as the decision's first words.

        >>> page_metadata(["索引号：bm56000001/2019-1 分类：行政处罚 发布机构：证监会 文号：〔2019〕1号", "当事人：张某"])
        ({'索引号': 'bm56000001/2019-1', '分类': '行政处罚', '发布机构': '证监会', '文号': '〔2019〕1号'}, ['当事人：张某'])
    """
    metadata: dict[str, str] = {}
    rest: list[str] = []
    for index, line in enumerate(lines):
        labels = list(_METADATA.finditer(line))
        distinct = {match["label"] for match in labels}
        # a block line: two of its labels, or one opening a line near others; only in the page's first lines
        if index < 12 and labels and labels[0].start() == 0 and (
                len(distinct) >= 2 or (metadata and labels[0]["label"] != "名称")):   # 名称 alone is a party's
            for position, match in enumerate(labels):
                end = labels[position + 1].start() if position + 1 < len(labels) else len(line)
                value = line[match.end():end].strip()
                if value:
                    metadata.setdefault(match["label"], value)
            continue
        rest.append(line)
    return metadata, rest


def _label_on_its_own_line(lines: list[str]) -> list[str]:
    """「当事人：」 (or 「当事人」) alone on its line, the name on the next: one line, as the label's value."""
    out: list[str] = []
    pending: str | None = None
    for line in lines:
        stripped = line.strip()
        if pending is not None and stripped and not PARTY_LABEL_ALONE.match(stripped) \
                and not DETAIL_LABEL.match(stripped) and not PARTY_LABEL.match(stripped) and not is_label(stripped):
            out[-1] = f"{pending}：{stripped}"
            pending = None
            continue
        alone = PARTY_LABEL_ALONE.match(stripped)
        pending = re.sub(r"\s", "", alone["label"]) if alone else None
        out.append(line)
    return out


def _parties(lines: list[str], unread: list[str] | None = None) -> list[Party]:
    parties: list[Party] = []
    current: Party | None = None
    in_block = False
    for line in lines:
        line_stripped = line.strip()
        match = PARTY_LABEL.match(line_stripped)
        unlabelled = _UNLABELLED_PERSON.match(line_stripped) if in_block else None
        if match or unlabelled:
            value = match["value"].strip() if match else line_stripped
            # 「当事人:顾斌,男,汉族,1963年…」「当事人:安邦…台州中心支公司(以下简称…),住所…」: the name ends at the first comma
            name = re.split(r"[,，;；]", value, maxsplit=1)[0]
            name = re.sub(r"[(（]以下简称[^)）]*[)）]", "", name).strip()
            rest = value[len(name):]
            if is_empty(name):
                current = None
                continue
            hint = "individual" if (match and re.sub(r"\s", "", match["label"]).endswith("姓名")) or re.search(
                r"[,，]\s*[男女]\s*(?:[,，。]|$)", rest) else None
            name, role = split_role(name)
            current = Party(name=name, kind=party_kind(name, hint), role=role or _post(rest))
            parties.append(current)
            in_block = True
            continue
        detail = DETAIL_LABEL.match(line_stripped)
        if detail and current is not None:
            label, value = re.sub(r"\s", "", detail["label"]), detail["value"].strip()
            if label in ("法定代表人", "主要负责人", "负责人") and not is_empty(value):
                current.legal_representative = value
            elif label == "职务" and not is_empty(value):
                current.role = value
                current.kind = "individual"
            elif label.startswith("身份证") or label in ("性别", "出生年月"):
                current.kind = "individual"
            continue
        other = _LABELLED_LINE.match(line_stripped) if in_block and not detail else None
        if other and len(other["label"]) <= 8 and label_field(other["label"]) is None:
            if unread is not None:
                unread.append(re.sub(r"\s", "", other["label"]))   # a party block's label regkb has no field for
            continue
        if parties and not detail:
            current = None  # the party block has ended; later 「当事人」 mentions in prose are not parties
            in_block = False
    return parties


# A measure (行政监管措施决定书) names its party as a letter does, by a salutation line above the text, not with a
# 当事人 label: 「广东风华高新科技股份有限公司：」「张三、李四：」.
_SALUTATION = re.compile(r"^(?P<names>[\u4e00-\u9fff·（）()A-Za-z0-9、]{2,80})[:：]$")
_NOT_ADDRESSEES = ("经查", "附件", "说明", "决定", "特此", "现决定", "依据", "根据")


def _addressees(lines: list[str]) -> list[Party]:
    """The parties a measure is addressed to: a salutation line among the text's first lines, each name (of an
    institution, or a person's 2–5 characters) a party. Nothing when the first lines hold none."""
    for line in lines[:6]:
        match = _SALUTATION.match(line.strip())
        if not match or is_label(line) or line.strip().startswith(_NOT_ADDRESSEES):
            continue
        names = [name.strip() for name in match["names"].split("、") if name.strip()]
        if names and all(party_kind(name) == "institution" and len(name) >= 4 or _PERSON_NAME.match(name)
                         for name in names):
            return [Party(name=name, kind=party_kind(name)) for name in names]
    return []


_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")


# The CSRC since 2026 (and some earlier) labels only the first party; each person after it has a line of their own:
# 「付景林,男,时任高鸿股份董事长、总经理。」
_UNLABELLED_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,5}[,，]\s*[男女]\s*(?:[,，。]|$)")
_POST = re.compile(r"(?:时任|时为|系)(?P<post>[^,，。;；]+)")


def _post(rest: str) -> str | None:
    """The post a party line gives a person (「…,男,1971年2月出生,时任江苏舜天股份有限公司(以下简称江苏舜天)董事、
    总经理…」), without the abbreviations it declares."""
    found = _POST.search(re.sub(r"[(（][^)）]*以下简称[^)）]*[)）]", "", rest))
    return found.group(0).strip() if found else None


def _decision_section(lines: list[str]) -> str | None:
    start = next((index for marker in _DECISION_START for index, line in enumerate(lines)
                  if _announces(line, marker) and not _is_decision_end(line)), None)
    if start is None:
        # no words announce the decision (「根据…第四十六条，对你行处以人民币1017.61元罚款。」): the first line
        # after the facts that imposes a sanction on the party
        start = next((index for index, line in enumerate(lines)
                      if _IMPOSES.search(line) and not line.startswith(("经查", "经查实", "经查明"))
                      and read_sanctions(line)), None)
    if start is None:
        return None
    labelled = _LABELLED_LINE.match(lines[start])
    if labelled and any(marker in labelled["label"] for marker in _DECISION_START):
        return labelled["value"].strip() or None  # 「行政处罚内容：罚款人民币11.5万元」
    out = []
    for line in lines[start:]:
        if out and (_is_decision_end(line) or (_LABELLED_LINE.match(line) and not line.startswith(_COMBINED))
                    or _is_signature(line)):
            break
        out.append(line)
    section = "".join(out)
    # 「一、对A…的违法行为…处以1000万元…二、对A…处以12500万元…综合上述两项:一、对A…处以13500万元」: each violation's
    # penalty, then the penalty imposed; only the last is what the party is fined
    combined = section.find(_COMBINED)
    if combined > 0:
        section = section[combined:]
    # 「综上，我会决定作出如下处罚：」 is a heading; the sanctions are in what follows
    if len(out) > 1 and len(out[0]) < 30 and not read_sanctions(out[0]):
        section = "".join(out[1:])
    return section or None


_COMBINED = "综合上述"
_IMPOSES = re.compile(r"对(?:你|该|其|贵)?(?:行|公司|单位|社|机构)?[^，,。]{0,30}?(?:处以|给予|予以|处|罚款|警告)")
_DATE_LINE = re.compile(r"^(?:\d{4}|[二〇○零一]{4})\s*年[\d一二三四五六七八九十〇○]{1,3}\s*月[\d一二三四五六七八九十〇○]{1,3}\s*日$")


def _is_signature(line: str) -> bool:
    """The authority's name or the date alone on a line: the decision has ended."""
    return bool(_DATE_LINE.match(line.strip()) or regulator_pattern().fullmatch(line.strip()))


def _announces(line: str, marker: str) -> bool:
    """The marker in the line, and not as the name of the document (「…行政处罚决定书」 is a title, 「…处罚决定书之日起」
    the closing formula)."""
    position = line.find(marker)
    return position != -1 and not line[position + len(marker):].startswith("书")


_LABELLED_LINE = re.compile(r"^(?P<label>[\u4e00-\u9fff（）()]{2,16})[:：](?P<value>.*)$")


def _is_decision_end(line: str) -> bool:
    return any(marker in line[:12] for marker in _DECISION_END)


def _facts(lines: list[str]) -> str | None:
    for index, line in enumerate(lines):
        match = re.match(r"^(?:主要违法违规事实(?:[(（]案由[)）])?|违法违规事实|案由)\s*[:：]\s*(?P<value>.+)$", line)
        if match:
            return match["value"]
        if line.startswith(("经查", "经查实", "经查明")):
            body = [line]
            for following in lines[index + 1:]:
                if following.startswith(("上述事实", "上述违法", "综上", "根据", "依据")) or "如下处罚" in following:
                    break
                body.append(following)
            return "".join(body)
    # 「你行于2016年10月8日至…存款准备金账户透支…」: the facts addressed to the party, with no word announcing them
    for line in lines:
        if line.startswith(("你行", "你公司", "你单位", "你社", "该行", "该公司")) and not _is_signature(line):
            return line
    return None


def _basis(lines: list[str], decision_text: str | None) -> str | None:
    for line in lines:
        match = re.match(r"^(?:行政处罚依据|处罚依据)\s*[:：]\s*(?P<value>.+)$", line)
        if match:
            return match["value"]
    # Lines that cite articles; 「根据《保险法》和《行政处罚法》等有关规定，我会…立案调查」 is procedure, not the basis.
    cited = [line for line in lines if re.search(r"(?:依据|根据|违反)《[^》]+》第", line)]
    if cited:
        return "".join(cited)
    return decision_text


def _attach_sanctions(fields: FulltextFields) -> None:
    text = fields.decision_text or ""
    if len(fields.parties) == 1:
        fields.parties[0].sanctions = read_sanctions(_strip_citations(text))
        fields.parties[0].sanctions_text = text or None
        return
    for index, sanctions in sanctions_by_target(text, fields.parties, fields.aliases).items():
        fields.parties[index].sanctions = sanctions


def _strip_citations(text: str) -> str:
    # 《…罚款…办法》 in a citation is not a fine
    return re.sub(r"《[^》]*》", "《》", text)


def sanctions_by_target(text: str, parties: list[Party], aliases: dict[str, str] | None = None) -> dict[int, list[Sanction]]:
    """Sanctions per party index for a decision addressed to several parties (see freetext.addressed); a target is
    matched to its party by name or by the abbreviation the decision declared (以下简称)."""
    from nlp.layouts.freetext import addressed

    text = normalize(text)
    result: dict[int, list[Sanction]] = {}
    for target, sanctions in addressed(_strip_citations(text)):
        index = _party_index(target, parties, aliases or {})
        if index is not None:
            result.setdefault(index, []).extend(sanctions)
    for party in parties:
        party.sanctions_text = text or None
    return result


def _party_index(target: str, parties: list[Party], aliases: dict[str, str]) -> int | None:
    target = target.strip()
    full = aliases.get(target, target)
    for index, party in enumerate(parties):
        if party.name == full or party.name == target:
            return index
    for index, party in enumerate(parties):
        if party.name in full or (len(full) >= 2 and full in party.name):
            return index
    return None
