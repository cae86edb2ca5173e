"""Unknown keys: the cost of refusing a document full of them, against parsing it alone.

A document of N unknown keys (``{"id": "p", "name": "x", "k0000000x": 1, ...}``) is
refused by ``samskaping.loads`` with 200 listed problems and a count of the rest; the
did-you-mean search runs only for the keys shown. For each N the script times, in the
same run and in alternating order:

- the baseline: ``json.loads`` of the same text (the least any reader must do);
- ``samskaping.loads`` (JSON), up to the DocumentError;
- ``samskaping.loads`` (TOML) of the same keys, for the smaller sizes: TOML parsing
  alone (``tomllib``) is the slow part there, as the figures show.

It reports the median time of each, the ratio against the baseline and the time per
key, so that a linear cost shows as a flat time per key. The largest JSON size is
just under the 10 MiB document limit.

Run from a clone::

    python benchmarks/bench_unknown_keys.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import tomllib
from pathlib import Path

# Run from a clone: use the source tree next to this script, not an installed copy.
_SOURCE = Path(__file__).resolve().parents[1] / "src"
if (_SOURCE / "samskaping").is_dir():
    sys.path.insert(0, str(_SOURCE))

import samskaping  # noqa: E402

SIZES = (10_000, 50_000, 100_000, 300_000, 640_000)
TOML_SIZES = (10_000, 50_000, 100_000)


def json_text(keys: int) -> str:
    """A JSON document with ``keys`` unknown keys."""
    body = ", ".join(f'"k{i:07d}x": 1' for i in range(keys))
    return '{"id": "p", "name": "x", ' + body + "}"


def toml_text(keys: int) -> str:
    """A TOML document with ``keys`` unknown keys."""
    return 'id = "p"\nname = "x"\n' + "".join(f"k{i:07d}x = 1\n" for i in range(keys))


def timed(call: object, repeat: int) -> float:
    """The median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refuse(text: str, fmt: str) -> None:
    """Load ``text``, expecting the DocumentError of its unknown keys."""
    try:
        samskaping.loads(text, fmt)  # type: ignore[arg-type]
    except samskaping.DocumentError as error:
        if len(error.problems) != 201:
            raise AssertionError(f"{len(error.problems)} problems listed") from None
        return
    raise AssertionError("the document loaded")


def main() -> None:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    refuse(json_text(300), "json")  # warm up: build the converters once
    rows = []
    for keys in SIZES:
        text = json_text(keys)
        base = timed(lambda t=text: json.loads(t), args.repeat)
        ours = timed(lambda t=text: refuse(t, "json"), args.repeat)
        row = {
            "keys": keys,
            "mib": round(len(text.encode()) / 2**20, 2),
            "json_loads_s": round(base, 3),
            "samskaping_json_s": round(ours, 3),
            "ratio": round(ours / base, 2),
            "us_per_key": round(ours / keys * 1e6, 2),
        }
        if keys in TOML_SIZES:
            toml = toml_text(keys)
            row["tomllib_s"] = round(timed(lambda t=toml: tomllib.loads(t), args.repeat), 3)
            row["samskaping_toml_s"] = round(
                timed(lambda t=toml: refuse(t, "toml"), args.repeat), 3
            )
        rows.append(row)
    if args.json:
        print(json.dumps({"python": platform.python_version(), "rows": rows}, indent=2))
        return
    print(f"Python {platform.python_version()}, median of {args.repeat}")
    print(
        f"{'keys':>8} {'MiB':>6} {'json.loads':>11} {'loads':>8} {'ratio':>6} {'µs/key':>7}"
        f" {'tomllib':>8} {'loads toml':>10}"
    )
    for r in rows:
        print(
            f"{r['keys']:>8} {r['mib']:>6} {r['json_loads_s']:>11} {r['samskaping_json_s']:>8} "
            f"{r['ratio']:>6} {r['us_per_key']:>7} {r.get('tomllib_s', ''):>8} "
            f"{r.get('samskaping_toml_s', ''):>10}"
        )


if __name__ == "__main__":
    main()
