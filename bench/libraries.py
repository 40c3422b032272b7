"""regkb's own small readers beside well-kept libraries, on the same inputs, in the same run: amounts (cn2an, jionlp's
money parser), dates (jionlp's time parser) and the region of a deciding authority (cpca, jionlp's location parser).

    make bench-libraries        # installs the extra `compare` (cn2an, jionlp, cpca) first

Two kinds of input, neither written from regkb's output:
- the forms shared/DOMAIN.md lists, each with the value worked out by hand (the cases of tests/nlp/test_units.py);
- the gold set (tests/gold/dev and test): each document's text as regkb reads it, against its hand-annotated amounts
  (every party's fine, every mention's amount), decision date, and the province and city of its authority.

For amounts in running text a method is scored by the share of annotated amounts it finds among the amounts it reads
(a fine the text states as one sum); for a form, by giving exactly its value. cn2an converts numerals but finds none,
so it is given the spans regkb's pattern finds and only converts them: the question is whether it could replace
regkb's numeral reader. A method that raises on an input scores that input wrong (the count of errors is printed).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.fields.amounts import AMOUNT, find_amounts  # noqa: E402
from nlp.fields.authorities import UnknownAuthority, resolve_authority  # noqa: E402
from nlp.text import fold, parse_date  # noqa: E402
from pipeline.evaluate import document_of, gold_sets  # noqa: E402
from pipeline.files import analyse_path  # noqa: E402

# Forms and their values, worked by hand (tests/nlp/test_units.py::test_amount_forms and DOMAIN.md's forms)
AMOUNT_FORMS = [
    ("罚款30万元", 300_000), ("罚款人民币叁拾万元", 300_000), ("罚款三十万元", 300_000), ("罚款300,000元", 300_000),
    ("罚款1017.61元", 1017.61), ("罚款合计65万元", 650_000), ("罚款一百九十四点六万元", 1_946_000),
    ("罚款1.2亿元", 120_000_000), ("罚款一亿二千万元", 120_000_000), ("罚款１５万元", 150_000),
    ("罚款两万五千元", 25_000), ("罚款人民币贰万元（¥20,000.00）", 20_000), ("罚款2，500元", 2_500),
]
DATE_FORMS = [
    ("2018年6月28日", "2018-06-28"), ("2018年06月28日", "2018-06-28"), ("2016/3/23", "2016-03-23"),
    ("2016-03-23", "2016-03-23"), ("二〇一八年六月二十八日", "2018-06-28"), ("二○一八年六月二十八日", "2018-06-28"),
    ("２０１８年６月２８日", "2018-06-28"), ("2018 年 6 月 28 日", "2018-06-28"), ("2016.3.23", "2016-03-23"),
]
# Authorities as published, with the province and city worked by hand (tests/nlp/test_units.py)
AUTHORITY_FORMS = [
    ("天津银监局", "天津市", None), ("宁夏金融监管局", "宁夏回族自治区", None),
    ("崇左金融监管分局", "广西壮族自治区", "崇左市"), ("吴忠银监分局", "宁夏回族自治区", "吴忠市"),
    ("浙江保监局", "浙江省", None), ("中国人民银行成都分行", "四川省", "成都市"),
    ("中国人民银行营业管理部", "北京市", None), ("中国人民银行浙江省分行", "浙江省", None),
    ("中国人民银行衢州市中心支行", "浙江省", "衢州市"), ("中国人民银行北京市分行", "北京市", None),
    ("中国人民银行广西壮族自治区分行", "广西壮族自治区", None),
    ("中国人民银行深圳市分行", "广东省", "深圳市"), ("中国人民银行绵阳市分行", "四川省", "绵阳市"),
    ("中国人民银行上海分行", "上海市", None), ("中国证券监督管理委员会北京监管局", "北京市", None),
    ("中国证监会深圳监管局", "广东省", "深圳市"), ("湖北证监局", "湖北省", None),
    ("中国人民银行郓城县支行", "山东省", "菏泽市"), ("中国人民银行晋江市支行", "福建省", "泉州市"),
    ("国家金融监督管理总局菏泽监管分局筹备组", "山东省", "菏泽市"),
]


def quiet(call: Callable, *args):
    """jionlp prints its banner and warnings to stdout: keep the table clean."""
    with contextlib.redirect_stdout(io.StringIO()):
        return call(*args)


# --- amounts ------------------------------------------------------------------------------------------------------

def regkb_amounts(text: str) -> set[float]:
    return {round(a.yuan, 2) for a in find_amounts(text)}


def cn2an_amounts(text: str) -> set[float]:
    import cn2an

    found = set()
    for match in AMOUNT.finditer(fold(text)):
        number, unit = match["number"], match["unit"]
        scale = 100_000_000 if unit.startswith("亿") else 10_000 if unit.startswith("万") else 1
        try:
            value = float(number.replace(",", "")) if number[0].isdigit() else cn2an.cn2an(number, "smart")
        except (ValueError, KeyError):
            # 「一百九十四点六万」: the unit inside the numeral, which cn2an's smart mode does not take
            try:
                value, scale = cn2an.cn2an(number[:-1], "smart"), scale * {"万": 10_000, "亿": 100_000_000}[number[-1]]
            except (ValueError, KeyError, IndexError):
                continue
        found.add(round(value * scale, 2))
    return found


def jionlp_amounts(text: str) -> set[float]:
    import jionlp

    found = set()
    for money in quiet(jionlp.ner.extract_money, text, True):
        detail = money.get("detail") or {}
        if detail.get("case") == "元" and isinstance(detail.get("num"), str):
            found.add(round(float(detail["num"]), 2))
    return found


# --- dates --------------------------------------------------------------------------------------------------------

def regkb_dates(analysis) -> set[str]:
    return {d for d in (parse_date(e.text) for e in analysis.entities if e.label == "DATE") if d}


def jionlp_dates(text: str) -> set[str]:
    import jionlp

    found = set()
    for item in quiet(jionlp.ner.extract_time, text, time.time(), True):
        detail = item.get("detail") or {}
        if detail.get("type") == "time_point" and detail.get("time"):
            found.add(str(detail["time"][0])[:10])
    return found


def jionlp_date(form: str) -> str | None:
    import jionlp

    parsed = quiet(jionlp.parse_time, form, time.time())
    return str(parsed["time"][0])[:10] if parsed and parsed.get("type") == "time_point" else None


# --- regions ------------------------------------------------------------------------------------------------------

def regkb_region(name: str) -> tuple:
    try:
        authority = resolve_authority(name)
    except UnknownAuthority:
        return (None, None)
    return (authority.province, authority.city)


def cpca_region(name: str) -> tuple:
    import cpca

    row = quiet(cpca.transform, [name]).iloc[0]
    province, city = row["省"] or None, row["市"] or None
    # a municipality is its own city in cpca (北京市/市辖区 or 北京市/北京市); regkb leaves its city empty
    return (province, None if city in (province, "市辖区") else city)


def jionlp_region(name: str) -> tuple:
    import jionlp

    parsed = quiet(jionlp.parse_location, name)
    province, city = parsed.get("province"), parsed.get("city")
    return (province, None if city in (province, "市辖区") else city)


# --- the run ------------------------------------------------------------------------------------------------------

def gold() -> list[dict]:
    """Each gold document's texts and annotations (amounts, decision date, authority's region)."""
    out = []
    for folder in gold_sets(ROOT / "tests" / "gold").values():
        for path in sorted(folder.glob("*.yaml")):
            for annotation in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                analyses = quiet(analyse_path, document_of(folder, annotation))
                amounts = {round(float(p["fine_yuan"]), 2) for p in annotation.get("parties", [])
                           if p.get("fine_yuan")}
                amounts |= {round(float(m[2]), 2) for m in annotation.get("mentions", []) if m[2]}
                out.append({"analyses": analyses, "text": "\n".join(a.text for a in analyses), "amounts": amounts,
                            "date": annotation.get("decision_date"), "authority": annotation.get("authority_id"),
                            "region": (annotation.get("province"), annotation.get("city"))})
    return out


MISSES: dict[tuple[str, str], list[str]] = {}


def score(method: Callable, cases: list, check: Callable, name: str = "", task: str = "") -> tuple:
    """(right, of, errors, seconds) of ``method`` over ``cases``; ``check(case, result)`` counts what is right. What
    a method gets wrong is kept in MISSES, to be printed under the table."""
    right = total = errors = 0
    elapsed = 0.0
    for case in cases:
        began = time.perf_counter()
        try:
            result = method(case)
        except Exception as error:   # a library raising on an input: that input is wrong, and counted
            result, errors = f"raised {type(error).__name__}", errors + 1
        elapsed += time.perf_counter() - began
        got, of = check(case, result if not isinstance(result, str) or not result.startswith("raised") else None)
        right, total = right + got, total + of
        if got < of:
            shown = case[0] if isinstance(case, tuple) else (case.get("authority") or "a gold text")
            MISSES.setdefault((task, name), []).append(f"{shown} → {result!r}"[:90])
    return right, total, errors, elapsed


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    quiet(__import__, "jionlp")      # its banner and dictionaries load once, outside the timings
    documents = gold()
    with_amounts = [d for d in documents if d["amounts"]]
    with_dates = [d for d in documents if d["date"]]
    with_regions = [d for d in documents if d["authority"]]
    one = lambda case, result: (int(result == case[1]), 1)                                      # noqa: E731
    found = lambda key: lambda doc, result: (len(doc[key] & (result or set())), len(doc[key]))  # noqa: E731
    def run(task: str, inputs: str, methods: dict) -> tuple:
        return task, inputs, {name: score(*args, name=name, task=task) for name, args in methods.items()}

    rows = [
        run("amount forms", f"{len(AMOUNT_FORMS)} forms", {
            "regkb": (lambda c: regkb_amounts(c[0]), AMOUNT_FORMS, lambda c, r: (int(r == {c[1]}), 1)),
            "cn2an": (lambda c: cn2an_amounts(c[0]), AMOUNT_FORMS, lambda c, r: (int(r == {c[1]}), 1)),
            "jionlp": (lambda c: jionlp_amounts(c[0]), AMOUNT_FORMS, lambda c, r: (int(r == {c[1]}), 1))}),
        run("amounts in gold texts", f"{sum(map(len, (d['amounts'] for d in with_amounts)))} amounts, "
                                     f"{len(with_amounts)} docs", {
            "regkb": (lambda d: regkb_amounts(d["text"]), with_amounts, found("amounts")),
            "cn2an": (lambda d: cn2an_amounts(d["text"]), with_amounts, found("amounts")),
            "jionlp": (lambda d: jionlp_amounts(d["text"]), with_amounts, found("amounts"))}),
        run("date forms", f"{len(DATE_FORMS)} forms", {
            "regkb": (lambda c: parse_date(c[0]), DATE_FORMS, one),
            "jionlp": (lambda c: jionlp_date(c[0]), DATE_FORMS, one)}),
        run("decision date among a text's dates", f"{len(with_dates)} docs", {
            "regkb": (lambda d: set().union(*(regkb_dates(a) for a in d["analyses"])), with_dates,
                      lambda d, r: (int(d["date"] in (r or set())), 1)),
            "jionlp": (lambda d: jionlp_dates(d["text"]), with_dates,
                       lambda d, r: (int(d["date"] in (r or set())), 1))}),
        run("authority → province, city", f"{len(AUTHORITY_FORMS)} names", {
            "regkb": (lambda c: regkb_region(c[0]), AUTHORITY_FORMS, lambda c, r: (int(r == c[1:]), 1)),
            "cpca": (lambda c: cpca_region(c[0]), AUTHORITY_FORMS, lambda c, r: (int(r == c[1:]), 1)),
            "jionlp": (lambda c: jionlp_region(c[0]), AUTHORITY_FORMS, lambda c, r: (int(r == c[1:]), 1))}),
        run("gold authorities → province, city", f"{len(with_regions)} docs", {
            "regkb": (lambda d: regkb_region(d["authority"]), with_regions, lambda d, r: (int(r == d["region"]), 1)),
            "cpca": (lambda d: cpca_region(d["authority"]), with_regions, lambda d, r: (int(r == d["region"]), 1)),
            "jionlp": (lambda d: jionlp_region(d["authority"]), with_regions,
                       lambda d, r: (int(r == d["region"]), 1))}),
    ]
    methods = ["regkb", "cn2an", "jionlp", "cpca"]
    print(f"{'task':36} {'inputs':30} " + " ".join(f"{m:>22}" for m in methods))
    for task, inputs, results in rows:
        cells = []
        for method in methods:
            if method not in results:
                cells.append(f"{'—':>22}")
                continue
            right, total, errors, seconds = results[method]
            mark = f" {errors}err" if errors else ""
            cells.append(f"{f'{right}/{total} {right / total:5.1%}{mark} {seconds * 1000 / max(total, 1):.1f}ms':>22}")
        print(f"{task:36} {inputs:30} " + " ".join(cells))
    print("(right/of, share, errors raised, milliseconds per input; regkb's are the readers the build uses)")
    for (task, name), misses in MISSES.items():
        print(f"\n{name} wrong on {task} ({len(misses)}):")
        for miss in misses[:4]:
            print(f"  {miss}")


if __name__ == "__main__":
    main()
