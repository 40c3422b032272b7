"""The home page: one search box and an advanced form, results as cards, every page of them, and help when nothing
matches. What it finds is checked against plain SQL over the demo database (tests/web/test_search.py's like_ids for
the words), and each card against its decision's row.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from db.search import query_terms
from tests.web.conftest import get, sql
from tests.web.test_search import like_ids


def page(path: str = "/", **params):
    return lxml.html.fromstring(get(path, **params).text)


def cards(html) -> list[dict]:
    found = []
    for card in html.cssselect("li.regkb-card"):
        link = card.cssselect("h2 a")[0]
        found.append({"id": sql("select decision_id from decisions where heading = ?", [link.text_content()]),
                      "heading": link.text_content(), "url": link.get("href"),
                      "meta": card.cssselect(".regkb-meta")[0].text_content(),
                      "marked": [mark.text_content() for mark in card.cssselect("mark")],
                      "tags": [tag.text_content() for tag in card.cssselect(".tag")]})
    return found


def every_card(**params) -> list[dict]:
    """Every card of a search, following 下一页 to the end."""
    seen, path = [], "/"
    while True:
        html = page(path, **params)
        seen += cards(html)
        following = html.cssselect('a[rel="next"]')
        if not following:
            return seen
        address = urlsplit(following[0].get("href"))
        path, params = address.path, {key: values[0] for key, values in parse_qs(address.query).items()}


def decision_id(card) -> str:
    return urlsplit(card["url"]).path.rsplit("/", 1)[1].replace("~3A", ":").replace("~2E", ".")


def test_the_home_page_is_a_search_box_in_chinese():
    html = page("/")
    box = html.cssselect('form[role="search"] input[name="q"]')[0]
    assert box.get("type") == "search" and "文号" in box.get("placeholder")
    advanced = {element.get("name") for element in html.cssselect(".regkb-advanced [name]")}
    assert advanced >= {"no", "party", "authority", "region", "category", "sanction", "date_from", "date_to",
                        "fine_min", "fine_max", "regulator", "doc_format", "sort"}
    assert "中国金融监管行政处罚知识库" in html.findtext(".//title")
    categories = [option.text for option in html.cssselect('select[name="category"] option')][1:]
    assert categories == [row[0] for row in sql("select category from categories order by position")]


@pytest.mark.parametrize("query", ["贷款 挪用", "罚款", "工行", "反洗钱", "银罚决字〔2026〕112号"])
def test_every_page_of_results_together_is_what_the_search_finds(query):
    found = [decision_id(card) for card in every_card(q=query)]
    assert len(found) == len(set(found))   # no decision twice across pages
    expected = like_ids(query_terms(query))   # each term in any of its forms (工行: 中国工商银行 too)
    assert set(found) == expected and expected
    count = page("/", q=query).cssselect(".regkb-count")[0].text_content()
    assert f"找到 {len(expected):,} 份处罚决定" in count


def test_cards_show_each_decision_as_its_row_says():
    for card in every_card(q="罚款", sort="fine")[:40]:
        row = dict(zip(["heading", "authority", "authority_id", "province", "date", "total_fine_yuan"],
                       sql("select heading, authority, authority_id, province, date, total_fine_yuan from decisions"
                           " where decision_id = ?", [decision_id(card)])[0]))
        assert card["heading"] == row["heading"]
        # the authority as written, else as resolved (菏金罚决字〔2023〕26号's Word file names none: its 文号 does)
        assert (row["authority"] or row["authority_id"]) in card["meta"] and (row["province"] or "全国") in card["meta"]
        assert row["date"] in card["meta"]
        if row["total_fine_yuan"] is not None:
            fine = row["total_fine_yuan"]   # to the yuan, or to the fen when the decision says so
            assert (f"{fine:,.0f} 元" if fine == int(fine) else f"{fine:,.2f} 元") in card["meta"]
        assert card["marked"] and all(mark == "罚款" for mark in card["marked"])


def test_sorting_by_fine_orders_every_page():
    fines = [sql("select total_fine_yuan from decisions where decision_id = ?", [decision_id(card)])[0][0]
             for card in every_card(q="罚款", sort="fine")]
    stated = [fine for fine in fines if fine is not None]
    assert stated == sorted(stated, reverse=True) and fines[:len(stated)] == stated   # undisclosed fines last
    assert len(fines) == len(like_ids("罚款")) > 100   # more than five pages


def test_the_same_page_holds_the_same_decisions_every_time():
    first = [card["url"] for card in cards(page("/", q="罚款", sort="date", page="3"))]
    again = [card["url"] for card in cards(page("/", q="罚款", sort="date", page="3"))]
    assert first == again and len(first) == 20


ADVANCED = {   # a form field → what plain SQL says it must find
    "no": ("银罚决字[2026]112号", "select decision_id from decisions where decision_no = '银罚决字〔2026〕112号'"),
    "region": ("四川", "select decision_id from decisions where province = '四川省' or city like '%四川%'"
                        " or authority like '%四川%'"),
    "party": ("工行", "select decision_id from decisions where party_names like '%中国工商银行%'"
                      " or party_names like '%工行%'"),
    "authority": ("衢州银监分局", "select decision_id from decisions where authority like '%衢州银监分局%'"),
    "category": ("反洗钱", "select decision_id from decision_categories where category = '反洗钱'"),
    "sanction": ("警告", "select distinct decision_id from sanctions where label = '警告'"),
    "fine_min": ("100", "select decision_id from decisions where total_fine_yuan >= 1000000"),
    "fine_max": ("5", "select decision_id from decisions where total_fine_yuan <= 50000"),
    "date_from": ("2025-01-01", "select decision_id from decisions where date >= '2025-01-01'"),
    "date_to": ("2005-12-31", "select decision_id from decisions where date <= '2005-12-31'"),
    "regulator": ("CSRC", "select decision_id from decisions where regulator = 'CSRC'"),
    "doc_format": ("register", "select decision_id from decisions where doc_format = 'register'"),
    "kind": ("measure", "select decision_id from decisions where kind = 'measure'"),
}


def test_a_measure_is_marked_as_one_and_fines_no_one():
    """广东证监局's 警示函 (sources/csrc/demo/README.md): its card says 行政监管措施 and 无罚款."""
    card, = every_card(kind="measure")
    assert "〔2019〕13号" in card["heading"]
    html = page("/", kind="measure")
    assert html.cssselect(".regkb-card .tag.kind")[0].text_content() == "行政监管措施"
    assert "无罚款" in card["meta"]


@pytest.mark.parametrize("field", ADVANCED)
def test_each_field_of_the_advanced_form_finds_what_sql_finds(field):
    value, query = ADVANCED[field]
    expected = {row[0] for row in sql(query)}
    assert expected, field
    assert {decision_id(card) for card in every_card(**{field: value})} == expected


def test_fields_combine():
    found = {decision_id(card) for card in every_card(q="贷款", region="四川", fine_min="30")}
    expected = like_ids("贷款") & {row[0] for row in sql(
        "select decision_id from decisions where province = '四川省' and total_fine_yuan >= 300000")}
    assert found == expected and expected


def test_nothing_found_suggests_what_exists():
    html = page("/", q="银罚字〔2026〕112号")   # 银罚决字 mistyped
    suggestions = [item.text_content() for item in html.cssselect(".regkb-suggestions li")]
    assert any("银罚决字〔2026〕112号" in text for text in suggestions), suggestions
    html = page("/", q="贷款 量子计算")
    suggestions = [item.text_content() for item in html.cssselect(".regkb-suggestions li")]
    assert f"只检索「贷款」（{len(like_ids('贷款'))} 份）" in suggestions
    html = page("/", q="洗钱规定")
    links = [link.get("href") for link in html.cssselect(".regkb-suggestions a")]
    assert "/?category=%E5%8F%8D%E6%B4%97%E9%92%B1" in links   # the category 反洗钱


def test_a_query_of_punctuation_says_so():
    html = page("/", q="，。")
    assert "只有标点" in html.cssselect(".regkb-nothing")[0].text_content()


def test_expansions_are_said():
    expanded = page("/", q="工行 貸款").cssselect(".regkb-expanded")[0].text_content()
    assert "「工行」也作「中国工商银行」" in expanded and "「貸款」也作「贷款」" in expanded


def test_search_all_leads_to_the_home_search():
    response = get("/-/search", status=302, q="罚款")
    assert response.headers["location"] == "/?q=%E7%BD%9A%E6%AC%BE"
