"""The command line: help on every command, with an example; clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from regkb.cli import cli
from tests.conftest import FIXTURES, TESTS

COMMANDS = cli.list_commands(click.Context(cli))   # export included, though imported only when asked for


def test_top_level_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("demo", "crawl", "extract", "build", "serve", "parse", "export"):
        assert name in COMMANDS and name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and f"regkb {name}" in result.output


def test_build_without_archive_says_what_to_do(data_dir):
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code != 0
    assert "no archive" in result.output and "regkb crawl nfra" in result.output


def test_serve_without_database_says_what_to_do(data_dir):
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code != 0 and "regkb build" in result.output


def test_crawl_rejects_a_bad_since_date(data_dir):
    result = CliRunner().invoke(cli, ["crawl", "nfra", "--since", "2024-13-45"])
    assert result.exit_code != 0 and "2024-13-45" in result.output


def test_parse_prints_one_json_object():
    result = CliRunner().invoke(cli, ["parse", str(FIXTURES / "real" / "tianjin_2018_35_penalty_table.html")])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["decision_no"] == "津银监罚决字〔2018〕35号"
    assert parsed["parties"][0]["name"] == "平安银行股份有限公司" and parsed["parties"][0]["fine_yuan"] == 500_000
    assert (parsed["authority_id"], parsed["authority_level"], parsed["province"]) == (
        "中国银监会天津监管局", "provincial bureau", "天津市")
    assert parsed["doc_type"] == "penalty" and parsed["decision_date"] == "2018-06-28"
    assert {("中华人民共和国银行业监督管理法", "第二十一条"), ("中华人民共和国银行业监督管理法", "第四十六条")} <= {
        (c["law"], c["article"]) for c in parsed["citations"]}
    assert {"text": "平安银行股份有限公司", "label": "ORG"} in [
        {"text": e["text"], "label": e["label"]} for e in parsed["entities"]]


def test_parse_of_an_unreadable_file_names_it(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是一份处罚决定。", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(junk)])
    result = CliRunner().invoke(cli, ["parse", str(junk)])
    assert result.exit_code == 0
    parsed = json.loads(result.output)
    assert parsed["doc_type"] == "other" and parsed["parties"] == [] and parsed["mentions"] == []


def test_parse_of_a_penalty_without_parties_gives_what_it_read_and_warns(tmp_path):
    broken = tmp_path / "decision.txt"
    broken.write_text("中国银保监会宁夏监管局行政处罚决定书\n经查，你公司存在违法行为。", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(broken)])
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["doc_type"] == "penalty" and record["parties"] == []
    assert record["authority_id"] == "中国银保监会宁夏监管局" and "未识别当事人" in record["review"]
    assert f"warning: {broken}: 未识别当事人" in result.stderr


def test_parse_of_bytes_that_cannot_be_decoded_is_an_error_naming_the_file(tmp_path):
    broken = tmp_path / "decision.txt"
    broken.write_bytes(b"\xff\xfe\x00\xd8" * 10)
    result = CliRunner().invoke(cli, ["parse", str(broken)])
    assert result.exit_code != 0 and "decision.txt" in result.stderr and "GB18030" in result.stderr


def test_parse_of_several_files_prints_one_line_each_and_reads_past_a_bad_one(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe\x00\xd8" * 10)
    table = FIXTURES / "real" / "tianjin_2018_35_penalty_table.html"
    result = CliRunner().invoke(cli, ["parse", str(table), str(broken), str(table)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [json.loads(line)["decision_no"] for line in lines] == ["津银监罚决字〔2018〕35号"] * 2
    assert "broken.txt" in result.stderr and "1 of 3 files could not be read" in result.stderr


def test_parse_of_a_stored_record_of_a_law_reads_it_as_what_it_is():
    # a third party's JSON record of 中华人民共和国保险法 (title, text, date, url; no NFRA envelope): a law, whose
    # 「对…处以…罚款」 are norms, not penalties
    law = TESTS / "fixtures" / "real" / "laws" / "NFRA-879931.json"   # the 保险法, as a third party stored it
    result = CliRunner().invoke(cli, ["parse", str(law)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["doc_type"] == "other" and record["mentions"] == [] and record["parties"] == []


def test_serve_refuses_a_file_that_is_not_regkbs_database(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    other = tmp_path / "other.db"
    __import__("sqlite3").connect(other).execute("create table x (a)")
    for path, said in ((text, "is not an SQLite database"), (other, "has no decisions table")):
        result = CliRunner().invoke(cli, ["serve", str(path)])
        assert result.exit_code == 1 and said in result.output and str(path) in result.output


def test_serve_on_a_busy_port_says_so_and_what_to_do(demo_db):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(demo_db), "--port", str(port)])
    assert result.exit_code == 1 and f"127.0.0.1:{port}" in result.output and "--port" in result.output


def test_a_database_under_another_name_is_served_as_regkb(demo_db, tmp_path, monkeypatch):
    # Datasette names a database after its file; regkb's metadata, queries and pages are for "regkb"
    import shutil

    from datasette import cli as datasette

    served = []
    monkeypatch.setattr(datasette.cli, "main", lambda args, prog_name: served.append(args))
    copy = tmp_path / "enforcement.db"
    shutil.copy(demo_db, copy)
    result = CliRunner().invoke(cli, ["serve", str(copy)])
    assert result.exit_code == 0, result.output
    path = Path(served[0][served[0].index("-i") + 1])
    assert path.name == "regkb.db" and path.resolve() == copy.resolve()


def test_crawl_refuses_a_base_url_that_is_no_address():
    result = CliRunner().invoke(cli, ["crawl", "nfra", "--base-url", "not-a-url"])
    assert result.exit_code == 2 and "not an http(s) address" in result.output and "Traceback" not in result.output


def test_evaluate_on_a_folder_without_annotations_says_what_a_gold_folder_holds(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path)])
    assert result.exit_code == 1 and "records.yaml" in result.output and result.exception.__class__ is SystemExit


def test_parse_reads_a_pdf_saved_without_its_extension(tmp_path):
    import shutil

    unnamed = tmp_path / "公示表"
    shutil.copy(TESTS.parent / "sources" / "pboc" / "demo" / "attachments" / "lanzhou_2016_3.pdf", unnamed)
    result = CliRunner().invoke(cli, ["parse", str(unnamed)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decision_no"] == "兰银罚字〔2016〕第3号"
