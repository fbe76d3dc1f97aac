#!/usr/bin/env bash
# make bench: one line per figure (what, records, seconds, records/s, peak RSS). Medians of 3 runs.
# Speed is measured here, never asserted in tests. Needs a release build (make bench does it).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/leadhygiene
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-3}
mkdir -p out/bench
DATA=out/bench/leads-$ROWS.csv
if [ ! -s "$DATA" ]; then
  echo "generating $ROWS leads (seed 7) into $DATA"
  .build/release/lead-sample --rows "$ROWS" --seed 7 --output "$DATA" --truth "out/bench/leads-$ROWS.truth.csv" \
    --firmographics "out/bench/firmographics-$ROWS.csv"
fi

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# run_pipeline LABEL PIPELINE JOBS: prints one line and leaves the last report in out/bench/last-report.json.
# CPU seconds (user + sys) are printed too: on a shared machine they hold steady when wall time does not.
run_pipeline() {
  local label=$1 pipeline=$2 jobs=$3 walls=() rsss=() cpus=()
  for _ in $(seq "$RUNS"); do
    local t
    # Each run writes fresh files: replacing the previous run's 420 MB output makes the rename wait
    # about 0.1 s for ext4 to free (and, mounted with discard, trim) the old blocks.
    rm -f out/bench/out.csv out/bench/rejects.csv
    t=$( { /usr/bin/time -f "%e %M %U %S" "$BIN" run "$pipeline" --input "$DATA" --output out/bench/out.csv \
            --rejects out/bench/rejects.csv --report out/bench/last-report.json --jobs "$jobs" --quiet; } 2>&1 | tail -1)
    read -r w m u s <<< "$t"
    walls+=("$w"); rsss+=("$m"); cpus+=("$(python3 -c "print($u + $s)")")
  done
  local wall rss cpu rows
  wall=$(printf '%s\n' "${walls[@]}" | median)
  rss=$(printf '%s\n' "${rsss[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  rows=$(python3 -c "import json; print(json.load(open('out/bench/last-report.json'))['rows_in'])")
  printf '%-44s %9d records %7.2f s %11.0f records/s  %6.2f CPU-s  peak RSS %5d MiB\n' \
    "$label (jobs=$jobs)" "$rows" "$wall" "$(python3 -c "print($rows / $wall)")" "$cpu" "$((rss / 1024))"
  echo "$wall" > "out/bench/wall-$jobs"
}

echo "== spine: $ROWS generated leads, $(nproc) cores, median of $RUNS runs =="
run_pipeline "read → write (no stage)" Benchmarks/read-write.yml 2
for jobs in 1 2; do
  run_pipeline "read → normalize → write" Benchmarks/read-normalize-write.yml "$jobs"
done
# The per-stage, parse and render figures are the workers' elapsed seconds summed over chunks (the report's
# `seconds`): CPU time on a quiet machine, more when the workers wait for a core.
python3 - <<'PY'
import json
r = json.load(open("out/bench/last-report.json"))
t = r["timing"]
for s in r["stages"]:
    print(f"  stage {s['name']:<12} {s['rows_in']:9d} records {s['seconds']:7.2f} worker-s {s['rows_in'] / max(s['seconds'], 1e-9):11.0f} records/worker-s")
print(f"  parse (workers)    {r['rows_in']:9d} records {t['parse_seconds']:7.2f} worker-s {r['rows_in'] / max(t['parse_seconds'], 1e-9):11.0f} records/worker-s")
print(f"  render (workers)   {r['rows_in']:9d} records {t['render_seconds']:7.2f} worker-s {r['rows_in'] / max(t['render_seconds'], 1e-9):11.0f} records/worker-s")
one, two = float(open("out/bench/wall-1").read()), float(open("out/bench/wall-2").read())
print(f"  speed-up 1 → 2 jobs: {one / two:.2f}x")
PY
# BENCH_SPINE_ONLY=1 stops here, for the spine figures alone.
if [ "${BENCH_SPINE_ONLY:-0}" = 1 ]; then exit 0; fi

# Stage benchmarks (release executables built by make bench).
bench() { echo "== $1 =="; shift; "$@" || echo "failed with status $?"; }
bench "email_check: syntax checks/s, offline checks/s, DNS verdicts/s against a local dnsmasq" .build/release/EmailCheckBench
bench "scrape: pages/s against a local server adding 50 ms per response, 1,000 sites" .build/release/ScrapeBench
bench "dedupe: FEBRL 1-3 (unsupervised)" .build/release/DedupeBench febrl ../shared/data/febrl
bench "dedupe: generated leads with true entities" .build/release/DedupeBench leads --rows "100000,$ROWS" --cache-dir out/bench
echo "== dedupe through the CLI: the whole process, input held for the whole-list stage =="
run_pipeline "read → dedupe → write" Benchmarks/read-dedupe-write.yml 2
bench "firmographic_merge, decay and the run store" .build/release/MergeDecayBench --rows "$ROWS" --reference-rows 100000 --jobs 2
