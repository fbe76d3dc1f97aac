#!/usr/bin/env python3
"""Writes leadhygiene(1) in man(7) format from the binary's own help (swift-argument-parser's
`--experimental-dump-help`), so the page lists exactly the commands and options the binary has."""
import json
import subprocess
import sys


def esc(text: str) -> str:
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def option_name(arg: dict) -> str:
    names = []
    for n in arg.get("names", []):
        names.append(("-" if n["kind"] == "short" else "--") + n["name"])
    if not names:
        names = [arg.get("valueName", "ARG").upper()]
    text = ", ".join(names)
    if arg.get("kind") == "option":
        text += " " + arg.get("valueName", "value").upper()
    return text


def section(command: dict, path: str, out: list) -> None:
    out.append(f".SS {esc(path)}")
    if command.get("abstract"):
        out.append(esc(command["abstract"]))
    if command.get("discussion"):
        out.append(".PP")
        out.append(esc(command["discussion"]))
    for arg in command.get("arguments", []):
        if arg.get("shouldDisplay") is False:
            continue
        out.append(".TP")
        out.append(f"\\fB{esc(option_name(arg))}\\fR")
        out.append(esc(arg.get("abstract", "")))


def main() -> None:
    binary = sys.argv[1]
    help_json = json.loads(subprocess.run([binary, "--experimental-dump-help"], capture_output=True, check=True, text=True).stdout)
    root = help_json["command"]
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        f'.TH LEADHYGIENE 1 "" "leadhygiene {esc(version)}" "User Commands"',
        ".SH NAME",
        f"leadhygiene \\- {esc(root.get('abstract', ''))}",
        ".SH SYNOPSIS",
        "\\fBleadhygiene\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        esc(root.get("discussion", "")),
        ".SH COMMANDS",
    ]
    for sub in root.get("subcommands", []):
        if sub.get("commandName") == "help":
            continue
        section(sub, "leadhygiene " + sub["commandName"], out)
    out += [".SH SEE ALSO", "The README and docs/ shipped in share/doc/leadhygiene."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
