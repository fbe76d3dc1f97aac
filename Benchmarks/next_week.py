"""Makes next week's lead list from this week's, as MergeDecayBench's changed week does: of the plain rows
(no quotes, so one line each), every 97th is gone, every 41st has a new title and every 53rd a new company;
every other line (quoted values, the generator's malformed rows) is kept as it is.
Usage: python3 Benchmarks/next_week.py IN.csv OUT.csv"""
import sys

with open(sys.argv[1], encoding="utf-8", errors="surrogateescape", newline="") as src, \
        open(sys.argv[2], "w", encoding="utf-8", errors="surrogateescape", newline="") as dst:
    header = src.readline()
    dst.write(header)
    names = header.rstrip("\r\n").split(",")
    title, company = names.index("Title"), names.index("Company")
    for i, line in enumerate(src):
        fields = line.rstrip("\r\n").split(",")
        if '"' in line or len(fields) != len(names):
            dst.write(line)
            continue
        if i % 97 == 0:
            continue
        if i % 41 == 0:
            fields[title] = "Senior " + fields[title]
        if i % 53 == 0:
            fields[company] = f"Other {i % 1000} Corp"
        dst.write(",".join(fields) + line[len(line.rstrip("\r\n")):])
