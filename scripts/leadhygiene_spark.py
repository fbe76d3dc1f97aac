#!/usr/bin/env python3
"""Run a LeadHygiene pipeline on Apache Spark, driving the same `leadhygiene` binary as a one-machine run.

    spark-submit --master local[2] scripts/leadhygiene_spark.py PIPELINE.yml --input PATH --output PATH \
        [--rejects PATH] [--merged PATH] [--report PATH] [--html-report PATH] [--binary PATH | --binary-archive TARBALL]
        [--parts] [--partitions N]

What runs where (docs/spark.md has the commands for a cluster):
- driver: `leadhygiene envelope encode` reads the input once, exactly as a one-machine run reads it (encoding,
  delimiter, header, the reader's own rejects), and writes it as JSONL envelope lines, each row numbered with
  its input line (`seq`), into --work-dir;
- executors: each partition of those lines goes through `leadhygiene run PIPELINE --envelope` (a subprocess,
  `mapPartitionsWithIndex`), which runs the pipeline's stages and writes each row, reject and merged row as
  an envelope line carrying the line the one-machine run would have written in its file;
- driver: the lines are put back in `seq` order (a sort by seq, or per part with --parts), written as the
  clean, rejects and merged files, and `leadhygiene report merge` makes the partitions' reports into the
  report.json (and HTML page) a one-machine run writes: the accounting identity (rows_in = rows_out +
  rows_rejected + rows_merged) checked across partitions and segments, the headline, fail_if evaluated. The
  files are published together at the end (renamed into place), or, as a one-machine run does, only the report
  (and the rejects, when a fail_if threshold was crossed).

Stages that work row by row (normalize, email_check, firmographic_merge, score, compliance) run in every
partition; dedupe runs over the partitions step by step (`leadhygiene dedupe …`, see distributed_dedupe and
docs/spark.md), unless --dedupe-single-task; scrape runs in every partition after a shuffle by the registrable
domain of each row's website (`leadhygiene envelope sites`), so one task owns a site, unless --scrape-single-task;
another stage that needs every row at once (decay, route) runs in one task that gets every row in input order. With a
run store, decay's task also gets the rows earlier segments set aside (rejected, merged), which those segments hand on
as `carried` lines (`run --envelope --carry`) without counting or writing them again, so decay sees every row as on
one machine.

Executors need the binary and the pipeline's files. `--binary-archive out/leadhygiene-VERSION-linux-ARCH.tar.gz`
ships the relocatable tarball that `make dist` builds through Spark's archives (SparkContext.addArchive): Spark
unpacks it beside every task, and the tasks (and the driver) run the binary inside it. Before any work one small
job runs `leadhygiene --version` on the executors and stops the run, naming the missing system libraries, when it
cannot run (SYSTEM_LIBRARIES lists what the binary needs). The pipeline file and the files it names
(firmographics, contact policy, do-not-contact lists) must be readable at the same path everywhere (a shared file
system), or shipped with `--files` and named by relative paths.
"""

import argparse
import datetime
import glob
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib

EXIT_RUN_FAILED = 1
EXIT_USAGE = 2

# The name of the store's copy the driver ships to the whole-list tasks (SparkFiles).
STORE_COPY = "leadhygiene-store.sqlite"
# The folder --binary-archive is unpacked into beside every task (the `#alias` of Spark's archives).
ARCHIVE_ALIAS = "leadhygiene-dist"
# What the relocatable binary needs from the system besides the C library (libc, libm, libresolv, the loader): the
# NEEDED entries of a `make dist` binary (`readelf -d`), each with the package that has it on Debian and Ubuntu, and
# on RHEL and Amazon Linux. docs/spark.md lists the same.
SYSTEM_LIBRARIES = {
    "libcurl.so.4": ("libcurl4", "libcurl"),
    "libxml2.so.2": ("libxml2", "libxml2"),
    "libsqlite3.so.0": ("libsqlite3-0", "sqlite-libs"),
    "libcrypto.so.3": ("libssl3", "openssl-libs"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libstdc++.so.6": ("libstdc++6", "libstdc++"),
    "libgcc_s.so.1": ("libgcc-s1", "libgcc"),
}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="leadhygiene_spark.py",
        description="Run a LeadHygiene pipeline on Spark with the leadhygiene binary; "
        "the files are those a one-machine run writes.")
    parser.add_argument("pipeline", help="the pipeline file (YAML)")
    parser.add_argument("--input", required=True, help="the input file (CSV, TSV, JSONL or .xlsx, as the pipeline reads it), or a "
                        "folder of part files read as one (part-00000.csv …, as Spark writes them)")
    parser.add_argument("--output", required=True, help="the clean file, or with --parts a folder of part files")
    parser.add_argument("--rejects", help="the rejects file (default: OUTPUT with .rejects before its extension)")
    parser.add_argument("--merged", help="the merged rows' file, when a stage merges rows")
    parser.add_argument("--report", help="the run's report (JSON), as a one-machine run writes it")
    parser.add_argument("--html-report", help="the report as one HTML page, as output.html_report holds it")
    parser.add_argument("--binary", default=os.environ.get("LEADHYGIENE_BINARY", "leadhygiene"),
                        help="the leadhygiene binary, as the driver and the executors find it (env LEADHYGIENE_BINARY)")
    parser.add_argument("--binary-archive",
                        help="the relocatable tarball `make dist` builds (leadhygiene-VERSION-linux-ARCH.tar.gz): Spark ships "
                        "it to every executor and unpacks it beside the tasks, which run the binary inside it; replaces --binary")
    parser.add_argument("--driver-binary",
                        help="the binary the driver runs (to read the input, fit dedupe's model, merge the reports), when it "
                        "is not where --binary says; default: --binary, or the one in --binary-archive")
    parser.add_argument("--parts", action="store_true",
                        help="write --output (and --rejects) as folders of part files, each in input order, instead of one file")
    parser.add_argument("--partitions", type=int, default=0,
                        help="how many partitions the rows are cut into (default: Spark's default parallelism)")
    parser.add_argument("--by-email-domain", action="store_true",
                        help="send all rows of one email domain to one task (a shuffle), so a domain is looked up once "
                        "(email_check with DNS, its canary and its per-domain limits); the files are the same either way")
    parser.add_argument("--task-jobs", type=int, default=1, help="threads each task's binary uses (run --jobs)")
    parser.add_argument("--dedupe-single-task", action="store_true",
                        help="run dedupe as one task over every row in input order (the way before it was spread over "
                        "partitions); the files are the same either way")
    parser.add_argument("--scrape-single-task", action="store_true",
                        help="run scrape as one task over every row in input order instead of one task per group of sites "
                        "(one libcurl scheduler and concurrency limit for the whole list)")
    parser.add_argument("--now", help="the run's reference time (ISO 8601), the same for every partition (default: now)")
    parser.add_argument("--store", help="the run store, in place of the pipeline's store: path: its whole-list tasks read a "
                        "copy of it and the driver records the run there once the outputs are published (`store import`)")
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


class ShippedBinary:
    """The binary inside the --binary-archive tarball, found where Spark unpacked it for this process: the task's
    SparkFiles folder (local mode, standalone, Kubernetes; the driver's own in client mode) or its working
    directory (YARN). Resolved in the task, not on the driver: every executor has its own copy."""

    def __init__(self, alias):
        self.alias = alias

    def path(self):
        from pyspark import SparkFiles
        roots = []
        try:
            roots.append(SparkFiles.getRootDirectory())
        except Exception:  # noqa: BLE001 - no SparkFiles folder in this process: the working directory only
            pass
        roots.append(os.getcwd())
        for root in roots:
            found = sorted(glob.glob(os.path.join(root, self.alias, "*", "bin", "leadhygiene")))
            if found:
                return found[0]
        raise FileNotFoundError(f"no {self.alias}/*/bin/leadhygiene under {' or '.join(roots)}: "
                                "the --binary-archive tarball was not unpacked here")

    def __str__(self):
        return f"{self.alias}/*/bin/leadhygiene"


def executable(binary):
    """The path to run: a --binary as given, the shipped archive's binary as this process finds it."""
    return binary.path() if isinstance(binary, ShippedBinary) else binary


def missing_libraries(path):
    """The shared libraries `ldd` finds missing for `path` (file names), or [] when it finds none or cannot run."""
    try:
        listing = subprocess.run(["ldd", path], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.split()[0] for line in listing.splitlines() if "not found" in line]


def probe_binary(binary):
    """The function a probe task runs: (host, whether `leadhygiene --version` ran, its version or error, the
    missing libraries)."""
    def probe(_):
        import socket
        path = None
        try:
            path = executable(binary)
            result = subprocess.run([path, "--version"], capture_output=True, timeout=120)
            ok, said = result.returncode == 0, (result.stdout if result.returncode == 0 else result.stderr)
            said = said.decode("utf-8", "replace").strip()
        except (OSError, subprocess.SubprocessError) as error:
            ok, said = False, str(error)
        yield socket.gethostname(), ok, said, ([] if ok or path is None else missing_libraries(path))
    return probe


def check_executors(context, binary):
    """One small job, a task per slot and then some, each running `leadhygiene --version` where the executors run
    the pipeline's tasks. Returns None when every task ran it, else the message that says what is missing where."""
    tasks = max(2 * context.defaultParallelism, 2)
    failures = {}
    versions = set()
    for host, ok, said, missing in context.parallelize(range(tasks), tasks).mapPartitions(probe_binary(binary)).collect():
        if ok:
            versions.add(said)
        else:
            failures.setdefault(host, (said, missing))
    if not failures and len(versions) <= 1:
        return None
    if not failures:
        return f"the executors run different leadhygiene versions: {', '.join(sorted(versions))}"
    lines = []
    for host, (said, missing) in sorted(failures.items()):
        line = f"executor {host}: {binary} --version failed: {said.splitlines()[-1] if said else 'no output'}"
        if missing:
            packages = [SYSTEM_LIBRARIES.get(name) for name in missing]
            named = ", ".join(f"{name} ({package[0]} on Debian/Ubuntu, {package[1]} on RHEL/Amazon Linux)" if package else name
                              for name, package in zip(missing, packages))
            line += f"; missing system libraries: {named}"
        lines.append(line)
    return "the leadhygiene binary cannot run on every executor (install the system libraries docs/spark.md lists):\n  " \
        + "\n  ".join(lines)


def run_partition(binary, pipeline, arguments, header, command=None, store=None):
    """The function each partition runs: its lines through `leadhygiene run --envelope` (or `command`, which writes
    the same lines), out as (seq, kind, line); the header and summary lines come out decoded, as (-1, kind, object).
    With `store` (the shipped copy's SparkFiles name or None, and the folder of staged files), the task reads the copy
    and writes what its stages staged to a file of its own there (`--staged`), named by segment and partition."""

    def run(index, lines):
        command_line = command or ([binary, "run", pipeline, "--envelope"] + arguments)
        if store is not None:
            shipped, folder, segment = store
            command_line = command_line + ["--store", task_store(shipped),
                                           "--staged", os.path.join(folder, f"{segment:05d}-{index:05d}.staged")]
        yield from partition_lines(command_line, header, lines, index)

    return run


def partition_lines(command_line, header, lines, index):
    """One partition's output lines through the binary, as run_partition yields them."""
    for line in pipe_lines(command_line, header, lines, f"partition {index}"):
        if line.startswith('{"kind":'):
            entry = json.loads(line)
            yield (-1, entry["kind"], entry)
        else:
            # `{"seq":123,"kind":"row",…`: read without decoding the line, which is kept as it is for the next segment.
            comma = line.index(",", 7)
            yield (int(line[7:comma]), line[comma + 9:line.index('"', comma + 9)], line)


def task_store(shipped):
    """The store a task reads (read-only: `run --staged` writes nothing there): the driver's copy where SparkFiles put
    it for this task, or, before the store's first run, a path with no file, which the binary reads as an empty store."""
    if shipped is None:
        return os.path.join(tempfile.gettempdir(), f"leadhygiene-no-store-{os.getpid()}-{time.time_ns()}.sqlite")
    from pyspark import SparkFiles
    return SparkFiles.get(shipped)


def site_keyed(binary, header):
    """The function that keys a partition's envelope lines by the registrable domain of the website scrape visits
    for each (`leadhygiene envelope sites`, the stage's own Public Suffix List), or by the line's seq when it names
    none: (key, line), a str key for a site, an int for a row without one."""

    def run(lines):
        lines = list(lines)
        sites = pipe_lines([binary, "envelope", "sites"], header, lines, "envelope sites")
        for line, answer in zip(lines, sites):
            entry = json.loads(answer)
            seq = seq_of(line)
            if entry["seq"] != seq:
                raise RuntimeError(f"envelope sites: seq {entry['seq']} answered for the line of seq {seq}")
            yield (entry["site"] if entry["site"] is not None else seq, line)

    return run


def site_partition(key):
    """A site's partition from its domain (crc32, the same in every executor's interpreter, unlike hash()); a row
    without a website by its seq, so those rows spread evenly."""
    return key if isinstance(key, int) else zlib.crc32(key.encode("utf-8"))


def by_site(rows, binary, header, partitions):
    """The rows shuffled so every row of one registrable domain is in one partition, each partition in seq order
    (the order a one-machine run hands scrape its rows in)."""
    return rows.mapPartitions(site_keyed(binary, header)).partitionBy(partitions, site_partition) \
        .mapPartitions(lambda keyed: (line for _, line in sorted(((seq_of(line), line) for _, line in keyed),
                                                                 key=lambda s: s[0])), preservesPartitioning=True)


def email_domain(email_column):
    """The function that keys an envelope line by its row's email domain (lowercased; empty without one)."""

    def key(line):
        email = (json.loads(line).get("row") or {}).get(email_column, "")
        return (email.rpartition("@")[2].strip().lower() if "@" in email else "", line)

    return key


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

    def publish(self, only=None):
        """Renames every file into place, or only those whose destination is in `only` (the others are removed)."""
        for staged, destination in self.pending:
            if only is not None and destination not in only:
                self.remove(staged)
                continue
            if os.path.isdir(destination) and not os.path.islink(destination):
                shutil.rmtree(destination)
            os.replace(staged, destination)

    def discard(self):
        for staged, _ in self.pending:
            self.remove(staged)

    @staticmethod
    def remove(staged):
        if os.path.isdir(staged):
            shutil.rmtree(staged, ignore_errors=True)
        elif os.path.exists(staged):
            os.remove(staged)


def write_in_order(rdd, kind, header, path, spark_partitions):
    """The `kind` lines, sorted by seq, after `header`, as one file; returns how many."""
    ordered = rdd.filter(lambda r: r[1] == kind).map(lambda r: (r[0], json.loads(r[2])["text"])) \
        .sortByKey(numPartitions=spark_partitions)
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
        texts = sorted((seq, json.loads(line)["text"]) for seq, k, line in rows if k == kind)
        with open(os.path.join(folder, f"part-{index:05d}{extension}"), "w", encoding="utf-8", newline="") as out:
            out.write(header)
            for _, text in texts:
                out.write(text)
        yield len(texts)

    return sum(rdd.mapPartitionsWithIndex(write).collect())


def main(argv):
    arguments = parse_arguments(argv)

    # As given: relative to the working directory of the driver and of every task (`--files` ships it there).
    pipeline = arguments.pipeline
    rejects = arguments.rejects or sibling(arguments.output, "rejects")
    now = arguments.now or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    problems = destination_problems(arguments, rejects)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    work = arguments.work_dir or tempfile.mkdtemp(prefix="leadhygiene-spark-")
    os.makedirs(work, exist_ok=True)
    try:
        return run(arguments, pipeline, rejects, now, os.path.join(work, "input.envelope.jsonl"), work)
    finally:
        if not arguments.work_dir:
            shutil.rmtree(work, ignore_errors=True)


def segments(stages):
    """The pipeline cut where a stage needs every row at once: (first, last, whole_list), 1-based and inclusive.

    Row-by-row stages next to each other run together in every partition; a whole-list stage runs alone,
    in one task that gets every row in input order, exactly as in a one-machine run.
    """
    cuts = []
    for position, stage in enumerate(stages, start=1):
        if stage["whole_list"] or not cuts or cuts[-1][2]:
            cuts.append([position, position, stage["whole_list"]])
        else:
            cuts[-1][1] = position
    return [tuple(cut) for cut in cuts]


def sees_set_aside_rows(cuts, stages, store):
    """Per segment, whether its stages must also get the rows earlier segments set aside: with a store, decay keeps a
    snapshot of every row it sees, rows an earlier stage rejected included, and counts the merged ones, as on one
    machine; a segment otherwise gets only the rows the one before it kept."""
    return [bool(store) and any(stage["name"] == "decay" for stage in stages[first - 1:last]) for first, last, _ in cuts]


def carried_from_merged(line):
    """A `merged` line of dedupe over partitions (whose steps write no `carried` lines) as the `carried` line
    `run --envelope --carry` writes for a merged row: its values and the line it was merged into."""
    entry = json.loads(line)
    return (f'{{"seq":{entry["seq"]},"kind":"carried","disposition":{{"merged_into":{entry["into"]}}},'
            f'"row":{json.dumps(entry["row"], ensure_ascii=False, separators=(",", ":"))}}}')


PART_NAME = re.compile(r"part-\d{5}(\.[A-Za-z0-9]+)?$")


def destination_problems(arguments, rejects):
    """Why a destination cannot be written without destroying what is there: a file destination that is a folder (it
    would be replaced, with everything in it), or a --parts folder that holds anything but an earlier run's part
    files. Checked before any work; `envelope encode` checks the rest (two names for one file, the input's folder)."""
    problems = []
    folders = [("--output", arguments.output), ("--rejects", rejects)] if arguments.parts else []
    files = [("--output", arguments.output), ("--rejects", rejects)] if not arguments.parts else []
    files += [("--merged", arguments.merged), ("--report", arguments.report), ("--html-report", arguments.html_report)]
    for option, path in files:
        if path and os.path.isdir(path):
            problems.append(f"{option} {path} is a folder: name a file" + (" (or pass --parts)" if option == "--output" else ""))
    for option, path in folders:
        path = path.rstrip("/")
        if os.path.isdir(path):
            others = sorted(name for name in os.listdir(path) if not PART_NAME.match(name) and not name.startswith(".")
                            and name != "_SUCCESS")
            if others:
                problems.append(f"{option} {path} holds files that are not an earlier run's parts ({', '.join(others[:3])}"
                                f"{', …' if len(others) > 3 else ''}): it would be replaced; name a new or empty folder")
        elif os.path.exists(path):
            problems.append(f"{option} {path} is a file: with --parts it is a folder of part files; name a folder")
    return problems


def seq_of(line):
    """The `seq` an envelope line starts with (`{"seq":123,…`)."""
    return int(line[7:line.index(",", 7)])


def run(arguments, pipeline, rejects, now, encoded, work):
    """Starts Spark, ships the binary and checks the executors run it, then runs the pipeline (run_on); returns the exit
    status."""
    from pyspark.sql import SparkSession

    started = time.monotonic()
    spark = SparkSession.builder.appName(f"leadhygiene {os.path.basename(pipeline)}").getOrCreate()
    try:
        context = spark.sparkContext
        if arguments.binary_archive:
            # Spark copies the tarball to every executor and unpacks it beside the tasks (and beside the driver).
            context.addArchive(f"{os.path.abspath(arguments.binary_archive)}#{ARCHIVE_ALIAS}")
            arguments.binary = ShippedBinary(ARCHIVE_ALIAS)
        try:
            arguments.driver_path = arguments.driver_binary or executable(arguments.binary)
        except FileNotFoundError as error:
            print(f"error: the driver has no binary to run: {error}; pass --driver-binary", file=sys.stderr)
            return EXIT_USAGE
        checking = time.monotonic()
        problem = check_executors(context, arguments.binary)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        print(f"the executors run {arguments.binary} (checked in {time.monotonic() - checking:.1f} s)", file=sys.stderr)
        return run_on(spark, arguments, pipeline, rejects, now, encoded, work, started)
    finally:
        spark.stop()


def run_on(spark, arguments, pipeline, rejects, now, encoded, work, started):
    """The run itself, once the executors are known to run the binary."""
    from pyspark import StorageLevel

    # The driver reads the input once, as a one-machine run reads it.
    facts = os.path.join(work, "input.facts.json")
    # A --store in place of the pipeline's: encoding reads the input as a run with that store does, checksum included.
    encode_options = ["--store", arguments.store] if arguments.store else []
    # The run's files, checked as a one-machine run checks its own (exit 2 before anything is read).
    for option, value in [("--output", arguments.output.rstrip("/")), ("--rejects", rejects), ("--merged", arguments.merged),
                          ("--report", arguments.report), ("--html-report", arguments.html_report)]:
        if value:
            encode_options += [option, value]
    with open(encoded, "wb") as out:
        status = subprocess.run([arguments.driver_path, "envelope", "encode", pipeline, "--input", arguments.input,
                                 "--facts", facts] + encode_options, stdout=out).returncode
    if status != 0:
        return status
    with open(encoded, encoding="utf-8") as lines:
        input_header = lines.readline().rstrip("\n")
    described = json.loads(input_header)
    with open(facts, encoding="utf-8") as read:
        store = arguments.store or json.load(read).get("store")
    cuts = segments(described.get("stages", []))
    # A segment before one that sees the set-aside rows hands its own on as `carried` lines (run --carry); they wait on
    # the driver (they pass through no segment in between) until that segment reads them with the rows, in seq order.
    sees_set_aside = sees_set_aside_rows(cuts, described.get("stages", []), store)
    carries = [any(sees_set_aside[later:]) for later in range(1, len(cuts) + 1)]

    context = spark.sparkContext
    # With a store, the whole-list tasks read a copy of it (shipped like a --files file) and stage what they would
    # write; the driver, the store's one writer, records the run from those files after publishing (`store import`).
    shipped_store = ship_store(context, store, work, arguments.driver_path) if store else None
    partitions = arguments.partitions or context.defaultParallelism
    # The names give the formats the partitions render their lines in: the files written here. A folder of parts
    # has no extension: its rows are then written in the input's format, as the binary does.
    run_arguments = ["--now", now, "--jobs", str(arguments.task_jobs), "--output", arguments.output.rstrip("/"),
                     "--rejects", rejects]
    lines = context.textFile("file://" + os.path.abspath(encoded) if "://" not in encoded else encoded, partitions)
    rows = lines.filter(lambda line: not line.startswith('{"kind":"input"'))
    if arguments.by_email_domain:
        email_column = described.get("fields", {}).get("email")
        if not email_column:
            print(f"error: {arguments.pipeline}: --by-email-domain needs a column mapped to the email field", file=sys.stderr)
            return EXIT_USAGE
        # crc32, not Python's hash(): the same domain must land in the same task in every executor's interpreter.
        rows = rows.map(email_domain(email_column)) \
            .partitionBy(partitions, lambda domain: zlib.crc32(domain.encode("utf-8"))).values()

    finished = []  # every segment's output, cached: its rejects and merged rows are final
    # With a store every task stages into a file of its own here (per-record tasks stage nothing, but read the copy:
    # compliance's erasure tombstones, email_check's verdict cache); a folder per run, so none is left from another.
    staged_folder = tempfile.mkdtemp(prefix="staged-", dir=work) if store else None
    header_line = input_header
    header = None
    segment_reports = []
    dedupe_facts = []  # per segment: what the driver counted over the whole list for dedupe's summary, or None
    after_whole_list = False
    carried = None  # the rows set aside so far that a later segment must see, as `carried` envelope lines
    for index, (first, last, whole_list) in enumerate(cuts):
        distributed = whole_list and first == last and not arguments.dedupe_single_task \
            and described["stages"][first - 1]["name"] == "dedupe"
        scrape_by_site = whole_list and first == last and not arguments.scrape_single_task \
            and described["stages"][first - 1]["name"] == "scrape"
        if sees_set_aside[index] and carried is not None:
            # decay's one task: the rows kept and the rows set aside, put in seq order below, as one machine has them.
            rows = rows.union(carried)
            carried = None
        if distributed:
            pass  # the rows go where their blocks and components take them
        elif scrape_by_site:
            # A task per group of sites: every row of a registrable domain in one task, so the site is visited once
            # and its robots.txt and per-host politeness are kept there, as on one machine.
            rows = by_site(rows, arguments.binary, header_line, partitions)
        elif whole_list:
            # Every row, in input order, in one task: the stage sees the list as a one-machine run does.
            rows = rows.map(lambda line: (seq_of(line), line)).sortByKey(numPartitions=1).values()
        elif after_whole_list:
            # Out of one task, back into ranges of input lines, one per partition.
            rows = rows.map(lambda line: (seq_of(line), line)).sortByKey(numPartitions=partitions).values()
        # Rows out of one task go back into ranges of input lines; scrape's site groups are already spread.
        after_whole_list = whole_list and not scrape_by_site
        command = run_arguments + ["--stages", f"{first}-{last}"] + (["--carry"] if carries[index] and not distributed else [])
        # Kept for the files written after every segment ran; spilled to disk rather than failing for memory.
        if distributed:
            cluster_arguments = ["--now", now, "--output", arguments.output.rstrip("/"), "--rejects", rejects]
            reads = (shipped_store, os.path.abspath(staged_folder), first) if store else None
            processed, facts = distributed_dedupe(context, arguments, pipeline, header_line, rows, first, partitions,
                                                  command, cluster_arguments, work, store=reads)
            processed = processed.persist(StorageLevel.MEMORY_AND_DISK)
        else:
            facts = None
            reads = (shipped_store, os.path.abspath(staged_folder), first) if store else None
            processed = rows.mapPartitionsWithIndex(run_partition(arguments.binary, pipeline, command, header_line, store=reads)) \
                .persist(StorageLevel.MEMORY_AND_DISK)
        special = processed.filter(lambda r: r[1] in ("header", "summary")).map(lambda r: (r[1], r[2])).collect()
        headers = [entry for kind, entry in special if kind == "header"]
        if not headers or any(h != headers[0] for h in headers):
            print(f"error: the partitions of stages {first}-{last} disagree on their columns", file=sys.stderr)
            return EXIT_RUN_FAILED
        header = headers[0]
        segment_reports.append([entry["report"] for kind, entry in special if kind == "summary"])
        names = ", ".join(stage["name"] for stage in described["stages"][first - 1:last])
        tasks = len(segment_reports[-1])
        print(f"segment {first}-{last} ({names}): {tasks} task{'' if tasks == 1 else 's'}", file=sys.stderr, flush=True)
        if scrape_by_site:
            sites = [stage.get("summary", {}).get("sites", 0) for report in segment_reports[-1]
                     for stage in report.get("stages") or [] if stage.get("name") == "scrape"]
            print(f"scrape by site: {sum(sites)} sites in {len(sites)} tasks: {' '.join(map(str, sites))}", file=sys.stderr)
        dedupe_facts.append(facts)
        finished.append(processed)
        # The next segment reads these rows with every column the stages so far added.
        header_line = json.dumps(dict(described, row_columns=header["columns"]), ensure_ascii=False)
        rows = processed.filter(lambda r: r[1] == "row").map(lambda r: r[2])
        if carries[index]:
            set_aside = processed.filter(lambda r: r[1] == "merged").map(lambda r: carried_from_merged(r[2])) if distributed \
                else processed.filter(lambda r: r[1] == "carried").map(lambda r: r[2])
            carried = set_aside if carried is None else carried.union(set_aside)
    status = publish(arguments, context, partitions, finished, header, segment_reports, dedupe_facts, rejects, work,
                     started)
    if status != 0 or not store:
        return status
    # In stage order (segment, then partition): a later stage's staged rows come after an earlier one's.
    staged_files = sorted(glob.glob(os.path.join(staged_folder, "*.staged")))
    return record_run(arguments, store, staged_files, rejects, work)


def ship_store(context, store, work, driver_path):
    """A copy of the store for the whole-list tasks, taken with SQLite's backup (a consistent snapshot, whatever a
    reader or writer is doing), shipped through SparkFiles; None when the store does not exist yet (the tasks then
    start an empty one of their own). The store itself is never opened for writing here."""
    if not os.path.exists(store):
        return None
    import sqlite3
    folder = os.path.join(work, "store")
    os.makedirs(folder, exist_ok=True)
    copy = os.path.join(folder, STORE_COPY)
    source = sqlite3.connect(f"file:{os.path.abspath(store)}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(copy)
        source.backup(target)
        target.close()
    finally:
        source.close()
    # The tasks open the copy read-only, which migrates nothing: a store an older binary wrote is brought up to date
    # here (any command that opens a store does), and left in rollback mode, so a read-only open needs no -wal file.
    subprocess.run([driver_path, "store", "stats", copy], check=True, stdout=subprocess.DEVNULL)
    target = sqlite3.connect(copy)
    target.execute("PRAGMA journal_mode = DELETE")
    target.close()
    context.addFile(copy)
    return STORE_COPY


def record_run(arguments, store, staged_files, rejects, work):
    """Has `leadhygiene store import` record the published run in the store from what the whole-list tasks staged;
    it refuses (exit 1, the store as it was) when the store recorded another run since the tasks read their copy."""
    report = arguments.report or os.path.join(work, "report.json")
    command = [arguments.driver_path, "store", "import", arguments.pipeline, "--store", store, "--report", report,
               "--output", arguments.output.rstrip("/"), "--rejects", rejects]
    for staged in staged_files:
        command += ["--staged", staged]
    if arguments.html_report:
        command += ["--html-report", arguments.html_report]
    if arguments.merged:
        command += ["--merged", arguments.merged]
    importing = time.monotonic()
    status = subprocess.run(command).returncode
    if status != 0:
        print("FAILED the outputs were published but the run could not be recorded in the store (above)", file=sys.stderr)
        return EXIT_RUN_FAILED
    print(f"store import: {len(staged_files)} staged files recorded in {time.monotonic() - importing:.1f} s", file=sys.stderr)
    return 0


def publish(arguments, context, partitions, finished, header, segment_reports, dedupe_facts, rejects, work, started):
    """Writes the clean, rejects and merged files, has `leadhygiene report merge` write the report, and renames them
    into place together; a failed run publishes what a one-machine run publishes: the report, and the rejects when
    a fail_if threshold was crossed."""
    from pyspark import StorageLevel

    last = finished[-1]
    # The rejects and merged rows, a few among every segment's lines (and, with a store, the carried ones): picked out
    # in one pass, not in each of the passes every file's sort makes over all of them.
    set_aside = context.union(finished).filter(lambda r: r[1] in ("reject", "merged")).persist(StorageLevel.MEMORY_AND_DISK)
    publication = Publication()
    try:
        # JSONL has no header line; delimited text does.
        extension = ".csv" if header["output"] else ".jsonl"
        if arguments.parts:
            written_out = write_parts(last, "row", header["output"], publication.path(arguments.output), extension)
            written_rejects = write_parts(set_aside, "reject", header["rejects"], publication.path(rejects),
                                          ".csv" if header["rejects"] else ".jsonl")
        else:
            written_out = write_in_order(last, "row", header["output"], publication.path(arguments.output), partitions)
            written_rejects = write_in_order(set_aside, "reject", header["rejects"], publication.path(rejects), partitions)
        written_merged = None
        if arguments.merged:
            written_merged = write_in_order(set_aside, "merged", header["merged"], publication.path(arguments.merged),
                                            partitions)
        report_path = publication.path(arguments.report) if arguments.report else os.path.join(work, "report.json")
        html_path = publication.path(arguments.html_report) if arguments.html_report else None
        status = merge_report(arguments, segment_reports, dedupe_facts, rejects, work, report_path, html_path,
                              time.monotonic() - started)
        with open(report_path, encoding="utf-8") as merged:
            report = json.load(merged)
        written = (written_out, written_rejects, report["rows_merged"] if written_merged is None else written_merged)
        if written != (report["rows_out"], report["rows_rejected"], report["rows_merged"]):
            publication.discard()
            print(f"FAILED the files hold {written_out} clean rows, {written_rejects} rejects and {written[2]} merged rows, "
                  f"the partitions' reports {report['rows_out']}, {report['rows_rejected']} and {report['rows_merged']}; "
                  "nothing was published", file=sys.stderr)
            return EXIT_RUN_FAILED
        if status != 0 or report.get("status") != "ok":
            # As `leadhygiene run`: a crossed fail_if keeps the rejects and the report, a broken account the report.
            crossed = any(condition.get("crossed") for condition in report.get("fail_if") or [])
            keep = {arguments.report, arguments.html_report} | ({rejects} if crossed and report["accounting"]["holds"] else set())
            publication.publish(only=keep)
            print(f"FAILED {report.get('failure') or 'report merge exited ' + str(status)}", file=sys.stderr)
            return EXIT_RUN_FAILED
        publication.publish()
    except BaseException:
        publication.discard()
        raise
    print(f"PASSED {os.path.basename(arguments.pipeline)} in {len(finished)} segments on {partitions} partitions: "
          f"rows_in {report['rows_in']} = rows_out {report['rows_out']} + rows_rejected {report['rows_rejected']} "
          f"+ rows_merged {report['rows_merged']} ✓", file=sys.stderr)
    return 0


def merge_report(arguments, segment_reports, dedupe_facts, rejects, work, report_path, html_path, seconds):
    """Hands every partition's report, by segment, to `leadhygiene report merge`, with dedupe's summary over the whole
    list where the driver counted it (merge_dedupe_summaries); returns its exit status (1: the run failed)."""
    parts = os.path.join(work, "report-parts.jsonl")
    with open(parts, "w", encoding="utf-8") as out:
        for segment, (reports, facts) in enumerate(zip(segment_reports, dedupe_facts)):
            for report in reports:
                out.write(json.dumps({"segment": segment, "report": report}, ensure_ascii=False) + "\n")
            if facts is not None:
                summary = merge_dedupe_summaries([stage.get("summary") for report in reports
                                                  for stage in report.get("stages") or [] if stage.get("name") == "dedupe"],
                                                 facts)
                if summary is not None:
                    out.write(json.dumps({"segment": segment, "stage": "dedupe", "summary": summary}, ensure_ascii=False) + "\n")
    command = [arguments.driver_path, "report", "merge", arguments.pipeline, "--parts", parts, "--report", report_path,
               "--input", arguments.input, "--output", arguments.output, "--rejects", rejects, "--seconds", f"{seconds:.3f}",
               "--input-facts", os.path.join(work, "input.facts.json")]
    if html_path:
        command += ["--html", html_path]
    status = subprocess.run(command).returncode
    if status not in (0, 1) or not os.path.exists(report_path):
        raise RuntimeError(f"leadhygiene report merge exited {status} without a report")
    return status



# ---- dedupe over partitions (issue #23) -------------------------------------------------------------------------
#
# The dedupe stage's steps run as `leadhygiene dedupe …` subprocesses; Spark moves rows and pairs between them:
#   keys    (executors) per row: a portable block key per rule, a comparison key per field
#   blocks  (shuffle)   by rule and key; a block larger than the rule's max_block_size over the whole list is
#                       skipped; pairs of the other blocks, each pair once with a bit per rule that blocks it
#   compare (executors) each candidate pair's pattern; the random pairs training draws (`dedupe sample` on the
#                       driver, by row index, as one machine draws them) compared the same way
#   fit     (driver)    the model from the two global histograms, with `dedupe fit`
#   score   (executors) the pairs at or above the threshold, with the model and the whole list's value counts
#   components          connected components of those links (iterative min-label on RDDs)
#   cluster (executors) whole components per task through `dedupe cluster`: the stage itself, with the fitted model
#                       and the whole list's counts, writes the rows as `run --envelope` does, and reports its entities
#   assign  (driver)    every task's entities named again in one-machine order (`dedupe assign`); a task whose ids
#                       differ runs again with the ids given (`dedupe cluster --entity-ids`)


def pipe_lines(command, header, lines, what):
    """Runs `command` with `header` and `lines` on its standard input; yields its output lines (decoded text)."""
    command = [executable(command[0])] + list(command[1:])
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    errors = []

    def feed():
        try:
            if header is not None:
                process.stdin.write(header.encode("utf-8") + b"\n")
            for line in lines:
                process.stdin.write(line.encode("utf-8") + b"\n")
            process.stdin.close()
        except BrokenPipeError:
            pass
        except Exception as error:  # noqa: BLE001 - raised below, in the reading thread
            errors.append(error)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    stderr = []
    drain = threading.Thread(target=lambda: stderr.append(process.stderr.read()), daemon=True)
    drain.start()
    for raw in process.stdout:
        yield raw.decode("utf-8").rstrip("\n")
    writer.join()
    status = process.wait()
    drain.join()
    if errors:
        raise errors[0]
    if status != 0:
        message = (stderr[0] if stderr else b"").decode("utf-8", "replace").strip()
        raise RuntimeError(f"{what}: {' '.join(command[:3])} exited {status}: {message}")


def dedupe_keys(binary, pipeline, stage, header):
    """`dedupe keys --compact-rows` over a partition's rows: the first line's object, then per row its keys and values
    and, as "line", the row cut to the columns compare and score read as their input line. The binary writes that row
    last ({…,"row":{…}}), so it is taken as it is: only the keys before it are decoded here."""
    def run(lines):
        command = [binary, "dedupe", "keys", pipeline, "--stage", stage, "--compact-rows"]
        for line in pipe_lines(command, header, lines, "dedupe keys"):
            cut = line.find(',"row":{') if line.startswith('{"seq":') else -1
            if cut < 0:
                yield json.loads(line)
                continue
            entry = json.loads(line[:cut] + "}")
            entry["line"] = f'{{"seq":{entry["seq"]},"kind":"row"{line[cut:]}'
            yield entry
    return run


def pairs_in_blocks(max_sizes):
    """From a ((rule, key), seqs) block: nothing when it is too large (the whole list's block), else its pairs."""
    def pairs(block):
        (rule, _), seqs = block
        seqs = sorted(seqs)
        if len(seqs) < 2 or len(seqs) > max_sizes[rule]:
            return []
        bit = 1 << rule
        return [((seqs[i], seqs[j]), bit) for i in range(len(seqs)) for j in range(i + 1, len(seqs))]
    return pairs


def first_rule(mask):
    """The rule a candidate pair counts under in the report: the first whose block holds both rows (as one machine
    counts a pair under the rule that generated it first)."""
    return (mask & -mask).bit_length() - 1


def with_rows(pairs, rows_by_seq, buckets):
    """Pairs ((a, b), payload) and the rows they name, gathered per bucket of pairs: (bucket, (rows, pairs)).
    A row travels once to each bucket that needs it, not once per pair."""
    keyed = pairs.map(lambda p: (zlib.crc32(str(p[0][0]).encode()) % buckets, p))
    needed = keyed.flatMap(lambda kp: [(kp[1][0][0], kp[0]), (kp[1][0][1], kp[0])]).distinct(buckets)
    rows = needed.join(rows_by_seq, buckets).map(lambda s: (s[1][0], (s[0], s[1][1])))
    return rows.cogroup(keyed, numPartitions=buckets)


def run_pairs(binary, pipeline, stage, header, step, pairs, rows, extra):
    """Runs `dedupe compare|score` once over `rows` ((seq, line), any order) for `pairs` ((a, b) seqs), the pairs in a
    temporary file; yields its output lines (one per pair for compare, in the pairs' order)."""
    if not pairs:
        return
    handle, path = tempfile.mkstemp(prefix="leadhygiene-pairs-", suffix=".txt")
    try:
        with os.fdopen(handle, "w") as out:
            out.writelines(f"{a} {b}\n" for a, b in pairs)
        command = [binary, "dedupe", step, pipeline, "--stage", stage, "--pairs", path] + extra
        yield from pipe_lines(command, header, (line for _, line in sorted(rows)), f"dedupe {step}")
    finally:
        os.remove(path)


def pattern_of(line):
    """The pattern of a `dedupe compare` line ({"a":S,"b":S,"pattern":"HEX"}), read without decoding the line."""
    return line[line.rindex(":") + 2:-2]


def histograms_of_bucket(binary, pipeline, stage, header):
    """One bucket's candidate pairs (payload: their rules' mask) and random pairs (payload 0), each compared once by
    one subprocess; yields its share of the two histograms: ((pattern, mask), n), mask 0 for a random pair."""
    def run(bucket):
        _, (rows, pairs) = bucket
        rows = list(rows)
        candidates = [(pair, mask) for pair, mask in pairs if mask]
        random = [pair for pair, mask in pairs if not mask]
        counts = {}
        compared = list(run_pairs(binary, pipeline, stage, header, "compare", [pair for pair, _ in candidates], rows, []))
        compared_random = list(run_pairs(binary, pipeline, stage, header, "compare", random, rows, ["--random"]))
        if len(compared) != len(candidates) or len(compared_random) != len(random):
            raise RuntimeError(f"dedupe compare: {len(compared)} patterns for {len(candidates)} candidate pairs, "
                               f"{len(compared_random)} for {len(random)} random pairs")
        for (_, mask), line in zip(candidates, compared):
            key = (pattern_of(line), mask)
            counts[key] = counts.get(key, 0) + 1
        for line in compared_random:
            key = (pattern_of(line), 0)
            counts[key] = counts.get(key, 0) + 1
        yield from counts.items()
    return run


def links_of_bucket(binary, pipeline, stage, header, model_path, globals_path):
    """One bucket's candidate pairs scored with the fitted model: yields the links (a, b), the pairs at or above the
    threshold. Only the rows the candidate pairs name go to the subprocess."""
    def run(bucket):
        _, (rows, pairs) = bucket
        candidates = [pair for pair, mask in pairs if mask]
        needed = {seq for pair in candidates for seq in pair}
        rows = [row for row in rows if row[0] in needed]
        for line in run_pairs(binary, pipeline, stage, header, "score", candidates, rows,
                              ["--model", model_path, "--globals", globals_path]):
            link = json.loads(line)
            yield link["a"], link["b"]
    return run


def components(links, partitions, iterations_cap=100):
    """Connected components of the links (seq pairs): (seq, label) with the label the smallest seq of its component
    (iterative min-label propagation over the edges, both ways). Every shuffle keeps `partitions` partitions: a
    union adds its inputs' partitions, and left alone they would double on every round."""
    edges = links.flatMap(lambda ab: [ab, (ab[1], ab[0])]).distinct(partitions).persist()
    labels = edges.keys().distinct(partitions).map(lambda v: (v, v)).persist()
    for _ in range(iterations_cap):
        proposed = edges.join(labels, partitions).map(lambda x: (x[1][0], x[1][1]))
        updated = labels.union(proposed).reduceByKey(min, partitions).persist()
        changed = updated.join(labels, partitions).filter(lambda x: x[1][0] != x[1][1]).count()
        labels.unpersist()
        labels = updated
        if changed == 0:
            break
    else:
        raise RuntimeError("connected components did not settle")
    edges.unpersist()
    return labels


def components_on_driver(links):
    """Connected components of the links (seq pairs) as {seq: label}, the label the smallest seq of its component
    (union-find): the same labels `components` gives, for links few enough to hold on the driver (one per linked
    pair, far fewer than the rows)."""
    parent = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            # The smaller seq stays the root, so every root is its component's smallest seq.
            parent[max(ra, rb)] = min(ra, rb)
    return {seq: root(seq) for seq in parent}


# Links a driver gathers to find the components itself; past this the components are found on the RDDs.
DRIVER_COMPONENT_LINKS = 20_000_000
# At most about this many rows (cut to the compared columns) in one bucket of pairs compared and scored together,
# and (whole rows) in one task of the cluster step: more tasks for a longer list, not larger ones.
ROWS_PER_BUCKET = 250_000
ROWS_PER_CLUSTER_TASK = 100_000


def merge_dedupe_summaries(summaries, facts):
    """One dedupe summary from the cluster tasks' (each over whole components) and what the driver counted over the
    whole list: the summary a one-machine run writes, timings aside.

    Counts of rows, links and entities add up over the tasks; the candidate pairs per rule and the oversized blocks
    are the driver's (a task sees only its components' pairs); the model's figures (EM, prior, weights) are the same
    in every task, which installs the one fitted model; the largest clusters and explained pairs are the largest over
    all tasks, ties broken by the cluster's first line as one machine breaks them by the entity's first row."""
    summaries = [s for s in summaries if s]
    if not summaries:
        return None
    model_source = next((s for s in summaries if s.get("rows_compared")), summaries[0])
    merged = {}
    for key, value in model_source.items():
        if key == "pairs_by_rule":
            merged[key] = {rule: facts["pairs_by_rule"][r] for r, rule in enumerate(facts["rules"])}
        elif key == "pairs_compared":
            merged[key] = sum(facts["pairs_by_rule"])
        elif key == "oversized_blocks_by_rule":
            merged[key] = {rule: facts["oversized_blocks"][r] for r, rule in enumerate(facts["rules"])}
        elif key in ("rows_compared", "links", "links_refused_by_chain_guard", "entities", "duplicate_rows",
                     "entities_with_duplicates", "review_pairs"):
            merged[key] = sum(s.get(key, 0) for s in summaries)
        elif key == "largest_clusters":
            clusters = [c for s in summaries for c in s.get(key) or []]
            clusters.sort(key=lambda c: (-c["size"], c["rows"][0]["line"] if c["rows"] else 0))
            merged[key] = clusters[:facts["showcase_clusters"]]
        elif key == "explained_pairs":
            by_first_line = {tuple(p["lines"])[0]: p for s in summaries for p in s.get(key) or []}
            firsts = [c["rows"][0]["line"] for c in merged.get("largest_clusters", [])[:facts["showcase_pairs"]] if c["rows"]]
            merged[key] = [by_first_line[line] for line in firsts if line in by_first_line]
        else:
            merged[key] = value
    return merged


def distributed_dedupe(context, arguments, pipeline, header_line, rows, stage, partitions, command, cluster_arguments, work,
                       store=None):
    """The dedupe stage over partitions; returns what `run --envelope` would give for every row (seq, kind, line), and
    the whole list's figures the report's dedupe summary needs (None when the stage ran in one task). The cluster tasks'
    entities ride along as (-1, "entity", …), which nothing after reads. With `store` (as run_partition takes it), the
    cluster tasks read the store's copy for the entity-id memory and stage their ids."""
    from pyspark import StorageLevel
    binary = arguments.binary
    stage = str(stage)
    started = time.monotonic()
    last = [started]

    def phase(what):
        now = time.monotonic()
        print(f"dedupe over partitions: {what} {now - last[0]:.1f} s (at {now - started:.1f} s)", file=sys.stderr, flush=True)
        last[0] = now
    rows_by_seq = rows.map(lambda line: (seq_of(line), line)).persist(StorageLevel.MEMORY_AND_DISK)
    keyed = rows.mapPartitions(dedupe_keys(binary, pipeline, stage, header_line)).persist(StorageLevel.MEMORY_AND_DISK)
    total = rows_by_seq.count()
    described = keyed.filter(lambda o: o.get("kind") == "keys").first() if total else None
    per_row = keyed.filter(lambda o: "seq" in o)
    if described is None:
        return rows.mapPartitionsWithIndex(run_partition(binary, pipeline, command, header_line, store=store)), None
    phase("keys")
    if described.get("single_task_options"):
        # A review file or labelled pairs need every row in one process: the stage runs as one task, as before.
        print(f"note: dedupe runs in one task: its options {', '.join(described['single_task_options'])} need every row at once",
              file=sys.stderr)
        keyed.unpersist()
        return rows_by_seq.sortByKey(numPartitions=1).values() \
            .mapPartitionsWithIndex(run_partition(binary, pipeline, command, header_line, store=store)), None
    max_sizes = described["max_block_sizes"]
    rules = len(max_sizes)
    fields = len(described["fields"])

    # The whole list's value counts (term frequencies, shared identifiers): one job, the shared values and the rows
    # with a value per field come back together (a field's total under key None).
    values = per_row.flatMap(lambda o: [((f, v), 1) for f, v in enumerate(o["values"]) if v is not None]
                             + [((f, None), 1) for f, v in enumerate(o["values"]) if v is not None]) \
        .reduceByKey(lambda x, y: x + y, partitions).filter(lambda kv: kv[0][1] is None or kv[1] > 1).collect()
    non_null = [0] * fields
    counts = [{} for _ in range(fields)]
    for (f, key), n in values:
        if key is None:
            non_null[f] = n
        else:
            counts[f][key] = n
    del values
    phase("value counts")

    # Blocks by rule and key, over the whole list; each candidate pair once, with a bit per rule whose block holds it.
    # The blocks' sizes first: a reduce, which Spark sums in each task before the shuffle, instead of gathering every
    # key's seqs; most keys are one row's alone. Only the rows of the keys rows share (and not in an oversized block)
    # are then grouped.
    row_keys = per_row.flatMap(lambda o: [((r, k), o["seq"]) for r, k in enumerate(o["keys"]) if k is not None])
    oversized = [[] for _ in range(rules)]
    shared = set()
    for (rule, key), n in row_keys.map(lambda kv: (kv[0], 1)).reduceByKey(lambda x, y: x + y, numPartitions=partitions) \
            .filter(lambda kv: kv[1] > 1).collect():
        if n > max_sizes[rule]:
            oversized[rule].append(key)
        else:
            shared.add((rule, key))
    shared = context.broadcast(shared)
    blocks = row_keys.filter(lambda kv: kv[0] in shared.value).groupByKey(numPartitions=partitions).mapValues(list)
    candidates = blocks.flatMap(pairs_in_blocks(max_sizes)).reduceByKey(lambda x, y: x | y, numPartitions=partitions) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    pairs_by_rule = [0] * rules
    for rule, n in candidates.map(lambda p: (first_rule(p[1]), 1)).reduceByKey(lambda x, y: x + y).collect():
        pairs_by_rule[rule] = n
    shared.unpersist()
    candidate_count = sum(pairs_by_rule)
    phase("blocks and candidate pairs")

    # The random pairs training draws, by row index in seq order, as one machine draws them; named by seq here.
    header_only = os.path.join(work, f"dedupe-{stage}.header.jsonl")
    with open(header_only, "w", encoding="utf-8") as out:
        out.write(header_line + "\n")
    driver = arguments.driver_path
    sample = subprocess.run([driver, "dedupe", "sample", pipeline, "--stage", stage, "--rows", str(total), "--input", header_only],
                            capture_output=True, check=True).stdout.decode().split("\n")
    seqs = sorted(rows_by_seq.keys().collect())
    random_pairs = []
    for line in sample:
        if line:
            x, _, y = line[1:-1].partition(",")
            random_pairs.append(((seqs[int(x)], seqs[int(y)]), 0))
    del seqs, sample
    phase("random pairs")

    # Candidate and random pairs with the rows they name, cut to the compared columns, one bucket per task: compared
    # in one pass (the histograms), then the candidate pairs scored from the same buckets (the links).
    compact = per_row.map(lambda o: (o["seq"], o["line"]))
    pairs = candidates.union(context.parallelize(random_pairs, partitions))
    buckets = with_rows(pairs, compact, max(partitions, -(-total // ROWS_PER_BUCKET))).persist(StorageLevel.MEMORY_AND_DISK)
    counted = buckets.flatMap(histograms_of_bucket(binary, pipeline, stage, header_line)) \
        .reduceByKey(lambda x, y: x + y).collect()
    random_count = len(random_pairs)
    del random_pairs
    candidates.unpersist()
    # The compact rows came with the keys; the buckets, kept, now hold the ones the pairs need.
    keyed.unpersist()
    phase("patterns")

    # The model, on the driver.
    histogram_path = os.path.join(work, f"dedupe-{stage}.histogram.jsonl")
    with open(histogram_path, "w", encoding="utf-8") as out:
        for (pattern, rules_mask), n in sorted(c for c in counted if c[0][1]):
            out.write(json.dumps({"pattern": pattern, "rules": rules_mask, "count": n}) + "\n")
        for (pattern, _), n in sorted(c for c in counted if not c[0][1]):
            out.write(json.dumps({"random": pattern, "count": n}) + "\n")
    model_path = os.path.join(work, f"dedupe-{stage}.model.json")
    with open(histogram_path, "rb") as source, open(model_path, "wb") as out:
        subprocess.run([driver, "dedupe", "fit", pipeline, "--stage", stage, "--rows", str(total), "--input", header_only],
                       stdin=source, stdout=out, check=True)
    globals_path = os.path.join(work, f"dedupe-{stage}.globals.json")
    with open(globals_path, "w", encoding="utf-8") as out:
        json.dump({"rows": total, "nonNull": non_null, "counts": counts, "oversized": oversized}, out)
    phase("model")

    # Links, their components, and the stage itself on whole components.
    links = buckets.flatMap(links_of_bucket(binary, pipeline, stage, header_line, model_path, globals_path)) \
        .persist(StorageLevel.MEMORY_AND_DISK)
    link_count = links.count()
    buckets.unpersist()
    phase("links")
    if link_count <= DRIVER_COMPONENT_LINKS:
        labels = context.broadcast(components_on_driver(links.collect()))
        keyed_by_component = rows_by_seq.map(lambda s: (labels.value.get(s[0], s[0]), s))
    else:
        labels = components(links, partitions)
        keyed_by_component = rows_by_seq.leftOuterJoin(labels, partitions) \
            .map(lambda s: (s[1][1] if s[1][1] is not None else s[0], (s[0], s[1][0])))
    links.unpersist()
    phase("components")
    # Tasks of whole components, each small enough for one executor's Python worker and binary to hold its rows.
    cluster_tasks = max(partitions, -(-total // ROWS_PER_CLUSTER_TASK))
    grouped = keyed_by_component.partitionBy(cluster_tasks, lambda label: zlib.crc32(str(label).encode())) \
        .mapPartitions(lambda group: (line for _, line in sorted(v for _, v in group)), preservesPartitioning=True)
    cluster = [binary, "dedupe", "cluster", pipeline, "--stage", stage, "--model", model_path, "--globals", globals_path] \
        + cluster_arguments
    print(f"dedupe over {partitions} partitions: {total} rows, {candidate_count} candidate pairs, {random_count} random pairs, "
          f"{link_count} links", file=sys.stderr)
    facts = {"rules": described["rules"], "pairs_by_rule": pairs_by_rule,
             "oversized_blocks": [len(keys) for keys in oversized],
             # How many clusters and explained pairs the report shows (DedupeShowcase.clusterCount and pairCount).
             "showcase_clusters": 5, "showcase_pairs": 3}
    assigned_folder = os.path.join(work, f"dedupe-{stage}.assigned")
    shutil.rmtree(assigned_folder, ignore_errors=True)
    os.makedirs(assigned_folder)
    run_cluster = cluster_task(binary, pipeline, header_line, cluster, store, assigned_folder)
    first_pass = grouped.mapPartitionsWithIndex(run_cluster).persist(StorageLevel.MEMORY_AND_DISK)
    reported = first_pass.filter(lambda r: r[1] == "entity").map(lambda r: r[2]).persist(StorageLevel.MEMORY_AND_DISK)
    reported.count()
    phase("cluster tasks")
    rerun = assign_entities(context, arguments, pipeline, stage, reported, cluster_tasks, partitions, store, work,
                            assigned_folder, cluster_arguments)
    reported.unpersist()
    # The tasks named again run when their rows are first needed, with the segment's other work.
    phase("entity ids named again")
    if not rerun:
        return first_pass, facts
    # Only the tasks whose ids changed run again, with the ids given (their rows, summary and staged file replace the
    # first pass's); the others keep what they wrote.
    kept = first_pass.mapPartitionsWithIndex(lambda index, lines: lines if index not in rerun else iter(()))
    again = grouped.mapPartitionsWithIndex(lambda index, lines: run_cluster(index, lines) if index in rerun else iter(()))
    return context.union([kept, again]).coalesce(cluster_tasks), facts


def cluster_task(binary, pipeline, header, cluster, store, assigned_folder):
    """The function each cluster task runs: `dedupe cluster` over its components (with `store`, reading the store's
    copy and staging its entity ids, as run_partition does), as run_partition yields its lines, then each entity it
    formed as (-1, "entity", (task, line)). A task the driver gave ids to (a file in `assigned_folder`) uses them, so a
    task Spark computes again gives what it gave the second time."""
    def run(index, lines):
        reported = os.path.join(tempfile.gettempdir(), f"leadhygiene-entities-{os.getpid()}-{time.time_ns()}.jsonl")
        command = cluster + ["--entities", reported]
        assigned = os.path.join(assigned_folder, f"{index:05d}.jsonl")
        if os.path.exists(assigned):
            command += ["--entity-ids", assigned]
        try:
            yield from run_partition(binary, pipeline, None, header, command, store)(index, lines)
            with open(reported, encoding="utf-8") as entities:
                for line in entities:
                    yield (-1, "entity", (index, line.rstrip("\n")))
        finally:
            if os.path.exists(reported):
                os.remove(reported)
    return run


def first_of(line):
    """The first line an entity line starts with (`{"first":123,…`), as seq_of reads a row's."""
    return int(line[9:line.index(",", 9)])


def entity_keys(entry):
    """(record key, (first line, task, task)) for every record key of a reported entity ({"first":S,…,"keys":[…]})."""
    task, line = entry
    first = first_of(line)
    for key in json.loads(line[line.rindex(',"keys":[') + 8:-1]):
        yield key, (first, task, task)


def assign_entities(context, arguments, pipeline, stage, reported, tasks, partitions, store, work, assigned_folder,
                    cluster_arguments):
    """Names every cluster task's entities again, as one run over all their rows names them (`dedupe assign`): an old
    entity split over two tasks keeps its id in one part only, and a new id is checked against every task's. Writes the
    ids of the tasks whose entities were named otherwise (assigned_folder/TASK.jsonl) and returns those tasks. With a
    store, a record key in entities of two tasks keeps the id of the last of them, as one machine keeps it: those keys'
    ids are staged in a file of their own, imported after the tasks' (SEGMENT-assigned.staged)."""
    # The ballots only: the record keys, last in each line, stay in the executors.
    ballots = reported.map(lambda e: (e[0], e[1][:e[1].rindex(',"keys":[')] + "}")).collect()
    task_of = {}
    entities_path = os.path.join(work, f"dedupe-{stage}.entities.jsonl")
    with open(entities_path, "w", encoding="utf-8") as out:
        for task, line in ballots:
            task_of[first_of(line)] = task
            out.write(line + "\n")
    command = [arguments.driver_path, "dedupe", "assign", pipeline, "--entities", entities_path]
    conflicts = []
    if store:
        shipped, folder, segment = store
        # Each key once: the last entity (by first line) of the tasks that hold it, kept where two tasks do.
        conflicts = reported.flatMap(entity_keys) \
            .reduceByKey(lambda a, b: (max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2])), partitions) \
            .filter(lambda kv: kv[1][1] != kv[1][2]).map(lambda kv: (kv[0], kv[1][0])).collect()
        conflicts_path = os.path.join(work, f"dedupe-{stage}.conflicts.jsonl")
        with open(conflicts_path, "w", encoding="utf-8") as out:
            for key, first in conflicts:
                out.write(json.dumps({"key": key, "first": first}, ensure_ascii=False) + "\n")
        copy = os.path.join(work, "store", STORE_COPY) if shipped else task_store(None)
        command += ["--conflicts", conflicts_path, "--store", copy, "--now", cluster_arguments[cluster_arguments.index("--now") + 1]]
        if conflicts:
            command += ["--staged", os.path.join(folder, f"{segment:05d}-assigned.staged")]
    changed = {}
    for line in subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8").splitlines():
        entry = json.loads(line)
        changed.setdefault(task_of[entry["first"]], []).append(line)
    for task, lines in changed.items():
        with open(os.path.join(assigned_folder, f"{task:05d}.jsonl"), "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    print(f"dedupe assign: {len(ballots)} entities, {sum(len(lines) for lines in changed.values())} re-assigned, "
          f"{len(changed)} of {tasks} cluster tasks run again, {len(conflicts)} record keys in entities of two tasks",
          file=sys.stderr, flush=True)
    return set(changed)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
