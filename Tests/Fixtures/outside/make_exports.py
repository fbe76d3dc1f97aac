#!/usr/bin/env python3
"""Writes lead-list exports the way outside tools write them into the folder given (default: ./exports):
Excel's CSV flavours, CRM exports, malformed files and hostile values. Each file's rows are the same
ten people, so every run should account for ten rows (or say why not).

    python3 Tests/Fixtures/outside/make_exports.py OUTDIR
"""
import codecs
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "exports"
os.makedirs(OUT, exist_ok=True)

HEADER = ["Lead ID", "First Name", "Last Name", "Email", "Company", "Website", "Phone", "Country"]
PEOPLE = [
    ["L1", "Jürgen", "Müller", "juergen@mueller-soehne.de", "Müller & Söhne GmbH", "mueller-soehne.de", "030 1234567", "Germany"],
    ["L2", "Amélie", "Lefèvre", "amelie@societe.fr", "Société Générale", "societe.fr", "01 42 14 20 00", "France"],
    ["L3", "Björn", "Åkesson", "bjorn@angstrom.se", "Ångström AB", "angstrom.se", "08-123 456 78", "Sweden"],
    ["L4", "José", "Peña", "jose@iberica.es", "Compañía Ibérica, S.A.", "iberica.es", "912 345 678", "Spain"],
    ["L5", "Ann", "O’Neil", "ann@acme.com", "Acme, Inc.", "https://www.acme.com", "(415) 555-0134", "United States"],
    ["L6", "François", "Œuvray", "f@oeuvre.fr", "Œuvre “Plus”", "oeuvre.fr", "01 23 45 67 89", "France"],
    ["L7", "Zoë", "Brontë", "zoe@bronte.co.uk", "Brontë Ltd", "bronte.co.uk", "020 7946 0018", "United Kingdom"],
    ["L8", "Øyvind", "Ødegård", "oyvind@fjord.no", "Fjord AS", "fjord.no", "22 12 34 56", "Norway"],
    ["L9", "Çağla", "Işık", "cagla@istanbul.com.tr", "İstanbul A.Ş.", "istanbul.com.tr", "0212 555 12 12", "Turkey"],
    ["L10", "Renée", "Dupré", "renee@dupre.fr", "Dupré ≠ Dupont", "dupre.fr", "04 78 00 00 00", "France"],
]


def quote(v, sep):
    if any(c in v for c in (sep, '"', "\n", "\r")):
        return '"' + v.replace('"', '""') + '"'
    return v


def lines(rows, sep):
    return [sep.join(quote(v, sep) for v in r) for r in rows]


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def text(rows, sep=",", eol="\r\n", final=True):
    return eol.join(lines(rows, sep)) + (eol if final else "")


ALL = [HEADER] + PEOPLE
# Excel "CSV UTF-8": BOM, CRLF.
write("excel-csv-utf8.csv", codecs.BOM_UTF8 + text(ALL).encode("utf-8"))
# Excel "CSV" on a German Windows: cp1252, `;`. Characters outside cp1252 (≠, Ş, ğ, ı, İ) become '?', as Excel does.
write("excel-csv-cp1252-semicolon.csv", text(ALL, ";").encode("cp1252", errors="replace"))
# The same with the `sep=;` hint line Excel reads (and writes on request).
write("excel-sep-hint.csv", ("sep=;\r\n" + text(ALL, ";")).encode("cp1252", errors="replace"))
write("excel-sep-hint-comma.csv", ("sep=,\r\n" + text(ALL, ",")).encode("utf-8"))
# "CSV (Macintosh)": CR line ends, Mac Roman.
write("excel-csv-mac.csv", text(ALL, ",", "\r").encode("mac_roman", errors="replace"))
# "Unicode Text": UTF-16LE with BOM, tab-separated, CRLF.
write("excel-unicode-text.txt", codecs.BOM_UTF16_LE + text(ALL, "\t").encode("utf-16-le"))
# Google Sheets: LF, no BOM, final newline absent.
write("google-sheets.csv", text(ALL, ",", "\n", final=False).encode("utf-8"))
# Salesforce: UTF-8, CRLF, every field quoted, an embedded newline and doubled quotes.
sf = [HEADER + ["Description"]] + [p + ["Met at \"Expo\"\r\nfollow up"] for p in PEOPLE]
write("salesforce.csv", ("\r\n".join(",".join('"' + v.replace('"', '""') + '"' for v in r) for r in sf) + "\r\n").encode("utf-8"))
# HubSpot: duplicate header names and a blank header cell, German headers.
hs_header = ["Datensatz-ID", "Vorname", "Nachname", "E-Mail", "Firmenname", "Website-URL", "Telefonnummer", "Land/Region", "E-Mail", ""]
hs = [hs_header] + [p + ["other" + p[0] + "@example.com", "x"] for p in PEOPLE]
write("hubspot-dup-headers.csv", text(hs).encode("utf-8"))
# Ragged rows.
rag = [HEADER] + [p + (["extra"] if i % 3 == 0 else []) if i % 3 != 1 else p[:-2] for i, p in enumerate(PEOPLE)]
write("ragged.csv", text(rag).encode("utf-8"))
# A title line above the header.
write("title-line.csv", ("Lead export 2026-11-30,,,,,,,\r\n" + text(ALL)).encode("utf-8"))
write("title-line-single.csv", ("Lead export 2026-11-30\r\n\r\n" + text(ALL)).encode("utf-8"))
# Trailing delimiter on every line.
write("trailing-delimiter.csv", "".join(l + ",\r\n" for l in lines(ALL, ",")).encode("utf-8"))
# NUL bytes in a field and a stray NUL line.
nul = [HEADER] + [p[:] for p in PEOPLE]
nul[3][4] = "Ångström\x00AB"
write("nul-bytes.csv", text(nul).encode("utf-8"))
# Empty file, header-only.
write("empty.csv", b"")
write("header-only.csv", text([HEADER]).encode("utf-8"))
write("header-only-no-newline.csv", ",".join(HEADER).encode("utf-8"))
# A line > 1 MB.
big = [HEADER] + [p[:] for p in PEOPLE]
big[5][4] = "X" * (1 << 20) + " GmbH"
write("line-over-1mb.csv", text(big).encode("utf-8"))
# Invalid UTF-8 in a UTF-8 file (deep in: after 300 KB of good rows, and in the first block).
good = [HEADER] + [["G%d" % i, "Ann", "Lee", "ann%d@example.com" % i, "Example Co", "example.com", "555 0100", "US"] for i in range(6000)]
body = text(good).encode("utf-8")
bad_row = b"B1,Ren\xe9e,Dupr\xe9,renee@dupre.fr,Dupr\xe9 SARL,dupre.fr,04 78 00 00 00,France\r\n"
write("invalid-utf8-late.csv", body + bad_row)
write("invalid-utf8-early.csv", text([HEADER] + PEOPLE[:2]).encode("utf-8") + b"B1,Ren\xc3e,Dupr\xff,r@d.fr,D,d.fr,1,France\r\n" + text(PEOPLE[2:]).encode("utf-8"))
# Hostile values.
hostile = [HEADER,
           ["H1", "=cmd|' /C calc'!A0", "Smith", "h1@example.com", "=HYPERLINK(\"http://evil\",\"x\")", "example.com", "+1 415 555 0134", "US"],
           ["H2", "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0", "h2@example.com", "@SUM(A1)", "example.com", "-12", "US"],
           ["H3", "Ann\u202egnp.exe", "Lee\u200d", "\u00a0h3@example.com\u00a0", "Acme\u200bCorp", "example.com", "555", "US"],
           ["H4", "Zoe\u0301", "Li", "h4\uff20example.com", "Ｆｕｌｌｗｉｄｔｈ Ｃｏ", "example.com", "555", "US"],
           ["H5", "Ana 👩‍💻", "Ruiz 🇪🇸", "h5@example.com", "C" * 10000, "example.com", "555", "ES"],
           ["H6", "<script>alert(1)</script>", "<b>x</b>", "h6@example.com", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "555", "US"],
           ["H7", "\tTab", "\rCR", "h7@example.com", "A\"B\"C", "example.com", "555", "US"],
           ["H8", "Ana", "Ruiz", "not-an-email=cmd", "=1+1", "example.com", "555", "US"],
           ]
write("hostile.csv", text(hostile).encode("utf-8"))
