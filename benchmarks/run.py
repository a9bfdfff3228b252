"""Print statusgen's performance figures against the budget.

    python -m benchmarks.run [N ...]

For each N (default 100, 1,000 and 10,000) it writes a synthetic status repository
and measures, as the median of several runs: ``statusgen validate`` as a whole process
(what a user waits for), loading alone, and deriving the page state.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from benchmarks.synthetic import write_repository
from statusgen.loader import load_site
from statusgen.state import derive

RUNS = 3
VALIDATE_BUDGET_10K = 2.0  # seconds, for 10,000 files on a 2-core machine
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _median(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _validate_process(root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "statusgen", "validate", "--root", str(root)],
        check=True,
        capture_output=True,
    )


def main(sizes: list[int]) -> None:
    print(f"{'N':>7} {'validate (process)':>19} {'load':>8} {'derive':>8}  budget")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            write_repository(root, size)
            validate = _median(partial(_validate_process, root))
            load = _median(partial(load_site, root))
            derived = _median(partial(derive, load_site(root), NOW))
        budget = VALIDATE_BUDGET_10K * size / 10_000
        verdict = "ok" if validate <= max(budget, 0.5) else "OVER"
        print(
            f"{size:>7} {validate:>18.2f}s {load:>7.2f}s {derived:>7.3f}s  "
            f"validate <= {max(budget, 0.5):.2f}s: {verdict}"
        )


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [100, 1_000, 10_000])
