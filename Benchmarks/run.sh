#!/usr/bin/env bash
# make bench: one line per figure (what, records, seconds, records/s, peak RSS). Medians of 3 runs (5 for the speed-up).
# Speed is measured here, never asserted in tests. Needs a release build (make bench does it).
set -euo pipefail
cd "$(dirname "$0")/.."
# BENCH_BIN: another build's binary (its folder gives lead-sample and the benchmarks too).
BIN=${BENCH_BIN:-.build/release/leadhygiene}
BIN_DIR=$(dirname "$BIN")
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-3}
mkdir -p out/bench
DATA=out/bench/leads-$ROWS.csv
if [ ! -s "$DATA" ]; then
  echo "generating $ROWS leads (seed 7) into $DATA"
  "$BIN_DIR/lead-sample" --rows "$ROWS" --seed 7 --output "$DATA" --truth "out/bench/leads-$ROWS.truth.csv" \
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

# BENCH_ONLY=store: only the run store section (two weekly runs through the CLI), for work on the store.
# BENCH_ONLY=duckdb: only the alternated DuckDB / plain copy / normalize section, for work on normalize.
if [ "${BENCH_ONLY:-}" != store ]; then
echo "== spine: $ROWS generated leads, $(nproc) cores, median of $RUNS runs =="
if [ "${BENCH_ONLY:-}" != duckdb ]; then
run_pipeline "read → write (no stage)" Benchmarks/read-write.yml 2
fi

# The peer on the I/O path: DuckDB copying the same file with the e-mail lower-cased and trimmed, two threads
# (DuckDB from PyPI in out/bench-venv, made by make bench). Alternated with our plain copy and our normalize run,
# so that the ratios come from one spell of the machine.
DUCKDB_PY=out/bench-venv/bin/python
if [ -x "$DUCKDB_PY" ]; then
  duckdb_copy() {
    rm -f out/bench/duckdb.csv
    local t w m u s
    t=$( { /usr/bin/time -f "%e %M %U %S" "$DUCKDB_PY" - "$DATA" out/bench/duckdb.csv <<'PY'
import sys, duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute(f"""COPY (SELECT * REPLACE (lower(trim("Email")) AS "Email")
                 FROM read_csv('{sys.argv[1]}', all_varchar = true, header = true, ignore_errors = true))
                TO '{sys.argv[2]}' (HEADER)""")
PY
} 2>&1 | tail -1)
    read -r w m u s <<< "$t"
    echo "$w $m $(python3 -c "print($u + $s)")"
  }
  dw="" dm="" dc="" pw="" pm="" pc="" nw="" nm="" nc=""
  for _ in $(seq "$RUNS"); do
    read -r w m c <<< "$(duckdb_copy)"; dw+=" $w"; dm+=" $m"; dc+=" $c"
    read -r w m c <<< "$(measure Benchmarks/read-write.yml 2)"; pw+=" $w"; pm+=" $m"; pc+=" $c"
    read -r w m c <<< "$(measure Benchmarks/read-normalize-write.yml 2)"; nw+=" $w"; nm+=" $m"; nc+=" $c"
  done
  d=$(printf '%s\n' $dw | median); p=$(printf '%s\n' $pw | median); n=$(printf '%s\n' $nw | median)
  printf '%-44s %9d records %7.2f s  %6.2f CPU-s  peak RSS %5d MiB\n' "DuckDB COPY, e-mail lower(trim()) (2 threads)" "$ROWS" "$d" \
    "$(printf '%s\n' $dc | median)" "$(( $(printf '%s\n' $dm | median) / 1024 ))"
  printf '  alternated, median of %d: plain copy %.2f s = %.2fx DuckDB (target ≤ 0.8x); normalize %.2f s = %.2fx DuckDB (target ≤ 1.5x)\n' \
    "$RUNS" "$p" "$(python3 -c "print($p / $d)")" "$n" "$(python3 -c "print($n / $d)")"
  rm -f out/bench/duckdb.csv
else
  echo "DuckDB COPY: skipped (make bench installs DuckDB into out/bench-venv)"
fi
if [ "${BENCH_ONLY:-}" = duckdb ]; then exit 0; fi
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
# The same leads as an .xlsx workbook laid out as Excel saves one (every text a shared string, dates as serial
# numbers), written once by Benchmarks/csv_to_xlsx.py from the rows leadhygiene accepts from the CSV (the
# generated CSV has hostile rows on purpose); the peer is the CSV read → write line above.
XLSX=out/bench/leads-$ROWS.xlsx
ACCEPTED=out/bench/leads-$ROWS.accepted.csv
if ! command -v python3 >/dev/null 2>&1; then
  echo "read → write, xlsx: skipped (python3 writes the workbook; make deps installs it)"
else
  if [ ! -s "$XLSX" ]; then
    "$BIN" run Benchmarks/read-write.yml --input "$DATA" --output "$ACCEPTED" --rejects out/bench/accepted-rejects.csv \
      --report out/bench/accepted-report.json --quiet
    echo "writing $ACCEPTED as $XLSX"
    python3 Benchmarks/csv_to_xlsx.py "$ACCEPTED" "$XLSX"
  fi
  run_pipeline "read → write, xlsx (shared strings)" Benchmarks/read-write.yml 2 "$XLSX" csv
  # Not a timing: whether the workbook gave back the CSV it was written from.
  python3 - "$ACCEPTED" <<'PY'
import sys
source = open(sys.argv[1], encoding="utf-8").read().splitlines()
read_back = open("out/bench/out.csv", encoding="utf-8").read().splitlines()
differing = sum(a != b for a, b in zip(source, read_back)) + abs(len(source) - len(read_back))
print(f"  xlsx read back: {len(read_back) - 1} records of {len(source) - 1} written, {differing} lines differ from the CSV")
PY
  rm -f out/bench/out.csv
fi
# BENCH_SPINE_ONLY=1 stops here, for the spine figures alone.
if [ "${BENCH_SPINE_ONLY:-0}" = 1 ]; then exit 0; fi

# Stage benchmarks (release executables built by make bench).
bench() { echo "== $1 =="; shift; "$@" || echo "failed with status $?"; }
bench "email_check: syntax checks/s, offline checks/s, DNS verdicts/s against a local dnsmasq" "$BIN_DIR/EmailCheckBench"
bench "scrape: pages/s against a local server adding 50 ms per response, 1,000 sites" "$BIN_DIR/ScrapeBench"
# dedupe is measured on two generators written independently (lead-sample, which it was developed on, and
# contact-list) and on FEBRL, with the same defaults everywhere: no setting is tuned per data set.
bench "dedupe: FEBRL 1-3 (unsupervised)" "$BIN_DIR/DedupeBench" febrl ../shared/data/febrl
bench "dedupe: lead-sample leads with true entities" "$BIN_DIR/DedupeBench" leads --rows "100000,$ROWS" --cache-dir out/bench
bench "dedupe: contact-list contacts with true persons (independent generator)" "$BIN_DIR/DedupeBench" contacts --rows "100000,$ROWS" --cache-dir out/bench
echo "== dedupe through the CLI: the whole process, input held for the whole-list stage =="
run_pipeline "read → dedupe → write" Benchmarks/read-dedupe-write.yml 2
CONTACTS=out/bench/contacts-$ROWS.csv
if [ ! -s "$CONTACTS" ]; then
  echo "generating $ROWS contacts (seed 7) into $CONTACTS"
  "$BIN_DIR/contact-list" --rows "$ROWS" --seed 7 --output "$CONTACTS" --truth "out/bench/contacts-$ROWS.truth.csv"
fi
# dedupe_figures TRUTH: the last run's dedupe stage seconds (from its report) and pairwise P/R/F1 of its entity_id.
dedupe_figures() {
  python3 - "$1" <<'PY'
import csv, json, sys
from collections import Counter
r = json.load(open("out/bench/last-report.json"))
stage = next(s for s in r["stages"] if s["name"] == "dedupe")
normalize = next((s for s in r["stages"] if s["name"] == "normalize"), None)
truth = {row[0]: row[1] for row in csv.reader(open(sys.argv[1])) if row}
rows = csv.reader(open("out/bench/out.csv", newline=""))
header = next(rows)
entity = header.index("entity_id")
cells, predicted, actual = Counter(), Counter(), Counter()
for row in rows:
    t = truth.get(row[0])
    if t is None:
        continue
    cells[(row[entity], t)] += 1; predicted[row[entity]] += 1; actual[t] += 1
pairs = lambda c: sum(n * (n - 1) // 2 for n in c.values())
tp, pp, ap = pairs(cells), pairs(predicted), pairs(actual)
p, rc = tp / max(pp, 1), tp / max(ap, 1)
f1 = 2 * p * rc / max(p + rc, 1e-12)
extra = f", normalize {normalize['seconds']:.2f} worker-s" if normalize else ""
print(f"  stage dedupe {stage['seconds']:.2f} s{extra}; precision {p:.4f} recall {rc:.4f} F1 {f1:.4f}; em_status {stage['summary'].get('em_status')}")
PY
}
run_pipeline "leads: read → normalize → dedupe → write" Benchmarks/read-normalize-dedupe-write.yml 2
dedupe_figures "out/bench/leads-$ROWS.truth.csv"
run_pipeline "contacts: read → normalize → dedupe → write" Benchmarks/contacts-normalize-dedupe-write.yml 2 "$CONTACTS"
dedupe_figures "out/bench/contacts-$ROWS.truth.csv"
bench "firmographic_merge, decay and the run store" "$BIN_DIR/MergeDecayBench" --rows "$ROWS" --reference-rows 100000 --jobs 2
bench "score and route" "$BIN_DIR/ScoreRouteBench" --rows "$ROWS" --jobs 2

fi

# The run store over two weekly runs of the weekly pipeline (Benchmarks/weekly-store.yml, keep_runs 2): week 2 is
# week 1 a week later with a few leads gone or changed (Benchmarks/next_week.py). Unchanged leads share their
# stored snapshot, so week 2 adds a row of a few integers per lead, plus the changed leads and enrichment values.
echo "== weekly pipeline and run store size: $ROWS leads, two weeks, keep_runs 2 (targets: week 1 ≤ 30 s and ≤ 1 GiB, week 2 ≤ 35 s) =="
STORE_DIR=out/bench/store-weeks
WEEK2=out/bench/leads-$ROWS.week2.csv
[ -s "$WEEK2" ] || python3 Benchmarks/next_week.py "$DATA" "$WEEK2"
rm -rf "$STORE_DIR" && mkdir -p "$STORE_DIR"
STORE_BYTES=()
store_week() { # LABEL INPUT NOW
  local t w m u s bytes
  t=$( { BENCH_FIRMOGRAPHICS="$PWD/out/bench/firmographics-$ROWS.csv" /usr/bin/time -f "%e %M %U %S" "$BIN" run Benchmarks/weekly-store.yml \
          --input "$2" --now "$3" --jobs 2 --quiet; } 2>&1 | tail -1)
  read -r w m u s <<< "$t"
  bytes=$(cat "$STORE_DIR"/store.sqlite* | wc -c)
  STORE_BYTES+=("$bytes")
  printf '%-44s %9d records %7.2f s  %6.2f CPU-s  peak RSS %5d MiB  store %7.1f MB\n' "$1" \
    "$(python3 -c "import json; print(json.load(open('$STORE_DIR/report.json'))['rows_in'])")" "$w" \
    "$(python3 -c "print($u + $s)")" "$((m / 1024))" "$(python3 -c "print($bytes / 1e6)")"
  # Where the time went: each stage's seconds (CPU summed over workers for streaming stages, wall for
  # whole-list ones: the report's seconds_measure), parse and render.
  python3 - "$STORE_DIR/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
parts = [f"{s['name']} {s['seconds']:.1f}" for s in r["stages"]]
t = r["timing"]
print(f"  seconds: {', '.join(parts)}; parse {t['parse_seconds']:.1f}, render {t['render_seconds']:.1f}")
PY
  # decay's store path: reading last week's snapshots, staging this week's and the runner's commit (in
  # store_write_seconds).
  python3 - "$STORE_DIR/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
d = next(s for s in r["stages"] if s["name"] == "decay")["summary"]["run_over_run"]
read, write = d.get("store_read_seconds", 0), d["store_write_seconds"]
print(f"  decay store path: read last run {read:.2f} s, stage + commit this run {write:.2f} s, total {read + write:.2f} s")
PY
}
store_week "store size after week 1" "$DATA" 2026-11-23T00:00:00Z
store_week "store size after week 2 (keep_runs 2)" "$WEEK2" 2026-11-30T00:00:00Z
printf '%-44s %9s %25s store %+7.1f MB\n' "store growth week 1 → week 2" "" "" \
  "$(python3 -c "print((${STORE_BYTES[1]} - ${STORE_BYTES[0]}) / 1e6)")"
"$BIN" store stats "$STORE_DIR/store.sqlite" | sed 's/^/  /'
# Where the bytes are: pages per table and index (SQLite's dbstat), when the sqlite3 shell is installed.
if command -v sqlite3 >/dev/null 2>&1; then
  sqlite3 "$STORE_DIR/store.sqlite" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name HAVING sum(pgsize) > 100000 ORDER BY 2 DESC" \
    | awk -F'|' '{ printf "  %-32s %7.1f MB\n", $1, $2 / 1e6 }'
fi
