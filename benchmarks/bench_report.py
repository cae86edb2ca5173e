"""`samskaping report` on the embedded example against a bare `import samskaping`.

Both run as fresh interpreters, alternating, in the same run; the script prints the
medians and their ratio (target: the report within 3× the import).

    python benchmarks/bench_report.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "bare interpreter": [sys.executable, "-c", "pass"],
    "import samskaping": [sys.executable, "-c", "import samskaping"],
    "samskaping report (text)": [sys.executable, "-m", "samskaping", "report", "--plain"],
    "samskaping report --format html": [sys.executable, "-m", "samskaping", "report", "--format", "html"],
    "samskaping report --format json": [sys.executable, "-m", "samskaping", "report", "--format", "json"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():  # warm the file cache
        subprocess.run(command, check=True, capture_output=True)
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["import samskaping"]
    print(f"{'command':<34} {'median ms':>10} {'× import':>9}")
    for name, value in medians.items():
        print(f"{name:<34} {value * 1000:>10.1f} {value / base:>9.2f}")
    print("target: the report within 3× of `import samskaping`")


if __name__ == "__main__":
    main()
