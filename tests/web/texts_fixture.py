"""A database with regulatory texts for the web tests (tests/web/test_texts.py, test_texts_browser.py): a copy of the
demo build, which holds the texts of the demo's text sources (sources/*_texts/, sources/neris/: the four laws as the
NFRA serves them, CSRC and PBOC rules, notices) and the citations linked to them by the build (db/links.py), plus ONE
ASSEMBLED citation: 《中华人民共和国银行业监督管理法》第一百八十条 added to the real decision nfra:9000003 (the law has 52
articles), flagged as db/links.py flags one, so that the flagged display is seen; no real demo decision cites an
article beyond a law's last.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import sqlite3
import tempfile
from pathlib import Path

from tests.conftest import demo_database

ASSEMBLED = ("nfra:9000003", "中华人民共和国银行业监督管理法", "第一百八十条")


def _flag_one(connection: sqlite3.Connection) -> None:
    """The assembled citation beyond the law's last article, flagged as the build flags one."""
    held = connection.execute("select text_id from texts where name = ? order by effective_date desc",
                              [ASSEMBLED[1]]).fetchone()
    assert held, f"the demo build holds no text of {ASSEMBLED[1]}: the texts' sources are not in it"
    connection.execute("insert into citations (citation_id, decision_id, ordinal, law, article, decision_date,"
                       " text_id, article_id, link) select decision_id || '/assembled', decision_id, 99, ?, ?,"
                       " decision_date, ?, null, 'article_missing' from decisions where decision_id = ?",
                       [ASSEMBLED[1], ASSEMBLED[2], held[0], ASSEMBLED[0]])


@functools.cache
def texts_database() -> Path:
    """A copy of the demo build with the one assembled citation beyond a law's last article."""
    folder = Path(tempfile.mkdtemp(prefix="regkb-texts-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / "regkb.db"
    shutil.copy(demo_database(), copy)
    connection = sqlite3.connect(copy)
    try:
        _flag_one(connection)
        connection.commit()
    finally:
        connection.close()
    return copy
