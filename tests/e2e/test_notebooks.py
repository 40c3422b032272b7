"""Every notebook in notebooks/ runs against the demo database, draws its Chinese labels, and says what SQL says.

The notebooks are committed without outputs; they are executed here with nbclient, in a kernel that is this
interpreter (a kernelspec written for the test, so a user's own python3 kernel cannot stand in for it).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

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


def run_notebook(path: Path, db_path: Path, kernel_path: Path, monkeypatch) -> tuple[nbformat.NotebookNode, float]:
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    env = {**os.environ, "REGKB_DB": str(db_path)}
    env.pop("MPLBACKEND", None)   # the notebooks draw inline
    started = time.monotonic()
    client.execute(env=env)
    return notebook, time.monotonic() - started


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


@needs_cjk_font
def test_overview_runs_and_counts_what_the_database_holds(db_path, kernel_path, monkeypatch):
    notebook, seconds = run_notebook(NOTEBOOKS / "01_overview.ipynb", db_path, kernel_path, monkeypatch)
    db = sqlite3.connect(db_path)
    decisions, = db.execute("select count(*) from decisions").fetchone()
    parties, fines = db.execute("select count(*), sum(fine_yuan) from parties").fetchone()
    assert f"{decisions} decisions, {parties} sanctioned parties, total fines {fines:,.0f} yuan" in printed(notebook)
    check_charts(notebook, 4)
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
    assert seconds < 30
