"""The attack kept: a fault-injecting server at the real paths (the NFRA's JSON endpoints, the PBOC's pages), every
fault class the attack found, and SIGKILLs of a crawl and of a build. Each scenario crawls with the real spider in
its own process, re-runs the crawl as its problem report advises (at most three times), and counts the documents of
the list that never reached the archive. Prints faults injected, survived, documents lost; goal 0 lost.

    .venv/bin/python bench/chaos.py [--only NAME …] [--quick]

Exits 1 if a document was lost, a local file or a private address was fetched, or a killed build hurt the old
database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sources  # noqa: E402
from crawler.archive import Archive  # noqa: E402
from crawler.mirror import MirrorHandler  # noqa: E402

ITEM = "4115"   # the demo's longest NFRA list: 91 documents, six pages of 18
LIST = "/cbircweb/DocInfo/SelectDocByItemIdAndChild"
DOCUMENT = "/cbircweb/DocInfo/SelectByDocId"


@dataclass
class Scenario:
    name: str
    what: str
    fault: Callable[["Faults", str, dict], tuple | None] | None = None
    prepare: Callable[[Path], None] | None = None
    between: Callable[[Path], None] | None = None     # after the first complete crawl (the site changes)
    full_after: bool = False                          # then one crawl with --full, as the README advises
    source: str = "nfra"
    crawl_args: tuple[str, ...] = ()


@dataclass
class Faults:
    """What the server has done so far (for faults that happen N times, or after some hits)."""

    scenario: Scenario
    counts: dict[str, int] = field(default_factory=dict)
    injected: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def once(self, key: str, times: int = 1) -> bool:
        with self.lock:
            done = self.counts.get(key, 0)
            self.counts[key] = done + 1
            if done < times:
                self.injected += 1
                return True
            return False


class FaultHandler(MirrorHandler):
    def do_GET(self):
        server = self.server
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        server.hits.append(self.path)
        action = server.faults.scenario.fault(server.faults, url.path, query) if server.faults.scenario.fault else None
        if action is None:
            return super().do_GET()
        kind = action[0]
        if kind == "reset":
            self.connection.close()
            return
        if kind == "hang":
            time.sleep(action[1])
            return super().do_GET()
        status, content_type, body = server.answer(self.path, self.headers.get("Cookie", ""))
        if kind == "truncate":
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.connection.close()
            return
        if kind == "status":
            status, body, content_type = action[1], b"<html><body>busy</body></html>", "text/html"
        elif kind == "body":
            content_type, body = action[1], action[2]
        elif kind == "redirect":
            self.send_response(302)
            self.send_header("Location", action[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif kind == "rows":
            answer = json.loads(body)
            answer["data"]["rows"] = action[1](answer["data"]["rows"])
            if len(action) > 2 and action[2] is not None:
                answer["data"]["total"] = action[2]
            body = json.dumps(answer, ensure_ascii=False).encode(action[3] if len(action) > 3 else "utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def list_page(path: str, query: dict, page: int | None = None) -> bool:
    return path == LIST and query.get("itemId") == ITEM and (page is None or query.get("pageIndex") == str(page))


def nfra_document(path: str) -> bool:
    return path == DOCUMENT


def new_document(corpus: Path, doc_id: int, like: str, published: str) -> dict:
    """A row and a document for the list, made from a real one of the corpus (its docId and date changed)."""
    documents = corpus / "nfra" / "documents"
    answer = json.loads((documents / f"{like}.json").read_text(encoding="utf-8"))
    answer["data"]["docId"] = doc_id
    (documents / f"{doc_id}.json").write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    rows = json.loads((corpus / "nfra" / "lists" / f"{ITEM}.json").read_text(encoding="utf-8"))
    row = {**next(r for r in rows if str(r["docId"]) == like), "docId": doc_id, "publishDate": published}
    return row


def insert_rows(corpus: Path, rows: list[dict], at: int | None = None) -> None:
    path = corpus / "nfra" / "lists" / f"{ITEM}.json"
    listed = json.loads(path.read_text(encoding="utf-8"))
    if at is None:   # by date, as the site lists them
        listed = sorted(listed + rows, key=lambda r: r["publishDate"], reverse=True)
    else:
        listed[at:at] = rows
    path.write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")


def shifting(faults: Faults, path: str, query: dict):
    """After page 2 has been served, two rows appear at the top: every later page shifts by two."""
    if list_page(path, query, 2) and faults.once("shift"):
        corpus = faults.corpus
        rows = [new_document(corpus, 9500000 + n, "9000050", "2026-11-30 00:00:00.0") for n in (1, 2)]
        insert_rows(corpus, rows, at=0)
    return None


def back_dated(corpus: Path) -> None:
    insert_rows(corpus, [new_document(corpus, 9500100, "9000060", "2015-06-01 00:00:00.0")])


def hostile_page(corpus: Path) -> None:
    secret = corpus.parent / "regkb-secret.xlsx"
    shutil.copyfile(corpus / "pboc" / "attachments" / "shanghai_2015.xlsx", secret)
    page = corpus / "pboc" / "site" / "zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/index.html"
    text = page.read_text(encoding="utf-8")
    marker = "104-116号.pdf</a>"
    page.write_text(text.replace(marker, marker + f'<a href="{secret.as_uri()}">附件.xlsx</a>'
                                 '<a href="http://10.0.0.5/internal.xls">附件.xls</a>', 1), encoding="utf-8")


SCENARIOS = [
    Scenario("reset", "5 document requests: the connection closed without an answer",
             lambda f, p, q: ("reset",) if nfra_document(p) and f.once("doc", 5) else None),
    Scenario("hang", "3 document requests answered after 3 s (the crawl's timeout: 1 s)",
             lambda f, p, q: ("hang", 3) if nfra_document(p) and f.once("doc", 3) else None),
    Scenario("truncated", "3 documents cut short of their Content-Length",
             lambda f, p, q: ("truncate",) if nfra_document(p) and f.once("doc", 3) else None),
    Scenario("503", "every list page answers 503 twice",
             lambda f, p, q: ("status", 503) if list_page(p, q) and f.once(q.get("pageIndex"), 2) else None),
    Scenario("429", "4 documents answer 429 Too Many Requests",
             lambda f, p, q: ("status", 429) if nfra_document(p) and f.once("doc", 4) else None),
    Scenario("empty page", "page 2 answers no rows once (the count says 91)",
             lambda f, p, q: ("rows", lambda rows: []) if list_page(p, q, 2) and f.once("p2") else None),
    Scenario("empty page, 3 times", "page 2 answers no rows three times: reported, then the next crawl has it",
             lambda f, p, q: ("rows", lambda rows: []) if list_page(p, q, 2) and f.once("p2", 3) else None),
    Scenario("short page", "page 3 answers 5 of its 18 rows once",
             lambda f, p, q: ("rows", lambda rows: rows[:5]) if list_page(p, q, 3) and f.once("p3") else None),
    Scenario("smaller count", "page 2 says the list holds 20 (of 91) once",
             lambda f, p, q: ("rows", lambda rows: rows, 20) if list_page(p, q, 2) and f.once("p2") else None),
    Scenario("rows shift", "two rows appear at the top while the list is walked", shifting),
    Scenario("back-dated row", "after a complete crawl, a row dated 2015 appears in the middle of the list",
             between=back_dated, full_after=True),
    Scenario("garbage JSON", "3 documents answer half a JSON object",
             lambda f, p, q: ("body", "application/json", b'{"rptCode":200,"data":{"docId"')
             if nfra_document(p) and f.once("doc", 3) else None),
    Scenario("challenge", "page 1 answers a JavaScript challenge page once",
             lambda f, p, q: ("body", "text/html", b"<html><script>document.cookie='a=1';location.reload()</script>"
                              b"</html>") if list_page(p, q, 1) and f.once("p1") else None),
    Scenario("empty docClob", "4 documents answer their envelope without the document (docClob empty)",
             lambda f, p, q: ("body", "application/json", json.dumps(
                 {"rptCode": 200, "msg": "成功", "data": {"docId": int(q["docId"]), "docClob": "",
                                                        "publishDate": "2016-04-13 00:00:00"}}).encode())
             if nfra_document(p) and f.once("doc", 4) else None),
    Scenario("redirect", "every document moved (302) to its static twin on the same host",
             lambda f, p, q: ("redirect", f"/cn/static/data/DocInfo/SelectByDocId/data_docId={q['docId']}.json")
             if nfra_document(p) and f.once("doc", 10_000) else None),
    Scenario("GBK list", "page 1 answered in GBK once",
             lambda f, p, q: ("rows", lambda rows: rows, None, "gbk") if list_page(p, q, 1) and f.once("p1") else None),
    Scenario("foreign links", "a PBOC page links a local file and an internal address", prepare=hostile_page,
             source="pboc", crawl_args=("--branch", "head_office")),
]


def expected_documents(corpus: Path, scenario: Scenario) -> set[str]:
    if scenario.source == "pboc":
        return set()
    rows = json.loads((corpus / "nfra" / "lists" / f"{ITEM}.json").read_text(encoding="utf-8"))
    return {str(row["docId"]) for row in rows}


def crawl(server, archive: Path, scenario: Scenario, *extra: str) -> subprocess.CompletedProcess:
    source_args = ("--item-ids", ITEM) if scenario.source == "nfra" else ()
    return subprocess.run([sys.executable, "-m", "regkb", "crawl", scenario.source, "--base-url", server.base_url,
                           *source_args, *scenario.crawl_args, "--delay", "0", "--backoff", "0.05", "--timeout", "1",
                           "--concurrency", "4", "--log-level", "ERROR", "--archive", str(archive), *extra],
                          capture_output=True, text=True, timeout=300)


def archived(archive: Path, source: str) -> set[str]:
    if not (archive / "index.sqlite").exists():
        return set()
    opened = Archive(archive)
    try:
        return {fetch.doc_id for fetch in opened.documents(source)}
    finally:
        opened.close()


def run(scenario: Scenario, work: Path) -> dict:
    corpus = work / "corpus"
    for name in ("nfra", "pboc"):
        shutil.copytree(sources.get(name).demo_corpus, corpus / name)
    if scenario.prepare:
        scenario.prepare(corpus)
    server = sources.mirror(corpus)
    server.RequestHandlerClass = FaultHandler
    server.faults = Faults(scenario)
    server.faults.corpus = corpus
    server.start()
    archive = work / "archive"
    runs, problems = 0, ""
    try:
        for _ in range(3):
            runs += 1
            result = crawl(server, archive, scenario)
            problems = result.stderr
            if result.returncode == 0:
                break
        if scenario.between:
            scenario.between(corpus)
            crawl(server, archive, scenario)
            runs += 1
        if scenario.full_after:
            crawl(server, archive, scenario, "--full")
            runs += 1
    finally:
        server.stop()
    wanted = expected_documents(corpus, scenario)
    have = archived(archive, scenario.source)
    fetched = [url for hit in server.hits for url in [hit]]
    foreign = 0
    if (archive / "index.sqlite").exists():
        opened = Archive(archive)
        foreign = sum(1 for fetch in opened.fetches() if not fetch.url.startswith(server.base_url))
        opened.close()
    return {"scenario": scenario.name, "what": scenario.what, "injected": server.faults.injected or
            (1 if scenario.between or scenario.prepare else 0), "runs": runs, "lost": len(wanted - have),
            "foreign": foreign, "problems": problems.strip().splitlines()[:3], "hits": len(fetched)}


def killed_crawl(work: Path) -> dict:
    """SIGKILL a crawl after 30 documents, then crawl again: every document archived, none fetched twice."""
    corpus = work / "corpus"
    shutil.copytree(sources.get("nfra").demo_corpus, corpus / "nfra")
    server = sources.mirror(corpus).start()
    archive = work / "archive"
    command = [sys.executable, "-m", "regkb", "crawl", "nfra", "--base-url", server.base_url, "--item-ids", ITEM,
               "--delay", "0", "--concurrency", "2", "--log-level", "ERROR", "--archive", str(archive)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and sum(DOCUMENT in hit for hit in server.hits) < 30:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        subprocess.run(command, capture_output=True, timeout=300)
    finally:
        server.stop()
    opened = Archive(archive)
    ok = [fetch.doc_id for fetch in opened.fetches(kind="document", verdict="ok")]
    opened.close()
    wanted = expected_documents(corpus, Scenario("", "", source="nfra"))
    twice = len(ok) - len(set(ok))
    return {"scenario": "SIGKILL crawl", "what": "a crawl killed after 30 documents, then run again",
            "injected": 1, "runs": 2, "lost": len(wanted - set(ok)), "foreign": 0,
            "problems": [f"{twice} fetched twice"] if twice else [], "hits": len(server.hits), "twice": twice}


def killed_build(work: Path, archive: Path) -> dict:
    """SIGKILL a build half-way: the previous database unchanged; the next build leaves no temporary file."""
    db = work / "regkb.db"
    subprocess.run([sys.executable, "-m", "regkb", "build", str(db), "--archive", str(archive)], capture_output=True,
                   timeout=600)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    process = subprocess.Popen([sys.executable, "-m", "regkb", "build", str(db), "--archive", str(archive)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list(work.glob(".regkb.db.building-*")):
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    intact = hashlib.sha256(db.read_bytes()).hexdigest() == before
    left = len(list(work.glob(".regkb.db.building-*")))
    again = subprocess.run([sys.executable, "-m", "regkb", "build", str(db), "--archive", str(archive)],
                           capture_output=True, text=True, timeout=600)
    after = len(list(work.glob(".regkb.db.building-*")))
    decisions = sqlite3.connect(db).execute("select count(*) from decisions").fetchone()[0]
    return {"scenario": "SIGKILL build", "what": "a build killed half-way, then run again", "injected": 1,
            "runs": 2, "lost": 0 if intact and again.returncode == 0 and decisions else 1, "foreign": 0,
            "problems": ([] if intact else ["the old database changed"]) + (
                [f"{after} temporary file(s) left after the next build"] if after else []),
            "hits": 0, "left_after_kill": left}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="scenario names")
    parser.add_argument("--quick", action="store_true", help="a few scenarios, for CI")
    args = parser.parse_args()
    chosen = [s for s in SCENARIOS if not args.only or s.name in args.only]
    if args.quick:
        chosen = [s for s in chosen if s.name in ("reset", "empty page", "rows shift", "foreign links",
                                                  "empty docClob")]
    results = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="regkb-chaos-") as folder:
        for number, scenario in enumerate(chosen):
            work = Path(folder) / f"s{number}"
            work.mkdir()
            results.append(run(scenario, work))
            print(f"  {scenario.name}: {results[-1]['lost']} lost", file=sys.stderr)
        if not args.only:
            work = Path(folder) / "kill"
            work.mkdir()
            results.append(killed_crawl(work))
            results.append(killed_build(work, work / "archive"))
    print(f"{'scenario':<22}{'faults':>7}{'crawls':>7}{'lost':>6}  what")
    for r in results:
        print(f"{r['scenario']:<22}{r['injected']:>7}{r['runs']:>7}{r['lost']:>6}  {r['what']}"
              + (f" [foreign fetches: {r['foreign']}]" if r["foreign"] else ""))
    injected = sum(r["injected"] for r in results)
    lost = sum(r["lost"] for r in results)
    foreign = sum(r["foreign"] for r in results)
    survived = sum(1 for r in results if not r["lost"] and not r["foreign"] and not r.get("twice"))
    print(f"\n{injected} faults injected in {len(results)} scenarios in {time.monotonic() - started:.0f} s: "
          f"{survived} survived, {lost} documents lost, {foreign} local files or other hosts fetched")
    return 0 if survived == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
