"""Print statusgen's performance figures against the budget (docs/performance.md).

    python -m benchmarks.run                 # N = 100, 1,000 and 10,000; serve at 10,000
    python -m benchmarks.run --memory-size 30000   # and the peak memory at 30,000
    python -m benchmarks.run --sizes 100,500 --runs 1 --no-lighthouse   # quicker

For each N it writes a synthetic status repository (benchmarks/synthetic.py) and
measures, each run in a fresh process: ``statusgen validate`` (the first run with a
cold cache, the median of the others warm) and ``statusgen build`` (the first with a
cold cache into a new folder, the second warm into a new folder, then the median of
RUNS warm builds over the spare, as every later build of a repository runs; CPU time
beside wall-clock time; peak memory; pages, files and folders written; each build
phase); a plain MkDocs + Material build of as many Markdown pages (the baseline) and
the ratio, and when ``hugo`` is installed a one-template Hugo build of the same pages
(the floor). Then the overview's first-load weight (with 20 components) and Lighthouse
scores, and how long ``statusgen serve`` takes to show an edited incident. It ends with
one table of every figure beside its target.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.baseline import write_baseline
from benchmarks.hugo import hugo, write_hugo_site
from benchmarks.synthetic import write_repository
from statusgen.core.timestamps import format_timestamp
from statusgen.site.build import spare_path, staging_prefix

NOW = "2026-11-01 12:00 UTC"
KB = 1024

# The targets (issue 19), the budget of docs/performance.md.
BUILD_SECONDS = {1_000: 1.5, 10_000: 10.0}
VALIDATE_SECONDS = {10_000: 1.0}
# "1,000 incidents build in under 1.5 s and 10,000 in under 10 s ..., at most 0.5x the
# plain MkDocs build": the ratio of the other sizes is shown, not judged.
BASELINE_RATIO = {1_000: 0.5, 10_000: 0.5}
HUGO_RATIO = {10_000: 3.0}
PEAK_MB = {30_000: 300.0}
FIRST_LOAD_GZIPPED = 30 * KB
SERVE_SECONDS = 0.3
LIGHTHOUSE = 100


def _child(*arguments: str, cache: Path | None = None) -> dict[str, Any]:
    """A measured run (benchmarks/child.py), with ``cache`` as its user cache folder."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *arguments],
        check=True,
        capture_output=True,
        text=True,
        env=_with_cache(cache),
    )
    document: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return document


def _build(root: Path, site: Path, now: str, cache: Path | None = None) -> dict[str, Any]:
    """A measured ``statusgen build``, once the site it replaced is gone.

    A build removes a folder it does not keep (a staging folder, a site replaced when
    the spare's place is taken) in a process of its own and returns at once (the result
    never waits for it). Back to back, that removal would compete with the next run for
    the disk and the CPU: each run here starts when the previous one's removal has
    finished, so that runs are independent.
    """
    figures = _child("statusgen", str(root), str(site), now, cache=cache)
    deadline = time.monotonic() + 600
    while _being_removed(site) and time.monotonic() < deadline:
        time.sleep(0.05)
    return figures


def _being_removed(site: Path) -> bool:
    """Whether a folder that a build of ``site`` discarded is still being removed."""
    kept = spare_path(site)
    return any(f != kept for f in site.parent.glob(f"{staging_prefix(site)}*"))


def _validate_seconds(root: Path, cache: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "statusgen", "validate", "--root", str(root)],
        check=True,
        capture_output=True,
        env=_with_cache(cache),
    )
    return time.perf_counter() - started


def _with_cache(cache: Path | None) -> dict[str, str] | None:
    """The environment of a child whose user cache folder is ``cache`` (None: this one's)."""
    return None if cache is None else {**os.environ, "XDG_CACHE_HOME": str(cache)}


def _written(site: Path) -> tuple[int, int, int, int]:
    """Pages, files, folders and bytes of a built site: each file and folder is an inode
    to create (and, in the next build, to delete)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    folders = sum(1 for p in site.rglob("*") if p.is_dir())
    pages = sum(1 for p in files if p.suffix == ".html")
    return pages, len(files), folders, sum(p.stat().st_size for p in files)


def _verdict(value: float, limit: float | None, *, lower_is_better: bool = True) -> str:
    if limit is None:
        return ""
    ok = value <= limit if lower_is_better else value >= limit
    return f"{'ok' if ok else 'OVER BUDGET'} (budget {'≤' if lower_is_better else '≥'} {limit:g})"


def measure_size(size: int, runs: int, folder: Path) -> dict[str, Any]:
    """Every figure of one size."""
    root = folder / f"status-{size}"
    write_repository(root, size)
    # Validate and the builds have a cache folder each: the first build parses too.
    validates = [_validate_seconds(root, folder / f"cache-validate-{size}") for _ in range(runs)]
    site = folder / f"site-{size}"
    cache = folder / f"cache-build-{size}"
    # The first build starts with a cold cache in a new folder; the second, with a warm
    # cache, replaces that site from a new folder too (there is no spare yet); from the
    # third on, each writes over the site that the build before last replaced, as every
    # build of a repository does from then on (site/spare.py).
    builds = [_build(root, site, NOW, cache) for _ in range(runs + 2)]
    warm = builds[2:]
    pages, files, folders, written = _written(site)
    baseline_config = write_baseline(folder / f"baseline-{size}", pages)
    baselines = [
        _child("mkdocs", str(baseline_config), str(folder / f"baseline-site-{size}"))
        for _ in range(runs)
    ]
    floor = None
    if hugo():
        source = write_hugo_site(folder / f"hugo-{size}", pages)
        floor = statistics.median(
            _child("hugo", str(source), str(folder / f"hugo-site-{size}"))["seconds"]
            for _ in range(runs)
        )
    build = statistics.median(b["seconds"] for b in warm)
    baseline = statistics.median(b["seconds"] for b in baselines)
    return {
        "size": size,
        "validate_cold": validates[0],
        "validate": statistics.median(validates[1:] or validates),
        "cold": builds[0]["seconds"],
        "new_folder": builds[1]["seconds"],
        "build": build,
        "cpu": statistics.median(b["cpu"] for b in warm),
        "phases": {
            name: statistics.median(b["timings"][name] for b in warm)
            for name in builds[0]["timings"]
        },
        "peak_mb": max(b["peak_mb"] for b in builds),
        "pages": pages,
        "files": files,
        "folders": folders,
        "bytes": written,
        "baseline": baseline,
        "baseline_cpu": statistics.median(b["cpu"] for b in baselines),
        "ratio": build / baseline,
        "hugo": floor,
    }


def measure_memory(size: int, folder: Path) -> dict[str, Any]:
    """Three builds of ``size`` incidents, for their peak memory: the first with a cold
    cache (it also saves every parsed file and text), the others with a warm one, the
    second into a new folder, the third over the spare. The figure is the highest."""
    root = folder / f"status-{size}"
    if not root.exists():
        write_repository(root, size)
    cache = folder / f"cache-memory-{size}"
    # Cold into a new folder, warm into a new folder, warm over the spare.
    cold, *warms = (_build(root, folder / f"site-{size}", NOW, cache) for _ in range(3))
    warm = max(warms, key=lambda b: b["peak_mb"])
    return {
        "size": size,
        "peak_mb": max(cold["peak_mb"], warm["peak_mb"]),
        "cold_mb": cold["peak_mb"],
        "warm_mb": warm["peak_mb"],
        "seconds": warms[-1]["seconds"],
        "cold_seconds": cold["seconds"],
    }


def _row(label: str, value: str, verdict: str = "") -> None:
    print(f"  {label:<18}{value:<46}{verdict}")


def print_size(figures: dict[str, Any]) -> None:
    size = figures["size"]
    phases = ", ".join(f"{k} {v:.2f}" for k, v in figures["phases"].items())
    print(f"\nN = {size:,} incidents and maintenances")
    validate, build = figures["validate"], figures["build"]
    _row("validate, cold cache", f"{figures['validate_cold']:.2f} s")
    _row("validate (median)", f"{validate:.2f} s", _verdict(validate, VALIDATE_SECONDS.get(size)))
    _row("build, cold cache", f"{figures['cold']:.2f} s, into a new folder")
    _row("build, new folder", f"{figures['new_folder']:.2f} s, warm cache (no spare yet)")
    _row(
        "build (median)",
        f"{build:.2f} s, {figures['cpu']:.2f} s CPU, over the spare",
        _verdict(build, BUILD_SECONDS.get(size)),
    )
    _row("  phases (s)", phases)
    _row("peak memory", f"{figures['peak_mb']:.0f} MB")
    megabytes = figures["bytes"] / KB / KB
    _row(
        "written",
        f"{figures['pages']:,} pages, {figures['files']:,} files, "
        f"{figures['folders']:,} folders, {megabytes:.1f} MB",
    )
    _row(
        "plain MkDocs",
        f"{figures['baseline']:.2f} s, {figures['baseline_cpu']:.2f} s CPU "
        f"for {figures['pages']:,} pages",
    )
    _row("ratio", f"{figures['ratio']:.2f}", _verdict(figures["ratio"], BASELINE_RATIO.get(size)))
    if figures["hugo"] is None:
        _row("Hugo", "not installed (apt-get install hugo): no floor measured")
    else:
        floor = figures["hugo"]
        _row("Hugo, 1 template", f"{floor:.2f} s for {figures['pages']:,} pages")
        _row("ratio to Hugo", f"{build / floor:.2f}", _verdict(build / floor, HUGO_RATIO.get(size)))


def print_summary(
    all_figures: list[dict[str, Any]], memory: dict[str, Any] | None, serve: float
) -> None:
    """Every figure of the issue in one table, beside its target."""
    rows: list[tuple[str, str, str]] = []

    def add(figure: str, value: float, unit: str, target: float | None) -> None:
        verdict = "" if target is None else ("ok" if value <= target else "OVER")
        shown = "" if target is None else f"≤ {target:g}{unit}"
        rows.append((figure, f"{value:.2f}{unit}", f"{shown} {verdict}".strip()))

    for f in all_figures:
        n = f"{f['size']:,}"
        add(f"build {n}", f["build"], " s", BUILD_SECONDS.get(f["size"]))
        add(f"build {n}, CPU", f["cpu"], " s", None)
        add(f"build {n} / plain MkDocs", f["ratio"], "", BASELINE_RATIO.get(f["size"]))
        if f["hugo"] is not None:
            add(f"build {n} / Hugo", f["build"] / f["hugo"], "", HUGO_RATIO.get(f["size"]))
        add(f"validate {n}", f["validate"], " s", VALIDATE_SECONDS.get(f["size"]))
        add(f"validate {n}, cold cache", f["validate_cold"], " s", None)
        add(f"peak memory {n}", f["peak_mb"], " MB", PEAK_MB.get(f["size"]))
        add(f"per incident {n}", 1000 * f["build"] / f["size"], " ms", None)
    if memory is not None:
        n = f"{memory['size']:,}"
        add(f"peak memory {n}", memory["peak_mb"], " MB", PEAK_MB.get(memory["size"]))
        add(f"build {n}", memory["seconds"], " s", None)
    add("serve, edit shown", serve, " s", SERVE_SECONDS)
    print("\nSide by side (targets of issue 19)")
    width = max(len(r[0]) for r in rows)
    for figure, value, target in rows:
        print(f"  {figure:<{width}}  {value:>11}  {target}")


def print_growth(all_figures: list[dict[str, Any]]) -> None:
    if len(all_figures) < 2:
        return
    first, last = all_figures[0], all_figures[-1]
    factor = last["size"] / first["size"]
    print(f"\nGrowth from N = {first['size']:,} to {last['size']:,} (x{factor:g}):")
    for key in ("build", "pages", "bytes"):
        print(f"  {key:<8} x{last[key] / first[key]:.1f}")


def measure_first_load(folder: Path, lighthouse: bool) -> None:
    from benchmarks.weight import serve, weigh

    root = folder / "first-load"
    write_repository(root, 200, components=20)
    site = folder / "first-load-site"
    # Built for the present, as a deployed page is: an old page would show its warning.
    _build(root, site, format_timestamp(datetime.now(UTC)))
    incident = next(site.glob("incidents/*/index.html")).parent.relative_to(site).as_posix()
    incident += "/"
    weights = weigh(site, ["", incident])
    print("\nFirst load (20 components, no cache)")
    for path, weight in weights.items():
        name = "overview" if path == "" else "incident page"
        kinds = ", ".join(
            f"{kind} {weight.raw[kind] / KB:.1f}/{weight.gzipped[kind] / KB:.1f}"
            for kind in sorted(weight.raw)
        )
        total = f"{weight.total_raw / KB:.1f} KB raw, {weight.total_gzipped / KB:.1f} KB gzipped"
        _row(name, total, _verdict(weight.total_gzipped / KB, FIRST_LOAD_GZIPPED / KB))
        _row("", f"{kinds} (KB raw/gzipped)")
        external = len(weight.external)
        _row("", f"{weight.requests} requests, {external} to other hosts", _verdict(external, 0))
    if lighthouse:
        from benchmarks.lighthouse import scores

        with serve(site) as base:
            for path in ("", incident):
                name = "overview" if path == "" else "incident page"
                found = scores(base + path)
                for category in ("performance", "accessibility"):
                    verdict = _verdict(found[category], LIGHTHOUSE, lower_is_better=False)
                    _row(f"Lighthouse {category[:4]}.", f"{name}: {found[category]}", verdict)


def measure_serve(folder: Path, size: int) -> float:
    """Seconds from saving an edited incident to ``statusgen serve`` answering with it
    (the page is asked for again and again, as the open page's reload script does)."""
    root = folder / f"status-{size}"
    if not root.exists():
        write_repository(root, size)
    incident = sorted((root / "incidents").rglob("*.md"))[-1]
    with serving(root) as (base, _):
        url = f"{base}incidents/{incident.stem}/"
        wait_for(url, "<h1>", 120)
        text = incident.read_text(encoding="utf-8")
        incident.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
        started = time.perf_counter()
        wait_for(url, "<h1>Edited ", 120)
        seconds = time.perf_counter() - started
    print(f"\nstatusgen serve at N = {size:,}")
    _row("edit shown after", f"{seconds:.2f} s", _verdict(seconds, SERVE_SECONDS))
    return seconds


@contextmanager
def serving(root: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``statusgen serve`` of ``root`` on a free port of 127.0.0.1: yields its base URL
    and the process (its stderr is a pipe, read once it has stopped)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [sys.executable, "-m", "statusgen", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, text: str, timeout: float) -> str:
    """The page at ``url`` once it contains ``text``.

    :raises TimeoutError: when it does not within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body: str = response.read().decode()
            if text in body:
                return body
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} never showed {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", dest="lighthouse", action="store_false")
    parser.add_argument("--serve-size", type=int, default=10_000)
    parser.add_argument(
        "--memory-size", type=int, default=None, help="one more build, for its peak memory"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(),
        help="where the repositories and sites are written (the current folder)",
    )
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    # Where checkouts live, not in /tmp: on the project's machine /tmp creates files 10 to
    # 20 times slower than the rest of the same disk, which no build in a checkout pays.
    workdir = tempfile.TemporaryDirectory(prefix="statusgen-benchmark-", dir=options.workdir)
    with workdir as name:
        folder = Path(name)
        # The runs' own cache folders (parsed files, Markdown, templates): each measure
        # starts cold, and nothing is left in the user's cache afterwards.
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        all_figures = []
        for size in sizes:
            figures = measure_size(size, options.runs, folder)
            print_size(figures)
            all_figures.append(figures)
        print_growth(all_figures)
        memory = None
        if options.memory_size:
            memory = measure_memory(options.memory_size, folder)
            print(f"\nN = {options.memory_size:,}, a build with a cold cache, then a warm one")
            _row(
                "peak memory",
                f"{memory['cold_mb']:.0f} MB cold, {memory['warm_mb']:.0f} MB warm",
                _verdict(memory["peak_mb"], PEAK_MB.get(options.memory_size)),
            )
            _row("build", f"{memory['cold_seconds']:.1f} s cold, {memory['seconds']:.1f} s warm")
        measure_first_load(folder, options.lighthouse)
        serve = measure_serve(folder, options.serve_size)
        print_summary(all_figures, memory, serve)


if __name__ == "__main__":
    main()
