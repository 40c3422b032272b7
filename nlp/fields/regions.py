"""The region gazetteer: provinces and prefecture-level cities with the short names regulators use
(nlp/data/regions.csv), and the county-level divisions under them (nlp/data/counties.csv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.data import load

# The five 计划单列市 have a provincial-level bureau of their own (宁波银保监局 is not a 分局).
SEPARATELY_PLANNED_CITIES = ("大连", "宁波", "厦门", "青岛", "深圳")


@dataclass(frozen=True)
class Region:
    province: str
    city: str | None = None

    @property
    def region_id(self) -> str:
        return self.province + ("/" + self.city if self.city else "")


@dataclass(frozen=True)
class Gazetteer:
    provinces: dict[str, str]          # short or full name → full province name
    abbreviations: dict[str, str]      # 京 → 北京市
    cities: dict[str, Region]          # short or full city name → its region (a city short name is unique)
    counties: dict[str, Region] = None  # a county-level division's name (郓城县, and 郓城) → its prefecture's region

    def province(self, name: str) -> str | None:
        return self.provinces.get(name)

    def county(self, name: str) -> Region | None:
        """The prefecture a county-level division belongs to: 郓城县 → 山东省 菏泽市 (nlp/data/counties.csv)."""
        return (self.counties or {}).get(name)

    def city(self, name: str) -> Region | None:
        for candidate in (name, name.removesuffix("州") if name.endswith("州") and len(name) > 2 else None):
            if candidate and candidate in self.cities:
                return self.cities[candidate]
        return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    provinces, abbreviations, cities = {}, {}, {}
    for row in load("regions.csv"):
        if row["kind"] == "province":
            provinces[row["province"]] = provinces[row["province_short"]] = row["province"]
            abbreviations[row["province_abbr"]] = row["province"]
        else:
            region = Region(row["province"], row["city"])
            cities[row["city"]] = cities[row["city_short"]] = region
    counties: dict[str, Region] = {}
    for row in load("counties.csv"):
        region = Region(row["province"], row["city"] or None)
        counties[row["county"]] = region
        short = re.sub(r"(?:自治县|自治旗|县|旗)$", "", row["county"])
        # 郓城县 is also written 郓城; a short form another place has (a city, a province) is not taken
        if len(short) >= 2 and short != row["county"] and short not in cities and short not in provinces:
            counties.setdefault(short, region)
    return Gazetteer(provinces, abbreviations, cities, counties)
