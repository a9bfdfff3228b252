"""One measured build in a fresh process: ``python -m benchmarks.child KIND ...``.

Prints one JSON line: wall-clock seconds, CPU seconds (user and system: what a shared,
loaded machine measures best), statusgen's phases and the peak memory of the process.
A fresh process per run keeps runs independent and measures memory alone.

- ``statusgen ROOT SITE_DIR NOW``: ``statusgen build``;
- ``mkdocs CONFIG_FILE SITE_DIR``: a plain MkDocs build (the baseline);
- ``hugo SOURCE SITE_DIR``: a one-template Hugo build (the floor), memory of the child.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from statusgen.core.timestamps import parse_timestamp


def main(arguments: list[str]) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    kind, *rest = arguments
    started = time.perf_counter()
    timings: dict[str, float] = {}
    if kind == "statusgen":
        from statusgen.site.build import build_site

        root, site, now = rest
        timings = build_site(Path(root), Path(site), parse_timestamp(now)).timings
    elif kind == "hugo":
        source, site = rest
        subprocess.run(["hugo", "--quiet", "--source", source, "--destination", site], check=True)
    else:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config_file, site = rest
        build(load_config(config_file, site_dir=site))
    seconds = time.perf_counter() - started
    # The page-writing worker of a statusgen build is a child too (site/writer.py): CPU
    # time counts both processes; the peak is the larger one's (they share most pages).
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured = [children] if kind == "hugo" else [own, children]
    cpu = sum(u.ru_utime + u.ru_stime for u in measured)
    peak = max(u.ru_maxrss for u in measured)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "timings": timings, "peak_mb": peak / 1024}))


if __name__ == "__main__":
    main(sys.argv[1:])
