#!/usr/bin/env python3
"""Rewrites the generated parts of docs/stages/*.md and README.md from the built binary.

`leadhygiene stages --markdown` prints each stage's options table, added columns and reason codes between
`<!-- BEGIN GENERATED: PART STAGE -->` and `<!-- END GENERATED -->` markers; this script copies each part
into the files that hold the same markers, and writes docs/stages/STAGE.md for a stage that has no page
yet. `--check` changes nothing and exits 1 naming each file and part that differs (make check).

usage: scripts/update-docs.py [--check] [--binary .build/debug/leadhygiene]
"""
import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REGION = re.compile(r"<!-- BEGIN GENERATED: (\w+) (\w+) -->\n.*?<!-- END GENERATED -->\n", re.S)
HEADING = re.compile(r"^## `(\w+)`\n\n(.*?)\n", re.M)


def generated(binary):
    text = subprocess.run([binary, "stages", "--markdown"], check=True, capture_output=True, text=True).stdout
    regions = {(m.group(1), m.group(2)): m.group(0) for m in REGION.finditer(text)}
    summaries = {m.group(1): m.group(2) for m in HEADING.finditer(text)}
    return regions, summaries


def new_page(stage, summary, regions):
    """A first page for a stage: its summary and its generated parts, to be written around."""
    parts = [("Options", "options"), ("Added columns", "columns"), ("Reason codes", "reasons")]
    body = "".join(f"\n## {title}\n\n{regions[(part, stage)]}" for title, part in parts)
    return f"# `{stage}`\n\n{summary}\n{body}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a part differs")
    parser.add_argument("--binary", default=str(ROOT / ".build/debug/leadhygiene"))
    args = parser.parse_args()
    regions, summaries = generated(args.binary)

    stale, unfixable = [], []  # what make docs rewrites, and what needs a person
    files = sorted((ROOT / "docs/stages").glob("*.md")) + [ROOT / "README.md"]
    for path in files:
        text = path.read_text()
        name = path.relative_to(ROOT)

        def replace(match):
            key = (match.group(1), match.group(2))
            if key not in regions:
                unfixable.append(f"{name}: no stage part '{key[0]} {key[1]}' is generated; remove its markers")
                return match.group(0)
            if match.group(0) != regions[key]:
                stale.append(f"{name}: the {key[0]} of stage {key[1]} differ from the code")
            return regions[key]

        updated = REGION.sub(replace, text)
        if updated != text and not args.check:
            path.write_text(updated)

    for stage, summary in summaries.items():
        page = ROOT / "docs/stages" / f"{stage}.md"
        if not page.exists():
            stale.append(f"{page.relative_to(ROOT)}: missing")
            if not args.check:
                page.write_text(new_page(stage, summary, regions))
        elif f"<!-- BEGIN GENERATED: options {stage} -->" not in page.read_text():
            unfixable.append(f"{page.relative_to(ROOT)}: no generated options table for stage {stage}; "
                             f"add its markers: <!-- BEGIN GENERATED: options {stage} --> <!-- END GENERATED -->")

    for problem in unfixable + (stale if args.check else []):
        print(problem, file=sys.stderr)
    if args.check and stale:
        print("run make docs", file=sys.stderr)
    return 1 if unfixable or (args.check and stale) else 0

if __name__ == "__main__":
    sys.exit(main())
