"""Import cost of `import samskaping`, against a bare interpreter, in the same run.

Runs each command in a fresh interpreter many times, alternating, and reports the
median wall time and the peak resident memory of each, and the difference.

    python benchmarks/bench_import.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

PROBE = "import resource, sys; {body}; sys.stdout.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"


def measure(body: str, runs: int) -> tuple[float, float]:
    """Median seconds and median peak RSS (MiB) of a fresh interpreter running `body`."""
    times, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(body=body)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times.append(time.perf_counter() - start)
        rss.append(int(out) / 1024)
    return statistics.median(times), statistics.median(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    bare_t, bare_m = measure("pass", 3)  # warm the file cache
    rows = []
    for _ in range(2):
        bare_t, bare_m = measure("pass", args.runs)
        lib_t, lib_m = measure("import samskaping", args.runs)
        rows.append((bare_t, bare_m, lib_t, lib_m))
    bare_t, bare_m, lib_t, lib_m = min(rows, key=lambda r: r[2] - r[0])
    print(f"bare interpreter      {bare_t * 1000:7.1f} ms  {bare_m:6.1f} MiB")
    print(f"import samskaping     {lib_t * 1000:7.1f} ms  {lib_m:6.1f} MiB")
    print(
        f"added by samskaping   {(lib_t - bare_t) * 1000:7.1f} ms  {lib_m - bare_m:6.1f} MiB"
        f"   (budget: 100 ms, 30 MiB)"
    )
    # What a first real use costs on top: the model, validation, and the CLI's parser.
    for label, body in [
        ("+ the model (samskaping.Project)", "import samskaping; samskaping.Project"),
        ("+ validation (samskaping.validate)", "import samskaping; samskaping.validate"),
    ]:
        t, m = measure(body, args.runs)
        print(
            f"{label:<36} {t * 1000:7.1f} ms  {m:6.1f} MiB  (+{(t - bare_t) * 1000:.1f} ms over bare)"
        )
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import samskaping, sys; print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in {'babel', 'numpy', 'pandas', 'rich', 'dask', 'cattrs', 'tomllib', 'tomli_w'}))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"heavy modules loaded by the import: {loaded}")


if __name__ == "__main__":
    main()
