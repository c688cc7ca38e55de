"""The delivery benchmark at several library sizes, side by side: `python -m bench.sizes`.

Each size has a database of its own (`contentapi_bench_1k`, `_10k`, `_100k`), seeded once
(`--setup`: through the workflow at 1,000, the first 200 through the workflow and the rest
in bulk above that, bench/bulk_seed.py) and then reused. For each size `bench.run` measures
the endpoints alone (`--reads-only --skip-setup`); this script prints every delivery
endpoint's req/s and p99 at each size, each size's req/s as a share of its 1,000-article
figure (the issue asks for within 10%), and the p99 of search, code lookup and Infobutton at
the largest size against 50 ms. The JSON of each run stays in bench/results/.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = {
    1_000: "contentapi_bench_1k",
    10_000: "contentapi_bench_10k",
    100_000: "contentapi_bench_100k",
}
# Rows that are not delivery endpoints of the project.
NOT_DELIVERY = {"stored-bytes reference", "server limit (constant bytes)", "preview"}
P99_BOUNDED = ("search q", "code lookup", "infobutton")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sizes", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="article counts (1000,10000,100000)"
    )
    parser.add_argument("--setup", action="store_true", help="seed each size's database first")
    parser.add_argument("--duration", type=float, default=5, help="seconds per endpoint (5)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per size (1)")
    parser.add_argument(
        "--hot-mb",
        type=float,
        default=None,
        help="HOT_DOCUMENTS_MB for the servers (the setting's default, 16); 0 measures the "
        "database's path alone",
    )
    return parser.parse_args(argv)


def _run(size: int, *extra: str, hot_mb: float | None = None) -> dict[str, Any] | None:
    env = {**os.environ, "BENCH_DATABASE": SIZES.get(size, f"contentapi_bench_{size}")}
    if hot_mb is not None:
        env["HOT_DOCUMENTS_MB"] = f"{hot_mb:g}"
    before = set(RESULTS.glob("*.json")) if RESULTS.exists() else set()
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--articles", str(size), *extra], env=env
    )
    if "--setup-only" in extra:
        if done.returncode != 0:
            raise SystemExit(f"seeding {size} articles failed")
        return None
    new = sorted(set(RESULTS.glob("*.json")) - before)
    if not new:
        raise SystemExit(f"the run at {size} articles wrote no results (exit {done.returncode})")
    return json.loads(new[-1].read_text())


def table(runs: dict[int, dict[str, Any]]) -> tuple[str, list[str]]:
    """The side-by-side table, and what missed."""
    sizes = sorted(runs)
    base = runs[sizes[0]]["endpoints"]
    names = [name for name in base if name not in NOT_DELIVERY]
    header = f"{'endpoint':<30}" + "".join(f"{f'{s:,} req/s':>16}{'p99 ms':>9}" for s in sizes)
    header += "".join(f"{f'{s:,}/{sizes[0]:,}':>16}" for s in sizes[1:])
    lines, missed = [header, "-" * len(header)], []
    for name in names:
        row = f"{name:<30}"
        for size in sizes:
            e = runs[size]["endpoints"][name]
            row += f"{e['requests_per_second']:16.0f}{e['p99_ms']:9.2f}"
        for size in sizes[1:]:
            share = (
                runs[size]["endpoints"][name]["requests_per_second"]
                / base[name]["requests_per_second"]
            )
            row += f"{share:15.2f}x"
            if share < 0.9:
                missed.append(f"{name} at {size:,}: {share:.2f}x its {sizes[0]:,} figure")
        lines.append(row)
    largest = runs[sizes[-1]]["endpoints"]
    lines.append("")
    for name in P99_BOUNDED:
        p99 = largest[name]["p99_ms"]
        met = p99 <= 50
        lines.append(
            f"{name} p99 at {sizes[-1]:,}: {p99:.2f} ms (<= 50 ms: {'met' if met else 'MISSED'})"
        )
        if not met:
            missed.append(f"{name} p99 {p99:.2f} ms at {sizes[-1]:,}")
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.setup:
        for size in sizes:
            _run(size, "--setup-only")
    runs = {}
    for size in sizes:
        print(f"== {size:,} articles", file=sys.stderr, flush=True)
        run = _run(
            size,
            "--skip-setup",
            "--reads-only",
            "--duration",
            str(args.duration),
            "--rounds",
            str(args.rounds),
            hot_mb=args.hot_mb,
        )
        assert run is not None
        runs[size] = run
    text, missed = table(runs)
    hot = {run.get("hot_documents_mb") for run in runs.values()}
    print(f"HOT_DOCUMENTS_MB: {', '.join(f'{mb:g}' for mb in sorted(hot))}")
    print(text)
    for size, run in runs.items():
        print(f"  {size:,}: {run['articles']:,} live articles, {run['started_at']}")
    if missed:
        print("Missed: " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
