"""The region gazetteer (nlp/data/regions.csv): provinces and prefecture-level cities with the short names regulators use."""

from __future__ import annotations

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

    def province(self, name: str) -> str | None:
        return self.provinces.get(name)

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
    return Gazetteer(provinces, abbreviations, cities)
