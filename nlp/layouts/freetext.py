"""Free text (news reports, regulator notices, reposts): what kind of document it is, and each penalty it reports.

    >>> [(m.authority, m.target, m.sanction, m.amount_yuan) for m in read_mentions(
    ...     "江苏银保监局对某农商行及其两家支行分别处以50万元、30万元和25万元罚款")]
    [('江苏银保监局', '某农商行', 'fine', 500000.0), ('江苏银保监局', '其两家支行', 'fine', 300000.0), ('江苏银保监局', '其两家支行', 'fine', 250000.0)]

A mention links an authority, a target and a sanction with its amount. Its voices (each rule has its example in
tests/nlp/test_freetext.py):

- active 「对X处以…」 and passive 「X被罚款…」「X因…被处以…」「X被某局罚款…」;
- 分别 pairs targets and amounts in order; 各 gives each target the one amount; 「两家支行」 counts as two;
- 「开出1.2亿元罚单」 is a fine; 「其中对个人罚款20万元」 is a part of the total before it, which is counted once;
- a total for several targets together (「合计罚款」) is assigned to none of them;
- 该行, 该公司, 其, 上述机构 are the institution named before; a 以下简称 is its full name;
- the authority is the one its sentence names, else its paragraph's, else the document's only one;
- statistics (「共处罚机构61家，罚没合计1.4亿元」), proposed penalties (拟), advance notices (事先告知) and supervisory
  measures (警示函, 监管谈话) report no penalty.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from nlp.data import load
from nlp.fields.amounts import find_amounts
from nlp.fields.authorities import regulator_pattern
from nlp.fields.sanctions import read_sanctions
from nlp.patterns import PARTY_LINE, PENALTY_FORMS, PENALTY_NUMBER_LINE, short_names
from nlp.records import Mention, Sanction
from nlp.text import chinese_integer, fold

_VERBS = r"给予|处以|处|罚款|警告|没收|取消|禁止|责令|通报|予以|作出|采取|开出|终身|暂停|吊销|撤销|限制"
# 「对A、B分别处以…」「对两家支行各处以…」
_ACTIVE = re.compile(rf"(?:对|向)(?P<targets>[^，,；;。对向]{{2,60}}?)(?P<mode>分别|各|均)?"
                     rf"(?=\s*(?:合计|共计|总计|累计)?\s*(?:{_VERBS}))")
# 「A被罚款…」「A、B分别被处以…」「A被江苏银保监局罚款…」
_PASSIVE = re.compile(rf"(?P<mode>分别|各|均)?被(?!告|保险|处罚人|处罚单位|处罚机构|申请|投诉|举报|调查|检查|列为|认定)"
                      rf"(?P<by>[^，,；;。被]{{0,30}}?)?(?=(?:依法)?(?:{_VERBS}|罚))")
# 「其中对个人罚款20万元」「其中，机构罚款180万元」: a part of the total the sentence gave before
_PART = re.compile(rf"其中[，,]?\s*(?:对)?(?P<targets>机构|单位|个人|责任人员?|相关责任人|[^，,；;。]{{2,20}}?)(?=\s*(?:{_VERBS}))")
# the last count of a phrase is what is punished: 「辖内两家保险机构的3名员工」 is three people
_COUNT = re.compile(r"^(?P<prefix>.*)(?<![\d两二三四五六七八九十])(?P<n>[两二三四五六七八九十\d]+)(?:家|名|个|位|人)(?P<what>.*)$")
_SENTENCES = re.compile(r"[^。；;！？!?\n]+")
# 「一是…，二是…」: an enumeration's items are sentences of their own
_ENUMERATION = re.compile(r"[，,]?(?=[一二三四五六七八九十]是)")

# Words before a subject that are not part of it: 「近日，」「此前」「其中」「2025年1月」
_LEADING = re.compile(r"^(?:(?:近日|日前|此前|近期|今年|去年|同日|同时|另外|此外|其中|另有|另|据悉|据了解|记者获悉|"
                      r"消息显示|数据显示|信息显示|罚单显示|公告显示|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|"
                      r"上半年|下半年|全年|一季度|二季度|三季度|四季度)[，,]?\s*)+")
# 该行, 该公司, 其, 上述机构: the institution named before
_PRONOUN = re.compile(r"^(?:该|上述|此|涉事|其|前述)(?:银行|行|公司|机构|分行|支行|单位|社|集团|平台)?$|^(?:机构|单位|银行)$")

# Sentences that report no penalty of a target: statistics, proposed penalties and advance notices, supervisory
# measures (not administrative penalties), the rules of a law or regulation (「对…处以…罚款」 as a norm).
_STATISTIC = re.compile(r"不等|\d+\s*(?:家次|人次|户次)|(?:\d{2,}|[3-9])\s*(?:张|件|笔)|(?:共|累计|合计|共计|总计)\s*(?:处罚|罚没|开出|作出|查处)"
                        r"[^，,；;。]{0,6}?\d+\s*(?:家|名|个|人)|(?:[1-9]\d|[5-9])\s*家(?:机构|银行|公司|金融机构)")
_PROPOSED = re.compile(r"拟(?:对|给予|处以|决定|作出|罚款|没收|采取)|事先告知|听证")
_MEASURE = re.compile(r"监管措施|警示函|监管谈话|约见谈话|监管函|关注函|出具.{0,6}函")
_NORM = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条|的[，,]由[^，,；;。]{0,30}(?:责令|处以|给予)|情节严重的|可以|应当|"
                   r"可处|以上[^，,；;。]{0,24}以下|不低于|不超过|原则上|有下列情形之一|依法可能|^[(（][一二三四五六七八九十\d]+[)）]")

NEWS_MARKERS = ("记者", "日前", "近日", "据悉", "报道", "获悉", "消息称", "本报讯", "网讯", "财经", "转载", "公告称",
                "公告显示", "披露", "据了解", "了解到", "数据显示", "统计显示", "据统计", "梳理", "盘点", "罚单显示")
NOTICE_MARKERS = ("通知", "通报", "公告", "答记者问", "专项整治", "专项行动", "工作方案", "监管动态", "提示", "倡议",
                  "报告")


def _targets(phrase: str) -> list[str]:
    """「某农商行及其两家支行」 → ['某农商行', '其两家支行', '其两家支行']."""
    out = []
    for part in (p for p in re.split(r"[、和及与,，]", phrase) if p):
        count = _COUNT.match(part)
        n = 1
        if count and count["what"]:
            number = count["n"]
            n = int(number) if number.isdigit() else chinese_integer(number)
        out.extend([part] * max(1, min(n, 20)))
    return out


def _subject(before: str) -> str:
    """The subject of a passive clause, from the words before its 被: 「近日，某银行因贷款管理不审慎」 → 某银行."""
    for clause in reversed(re.split(r"[，,：:]", before)):
        clause = _LEADING.sub("", clause.strip())
        cut = clause.find("因")
        if cut >= 2:
            clause = clause[:cut]
        elif cut == 0:
            continue   # 「，因…，被罚款」: the reason, the subject is before it
        clause = re.sub(r"(?:近日|日前|此前|再次|再度|又|也|亦|均|先后|相继|依法)$", "", clause.strip())
        # the subject is the clause's opening noun phrase: 「*ST东通在2018年至2021年间虚增营业收入」 → *ST东通
        verb = _SUBJECT_END.search(clause, 2)
        if verb:
            clause = clause[:verb.start()]
        if len(clause) >= 2:
            return clause
    return ""


_SUBJECT_END = re.compile(r"在|于|由于|涉嫌|存在|违反|违规|未按|未能|未|虚增|虚构|通过|利用|将|把|擅自|多次|长期|连续")


def _clauses(sentence: str) -> list[tuple[str, str, str | None, str | None]]:
    """(target phrase, the words that sanction it, 分别/各 when said, the authority a passive names) in order."""
    found: list[tuple[int, int, str, str | None, str | None]] = []   # (start, end of target, phrase, mode, by)
    for match in _ACTIVE.finditer(sentence):
        found.append((match.start(), match.end(), match["targets"], match["mode"], None))
    totals = set()
    for match in _PASSIVE.finditer(sentence):
        start = max((end for _, end, *_ in found if end <= match.start()), default=0)
        before = sentence[start:match.start()]
        if before.rstrip().endswith(("对", "向")) or not before.strip():
            continue
        subject = _subject(before)
        total = re.search(r"(?:合计|共计|总计|累计|共)$", subject)
        if total:
            # 「二人合计被罚60万元」「四家银行合计被罚…」: a total for several, said before the 被
            subject = subject[:total.start()]
            totals.add(match.end())
        if subject:
            by = regulator_pattern().search(match["by"] or "")
            found.append((match.start(), match.end(), subject, match["mode"], by.group(0) if by else None))
    for match in _PART.finditer(sentence):
        found = [f for f in found if not (f[0] <= match.start("targets") < f[1])]
        found.append((match.start(), match.end(), match["targets"], None, None))
    found.sort(key=lambda f: f[0])
    out = []
    for position, (start, end, phrase, mode, by) in enumerate(found):
        stop = found[position + 1][0] if position + 1 < len(found) else len(sentence)
        out.append((phrase.strip(), ("合计" if end in totals else "") + sentence[end:stop], mode, by))
    return out


def addressed(text: str) -> list[tuple[str, list[Sanction]]]:
    """Each target a text addresses and the sanctions it gets, in order of appearance.

    「对A罚款50万元；对B警告并罚款10万元」 gives A a fine and B a warning and a fine; 「对A、B分别处以80万元和25万元罚款」
    gives A 80万元 and B 25万元 (分别 pairs targets and amounts in order). Shared by decisions and free text.
    """
    found: list[tuple[str, list[Sanction]]] = []
    for sentence in _SENTENCES.finditer(fold(text)):
        for name, sanctions, _ in _addressed_in(sentence.group(0)):
            found.append((name, sanctions))
    return found


def _addressed_in(sentence: str) -> list[tuple[str, list[Sanction], str | None]]:
    """(target, sanctions, the authority a passive clause names) for one sentence."""
    out: list[tuple[str, list[Sanction], str | None]] = []
    clauses = _clauses(sentence)
    parts = _part_targets(sentence)
    for phrase, segment, mode, by in clauses:
        if by is not None or segment.startswith("罚") and not segment.startswith(("罚款", "罚没", "罚金")):
            segment = re.sub(r"^罚(?!款|没|金)", "罚款", segment)   # 「被罚60万元」
        sanctions = read_sanctions(segment)
        if not sanctions:
            continue
        names = _targets(phrase)
        is_part = phrase in parts
        if _is_total(segment) and not mode and (len(names) > 1 or (parts and not is_part)):
            # 「对A及相关责任人合计罚款200万元」: a total, not any one target's; its parts follow under 其中
            sanctions = [s for s in sanctions if s.type not in ("fine", "fine_and_confiscation", "confiscation")]
            if not sanctions:
                continue
        if (mode == "分别" or segment.startswith("分别")) and len(names) > 1:
            amounts = [a for a in find_amounts(segment) if not a.range]
            for order, name in enumerate(names):
                own = [replace(s) for s in sanctions]
                for sanction in own:
                    if sanction.type == "fine" and len(amounts) > 1:
                        sanction.amount_yuan = amounts[order].yuan if order < len(amounts) else None
                out.append((name, own, by))
        elif mode in ("各", "均") or segment.startswith(("各", "均")):
            out.extend((name, [replace(s) for s in sanctions], by) for name in names)
        elif len(names) > len(dict.fromkeys(names)):
            # 「对3名员工禁止从事银行业工作」: each of the three is banned; an amount said once for them all
            # (「对两家支行罚款50万元」) is no one's
            for name in names:
                out.append((name, [replace(s, amount_yuan=None) if s.amount_yuan is not None else replace(s)
                                   for s in sanctions], by))
        else:
            out.extend((name, [replace(s) for s in sanctions], by) for name in dict.fromkeys(names))
    return out


def _part_targets(sentence: str) -> set[str]:
    return {m["targets"].strip() for m in _PART.finditer(sentence)}


def _is_total(segment: str) -> bool:
    return bool(re.search(r"(?:合计|共计|总计|累计)", segment[:12]))


def read_mentions(text: str, context: str = "") -> list[Mention]:
    """Every penalty ``text`` reports, each with its authority and its target named as the text names it (a
    pronoun resolved to the institution named before, in ``text`` or in the ``context`` that precedes it)."""
    folded = fold(text)
    aliases = short_names(fold(context) + "\n" + folded)
    everyone = list(dict.fromkeys(regulator_pattern().findall(folded)))
    sole_authority = everyone[0] if len(everyone) == 1 else None
    mentions: list[Mention] = []
    # institutions named so far, the last one last
    named: list[str] = [name for sentence in _SENTENCES.findall(fold(context)) for name in _named_institutions(sentence)]
    for paragraph in folded.split("\n"):
        paragraph_authority: str | None = None
        for sentence_match in _SENTENCES.finditer(paragraph):
            for sentence in (s for s in _ENUMERATION.split(sentence_match.group(0)) if s):
                reported = _reports(sentence)
                clauses = _addressed_in(sentence) if reported else []
                if clauses:
                    first = sentence.find(clauses[0][0]) if clauses[0][0] in sentence else len(sentence)
                    before = regulator_pattern().findall(sentence[:max(first, 0)])
                    authority = before[-1] if before else paragraph_authority or sole_authority
                    for target, sanctions, by in clauses:
                        earlier = named + _named_institutions(sentence[:max(sentence.find(target), 0)])
                        name = _resolve(target, earlier, aliases)
                        mentions.extend(Mention(by or authority, name, s.type, s.label, s.amount_yuan, sentence)
                                        for s in sanctions)
                named.extend(_named_institutions(sentence))
                regulators = regulator_pattern().findall(sentence)
                if regulators:
                    paragraph_authority = regulators[-1]
    return mentions


def _reports(sentence: str) -> bool:
    """Whether a sentence can report a penalty imposed (not a statistic, a proposal, a measure or a norm)."""
    return not (_STATISTIC.search(sentence) or _PROPOSED.search(sentence) or _MEASURE.search(sentence)
                or _NORM.search(sentence.strip()))


def _named_institutions(sentence: str) -> list[str]:
    """The institutions a sentence names (the ORG entities' pattern), in order."""
    names = []
    for pattern in _org_patterns():
        names.extend((m.start(), _LEADING.sub("", m.group(0))) for m in pattern.finditer(sentence))
    return [name for _, name in sorted(names) if len(name) >= 3 and not _PRONOUN.match(name)]


@lru_cache(maxsize=1)
def _org_patterns() -> tuple[re.Pattern, ...]:
    """The ORG entities' patterns (nlp/data/entities.yaml)."""
    return tuple(re.compile(p) for p in load("entities.yaml")["ORG"])


def _resolve(target: str, named: list[str], aliases: dict[str, str]) -> str:
    """A pronoun (该行, 其, 上述机构) as the institution named last; an abbreviation as its full name."""
    target = target.strip()
    if target in aliases:
        return aliases[target]
    if _PRONOUN.match(target) and named:
        return named[-1]
    return target


def parties_in(text: str, context: str = "") -> list[tuple[str, list[Sanction]]]:
    """The targets a decision's sentences punish, each once with its sanctions: the parties of a decision that has
    no party line (a condensed or reposted decision), pronouns resolved against the ``context`` (the facts before
    the decision: 「经查，某公司…。我局决定对该公司罚款…」)."""
    by_target: dict[str, list[Sanction]] = {}
    for mention in read_mentions(text, context):
        sanction = Sanction(type=mention.sanction, label=mention.label, amount_yuan=mention.amount_yuan,
                            text=mention.text)
        by_target.setdefault(mention.target, []).append(sanction)
    return list(by_target.items())


def is_legal_text(lines: list[str]) -> bool:
    """A law, a regulation or rules: articles 「第十二条 …」 open several of its lines. Its 「对…处以…罚款」 are
    norms, not penalties imposed: it reports none."""
    return sum(bool(re.match(r"^第[一二三四五六七八九十百零〇\d]+条", line.strip())) for line in lines) >= 3


def _form_heading(line: str) -> bool:
    """A line that names the document as a penalty (its title): short, ending in the form's name or its number
    (「行政处罚决定书」, 「XX银保监局行政处罚信息公开表」, 「中国证监会行政处罚决定书（某某）」), not a sentence that
    mentions one."""
    line = re.sub(r"\s", "", line)
    if len(line) > 48 or re.search(r"[，,。；;]|收到|领到|被|开出|公布|披露|发布|显示|曝光|晒出|吃到|一览", line):
        return False
    return any(re.search(rf"{form}(?:[(（][^()（）]{{1,30}}[)）])?(?:[\[〔(（]?\d{{4}}.*号)?$", line)
               for form in PENALTY_FORMS) or "罚决字" in line


def _head_size(lines: list[str]) -> int:
    """How many lines the head is: 40, or more when they are a menu's short items (a page whose navigation came one
    item per line), up to 800 characters of them."""
    total = 0
    for index, line in enumerate(lines):
        total += len(line)
        if index >= 40 and total >= 800:
            return index
    return len(lines)


def document_type(lines: list[str], *, has_penalty_table: bool = False, title: str | None = None) -> str:
    """penalty | notice | news | other, from the document's own words.

    A penalty names itself in a heading (「行政处罚决定书」 standing as a title, a 文号 on its own line) or opens
    with a party's label; a text that only speaks of decisions in its sentences is news. Reposted pages put
    navigation lines before the document, so headings are looked for in the first 40 lines, and news markers only
    in sentences (a menu item 「新闻资讯」 is not news). A law's or rule's articles make it ``other``."""
    head_lines = ([title] if title else []) + lines[:_head_size(lines)]
    head = "\n".join(head_lines)
    sentences = "".join(line for line in lines if len(line) >= 15)
    if has_penalty_table:
        return "penalty"
    if is_legal_text(lines):
        # a law or rules; published with a 公告 or 通知, a notice
        return "notice" if any(marker in "".join(head_lines[:3]) for marker in ("公告", "通知")) else "other"
    if any(_form_heading(line) for line in head_lines) or PARTY_LINE.search(head):
        return "penalty"
    # a decision number standing on its own line: 兰银罚字〔2016〕第3号, 银罚决字〔2026〕104号
    if PENALTY_NUMBER_LINE.search(head):
        return "penalty"
    if "批复" in "".join(head_lines[:3]) or "批复" in (title or "") or any(
            line.rstrip().endswith("批复") and len(line) <= 60 for line in head_lines):
        return "other"   # a licensing approval, its title a heading wherever the page puts it
    if any(marker in sentences[:600] for marker in NEWS_MARKERS):
        return "news"
    if any(marker in "".join(head_lines[:3]) for marker in NOTICE_MARKERS):
        return "notice"
    if read_mentions("\n".join(lines)):
        return "news"
    return "other"
