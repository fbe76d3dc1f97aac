#!/usr/bin/env python3
"""Writes a CSV lead list as an .xlsx workbook laid out the way Excel saves one, for `make bench`.

    python3 Benchmarks/csv_to_xlsx.py out/bench/leads-1000000.csv out/bench/leads-1000000.xlsx

Standard library only (zipfile), so the bench never needs a package, and streaming: the sheet is written
row by row into the archive. Like Excel it puts every text in the shared strings (`t="s"`), writes integers
of up to 15 digits without a leading zero as numbers, and ISO dates (`2026-02-12`) as serial numbers with
the built-in date format 14, so reading the workbook back must give exactly the CSV's values.
"""
import csv
import datetime as dt
import re
import sys
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
INTEGER = re.compile(r"-?[1-9][0-9]{0,14}|0")
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
EPOCH = dt.date(1899, 12, 30)  # serial 61 onwards; every date here is after 1900-03-01


def column_letters(index):
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def text(value):
    # XML 1.0 cannot hold most control characters; Excel escapes them as _xHHHH_.
    return escape(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: "_x%04X_" % ord(m.group()), value))


def main(source, target):
    csv.field_size_limit(sys.maxsize)
    strings = {}
    order = []
    with open(source, newline="", encoding="utf-8") as f, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetData>'.encode())
            letters = [column_letters(i) for i in range(256)]
            for number, row in enumerate(csv.reader(f), start=1):
                cells = []
                for i, value in enumerate(row):
                    if value == "":
                        continue
                    ref = f"{letters[i]}{number}"
                    if number > 1 and INTEGER.fullmatch(value):
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                        continue
                    date = DATE.fullmatch(value) if number > 1 else None
                    if date:
                        try:
                            serial = (dt.date(*map(int, date.groups())) - EPOCH).days
                            cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                            continue
                        except ValueError:
                            pass
                    index = strings.get(value)
                    if index is None:
                        index = strings[value] = len(order)
                        order.append(value)
                    cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<sst xmlns="{MAIN}" uniqueCount="{len(order)}">'.encode())
            for value in order:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                table.write(f"<si><t{space}>{text(value)}</t></si>".encode())
            table.write(b"</sst>")
        archive.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                         'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
        archive.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                         f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                         f'Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                         f'<sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                         f'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
                         f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
                         f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        archive.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><cellXfs count="2">'
                         f'<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
    print(f"wrote {target}: {number - 1} rows, {len(order)} shared strings", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
