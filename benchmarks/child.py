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
    who = resource.RUSAGE_CHILDREN if kind == "hugo" else resource.RUSAGE_SELF
    usage = resource.getrusage(who)
    cpu = usage.ru_utime + usage.ru_stime
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu, "timings": timings, "peak_mb": usage.ru_maxrss / 1024}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
