"""Cost (and synthetic accuracy) of project linkage, against place-only blocking, and of relinking a store.

Run: .venv/bin/python benchmarks/bench_linkage.py [--sizes 1000,10000] [--alt-max 5000]

Synthetic workload (fixed seed, invented names): P projects over the real Shanxi counties, each
reported by 1–3 articles (signed → started → in production, dates in order) with its name written in
full (鸿远年产30万吨玻纤材料项目), shortened (鸿远玻纤材料项目) or as the firm's short name alone, the
amount rounded in later reports, the company named or not, and some reports only at city level.
Firms (400 three-character names) recur with other products and in other counties (distractors). For each size (project records):

- geo.link.linkage.link: shingle blocking (time, pairs scored, pairwise precision/recall vs the truth);
- the alternative in the same run: place-only blocking (every pair of records in one city scored),
  up to --alt-max records (it grows with the square of a city's records);
- relink_store on a GeoPackage holding those records, against update_store adding 10 articles
  (what an incremental build costs before and now with the relink).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from geo.link import entities, linkage  # noqa: E402
from geo.store import gpkg_update as store_update
from geo.places.gazetteer import load_gazetteer  # noqa: E402
from geo.models import Article, Record  # noqa: E402
from geo.store.gpkg import records_frame, write_store  # noqa: E402

FIRMS = ("鸿远", "北辰", "云岭", "泰和", "华晟", "金穗", "瑞丰", "恒通", "中岳", "晋泰", "宏图", "安澜", "明德", "嘉禾",
         "天衡", "远景", "盛达", "博瑞", "东升", "广源")
PRODUCTS = (("玻纤材料", "万吨"), ("锂电池负极", "万吨"), ("光伏组件", "GW"), ("氢能装备", "台套"), ("特钢棒材", "万吨"),
            ("储能电站", "MW"), ("煤层气液化", "万方"), ("铝镁合金", "万吨"), ("现代医药", "万支"), ("数据中心", "架"))
STAGES = ("signed", "started", "in_production")


def workload(n_records: int, seed: int = 11) -> tuple[list[Record], list[Article], dict[str, int]]:
    """Synthetic reports and the truth (record id → project number)."""
    rng = random.Random(seed)
    counties = [p for p in load_gazetteer().counties]
    records, articles, truth = [], [], {}
    project = 0
    while len(records) < n_records:
        firm, (product, unit) = rng.choice(FIRMS) + rng.choice(FIRMS)[0], rng.choice(PRODUCTS)
        county = rng.choice(counties)
        capacity, amount = rng.randint(1, 99), round(rng.uniform(1, 90), 1)
        year = rng.randint(2019, 2023)
        for k in range(rng.choice((1, 2, 2, 3))):
            art = Article(id=f"a{len(articles):06d}", source=f"{len(articles):06d}.txt", title="合成",
                          date=f"{year + k}-{rng.randint(1, 12):02d}-15", text="…")
            articles.append(art)
            style = rng.random()
            name = (f"{firm}年产{capacity}{unit}{product}项目" if style < 0.5 else f"{firm}{product}项目"
                    if style < 0.85 else f"{firm}项目")
            city_only = rng.random() < 0.15
            rid = f"r{len(records):06d}"
            records.append(Record(
                id=rid, kind="project", article_id=art.id, sentence=name, name=name,
                company=f"{firm}{product}科技有限公司" if rng.random() < 0.5 else None,
                amount_yi=(amount if k == 0 else round(amount)) if rng.random() < 0.8 else None,
                amount_kind="investment", currency="CNY", stage=STAGES[k], date=art.date,
                precision="city" if city_only else "county", lon=county.lon, lat=county.lat,
                county_adcode=None if city_only else county.adcode, county=None if city_only else county.full_name,
                city_adcode=county.city_adcode, city=county.city,
                place_adcodes=[] if city_only else [county.adcode]))
            truth[rid] = project
        project += 1
    return records[:n_records], articles, truth


def pairwise(uids: dict[str, str], truth: dict[str, int]) -> tuple[float, float]:
    by_pred, by_gold = defaultdict(list), defaultdict(list)
    for rid, uid in uids.items():
        by_pred[uid].append(rid)
        by_gold[truth[rid]].append(rid)
    pred = sum(len(v) * (len(v) - 1) // 2 for v in by_pred.values())
    gold = sum(len(v) * (len(v) - 1) // 2 for v in by_gold.values())
    tp = sum(1 for v in by_pred.values() for i, a in enumerate(v) for b in v[i + 1:] if truth[a] == truth[b])
    return (tp / pred if pred else 1.0), (tp / gold if gold else 1.0)


def place_only(frame: pd.DataFrame) -> tuple[int, float]:
    """The alternative: score every pair of one city (no shingle blocking); pairs scored and seconds."""
    started = time.perf_counter()
    norms = linkage._norms(frame[linkage.COLUMNS])
    by_city = defaultdict(list)
    for n in norms:
        by_city[n.city].append(n)
    scored = 0
    for members in by_city.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.article_id != b.article_id and linkage.place_compatible(a, b):
                    linkage.score(a, b)
                    scored += 1
    return scored, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--alt-max", type=int, default=5000)
    args = parser.parse_args()
    for size in [int(s) for s in args.sizes.split(",")]:
        records, articles, truth = workload(size)
        frame = records_frame(records, articles)
        started = time.perf_counter()
        result = linkage.link(frame)
        took = time.perf_counter() - started
        precision, recall = pairwise(result.uids, truth)
        print(f"[{size} project records, {len(set(truth.values()))} projects] link: {took:.2f} s, "
              f"{result.compared} pairs scored, {len(set(result.uids.values()))} entities, "
              f"synthetic pairwise P {precision:.3f} R {recall:.3f}")
        if size <= args.alt_max:
            scored, alt = place_only(frame)
            print(f"  alternative, place-only blocking: {alt:.2f} s, {scored} pairs scored")
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.gpkg"
            write_store(db, articles[:-10], [r for r in records if r.article_id not in
                                             {a.id for a in articles[-10:]}])
            fresh = articles[-10:]
            started = time.perf_counter()
            store_update.update_store(db, set(), fresh, [r for r in records if r.article_id in
                                                         {a.id for a in fresh}])
            update = time.perf_counter() - started
            summary = entities.relink_store(db)
            print(f"  store: update_store +10 articles {update:.2f} s; relink_store (whole store) "
                  f"{summary.seconds:.2f} s for {summary.project_records} records → {summary.entities} entities")


if __name__ == "__main__":
    main()
