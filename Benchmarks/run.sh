#!/usr/bin/env bash
# make bench: one line per figure (what, records, seconds, records/s, peak RSS). Medians of 3 runs (5 for the speed-up).
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

# measure PIPELINE JOBS [INPUT [EXTENSION]]: one run (input $DATA and CSV files unless given); prints
# "wall peak-RSS-KiB CPU-s" and leaves its report in out/bench/last-report.json.
measure() {
  local input=${3:-$DATA} ext=${4:-csv}
  # Each run writes fresh files: replacing the previous run's 420 MB output makes the rename wait
  # about 0.1 s for ext4 to free (and, mounted with discard, trim) the old blocks.
  rm -f "out/bench/out.$ext" "out/bench/rejects.$ext"
  local t w m u s
  t=$( { /usr/bin/time -f "%e %M %U %S" "$BIN" run "$1" --input "$input" --output "out/bench/out.$ext" \
          --rejects "out/bench/rejects.$ext" --report out/bench/last-report.json --jobs "$2" --quiet; } 2>&1 | tail -1)
  read -r w m u s <<< "$t"
  echo "$w $m $(python3 -c "print($u + $s)")"
}

# print_line LABEL JOBS "WALLS" "RSSS" "CPUS": one line of medians.
# CPU seconds (user + sys) are printed too: on a shared machine they hold steadier than wall time.
print_line() {
  local wall rss cpu rows
  wall=$(printf '%s\n' $3 | median)
  rss=$(printf '%s\n' $4 | median)
  cpu=$(printf '%s\n' $5 | median)
  rows=$(python3 -c "import json; print(json.load(open('out/bench/last-report.json'))['rows_in'])")
  printf '%-44s %9d records %7.2f s %11.0f records/s  %6.2f CPU-s  peak RSS %5d MiB\n' \
    "$1 (jobs=$2)" "$rows" "$wall" "$(python3 -c "print($rows / $wall)")" "$cpu" "$((rss / 1024))"
}

# run_pipeline LABEL PIPELINE JOBS [INPUT [EXTENSION]]: RUNS runs, one line.
run_pipeline() {
  local walls="" rsss="" cpus="" w m c
  for _ in $(seq "$RUNS"); do
    read -r w m c <<< "$(measure "$2" "$3" "${4:-}" "${5:-}")"
    walls+=" $w"; rsss+=" $m"; cpus+=" $c"
  done
  print_line "$1" "$3" "$walls" "$rsss" "$cpus"
}

echo "== spine: $ROWS generated leads, $(nproc) cores, median of $RUNS runs =="
run_pipeline "read → write (no stage)" Benchmarks/read-write.yml 2
# The speed-up from 1 to 2 jobs alternates the two, so that a slow spell of the machine falls on both.
PAIRS=${BENCH_SPEEDUP_PAIRS:-5}
walls1="" rsss1="" cpus1="" walls2="" rsss2="" cpus2=""
for _ in $(seq "$PAIRS"); do
  read -r w m c <<< "$(measure Benchmarks/read-normalize-write.yml 1)"
  walls1+=" $w"; rsss1+=" $m"; cpus1+=" $c"
  read -r w m c <<< "$(measure Benchmarks/read-normalize-write.yml 2)"
  walls2+=" $w"; rsss2+=" $m"; cpus2+=" $c"
done
echo "   (read → normalize → write: median of $PAIRS runs at each, alternating)"
print_line "read → normalize → write" 1 "$walls1" "$rsss1" "$cpus1"
print_line "read → normalize → write" 2 "$walls2" "$rsss2" "$cpus2"
echo "$walls1" > out/bench/walls-1
echo "$walls2" > out/bench/walls-2
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
import statistics
one = [float(w) for w in open("out/bench/walls-1").read().split()]
two = [float(w) for w in open("out/bench/walls-2").read().split()]
pairs = " ".join(f"{a / b:.2f}" for a, b in zip(one, two))
print(f"  speed-up 1 → 2 jobs: {statistics.median(one) / statistics.median(two):.2f}x (medians; run by run: {pairs})")
PY
# The same leads as JSONL (written by leadhygiene itself, so the rows are the ones it accepted from the CSV).
JSONL=out/bench/leads-$ROWS.jsonl
if [ ! -s "$JSONL" ]; then
  "$BIN" run Benchmarks/read-write.yml --input "$DATA" --output "$JSONL" --rejects out/bench/jsonl-rejects.csv \
    --report out/bench/jsonl-report.json --quiet
fi
run_pipeline "read → normalize → write, JSONL" Benchmarks/read-normalize-write.yml 2 "$JSONL" jsonl
rm -f out/bench/out.jsonl
# Exports as people receive them: the same leads in Windows-1252 (transcoded block by block as read) and with
# CR-only record ends (classic Mac Excel), beside the UTF-8 LF line above.
CP1252=out/bench/leads-$ROWS.cp1252.csv
if [ ! -s "$CP1252" ]; then
  python3 -c "import sys; open(sys.argv[2], 'wb').write(open(sys.argv[1], encoding='utf-8').read().encode('cp1252', 'replace'))" "$DATA" "$CP1252"
fi
run_pipeline "read → write, Windows-1252 input" Benchmarks/read-write.yml 2 "$CP1252"
CRONLY=out/bench/leads-$ROWS.cr.csv
if [ ! -s "$CRONLY" ]; then
  python3 -c "import sys; open(sys.argv[2], 'wb').write(open(sys.argv[1], 'rb').read().replace(b'\\n', b'\\r'))" "$DATA" "$CRONLY"
fi
run_pipeline "read → write, CR line ends" Benchmarks/read-write.yml 2 "$CRONLY"
rm -f out/bench/out.csv
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
