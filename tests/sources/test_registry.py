"""The sources registry: every regulator is one folder of sources/, with the same four modules, and nothing else in
regkb names the sources. A fourth source added as one folder is crawled-for, served and read with no other change.

The fourth source here is a copy of the NFRA's real site under another name (its facts, and modules that subclass the
NFRA's): regkb must not invent a regulator's site, and the point is only that one folder is all a source takes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import scrapy

import sources
from crawler.archive import Archive
from crawler.spider import RegulatorSpider
from pipeline.extract import extract_fetches
from pipeline.files import analyse_path
from tests.conftest import REPO, archived_response, demo_corpus


def test_the_registry_lists_each_folder_with_a_source_yaml():
    assert sources.names() == sorted(folder.name for folder in (REPO / "sources").iterdir()
                                     if (folder / "source.yaml").is_file()) == ["csrc", "csrc_texts", "neris", "nfra",
                                                                                    "nfra_texts", "pboc", "pboc_texts"]


@pytest.mark.parametrize("name", ["nfra", "pboc", "csrc", "nfra_texts", "csrc_texts", "pboc_texts", "neris"])
def test_every_source_has_its_four_parts(name):
    source = sources.get(name)
    assert issubclass(source.spider, RegulatorSpider) and source.spider.name == name
    assert source.spider.facts.source == name
    for function in ("read", "recognises", "analyse_file"):
        assert callable(getattr(source.reader, function)), f"sources/{name}/document.py lacks {function}"
    assert hasattr(source.mirror, "Site")
    assert (source.folder / "README.md").is_file() and (source.demo_corpus / "README.md").is_file()


def test_an_unknown_source_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match="csrc, csrc_texts, neris, nfra, nfra_texts, pboc, pboc_texts"):
        sources.get("safe")


def test_nothing_outside_sources_names_a_source():
    """A source's name in code outside its folder would be a second registry (tests and docs may name them)."""
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=REPO, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    found = []
    for path in tracked:
        if path.startswith(("sources/", "tests/", "tools/", "bench/")):
            continue
        for number, line in enumerate((REPO / path).read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            if re.search(r"""["'](nfra|pboc|csrc)["']""", code) and not code.strip().startswith(">>>"):
                found.append(f"{path}:{number}: {line.strip()}")
    assert found == []


FOURTH = {
    "spider.py": '''from sources import load_source
from sources.nfra.spider import NfraSpider


class ExampleSpider(NfraSpider):
    name = "example"
    facts = load_source("example")
''',
    "document.py": '''from sources.nfra import document as nfra


def read(body, **where):
    reading = nfra.read(body, **where)
    for analysis in reading.analyses:
        analysis.decision.source = "example"
    return reading


def recognises(body, suffix):
    return suffix == ".example"


def analyse_file(body, *, doc_id, path):
    return nfra.analyse_file(body, doc_id=doc_id, path=path)
''',
    "mirror.py": "from sources.nfra.mirror import Site  # noqa: F401\n",
}


@pytest.fixture
def fourth_source(tmp_path):
    root = tmp_path / "more_sources"
    folder = root / "example"
    folder.mkdir(parents=True)
    facts = (REPO / "sources" / "nfra" / "source.yaml").read_text(encoding="utf-8")
    (folder / "source.yaml").write_text(facts.replace("source: nfra", "source: example"), encoding="utf-8")
    for name, text in FOURTH.items():
        (folder / name).write_text(text, encoding="utf-8")
    sources.__path__.append(str(root))
    sources.refresh()
    yield sources.get("example")
    sources.__path__.remove(str(root))
    sources.refresh()


def test_a_fourth_source_is_one_folder(fourth_source, tmp_path):
    assert sources.names() == ["csrc", "csrc_texts", "example", "neris", "nfra", "nfra_texts", "pboc", "pboc_texts"]
    # its spider, found by the registry, reads a list page of its site
    spider = fourth_source.spider(base_url="http://127.0.0.1:9")
    archive = spider.archive = Archive(tmp_path / "archive")
    rows = json.loads((demo_corpus("nfra") / "lists" / "4113.json").read_text(encoding="utf-8"))
    body = json.dumps({"rptCode": 200, "msg": "成功", "data": {"total": 1, "rows": rows[:1]}}).encode()
    request = spider.list_request("4113", 1)
    out = list(spider.parse_list(archived_response(archive, request, body, source="example",
                                                   content_type="application/json")))
    assert [r.meta["doc_id"] for r in out if isinstance(r, scrapy.Request)] == [str(rows[0]["docId"])]
    # the mirror serves its corpus folder
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_corpus("nfra"), corpus / "example")
    server = sources.mirror(corpus).start()
    try:
        status, _, _ = server.answer(f"/cbircweb/DocInfo/SelectByDocId?docId={rows[0]['docId']}")
    finally:
        server.stop()
    assert status == 200
    # the pipeline reads its archived documents with its reader
    document = (demo_corpus("nfra") / "documents" / f"{rows[0]['docId']}.json").read_bytes()
    fetch = archive.store(document, url="http://127.0.0.1:9/doc", source="example", kind="document",
                          http_status=200, doc_id=str(rows[0]["docId"]), item_id="4113")
    archive.judge(fetch.fetch_id, "ok")
    (extracted,) = extract_fetches(archive, [archive.fetch(fetch.fetch_id)])
    assert extracted.quarantined is None and extracted.analyses[0].decision.source == "example"
    assert extracted.analyses[0].decision.parties
    # and `regkb parse` recognises its files
    saved = tmp_path / "answer.example"
    saved.write_bytes(document)
    assert analyse_path(saved)[0].decision.parties
    archive.close()
