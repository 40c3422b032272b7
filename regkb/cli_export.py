"""`regkb export`: the knowledge base in the files analysts and legal teams work with (Excel, Word, CSV), and in the
forms other tools read (FollowTheMoney entities for screening; a Frictionless data package with Parquet)."""

from __future__ import annotations

from pathlib import Path

import click

from regkb.export import FORMATS
from regkb.settings import paths
from sources import names as source_names

_DB = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                   help="Database [default: data/regkb.db, or $REGKB_DB].")


@click.group()
def export():
    """Export the knowledge base: precedent tables (Excel, Word, CSV), FollowTheMoney entities, a data package.

    \b
    Example:
        regkb export precedents --law 中华人民共和国银行业监督管理法 --article 第四十六条 --format xlsx -o p.xlsx
        regkb export ftm -o regkb.ftm.json
        regkb export package -o regkb-package
    """


@export.command()
@click.option("--law", help="Cited law, full or short name: 中华人民共和国银行业监督管理法 or 银行业监督管理法.")
@click.option("--article", help="Cited article of --law: 第四十六条, 第46条 or 46.")
@click.option("--category", help="Violation category: 信贷业务, 反洗钱, … (the category facet's values).")
@click.option("--province", help="Province of the deciding authority: 四川省 or 四川.")
@click.option("--institution-type", help="Party's institution type: 农商行, 国有大型银行, 城商行, …")
@click.option("--since", metavar="DATE", help="Decided on or after: 2016-03-23, 2016-03 or 2016.")
@click.option("--until", metavar="DATE", help="Decided on or before: 2016-03-23, 2016-03 or 2016.")
@click.option("--search", metavar="WORDS", help="Words that must all occur in the decision (title, parties, facts, "
                                                "legal basis or decision).")
@click.option("--source", type=click.Choice(source_names()),
              help="Where the decision was published: nfra (NFRA, CBIRC, CBRC, CIRC), pboc or csrc.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="File format [default: from the output's suffix].")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (replaced only once the new one is complete).")
@_DB
def precedents(law, article, category, province, institution_type, since, until, search, source, fmt, output, db):
    """Write a precedent table: one row per sanctioned party, with Chinese headers.

    Columns: 文号 · 决定日期 · 处罚机关 · 地区 · 当事人 · 当事人类型 · 违法违规事实 · 处罚依据 · 处罚决定 (the
    party's own sanctions: 警告；罚款 7,500,000 元；证券市场禁入 10 年) · 罚款金额（元） · 来源链接. Newest decision
    first. XLSX adds a 处罚决定 sheet (each decision once, with its paragraph as written) and a 汇总 sheet (count,
    min/median/max and total fine, the filters, the database's date); DOCX gives each decision once (facts, legal
    basis, decision) with a table of its parties, under a heading with the filters and that date; CSV is UTF-8 with
    a byte-order mark, which Excel opens with the Chinese intact. No file names where the database is. Dates filter
    on the decision date (the publication date where a decision states none). When nothing matches, nothing is
    written and the exit status is 1.

    \b
    Example:
        regkb export precedents --law 中华人民共和国银行业监督管理法 --article 第四十六条 --format xlsx -o p.xlsx
        regkb export precedents --category 信贷业务 --province 四川 --since 2010 -o sichuan.docx
        regkb export precedents --search 贷款 --institution-type 农商行 -o loans.csv
        regkb export precedents --source pboc --category 反洗钱 -o aml.xlsx
    """
    from regkb.export import _yuan, export_precedents
    from regkb.kb import Filters, KnowledgeBaseError

    filters = Filters(law=law, article=article, category=category, province=province,
                      institution_type=institution_type, since=since, until=until, search=search, source=source)
    try:
        table = export_precedents(filters, output, fmt=fmt, db=db or paths().db_path)
    except KnowledgeBaseError as error:
        raise click.ClickException(str(error))
    s = table.summary()
    fines = (f"{s['fined_parties']} fined: min {_yuan(s['min_fine_yuan'])}, median {_yuan(s['median_fine_yuan'])}, "
             f"max {_yuan(s['max_fine_yuan'])}, total {_yuan(s['total_fine_yuan'])} yuan" if s["fined_parties"]
             else "no fine amounts")
    click.echo(f"{s['parties']} sanctioned parties in {s['decisions']} decisions ({table.filters.title()}); "
               f"{fines} → {output}")


@export.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=False, path_type=Path),
              help="File to write, JSON Lines (replaced only once the new one is complete).")
@_DB
def ftm(output, db):
    """Write every party, sanction and authority as FollowTheMoney entities (JSON Lines), for screening tools.

    Institutions are Company or Organization (one per name), people are Person (one per decision: a name is not an
    identity), authorities PublicBody, each sanction a Sanction whose provisions say what it is (罚款 500,000 元);
    branches and groups are UnknownLinks, employers Employments. No identity number, address or birth date of a
    person is written. Check the file with `ftm validate -i FILE`; load it into yente or Aleph.

    \b
    Example:
        regkb export ftm -o regkb.ftm.json
        ftm validate -i regkb.ftm.json -o /dev/null
    """
    try:
        from regkb.ftm import export_ftm
    except ImportError as error:
        raise click.ClickException(f"{error}: install the extra with pip install -e '.[ftm]' (PyICU, which "
                                   "followthemoney needs, builds against Debian's libicu-dev with g++ and pkg-config)")
    from regkb.kb import KnowledgeBaseError

    try:
        counts = export_ftm(output, db=db or paths().db_path)
    except KnowledgeBaseError as error:
        raise click.ClickException(str(error))
    described = ", ".join(f"{n} {schema}" for schema, n in counts.most_common())
    click.echo(f"{sum(counts.values())} entities ({described}) → {output}")


@export.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write (replaced only once the new one is complete).")
@_DB
def package(output, db):
    """Write every table as a described data package: datapackage.json, data/*.csv and parquet/*.parquet.

    The descriptor (Frictionless Data) gives each column its type, Chinese label and meaning, the keys, the licence
    and the sources; `frictionless validate FOLDER/datapackage.json` checks it. The Parquet files are typed for
    DuckDB, pandas and R (dates as dates, lists as lists).

    \b
    Example:
        regkb export package -o regkb-package
        duckdb -c "SELECT province, count(*) FROM 'regkb-package/parquet/decisions.parquet' GROUP BY 1"
    """
    from regkb.kb import KnowledgeBaseError
    from regkb.package import export_package

    try:
        counts = export_package(output, db=db or paths().db_path)
    except KnowledgeBaseError as error:
        raise click.ClickException(str(error))
    click.echo(f"{len(counts)} tables, {sum(counts.values())} rows ({counts.get('decisions', 0)} decisions, "
               f"{counts.get('sanctions', 0)} sanctions) → {output}/datapackage.json")
