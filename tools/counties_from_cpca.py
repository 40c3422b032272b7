"""Write nlp/data/counties.csv, the county-level divisions under each prefecture, from the adcodes table the cpca
package ships (MIT licence, https://github.com/DQinYuan/chinese_province_city_area_mapper; cpca 0.5.5's
``cpca/resources/adcodes.csv``: the Ministry of Civil Affairs' division codes with names).

A county's code shares its first four digits with its prefecture's (371721 曹县 → 371700 菏泽市); a municipality's
counties (11…, 12…, 31…, 50…) have the municipality as their province and no city; a 省直辖县级市 (…90xx) is its own
city. Only the names of the prefectures in nlp/data/regions.csv are used, so the two files agree.

    python tools/counties_from_cpca.py path/to/cpca-0.5.5-py3-none-any.whl
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nlp" / "data" / "counties.csv"
MUNICIPALITIES = ("11", "12", "31", "50")
COUNTY = re.compile(r"(?:自治县|自治旗|县|旗|市|区|林区|特区)$")


def main(argv: list[str]) -> int:
    wheel = Path(argv[0])
    with zipfile.ZipFile(wheel) as archive:
        table = archive.read("cpca/resources/adcodes.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(table)))
    names = {row["adcode"][:6]: row["name"] for row in rows}
    with open(ROOT / "nlp" / "data" / "regions.csv", encoding="utf-8") as handle:
        regions = list(csv.DictReader(handle))
    provinces = {row["province"] for row in regions}
    cities = {row["city"]: row["province"] for row in regions if row["city"]}
    out = []
    for code, name in sorted(names.items()):
        if code.endswith("00") or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue   # a province, a prefecture, or a placeholder
        province = names.get(code[:2] + "0000")
        if province not in provinces:
            continue
        if code[:2] in MUNICIPALITIES:
            city = ""
        elif code[2:4] == "90":
            city = name if name in cities else ""
            if not city:
                continue
        else:
            city = names.get(code[:4] + "00", "")
            if city not in cities:
                continue
        out.append({"county": name, "province": province, "city": city})
    counts = Counter(row["county"] for row in out)
    # a name two divisions share (鼓楼区 in four cities) names no one place: left out
    out = [row for row in out if counts[row["county"]] == 1 and COUNTY.search(row["county"])]
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["county", "province", "city"])
        writer.writeheader()
        writer.writerows(out)
    print(f"{OUT.relative_to(ROOT)}: {len(out)} county-level divisions "
          f"({sum(c > 1 for c in counts.values())} shared names left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
