"""Laws and rules read into articles, chapters, 款, 项 and versions (nlp/texts/), on the real texts of
../shared/corpus/laws/ (NFRA's pages of four laws) and ../shared/corpus/csrc/ (CSRC rules: CMS pages and a 令 as a
third party stored it). The expected values were read from those files by hand."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from nlp.clean import traditional
from nlp.texts import read_text, text_name
from nlp.texts.articles import items_of, locate, number_of, split_articles
from nlp.texts.versions import in_force_from, read_versions
from tests.conftest import CSRC_RULE_PAGES, REAL, needs_shared_corpus


def corpus_law(doc_id: str):
    record = json.loads((REAL / "laws" / f"NFRA-{doc_id}.json").read_text(encoding="utf-8"))
    return record["text"].split("\n"), record


def law(doc_id: str):
    lines, record = corpus_law(doc_id)
    return read_text(lines, source="nfra_texts", doc_id=doc_id, kind="law", title=record["title"], url=record["url"])


def csrc_rule(number: int):
    """A CSRC rule page's paragraphs (its <h3> title and the <p> of div.content-body), as a reader would give them."""
    tree = lxml.html.parse(str(CSRC_RULE_PAGES[number]))
    body = tree.xpath('//div[@class="content-body"]')[0]
    title = body.xpath(".//h3")[0].text_content()
    lines = [element.text_content() for element in body.xpath(".//p")]
    return read_text(lines, source="csrc_texts", doc_id=str(number), kind="rule", title=title)


def csrc_sample(name: str):
    record = json.loads((REAL / "csrc" / name).read_text(encoding="utf-8"))
    return read_text(record["text"].split("\n"), source="csrc_texts", doc_id=record["manuscriptId"], kind="rule",
                     title=record["title"])


@pytest.fixture(scope="module")
def banking():
    return law("879932")   # 中华人民共和国银行业监督管理法


# --- articles and chapters ----------------------------------------------------------------------------------------

def test_the_banking_supervision_law_has_six_chapters_and_fifty_two_articles(banking):
    assert banking.name == "中华人民共和国银行业监督管理法"
    assert [p.number for p in banking.provisions] == list(range(1, 53))
    assert list(dict.fromkeys(p.chapter for p in banking.provisions)) == [
        "第一章 总则", "第二章 监督管理机构", "第三章 监督管理职责", "第四章 监督管理措施", "第五章 法律责任", "第六章 附则"]


def test_article_46_is_in_the_chapter_on_legal_liability_with_its_six_items(banking):
    article = banking.provisions[45]
    assert (article.number, article.article, article.chapter) == (46, "第四十六条", "第五章 法律责任")
    assert len(article.clauses) == 1
    assert article.clauses[0].startswith("银行业金融机构有下列情形之一，由国务院银行业监督管理机构责令改正，并处二十万元以上")
    assert locate(article, 1, 5) == "（五）严重违反审慎经营规则的；"
    assert len(items_of(article.clauses[0])) == 6


def test_paragraphs_of_an_article_are_its_clauses(banking):
    # 第二条: four paragraphs, the third beginning 对在中华人民共和国境内设立的金融资产管理公司
    clauses = banking.provisions[1].clauses
    assert len(clauses) == 4 and clauses[2].startswith("对在中华人民共和国境内设立的金融资产管理公司")


def test_a_heading_broken_across_lines_is_one_chapter():
    # NFRA serves 「第一章　总」「则」 and 「目」「录」 then the contents: the articles are under 第一章 总则
    provisions = split_articles(["目", "录", "第一章　总则", "第二章　附则", "第一章　总", "则", "第一条", "为了…，制定本法。",
                                 "第二章　附", "则", "第二条", "本法自2004年2月1日起施行。"])
    assert [(p.article, p.chapter) for p in provisions] == [("第一条", "第一章 总则"), ("第二条", "第二章 附则")]


def test_an_article_heading_broken_before_its_unit_is_still_an_article():
    # 商业银行法 as NFRA serves it: 「第八十五」「条　商业银行工作人员利用职务上的便利…」
    commercial = law("879929")
    assert [p.number for p in commercial.provisions] == list(range(1, 96))
    assert commercial.provisions[84].text.startswith("商业银行工作人员利用职务上的便利，贪污、挪用、侵占本行或者客户资金")


def test_words_broken_by_links_are_one_sentence():
    # 反洗钱法 第一条 as served: 「…根据」「宪法」「，制定本法。」
    money_laundering = law("1199538")
    assert money_laundering.provisions[0].clauses == [
        "为了预防洗钱活动，遏制洗钱以及相关犯罪，加强和规范反洗钱工作，维护金融秩序、社会公共利益和国家安全，根据宪法，制定本法。"]
    assert len(money_laundering.provisions) == 65


def test_the_first_chapter_follows_an_orders_signature():
    # a 人民银行令 opens with lines that end in no punctuation (its signature and date), then its rule's chapters
    provisions = split_articles(["现予公布，自2026年2月1日起施行。", "行　长　潘功胜", "2025年12月16日", "银行间外汇市场管理规定",
                                 "第一章　总则", "第一条　为了规范银行间外汇市场，制定本规定。"])
    assert [(p.article, p.chapter) for p in provisions] == [("第一条", "第一章 总则")]
    # a sentence broken before a chapter it cites goes on: no heading there
    provisions = split_articles(["第一章　总则", "第一条　依照本法", "第五章的规定处理。"])
    assert [(p.chapter, p.text) for p in provisions] == [("第一章 总则", "依照本法第五章的规定处理。")]


def test_sections_are_kept_under_their_chapter():
    insurance = law("879931")
    assert len(insurance.provisions) == 185
    article = insurance.provisions[9]   # 第十条, the first of 第二章 保险合同 第一节 一般规定, three paragraphs
    assert article.chapter == "第二章 保险合同 第一节 一般规定" and len(article.clauses) == 3
    assert insurance.provisions[-1].chapter == "第八章 附则"


def test_items_are_inside_their_clause_and_addressable():
    # 商业银行法 第三条: 14 项 in its first 款, then two more 款
    article = law("879929").provisions[2]
    assert len(article.clauses) == 3 and len(items_of(article.clauses[0])) == 14
    assert locate(article, 1, 1) == "（一）吸收公众存款；"
    assert locate(article, 3) == "商业银行经中国人民银行批准，可以经营结汇、售汇业务。"


def test_a_cross_reference_at_the_start_of_a_line_is_not_a_new_article():
    provisions = split_articles(["第一条", "违反本法", "第三条", "规定的，依法处理。", "第二条", "本法自公布之日起施行。"])
    assert [p.article for p in provisions] == ["第一条", "第二条"]
    assert provisions[0].text == "违反本法第三条规定的，依法处理。"


def test_a_csrc_rule_page_splits_into_its_articles_with_sections():
    rule = csrc_rule(5)   # 北京证券交易所上市公司证券发行注册管理办法（试行）: 77 articles, the last in force 2021-11-15
    assert rule.name == "北京证券交易所上市公司证券发行注册管理办法(试行)"   # as citations fold it
    assert len(rule.provisions) == 77 and rule.provisions[0].chapter == "第一章 总则"
    assert rule.provisions[-1].text == "本办法自2021年11月15日起施行。"
    assert any(p.chapter and "第一节" in p.chapter for p in rule.provisions)
    assert len(csrc_rule(3).provisions) == 33 and len(csrc_rule(4).provisions) == 58


def test_what_follows_the_last_article_is_not_the_article():
    # 证监会令第233号 as stored: the rule, then 「---《私募投资基金信息披露监督管理办法》立法说明…」, and PDF page numbers
    order = csrc_sample("sample_13_order_7616837.json")
    assert order.name == "私募投资基金信息披露监督管理办法"
    assert len(order.provisions) == 44 and order.provisions[-1].text == "本办法自 2026 年 9 月 1 日起施行。"
    assert len({p.chapter for p in order.provisions}) == 7
    assert "立法说明" in order.body   # still in the body, for a person to read


# --- article numbers in one form ----------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [46, "46", "第46条", "四十六", "第四十六条", "第４６条"])
def test_article_numbers_in_any_form_are_one_number(written):
    assert number_of(written) == 46


# --- versions and dates in force ----------------------------------------------------------------------------------

def test_a_law_passed_then_amended_has_two_versions_and_is_in_force_from_the_amendment(banking):
    assert [(v.label, v.date) for v in banking.versions] == [("通过", "2003-12-27"), ("修正", "2006-10-31")]
    assert "《关于修改〈中华人民共和国银行业监督管理法〉的决定》修正" in banking.versions[1].note
    assert banking.effective_date == "2006-10-31"
    # 第五十二条 「本法自2004年2月1日起施行」: the day the version passed in 2003 took effect
    assert [v.effective for v in banking.versions] == ["2004-02-01", None]


def test_a_revised_law_took_effect_on_the_day_its_text_says():
    insurance = law("879931")   # 修订 2009-02-28; 第一百八十五条 「本法自2009年10月1日起施行」
    assert [(v.label, v.effective) for v in insurance.versions if v.effective] == [("修订", "2009-10-01")]


def test_amendments_named_first_second_third_are_amendments():
    insurance = law("879931")
    assert [(v.label, v.date) for v in insurance.versions] == [
        ("通过", "1995-06-30"), ("修正", "2002-10-28"), ("修订", "2009-02-28"), ("修正", "2014-08-31"),
        ("修正", "2015-04-24")]


def test_a_revision_in_force_later_than_it_was_passed():
    # 反洗钱法: revised 2024-11-08, 「本法自2025年1月1日起施行」
    money_laundering = law("1199538")
    assert [(v.label, v.date) for v in money_laundering.versions] == [("通过", "2006-10-31"), ("修订", "2024-11-08")]
    assert money_laundering.effective_date == "2025-01-01"


def test_a_rule_published_then_revised():
    rule = csrc_rule(1)   # （2015年10月29日证监会令第118号公布　根据2022年5月31日证监会令第199号《关于修改…的决定》修订）
    assert [(v.label, v.date) for v in rule.versions] == [("发布", "2015-10-29"), ("修订", "2022-05-31")]
    assert rule.effective_date == "2022-05-31"


def test_the_date_a_rule_says_it_takes_effect():
    assert csrc_rule(2).effective_date == "2022-04-01"   # （2022年2月18日证监会令第195号公布　自2022年4月1日起施行）
    assert in_force_from("自 2026 年 9 月 1 日起施行") == "2026-09-01"
    assert csrc_sample("sample_13_order_7616837.json").versions[0].date == "2025-12-30"


def test_a_repeal_is_a_version():
    versions = read_versions("（2001年1月1日发布　2019年6月1日废止）")
    assert [(v.label, v.date) for v in versions] == [("发布", "2001-01-01"), ("废止", "2019-06-01")]


def test_the_page_effective_date_wins():
    lines, record = corpus_law("879932")
    text = read_text(lines, source="nfra_texts", doc_id="879932", kind="law", title=record["title"],
                     effective_date="2007-01-01")
    assert text.effective_date == "2007-01-01"


# --- names --------------------------------------------------------------------------------------------------------

def test_the_name_is_the_one_citations_use():
    assert text_name("【第233号令】《私募投资基金信息披露监督管理办法》") == "私募投资基金信息披露监督管理办法"
    assert text_name("《银行业监督管理法》") == "中华人民共和国银行业监督管理法"


def test_a_rule_names_the_laws_it_is_made_under():
    named = csrc_rule(3).named   # 「根据《中华人民共和国证券法》（以下简称《证券法》）、《中华人民共和国公司法》…」
    assert ("中华人民共和国证券法", None) in named or any(law == "中华人民共和国证券法" for law, _ in named)
    assert any(law == "中华人民共和国公司法" for law, _ in named)


# --- metamorphic: the same text written otherwise gives the same articles ----------------------------------------

def _articles(text):
    return [(p.number, p.chapter, re.sub(r"\s+", "", p.text)) for p in text.provisions]


def test_whitespace_removed_gives_the_same_articles():
    lines, record = corpus_law("879932")
    squeezed = [re.sub(r"[\s\u3000]+", "", line) for line in lines]
    text = read_text(squeezed, source="nfra_texts", doc_id="879932", kind="law", title=record["title"])
    assert _articles(text) == _articles(law("879932"))


def test_traditional_characters_give_the_same_articles():
    lines, record = corpus_law("879932")
    converted = [traditional(line) for line in lines]
    text = read_text(converted, source="nfra_texts", doc_id="879932", kind="law", title=traditional(record["title"]))
    assert text.name == "中华人民共和国银行业监督管理法"
    assert [(n, c) for n, c, _ in _articles(text)] == [(n, c) for n, c, _ in _articles(law("879932"))]
    assert text.provisions[45].clauses[0].startswith("银行业金融机构有下列情形之一")


# --- notices ------------------------------------------------------------------------------------------------------

def test_a_notice_is_filed_under_the_categories_it_speaks_of():
    # the news report of the CBIRC's 2022 campaign notice (../shared/seeds/001_…): seven forms of personal-information
    # misconduct; the notice names no article, and its own short name 《通知》 is not a law it names
    lines = (needs_shared_corpus().parent / "seeds" / "001_6b4e4be17602106b.txt").read_text(encoding="utf-8").split("\n")
    notice = read_text(lines, source="nfra_texts", doc_id="seed", kind="notice",
                       title="关于开展银行保险机构侵害个人信息权益乱象专项整治工作的通知")
    assert "个人信息保护" in notice.categories
    assert {"个人信息保护/个人信息收集", "个人信息保护/个人信息使用", "个人信息保护/个人信息删除"} <= set(notice.categories)
    assert notice.provisions == [] and notice.named == []


def test_a_law_names_the_articles_of_other_laws_it_refers_to_not_its_amendments():
    # 商业银行法 第六十二条: 「依照《中华人民共和国中国人民银行法》第三十二条、第三十四条的规定」
    assert ("中华人民共和国中国人民银行法", "第三十二条") in law("879929").named
    assert ("中华人民共和国中国人民银行法", "第三十四条") in law("879929").named
    # its preamble's 《关于修改〈中华人民共和国银行业监督管理法〉的决定》 is its history: the banking law names no law
    assert law("879932").named == []


def test_page_numbers_of_a_pdf_text_are_dropped_and_a_dates_digits_kept():
    # 证监会公告〔2026〕8号 as stored: 「…发现公司信息披露事务管理制度运行存在缺陷」「— 1 —」「」「或者问题的，…」; 令第233号:
    # 「第」「233」「号」 and 「202」「5」「年」 are the 令's number and date, a bare 「1」 before an empty line a page's
    provisions = split_articles(["第一条　董事会秘书发现公司信息披露事务管理制度运行存在缺陷", "— 1 —", "",
                                 "或者问题的，应当及时向董事会报告。", "第二条　董事会秘书应当", "1", "", "保守公司秘密。"])
    assert [p.text for p in provisions] == ["董事会秘书发现公司信息披露事务管理制度运行存在缺陷或者问题的，应当及时向董事会报告。",
                                            "董事会秘书应当保守公司秘密。"]
    order = csrc_sample("sample_13_order_7616837.json")
    assert order.body.startswith("中国证券监督管理委员会令第233号《私募投资基金信息披露监督管理办法》已经2025年12月30日")


def test_a_rule_whose_spaces_were_lost_gives_the_same_articles():
    # CSRC pages write 「第一条　为了规范…」: without the space the heading is still the article's
    tree = lxml.html.parse(str(CSRC_RULE_PAGES[3]))
    body = tree.xpath('//div[@class="content-body"]')[0]
    lines = [re.sub(r"\s+", "", element.text_content()) for element in body.xpath(".//p")]
    text = read_text(lines, source="csrc_texts", doc_id="3", kind="rule", title=body.xpath(".//h3")[0].text_content())
    assert _articles(text) == _articles(csrc_rule(3))


def test_a_cross_reference_without_a_space_is_not_a_new_article():
    provisions = split_articles(["第一条　有本办法", "第二条规定情形的，依法处理。", "第二条　本办法自公布之日起施行。"])
    assert [p.text for p in provisions] == ["有本办法第二条规定情形的，依法处理。", "本办法自公布之日起施行。"]
