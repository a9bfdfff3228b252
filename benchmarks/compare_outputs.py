"""Check that the working tree builds the same bytes as a git revision.

    python -m benchmarks.compare_outputs            # against main
    python -m benchmarks.compare_outputs HEAD~1 --synthetic 1000

An optimisation must not change any output. This builds, with the current virtual
environment, the example site of this repository (public and internal views) and a
synthetic repository (``benchmarks/synthetic.py``) twice: with the code of REF
(``git archive``) and with the working tree's code, which builds each site a second
time to reuse what the first build cached, and twice more into that folder, the last
time over the site the second replaced. It prints IDENTICAL, or every file that
differs, and exits 1 then.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from benchmarks.synthetic import write_repository

PROJECT = Path(__file__).resolve().parents[1]
NOW = "2026-11-30 12:00 UTC"
SHOWN = 20
"""At most this many differing files are listed."""


def export_revision(revision: str, target: Path) -> None:
    """The files of ``revision`` of this repository, written under ``target``."""
    archive = subprocess.run(
        ["git", "-C", str(PROJECT), "archive", "--format=tar", revision],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def export_working_tree(target: Path) -> None:
    """The working tree's files (tracked, and untracked but not ignored) under ``target``."""
    listed = subprocess.run(
        ["git", "-C", str(PROJECT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True,
        capture_output=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = PROJECT / name
        if source.is_file():  # a deleted file is still in the index
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build(code: Path, root: Path, site: Path, *options: str) -> None:
    """``statusgen build`` of ``root`` into ``site``, running the statusgen of ``code``."""
    environment = {**os.environ, "PYTHONPATH": str(code), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "statusgen", "build", "--root", str(root)]
    command += ["--site-dir", str(site), "--now", NOW, *options]
    subprocess.run(command, check=True, cwd=code, env=environment, capture_output=True)


def differences(expected: Path, actual: Path) -> list[str]:
    """The files, relative to the sites, that one site lacks or has with other bytes."""

    def files(site: Path) -> dict[str, Path]:
        return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}

    left, right = files(expected), files(actual)
    found = [f"only in {expected.name}: {name}" for name in sorted(left.keys() - right.keys())]
    found += [f"only in {actual.name}: {name}" for name in sorted(right.keys() - left.keys())]
    found += [
        f"differs: {name}"
        for name in sorted(left.keys() & right.keys())
        if left[name].read_bytes() != right[name].read_bytes()
    ]
    return found


def warm_differences(
    expected: Path, code: Path, root: Path, site: Path, options: tuple[str, ...] = ()
) -> list[str]:
    """Build ``root`` three times into ``site``, reusing what its first build cached:
    the first time into a new folder, the third over the site that the second replaced
    (site/spare.py); the differences of the first and the third."""
    build(code, root, site, *options)
    found = differences(expected, site)
    build(code, root, site, *options)
    build(code, root, site, *options)
    return found + differences(expected, site)


def compare(revision: str, synthetic: int) -> list[str]:
    """Build every site with ``revision`` and with the working tree; the differences."""
    with tempfile.TemporaryDirectory(prefix="statusgen-compare-") as folder:
        work = Path(folder)
        trees = {"reference": work / "reference", "working": work / "working"}
        export_revision(revision, trees["reference"])
        export_working_tree(trees["working"])
        generated = work / "synthetic"
        write_repository(generated, synthetic)
        found: list[str] = []
        for name, options in (("example", ()), ("internal", ("--audience", "internal"))):
            sites = {}
            for label, code in trees.items():
                sites[label] = work / f"{name}-{label}"
                build(code, code, sites[label], *options)
            found += differences(sites["reference"], sites["working"])
            found += warm_differences(
                sites["reference"],
                trees["working"],
                trees["working"],
                work / f"{name}-warm",
                options,
            )
        sites = {}
        for label, code in trees.items():
            root = work / f"synthetic-{label}"  # a copy each: no build sees another's cache
            shutil.copytree(generated, root)
            sites[label] = root / "site"
            build(code, root, sites[label])
        found += differences(sites["reference"], sites["working"])
        found += warm_differences(
            sites["reference"],
            trees["working"],
            work / "synthetic-working",
            work / "synthetic-warm",
        )
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default="main", help="git revision (main)")
    parser.add_argument("--synthetic", type=int, default=300, help="incidents (300)")
    arguments = parser.parse_args()
    found = compare(arguments.revision, arguments.synthetic)
    if not found:
        print(
            f"IDENTICAL: the example site (public and internal) and {arguments.synthetic} "
            f"synthetic incidents, built cold and warm, against {arguments.revision}"
        )
        return
    print(f"DIFFERENT from {arguments.revision}: {len(found)} files")
    for line in found[:SHOWN]:
        print(f"  {line}")
    if len(found) > SHOWN:
        print(f"  … and {len(found) - SHOWN} more")
    sys.exit(1)


if __name__ == "__main__":
    main()
