#!/usr/bin/env python3
"""`make spark-test`: a generated lead list run by one `leadhygiene run` and by scripts/leadhygiene_spark.py on
Spark local[N], with the same pipeline and reference time; the clean rows, the rejects with their reasons and
lines, and the accounting must be the same, byte for byte where they are files.

    python3 Tests/Spark/compare_runs.py --binary B --lead-sample G --spark-submit S [--rows N] [--master local[2]]

Prints one line per figure (what, rows, seconds, rows/s) and exits 1 on the first difference it finds.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOW = "2026-12-01T00:00:00Z"


def timed(what, rows, command, **kwargs):
    started = time.monotonic()
    result = subprocess.run(command, **kwargs)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"FAILED {what}: exit {result.returncode}: {' '.join(command)}")
    print(f"{what}: {rows} rows, {seconds:.1f} s, {rows / seconds:,.0f} rows/s", flush=True)
    return seconds


def differ(name, left, right):
    """Names the first line where two files differ, or None when they are the same bytes."""
    with open(left, "rb") as a, open(right, "rb") as b:
        if a.read() == b.read():
            return None
    with open(left, encoding="utf-8", newline="") as a, open(right, encoding="utf-8", newline="") as b:
        for number, (x, y) in enumerate(zip(a, b), start=1):
            if x != y:
                return f"{name}: line {number} differs:\n  one machine: {x!r}\n  spark:       {y!r}"
    return f"{name}: one file is longer than the other"


def part_bodies(folder):
    """The part files' rows, in part order, without each part's header line."""
    text = ""
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8", newline="") as part:
            lines = part.read().split("\n", 1)
            text += lines[1] if len(lines) > 1 else ""
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--lead-sample", required=True)
    parser.add_argument("--spark-submit", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--pipeline", default=os.path.join(HERE, "per-record.yml"))
    parser.add_argument("--work", default=os.path.join(ROOT, "out", "spark-test"))
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    work = arguments.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    leads = os.path.join(work, f"leads-{arguments.rows}.csv")
    subprocess.run([arguments.lead_sample, "--rows", str(arguments.rows), "--seed", "7", "--output", leads,
                    "--truth", os.path.join(work, "truth.csv"), "--firmographics", os.path.join(work, "firmographics.csv")],
                   check=True, stdout=subprocess.DEVNULL)
    one = {kind: os.path.join(work, f"one-machine.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
    spark = {kind: os.path.join(work, f"spark.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
    rows = arguments.rows

    timed("one machine (leadhygiene run)", rows,
          [binary, "run", arguments.pipeline, "--input", leads, "--output", one["clean.csv"], "--rejects", one["rejects.csv"],
           "--report", one["report.json"], "--now", NOW, "--quiet"])
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(arguments.spark_submit), "python"))
    spark_command = [arguments.spark_submit, "--master", arguments.master, "--conf", "spark.ui.enabled=false",
                     os.path.join(ROOT, "scripts", "leadhygiene_spark.py"), arguments.pipeline, "--input", leads,
                     "--binary", binary, "--now", NOW]
    timed(f"spark {arguments.master} (leadhygiene_spark.py)", rows,
          spark_command + ["--output", spark["clean.csv"], "--rejects", spark["rejects.csv"], "--report", spark["report.json"]],
          env=environment, stderr=subprocess.DEVNULL)
    timed(f"spark {arguments.master} (leadhygiene_spark.py --parts)", rows,
          spark_command + ["--parts", "--output", os.path.join(work, "spark-parts.clean"),
                           "--rejects", os.path.join(work, "spark-parts.rejects")],
          env=environment, stderr=subprocess.DEVNULL)

    problems = [p for p in (differ("clean rows", one["clean.csv"], spark["clean.csv"]),
                            differ("rejects", one["rejects.csv"], spark["rejects.csv"])) if p]
    with open(one["clean.csv"], encoding="utf-8", newline="") as clean:
        body = clean.read().split("\n", 1)[1]
    if part_bodies(os.path.join(work, "spark-parts.clean")) != body:
        problems.append("clean rows: the --parts files, put together in part order, are not the one-machine rows")
    with open(one["report.json"], encoding="utf-8") as a, open(spark["report.json"], encoding="utf-8") as b:
        single, merged = json.load(a), json.load(b)
    for key in ("rows_in", "rows_out", "rows_rejected", "rows_merged", "reject_reasons"):
        if single.get(key) != merged.get(key):
            problems.append(f"report {key}: one machine {single.get(key)!r}, spark {merged.get(key)!r}")
    if not merged.get("accounting", {}).get("holds"):
        problems.append("the spark report's accounting identity does not hold")
    single_stages = [(s.get("name"), s.get("rows_in"), s.get("rows_out"), s.get("rows_rejected")) for s in single.get("stages", [])]
    merged_stages = [(s.get("name"), s.get("rows_in"), s.get("rows_out"), s.get("rows_rejected")) for s in merged.get("stages", [])]
    if single_stages != merged_stages:
        problems.append(f"stage counts: one machine {single_stages}, spark {merged_stages}")
    if problems:
        print("FAILED the spark run differs from the one-machine run:\n" + "\n".join(problems))
        return 1
    print(f"PASSED {rows} rows: the same clean rows and rejects (byte for byte), the same reasons "
          f"{merged['reject_reasons']} and accounting: rows_in {merged['rows_in']} = rows_out {merged['rows_out']} "
          f"+ rows_rejected {merged['rows_rejected']} + rows_merged {merged['rows_merged']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
