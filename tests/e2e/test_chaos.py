"""The attack harness itself (bench/chaos.py, run whole by `make chaos` in CI): a fault the crawl survives loses no
document, and the harness does see a loss when one happens (a page that never answers its rows)."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("regkb_bench_chaos", REPO / "bench" / "chaos.py")
chaos = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = chaos   # its dataclasses look their module up
spec.loader.exec_module(chaos)


def scenario(name: str):
    return next(s for s in chaos.SCENARIOS if s.name == name)


def test_an_empty_page_once_loses_nothing(tmp_path):
    result = chaos.run(scenario("empty page"), tmp_path)
    assert result["injected"] == 1 and result["lost"] == 0


def test_the_harness_sees_a_loss_when_a_page_never_answers(tmp_path):
    never = chaos.Scenario("never", "page 2 never answers its rows",
                           lambda f, p, q: ("rows", lambda rows: []) if chaos.list_page(p, q, 2) and f.once("p2", 99)
                           else None)
    result = chaos.run(never, tmp_path)
    assert result["lost"] == 18 and result["runs"] == 3
    assert any("page 2" in line for line in result["problems"])


def test_the_fuzzer_fails_on_a_loss_and_passes_on_none():
    # bench/fuzz.py's exit status, which `make fuzz` in CI stands on: its goal line says 「none lost」
    spec = importlib.util.spec_from_file_location("regkb_bench_fuzz", REPO / "bench" / "fuzz.py")
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    line = "  build of 312 of them: 127 decisions, 142 quarantined, 476 copies, in 39 s; "
    assert fuzz.exit_status([], line + "none lost") == 0
    assert fuzz.exit_status([], line + "3 lost") == 1
    assert fuzz.exit_status([("1:2", "x.pdf", "flip_bytes", "traceback", "…")], line + "none lost") == 1
