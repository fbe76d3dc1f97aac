#!/bin/bash
# Runs every export written by make_exports.py through the built binary with the per-record stages and
# prints, per file: exit status, rows_in/out/rejected/merged, whether they add up, and the reject reasons.
#   Tests/Fixtures/outside/run_exports.sh BINARY EXPORTS_DIR RESULTS_DIR
BIN=$1; IN=$2; OUT=$3
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
mkdir -p "$OUT"
for f in "$IN"/*; do
  name=$(basename "$f")
  d="$OUT/$name.d"; mkdir -p "$d"
  cat > "$d/p.yml" <<YML
input: { path: $f }
output: { path: $d/clean.csv, rejects: $d/rejects.csv, report: $d/report.json, html_report: $d/report.html }
stages:
  - normalize: {}
  - email_check: { dns: { enabled: false }, actions: { invalid: reject, risky: flag, unknown: keep } }
  - firmographic_merge:
      sources:
        - { name: sample_firmographics, path: $ROOT/SampleData/firmographics.csv, as_of: 2026-10-01 }
  - compliance:
      policy: $ROOT/SampleData/contact-policy.example.yml
      do_not_contact: [$ROOT/SampleData/do-not-contact.example.csv]
YML
  "$BIN" run "$d/p.yml" --quiet --now 2026-11-30T00:00:00Z > "$d/stdout" 2> "$d/stderr"; rc=$?
  python3 - "$d" "$rc" "$name" <<'PY'
import json, sys, os
d, rc, name = sys.argv[1:]
try:
    r = json.load(open(os.path.join(d, "report.json")))
except Exception as e:
    print(f"{name:34} rc={rc} no report: {open(os.path.join(d,'stderr')).read().strip()[:300]}")
    sys.exit()
i, o, rj, m = (r.get(k, 0) for k in ("rows_in", "rows_out", "rows_rejected", "rows_merged"))
ok = "ok" if i == o + rj + m else "MISMATCH"
print(f"{name:34} rc={rc} in={i} out={o} rej={rj} merged={m} {ok} reasons={r.get('reject_reasons')}")
PY
done
