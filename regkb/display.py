"""What the notebooks show: amounts as yuan and every year on a time axis, without changing the data.

``regkb.kb`` keeps amounts as floats, to sum, describe and plot; pandas then prints a column holding both 5,000 and
192,831,735.86 yuan as ``1.928317e+08``. ``readable(frame)`` is the same frame styled for reading (the numbers stay
numbers in ``.data``); ``yuan(value)`` is one amount as a Chinese reader writes it:

    >>> yuan(192831735.86)
    '¥192,831,736'
    >>> yuan(192831735.86, unit="万元"), yuan(192831735.86, unit="亿元")
    ('19,283.17 万元', '1.93 亿元')

A year with no decision is a year of the series, not a gap that brings 2016 and 2018 side by side on a chart:

    >>> every_year(pd.Series({2016: 2, 2018: 1, 2021: 1})).to_dict()
    {2016: 2, 2017: 0, 2018: 1, 2019: 0, 2020: 0, 2021: 1}
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable

import pandas as pd

from regkb.kb import YUAN_COLUMNS

UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
# describe()'s first row counts parties or decisions: not an amount even in an amount's column
COUNT_ROWS = ("count",)


def yuan(value, unit: str = "元") -> str:
    """An amount in yuan for reading: ¥1,234,567 (to the yuan), or in 万元 / 亿元 to two decimals; "" for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: give one of {', '.join(UNITS)}")
    if unit == "元":
        return f"¥{value:,.0f}"
    return f"{value / UNITS[unit]:,.2f} {unit}"


def is_yuan_column(name) -> bool:
    """fine_yuan, total_fine_yuan, fines_yuan, median_fine_yuan, …: regkb names every amount in yuan so."""
    return isinstance(name, str) and (name in YUAN_COLUMNS or name.endswith("_yuan"))


def readable(data: pd.DataFrame | pd.Series, yuan_columns: Iterable[str] | bool = (), unit: str = "元",
             max_colwidth: int | None = None):
    """The frame styled for reading (a pandas Styler; the values stay as they are in ``.data``).

    Amounts (columns named ``*_yuan``, and ``yuan_columns``; ``True`` for every column, as for a ``describe()`` of
    fines) as ``yuan(value, unit)`` except in describe()'s ``count`` row; dates as 2016-03-23; lists as 信贷业务、内控
    管理; other numbers without exponents; text cut at ``max_colwidth`` characters (pandas' display.max_colwidth).
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    width = max_colwidth or pd.get_option("display.max_colwidth") or 0
    amounts = set(frame.columns) if yuan_columns is True else set(yuan_columns or ())
    counted = [row for row in COUNT_ROWS if row in frame.index]
    styler = frame.style
    for column in frame.columns:
        values = frame[column]
        if column in amounts or is_yuan_column(column):
            rows = [row for row in frame.index if row not in counted] if counted else frame.index
            styler = styler.format(lambda value, unit=unit: yuan(value, unit), subset=pd.IndexSlice[rows, [column]])
            if counted:
                styler = styler.format(_number, subset=pd.IndexSlice[counted, [column]])
        elif pd.api.types.is_datetime64_any_dtype(values):
            styler = styler.format(_date, subset=[column])
        elif pd.api.types.is_float_dtype(values):
            styler = styler.format(_number, subset=[column])
        elif values.dtype == object or isinstance(values.dtype, (pd.CategoricalDtype, pd.StringDtype)):
            styler = styler.format(lambda value: _text(value, width), subset=[column])
    return styler


def every_year(data: pd.DataFrame | pd.Series, first: int | None = None, last: int | None = None, fill=0):
    """``data`` indexed by year, with every year from the first to the last (or ``first``…``last``) as a row:
    a year without decisions is 0 (``fill``), so a chart spaces the years as time does."""
    years = pd.to_numeric(data.index.dropna()).astype(int)
    first = int(years.min()) if first is None else first
    last = int(years.max()) if last is None else last
    index = pd.RangeIndex(first, last + 1, name=data.index.name or "year")
    return data.reindex(index, fill_value=fill)


def _number(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _date(value) -> str:
    return "" if pd.isna(value) else f"{value:%Y-%m-%d}"


def _text(value, width: int) -> str:
    if isinstance(value, (list, tuple)):
        value = "、".join(str(item) for item in value)
    elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    # a Styler writes its strings into the HTML as they are: a fact quoting <script> must stay text
    return html.escape(text if not width or len(text) <= width else text[: width - 1] + "…")
