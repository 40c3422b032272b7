"""Typed records passed between extraction, the database loaders and `regkb parse`. One definition each."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.review import Review


@dataclass
class Sanction:
    """One sanction imposed on one party. ``type`` is a stable code, ``label`` the Chinese term."""

    type: str                     # warning | fine | confiscation | fine_and_confiscation | ban | disqualification | …
    label: str                    # 警告, 罚款, 没收违法所得, …
    amount_yuan: float | None = None
    years: int | None = None      # ban or disqualification length; None with lifetime=True for 终身
    lifetime: bool = False
    text: str = ""                # the words it was read from


@dataclass
class Party:
    """A punished party. A 法定代表人 named for contact is kept as ``legal_representative``, never as a party."""

    name: str
    kind: str                     # institution | individual
    role: str | None = None       # 时任XX支行行长
    legal_representative: str | None = None
    institution_type: str | None = None   # 国有大型银行, 股份制银行, 城商行, 农商行, … (institutions only)
    parent: str | None = None             # the group: 中国工商银行股份有限公司成都分行 → 中国工商银行
    legal_entity: str | None = None       # the legal person the branch belongs to: 中国工商银行股份有限公司
    branch_level: str | None = None       # 法人 | 分行 | 支行 | 分公司 | 中心支公司 | 支公司 | 营业部 | 营业网点 | …
    sanctions: list[Sanction] = field(default_factory=list)
    sanctions_text: str | None = None

    def _total(self, sanction_type: str) -> float | None:
        amounts = [s.amount_yuan for s in self.sanctions if s.type == sanction_type and s.amount_yuan is not None]
        return sum(amounts) if amounts else None

    @property
    def fine_yuan(self) -> float | None:
        return self._total("fine")

    @property
    def confiscated_yuan(self) -> float | None:
        return self._total("confiscation")


@dataclass
class Citation:
    """One cited provision: the law's full name and one article (第四十六条), optionally a clause."""

    law: str
    article: str | None = None
    clause: str | None = None


@dataclass
class Authority:
    """The deciding authority, normalised. ``name`` is as published; ``canonical`` is the official full name."""

    name: str
    canonical: str
    regulator: str                # NFRA | CBIRC | CBRC | CIRC | PBOC | CSRC
    level: str                    # head office | provincial bureau | sub-bureau
    province: str | None = None
    city: str | None = None


# What a published decision is: 行政处罚 (penalty), 行政监管措施 (measure: 警示函, 责令改正, 监管谈话 …),
# 行政执法当事人承诺 (commitment: a CSRC case closed on the party's undertaking) or 行政复议 (review: the decision on an
# appeal against one). Only a penalty fines or confiscates (nlp/document.py drops what a measure's text recalls).
KINDS = ("penalty", "measure", "commitment", "review")


@dataclass
class Decision:
    """One published penalty decision, as extracted from one archived document."""

    source: str
    doc_id: str
    doc_format: str               # table | fulltext
    kind: str = "penalty"         # one of KINDS: what the list it was published in says it is
    title: str | None = None
    decision_no: str | None = None
    authority: Authority | None = None
    authority_name: str | None = None
    decision_date: str | None = None     # ISO date
    publish_date: str | None = None      # ISO date
    parties: list[Party] = field(default_factory=list)
    facts: str | None = None
    legal_basis: str | None = None
    citations: list[Citation] = field(default_factory=list)
    decision_text: str | None = None
    categories: list[str] = field(default_factory=list)
    category_evidence: dict[str, str] = field(default_factory=dict)
    subcategories: dict[str, str] = field(default_factory=dict)   # 「category/sub-category」 → evidence
    aliases: dict[str, str] = field(default_factory=dict)         # 以下简称: short name → full name
    url: str | None = None               # the page a person opens
    source_url: str | None = None        # the endpoint the bytes came from
    raw_sha256: str | None = None
    read_by: str | None = None           # "ocr": recognised from a scan (nlp/formats/ocr.py)
    ocr_score: float | None = None       # and the lowest recognition score of its row's values (0–1)
    revisions: int = 1                   # how many different bodies the archive holds of its document (corrections)
    review: Review = field(default_factory=Review)   # what could not be read (nlp/review.py)

    @property
    def decision_id(self) -> str:
        return f"{self.source}:{self.doc_id}"

    @property
    def total_fine_yuan(self) -> float | None:
        fines = [party.fine_yuan for party in self.parties if party.fine_yuan is not None]
        return sum(fines) if fines else None

    @property
    def total_penalty_yuan(self) -> float | None:
        """Fines, confiscations and 罚没合计 (a combined sum the decision does not split) together: what the parties
        pay."""
        amounts = [s.amount_yuan for party in self.parties for s in party.sanctions
                   if s.type in ("fine", "confiscation", "fine_and_confiscation") and s.amount_yuan is not None]
        return sum(amounts) if amounts else None

    @property
    def date(self) -> str | None:
        """The date to sort and count by: the decision's, else the publication's (``date_basis`` says which)."""
        return self.decision_date or self.publish_date

    @property
    def date_basis(self) -> str | None:
        if self.decision_date:
            return "决定日期"
        return "发布日期" if self.publish_date else None


@dataclass
class Mention:
    """One penalty a text reports (news, notices), or a decision's own in the same shape: who, what, how much."""

    authority: str | None
    target: str
    sanction: str               # sanction type code (fine, warning, …)
    label: str
    amount_yuan: float | None
    text: str


@dataclass
class Entity:
    """A named entity of the spaCy pipeline (nlp/entities.py) over a document's cleaned text."""

    text: str
    label: str                  # ORG | REGULATOR | PERSON | MONEY | LAW | GPE | DATE
    start: int
    end: int
    yuan: float | None = None
    law: str | None = None
    article: str | None = None


@dataclass
class Analysis:
    """One document analysed: its type, the decision it holds (a penalty), the penalties it reports, its entities."""

    doc_type: str                      # penalty | notice | news | other
    decision: Decision | None
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    text: str = ""
    review: Review = field(default_factory=Review)   # the decision's own, or the document's when it holds none


@dataclass
class Provision:
    """One 条 of a law or rule. ``article`` is in the one form citations use (第四十六条, nlp/fields/legal_basis.py);
    its 款 are ``clauses`` in order, and a 款's 项 (（一）（二）…) stay inside its text (nlp/texts/ addresses them)."""

    number: int                   # 46
    article: str                  # 第四十六条
    chapter: str | None           # 第五章 法律责任 (with its 节: 第五章 法律责任 第一节 …)
    text: str                     # the whole article, 款 one a line
    clauses: list[str] = field(default_factory=list)


@dataclass
class TextVersion:
    """One event of a text's history as its preamble states it: 通过, 修正, 修订, 废止, 发布."""

    label: str                    # 通过 | 修正 | 修订 | 废止 | 发布
    date: str | None              # ISO
    note: str                     # the words it was read from (根据2006年10月31日…《关于修改…的决定》修正)
    effective: str | None = None  # the day its words took effect, where the text says and it is not the date above


@dataclass
class RegulatoryText:
    """A law, rule or notice as published: its text, split into 条 when it has them, and its versions."""

    source: str
    doc_id: str
    kind: str                     # law | regulation | rule | normative | notice | announcement
    title: str                    # as published
    name: str                     # the name citations use (中华人民共和国银行业监督管理法; 《》 stripped)
    issuer: str | None = None
    document_no: str | None = None
    publish_date: str | None = None
    effective_date: str | None = None
    url: str | None = None
    raw_sha256: str | None = None
    body: str = ""                # the text, one paragraph a line
    provisions: list[Provision] = field(default_factory=list)
    versions: list[TextVersion] = field(default_factory=list)
    named: list[tuple[str, str | None]] = field(default_factory=list)   # laws/articles it names (《…》第N条)
    categories: list[str] = field(default_factory=list)                 # nlp/data/categories.yaml

    @property
    def text_id(self) -> str:
        return f"{self.source}:{self.doc_id}"


@dataclass
class Reading:
    """One archived body read by its source's reader, once: the decisions it holds, and what a person is shown of it
    where that is not the body itself (the NFRA envelope's docClob; an office attachment's tables and text)."""

    analyses: list[Analysis] = field(default_factory=list)
    document_html: str | None = None   # what the document says, as HTML (shown sanitised on the decision page)
    rendering: str | None = None       # how document_html was made from the bytes, when it is not their own HTML
    texts: list[RegulatoryText] = field(default_factory=list)   # the laws, rules and notices it holds


class Unparseable(Exception):
    """A document extraction cannot read; the reason goes to the quarantine table with the raw hash."""
