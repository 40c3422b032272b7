"""The knowledge base as FollowTheMoney entities, the model screening and investigation tools read (OpenSanctions'
yente, Aleph, the ``ftm`` tools), written with the ``followthemoney`` library's own model.

    from regkb.ftm import export_ftm
    counts = export_ftm("regkb.ftm.json")      # JSON Lines, one entity a line
    counts["Sanction"]                         # one per row of the sanctions table

What becomes what:

- a deciding authority → ``PublicBody`` (its canonical name; the names it appears under as aliases);
- a punished institution → ``Company`` (a bank, an insurer, a securities firm: a company by its name) or
  ``Organization`` (a credit cooperative, a 筹备组, whatever is not named as a company); one entity per name across
  all decisions, since an institution's registered name names it;
- a branch → an ``UnknownLink`` to its legal entity (role 分支机构): a branch is part of the legal person, not
  owned by it; a group regkb knows that is not the legal entity itself (中国太平保险 over 太平财产保险有限公司) → an
  ``Organization`` and an ``UnknownLink`` (role 所属集团), since regkb knows the group, not the shareholding;
- a punished person → ``Person``, one per party row: a name is not an identity, so two decisions against 张伟 are two
  people until someone shows otherwise; the role as published (时任…) as ``position``, the employer as an
  ``Employment``. Nothing else of a person is written: no identity number, no address, no birth date (regkb keeps
  none; the privacy policy of the README);
- a sanction → ``Sanction``: ``entity`` the party, ``authority`` the deciding authority, ``authorityId`` the
  decision number, ``program`` the regulator's penalty publications, ``startDate`` the decision date (the
  publication date where the decision states none), ``listingDate`` the publication date, ``endDate`` where a ban
  runs for some years, ``reason`` the facts, ``provisions`` what the sanction is (罚款 500,000 元, 禁止从事银行业工作
  5年), ``summary`` the clause it was read from, ``description`` the legal basis, ``sourceUrl`` the decision's page,
  ``recordId`` regkb's key. FtM's Sanction has no amount or currency property, so the amount is in ``provisions``
  (in yuan, CNY) and the party's ``topics`` say what kind of action it was (reg.action; reg.warn where a warning or
  an order to correct is all there is).

Ids are stable across rebuilds: ``regkb-`` and regkb's own key (``regkb-sanction-nfra-892530-1-2``), or for what is
named rather than numbered (an institution, an authority, a group) a hash of the name.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

from followthemoney import model
from followthemoney.proxy import EntityProxy

from regkb.export import write_atomically
from regkb.kb import KnowledgeBase
from sources import get as source
from sources import names as source_names

# What the regulators publish their penalties as, by regulator of the era (the program a sanction is listed under)
PROGRAMS = {
    "NFRA": "国家金融监督管理总局行政处罚信息公开",
    "CBIRC": "中国银行保险监督管理委员会行政处罚信息公开",
    "CBRC": "中国银行业监督管理委员会行政处罚信息公开",
    "CIRC": "中国保险监督管理委员会行政处罚信息公开",
    "PBOC": "中国人民银行行政处罚信息公示",
    "CSRC": "中国证券监督管理委员会行政处罚决定",
}
# Sanctions that are a warning, not a penalty with a cost (topic reg.warn when a party has only these)
WARNINGS = {"warning", "correction", "public_criticism"}
BANS = {"ban", "market_ban", "disqualification"}
# Institution types of regkb's gazetteer that are banks (topic fin.bank)
BANKS = {"国有大型银行", "股份制银行", "城商行", "农商行", "农信社", "村镇银行", "外资银行", "政策性银行"}
_COMPANY = re.compile(r"(?:公司|银行|分行|支行|营业部|营业所|分理处|储蓄所)$")


def entity_id(kind: str, key: str) -> str:
    """``regkb-{kind}-{key}`` with the key's separators as dashes: ("sanction", "nfra:892530/1/2") →
    regkb-sanction-nfra-892530-1-2. A key that is a name (Chinese) is hashed."""
    slug = re.sub(r"[^0-9A-Za-z.]+", "-", key).strip("-.")
    if not slug or slug != key.replace(":", "-").replace("/", "-"):
        slug = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    return f"regkb-{kind}-{slug}"


class Entities:
    """The entities of an export by id; one written twice (an institution fined in two decisions) is merged."""

    def __init__(self) -> None:
        self.by_id: dict[str, EntityProxy] = {}

    def make(self, schema: str, kind: str, key: str, **properties) -> EntityProxy:
        entity = model.make_entity(schema)
        entity.id = entity_id(kind, key)
        for name, values in properties.items():
            for value in values if isinstance(values, (list, tuple, set)) else [values]:
                if value not in (None, ""):
                    entity.add(name, value)
        known = self.by_id.get(entity.id)
        if known is None:
            self.by_id[entity.id] = entity
            return entity
        known.merge(entity)     # a Company met once as an Organization: merge keeps the more specific schema
        return known

    def sorted(self) -> list[EntityProxy]:
        order = ["PublicBody", "Organization", "Company", "Person", "UnknownLink", "Employment", "Sanction"]
        return sorted(self.by_id.values(), key=lambda e: (order.index(e.schema.name), e.id))


def entities(db: str | Path | None = None) -> list[EntityProxy]:
    """Every entity of the database, in a fixed order: authorities, institutions, people, links, sanctions."""
    with KnowledgeBase(db) as kb:       # the database read-only, as the notebooks read it
        kb.connection.row_factory = sqlite3.Row
        return _entities(kb.connection).sorted()


def _entities(connection: sqlite3.Connection) -> Entities:
    out = Entities()
    authorities = {row["authority_id"]: row for row in connection.execute("SELECT * FROM authorities")}
    for row in authorities.values():
        out.make("PublicBody", "authority", row["authority_id"], name=row["canonical"],
                 alias=[n for n in json.loads(row["names_seen"] or "[]") if n != row["canonical"]],
                 country="cn", jurisdiction="cn", topics="gov.financial", classification=row["level"],
                 address=" ".join(p for p in (row["province"], row["city"]) if p) or None)
    decisions = {row["decision_id"]: row for row in connection.execute(
        "SELECT d.*, r.fetched_at FROM decisions d LEFT JOIN raw_documents r ON r.sha256 = d.raw_sha256")}
    sanctions: dict[str, list[sqlite3.Row]] = {}
    for row in connection.execute("SELECT * FROM sanctions ORDER BY sanction_id"):
        sanctions.setdefault(row["party_id"], []).append(row)
    for party in connection.execute("SELECT * FROM parties ORDER BY party_id"):
        decision = decisions[party["decision_id"]]
        own = sanctions.get(party["party_id"], [])
        holder = _party(out, party, decision, own)
        for row in own:
            _sanction(out, row, holder, decision)
    return out


def _party(out: Entities, party: sqlite3.Row, decision: sqlite3.Row, own: list[sqlite3.Row]) -> EntityProxy:
    types = {row["type"] for row in own}
    topics = ["reg.warn"] if types and types <= WARNINGS else ["reg.action"]
    if types & BANS:
        topics.append("corp.disqual" if party["kind"] == "institution" else "debarment")
    common = {"country": "cn", "topics": topics, "sourceUrl": decision["url"],
              "program": PROGRAMS.get(decision["regulator"])}
    if party["kind"] == "individual":
        person = out.make("Person", "person", party["party_id"], name=party["name"], position=party["role"],
                          **common)
        employer = party["legal_entity"] or None
        if employer:
            company = _institution(out, employer, party["institution_type"], country="cn")
            out.make("Employment", "employment", party["party_id"], employee=person.id, employer=company.id,
                     role=party["role"], sourceUrl=decision["url"])
        return person
    if party["institution_type"] in BANKS:
        common["topics"] = [*topics, "fin.bank"]
    else:
        common["topics"] = [*topics, "fin"]
    holder = _institution(out, party["name"], party["institution_type"], sector=party["institution_type"],
                          classification=party["branch_level"], **common)
    legal = party["legal_entity"]
    if legal and legal != party["name"]:
        entity = _institution(out, legal, party["institution_type"], country="cn")
        out.make("UnknownLink", "branch", f"{legal}>{party['name']}", subject=entity.id, object=holder.id,
                 role="分支机构 (branch)", sourceUrl=decision["url"])
    _group(out, party["parent"], legal or party["name"], decision)
    return holder


def _institution(out: Entities, name: str, institution_type: str | None, **properties) -> EntityProxy:
    schema = "Company" if _COMPANY.search(name) or institution_type in {"证券公司", "期货公司", "基金公司"} \
        else "Organization"
    return out.make(schema, "org", name, name=name, **properties)


def _group(out: Entities, group: str | None, legal: str, decision: sqlite3.Row) -> None:
    """The group, where it is not the legal entity under a short name (中国工商银行 of 中国工商银行股份有限公司)."""
    if not group or legal.startswith(group):
        if group and group != legal:
            out.by_id[entity_id("org", legal)].add("alias", group)
        return
    entity = out.make("Organization", "org", group, name=group, country="cn")
    out.make("UnknownLink", "group", f"{group}>{legal}", subject=entity.id, object=entity_id("org", legal),
             role="所属集团 (group)", sourceUrl=decision["url"])


def _sanction(out: Entities, row: sqlite3.Row, holder: EntityProxy, decision: sqlite3.Row) -> None:
    start = decision["decision_date"] or decision["publish_date"]
    out.make("Sanction", "sanction", row["sanction_id"], entity=holder.id,
             authority=decision["authority_id"] or decision["authority"], authorityId=decision["decision_no"],
             program=PROGRAMS.get(decision["regulator"]), programId=f"regkb-{decision['source']}",
             startDate=start, listingDate=decision["publish_date"], endDate=_ends(start, row),
             provisions=provisions(row), summary=row["text"], reason=decision["facts"],
             description=f"处罚依据：{decision['legal_basis']}" if decision["legal_basis"] else None,
             sourceUrl=decision["url"], recordId=row["sanction_id"], country="cn",
             publisher=_publisher(decision["source"]), retrievedAt=(decision["fetched_at"] or "")[:10])


@cache
def _publisher(name: str) -> str | None:
    """The regulator whose site published a source's decisions (its source.yaml), read once per export."""
    return source(name).facts.publisher if name in source_names() else None


def provisions(row: sqlite3.Row | dict) -> str:
    """What a sanction is, as a screener reads it: 罚款 500,000 元 · 禁止从事银行业工作 5年 · 证券市场禁入 终身."""
    words = [row["label"]]
    if row["amount_yuan"] is not None:
        amount = row["amount_yuan"]
        words.append(f"{amount:,.0f} 元" if float(amount).is_integer() else f"{amount:,.2f} 元")
    if row["lifetime"]:
        words.append("终身")
    elif row["years"]:
        words.append(f"{row['years']}年")
    return " ".join(words)


def _ends(start: str | None, row: sqlite3.Row) -> str | None:
    """The day a ban of some years ends (a lifetime ban, a fine: none)."""
    if not start or row["type"] not in BANS or not row["years"] or row["lifetime"]:
        return None
    begun = date.fromisoformat(start[:10])
    try:
        return begun.replace(year=begun.year + row["years"]).isoformat()
    except ValueError:    # 29 February
        return begun.replace(year=begun.year + row["years"], day=28).isoformat()


def export_ftm(output: str | Path, db: str | Path | None = None) -> Counter:
    """Write every entity as FtM JSON Lines to ``output`` (whole or not at all); the count of each schema."""
    found = entities(db)

    def write(path: Path) -> None:
        with path.open("w", encoding="utf-8") as out:
            for entity in found:
                out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")

    write_atomically(Path(output), write)
    return Counter(entity.schema.name for entity in found)
