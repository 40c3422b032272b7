"""Every notebook in notebooks/ runs against the demo database, draws its Chinese labels, and says what SQL says.

The notebooks are committed without outputs; they are executed here with nbclient, in a kernel that is this
interpreter (a kernelspec written for the test, so a user's own python3 kernel cannot stand in for it). What an
analyst reads is checked as shown: every amount in a table as yuan (¥1,234,567, never 1.928317e+08), and every chart
over years with every year from the first to the last on its axis (no 2016 → 2018 side by side).
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import tomllib
from lxml import html as lxml_html
from nbclient import NotebookClient

from regkb.display import every_year, readable, yuan
from tests.conftest import REPO

NOTEBOOKS = REPO / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
LAW, ARTICLE, GROUP = "中华人民共和国银行业监督管理法", "第四十六条", "中国工商银行"


def _cjk_font_missing() -> str | None:
    from regkb.kb import cjk_font

    try:
        cjk_font()
    except RuntimeError as error:
        return str(error)
    return None


# The charts need a font with Chinese glyphs: .ci/run installs fonts-noto-cjk, so in CI a missing font fails; on a
# developer's machine without one the notebook runs are skipped with what to install.
needs_cjk_font = pytest.mark.skipif(os.environ.get("CI") != "true" and _cjk_font_missing() is not None,
                                    reason="no CJK font: apt-get install fonts-noto-cjk (CI installs it)")


@pytest.fixture(scope="module")
def db_path(demo_db) -> Path:
    return demo_db


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory) -> Path:
    """A JUPYTER_PATH whose python3 kernel is this interpreter (the venv's, with regkb installed)."""
    folder = tmp_path_factory.mktemp("jupyter")
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (regkb tests)", "language": "python",
    }))
    return folder


# Run before the notebook: after each cell, before the inline backend shows and closes its figures (its own hook,
# registered later, runs after this one), every chart's axes as an analyst reads them: title, axis label, ticks.
RECORD_AXES = """
import sys as _sys

_charts = []

def _record_axes():
    if "matplotlib.pyplot" not in _sys.modules:
        return
    from matplotlib._pylab_helpers import Gcf
    for manager in Gcf.get_all_fig_managers():
        figure = manager.canvas.figure
        figure.draw_without_rendering()   # tick labels are written when the figure is drawn
        _charts.extend({"title": ax.get_title(), "xlabel": ax.get_xlabel(),
                        "xticks": [tick.get_text() for tick in ax.get_xticklabels()]} for ax in figure.axes)

get_ipython().events.register("post_execute", _record_axes)
"""
# Run after the last cell: what was recorded, as one line.
PROBE = 'import json as _json; print("AXES " + _json.dumps(_charts, ensure_ascii=False))'


def run_notebook(path: Path, db_path: Path, kernel_path: Path, monkeypatch) -> tuple[nbformat.NotebookNode, float]:
    """The notebook executed, with ``notebook.metadata.charts``: every chart's axes (the probe's cells removed)."""
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [nbformat.v4.new_code_cell(RECORD_AXES), *notebook.cells, nbformat.v4.new_code_cell(PROBE)]
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    env = {**os.environ, "REGKB_DB": str(db_path)}
    env.pop("MPLBACKEND", None)   # the notebooks draw inline
    started = time.monotonic()
    client.execute(env=env)
    seconds = time.monotonic() - started
    probe = notebook.cells.pop()
    notebook.cells.pop(0)
    notebook.metadata["charts"] = json.loads(probe.outputs[0].text.removeprefix("AXES "))
    return notebook, seconds


def outputs(notebook, kind: str) -> list:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
            if output.output_type == kind]


def printed(notebook) -> str:
    return "".join(output.text for output in outputs(notebook, "stream") if output.name == "stdout")


def warnings_printed(notebook) -> str:
    return "".join(output.text for output in outputs(notebook, "stream") if output.name == "stderr")


def images(notebook) -> int:
    return sum("image/png" in output.data for kind in ("display_data", "execute_result")
               for output in outputs(notebook, kind))


def test_the_three_notebooks_are_there():
    assert [path.name for path in PATHS] == ["01_overview.ipynb", "02_group_profile.ipynb",
                                             "03_precedent_study.ipynb"]
    assert (NOTEBOOKS / "README.md").exists()


def readme_commands() -> list[tuple[str, str]]:
    """(README, command) for every jupyter and pip command in the READMEs' shell blocks."""
    found = []
    for readme in (REPO / "README.md", NOTEBOOKS / "README.md"):
        for block in re.findall(r"```sh\n(.*?)```", readme.read_text(encoding="utf-8"), re.DOTALL):
            for line in block.splitlines():
                command = line.split("  #")[0].strip()
                if re.match(r"(\.venv/bin/)?(jupyter|pip) ", command):
                    found.append((str(readme.relative_to(REPO)), command))
    return found


def test_the_readmes_commands_write_nothing_into_the_notebooks_and_install_what_they_need():
    commands = readme_commands()
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert {command for _, command in commands if "jupyter lab" in command}, "the READMEs say how to open JupyterLab"
    for readme, command in commands:
        assert "--inplace" not in command, f"{readme}: `{command}` writes outputs into a notebook kept clean"
        for output in re.findall(r"--output(?:-dir)?[= ](\S+)", command):
            assert not (REPO / output).resolve().is_relative_to(NOTEBOOKS), f"{readme}: `{command}` writes into notebooks/"
        for extra in re.findall(r"\.\[([\w,-]+)\]", command):
            assert set(extra.split(",")) <= set(extras), f"{readme}: `{command}` names an extra pyproject.toml lacks"
        if command.split()[0].endswith("jupyter") and command.split()[1] in ("lab", "nbconvert"):
            # what provides the subcommand is installed by an extra a README names
            assert any("jupyterlab" in requirement for requirement in extras["notebooks"])
            assert any("nbconvert" in requirement for requirement in extras["notebooks"])
            assert any(".[notebooks]" in other for _, other in commands if other.split()[0].endswith("pip"))


@pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
def test_notebooks_are_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name} has outputs: clear them before committing (notebooks/README.md says how)"
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def check_charts(notebook, expected_images: int) -> None:
    assert images(notebook) >= expected_images
    # matplotlib warns "Glyph … missing from font(s) DejaVu Sans" when Chinese labels would be drawn as boxes
    assert "missing from font" not in warnings_printed(notebook)


def year_axes(notebook) -> dict[str, list[int]]:
    """Title → the years on the x axis, for every chart whose x axis is 年份."""
    return {ax["title"]: [int(tick) for tick in ax["xticks"]] for ax in notebook.metadata["charts"]
            if ax["xlabel"] == "年份"}


def check_year_axes(notebook, first: int, last: int, titles: set[str]) -> None:
    """Each chart over years has every year from ``first`` to ``last`` on its axis, in order, once."""
    axes = year_axes(notebook)
    assert set(axes) == titles
    for title, years in axes.items():
        assert years == list(range(first, last + 1)), f"{title}: the axis skips years or is out of order: {years}"


# 1.928317e+08, 2e+05, 1.5E+07: how pandas shows a column of floats whose magnitudes differ
EXPONENT = re.compile(r"\d(?:\.\d+)?[eE][+-]\d{2}")
YUAN_CELL = re.compile(r"¥\d{1,3}(?:,\d{3})*")
# the rows of a describe() of amounts, which are amounts (count is not)
AMOUNT_STATISTICS = {"mean", "std", "min", "25%", "50%", "75%", "max"}


def tables(notebook) -> list[dict]:
    """Every table a cell shows, as {"columns": [...], "rows": [(index, [cell, ...]), ...]} of the displayed text."""
    found = []
    for kind in ("display_data", "execute_result"):
        for output in outputs(notebook, kind):
            if "text/html" not in output.data or "<table" not in output.data["text/html"]:
                continue
            for table in lxml_html.fromstring(output.data["text/html"]).iter("table"):
                head = [[cell.text_content().strip() for cell in row] for row in table.iter("tr")
                        if row.getparent().tag == "thead"]
                body = [row for row in table.iter("tr") if row.getparent().tag == "tbody"]
                rows = [(" ".join(cell.text_content().strip() for cell in row if cell.tag == "th"),
                         [cell.text_content().strip() for cell in row if cell.tag == "td"]) for row in body]
                width = len(rows[0][1]) if rows else 0
                found.append({"columns": head[0][len(head[0]) - width:] if head else [], "rows": rows})
    return found


def check_amounts_read_as_yuan(notebook, expect_yuan_tables: int) -> None:
    """No number in an exponent anywhere a table or a value is shown, and every amount in a table as ¥1,234,567:
    the columns named *_yuan and describe()'s statistics of fines."""
    for kind in ("display_data", "execute_result"):
        for output in outputs(notebook, kind):
            for mime in ("text/html", "text/plain"):
                shown = output.data.get(mime, "")
                assert not EXPONENT.search(shown), f"an amount in scientific notation: {EXPONENT.search(shown)[0]}"
    with_yuan = 0
    for table in tables(notebook):
        columns = table["columns"]
        amount_columns = [i for i, name in enumerate(columns) if name.endswith("_yuan")]
        described = {index for index, _ in table["rows"]} >= {"mean", "max"}
        cells = [cells[i] for index, cells in table["rows"] if index != "count" for i in amount_columns]
        cells += [cell for index, cells in table["rows"] if described and index in AMOUNT_STATISTICS
                  for cell in cells]
        cells += [cells[i] for _, cells in table["rows"] for i, name in enumerate(columns)
                  if name in AMOUNT_STATISTICS and not described]
        for cell in cells:
            assert cell == "" or YUAN_CELL.fullmatch(cell), f"an amount not shown as yuan: {cell!r} in {columns}"
        with_yuan += any(cells)
    assert with_yuan >= expect_yuan_tables


def test_yuan_reads_as_a_chinese_reader_writes_it():
    assert yuan(192_831_735.86) == "¥192,831,736"
    assert yuan(5_000.0) == "¥5,000"
    assert yuan(192_831_735.86, unit="万元") == "19,283.17 万元"
    assert yuan(192_831_735.86, unit="亿元") == "1.93 亿元"
    assert yuan(float("nan")) == yuan(None) == ""
    with pytest.raises(ValueError, match="万元"):
        yuan(1, unit="千元")


def test_readable_shows_amounts_as_yuan_and_keeps_the_numbers():
    frame = pd.DataFrame({"decision_date": pd.to_datetime(["2016-03-23", None]), "fine_yuan": [192_831_735.86, 5e3],
                          "share": [0.125, 2.0], "categories": [["信贷业务", "反洗钱"], []],
                          "facts": ["<b>挪用</b>" + "贷" * 100, None]})
    shown = readable(frame).to_html()
    assert "¥192,831,736" in shown and "¥5,000" in shown and not EXPONENT.search(shown)
    assert "2016-03-23" in shown and "00:00:00" not in shown and "NaT" not in shown
    assert "0.12" in shown and "0.125000" not in shown
    assert "信贷业务、反洗钱" in shown and "&lt;b&gt;挪用" in shown and "<b>" not in shown and "贷" * 100 not in shown
    assert readable(frame).data is frame and frame.fine_yuan.dtype == "float64"
    described = readable(frame.fine_yuan.describe()).to_html()
    assert ">2<" in described and "¥96,418,368" in described    # count stays a count, the mean is an amount


def test_every_year_has_a_row_for_the_years_without_decisions():
    by_year = pd.DataFrame({"decisions": [2, 1, 1], "fines_yuan": [5e5, math.nan, 6e5]},
                           index=pd.Index([2016, 2018, 2021], name="year", dtype="Int64"))
    filled = every_year(by_year)
    assert filled.index.tolist() == [2016, 2017, 2018, 2019, 2020, 2021] and filled.index.name == "year"
    assert filled.decisions.tolist() == [2, 0, 1, 0, 0, 1]
    assert every_year(by_year.decisions, first=2015, last=2022).tolist() == [0, 2, 0, 1, 0, 0, 1, 0]


@needs_cjk_font
def test_overview_runs_and_counts_what_the_database_holds(db_path, kernel_path, monkeypatch):
    notebook, seconds = run_notebook(NOTEBOOKS / "01_overview.ipynb", db_path, kernel_path, monkeypatch)
    db = sqlite3.connect(db_path)
    decisions, = db.execute("select count(*) from decisions").fetchone()
    parties, fines = db.execute("select count(*), sum(fine_yuan) from parties").fetchone()
    assert f"{decisions} decisions, {parties} sanctioned parties, total fines {fines:,.0f} yuan" in printed(notebook)
    check_charts(notebook, 4)
    first, last = db.execute("select min(year), max(year) from decisions").fetchone()
    check_year_axes(notebook, first, last, {"每年处罚决定数", "每年罚款金额（万元）"})
    check_amounts_read_as_yuan(notebook, 6)
    # the table beside the charts: every year a row, those without decisions 0, the fines in yuan
    by_year = next(table for table in tables(notebook) if table["columns"] == ["decisions", "fines_yuan"])
    years = dict(sql_rows := db.execute("select year, count(*) from decisions group by year").fetchall())
    assert [int(index) for index, _ in by_year["rows"]] == list(range(first, last + 1))
    assert {int(index): int(cells[0]) for index, cells in by_year["rows"]} == \
        {year: years.get(year, 0) for year in range(first, last + 1)}
    assert len(sql_rows) < last - first + 1      # the demo has years without decisions: the test means something
    total_last, = db.execute("select sum(total_fine_yuan) from decisions where year = ?", [last]).fetchone()
    assert by_year["rows"][-1][1][1] == f"¥{total_last:,.0f}"
    assert seconds < 30


@needs_cjk_font
def test_group_profile_runs_and_finds_the_groups_branches(db_path, kernel_path, monkeypatch):
    notebook, seconds = run_notebook(NOTEBOOKS / "02_group_profile.ipynb", db_path, kernel_path, monkeypatch)
    db = sqlite3.connect(db_path)
    parties, decisions, branches, fines = db.execute(
        "select count(*), count(distinct decision_id), count(distinct name), sum(fine_yuan) from parties"
        " where parent = ?", [GROUP]).fetchone()
    text = printed(notebook)
    assert f"{GROUP}: {parties} sanctioned parties in {decisions} decisions, {branches} distinct branches" in text
    assert f"total fines {fines:,.0f} yuan" in text
    check_charts(notebook, 1)
    first, last = db.execute("select min(year), max(year) from parties join decisions using (decision_id)"
                             " where parent = ?", [GROUP]).fetchone()
    check_year_axes(notebook, first, last, {f"{GROUP}：每年罚款金额（万元）"})
    check_amounts_read_as_yuan(notebook, 4)
    assert seconds < 30


@needs_cjk_font
def test_precedent_study_runs_and_describes_the_articles_fines(db_path, kernel_path, monkeypatch):
    notebook, seconds = run_notebook(NOTEBOOKS / "03_precedent_study.ipynb", db_path, kernel_path, monkeypatch)
    db = sqlite3.connect(db_path)
    rows = db.execute("select decision_id, fine_yuan from parties where decision_id in"
                      " (select decision_id from citations where law = ? and article = ?)", [LAW, ARTICLE]).fetchall()
    amounts = [fine for _, fine in rows if fine is not None]
    text = printed(notebook)
    assert (f"《{LAW}》{ARTICLE}: {len(rows)} sanctioned parties in {len({d for d, _ in rows})} decisions, "
            f"{len(amounts)} with a fine; median {statistics.median(amounts):,.0f} yuan, "
            f"from {min(amounts):,.0f} to {max(amounts):,.0f}") in text
    # outliers: outside the article's range (200,000 to 500,000 yuan) or beyond Tukey's fences
    q1, _, q3 = statistics.quantiles(amounts, n=4, method="inclusive")
    low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    outliers = sum(not (200_000 <= fine <= 500_000) or not (low <= fine <= high) for fine in amounts)
    assert f"Tukey's fences: {low:,.0f} to {high:,.0f} yuan; {outliers} outliers" in text
    check_charts(notebook, 1)
    check_amounts_read_as_yuan(notebook, 3)
    described = next(table for table in tables(notebook) if table["columns"] == ["fine_yuan"])
    assert {index: cells[0] for index, cells in described["rows"]}["50%"] == \
        f"¥{statistics.median(amounts):,.0f}"
    assert seconds < 30
