"""Datasette at scale: build a clearly synthetic database of a million decisions and time the pages over loopback.

    make bench-datasette                         # or: .venv/bin/python bench/datasette_scale.py [--decisions N]

The synthetic decisions are made from the real ones: the demo database (`regkb demo --no-serve`, built first if
missing) gives 103 real decisions with their parties, sanctions, cited articles and categories, and each synthetic
decision copies one of them (its texts, so words occur as often as in real decisions), then moves it to a random city
of the gazetteer (authority 国家金融监督管理总局{city}监管分局), a random date (2004–2026) and a fine scaled by a random
factor; two institutions in five become that city's 农村商业银行, so parent groups have a realistic long tail.
The decisions are stored in date order, as `regkb build` stores them (db/shape.py store_in_date_order). Every
synthetic row is flagged: ``source = 'synthetic'``, ``decision_id = 'synthetic:N'``, ``source_url =
'synthetic:copy-of/nfra:…'`` and no ``url``; its archived original is the template's (``raw_sha256``).

The build goes through regkb's own shape (db/shape.py: tables, then indexes), search index (db/search.py) and the
derived facet columns (nlp/schema.py: fine_band and the JSON lists). Then `regkb serve` serves the file and one client
times each page, sequentially, over loopback: the faceted decisions table (unfiltered, and filtered by a province or a
year), a two-character search of the table, a decision page; and, in the same run, the home page's search (one, two
and four characters, by relevance and by date, a deep page, the advanced form), the decisions table as it opens
(eight columns) beside every column (the old layout), the precedents query, and a LIKE scan of every text (the
baseline no index helps, timed in process). Then a burst of mixed requests (decision pages, searches, filtered tables,
precedents) from several clients at once, timed per page kind: searches must not starve decision pages. Targets on a
2-core machine (issue 14): faceted pages p95 < 300 ms cold, searches p95 < 200 ms, precedents < 300 ms, decision page
p95 < 100 ms, and < 500 ms under the burst. Prints the tables and writes results.json beside the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.search import build_search_index, fts_query  # noqa: E402
from db.shape import TABLES, ensure_shape, store_facet_counts, store_in_date_order  # noqa: E402
from nlp.schema import fine_band  # noqa: E402

TWO_CHARACTER_WORDS = ["挪用", "票据", "授信", "存款", "审慎", "贷款"]
# the home page's search by the length of what is typed (issue 14: p95 < 200 ms for one, two and four characters)
HOME_WORDS = {"one character": ["罚", "贷", "款"], "two characters": ["贷款", "挪用", "票据"],
              "four characters": ["违规发放", "审慎经营", "贷后管理"]}
TARGETS_MS = {"faceted table": 300, "faceted table, first view": 300, "faceted table, filtered, first views": 300,
              "faceted table, filtered": 300, "two-character search": 200, "decision page": 100,
              **{f"home search, {length}": 200 for length in HOME_WORDS},
              **{f"home search by date, {length}": 200 for length in HOME_WORDS},
              "decisions table (eight columns)": 300, "precedents": 300}
LIKE_FIELDS = ("title", "party_names", "facts", "legal_basis", "decision_text")


def demo_database(folder: Path) -> Path:
    db = folder / "demo" / "regkb.db"
    if not db.exists():
        env = {**os.environ, "REGKB_DATA_DIR": str(folder / "demo")}
        subprocess.run([sys.executable, "-m", "regkb", "demo", "--no-serve"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    return db


def rows(connection: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cursor = connection.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def templates(demo: Path) -> tuple[list[dict], list[dict], list[dict]]:
    source = sqlite3.connect(demo)
    decisions = rows(source, "select * from decisions order by decision_id")
    for decision in decisions:
        key = [decision["decision_id"]]
        decision["_parties"] = rows(source, "select * from parties where decision_id = ? order by ordinal", key)
        for party in decision["_parties"]:
            party["_sanctions"] = rows(source, "select * from sanctions where party_id = ? order by ordinal",
                                       [party["party_id"]])
        decision["_citations"] = rows(source, "select * from citations where decision_id = ? order by ordinal", key)
        decision["_categories"] = rows(source, "select * from decision_categories where decision_id = ?", key)
    regions = rows(source, "select * from regions where city is not null")
    raw = rows(source, "select * from raw_documents")
    return decisions, regions, raw


def synthesise(number: int, template: dict, region: dict, rng: random.Random) -> dict:
    decision_id = f"synthetic:{number}"
    city = region["city"].removesuffix("市").removesuffix("地区").removesuffix("盟").removesuffix("自治州")
    authority = f"国家金融监督管理总局{city}监管分局"
    decided = date(2004, 1, 1) + timedelta(days=rng.randrange(0, 8217))
    factor = rng.choice([0.5, 1, 1, 1, 2, 3, 5, 10, 20])
    local_bank = f"{city}农村商业银行"
    parties, sanctions = [], []
    for party in template["_parties"]:
        row = {k: v for k, v in party.items() if not k.startswith("_")}
        row.update(party_id=f"{decision_id}/{party['ordinal']}", decision_id=decision_id,
                   decision_date=decided.isoformat())
        if row["kind"] == "institution" and rng.random() < 0.4:
            row.update(name=f"{local_bank}股份有限公司", parent=local_bank, legal_entity=f"{local_bank}股份有限公司",
                       institution_type="农商行", branch_level="法人")
        for field in ("fine_yuan", "confiscated_yuan"):
            row[field] = row[field] * factor if row[field] is not None else None
        parties.append(row)
        for sanction in party["_sanctions"]:
            sanctions.append({**sanction, "sanction_id": f"{row['party_id']}/{sanction['ordinal']}",
                              "party_id": row["party_id"], "decision_id": decision_id,
                              "amount_yuan": sanction["amount_yuan"] * factor
                              if sanction["amount_yuan"] is not None else None})
    fines = [p["fine_yuan"] for p in parties if p["fine_yuan"] is not None]
    total = sum(fines) if fines else None

    def distinct(values) -> str:
        return json.dumps(sorted({v for v in values if v}), ensure_ascii=False)

    decision = {k: v for k, v in template.items() if not k.startswith("_")}
    decision.update(
        decision_id=decision_id, source="synthetic", doc_id=str(number), authority_id=authority, authority=authority,
        regulator="NFRA", authority_level="sub-bureau", province=region["province"], city=region["city"],
        region_id=region["region_id"], decision_date=decided.isoformat(), date=decided.isoformat(), date_basis="决定日期",
        publish_date=(decided + timedelta(days=rng.randrange(0, 60))).isoformat(), year=decided.year,
        total_fine_yuan=total, url=None, source_url=f"synthetic:copy-of/{template['decision_id']}",
        party_names="、".join(p["name"] + (f"（{p['role']}）" if p["role"] else "") for p in parties) or None,
        institution_types=distinct(p["institution_type"] for p in parties),
        parent_groups=distinct(p["parent"] for p in parties),
        sanction_types=distinct(s["label"] for s in sanctions), fine_band=fine_band(total),
    )
    citations = [{**c, "citation_id": f"{decision_id}/{c['ordinal']}", "decision_id": decision_id,
                  "decision_date": decided.isoformat()} for c in template["_citations"]]
    categories = [{**c, "decision_id": decision_id} for c in template["_categories"]]
    return {"decisions": [decision], "parties": parties, "sanctions": sanctions, "citations": citations,
            "decision_categories": categories}


def build(path: Path, demo: Path, count: int, seed: int = 20240601) -> dict:
    path.unlink(missing_ok=True)
    timings = {}
    started = time.perf_counter()
    decisions, regions, raw = templates(demo)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    for name, spec in TABLES.items():   # the tables first, their indexes after the rows (much faster)
        db.table(name).create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys", []))
    source = sqlite3.connect(demo)
    for table in ("regions", "categories", "authorities"):
        db.table(table).insert_all(rows(source, f"select * from {table}"))
    db.table("raw_documents").insert_all(raw)
    rng = random.Random(seed)
    batch: dict[str, list] = {}
    authorities = {}
    with db.conn:
        for number in range(1, count + 1):
            region = rng.choice(regions)
            made = synthesise(number, rng.choice(decisions), region, rng)
            authority = made["decisions"][0]["authority_id"]
            authorities.setdefault(authority, {
                "authority_id": authority, "canonical": authority, "regulator": "NFRA", "level": "sub-bureau",
                "province": region["province"], "city": region["city"], "region_id": region["region_id"],
                "names_seen": json.dumps([authority], ensure_ascii=False)})
            for table, new in made.items():
                batch.setdefault(table, []).extend(new)
            if number % 20000 == 0 or number == count:
                for table, new in batch.items():
                    columns = list(TABLES[table]["columns"])
                    db.conn.executemany(
                        f"insert into [{table}] ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                        [[row.get(column) for column in columns] for row in new])
                batch = {}
                print(f"\r  {number:,} decisions", end="", file=sys.stderr, flush=True)
        db.table("authorities").insert_all(authorities.values(), pk="authority_id", replace=True)
    print(file=sys.stderr)
    timings["rows_s"] = time.perf_counter() - started
    mark = time.perf_counter()
    with db.conn:
        store_in_date_order(db)   # as regkb build stores them: the newest matches come straight from the index
    timings["date_order_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    ensure_shape(db)
    timings["indexes_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with db.conn:
        store_facet_counts(db)    # as regkb build counts them: the unfiltered facets are read, not counted
    timings["facet_counts_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with db.conn:
        build_search_index(db)
    timings["search_index_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    db.analyze()
    timings["analyze_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    counts = {table: db.table(table).count for table in ("decisions", "parties", "sanctions", "citations",
                                                         "decision_categories")}
    db.conn.close()
    return {"timings": timings, "counts": counts, "size_mb": round(path.stat().st_size / 2**20)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(db: Path, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "regkb", "serve", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/-/versions.json")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("regkb serve did not answer within 120 s")


def measure(port: int, paths: list[str], warmup: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times, statuses = [], []
    for index, path in enumerate(paths[:warmup] + paths):
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            times.append(elapsed)
            statuses.append(response.status)
            if response.status != 200 or b"These facets timed out" in body:
                print(f"  {response.status} {'(facets timed out) ' if response.status == 200 else ''}{path}",
                      file=sys.stderr)
    times.sort()
    return {"n": len(times), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1), "max_ms": round(times[-1], 1),
            "ok": statuses.count(200)}


def provinces_and_count(db: Path) -> tuple[list[str], int]:
    """The synthetic decisions' provinces, and their highest rowid (decision ``synthetic:N`` for N up to it)."""
    connection = sqlite3.connect(db)
    provinces = [row[0] for row in connection.execute("select distinct province from decisions"
                                                      " where province is not null order by 1")]
    count = connection.execute("select max(rowid) from decisions").fetchone()[0]
    connection.close()
    return provinces, count


def scenarios(db: Path, requests: int, rng: random.Random) -> dict[str, tuple[list[str], int]]:
    """Each page kind: the paths to request in order, and how many first requests are warm-up (not timed).

    regkb's facets remember their results on an immutable database, so a page seen before is cheaper: "first view"
    kinds use distinct URLs only (every request is the first of its URL, on a server that has just started), the
    others repeat URLs as people do.
    """
    provinces, count = provinces_and_count(db)
    table = "/regkb/decisions"
    filters = [urlencode({"province": province}) for province in provinces]
    filters += [f"year={year}" for year in range(2004, 2027)]
    filters += [urlencode({"province": p, "year": y}) for p in provinces for y in range(2004, 2027)]
    distinct = rng.sample(filters[len(provinces) + 23:], requests)
    return {
        "faceted table, first view": ([table], 0),
        "faceted table": ([table] * requests, 3),
        "faceted table, filtered, first views": ([f"{table}?{f}" for f in distinct], 0),
        "faceted table, filtered": ([f"{table}?{rng.choice(filters[:len(provinces) + 23])}"
                                     for _ in range(requests)], 3),
        **{f"  search {word}, first view": ([f"{table}?_search={quote(word)}"], 0) for word in TWO_CHARACTER_WORDS},
        "two-character search": ([f"{table}?_search={quote(TWO_CHARACTER_WORDS[i % len(TWO_CHARACTER_WORDS)])}"
                                  for i in range(requests)], 0),
        **{f"  search {word}": ([f"{table}?_search={quote(word)}"] * max(5, requests // 6), 0)
           for word in TWO_CHARACTER_WORDS},
        "decision page": ([f"{table}/synthetic~3A{rng.randrange(1, count + 1)}" for _ in range(requests)], 3),
        # the new pages beside the old ones, in the same run
        **{f"home search, {length}": ([f"/?q={quote(words[i % len(words)])}" for i in range(requests)], 0)
           for length, words in HOME_WORDS.items()},
        **{f"home search by date, {length}": ([f"/?q={quote(words[i % len(words)])}&sort=date"
                                               for i in range(requests)], 0)
           for length, words in HOME_WORDS.items()},
        "home search, page 20 by date": ([f"/?q={quote('贷款')}&sort=date&page=20"] * max(5, requests // 6), 0),
        "home, advanced form (region and category)": (
            [f"/?region={quote(rng.choice(provinces))}&category={quote('信贷业务')}" for _ in range(requests)], 0),
        "decisions table (eight columns)": ([table] * requests, 3),
        "decisions table, every column (old)": ([f"{table}?" + urlencode([("_col", c) for c in TABLES["decisions"]
                                                                           ["columns"]])] * requests, 3),
        "precedents": ([f"/regkb/precedents?law={quote('银行业监督管理法')}&article={quote(a)}"
                        for a in (["46", "第四十六条", "21"] * requests)[:requests]], 0),
    }


# A burst of what people do at once (issue 14 part 6): what each request is, and its share of the burst
BURST_MIX = {"decision page": 30, "home search": 30, "faceted table, filtered": 15, "table search": 10,
             "precedents": 10, "home, advanced form": 5}
BURST_TARGETS_MS = {"decision page": 500}


def burst_requests(db: Path, total: int, rng: random.Random) -> list[tuple[str, str]]:
    """``total`` requests mixed as BURST_MIX says, shuffled: (kind, path)."""
    provinces, count = provinces_and_count(db)
    table = "/regkb/decisions"
    words = [w for ws in HOME_WORDS.values() for w in ws]
    make = {
        "decision page": lambda: f"{table}/synthetic~3A{rng.randrange(1, count + 1)}",
        "home search": lambda: f"/?q={quote(rng.choice(words))}" + rng.choice(["", "&sort=date"]),
        "faceted table, filtered": lambda: f"{table}?" + urlencode(
            {"province": rng.choice(provinces), "year": rng.randrange(2004, 2027)}),
        "table search": lambda: f"{table}?_search={quote(rng.choice(TWO_CHARACTER_WORDS))}",
        "precedents": lambda: f"/regkb/precedents?law={quote('银行业监督管理法')}&article={rng.choice(['46', '21'])}",
        "home, advanced form": lambda: f"/?region={quote(rng.choice(provinces))}&category={quote('信贷业务')}",
    }
    requests = [(kind, make[kind]()) for kind, share in BURST_MIX.items() for _ in range(total * share // 100)]
    rng.shuffle(requests)
    return requests


def burst(port: int, requests: list[tuple[str, str]], clients: int) -> dict:
    """Send the requests from ``clients`` clients at once, each its own connection, and time every answer from the
    moment it was sent (a page queued behind slower ones is slow for the person waiting)."""
    def fetch(item):
        kind, path = item
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        connection.close()
        return kind, (time.perf_counter() - started) * 1000, response.status

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(fetch, requests))
    wall = time.perf_counter() - started
    by_kind: dict[str, dict] = {}
    for kind in BURST_MIX:
        times = sorted(ms for k, ms, _ in answers if k == kind)
        if times:
            by_kind[kind] = {"n": len(times), "p50_ms": round(statistics.median(times), 1),
                             "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1),
                             "max_ms": round(times[-1], 1),
                             "ok": sum(1 for k, _, status in answers if k == kind and status == 200)}
    return {"clients": clients, "requests": len(answers), "wall_s": round(wall, 1),
            "requests_per_s": round(len(answers) / wall, 1), "kinds": by_kind}


def like_scan(db: Path, words: list[str], repeat: int = 3) -> dict:
    """The baseline no index helps: a LIKE over every text of every decision, counting the matches as a search page
    says how many there are (plain sqlite3). (The newest 20 alone come from the date index as soon as a common word
    is found: a fraction of a millisecond, which measures nothing.)"""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    times = []
    for word in words:
        where = " or ".join(f"{field} like ?" for field in LIKE_FIELDS)
        sql = f"select count(*) from decisions where {where}"
        for _ in range(repeat):
            started = time.perf_counter()
            connection.execute(sql, [f"%{word}%"] * len(LIKE_FIELDS)).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    connection.close()
    times.sort()
    return {"n": len(times), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1), "max_ms": round(times[-1], 1),
            "ok": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/regkb-bench"))
    parser.add_argument("--requests", type=int, default=60, help="requests per page kind")
    parser.add_argument("--reuse", action="store_true", help="measure an existing synthetic database again")
    parser.add_argument("--only", default="", help="only the page kinds whose name contains this (e.g. home)")
    parser.add_argument("--burst", type=int, default=200, help="requests in the burst of mixed requests (0: none)")
    parser.add_argument("--clients", type=int, default=8, help="clients sending the burst at once")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    db = args.folder / "synthetic" / "regkb.db"   # named regkb.db: metadata.yml configures the database "regkb"
    db.parent.mkdir(exist_ok=True)
    results: dict = {"decisions": args.decisions}
    if not (args.reuse and db.exists()):
        print(f"building {args.decisions:,} synthetic decisions into {db}", file=sys.stderr)
        results["build"] = build(db, demo_database(args.folder), args.decisions)
        print(json.dumps(results["build"], indent=2), file=sys.stderr)
    process, port = serve(db)
    try:
        results["latency"] = {name: measure(port, paths, warmup)
                              for name, (paths, warmup) in scenarios(db, args.requests, random.Random(7)).items()
                              if args.only in name}
        if args.burst and args.only in "under load":
            results["burst"] = burst(port, burst_requests(db, args.burst, random.Random(11)), args.clients)
    finally:
        process.terminate()
        process.wait(timeout=30)
    if args.burst and args.only in "under load":
        # the same burst, every request answered at once as Datasette alone answers (plugins/regkb_load.py off)
        process, port = serve(db, {"REGKB_SEARCHES_AT_ONCE": "0"})
        try:
            results["burst, no turns"] = burst(port, burst_requests(db, args.burst, random.Random(11)), args.clients)
        finally:
            process.terminate()
            process.wait(timeout=30)
    for length, words in HOME_WORDS.items():
        if args.only in "LIKE scan (baseline)":
            results["latency"][f"LIKE scan (baseline), {length}"] = like_scan(db, words)
    connection = sqlite3.connect(db)
    results["search_matches"] = {word: connection.execute(
        "select count(*) from decisions_fts where decisions_fts match ?", [fts_query(word)]).fetchone()[0]
        for word in [*TWO_CHARACTER_WORDS, *(w for words in HOME_WORDS.values() for w in words)]}
    connection.close()
    (args.folder / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if "build" in results:
        timings = results["build"]["timings"]
        print(f"build: {results['build']['counts']['decisions']:,} decisions in {timings['total_s']:.0f} s "
              f"(rows {timings['rows_s']:.0f} s, date order {timings.get('date_order_s', 0):.0f} s, indexes "
              f"{timings['indexes_s']:.0f} s, search index "
              f"{timings['search_index_s']:.0f} s, analyze {timings['analyze_s']:.0f} s); "
              f"{results['build']['size_mb']:,} MB")
    print("decisions matching each search word: " + ", ".join(f"{w} {n:,}" for w, n in results["search_matches"].items()))
    print(f"{'page':<40}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}  target p95")
    for name, figures in results["latency"].items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"< {target} ms: {'met' if figures['p95_ms'] < target else 'NOT met'}"
        print(f"{name:<40}{figures['n']:>5}{figures['p50_ms']:>10}{figures['p95_ms']:>10}{figures['max_ms']:>10}"
              f"  {verdict}")
    for key, how in (("burst", "searches taking turns (regkb_load.py)"),
                     ("burst, no turns", "every request at once (baseline)")):
        if key not in results:
            continue
        load = results[key]
        print(f"under load, {how}: {load['requests']} mixed requests from {load['clients']} clients at once, "
              f"{load['wall_s']} s, {load['requests_per_s']} requests/s")
        print(f"{'page':<40}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'ok':>5}  target p95")
        for name, figures in load["kinds"].items():
            target = BURST_TARGETS_MS.get(name) if key == "burst" else None
            verdict = "" if target is None else f"< {target} ms: {'met' if figures['p95_ms'] < target else 'NOT met'}"
            print(f"{name:<40}{figures['n']:>5}{figures['p50_ms']:>10}{figures['p95_ms']:>10}{figures['max_ms']:>10}"
                  f"{figures['ok']:>5}  {verdict}")


if __name__ == "__main__":
    main()
