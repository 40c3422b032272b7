"""A person's name removed at their request is removed from every table at every build, and only the reason kept."""

from __future__ import annotations

import sqlite3

import pytest

from db.build import build
from db.redact import BadRedactions, read_redactions
from tests.conftest import demo_database, run_regkb

# 银保监罚决字〔2021〕35号 names 张雄师 (时任太平财险…总经理), warned and fined 10万元: the demo's one individual in it
NAME = "张雄师"


def every_text(db_path) -> list[str]:
    connection = sqlite3.connect(db_path)
    texts = []
    for (table,) in connection.execute("select name from sqlite_master where type = 'table'"):
        columns = [row[1] for row in connection.execute(f"pragma table_info([{table}])")]
        for column in columns:
            texts += [value for (value,) in connection.execute(f"select [{column}] from [{table}]")
                      if isinstance(value, str)]
    return texts


def test_the_name_is_in_the_demo_before(tmp_path):
    assert any(NAME in text for text in every_text(demo_database()))


def test_a_redacted_name_is_nowhere_in_the_built_database(tmp_path):
    listed = tmp_path / "redactions.yaml"
    listed.write_text(f"- name: {NAME}\n  reason: removal request of 2026-12-01 (test), granted\n", encoding="utf-8")
    build(demo_database().parent / "demo" / "archive", tmp_path / "regkb.db", redactions=read_redactions(listed))
    texts = every_text(tmp_path / "regkb.db")
    assert not any(NAME in text for text in texts)
    connection = sqlite3.connect(tmp_path / "regkb.db")
    assert connection.execute("select name from parties where name = '张某某'").fetchone()
    reason, changed = connection.execute("select reason, values_changed from redactions").fetchone()
    assert "removal request" in reason and changed > 3
    assert connection.execute("select count(*) from decisions_fts where decisions_fts match '\"张 雄 师\"'").fetchone() \
        == (0,)


def test_an_entry_without_a_reason_is_refused(tmp_path):
    listed = tmp_path / "redactions.yaml"
    listed.write_text("- name: 张三\n", encoding="utf-8")
    with pytest.raises(BadRedactions, match="no reason"):
        read_redactions(listed)
    result = run_regkb("build", str(tmp_path / "x.db"), "--archive", str(tmp_path),
                       env={"REGKB_REDACTIONS": str(listed)})
    assert result.returncode == 1 and "no reason" in result.stderr
