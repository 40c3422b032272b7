"""`regkb export ftm`: the demo database as FollowTheMoney entities, read back with FtM's own tools.

What a screening team checks: the file validates (``ftm validate`` changes nothing in it), every reference points at
an entity in the file, each sanction row is one Sanction, a sanction reads as its decision says (checked against
the published text), and nothing of a person's private details is in it.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_regkb

ftm = pytest.importorskip("followthemoney", reason="followthemoney is not installed (its PyICU needs Debian's "
                                                   "libicu-dev, pkg-config and g++; then pip install -e '.[ftm]')")
from followthemoney import model  # noqa: E402


@pytest.fixture(scope="module")
def exported(demo_db, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("ftm") / "regkb.ftm.json"
    result = run_regkb("export", "ftm", "-o", str(output), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert f"→ {output}" in result.stdout
    return output


@pytest.fixture(scope="module")
def entities(exported) -> list[dict]:
    return [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def by_id(entities) -> dict[str, dict]:
    return {entity["id"]: entity for entity in entities}


def test_ftm_validate_keeps_every_value(exported, entities, tmp_path):
    """`ftm validate` re-parses each value by its property's type and drops what it cannot read: nothing is dropped."""
    cleaned = tmp_path / "validated.json"
    ftm_cli = Path(sys.executable).with_name("ftm")
    subprocess.run([str(ftm_cli), "validate", "-i", str(exported), "-o", str(cleaned)], check=True, timeout=120)
    again = {e["id"]: e for e in map(json.loads, cleaned.read_text(encoding="utf-8").splitlines())}
    assert len(again) == len(entities)
    for entity in entities:
        assert {k: sorted(v) for k, v in again[entity["id"]]["properties"].items()} == \
            {k: sorted(v) for k, v in entity["properties"].items()}, entity["id"]


def test_every_entity_is_whole_and_every_reference_resolves(entities, by_id):
    assert len(by_id) == len(entities), "an id is written twice"
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity
        assert schema.validate(entity) is None, (entity["id"], schema.validate(entity))
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            if prop.type.name == "entity":
                for value in values:
                    assert value in by_id, f"{entity['id']}.{name} → {value}, not in the file"
                    assert model.get(by_id[value]["schema"]).is_a(prop.range), (entity["id"], name)


def test_one_sanction_per_sanction_row(demo_db, entities):
    with sqlite3.connect(demo_db) as db:
        rows = {row[0] for row in db.execute("SELECT sanction_id FROM sanctions")}
        authorities = db.execute("SELECT count(*) FROM authorities").fetchone()[0]
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    assert {s["properties"]["recordId"][0] for s in sanctions} == rows and len(sanctions) == len(rows)
    assert sum(e["schema"] == "PublicBody" for e in entities) == authorities


def test_a_market_ban_reads_as_the_decision_says(entities, by_id):
    """CSRC 〔2024〕7号 (sources/csrc/demo/decisions/7474962.txt): 「对刘斌采取5年市场禁入措施」, dated
    2024年3月20日."""
    ban = next(e for e in entities if e["schema"] == "Sanction"
               and e["properties"].get("authorityId") == ["〔2024〕7号"]
               and by_id[e["properties"]["entity"][0]]["properties"]["name"] == ["刘斌"])
    p = ban["properties"]
    assert p["provisions"] == ["证券市场禁入 5年"]
    assert p["startDate"] == ["2024-03-20"] and p["endDate"] == ["2029-03-20"]
    assert p["authority"] == ["中国证券监督管理委员会"]
    assert by_id[p["entity"][0]]["schema"] == "Person"
    assert "debarment" in by_id[p["entity"][0]]["properties"]["topics"]


def test_a_fine_on_a_bank_reads_as_the_table_says(entities, by_id):
    """NFRA docId 9000046 (sources/nfra/demo/documents/9000046.json): 内蒙古土默特右旗农村商业银行股份有限公司,
    处罚依据 《金融违法行为处罚办法》第十六条, 行政处罚决定 罚款人民币5130元."""
    fine = next(e for e in entities if e["schema"] == "Sanction"
                and e["properties"]["recordId"] == ["nfra:9000046/1/1"])
    p = fine["properties"]
    assert p["provisions"] == ["罚款 5,130 元"]
    assert any("《金融违法行为处罚办法》第十六条" in text for text in p["description"])
    bank = by_id[p["entity"][0]]
    assert bank["schema"] == "Company"
    assert bank["properties"]["name"] == ["内蒙古土默特右旗农村商业银行股份有限公司"]
    assert {"reg.action", "fin.bank"} <= set(bank["properties"]["topics"])
    assert p["sourceUrl"] == ["https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=9000046&itemId=4115"]


def test_an_institution_fined_twice_is_one_entity_and_a_branch_links_its_bank(demo_db, entities, by_id):
    with sqlite3.connect(demo_db) as db:
        name, decisions = db.execute(
            "SELECT name, count(DISTINCT decision_id) FROM parties WHERE kind = 'institution' "
            "GROUP BY name HAVING count(DISTINCT decision_id) > 1 ORDER BY name LIMIT 1").fetchone()
    same = [e for e in entities if e["schema"] in ("Company", "Organization") and e["properties"]["name"] == [name]]
    assert len(same) == 1
    fined = [e for e in entities if e["schema"] == "Sanction" and e["properties"]["entity"] == [same[0]["id"]]]
    assert len({s["properties"]["recordId"][0].split("/")[0] for s in fined}) == decisions
    branch = next(e for e in entities if e["schema"] == "Company"
                  and e["properties"]["name"] == ["中国工商银行股份有限公司常州分行"])
    link = next(e for e in entities if e["schema"] == "UnknownLink" and e["properties"]["object"] == [branch["id"]])
    assert by_id[link["properties"]["subject"][0]]["properties"]["name"] == ["中国工商银行股份有限公司"]


def test_nothing_private_of_a_person(entities):
    """The CSRC decisions name each person's birth month and district of residence (「刘斌,男,1969年10月出生,住址:
    上海市黄浦区」); a person entity holds a name, a role, and where it was published, nothing else."""
    people = [e for e in entities if e["schema"] == "Person"]
    assert people
    for person in people:
        assert set(person["properties"]) <= {"name", "position", "country", "topics", "sourceUrl", "program"}
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in entities)
    assert "上海市黄浦区" not in text and "1969年10月" not in text
    assert not re.search(r"(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{5}[\dXx](?!\d)", text)


def test_ids_are_the_same_in_every_export(demo_db, exported, tmp_path):
    again = tmp_path / "again.json"
    assert run_regkb("export", "ftm", "-o", str(again), "--db", str(demo_db)).returncode == 0
    assert again.read_bytes() == exported.read_bytes()


def test_no_database_is_a_clear_error(tmp_path):
    result = run_regkb("export", "ftm", "-o", str(tmp_path / "x.json"), "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "no database at" in result.stderr and "regkb demo" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_the_readme_command_is_the_one_tested():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "regkb export ftm -o" in readme and "ftm validate" in readme
