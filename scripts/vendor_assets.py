"""Re-fetch the vendored Leaflet/folium assets in static/vendor/ from npm (and folium's PyPI sdist).

Usage (from the repo root):
    .venv/bin/python scripts/vendor_assets.py          # fetch into static/vendor/, write SHA256SUMS
    .venv/bin/python scripts/vendor_assets.py --check  # verify files against SHA256SUMS, no network

What is fetched comes from one place, geo.web.offline.ASSETS: each value is
"<package>@<version>/<path inside the package>". The script runs `npm pack <package>@<version>`
in a temporary folder, copies that file, and also every font/image its CSS references through
url(...), keeping relative paths. "folium@<version>" comes from folium's sdist on PyPI
(`pip download --no-binary :all:`). Exact versions + byte-for-byte copies => deterministic; the
SHA256SUMS file lets a reviewer (or --check) confirm nothing changed.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.web.offline import ASSETS, VENDOR_DIR, css_urls  # noqa: E402

SUMS = VENDOR_DIR / "SHA256SUMS"
PYPI_PACKAGES = {"folium"}  # everything else is an npm package
# Files a package's JavaScript (not its CSS) loads: Leaflet's default marker icon and shadow.
JS_REFERENCED = {"leaflet@1.9.3": ["dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png"]}


def split_rel(rel: str) -> tuple[str, str, str]:
    """'@scope/name@1.2.3/dist/x.js' -> ('@scope/name', '1.2.3', 'dist/x.js')."""
    scoped = rel.startswith("@")
    parts = rel.split("/")
    head = "/".join(parts[:2]) if scoped else parts[0]
    inner = "/".join(parts[2:] if scoped else parts[1:])
    name, _, version = head.rpartition("@")
    if not name or not version or not inner:
        raise SystemExit(f"bad asset path {rel!r}: expected <package>@<version>/<file>")
    return name, version, inner


def unpack(name: str, version: str, work: Path) -> Path:
    """Download and unpack one package; return the folder its paths are relative to."""
    dest = work / f"{name.replace('/', '__')}-{version}"
    if dest.exists():
        return dest / ("package" if name not in PYPI_PACKAGES else f"{name}-{version}")
    dest.mkdir(parents=True)
    if name in PYPI_PACKAGES:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             f"{name}=={version}", "-d", str(dest)],
            check=True,
        )
        archive = next(dest.glob(f"{name}-{version}.tar.gz"))
        root = dest / f"{name}-{version}"
    else:
        out = subprocess.run(
            ["npm", "pack", "--silent", f"{name}@{version}"],
            cwd=dest, check=True, capture_output=True, text=True,
        )
        archive = dest / out.stdout.strip().splitlines()[-1]
        root = dest / "package"
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    return root


def needed_files(rel: str, root: Path) -> list[str]:
    """The file itself plus, for a stylesheet, every file its url(...) values point to."""
    _, _, inner = split_rel(rel)
    files = [inner]
    if inner.endswith(".css"):
        css = (root / inner).read_text(encoding="utf-8")
        base = Path(inner).parent
        for ref in css_urls(css):
            files.append((base / ref).as_posix())
    return files


def provenance_files(root: Path) -> list[Path]:
    """Licence file(s) and, for npm packages, package.json (name, version, licence field)."""
    found = sorted(p for p in root.iterdir() if p.is_file() and "LICEN" in p.name.upper())
    if (root / "package.json").is_file():
        found.append(root / "package.json")
    return found


def fetch() -> None:
    """Rebuild static/vendor/ from the registries and write SHA256SUMS."""
    copied: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        plan: dict[Path, Path] = {}  # target -> source; everything is downloaded before any change
        for rel in sorted(set(ASSETS.values())):
            name, version, _ = split_rel(rel)
            root = unpack(name, version, Path(tmp)).resolve()
            package_dir = VENDOR_DIR / f"{name}@{version}"
            inners = needed_files(rel, root) + JS_REFERENCED.get(f"{name}@{version}", [])
            for src in [(root / inner).resolve() for inner in inners] + provenance_files(root):
                plan[package_dir / src.relative_to(root)] = src
        # Start clean so files dropped from ASSETS do not linger; README.md is kept.
        for old in VENDOR_DIR.iterdir() if VENDOR_DIR.is_dir() else []:
            if old.is_dir():
                shutil.rmtree(old)
        for target, src in sorted(plan.items()):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            copied.append(target)
    lines = sorted(f"{_sha256(p)}  {p.relative_to(VENDOR_DIR).as_posix()}" for p in set(copied))
    SUMS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in set(copied))
    print(f"{len(set(copied))} files, {total / 1e6:.2f} MB in {VENDOR_DIR}")


def check() -> int:
    """Compare static/vendor/ with SHA256SUMS; return the number of problems."""
    problems = 0
    for line in SUMS.read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        path = VENDOR_DIR / rel
        if not path.is_file():
            print(f"missing: {rel}")
            problems += 1
        elif _sha256(path) != digest:
            print(f"changed: {rel}")
            problems += 1
    for rel in ASSETS.values():
        if not (VENDOR_DIR / rel).is_file():
            print(f"listed in geo.web.offline.ASSETS but not vendored: {rel}")
            problems += 1
    print("ok" if not problems else f"{problems} problem(s)")
    return problems


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify only, no network")
    args = parser.parse_args()
    if args.check:
        return 1 if check() else 0
    fetch()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
