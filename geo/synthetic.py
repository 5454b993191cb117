"""Fixed-seed synthetic records for tests and benchmarks (never used by the pipeline).

The records go through `geo.store.gpkg.records_frame`, so they have exactly the columns and
dtypes of a real store. Counties can be the real boundaries or `grid_counties()`, a grid
of boxes over Shanxi that needs no boundary files.
"""
from __future__ import annotations

import random
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

from geo.models import Article, Record
from geo.store.gpkg import records_frame

CHAINS = ("新能源汽车", "光伏", "氢能", "特钢材料", "铝镁", "现代医药", "煤化工", "大数据", "文旅康养", "现代农业")
ORIGINS = {
    # region -> places known to the origin table (lookup_origin)
    "guangdong": ("深圳市", "广州市", "佛山市"),
    "jingjinji": ("北京市", "天津市"),
    "yangtze_delta": ("上海市", "杭州市", "苏州市"),
    "other": ("山东省",),
}
STAGES = ("signed", "started", "in_production", "negotiating", "planned")


def grid_counties(n_cols: int = 4, n_rows: int = 6) -> gpd.GeoDataFrame:
    """Boxes over Shanxi (lon 110.5–114, lat 35–40.5) shaped like load_counties(): 3 per city."""
    rows = []
    width, height = 3.5 / n_cols, 5.5 / n_rows
    for i in range(n_rows):
        for j in range(n_cols):
            k = i * n_cols + j
            city_no = k // 3 + 1
            rows.append({
                "adcode": f"14{city_no:02d}{k % 3 + 1:02d}",
                "name": f"测试{k + 1}县",
                "city_adcode": f"14{city_no:02d}00",
                "city": f"测试{city_no}市",
                "level": "county",
                "geometry": box(110.5 + j * width, 35 + i * height,
                                110.5 + (j + 1) * width, 35 + (i + 1) * height),
            })
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def grid_cities(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """City polygons dissolved from `counties` (adcode, name, level)."""
    cities = counties.dissolve(by="city_adcode", as_index=False, aggfunc="first")
    cities = cities.rename(columns={"city": "name_city"})
    return gpd.GeoDataFrame({"adcode": cities["city_adcode"], "name": cities["name_city"], "level": "city"},
                            geometry=cities.geometry.values, crs="EPSG:4326")


def synthetic_articles(n: int = 3) -> list[Article]:
    """`n` small articles with distinct ids, titles and dates."""
    return [
        Article(id=f"art{i:03d}", source=f"{i:03d}_synthetic.txt", title=f"合成文章 {i}",
                date=f"2023-{i % 12 + 1:02d}-15", text="…")
        for i in range(n)
    ]


def synthetic_records(n: int, counties: gpd.GeoDataFrame, *, seed: int = 7,
                      articles: list[Article] | None = None) -> tuple[list[Record], list[Article]]:
    """`n` records spread over `counties`: mostly county/site projects, some city, batch, unresolved."""
    rng = random.Random(seed)
    articles = articles or synthetic_articles()
    county_rows = list(counties[["adcode", "name", "city_adcode", "city"]].itertuples(index=False))
    points = counties.geometry.representative_point()
    records = []
    for i in range(n):
        c_idx = rng.randrange(len(county_rows))
        county = county_rows[c_idx]
        roll = rng.random()
        precision = ("site" if roll < 0.35 else "county" if roll < 0.8 else "city" if roll < 0.93
                     else "unresolved")
        kind = "batch" if rng.random() < 0.08 else "project"
        region = rng.choice([*ORIGINS, None, None])
        amount_kind = rng.choices(["investment", "output", "contract"], weights=[8, 1, 1])[0]
        lon = lat = None
        if precision in ("site", "county"):
            pt = points.iloc[c_idx]
            jitter = 0.02 if precision == "site" else 0.0
            lon, lat = pt.x + rng.uniform(-jitter, jitter), pt.y + rng.uniform(-jitter, jitter)
        elif precision == "city":
            pt = points.iloc[c_idx]
            lon, lat = pt.x, pt.y
        article = articles[i % len(articles)]
        records.append(Record(
            id=f"r{i:05d}",
            kind=kind,
            article_id=article.id,
            sentence=f"第{i}号项目在{county.name}签约，总投资{i % 50 + 1}亿元。",
            name=f"合成项目{i}",
            company=f"合成公司{i % 37}",
            amount_yi=round(rng.uniform(0.5, 80), 2) if rng.random() < 0.9 else None,
            amount_kind=amount_kind,
            amount_text="若干亿元",
            currency="CNY",
            qualifier="exact",
            project_count=rng.randint(2, 40) if kind == "batch" else None,
            chain=rng.choice(CHAINS) if rng.random() < 0.95 else None,
            origin_region=region,
            origin_place=rng.choice(ORIGINS[region]) if region else None,
            stage=rng.choice(STAGES),
            date=f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            place_text=county.name if precision != "city" else county.city,
            precision=precision,
            lon=lon,
            lat=lat,
            county_adcode=county.adcode if precision in ("site", "county") else None,
            county=county.name if precision in ("site", "county") else None,
            city_adcode=county.city_adcode if precision != "unresolved" else None,
            city=county.city if precision != "unresolved" else None,
            place_adcodes=[county.adcode] if precision in ("site", "county") else [],
        ))
    return records, articles


def synthetic_frame(n: int, counties: gpd.GeoDataFrame, *, seed: int = 7) -> gpd.GeoDataFrame:
    """`synthetic_records` as the records frame the store returns."""
    records, articles = synthetic_records(n, counties, seed=seed)
    return records_frame(records, articles)


_SITES = ("小店区", "清徐县", "阳曲县", "大同市云冈区", "朔州市怀仁市", "忻州市定襄县", "吕梁市孝义市",
          "晋中市太谷区", "长治市潞州区", "晋城市高平市", "临汾市侯马市", "运城市盐湖区")
_PROJECTS = ("光伏组件", "氢能装备", "特钢材料", "新能源汽车零部件", "现代医药", "大数据中心")
_INVESTORS = ("深圳市", "北京市", "上海市", "杭州市", "山东省")


def article_text(i: int, seed: int = 7) -> str:
    """Article `i` of a fixed-seed synthetic corpus (~250 characters, one project and one batch)."""
    rng = random.Random(seed * 1_000_003 + i)
    a, b = rng.sample(_SITES, 2)
    return (f"第{i}期 {a}集中签约\n\n"
            f"2024年{i % 12 + 1}月{i % 28 + 1}日，{a}举行重点项目集中签约活动。"
            f"{rng.choice(_INVESTORS)}某科技有限公司投资{i % 90 + 3}.{i % 10}亿元建设{rng.choice(_PROJECTS)}项目，"
            f"计划年内开工。\n\n"
            f"同日，{b}与企业签约{rng.choice(_PROJECTS)}项目{i % 7 + 2}个，总投资{i % 40 + 10}亿元。编号{i}。\n")


def write_article_files(folder: Path, start: int, n: int, seed: int = 7) -> list[Path]:
    """Write synthetic articles `start` … `start + n - 1` as `NNNNNN_synthetic.txt` files under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = folder / f"{i:06d}_synthetic.txt"
        path.write_text(article_text(i, seed), encoding="utf-8")
        paths.append(path)
    return paths
