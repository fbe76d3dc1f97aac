#!/usr/bin/env python3
"""Run a LeadHygiene pipeline on Apache Spark, driving the same `leadhygiene` binary as a one-machine run.

    spark-submit --master local[2] scripts/leadhygiene_spark.py PIPELINE.yml --input PATH --output PATH \
        [--rejects PATH] [--merged PATH] [--report PATH] [--binary PATH] [--parts] [--partitions N]

What runs where (docs/spark.md has the commands for a cluster):
- driver: `leadhygiene envelope encode` reads the input once, exactly as a one-machine run reads it (encoding,
  delimiter, header, the reader's own rejects), and writes it as JSONL envelope lines, each row numbered with
  its input line (`seq`), into --work-dir;
- executors: each partition of those lines goes through `leadhygiene run PIPELINE --envelope` (a subprocess,
  `mapPartitionsWithIndex`), which runs the pipeline's stages and writes each row, reject and merged row as
  an envelope line carrying the line the one-machine run would have written in its file;
- driver: the lines are put back in `seq` order (a sort by seq, or per part with --parts), written as the
  clean, rejects and merged files, and the partitions' reports are merged into one whose accounting
  identity (rows_in = rows_out + rows_rejected + rows_merged) is checked across partitions. The files are
  published together at the end (renamed into place), or not at all.

Only pipelines whose stages work row by row (normalize, email_check, firmographic_merge, score, compliance)
run here: a stage that needs every row at once (dedupe, decay, scrape, route) is refused before any work.

Executors need the binary and the pipeline's files. Ship the relocatable tarball that `make dist` builds
with `--archives out/leadhygiene-VERSION-linux-ARCH.tar.gz#lh` and pass
`--binary lh/leadhygiene-VERSION-linux-ARCH/bin/leadhygiene`; it needs the system's libcurl4, libxml2 and
libsqlite3-0 (Debian names) on every executor. The pipeline file and the files it names (firmographics,
contact policy, do-not-contact lists) must be readable at the same path everywhere (a shared file system),
or shipped with `--files` and named by relative paths.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

EXIT_RUN_FAILED = 1
EXIT_USAGE = 2


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="leadhygiene_spark.py",
        description="Run a LeadHygiene pipeline on Spark with the leadhygiene binary; "
        "the files are those a one-machine run writes.")
    parser.add_argument("pipeline", help="the pipeline file (YAML)")
    parser.add_argument("--input", required=True, help="the input file (CSV, TSV, JSONL or .xlsx, as the pipeline reads it)")
    parser.add_argument("--output", required=True, help="the clean file, or with --parts a folder of part files")
    parser.add_argument("--rejects", help="the rejects file (default: OUTPUT with .rejects before its extension)")
    parser.add_argument("--merged", help="the merged rows' file, when a stage merges rows")
    parser.add_argument("--report", help="the merged report (JSON)")
    parser.add_argument("--binary", default=os.environ.get("LEADHYGIENE_BINARY", "leadhygiene"),
                        help="the leadhygiene binary, as the driver and the executors find it (env LEADHYGIENE_BINARY)")
    parser.add_argument("--parts", action="store_true",
                        help="write --output (and --rejects) as folders of part files, each in input order, instead of one file")
    parser.add_argument("--partitions", type=int, default=0,
                        help="how many partitions the rows are cut into (default: Spark's default parallelism)")
    parser.add_argument("--task-jobs", type=int, default=1, help="threads each task's binary uses (run --jobs)")
    parser.add_argument("--now", help="the run's reference time (ISO 8601), the same for every partition (default: now)")
    parser.add_argument("--work-dir", help="where the encoded input is kept while the job runs; executors must "
                        "read it (a shared file system on a cluster); default: a temporary folder")
    return parser.parse_args(argv)


def sibling(path, kind):
    """`out/clean.csv` -> `out/clean.rejects.csv`, as the binary names rejects beside an output."""
    folder, name = os.path.split(path)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return path + "." + kind + ".csv"
    return os.path.join(folder, stem + "." + kind + "." + extension)


def run_partition(binary, pipeline, arguments, header):
    """The function each partition runs: its lines through `leadhygiene run --envelope`, out as (seq, kind, line)."""

    def run(index, lines):
        process = subprocess.Popen([binary, "run", pipeline, "--envelope"] + arguments,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        errors = []

        def feed():
            # A thread writes while this one reads: a partition bigger than the pipe's buffer would otherwise stall.
            try:
                process.stdin.write(header.encode("utf-8") + b"\n")
                for line in lines:
                    process.stdin.write(line.encode("utf-8") + b"\n")
                process.stdin.close()
            except BrokenPipeError:
                pass  # the binary stopped early; its exit status says why
            except Exception as error:  # noqa: BLE001 - handed to the reading thread, which raises it
                errors.append(error)

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        stderr = []
        drain = threading.Thread(target=lambda: stderr.append(process.stderr.read()), daemon=True)
        drain.start()
        for raw in process.stdout:
            line = raw.decode("utf-8").rstrip("\n")
            entry = json.loads(line)
            kind = entry["kind"]
            yield (entry.get("seq", -1), kind, entry if kind in ("header", "summary") else entry.get("text", ""))
        writer.join()
        status = process.wait()
        drain.join()
        if errors:
            raise errors[0]
        if status != 0:
            message = (stderr[0] if stderr else b"").decode("utf-8", "replace").strip()
            raise RuntimeError(f"partition {index}: leadhygiene run --envelope exited {status}: {message}")

    return run


def merge_reports(reports):
    """One report from the partitions': the counts summed, the accounting identity checked across partitions."""
    merged = {"partitions": len(reports)}
    for key in ("rows_in", "rows_out", "rows_rejected", "rows_merged"):
        merged[key] = sum(report.get(key, 0) for report in reports)
    identity = merged["rows_in"] == merged["rows_out"] + merged["rows_rejected"] + merged["rows_merged"]
    merged["accounting"] = {"holds": identity, "partitions_hold": all(r.get("accounting", {}).get("holds", False) for r in reports)}
    reasons = {}
    for report in reports:
        for reason, count in (report.get("reject_reasons") or {}).items():
            reasons[reason] = reasons.get(reason, 0) + count
    merged["reject_reasons"] = dict(sorted(reasons.items()))
    stages = []
    for report in reports:
        for position, stage in enumerate(report.get("stages") or []):
            if position == len(stages):
                stages.append({"name": stage.get("name")})
            stages[position] = sum_numbers(stages[position], stage)
    merged["stages"] = stages
    merged["status"] = "ok" if identity and all(r.get("status") == "ok" for r in reports) else "failed"
    return merged


def sum_numbers(total, part):
    """Adds `part`'s whole numbers into `total`, key by key and nested; other values are kept from the first part."""
    result = dict(total)
    for key, value in part.items():
        if isinstance(value, bool) or not isinstance(value, (int, dict)):
            result.setdefault(key, value)
        elif isinstance(value, int):
            result[key] = result.get(key, 0) + value if isinstance(result.get(key, 0), int) else value
        else:
            result[key] = sum_numbers(result.get(key) if isinstance(result.get(key), dict) else {}, value)
    return result


class Publication:
    """Files written beside their destinations and renamed into place together, or removed together."""

    def __init__(self):
        self.pending = []

    def path(self, destination):
        """Where `destination` is written until it is published: a hidden name in its folder."""
        destination = destination.rstrip("/")
        folder = os.path.dirname(os.path.abspath(destination))
        os.makedirs(folder, exist_ok=True)
        staged = os.path.join(folder, f".{os.path.basename(destination)}.spark-{os.getpid()}")
        self.pending.append((staged, destination))
        return staged

    def publish(self):
        for staged, destination in self.pending:
            if os.path.isdir(destination) and not os.path.islink(destination):
                shutil.rmtree(destination)
            os.replace(staged, destination)

    def discard(self):
        for staged, _ in self.pending:
            if os.path.isdir(staged):
                shutil.rmtree(staged, ignore_errors=True)
            elif os.path.exists(staged):
                os.remove(staged)


def write_in_order(rdd, kind, header, path, spark_partitions):
    """The `kind` lines, sorted by seq, after `header`, as one file; returns how many."""
    ordered = rdd.filter(lambda r: r[1] == kind).map(lambda r: (r[0], r[2])).sortByKey(numPartitions=spark_partitions)
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header)
        for _, text in ordered.toLocalIterator():
            out.write(text)
            count += 1
    return count


def write_parts(rdd, kind, header, folder, extension):
    """The `kind` lines as one part file per partition, each in seq order; returns how many lines."""
    os.makedirs(folder, exist_ok=True)

    def write(index, rows):
        texts = sorted((seq, text) for seq, k, text in rows if k == kind)
        with open(os.path.join(folder, f"part-{index:05d}{extension}"), "w", encoding="utf-8", newline="") as out:
            out.write(header)
            for _, text in texts:
                out.write(text)
        yield len(texts)

    return sum(rdd.mapPartitionsWithIndex(write).collect())


def main(argv):
    arguments = parse_arguments(argv)

    pipeline = os.path.abspath(arguments.pipeline)
    rejects = arguments.rejects or sibling(arguments.output, "rejects")
    now = arguments.now or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    work = arguments.work_dir or tempfile.mkdtemp(prefix="leadhygiene-spark-")
    os.makedirs(work, exist_ok=True)
    try:
        return run(arguments, pipeline, rejects, now, os.path.join(work, "input.envelope.jsonl"))
    finally:
        if not arguments.work_dir:
            shutil.rmtree(work, ignore_errors=True)


def run(arguments, pipeline, rejects, now, encoded):
    """Encodes the input, runs the partitions, publishes the files; returns the exit status."""
    from pyspark.sql import SparkSession


    # The driver reads the input once, as a one-machine run reads it.
    with open(encoded, "wb") as out:
        status = subprocess.run([arguments.binary, "envelope", "encode", pipeline, "--input", arguments.input],
                                stdout=out).returncode
    if status != 0:
        return status
    with open(encoded, encoding="utf-8") as lines:
        input_header = lines.readline().rstrip("\n")
    whole_list = json.loads(input_header).get("whole_list_stages", [])
    if whole_list:
        print(f"error: {arguments.pipeline}: these stages need every row at once: {', '.join(whole_list)}; "
              "this driver runs pipelines of per-record stages (normalize, email_check, firmographic_merge, score, compliance)",
              file=sys.stderr)
        return EXIT_USAGE

    spark = SparkSession.builder.appName(f"leadhygiene {os.path.basename(pipeline)}").getOrCreate()
    context = spark.sparkContext
    partitions = arguments.partitions or context.defaultParallelism
    # Each row's extension names the formats the partitions render their lines in: the files written here.
    # A folder of parts has no extension: its rows are then written in the input's format, as the binary does.
    run_arguments = ["--now", now, "--jobs", str(arguments.task_jobs), "--output", arguments.output.rstrip("/"),
                     "--rejects", rejects]
    lines = context.textFile("file://" + os.path.abspath(encoded) if "://" not in encoded else encoded, partitions)
    rows = lines.filter(lambda line: not line.startswith('{"kind":"input"'))
    processed = rows.mapPartitionsWithIndex(run_partition(arguments.binary, pipeline, run_arguments, input_header)).cache()

    special = processed.filter(lambda r: r[1] in ("header", "summary")).map(lambda r: (r[1], r[2])).collect()
    headers = [entry for kind, entry in special if kind == "header"]
    reports = [entry["report"] for kind, entry in special if kind == "summary"]
    if not headers or any(h != headers[0] for h in headers):
        print("error: the partitions disagree on their columns", file=sys.stderr)
        return EXIT_RUN_FAILED
    header = headers[0]

    publication = Publication()
    try:
        # JSONL has no header line; delimited text does.
        extension = ".csv" if header["output"] else ".jsonl"
        if arguments.parts:
            written_out = write_parts(processed, "row", header["output"], publication.path(arguments.output), extension)
            written_rejects = write_parts(processed, "reject", header["rejects"], publication.path(rejects),
                                          ".csv" if header["rejects"] else ".jsonl")
        else:
            written_out = write_in_order(processed, "row", header["output"], publication.path(arguments.output), partitions)
            written_rejects = write_in_order(processed, "reject", header["rejects"], publication.path(rejects), partitions)
        written_merged = 0
        if arguments.merged:
            written_merged = write_in_order(processed, "merged", header["merged"], publication.path(arguments.merged), partitions)
        report = merge_reports(reports)
        report.update({"pipeline_file": arguments.pipeline, "input": arguments.input, "output": arguments.output,
                       "rejects": rejects, "reference_time": now, "spark_master": context.master})
        written = (written_out, written_rejects)
        if written != (report["rows_out"], report["rows_rejected"]) or not report["accounting"]["holds"]:
            report["status"] = "failed"
            report["failure"] = (f"accounting identity broken across partitions: rows_in {report['rows_in']}, rows_out "
                                 f"{report['rows_out']} ({written_out} written), rows_rejected {report['rows_rejected']} "
                                 f"({written_rejects} written), rows_merged {report['rows_merged']} ({written_merged} written); "
                                 "no output was published")
        if arguments.report:
            with open(publication.path(arguments.report), "w", encoding="utf-8") as out:
                json.dump(report, out, indent=2)
                out.write("\n")
        if report["status"] != "ok":
            publication.discard()
            print(f"FAILED {report.get('failure', 'a partition failed')}", file=sys.stderr)
            return EXIT_RUN_FAILED
        publication.publish()
    except BaseException:
        publication.discard()
        raise
    finally:
        spark.stop()
    print(f"PASSED {os.path.basename(pipeline)} on {report['partitions']} partitions: rows_in {report['rows_in']} = rows_out "
          f"{report['rows_out']} + rows_rejected {report['rows_rejected']} + rows_merged {report['rows_merged']} ✓",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
