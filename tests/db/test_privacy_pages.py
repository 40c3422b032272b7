"""A person's numbers and home masked in a whole page as in one line: the build masks each document's text as shown
(50 KB of a Word document's HTML, an NFRA answer), where nlp/privacy.py looks for a pattern's words before trying it."""

from __future__ import annotations

import pytest

from nlp.privacy import MASK, mask

# the head of a Word document saved as HTML: styles full of digits, no word of any label
WORD_HEAD = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>'
             + "p.MsoNormal{mso-style-parent:\"\";margin:0cm;font-size:10.5pt;mso-font-kerning:1.0pt;}" * 40
             + "</style></head><body>")


@pytest.mark.parametrize("line, expected", [
    ("当事人：李某，男，身份证号310101198003071234，", f"当事人：李某，男，身份证号{MASK}，"),
    ("号码为310101198003071234的当事人", f"号码为{MASK}的当事人"),
    ("联系电话：010-66016688", f"联系电话：{MASK}"),
    ("手机13912345678。", f"手机{MASK}。"),
    ("TEL: 021 6888 8888", f"TEL: {MASK}"),
    ("户籍所在地：四川省成都市某区某路1号。", f"户籍所在地：{MASK}。"),
    ("当事人：顾斌，男，汉族，住所：上海市浦东新区某路。", f"当事人：顾斌，男，汉族，住所：{MASK}。"),
])
def test_a_page_is_masked_as_its_line(line, expected):
    page = WORD_HEAD + "<p>" + line + "</p></body></html>"
    assert mask(page) == WORD_HEAD + "<p>" + expected + "</p></body></html>"


def test_a_page_without_a_persons_numbers_stays():
    page = WORD_HEAD + "<p>处以13500000000元罚款，住所：上海市浦东新区陆家嘴环路1000号</p></body></html>"
    assert mask(page) == page
