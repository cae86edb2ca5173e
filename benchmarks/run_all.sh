#!/usr/bin/env bash
# Run every payout benchmark side by side and print a summary (issue 3, "Speed").
#
#   bash benchmarks/run_all.sh            # full sizes (about 10 minutes on 2 cores)
#   bash benchmarks/run_all.sh --quick    # smaller sizes, a smoke test (about a minute)
#
# Creates three venvs under benchmarks/.venvs/ (git-ignored), each with its own engine:
#   samskaping  this checkout, pip install -e ".[numpy]"
#   engines     rule-engine, zen-engine, panzi-json-logic (not samskaping dependencies)
#   openfisca   openfisca-core
# Set PYTHON to choose the interpreter the venvs are made from (default: python3).
# Set BENCH_RESULTS to a folder to keep the summaries (default: a new temporary folder).
# Any failure stops the run with a non-zero exit code.
set -Eeuo pipefail

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run_all.sh: unknown argument: $arg" >&2; exit 64 ;;
  esac
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENVS="$HERE/.venvs"
PYTHON="${PYTHON:-python3}"
RESULTS="${BENCH_RESULTS:-$(mktemp -d -t samskaping-bench.XXXXXX)}"
mkdir -p "$RESULTS"
START=$(date +%s)

fail() { echo "run_all.sh: FAILED: $*" >&2; exit 1; }
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

make_venv() {  # name, then the pip install arguments
  local name="$1"; shift
  local venv="$VENVS/$name"
  if [[ ! -x "$venv/bin/python" ]]; then
    echo "== creating venv $name"
    "$PYTHON" -m venv "$venv"
  fi
  echo "== installing into $name: $*"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
    || fail "pip install into $name: $*"
}

cd "$ROOT"
make_venv samskaping -e "$ROOT[numpy,dask]"
make_venv engines rule-engine zen-engine panzi-json-logic
make_venv openfisca openfisca-core pandas pyarrow

SAMSKAPING_PY="$VENVS/samskaping/bin/python"
ENGINES_PY="$VENVS/engines/bin/python"
OPENFISCA_PY="$VENVS/openfisca/bin/python"
"$SAMSKAPING_PY" -c "import samskaping.payouts, numpy" || fail "samskaping venv cannot import samskaping"

if [[ $QUICK == 1 ]]; then
  RECORDS=20000; REPEAT=3; SLOW_REPEAT=1; POP_FLAGS=(--quick)
else
  RECORDS=100000; REPEAT=5; SLOW_REPEAT=3; POP_FLAGS=()
fi

echo
echo "== decision workload (benchmarks/bench_decisions.py)"
DECISION_FLAGS=()
if [[ $QUICK == 1 ]]; then DECISION_FLAGS=(--requests 20000); fi
"$SAMSKAPING_PY" "$HERE/bench_decisions.py" "${DECISION_FLAGS[@]}" | tee "$RESULTS/decisions.txt"

echo
echo "== cross-engine workload (benchmarks/bench_engines.py)"
"$SAMSKAPING_PY" "$HERE/bench_engines.py" all \
  --samskaping-python "$SAMSKAPING_PY" --engines-python "$ENGINES_PY" \
  --records "$RECORDS" --repeat "$REPEAT" --slow-repeat "$SLOW_REPEAT" \
  --summary "$RESULTS/engines.txt"

echo
echo "== population workload (benchmarks/bench_population.py)"
"$SAMSKAPING_PY" "$HERE/bench_population.py" all \
  --samskaping-python "$SAMSKAPING_PY" --openfisca-python "$OPENFISCA_PY" \
  "${POP_FLAGS[@]}" --summary "$RESULTS/population.txt"

# --- scale workload (issue 12): sweeps on Dask against OpenFisca reforms, Parquet -------
echo
echo "== scale workload (benchmarks/bench_scale.py)"
if [[ $QUICK == 1 ]]; then
  SCALE_FLAGS=(--size 100000 --repeat 1 --openfisca-scenarios 5 --parquet-sizes 100000 300000)
else
  SCALE_FLAGS=(--size 1000000 --repeat 2 --openfisca-scenarios 10)
fi
"$SAMSKAPING_PY" "$HERE/bench_scale.py" all --openfisca-python "$OPENFISCA_PY" \
  "${SCALE_FLAGS[@]}" --summary "$RESULTS/scale.txt"
# --- end of the scale workload -------------------------------------------------------

ELAPSED=$(( $(date +%s) - START ))
echo
echo "================================ SUMMARY ================================"
echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$( [[ $QUICK == 1 ]] && echo '(--quick sizes)' )"
for part in decisions engines population scale; do
  echo
  cat "$RESULTS/$part.txt"
done
echo
echo "total wall time: ${ELAPSED}s; summaries kept in $RESULTS"
