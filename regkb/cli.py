"""The `regkb` command: crawl → archive → extract → build → serve, and the demo that runs them all.

Every command has an example in its help; `regkb COMMAND --help` shows it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click

from regkb import __version__
from regkb.settings import DATASETTE_DIR, paths
from sources import names as source_names


def _archive_option(function):
    return click.option("--archive", "archive_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Raw archive folder [default: data/archive, or $REGKB_ARCHIVE_DIR].")(function)


def _site_root(value: str | None) -> str | None:
    """--base-url as an http(s) address with a host, or a usage error saying what it must be."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not an http(s) address with a host, such as http://127.0.0.1:8765 "
                                 "(what `regkb mirror` prints)", param_hint="--base-url")
    return value


def _jobs_option(function):
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                        help="Documents read at once, each in a worker process [default: one per core]; the "
                             "result is the same whatever the number.")(function)


def _db_argument(function):
    return click.argument("db", required=False, type=click.Path(dir_okay=False, path_type=Path))(function)


class _Commands(click.Group):
    """regkb's commands; ``export`` (pandas, openpyxl, python-docx) imported only when it is asked for, so that
    `regkb parse` starts in a fraction of the time."""

    lazy = {"export": "regkb.cli_export:export"}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx, name):
        if name in self.lazy:
            import importlib

            module, _, attribute = self.lazy[name].partition(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="regkb")
def cli():
    """regkb: the open knowledge base of Chinese financial enforcement.

    Crawl regulators' penalty decisions into a raw archive, extract who was punished, how and by whom, build one
    SQLite database and browse it in Datasette.

    \b
    Quick start:
        regkb demo                 # bundled sample, end to end, served on http://127.0.0.1:8001
        regkb crawl nfra && regkb build && regkb serve
    """


@cli.command()
@click.argument("source", type=click.Choice(source_names()))
@click.option("--base-url", callback=lambda ctx, param, value: _site_root(value),
              help="Site root to crawl instead of the real one (e.g. a local mirror serving every site's paths).")
@click.option("--since", metavar="YYYY-MM-DD", help="Only documents published on or after this date.")
@click.option("--max-pages", type=int, help="Stop each list after this many pages.")
@click.option("--full", is_flag=True, help="Walk every page of every list, past the documents a complete earlier crawl "
              "had (list pages only are fetched again): finds rows the site added back-dated. Run it now and then.")
@click.option("--discover", is_flag=True, help="Only check the source's lists against the site (list pages, column "
              "codes, the parent column) and print the lists that appeared or vanished; fetches no document.")
@click.option("--item-ids", metavar="IDS", help="nfra: comma-separated list ids instead of the YAML's (4113,4114,4115).")
@click.option("--page-size", type=int, help="nfra, csrc: rows per list page [default: from the YAML].")
@click.option("--branch", metavar="NAME", help="pboc: only these sites, comma-separated, by key or name (shanghai, 上海分行, "
              "head_office); csrc: only these bureaus (beijing, 北京监管局, head_office).")
@click.option("--browser", is_flag=True, help="Pass anti-bot JavaScript challenges in Chromium (Debian's chromium; "
              "pip install 'regkb[browser]'); without it a challenge is reported by URL.")
@click.option("--delay", type=float, help="Seconds between requests [default: from the YAML]; 0 turns AutoThrottle off.")
@click.option("--concurrency", type=int, help="Parallel requests to the site [default: from the YAML].")
@click.option("--backoff", type=float, help="Seconds before the first retry, doubling each time [default: from the YAML].")
@click.option("--timeout", type=float, help="Seconds to wait for an answer before the request is retried "
              "[default: from the YAML, 30].")
@click.option("--log-level", default="INFO", show_default=True, type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
@_archive_option
def crawl(source, base_url, since, max_pages, full, discover, item_ids, page_size, branch, browser, delay,
          concurrency, backoff, timeout, log_level, archive_dir):
    """Fetch a regulator's penalty lists and documents into the raw archive.

    nfra: the NFRA (CBIRC, CBRC) JSON endpoints. pboc: the People's Bank head office and branch sites, their list
    pages, detail pages and attachments (.xlsx .xls .et .docx .doc .wps .pdf). csrc: the CSRC head office and
    bureaus' 行政处罚决定 and 市场禁入决定.

    Incremental: documents already archived are not fetched again, and a list stops paging when it reaches
    documents a complete earlier crawl already had. A blocked, challenged or unreachable page is reported by URL
    and the command exits with status 1.

    \b
    Example:
        regkb crawl nfra --since 2024-01-01
        regkb crawl pboc --branch shanghai --browser
        regkb crawl csrc --base-url http://127.0.0.1:8765 --delay 0
    """
    from crawler.run import crawl as run_crawl
    from sources import get as source_named

    if since:
        try:
            from datetime import date

            date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"{since!r} is not a date like 2024-01-31", param_hint="--since")
    archive_dir = archive_dir or paths().archive_dir
    for option, value in (("--item-ids", item_ids), ("--branch", branch), ("--page-size", page_size)):
        if not value:
            continue   # telling which sources take an option imports every spider: asked of one given only
        allowed = [name for name in source_names() if option[2:].replace("-", "_") in spider_options(name)]
        if source not in allowed:
            raise click.BadParameter(f"only for {' and '.join(allowed)}", param_hint=option)
    if branch:
        for name in branch.split(","):
            try:
                source_named(source).facts.site(name)
            except KeyError as error:
                raise click.BadParameter(str(error.args[0]), param_hint="--branch")
    spider_args = {"base_url": base_url, "since": since, "max_pages": max_pages, "full": full or None,
                   "discover": discover or None, "item_ids": item_ids, "page_size": page_size, "branch": branch}
    report = run_crawl(source_named(source).spider, archive_dir, delay=delay, concurrency=concurrency, backoff=backoff,
                       log_level=log_level, browser=browser, timeout=timeout, **spider_args)
    if discover:
        _print_discoveries(source, report)
        return
    tally = report.tally
    click.echo(
        f"{source}: {tally.get('list_pages', 0)} list pages, {tally.get('documents_fetched', 0)} documents fetched, "
        f"{tally.get('documents_already_archived', 0)} already archived; "
        f"{report.archived_documents} documents in the archive at {archive_dir}"
    )
    # what else the crawl did, when it did it
    others = [(tally.get(key, 0), words) for key, words in OTHER_TALLIES]
    if any(count for count, _ in others):
        click.echo("  " + ", ".join(f"{count} {words}" for count, words in others if count))
    if report.problems:
        click.echo(f"\n{len(report.problems)} page(s) could not be fetched:", err=True)
        _print_problems(report.problems)
        raise SystemExit(1)


OTHER_TALLIES = (
    ("attachments_fetched", "attached files fetched"), ("attachments_retried", "missing files asked for again"),
    ("documents_changed", "documents changed on the site, fetched again"),
    ("rows_not_decisions", "list rows that are no decision (行政许可公示 …), not fetched"),
    ("lists_checked", "lists checked against the site"), ("links_refused", "links refused"),
)


def _print_discoveries(source: str, report) -> None:
    """--discover: the lists that appeared on the site or vanished from it, each with what to do, or that they agree
    with the YAML; exit status 1 when something changed or a page that tells could not be read."""
    from crawler.spider import HINT_APPEARED, HINT_VANISHED

    checked = report.tally.get("lists_checked", 0)
    if not report.problems:
        click.echo(f"{source}: {checked} lists checked against the site; they agree with sources/{source}/source.yaml")
        return
    for change, hint in (("appeared", HINT_APPEARED), ("vanished", HINT_VANISHED)):
        found = [d for d in report.discoveries if d.change == change]
        if found:
            click.echo(f"{source}: {len(found)} list(s) {change}:", err=True)
            for discovery in found:
                click.echo(f"  {discovery.name} ({discovery.list_id}), seen at {discovery.where}", err=True)
            click.echo(f"    → {hint.format(source=source)}", err=True)
    changes = {discovery.problem(source) for discovery in report.discoveries}
    unread = [problem for problem in report.problems if problem not in changes]
    if unread:
        click.echo(f"\n{len(unread)} page(s) could not be read:", err=True)
        _print_problems(unread)
    raise SystemExit(1)


def spider_options(source: str) -> set[str]:
    """The arguments a source's spider takes (its __init__ and its bases'): which crawl options apply to it."""
    import inspect

    from sources import get as source_named

    return {name for cls in source_named(source).spider.__mro__ if "__init__" in vars(cls)
            for name in inspect.signature(cls.__init__).parameters}


def _print_problems(problems) -> None:
    """Each URL with why; the same reason and advice for many URLs (35 branch lists answering 404) said once."""
    from urllib.parse import unquote

    grouped: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        grouped.setdefault((problem.reason, problem.hint), []).append(unquote(problem.url))
    for (reason, hint), urls in grouped.items():
        if len(urls) == 1:
            click.echo(f"  {urls[0]}\n    {reason}\n    → {hint}", err=True)
            continue
        click.echo(f"  {len(urls)} pages: {reason}", err=True)
        for url in urls:
            click.echo(f"    {url}", err=True)
        click.echo(f"    → {hint}", err=True)


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="JSON Lines file to write [default: data/extracted.jsonl].")
@_archive_option
@_jobs_option
def extract(output, archive_dir, jobs):
    """Extract every archived document into typed records (JSON Lines), without the network.

    Each line is a decision, or a quarantined document with the reason it could not be read.

    \b
    Example:
        regkb extract -o decisions.jsonl && head -1 decisions.jsonl | python -m json.tool
    """
    from crawler.archive import Archive
    from nlp.output import to_json
    from pipeline.extract import blocked_fetches, document_fetches, extract_fetches, ocr_kept_beside

    archive_dir = archive_dir or paths().archive_dir
    output = output or paths().extracted_path
    if not (archive_dir / "index.sqlite").exists():
        raise click.ClickException(f"no archive at {archive_dir}: run `regkb crawl nfra` (or `regkb demo`) first")
    from pipeline.isolation import Pool

    archive = Archive(archive_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    decisions = quarantined = 0
    with ocr_kept_beside(archive_dir), open(output, "w", encoding="utf-8") as handle, \
            Pool(jobs) as workers:
        fetches = document_fetches(archive)
        with click.progressbar(fetches, label="extracting", file=sys.stderr) as bar:
            for extracted in extract_fetches(archive, bar, workers=workers):
                if extracted.quarantined is not None:
                    quarantined += 1
                    handle.write(json.dumps({"record": "quarantined", **extracted.quarantined.to_dict()},
                                            ensure_ascii=False) + "\n")
                    continue
                for analysis in extracted.analyses:
                    decisions += 1
                    record = {"record": "decision", **to_json(analysis)}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        for item in blocked_fetches(archive):
            quarantined += 1
            handle.write(json.dumps({"record": "quarantined", **item.to_dict()}, ensure_ascii=False) + "\n")
    archive.close()
    click.echo(f"{decisions} decisions, {quarantined} quarantined → {output}")


@cli.command()
@_db_argument
@_archive_option
@_jobs_option
def build(db, archive_dir, jobs):
    """Build the SQLite database from the raw archive (atomically: a failed build leaves no partial file).

    Names listed in data/redactions.yaml (or $REGKB_REDACTIONS) are removed from every table (see the README's
    "People named in decisions").

    \b
    Example:
        regkb build                       # data/archive → data/regkb.db
        regkb build /tmp/regkb.db --archive /tmp/archive
        regkb build --jobs 1              # one document at a time
    """
    from db.build import EmptyArchive
    from db.build import build as run_build

    db = db or paths().db_path
    archive_dir = archive_dir or paths().archive_dir

    def progress(items):
        return click.progressbar(items, label="building", file=sys.stderr)

    try:
        with _progress_context(progress) as bar_factory:
            report = run_build(archive_dir, db, progress=bar_factory, redactions=_redactions(), jobs=jobs)
    except EmptyArchive as error:
        raise click.ClickException(str(error))
    _print_build(report)


def _redactions():
    from db.redact import BadRedactions, read_redactions

    try:
        return read_redactions(paths().redactions_path)
    except BadRedactions as error:
        raise click.ClickException(f"{error}; nothing was built")


class _progress_context:
    """click.progressbar is a context manager; build() wants a function that wraps an iterable."""

    def __init__(self, factory):
        self.factory = factory
        self.bars = []

    def __enter__(self):
        def wrap(items):
            bar = self.factory(items)
            self.bars.append(bar)
            return bar.__enter__()

        return wrap

    def __exit__(self, *exc):
        for bar in self.bars:
            bar.__exit__(*exc)
        return False


def _print_build(report) -> None:
    from nlp.schema import value_name

    click.echo(f"built {Path(report.db_path).resolve()}: {report.decisions} decisions, {report.parties} parties, "
               f"{report.sanctions} sanctions, {report.provinces} provinces, {report.quarantined} quarantined, "
               f"{report.duplicates} copies of decisions already loaded (see the duplicates table)")
    if set(report.kinds) - {"penalty"}:
        click.echo("  the decisions by kind: " + ", ".join(f"{count} {value_name('kind', kind)}"
                                                       for kind, count in report.kinds.items()))
    if report.texts:
        click.echo(f"  {report.texts} regulatory texts, {report.articles} articles; {report.citations_flagged} "
                   "citations of a law or article the base does not hold, flagged for review (citations.link)")
    if report.quarantined:
        click.echo("quarantined documents (see the quarantine table):", err=True)
        for line in report.quarantine_reasons[:20]:
            click.echo(f"  {line}", err=True)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def datasette_args(db: Path, host: str, port: int, allow_sql: bool | None = None) -> list[str]:
    """Datasette's command line for serving ``db``: read-only (immutable), bounded, with regkb's configuration.

    Safe to publish: the file is opened immutable (nothing can write to it), every SQL query is cut off after 3 s
    and returns at most 2,000 rows, a query may hold at most 64 MB of text (plugins/regkb_limits.py), and no
    installed plugin writes (tests/web/test_safety.py checks the list). Served off loopback, arbitrary SQL is off
    (the canned queries stay) unless ``allow_sql``: one anonymous ``?sql=`` must not be able to take the server.
    """
    if allow_sql is None:
        allow_sql = host in LOOPBACK
    return [
        "serve", "-i", str(db),
        "--metadata", str(DATASETTE_DIR / "metadata.yml"),
        "--template-dir", str(DATASETTE_DIR / "templates"),
        "--plugins-dir", str(DATASETTE_DIR / "plugins"),
        "--static", f"regkb-assets:{DATASETTE_DIR / 'static'}",
        "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", "3000",
        "--setting", "max_returned_rows", "2000",
        "--setting", "default_facet_size", "40",
        "--setting", "facet_time_limit_ms", "1000",
        # regkb's facets are configured; suggesting others scans every column of the table on each page.
        "--setting", "suggest_facets", "0",
        "--setting", "allow_download", "1",
        *([] if allow_sql else ["--setting", "default_allow_sql", "off"]),
    ]


@cli.command()
@_db_argument
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--allow-sql/--no-sql", "allow_sql", default=None,
              help="Let visitors run their own SQL [default: on loopback only; off when --host is public].")
def serve(db, host, port, allow_sql):
    """Serve the database read-only in Datasette, with regkb's metadata, facets and templates.

    Off loopback (--host 0.0.0.0) arbitrary SQL is off by default and only the canned queries run; --allow-sql
    turns it back on (see the README's "Publishing").

    \b
    Example:
        regkb serve                       # data/regkb.db on http://127.0.0.1:8001/regkb
        regkb serve /tmp/regkb.db --port 8080
        regkb serve --host 0.0.0.0        # public: canned queries only
    """
    db = db or paths().db_path
    if not Path(db).exists():
        raise click.ClickException(f"no database at {db}: run `regkb build` (or `regkb demo`) first")
    _serve_datasette(Path(db), host, port, allow_sql)


def _serve_datasette(db: Path, host: str, port: int, allow_sql: bool | None = None) -> None:
    """Datasette on ``db``, after what would stop it with a traceback or serve the wrong thing has been ruled out:
    a file that is not a regkb database, a port already taken. A database file named otherwise than regkb.db is
    served under the name ``regkb`` (a link in a temporary folder), which regkb's metadata, queries and pages use."""
    import atexit
    import shutil
    import socket
    import sqlite3
    import tempfile

    try:
        connection = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        try:
            tables = {name for (name,) in connection.execute("select name from sqlite_master where type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{db} is not an SQLite database ({error}): give the file `regkb build` wrote")
    if "decisions" not in tables:
        raise click.ClickException(f"{db} is an SQLite database but not regkb's (it has no decisions table): give "
                                   "the file `regkb build` wrote")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn binds: a closed port is free
        try:
            probe.bind((host, port))
        except OSError as error:
            raise click.ClickException(f"cannot serve on {host}:{port} ({error.strerror}): another server (an "
                                       f"earlier `regkb serve`?) holds the port; stop it, or choose another with "
                                       f"--port")
    if db.stem != "regkb":
        folder = Path(tempfile.mkdtemp(prefix="regkb-serve-"))
        atexit.register(shutil.rmtree, folder, True)
        (folder / "regkb.db").symlink_to(db.resolve())
        db = folder / "regkb.db"
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(args=datasette_args(db, host, port, allow_sql), prog_name="datasette")


def demo_crawl_options(source: str) -> list[str]:
    """What the bundled mirror serves of a source: `regkb demo` crawls exactly these sites (its source.yaml's
    ``demo_branches``; the real sources have more sites, which the mirror has no pages for and would answer 404)."""
    from sources import get as source_named

    branches = source_named(source).facts.demo_branches
    return ["--branch", ",".join(branches)] if branches else []


def demo_crawl_command(source: str, base_url: str, archive_dir: Path) -> list[str]:
    return [sys.executable, "-m", "regkb", "crawl", source, "--base-url", base_url, *demo_crawl_options(source),
            "--delay", "0", "--concurrency", "8", "--backoff", "0.5", "--log-level", "WARNING",
            "--archive", str(archive_dir)]


@cli.command()
@click.option("--serve/--no-serve", default=True, help="Serve the database when built [default: serve].")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def demo(serve, host, port):
    """Run everything on the bundled sample: mirror → crawl → extract → build → serve.

    Starts a loopback mirror of the NFRA, PBOC and CSRC sites serving the bundled corpus, crawls it with the real
    spiders into data/demo/archive (apart from a real crawl's data/archive), builds data/regkb.db and serves it on
    http://127.0.0.1:8001.

    \b
    Example:
        regkb demo --no-serve            # build only, and say what was built
    """
    from db.build import build as run_build
    from sources import mirror as mirror_of_sources

    settings = paths()
    mirror = mirror_of_sources().start()
    click.echo(f"mirror of the NFRA, PBOC and CSRC sites serving the bundled corpus at {mirror.base_url}")
    try:
        failed = [source for source in source_names()
                  if subprocess.run(demo_crawl_command(source, mirror.base_url, settings.demo_archive_dir)).returncode]
    finally:
        mirror.stop()
    if failed:
        raise click.ClickException(f"the crawl of the mirror failed for {', '.join(failed)} (see above); "
                                   "no database was built")
    with _progress_context(lambda items: click.progressbar(items, label="building", file=sys.stderr)) as bar:
        report = run_build(settings.demo_archive_dir, settings.db_path, progress=bar, redactions=_redactions())
    _print_build(report)
    if serve:
        click.echo(f"serving on http://{host}:{port}/regkb (Ctrl-C to stop)")
        _serve_datasette(settings.db_path, host, port)


@cli.command()
@click.argument("gold_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--errors", is_flag=True, help="Also list every mismatch, by document.")
def evaluate(gold_dir, errors):
    """Score extraction against hand annotations: precision, recall and F1 per field, for each set of the gold folder
    (tests/gold/dev, which rules may be written against, and tests/gold/test, held out).

    \b
    Example:
        regkb evaluate tests/gold
        regkb evaluate tests/gold --errors
    """
    from pipeline.evaluate import evaluate as run_evaluation
    from pipeline.evaluate import gold_sets

    for name, folder in gold_sets(gold_dir).items():
        try:
            report = run_evaluation(folder)
        except FileNotFoundError as error:
            raise click.ClickException(f"{error}: a gold folder holds records.yaml (the hand annotations) and "
                                       "documents/ (see tests/gold/README.md)")
        held_out = " (held out: rules are not tuned on these; tests/gold/test/README.md)" if name == "test" else ""
        click.echo(f"{name}: {report.documents} documents in {folder}{held_out}\n")
        click.echo(report.table() + "\n")
        if errors and report.errors:
            click.echo("mismatches:")
            for line in report.errors:
                click.echo(f"  {line}")
            click.echo("")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--corpus", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Corpus folder, one subfolder per source (nfra/, pboc/, csrc/) [default: each source's demo/].")
@click.option("--challenge", is_flag=True,
              help="Put a stand-in of the PBOC sites' JavaScript challenge in front of their pages (for --browser).")
def mirror(host, port, corpus, challenge):
    """Serve a fixture corpus at the real NFRA, PBOC and CSRC sites' paths on loopback, until interrupted.

    \b
    Example:
        regkb mirror --port 8765 &  regkb crawl nfra --base-url http://127.0.0.1:8765 --delay 0
        regkb crawl pboc --base-url http://127.0.0.1:8765 --branch head_office,shanghai --delay 0
    """
    from sources import mirror as mirror_of_sources

    server = mirror_of_sources(corpus, host=host, port=port, challenge=challenge)
    click.echo(f"mirror serving {corpus or 'the bundled demo corpus (sources/*/demo/)'} at {server.base_url} "
               "(Ctrl-C to stop); crawl it with:")
    for source in source_names():
        options = demo_crawl_options(source) + ["--delay", "0"]
        click.echo(f"  regkb crawl {source} --base-url {server.base_url} {' '.join(options)}")
    if challenge:
        click.echo("PBOC pages answer first with a stand-in JavaScript challenge: add --browser to pass it")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def parse(files):
    """Extract documents on disk: one file printed as a JSON object, several as JSON Lines (one line a file).

    Reads an NFRA detail JSON envelope, a Word-exported HTML table or decision, an HTML page, or plain text
    (traditional characters, full-width forms, page furniture and PDF line breaks are handled). News and notices
    get doc_type news/notice and the penalties they report as mentions. What could not be read (no party, an
    authority not resolved, an unknown label…) is in the record's review list and printed as warnings on stderr.
    A file that cannot be opened or decoded at all is an error naming it and why; of several files, the others are
    still read and the exit status is 1.

    \b
    Example:
        regkb parse sources/nfra/demo/documents/9100001.json
        regkb parse sources/nfra/demo/documents/*.json > decisions.jsonl
    """
    from nlp.output import document_json
    from nlp.records import Unparseable
    from pipeline.files import analyse_path
    from pipeline.isolation import Pool, ReaderError

    failed = []
    with Pool(1) as workers:   # under the same memory and time limits as the build's, one process for all files
        for outcome in workers.map(analyse_path, ((file,) for file in files)):
            file = outcome.call[0]
            try:
                analyses = outcome.get()
            except Unparseable as error:
                message = str(error) if str(error).startswith(str(file)) else f"{file}: {error}"
            except ReaderError as error:
                message = f"{file}: regkb failed reading it ({error}): a bug, please report it with the file\n{error.trace}"
            else:
                record = document_json(analyses)
                click.echo(json.dumps(record, ensure_ascii=False, indent=2 if len(files) == 1 else None))
                _warn_review(file, analyses)
                continue
            if len(files) == 1:
                raise click.ClickException(message)
            click.echo(f"Error: {message}", err=True)
            failed.append(file)
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(files)} files could not be read (see above)")


def _warn_review(file: Path, analyses) -> None:
    for analysis in analyses:
        where = f"{file}" + (f" ({analysis.decision.decision_no})" if len(analyses) > 1 and analysis.decision
                             and analysis.decision.decision_no else "")
        for note in analysis.review.notes:
            click.echo(f"warning: {where}: {note}", err=True)


if __name__ == "__main__":
    cli()
