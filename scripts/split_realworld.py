"""Split the blind-annotated real articles (tests/realworld/incoming/*/) into dev and test halves.

Run once, before anyone reads the extractor's output on them. Within each city the articles are
ordered by sha1 of their source URL and dealt alternately to dev and test (the first to dev), so
the split depends on nothing anyone saw. Files are moved; each half gets one annotations.yaml.

    python scripts/split_realworld.py [--dev dev4 --test test6] [--dev-only FILE …]

--dev-only sends the named articles to the dev half (pages sharing text with a set already tuned on).
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent / "tests" / "realworld"
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", default="dev")
    parser.add_argument("--test", default="test")
    parser.add_argument("--dev-only", nargs="*", default=[])
    args = parser.parse_args()
    by_city: dict[str, list[tuple[str, Path, dict]]] = defaultdict(list)
    for folder in sorted((HERE / "incoming").glob("*")):
        entries = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8")) or []
        for entry in entries:
            path = folder / entry["article"]
            front = yaml.safe_load(FRONT.match(path.read_text(encoding="utf-8")).group(1))
            key = hashlib.sha1(str(front["source_url"]).encode("utf-8")).hexdigest()
            by_city[str(front["city"])].append((key, path, entry))
    halves: dict[str, list[dict]] = {args.dev: [], args.test: []}
    turn = 0
    for city in sorted(by_city):
        for key, path, entry in sorted(by_city[city], key=lambda t: t[0]):
            if path.name in args.dev_only:
                half = args.dev
            else:
                half = (args.dev, args.test)[turn % 2]
                turn += 1
            target = HERE / half
            target.mkdir(exist_ok=True)
            if (target / path.name).exists():
                raise SystemExit(f"{path.name} exists in {half}/ already")
            shutil.move(str(path), target / path.name)
            halves[half].append(entry)
    for half, entries in halves.items():
        header = (f"# Blind annotation of the real-article corpus, {half} half (see ../README.md and ../GUIDE.md).\n"
                  "# Written by annotators who never read or ran geo/extract; split by scripts/split_realworld.py.\n")
        body = yaml.safe_dump(sorted(entries, key=lambda e: e["article"]), allow_unicode=True, sort_keys=False,
                              width=120)
        (HERE / half / "annotations.yaml").write_text(header + body, encoding="utf-8")
        print(f"{half}: {len(entries)} articles")


if __name__ == "__main__":
    main()
