"""What extraction could not read in a document, said where a person can look.

A document regkb can open always gives a result: its type and whatever fields could be read. What could not be
read goes into the record's ``review`` list, one fixed phrase each (so Datasette facets them), with the particulars
in ``review_notes``:

    >>> note = Review()
    >>> note.add(UNKNOWN_LABEL, "送达地址")
    >>> note.add(UNKNOWN_LABEL, "备案号")
    >>> note.items, note.notes
    (['未知标签'], ['未知标签：送达地址', '未知标签：备案号'])

The phrases, and what each means for a person checking the record, are declared once here (the Datasette help and
the README are written from ``REASONS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NO_PARTY = "未识别当事人"
PARTIES_FROM_TEXT = "当事人由正文推断"
AUTHORITY_UNRESOLVED = "处罚机关未识别"
NO_DECISION_DATE = "无决定日期"
UNASSIGNED_AMOUNT = "金额未归属当事人"
UNKNOWN_LABEL = "未知标签"
NO_SANCTION = "未识别处罚"
NO_TEXT = "无正文"
IN_ATTACHMENTS = "内容在附件中"
OCR_DOUBT = "识别存疑"
ARTICLE_MISSING = "引用条文不存在"
LAW_UNKNOWN = "引用法规未收录"

REASONS: dict[str, str] = {
    NO_PARTY: "The document reads as a penalty, but no punished party could be read from it (no party label, no "
              "target of a sanction): the decision is kept with what could be read.",
    PARTIES_FROM_TEXT: "No party label: the parties are the targets the decision's sentences punish (对X处以…, "
                       "X被罚款…), not a labelled party line; check the names.",
    AUTHORITY_UNRESOLVED: "The deciding authority is not named, or its name is not one regkb can place (the "
                          "notes give the name as written).",
    NO_DECISION_DATE: "The document gives no decision date: `date` falls back to the publication date.",
    UNASSIGNED_AMOUNT: "An amount is stated for several parties together (合计) or for no party: it is not "
                       "assigned to any one of them.",
    UNKNOWN_LABEL: "A label of the document's table or lines that regkb has no field for (the notes name it); "
                   "its value is kept in the document, not in a field.",
    NO_SANCTION: "A party was read but no sanction could be read for it.",
    NO_TEXT: "The document has no text regkb could read (an empty page, a record without its text).",
    IN_ATTACHMENTS: "The page's 公示表 or decision is in its attachments (the notes name them): their records are "
                    "read from those files.",
    OCR_DOUBT: "Read from a scan by OCR, and a value failed a check (a 文号 not whole, an amount that does not "
               "read) or was recognised with low confidence: the notes give the page and the region of the image "
               "to look at; the value is as recognised, not corrected.",
    ARTICLE_MISSING: "A cited article the law has not (第一百八十条 of a law of 52 articles, in the version in force on "
                     "the decision date): a misprint in the decision or in its reading; the notes give the citation.",
    LAW_UNKNOWN: "A cited law or rule the base holds no text of (the notes name it): the citation is kept as written, "
                 "not linked to an article.",
}


@dataclass
class Review:
    """The review phrases of one record, each once, and their particulars in order."""

    items: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, reason: str, detail: str | None = None) -> None:
        if reason not in REASONS:
            raise ValueError(f"{reason!r} is not a review reason of nlp/review.py")
        if reason not in self.items:
            self.items.append(reason)
        note = f"{reason}：{detail}" if detail else reason
        if note not in self.notes:
            self.notes.append(note)

    def extend(self, other: "Review") -> None:
        for note in other.notes:
            reason, _, detail = note.partition("：")
            self.add(reason, detail or None)
