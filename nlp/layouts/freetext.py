"""Free text (news reports, regulator notices): what kind of document it is, and each penalty it reports.

    >>> [(m.authority, m.target, m.sanction, m.amount_yuan) for m in read_mentions(
    ...     "江苏银保监局对某农商行及其两家支行分别处以50万元、30万元和25万元罚款")]
    [('江苏银保监局', '某农商行', 'fine', 500000.0), ('江苏银保监局', '其两家支行', 'fine', 300000.0), ('江苏银保监局', '其两家支行', 'fine', 250000.0)]

A mention links an authority, a target and a sanction with its amount; 分别 pairs targets and amounts in order, and
「两家支行」 counts as two targets. A notice announcing a campaign that reports no penalty has no mentions.
"""

from __future__ import annotations

import re

from nlp.fields.amounts import find_amounts
from nlp.fields.authorities import regulator_pattern
from nlp.fields.sanctions import read_sanctions
from nlp.patterns import PARTY_LINE, PENALTY_MARKERS, PENALTY_NUMBER_LINE
from nlp.records import Mention, Sanction
from nlp.text import chinese_integer, fold

_TARGET = re.compile(r"对(?P<targets>[^，,；;。对]{2,60}?)(?P<respectively>分别)?(?=给予|处以|处|罚款|警告|没收|取消|禁止|责令|通报|予以|作出|采取)")
_COUNT = re.compile(r"^(?P<prefix>.*?)(?P<n>[两二三四五六七八九十\d]+)(?:家|名|个)(?P<what>.+)$")
_SENTENCES = re.compile(r"[^。；;！？!?\n]+")

NEWS_MARKERS = ("记者", "日前", "近日", "据悉", "报道", "获悉", "消息称", "本报讯", "网讯", "财经", "转载")
NOTICE_MARKERS = ("通知", "通报", "公告", "答记者问", "专项整治", "专项行动", "工作方案", "监管动态", "提示", "倡议")


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


def addressed(text: str) -> list[tuple[str, list[Sanction]]]:
    """Each target a text addresses with 「对X…」 and the sanctions it gets, in order of appearance.

    「对A罚款50万元；对B警告并罚款10万元」 gives A a fine and B a warning and a fine; 「对A、B分别处以80万元和25万元罚款」
    gives A 80万元 and B 25万元 (分别 pairs targets and amounts in order). Shared by decisions and free text.
    """
    found: list[tuple[str, list[Sanction]]] = []
    matches = list(_TARGET.finditer(text))
    for position, target in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(text)
        segment = text[target.end():end]
        sanctions = read_sanctions(segment)
        if not sanctions:
            continue
        names = _targets(target["targets"])
        if (target["respectively"] or segment.startswith("分别")) and len(names) > 1:
            amounts = find_amounts(segment)
            for order, name in enumerate(names):
                own = [Sanction(**vars(s)) for s in sanctions]
                for sanction in own:
                    if sanction.type == "fine" and len(amounts) == 1:
                        pass   # 「对A、B给予警告，并分别处以35万元罚款」: one amount, each target's
                    elif sanction.type == "fine":
                        sanction.amount_yuan = amounts[order].yuan if order < len(amounts) else None
                found.append((name, own))
        else:
            found.extend((name, [Sanction(**vars(s)) for s in sanctions]) for name in dict.fromkeys(names))
    return found


def read_mentions(text: str) -> list[Mention]:
    mentions: list[Mention] = []
    last_authority: str | None = None
    for sentence_match in _SENTENCES.finditer(fold(text)):
        sentence = sentence_match.group(0)
        first_target = _TARGET.search(sentence)
        if first_target:
            authorities = regulator_pattern().findall(sentence[:first_target.start()])
            authority = authorities[-1] if authorities else last_authority
            for name, sanctions in addressed(sentence):
                mentions.extend(Mention(authority, name, s.type, s.label, s.amount_yuan, sentence) for s in sanctions)
        regulators = regulator_pattern().findall(sentence)
        if regulators:
            last_authority = regulators[-1]
    return mentions


def document_type(lines: list[str], *, has_penalty_table: bool = False, title: str | None = None) -> str:
    """penalty | notice | news | other, from the document's own words.

    Reposted pages put navigation lines before the document, so the markers are looked for in the first 40 lines,
    and news markers only in sentences (a menu item 「新闻资讯」 is not news)."""
    head_lines = ([title] if title else []) + lines[:40]
    head = "\n".join(head_lines)
    sentences = "".join(line for line in lines if len(line) >= 15)
    if has_penalty_table or any(marker in head for marker in PENALTY_MARKERS):
        return "penalty"
    if PARTY_LINE.search(head):
        return "penalty"
    # a decision number standing on its own line: 兰银罚字〔2016〕第3号, 银罚决字〔2026〕104号
    if PENALTY_NUMBER_LINE.search(head):
        return "penalty"
    if "批复" in "".join(head_lines[:3]) or "批复" in (title or ""):
        return "other"
    if any(marker in sentences[:600] for marker in NEWS_MARKERS):
        return "news"
    if any(marker in "".join(head_lines[:3]) for marker in NOTICE_MARKERS):
        return "notice"
    if read_mentions("\n".join(lines)):
        return "news"
    return "other"
