#!/usr/bin/env python3
"""`make spark-test`: a generated lead list run by one `leadhygiene run` and by scripts/leadhygiene_spark.py on
Spark local[N], with the same pipelines (Tests/Spark/*.yml) and reference time; the clean rows, the rejects with
their reasons and lines, the merged rows, the entity partition and the report (`leadhygiene report merge`, timings
and paths aside) must be the same, byte for byte where they are files. weekly-store.yml runs two weeks (--store-rows,
default 3,000) into a run store each way: after each week the two stores must hold the same (store_contents.py),
and a run that crosses fail_if must leave the Spark run's store as it was. with-scrape.yml (normalize, scrape, score;
--scrape-rows, default 2,000) visits every lead's website on loopback servers (site_server.py, two ports, each host
pinned to one by connect_to): the Spark run's scrape tasks each own their sites, and the files, the report's scrape
figures and what the servers saw (answers sent, requests in flight to one host) must be those of one machine.

    python3 Tests/Spark/compare_runs.py --binary B --lead-sample G --spark-submit S [--rows N] [--master local[2]]
        [--binary-archive out/leadhygiene-VERSION-linux-ARCH.tar.gz]

With --binary-archive the Spark runs get the `make dist` tarball only (Spark ships and unpacks it; nothing here
unpacks it), and a run given a tarball whose binary lacks a system library must stop before any work, naming it.

Prints one line per figure (what, rows, seconds, rows/s) and exits 1 on the first difference it finds.
"""

import argparse
import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zlib

import store_contents

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOW = "2026-12-01T00:00:00Z"
# with-dedupe.yml names its merged file (a run has no --merged flag).
ONE_MACHINE_MERGED = os.path.join(ROOT, "out", "spark-test", "one-machine.merged.csv")
ONE_MACHINE_STORE_MERGED = os.path.join(ROOT, "out", "spark-test", "weekly-store.one-machine.merged.csv")


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


def entity_pairs(merged_file):
    """The pairs of input lines that a merged file puts in one entity (each merged row with its survivor and the
    survivor's other merged rows)."""
    entities = {}
    with open(merged_file, encoding="utf-8", newline="") as merged:
        for row in list(csv.reader(merged))[1:]:
            entities.setdefault(row[1], {row[1]}).add(row[0])
    return {(a, b) for members in entities.values() for a in members for b in members if a < b}


def without_timings(value):
    """A report value with every timing (a key naming seconds) left out, nested."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if "seconds" not in k}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


# What a distributed run's report may say otherwise than a one-machine run's: when and how long it ran, with how many
# threads, where its files were, and the bytes it set aside (each partition holds its own rows).
REPORT_KEYS_APART = {"run_id", "started_at", "seconds", "jobs", "pipeline_file", "input", "output", "rejects", "timing",
                     "held_rows"}


def report_differences(single, merged):
    """Every key of report.json on which the Spark run's merged report and the one-machine report differ, timings and
    paths aside (REPORT_KEYS_APART, and every key naming seconds, nested)."""
    a = without_timings({k: v for k, v in single.items() if k not in REPORT_KEYS_APART})
    b = without_timings({k: v for k, v in merged.items() if k not in REPORT_KEYS_APART})
    problems = []
    for key in sorted(set(a) | set(b)):
        if key == "stages":
            continue  # by stage, below
        if a.get(key) != b.get(key):
            problems.append(f"report {key}: one machine {json.dumps(a.get(key))[:600]}, spark {json.dumps(b.get(key))[:600]}")
    one_stages, spark_stages = a.get("stages") or [], b.get("stages") or []
    if [s.get("name") for s in one_stages] != [s.get("name") for s in spark_stages]:
        return problems + [f"report stages: one machine {[s.get('name') for s in one_stages]}, "
                           f"spark {[s.get('name') for s in spark_stages]}"]
    for one, spark in zip(one_stages, spark_stages):
        if one.get("name") == "dedupe":
            continue  # dedupe_report_differences names its keys
        for key in sorted(set(one) | set(spark)):
            if one.get(key) != spark.get(key):
                problems.append(f"report stage {one.get('name')} {key}: one machine {json.dumps(one.get(key))[:600]}, "
                                f"spark {json.dumps(spark.get(key))[:600]}")
    return problems


def dedupe_report_differences(single, merged):
    """The dedupe stage's figures (findings and summary: pairs per rule, links, entities, EM, prior, weights, the
    largest clusters and explained pairs) must be the one-machine run's, timings aside."""
    problems = []
    single_dedupe = [s for s in single.get("stages", []) if s.get("name") == "dedupe"]
    merged_dedupe = [s for s in merged.get("stages", []) if s.get("name") == "dedupe"]
    if len(single_dedupe) != len(merged_dedupe):
        return [f"dedupe stages: {len(single_dedupe)} one machine, {len(merged_dedupe)} spark"]
    for one, spark in zip(single_dedupe, merged_dedupe):
        for section in ("findings", "summary"):
            a, b = without_timings(one.get(section)), without_timings(spark.get(section))
            if a != b:
                keys = sorted(k for k in set(a or {}) | set(b or {}) if (a or {}).get(k) != (b or {}).get(k))
                problems.append(f"dedupe {section} differs in {', '.join(keys)}: "
                                + "; ".join(f"{k}: one machine {(a or {}).get(k)!r}, spark {(b or {}).get(k)!r}" for k in keys)[:2000])
    return problems


def compare(name, arguments, leads, binary, spark_submit, extra_checks):
    """Runs `name`.yml on one machine and on Spark; returns the differences found."""
    work, rows, pipeline = arguments.work, arguments.rows, os.path.join(HERE, name + ".yml")
    one = {kind: os.path.join(work, f"one-machine.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
    spark = {kind: os.path.join(work, f"spark.{kind}")
             for kind in ("clean.csv", "rejects.csv", "merged.csv", "report.json", "report.html")}
    timed(f"{name}: one machine (leadhygiene run)", rows,
          [binary, "run", pipeline, "--input", leads, "--output", one["clean.csv"], "--rejects", one["rejects.csv"],
           "--report", one["report.json"], "--now", NOW, "--quiet"])
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(spark_submit), "python"))
    # In local mode the driver's JVM is the executor too: it holds the partitions' lines.
    shipped = ["--binary-archive", os.path.abspath(arguments.binary_archive)] if arguments.binary_archive else ["--binary", binary]
    command = [spark_submit, "--master", arguments.master, "--driver-memory", arguments.driver_memory,
               "--conf", "spark.ui.enabled=false",
               arguments.script, pipeline, "--input", leads, "--now", NOW] + shipped
    if name == "per-record":
        # The rows shuffled by email domain: which task runs a row must not change what is written.
        command_one_file = command + ["--by-email-domain"]
    else:
        command_one_file = command + ["--merged", spark["merged.csv"]]
        if arguments.dedupe_single_task:
            command_one_file.append("--dedupe-single-task")
    how = " --by-email-domain" if name == "per-record" else (" --dedupe-single-task" if arguments.dedupe_single_task
                                                             else ", dedupe over partitions")
    # The driver's own account (each dedupe step's seconds, the pairs and links it counted) is kept beside the files,
    # with Spark's log: spark-submit hands the Python driver's standard error on as its standard output.
    with open(os.path.join(work, f"spark-{name}.log"), "wb") as log:
        timed(f"{name}: spark {arguments.master} (leadhygiene_spark.py{how})", rows,
              command_one_file + ["--output", spark["clean.csv"], "--rejects", spark["rejects.csv"], "--report", spark["report.json"],
                                  "--html-report", spark["report.html"]],
              env=environment, stdout=log, stderr=log)
    problems = [p for p in (differ("clean rows", one["clean.csv"], spark["clean.csv"]),
                            differ("rejects", one["rejects.csv"], spark["rejects.csv"])) if p]
    if "parts" in extra_checks:
        timed(f"{name}: spark {arguments.master} (leadhygiene_spark.py --parts)", rows,
              command + ["--parts", "--output", os.path.join(work, "spark-parts.clean"),
                         "--rejects", os.path.join(work, "spark-parts.rejects")],
              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(one["clean.csv"], encoding="utf-8", newline="") as clean:
            body = clean.read().split("\n", 1)[1]
        if part_bodies(os.path.join(work, "spark-parts.clean")) != body:
            problems.append("clean rows: the --parts files, put together in part order, are not the one-machine rows")
    if "entities" in extra_checks:
        problem = differ("merged rows", ONE_MACHINE_MERGED, spark["merged.csv"])
        if problem:
            problems.append(problem)
        single_pairs, spark_pairs = entity_pairs(ONE_MACHINE_MERGED), entity_pairs(spark["merged.csv"])
        union = single_pairs | spark_pairs
        agreement = 100.0 * len(single_pairs & spark_pairs) / len(union) if union else 100.0
        print(f"{name}: entity partition: {len(single_pairs)} pairs one machine, {len(spark_pairs)} spark, "
              f"pairwise agreement {agreement:.2f} %")
        if agreement != 100.0:
            problems.append(f"entity partition: pairwise agreement {agreement:.2f} %")
    with open(one["report.json"], encoding="utf-8") as a, open(spark["report.json"], encoding="utf-8") as b:
        single, merged = json.load(a), json.load(b)
    if not merged.get("accounting", {}).get("holds") or merged.get("status") != "ok":
        problems.append(f"the spark report says {merged.get('status')!r}, accounting {merged.get('accounting')!r}")
    problems += report_differences(single, merged)
    problems += dedupe_report_differences(single, merged)
    page = subprocess.run([binary, "report", "html", spark["report.json"]], capture_output=True, check=True).stdout
    with open(spark["report.html"], "rb") as written:
        if written.read() != page:
            problems.append("report.html: the page the spark run wrote is not `leadhygiene report html` of its report.json")
    if not problems:
        dedupe = " and the same dedupe report (pairs per rule, links, entities, EM, prior, weights, largest clusters, " \
            "explained pairs; timings aside)" if any(s.get("name") == "dedupe" for s in single.get("stages", [])) else ""
        print(f"PASSED {name}, {rows} rows: the same clean rows and rejects (byte for byte), the same report.json "
              f"(headline {merged['headline']}, reasons {merged['reject_reasons']}, fail_if, stages' findings and summaries; "
              f"timings and paths aside) and accounting: rows_in {merged['rows_in']} = rows_out {merged['rows_out']} "
              f"+ rows_rejected {merged['rows_rejected']} + rows_merged {merged['rows_merged']}{dedupe}", flush=True)
    return [f"{name}: {p}" for p in problems]


# The scrape tests' fixture server: every host a small generated company site (--generic), HTTP/1.1 on 127.0.0.1.
SITE_SERVER = os.path.join(ROOT, "Tests", "ScrapeStageTests", "Fixtures", "site_server.py")
# What differs between two visits of the same site: when its pages were fetched.
FETCHED_AT = re.compile(r'"fetched_at":"[^"]*"')


def free_port():
    """A loopback port nothing listens on now (the servers bind it right after)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SiteServers:
    """site_server.py --generic on two loopback ports, and a bound socket that never listens (a connection to it is
    refused at once: where explicit https:// websites are sent, the fixture servers speak no TLS)."""

    def __init__(self, count=2, latency_ms=20):
        self.refused = socket.socket()
        self.refused.bind(("127.0.0.1", 0))
        self.ports, self.processes = [], []
        for _ in range(count):
            port = free_port()
            self.processes.append(subprocess.Popen([sys.executable, SITE_SERVER, "--port", str(port), "--generic",
                                                    "--latency-ms", str(latency_ms)]))
            self.ports.append(port)
        for port in self.ports:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                self.stop()
                sys.exit(f"FAILED the site server on port {port} did not start")

    def connect_to(self, hosts):
        """scrape's connect_to entries: each host's port 80 to one server (by crc32, so a host always lands on the same
        one), port 443 to the refused socket, and anything else (a domain normalize took from an email) to the first
        server: every connection stays on 127.0.0.1, and no name is looked up."""
        entries = [f"{host}:80:127.0.0.1:{self.ports[zlib.crc32(host.encode()) % len(self.ports)]}" for host in sorted(hosts)]
        return entries + [f"::443:127.0.0.1:{self.refused.getsockname()[1]}", f"::127.0.0.1:{self.ports[0]}"]

    def stats(self):
        """Per server: answers sent, and the most requests in flight to one host at once."""
        return [json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/__stats", timeout=10).read())
                for port in self.ports]

    def stop(self):
        for process in self.processes:
            process.terminate()
            process.wait()
        self.refused.close()


def website_hosts(leads):
    """The host names of the list's Website column (lower-cased, port and path left out): only for routing them to the
    loopback servers, not for keying sites (the binary does that)."""
    hosts = set()
    with open(leads, encoding="utf-8", newline="") as source:
        for row in csv.DictReader(source):
            value = (row.get("Website") or "").strip().lower()
            host = value.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
            if "." in host and " " not in host:
                hosts.add(host)
    return hosts


def without_fetch_times(path):
    """A scrape run's clean or rejects file with web_fetched_at and the fetched_at of web_sources blanked: the only
    values two visits of the same pages write differently."""
    with open(path, encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    if not rows:
        return rows
    timed = [i for i, name in enumerate(rows[0]) if name in ("web_fetched_at", "web_sources")]
    for row in rows[1:]:
        for i in timed:
            if i < len(row):
                row[i] = FETCHED_AT.sub('"fetched_at":""', row[i]) if rows[0][i] == "web_sources" else ""
    return rows


def compare_scrape(arguments, binary, spark_submit):
    """with-scrape.yml on one machine and on Spark (scrape in a task per group of sites), each against fresh loopback
    site servers: the same clean rows and rejects (fetch times aside), the same report (scrape's sites, requests,
    pages, robots, rows by status, fields), and the servers sent as many answers as the report counts, with never two
    requests in flight to one host (per_host 1: a site's rows were in one task)."""
    work, rows = arguments.work, arguments.scrape_rows
    leads = os.path.join(work, "scrape-leads.csv")  # as with-scrape.yml names it
    subprocess.run([arguments.lead_sample, "--rows", str(rows), "--seed", "5", "--output", leads], check=True,
                   stdout=subprocess.DEVNULL)
    hosts = website_hosts(leads)
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(spark_submit), "python"))
    shipped = ["--binary-archive", os.path.abspath(arguments.binary_archive)] if arguments.binary_archive else ["--binary", binary]
    with open(os.path.join(HERE, "with-scrape.yml"), encoding="utf-8") as template:
        text = template.read()
    results = {}
    for how in ("one-machine", "spark"):
        servers = SiteServers()
        try:
            pipeline = os.path.join(work, f"with-scrape.{how}.yml")
            with open(pipeline, "w", encoding="utf-8") as out:
                out.write(text.replace("      connect_to:\n", f"      connect_to: {json.dumps(servers.connect_to(hosts))}\n"))
            files = {kind: os.path.join(work, f"scrape.{how}.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
            if how == "one-machine":
                timed("with-scrape: one machine (leadhygiene run)", rows,
                      [binary, "run", pipeline, "--input", leads, "--output", files["clean.csv"], "--rejects",
                       files["rejects.csv"], "--report", files["report.json"], "--now", NOW, "--quiet"])
            else:
                with open(os.path.join(work, "spark-with-scrape.log"), "wb") as log:
                    timed(f"with-scrape: spark {arguments.master} (leadhygiene_spark.py, scrape by site)", rows,
                          [spark_submit, "--master", arguments.master, "--driver-memory", arguments.driver_memory,
                           "--conf", "spark.ui.enabled=false", arguments.script, pipeline, "--input", leads, "--now", NOW,
                           "--partitions", "3", "--output", files["clean.csv"], "--rejects", files["rejects.csv"],
                           "--report", files["report.json"]] + shipped, env=environment, stdout=log, stderr=log)
            results[how] = (files, servers.stats())
        finally:
            servers.stop()
    (one, one_stats), (spark, spark_stats) = results["one-machine"], results["spark"]
    problems = []
    for kind, name in (("clean.csv", "clean rows"), ("rejects.csv", "rejects")):
        a, b = without_fetch_times(one[kind]), without_fetch_times(spark[kind])
        if a != b:
            line = next((n for n, (x, y) in enumerate(zip(a, b), start=1) if x != y), min(len(a), len(b)) + 1)
            problems.append(f"{name} (fetch times aside): line {line} differs:\n  one machine: "
                            f"{a[line - 1] if line <= len(a) else None!r}\n  spark:       {b[line - 1] if line <= len(b) else None!r}")
    with open(one["report.json"], encoding="utf-8") as a, open(spark["report.json"], encoding="utf-8") as b:
        single, merged = json.load(a), json.load(b)
    if not merged.get("accounting", {}).get("holds") or merged.get("status") != "ok":
        problems.append(f"the spark report says {merged.get('status')!r}, accounting {merged.get('accounting')!r}")
    problems += report_differences(single, merged)
    summary = next(s for s in merged["stages"] if s["name"] == "scrape")["summary"]
    fetched = summary["pages_fetched"] + summary["robots_fetched"] + summary["redirects_fetched"]
    for how, stats in (("one machine", one_stats), ("spark", spark_stats)):
        answered = sum(server["total"] for server in stats)
        peak = max(server["peak_per_host"] for server in stats)
        if answered != fetched:
            problems.append(f"{how}: the servers sent {answered} answers, the report counts {fetched} fetched")
        if peak > 1:
            problems.append(f"{how}: {peak} requests were in flight to one host at once (per_host is 1)")
    # The driver's own account of the scrape segment: how many sites each task visited.
    with open(os.path.join(work, "spark-with-scrape.log"), encoding="utf-8", errors="replace") as log:
        tasks = [line.rsplit(": ", 1)[1].split() for line in log if line.startswith("scrape by site: ")]
    if not tasks or sum(1 for n in tasks[0] if int(n)) < 2:
        problems.append(f"scrape did not run in several tasks: sites per task {tasks}")
    statuses = summary["rows_by_status"]
    if not summary["pages_fetched"] or len(statuses) < 2:
        problems.append(f"the scrape run proves little: {summary['pages_fetched']} pages fetched, rows by status {statuses}")
    if not problems:
        print(f"PASSED with-scrape, {rows} rows: the same clean rows and rejects (fetch times aside) and report.json; "
              f"scrape {summary['sites']} sites, {summary['requests']} requests, {summary['pages_fetched']} pages, "
              f"{summary['robots_fetched']} robots.txt, rows by status {statuses}; the servers answered {fetched} each "
              f"time, one request at a time per host; accounting rows_in {merged['rows_in']} = rows_out {merged['rows_out']} "
              f"+ rows_rejected {merged['rows_rejected']} + rows_merged {merged['rows_merged']}", flush=True)
    return [f"with-scrape: {p}" for p in problems]


def without_store_paths(report):
    """A report without what two stores' runs differ in by nature: the store's path, when the runs in its history
    started."""
    report = dict(report)
    if isinstance(report.get("store"), dict):
        report["store"] = {k: v for k, v in report["store"].items() if k != "path"}
    if isinstance(report.get("history"), list):
        report["history"] = [{k: v for k, v in run.items() if k != "started_at"} for run in report["history"]]
    return report


def segment_tasks(log_path):
    """The driver's account of its segments in a Spark log: [(stages, names, tasks)], in pipeline order."""
    found = []
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            matched = re.match(r"segment (\d+-\d+) \((.*)\): (\d+) tasks?$", line.rstrip("\n"))
            if matched:
                found.append((matched.group(1), matched.group(2), int(matched.group(3))))
    return found


def store_run_proves_little(single, tasks):
    """Why a weekly-store comparison would not catch a mistake in handing decay the rows set aside, or None: its
    one-machine report must have rows rejected by email_check and merged by dedupe, and the Spark run must have run
    normalize and email_check in several tasks and decay in one."""
    stages = {stage.get("name"): stage for stage in single.get("stages", [])}
    problems = []
    if not stages.get("email_check", {}).get("rows_rejected"):
        problems.append("email_check rejected no row")
    if not stages.get("dedupe", {}).get("rows_merged"):
        problems.append("dedupe merged no row")
    first = next((n for stages_run, names, n in tasks if "email_check" in names.split(", ")), 0)
    decay = next((n for stages_run, names, n in tasks if "decay" in names.split(", ")), 0)
    if first < 2 or decay != 1 or any("decay" in names.split(", ") and "email_check" in names.split(", ") for _, names, _ in tasks):
        problems.append(f"the stages did not run spread (segments and their tasks: {tasks})")
    return "; ".join(problems) or None


def compare_store_weeks(arguments, binary, spark_submit):
    """weekly-store.yml over two weeks (the second made by Benchmarks/next_week.py: leads gone, new titles, new
    companies), each run by one `leadhygiene run` into one store and by the Spark driver into another: the same clean
    rows, rejects and merged rows, the same report (timings, paths and when the stores' runs started aside; decay's
    week-over-week figures included) and, after each week, the same store contents (store_contents.py). Each week has
    rows email_check rejects (and the generator's malformed rows, which the reader rejects) and rows dedupe merges, all
    of which decay snapshots or counts in its one task while the stages before it run in every partition."""
    work, rows = arguments.work, arguments.store_rows
    pipeline = os.path.join(HERE, "weekly-store.yml")
    week1 = os.path.join(work, f"week1-{rows}.csv")
    week2 = os.path.join(work, f"week2-{rows}.csv")
    subprocess.run([arguments.lead_sample, "--rows", str(rows), "--seed", "11", "--output", week1], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "next_week.py"), week1, week2], check=True)
    one_store, spark_store = os.path.join(work, "one-machine.sqlite"), os.path.join(work, "spark.sqlite")
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(spark_submit), "python"))
    shipped = ["--binary-archive", os.path.abspath(arguments.binary_archive)] if arguments.binary_archive else ["--binary", binary]
    problems = []
    for week, (leads, now) in enumerate([(week1, NOW), (week2, "2026-12-08T00:00:00Z")], start=1):
        one = {kind: os.path.join(work, f"store-week{week}.one-machine.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
        spark = {kind: os.path.join(work, f"store-week{week}.spark.{kind}")
                 for kind in ("clean.csv", "rejects.csv", "merged.csv", "report.json", "report.html")}
        timed(f"weekly-store week {week}: one machine (leadhygiene run)", rows,
              [binary, "run", pipeline, "--input", leads, "--output", one["clean.csv"], "--rejects", one["rejects.csv"],
               "--report", one["report.json"], "--now", now, "--store", one_store, "--quiet"])
        spark_log = os.path.join(work, f"spark-weekly-store-{week}.log")
        with open(spark_log, "wb") as log:
            timed(f"weekly-store week {week}: spark {arguments.master} (leadhygiene_spark.py, store import)", rows,
                  [spark_submit, "--master", arguments.master, "--driver-memory", arguments.driver_memory,
                   "--conf", "spark.ui.enabled=false", arguments.script, pipeline, "--input", leads, "--now", now,
                   "--store", spark_store, "--output", spark["clean.csv"], "--rejects", spark["rejects.csv"],
                   "--merged", spark["merged.csv"], "--report", spark["report.json"], "--html-report", spark["report.html"]]
                  + shipped, env=environment, stdout=log, stderr=log)
        found = [p for p in (differ("clean rows", one["clean.csv"], spark["clean.csv"]),
                             differ("rejects", one["rejects.csv"], spark["rejects.csv"]),
                             differ("merged rows", ONE_MACHINE_STORE_MERGED, spark["merged.csv"])) if p]
        with open(one["report.json"], encoding="utf-8") as a, open(spark["report.json"], encoding="utf-8") as b:
            single, merged = json.load(a), json.load(b)
        tasks = segment_tasks(spark_log)
        weak = store_run_proves_little(single, tasks)
        if weak:
            found.append(f"the comparison proves little: {weak}")
        found += report_differences(without_store_paths(single), without_store_paths(merged))
        found += dedupe_report_differences(single, merged)
        if (merged.get("store") or {}).get("run_id") != week:
            found.append(f"the spark report's store section is {merged.get('store')!r}, expected run {week} recorded")
        page = subprocess.run([binary, "report", "html", spark["report.json"]], capture_output=True, check=True).stdout
        with open(spark["report.html"], "rb") as written:
            if written.read() != page:
                found.append("report.html: the page is not `leadhygiene report html` of the recorded run's report.json")
        found += store_contents.differences(one_store, spark_store)
        if not found:
            decay = next(s for s in merged["stages"] if s["name"] == "decay")["summary"]["run_over_run"]
            tables = store_contents.contents(spark_store)
            set_aside = {s["name"]: (s.get("rows_rejected", 0), s.get("rows_merged", 0)) for s in single["stages"]}
            print(f"PASSED weekly-store week {week}, {rows} rows: the same clean rows, rejects and merged rows, the same "
                  f"report.json (decay compared {decay.get('leads_compared', 0)} leads with run {decay.get('previous_run')}, "
                  f"recorded run {decay.get('recorded_run')}; rows set aside before decay: {merged['rows_rejected']} rejected, "
                  f"{set_aside['email_check'][0]} of them by email_check, {set_aside['dedupe'][1]} merged by dedupe; segments "
                  + ", ".join(f"{names} in {n} task{'' if n == 1 else 's'}" for _, names, n in tasks) + ") and the same store: " + ", ".join(
                      f"{t} {n}" for t, (n, _) in sorted(tables.items()) if n and t not in ("grdb_migrations", "sqlite_sequence")),
                  flush=True)
        problems += [f"weekly-store week {week}: {p}" for p in found]
    # A run that crosses a fail_if threshold publishes the report and the rejects, and the store stays as it was.
    before = store_contents.contents(spark_store)
    clean = os.path.join(work, "store-failing.spark.clean.csv")
    with open(os.path.join(work, "spark-weekly-store-fails.log"), "wb") as log:
        status = subprocess.run([spark_submit, "--master", arguments.master, "--driver-memory", arguments.driver_memory,
                                 "--conf", "spark.ui.enabled=false", arguments.script, os.path.join(HERE, "weekly-store-fails.yml"),
                                 "--input", week2, "--now", "2026-12-15T00:00:00Z", "--store", spark_store, "--output", clean,
                                 "--report", os.path.join(work, "store-failing.spark.report.json")] + shipped,
                                env=environment, stdout=log, stderr=log).returncode
    if status != 1 or os.path.exists(clean) or store_contents.contents(spark_store) != before:
        problems.append(f"weekly-store, fail_if crossed: exit {status} (expected 1), clean file written: "
                        f"{os.path.exists(clean)}, the store changed: {store_contents.contents(spark_store) != before}")
    else:
        print("PASSED weekly-store, fail_if crossed: exit 1, no clean file, the store as it was", flush=True)
    return problems


def split_week(week1, clean1, week2, tasks):
    """Week 2 of `--only memory`, from week 1 and its one-machine clean file (annotated with entity_id): week 1's rows
    in place (so each keeps its seq), where the second row of some two-row entities becomes another, unrelated lead
    under the same Lead ID (both parts then vote for the old entity's id), and new rows that take the Lead ID of a
    one-row entity (a record key in two entities). Chosen where the parts' component labels (their seqs, alone now)
    fall into different cluster tasks by the driver's crc32, so the tasks' own naming cannot be the one-machine one."""
    csv.field_size_limit(sys.maxsize)  # the generator writes a few hostile, very long values
    with open(week1, encoding="utf-8", newline="") as source:
        rows = list(csv.reader(source))
    with open(clean1, encoding="utf-8", newline="") as source:
        clean = list(csv.reader(source))
    names, entity_of = rows[0], {}
    lead, entity = clean[0].index("Lead ID"), clean[0].index("entity_id")
    for row in clean[1:]:
        entity_of.setdefault(row[entity], []).append(row[lead])
    # Lead IDs that name one well-formed input row (the generator also writes broken and repeated rows).
    seen = {}
    for number, row in enumerate(rows[1:], start=2):
        key = row[names.index("Lead ID")] if len(row) == len(names) else None
        seen[key] = None if key in seen else number
    seq_of = {key: number for key, number in seen.items() if key and number}
    entity_of = {entity: members for entity, members in entity_of.items() if all(key in seq_of for key in members)}
    task = lambda seq: zlib.crc32(str(seq).encode()) % tasks  # noqa: E731 - the driver's partitionBy of a component label

    def stranger(row, n):
        # Nothing left to link it to its old entity or to any other lead: name, email, company, website, phone.
        values = dict(zip(names, row), **{"First Name": "Quennel", "Last Name": f"Zarvoski{n}", "Email": f"qz{n}@zarvoski{n}-labs.com",
                                          "Company": f"Zarvoski {n} Labs", "Website": f"https://www.zarvoski{n}-labs.com",
                                          "Phone": f"+1 555 01{n:02d} {n:04d}"})
        return [values[name] for name in names]
    split = [members for members in entity_of.values() if len(members) == 2
             and task(seq_of[members[0]]) != task(seq_of[members[1]])][:6]
    for n, members in enumerate(split):
        seq = seq_of[members[1]]
        rows[seq - 1] = stranger(rows[seq - 1], n)
    singles = [members[0] for members in entity_of.values() if len(members) == 1]
    added = []
    for key in singles:
        if len(added) == 6:
            break
        if task(seq_of[key]) != task(len(rows) + 1 + len(added)):
            added.append(stranger(rows[seq_of[key] - 1], 50 + len(added)))
    with open(week2, "w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows + added)
    return len(split), len(added)


def compare_memory_weeks(arguments, binary, spark_submit):
    """dedupe-store.yml two weeks with a run store, dedupe over partitions (issue #23): each week the Spark run must say
    "dedupe over N partitions" (not one task) and give the one-machine clean rows, rejects, report and store (entity ids
    by record key included); in week 2 (split_week) the driver must have named some entity otherwise than its task."""
    work, rows, tasks = arguments.work, arguments.store_rows, 4
    pipeline = os.path.join(HERE, "dedupe-store.yml")
    weeks = [os.path.join(work, f"memory-week{week}-{rows}.csv") for week in (1, 2)]
    subprocess.run([arguments.lead_sample, "--rows", str(rows), "--seed", "13", "--output", weeks[0]], check=True,
                   stdout=subprocess.DEVNULL)
    stores = os.path.join(work, "memory.one-machine.sqlite"), os.path.join(work, "memory.spark.sqlite")
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(spark_submit), "python"))
    problems = []
    for week, now in enumerate([NOW, "2026-12-08T00:00:00Z"], start=1):
        one, spark = ({kind: os.path.join(work, f"memory-week{week}.{how}.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
                      for how in ("one-machine", "spark"))
        if week == 2:
            made = split_week(weeks[0], os.path.join(work, "memory-week1.one-machine.clean.csv"), weeks[1], tasks)
            print(f"memory week 2: {made[0]} two-row entities split, {made[1]} Lead IDs given to a second lead", flush=True)
        timed(f"memory week {week}: one machine (leadhygiene run)", rows,
              [binary, "run", pipeline, "--input", weeks[week - 1], "--output", one["clean.csv"], "--rejects", one["rejects.csv"],
               "--report", one["report.json"], "--now", now, "--store", stores[0], "--quiet"])
        log_path = os.path.join(work, f"spark-memory-{week}.log")
        with open(log_path, "wb") as log:
            timed(f"memory week {week}: spark {arguments.master} (leadhygiene_spark.py, dedupe over partitions, store import)", rows,
                  [spark_submit, "--master", arguments.master, "--driver-memory", arguments.driver_memory, "--conf",
                   "spark.ui.enabled=false", arguments.script, pipeline, "--input", weeks[week - 1], "--now", now, "--store",
                   stores[1], "--partitions", str(tasks), "--output", spark["clean.csv"], "--rejects", spark["rejects.csv"],
                   "--report", spark["report.json"], "--binary", binary], env=environment, stdout=log, stderr=log)
        found = [p for p in (differ("clean rows", one["clean.csv"], spark["clean.csv"]),
                             differ("rejects", one["rejects.csv"], spark["rejects.csv"])) if p]
        with open(one["report.json"], encoding="utf-8") as a, open(spark["report.json"], encoding="utf-8") as b:
            single, merged = json.load(a), json.load(b)
        found += report_differences(without_store_paths(single), without_store_paths(merged))
        found += dedupe_report_differences(single, merged)
        found += store_contents.differences(*stores)
        with open(log_path, encoding="utf-8", errors="replace") as log:
            said = log.read()
        over = re.search(r"^dedupe over (\d+) partitions:", said, re.MULTILINE)
        assigned = re.search(r"^dedupe assign: (\d+) entities, (\d+) re-assigned, (\d+) of (\d+) cluster tasks run again, "
                             r"(\d+) record keys in entities of two tasks", said, re.MULTILINE)
        if not over or not assigned:
            found.append("dedupe did not run over partitions (no 'dedupe over N partitions' and 'dedupe assign' lines)")
        elif week == 2 and (int(assigned.group(2)) == 0 or int(assigned.group(5)) == 0):
            found.append(f"week 2 proves little: {assigned.group(0)}")
        if not found:
            print(f"PASSED memory week {week}, {rows} rows: dedupe over {over.group(1)} partitions, {assigned.group(0)}; the same "
                  f"clean rows, rejects, report.json and store ({len(store_contents.entity_ids(stores[1]))} record keys, the "
                  "same entity id each)", flush=True)
        problems += [f"memory week {week}: {p}" for p in found]
    return problems


def unrunnable_archive(work):
    """A tarball laid out as `make dist` lays it out whose bin/leadhygiene needs a library no machine has (a small C
    program linked against one that is then deleted): what an executor without libcurl or libxml2 would meet."""
    build = os.path.join(work, "unrunnable")
    os.makedirs(build, exist_ok=True)
    with open(os.path.join(build, "absent.c"), "w") as source:
        source.write("int leadhygiene_absent(void) { return 0; }\n")
    with open(os.path.join(build, "main.c"), "w") as source:
        source.write("int leadhygiene_absent(void);\nint main(void) { return leadhygiene_absent(); }\n")
    subprocess.run(["cc", "-shared", "-fPIC", "-o", os.path.join(build, "libleadhygiene-absent.so.1"),
                    "-Wl,-soname,libleadhygiene-absent.so.1", os.path.join(build, "absent.c")], check=True)
    subprocess.run(["cc", "-o", os.path.join(build, "leadhygiene"), os.path.join(build, "main.c"),
                    os.path.join(build, "libleadhygiene-absent.so.1")], check=True)
    os.remove(os.path.join(build, "libleadhygiene-absent.so.1"))
    archive = os.path.join(work, "leadhygiene-0.0.0-linux-unrunnable.tar.gz")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(os.path.join(build, "leadhygiene"), arcname="leadhygiene-0.0.0-linux-unrunnable/bin/leadhygiene")
        readme = b"a binary that cannot run: see Tests/Spark/compare_runs.py\n"
        info = tarfile.TarInfo("leadhygiene-0.0.0-linux-unrunnable/README")
        info.size = len(readme)
        tar.addfile(info, io.BytesIO(readme))
    return archive


def check_unrunnable_archive(arguments, leads, binary, spark_submit):
    """A run shipped a binary its executors cannot run stops before any work (exit 2, nothing written), and says
    which library is missing; the driver runs the real binary (--driver-binary)."""
    work = arguments.work
    archive = unrunnable_archive(work)
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(spark_submit), "python"))
    output = os.path.join(work, "unrunnable.clean.csv")
    result = subprocess.run([spark_submit, "--master", arguments.master, "--conf", "spark.ui.enabled=false", arguments.script,
                             os.path.join(HERE, "per-record.yml"), "--input", leads, "--now", NOW, "--binary-archive", archive,
                             "--driver-binary", binary, "--output", output], env=environment, capture_output=True)
    said = result.stderr.decode("utf-8", "replace") + result.stdout.decode("utf-8", "replace")
    problems = []
    if result.returncode != 2:
        problems.append(f"unrunnable archive: exit {result.returncode}, expected 2")
    if "missing system libraries: libleadhygiene-absent.so.1" not in said:
        problems.append("unrunnable archive: the error does not name the missing library: "
                        + "; ".join(line for line in said.splitlines() if "error" in line.lower())[:1000])
    if os.path.exists(output):
        problems.append("unrunnable archive: a clean file was written")
    if not problems:
        print("PASSED unrunnable archive: exit 2 before any work, naming libleadhygiene-absent.so.1", flush=True)
    return problems


def export_folder(leads, folder, rows):
    """The first `rows` leads as a CRM export's folder of parts (export-folder.yml): `;` and CRLF, an `Email` column of
    the company's inbox before the contact's, Spark's part names, marker, checksum file and an empty part."""
    # The generated list holds hostile rows (a note of megabytes among them): read them whole.
    csv.field_size_limit(sys.maxsize)
    with open(leads, encoding="utf-8", errors="surrogateescape", newline="") as source:
        reader = csv.reader(source)
        header = next(reader)
        body = [row for _, row in zip(range(rows), reader)]
    email = header.index("Email")
    website = header.index("Website")
    header = header[:email] + ["Email"] + header[email:]
    def inbox(row):
        site = row[website] if website < len(row) else ""
        return f"info@{site.split('//')[-1].split('/')[0].removeprefix('www.')}" if site else ""
    # A row too short for its Email column (a broken row of the list) stays as it was: it is rejected either way.
    body = [row[:email] + [inbox(row)] + row[email:] if email < len(row) else row for row in body]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    cuts = [0, len(body) // 5, len(body) // 2, len(body) * 4 // 5, len(body)]
    for part in range(4):
        name = os.path.join(folder, f"part-{part:05d}-5d1f7a1e-c000.csv")
        with open(name, "w", encoding="utf-8-sig" if part == 2 else "utf-8", errors="surrogateescape", newline="") as out:
            writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(body[cuts[part]:cuts[part + 1]])
    open(os.path.join(folder, "part-00004-5d1f7a1e-c000.csv"), "w").close()
    open(os.path.join(folder, "_SUCCESS"), "w").close()
    with open(os.path.join(folder, ".part-00000-5d1f7a1e-c000.csv.crc"), "wb") as crc:
        crc.write(b"crc\x00\x01")


def compare_export_folder(arguments, leads, binary, spark_submit):
    """export-folder.yml on one machine and on Spark (`--input` a folder of parts): the same files and report; and the
    driver's destination checks: a file destination that is a folder, a --parts folder holding other files, an output
    inside the input folder are each refused with exit 2 before any work, the folders as they were."""
    work, rows = arguments.work, min(arguments.rows, 5000)
    folder = os.path.join(work, "export-folder")
    export_folder(leads, folder, rows)
    pipeline = os.path.join(HERE, "export-folder.yml")
    one = {kind: os.path.join(work, f"one-machine.export.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
    spark = {kind: os.path.join(work, f"spark.export.{kind}") for kind in ("clean.csv", "rejects.csv", "report.json")}
    timed("export-folder: one machine (leadhygiene run)", rows,
          [binary, "run", pipeline, "--input", folder, "--output", one["clean.csv"], "--rejects", one["rejects.csv"],
           "--report", one["report.json"], "--now", NOW, "--quiet"])
    environment = dict(os.environ, PYSPARK_PYTHON=os.path.join(os.path.dirname(spark_submit), "python"))
    shipped = ["--binary-archive", os.path.abspath(arguments.binary_archive)] if arguments.binary_archive else ["--binary", binary]
    command = [spark_submit, "--master", arguments.master, "--conf", "spark.ui.enabled=false", arguments.script, pipeline,
               "--input", folder, "--now", NOW] + shipped
    with open(os.path.join(work, "spark-export-folder.log"), "wb") as log:
        timed(f"export-folder: spark {arguments.master} (leadhygiene_spark.py --input FOLDER --by-email-domain)", rows,
              command + ["--by-email-domain", "--output", spark["clean.csv"], "--rejects", spark["rejects.csv"],
                         "--report", spark["report.json"]], env=environment, stdout=log, stderr=log)
    problems = [p for p in (differ("clean rows", one["clean.csv"], spark["clean.csv"]),
                            differ("rejects", one["rejects.csv"], spark["rejects.csv"])) if p]
    with open(one["report.json"], encoding="utf-8") as a, open(spark["report.json"], encoding="utf-8") as b:
        single, merged = json.load(a), json.load(b)
    problems += report_differences(single, merged)
    if not any("is a folder of 4 parts" in note for note in merged.get("notes", [])):
        problems.append(f"the report's notes do not say the input was read as 4 parts: {merged.get('notes')}")
    with open(one["clean.csv"], encoding="utf-8") as clean:
        first = clean.readline()
    if "Email;Email" not in first and "Email,Email" not in first:
        problems.append(f"the clean header does not keep both Email columns: {first[:200]!r}")

    # Destinations that would destroy what is there are refused before any work.
    keep = os.path.join(work, "export-keep")
    os.makedirs(keep, exist_ok=True)
    with open(os.path.join(keep, "notes.txt"), "w") as note:
        note.write("not the run's\n")
    for what, extra, said in [("--output an existing folder", ["--output", keep], "is a folder: name a file"),
                              ("--parts into a folder of other files", ["--parts", "--output", keep], "holds files that are not"),
                              ("--output inside the input folder", ["--output", os.path.join(folder, "clean.csv")],
                               "is inside the input folder")]:
        result = subprocess.run(command + extra, env=environment, capture_output=True)
        text = result.stderr.decode("utf-8", "replace") + result.stdout.decode("utf-8", "replace")
        if result.returncode != 2 or said not in text:
            problems.append(f"{what}: exit {result.returncode} (expected 2) and the error does not say '{said}'")
    if sorted(os.listdir(keep)) != ["notes.txt"] or os.path.exists(os.path.join(folder, "clean.csv")):
        problems.append(f"a refused run changed a folder: {sorted(os.listdir(keep))}")
    if not problems:
        print(f"PASSED export-folder, {rows} rows in 4 parts (`;`, CRLF, a byte order mark, Email twice): the same clean rows, "
              f"rejects and report.json as one machine (rows_in {merged['rows_in']} = rows_out {merged['rows_out']} + "
              f"rows_rejected {merged['rows_rejected']}); destinations that would destroy a folder refused with exit 2", flush=True)
    return [f"export-folder: {p}" for p in problems]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--lead-sample", required=True)
    parser.add_argument("--spark-submit", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--pipelines", default="per-record,with-dedupe,weekly-store,memory,with-scrape,export-folder",
                        help="which of Tests/Spark/*.yml to compare (per-record: also --parts; with-dedupe: also the entities; "
                        "weekly-store: two weeks with a run store, --store-rows rows; memory: dedupe-store.yml two weeks, "
                        "dedupe over partitions with a store, --store-rows rows; with-scrape: loopback sites, "
                        "--scrape-rows rows; export-folder: a CRM export as a folder of parts, and the driver's refused destinations)")
    parser.add_argument("--only", choices=["memory"], help="memory: only the memory check (no 100,000-row list is made)")
    parser.add_argument("--store-rows", type=int, default=3000, help="rows of weekly-store's first week")
    parser.add_argument("--scrape-rows", type=int, default=2000, help="rows of with-scrape's list")
    parser.add_argument("--dedupe-single-task", action="store_true",
                        help="run with-dedupe's dedupe in one task (the fallback) instead of over partitions")
    parser.add_argument("--skip-parts", action="store_true", help="leave out the --parts run (for figures)")
    parser.add_argument("--script", default=os.path.join(ROOT, "scripts", "leadhygiene_spark.py"),
                        help="the Spark driver script (another version of it, to compare figures)")
    parser.add_argument("--work", default=os.path.join(ROOT, "out", "spark-test"))
    parser.add_argument("--binary-archive",
                        help="the `make dist` tarball: the Spark runs get it instead of --binary (Spark ships and unpacks it), "
                        "and a tarball whose binary cannot run must stop the run naming the missing library")
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    shutil.rmtree(arguments.work, ignore_errors=True)
    os.makedirs(arguments.work)
    if arguments.only == "memory":
        return only_memory(arguments, binary)
    leads = os.path.join(arguments.work, f"leads-{arguments.rows}.csv")
    subprocess.run([arguments.lead_sample, "--rows", str(arguments.rows), "--seed", "7", "--output", leads,
                    "--truth", os.path.join(arguments.work, "truth.csv"),
                    "--firmographics", os.path.join(arguments.work, "firmographics.csv")],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)", flush=True)
    problems = []
    if arguments.binary_archive:
        problems += check_unrunnable_archive(arguments, leads, binary, os.path.abspath(arguments.spark_submit))
    for name in arguments.pipelines.split(","):
        if name == "weekly-store":
            problems += compare_store_weeks(arguments, binary, os.path.abspath(arguments.spark_submit))
            continue
        if name == "export-folder":
            problems += compare_export_folder(arguments, leads, binary, os.path.abspath(arguments.spark_submit))
            continue
        if name == "with-scrape":
            problems += compare_scrape(arguments, binary, os.path.abspath(arguments.spark_submit))
            continue
        if name == "memory":
            problems += compare_memory_weeks(arguments, binary, os.path.abspath(arguments.spark_submit))
            continue
        checks = {"per-record": set() if arguments.skip_parts else {"parts"}, "with-dedupe": {"entities"}}.get(name, set())
        problems += compare(name, arguments, leads, binary, os.path.abspath(arguments.spark_submit), checks)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)", flush=True)
    if problems:
        print("FAILED the spark run differs from the one-machine run:\n" + "\n".join(problems))
        return 1
    return 0


def only_memory(arguments, binary):
    """`--only memory`: compare_memory_weeks alone."""
    problems = compare_memory_weeks(arguments, binary, os.path.abspath(arguments.spark_submit))
    print("FAILED the spark run differs from the one-machine run:\n" + "\n".join(problems) if problems else "PASSED memory")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
