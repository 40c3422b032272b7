"""What the demo corpus holds, read by hand from its sources (not from the extractor), for every test of a crawl,
a build or the demo database.

- The NFRA documents: the 100 real records of tests/fixtures/real/cbrc_2016_penalties_100.csv and four real
  decisions, one published as a Word file (sources/nfra/demo/README.md), with where each record's authority sits.
- The PBOC and CSRC decisions: sources/pboc/demo/records.yaml (the published 公示表 rows) and
  sources/csrc/demo/decisions/*.txt (the published decisions). Each: (source, decision number, province or None
  for a head office, year of the decision, total fine in yuan or None, sanction labels).
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

from nlp.formats.ocr import available as ocr_available

FIXTURES = Path(__file__).resolve().parent / "fixtures"

RECORDS = FIXTURES / "real" / "cbrc_2016_penalties_100.csv"
# Where the CSV's authorities sit (by the sub-bureau's city or the bureau's province), checked by hand.
AUTHORITY_PROVINCE = {
    "锡林郭勒": "内蒙古自治区", "赤峰": "内蒙古自治区", "鄂尔多斯": "内蒙古自治区", "呼伦贝尔": "内蒙古自治区",
    "包头": "内蒙古自治区", "兴安": "内蒙古自治区", "通辽": "内蒙古自治区",
    "衢州": "浙江省", "常州": "江苏省", "徐州": "江苏省", "无锡": "江苏省",
    "四川": "四川省", "德阳": "四川省", "广东": "广东省", "平凉": "甘肃省", "嘉峪关": "甘肃省",
    "玉林": "广西壮族自治区", "广西": "广西壮族自治区", "桂林": "广西壮族自治区", "柳州": "广西壮族自治区",
    "河池": "广西壮族自治区", "防城港": "广西壮族自治区", "钦州": "广西壮族自治区",
}
# NFRA's decisions: 100 records + 津银监罚决字〔2018〕35号 + 银保监罚决字〔2021〕35号 + 鲁金罚决字〔2026〕16号 + 菏金罚决字〔2023〕26号
# (published as a Word file: its answer holds no decision, its file one); the measures list (932) is empty
NFRA_DEMO_DOCUMENTS = 104
NFRA_DEMO_FILES = 1         # files the demo's answers link, fetched as documents of their own: 26号's Word file
# the years of the four NFRA decisions besides the records, each from its own date (2018年, 2021年, 2026年, 2023年)
NFRA_DECISION_YEARS = Counter({2018: 1, 2021: 1, 2026: 1, 2023: 1})


def records() -> list[dict]:
    with open(RECORDS, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_provinces() -> Counter:
    counts = Counter(AUTHORITY_PROVINCE[r["处理机构"].removesuffix("银监分局").removesuffix("银监局")] for r in records())
    # 天津银监局's table, 山东监管局's decision and 菏泽监管分局's Word file; the head office has none
    counts.update({"天津市": 1, "山东省": 2})
    return counts




OTHER_DECISIONS = [
    # 中国人民银行 (head office), 银罚决字〔2025〕31-38号, decided 2025年8月 20日
    ("pboc", "银罚决字〔2025〕31号", None, 2025, 2_959_900, {"警告", "罚款"}),       # 警告，罚款295.99万元
    ("pboc", "银罚决字〔2025〕32号", None, 2025, 70_000, {"警告", "罚款"}),          # 警告，罚款7万元
    ("pboc", "银罚决字〔2025〕33号", None, 2025, 50_000, {"警告", "罚款"}),          # 警告，罚款5万元
    ("pboc", "银罚决字〔2025〕34号", None, 2025, 11_000, {"罚款"}),                  # 罚款1.1万元
    ("pboc", "银罚决字〔2025〕35号", None, 2025, 11_000, {"罚款"}),
    ("pboc", "银罚决字〔2025〕36号", None, 2025, 10_000, {"罚款"}),
    ("pboc", "银罚决字〔2025〕37号", None, 2025, 20_000, {"罚款"}),
    ("pboc", "银罚决字〔2025〕38号", None, 2025, 10_000, {"罚款"}),
    # 中国人民银行, 银罚决字〔2026〕104-116号, decided 2026年9月8日
    ("pboc", "银罚决字〔2026〕104号", None, 2026, 17_124_000, {"警告", "没收违法所得", "罚款"}),  # 罚款1712.4万元
    ("pboc", "银罚决字〔2026〕105号", None, 2026, 160_000, {"警告", "罚款"}),
    ("pboc", "银罚决字〔2026〕106号", None, 2026, 70_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕107号", None, 2026, 40_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕108号", None, 2026, 40_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕109号", None, 2026, 40_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕110号", None, 2026, 10_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕111号", None, 2026, 35_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕112号", None, 2026, 70_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕113号", None, 2026, 35_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕114号", None, 2026, 35_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕115号", None, 2026, 10_000, {"罚款"}),
    ("pboc", "银罚决字〔2026〕116号", None, 2026, 10_000, {"罚款"}),
    # 中国人民银行上海分行, 2015
    ("pboc", "上海银罚字[2015]2号", "上海市", 2015, 500_000, {"罚款"}),            # 罚款人民币50万元
    ("pboc", "上海银罚字[2015]3号", "上海市", 2015, 98_400, {"罚款"}),             # 罚款人民币98400元
    ("pboc", "上海银罚字[2015]4号", "上海市", 2015, 200_000, {"罚款"}),
    ("pboc", "上海银罚字[2015]17号", "上海市", 2015, 1_000, {"罚款"}),
    ("pboc", "上海银罚字[2015]18号", "上海市", 2015, 200_000, {"罚款"}),
    # 中国证监会 市场禁入决定书, signed 2024
    ("csrc", "〔2024〕7号", None, 2024, None, {"证券市场禁入"}),        # 刘斌 5年, 任大成 3年, 韩臻 2年
    ("csrc", "〔2024〕8号", None, 2024, None, {"证券市场禁入"}),        # 张志勇 终身
    ("csrc", "〔2024〕9号", None, 2024, None, {"证券市场禁入"}),        # 袁亚非 10年 …
    ("csrc", "〔2024〕10号", None, 2024, None, {"证券市场禁入"}),       # 高松 3年
    # 中国证监会 行政处罚决定书 (no signature date in the text: the year is the page's, 2026)
    # 〔2026〕6号: 中审众环 并处以4,787,735.86元罚款 (and 没收业务收入2,735,849.06元); 黄秀娟、邵雯 分别处以35万元罚款
    ("csrc", "〔2026〕6号", None, 2026, 5_487_735.86, {"责令改正", "没收违法所得", "罚款", "警告"}),
    ("csrc", "〔2026〕7号", None, 2026, 800_000, {"罚款", "证券市场禁入"}),   # 胡博 80万元, 3年禁入
    # 〔2026〕10号, 综合上述两项: 13500万 + 750万 + 600万 + 500万 + 200万 × 2 + 175万 + 100万 + 75万 × 2 + 700万
    ("csrc", "〔2026〕10号", None, 2026, 168_750_000, {"责令改正", "警告", "罚款", "证券市场禁入"}),
    # 〔2026〕7号 above is read from the PDF its page links (sources/csrc/demo/README.md)
    # 中国证监会广东监管局 行政监管措施 (assembled from a real report): 风华高科 出具警示函, 2019年11月20日; no fine
    ("csrc", "〔2019〕13号", "广东省", 2019, None, {"出具警示函"}),
]

# Whether scans are read here (the OCR engine, the `ocr` extra, is installed): the demo's scan is then five more
# copies of the Shanghai table, else it is the demo's one quarantined document.
OCR = ocr_available() is None
# Whether .doc and .wps are read here (LibreOffice, Debian's libreoffice-writer-nogui, converts them).
LIBREOFFICE = shutil.which("soffice") is not None
# Copies of decisions already loaded: the Shanghai table (5 rows) is served as .xlsx, .docx, .xls, .et (the .xls's
# bytes), .doc, .wps (the .doc's bytes), a scan and a .zip of the .xlsx; the first read is loaded, each other
# readable one is 5 copies.
PBOC_COPIES = 5 * (5 + (2 if LIBREOFFICE else 0) - 1) + (5 if OCR else 0)
# The quarantine table holds documents by their bytes (the .doc and the .wps are one); the build reports each fetch.
DEMO_QUARANTINED = (0 if OCR else 1) + (0 if LIBREOFFICE else 1)
DEMO_QUARANTINED_FETCHES = (0 if OCR else 1) + (0 if LIBREOFFICE else 2)


def other_provinces() -> Counter:
    return Counter(province for _, _, province, *_ in OTHER_DECISIONS if province)


# every decision of the demo database: NFRA's 104, the PBOC's and the CSRC's
DEMO_DECISIONS = NFRA_DEMO_DOCUMENTS + len(OTHER_DECISIONS)


# -- regulatory texts (sources/nfra_texts/demo/README.md, sources/csrc_texts/demo/README.md) ---------------------
# Each text of the demo corpora: (source, doc_id, kind, name, articles), the articles counted by hand in the texts
# (their last 条: 第五十二条 本法自2004年2月1日起施行。 …), 0 for a text written in paragraphs. A name is in the
# folded form citations are read in (NFKC: 「（试行）」 as published is 「(试行)」), so that a citation finds it.
DEMO_TEXTS = [
    ("nfra_texts", "879932", "law", "中华人民共和国银行业监督管理法", 52),
    ("nfra_texts", "879931", "law", "中华人民共和国保险法", 185),
    ("nfra_texts", "879929", "law", "中华人民共和国商业银行法", 95),
    ("nfra_texts", "1199538", "law", "中华人民共和国反洗钱法", 65),
    ("nfra_texts", "1253094", "notice", "国家金融监督管理总局2025年法治政府建设年度报告", 0),
    ("nfra_texts", "9200001", "notice", "中国银保监会办公厅关于开展银行保险机构侵害个人信息权益乱象专项整治工作的通知", 0),
    ("csrc_texts", "7616837", "rule", "私募投资基金信息披露监督管理办法", 44),
    ("csrc_texts", "7628225", "announcement", "上市公司董事会秘书监管规则", 38),
    ("csrc_texts", "3217074", "rule", "中国证监会派出机构监管职责规定", 53),
    ("csrc_texts", "1942800", "rule", "证券基金经营机构董事、监事、高级管理人员及从业人员监督管理办法", 58),
    ("csrc_texts", "1653980", "rule", "北京证券交易所上市公司持续监管办法(试行)", 33),
    ("csrc_texts", "1653977", "rule", "北京证券交易所向不特定合格投资者公开发行股票注册管理办法(试行)", 58),
    ("csrc_texts", "1653979", "rule", "北京证券交易所上市公司证券发行注册管理办法(试行)", 77),
    # sources/pboc_texts/demo/README.md: 中国人民银行令〔2025〕第13号, its last 条 第三十五条; a joint notice in paragraphs;
    # the State Council's 存款保险条例 the PBOC lists among its 行政法规
    ("pboc_texts", "2025122610045251946", "rule", "银行间外汇市场管理规定", 35),
    ("pboc_texts", "2026041514283057907", "notice", "中国人民银行国家外汇管理局关于调整银行业金融机构境外贷款业务有关事宜的通知", 0),
    ("pboc_texts", "2811354", "regulation", "存款保险条例", 23),   # 国务院令第660号, its last 条 第二十三条
    # sources/neris/demo/README.md: the 规章库's 北京证券交易所上市公司持续监管办法（试行） in NERIS's answer, its last 条 第三十三条
    ("neris", "regkb-demo-law-order-189", "rule", "北京证券交易所上市公司持续监管办法(试行)", 33),
]
DEMO_TEXT_DOCUMENTS = {"nfra_texts": 6, "csrc_texts": 7, "pboc_texts": 3, "neris": 3}   # what `regkb demo` fetches of each texts source
DEMO_ARTICLES = sum(articles for *_, articles in DEMO_TEXTS)
