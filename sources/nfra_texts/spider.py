"""The NFRA's 政策法规 lists (法律 927, 规章及规范性文件 928, 公告通知 925), crawled as its penalty lists are.

The lists and documents are the same endpoints, answering the same envelope, as the penalties'
(``sources/nfra/spider.py``): only the item ids differ, so this spider is the NFRA spider with this source's facts.
What a document holds (a law, a rule, a notice) is read later by ``document.py``; the spider fetches and judges.
"""

from __future__ import annotations

from sources import load_source
from sources.nfra.spider import NfraSpider


class NfraTextsSpider(NfraSpider):
    name = "nfra_texts"
    facts = load_source("nfra_texts")

    def discovery_requests(self):
        """None: the penalty spider checks the penalty column's children (931 行政处罚); the 政策法规 columns are not
        among them, and the answer of their own parent was not recorded, so their three lists are not checked."""
        return []
