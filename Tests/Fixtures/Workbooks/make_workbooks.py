#!/usr/bin/env python3
"""Writes the .xlsx fixtures beside this script with openpyxl (3.1.5), a producer the reader was not
written against, plus `crm-export.csv`: the same list as `crm-export.xlsx`, its values written as the
reader should read them, for the end-to-end comparison.

    python3 -m venv .venv && .venv/bin/pip install openpyxl==3.1.5
    .venv/bin/python Tests/Fixtures/Workbooks/make_workbooks.py

The files are committed; tests do not need Python. openpyxl stamps the current time in docProps/core.xml,
so regenerating changes the bytes but not the cells.
"""
import csv
import datetime as dt
import os
import sys

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["Record ID", "Email Address", "First Name", "Last Name", "Company Name", "Phone Number",
          "Country/Region", "Annual Revenue", "Last Activity Date", "Create Date", "Subscribed", "Lead Score"]

# (row values, the text the reader should give for each); None is an empty cell.
ROWS = [
    ([10000, "juergen.mueller@example.de", "Jürgen", "Müller", "Müller & Söhne GmbH", 4915112345678, "Germany",
      1250000.5, dt.datetime(2026, 2, 12, 9, 15), dt.date(2025, 11, 3), True, 0.1],
     ["10000", "juergen.mueller@example.de", "Jürgen", "Müller", "Müller & Söhne GmbH", "4915112345678", "Germany",
      "1250000.5", "2026-02-12T09:15:00", "2025-11-03", "true", "0.1"]),
    ([10001, "claire@societe.fr", "Claire", "Dubois", "Société Générale, Paris", "+33 1 42 14 20 00", "France",
      None, dt.date(2026, 1, 5), dt.date(2024, 2, 29), False, 87],
     ["10001", "claire@societe.fr", "Claire", "Dubois", "Société Générale, Paris", "+33 1 42 14 20 00", "France",
      "", "2026-01-05", "2024-02-29", "false", "87"]),
    # A gap in the middle of the row and a trailing empty cell.
    ([10002, "ana@example.es", "Ana", None, "Ejemplo S.L.", None, "Spain", 3.75, None, dt.date(2023, 7, 1), None, None],
     ["10002", "ana@example.es", "Ana", "", "Ejemplo S.L.", "", "Spain", "3.75", "", "2023-07-01", "", ""]),
    # An error cell (a lookup that found nothing) reads as empty.
    ([10003, "bob@example.com", "Bob", "O'Brien", "=NA()", 12025550143, "United States", 0.000001,
      dt.datetime(2026, 3, 1, 23, 59, 59), dt.date(2000, 1, 1), True, -2.5],
     ["10003", "bob@example.com", "Bob", "O'Brien", "", "12025550143", "United States", "0.000001",
      "2026-03-01T23:59:59", "2000-01-01", "true", "-2.5"]),
]


def crm_export():
    wb = Workbook()
    ws = wb.active
    ws.title = "Contacts"
    ws.append(HEADER)
    for values, _ in ROWS:
        ws.append([v for v in values])
    # Row 4's company is a formula whose cached value is #N/A; openpyxl writes no cached value, so
    # write the error itself instead (a string openpyxl recognises as an error code).
    ws["E5"] = "#N/A"
    # A blank row, then a row with a rich-text name, so rows are not contiguous (row 7 is missing).
    ws.append([])
    rich = CellRichText(["Zoë ", TextBlock(InlineFont(b=True), "Ångström")])
    ws.append([10004, "zoe@example.se", "Zoë", rich, "Nordic AB", 46701234567, "Sweden", 12, dt.date(2026, 2, 28),
               dt.date(2026, 2, 28), False, 1])
    for row in ws.iter_rows(min_row=2):
        row[8].number_format = "dd.mm.yyyy hh:mm"
        row[9].number_format = "yyyy-mm-dd"
    notes = wb.create_sheet("Notes")
    notes.append(["Note", "Owner"])
    notes.append(["Call back in March", "Sales, EMEA"])
    wb.save(os.path.join(HERE, "crm-export.xlsx"))

    expected = [HEADER] + [texts for _, texts in ROWS]
    expected.append(["10004", "zoe@example.se", "Zoë", "Zoë Ångström", "Nordic AB", "46701234567", "Sweden", "12",
                     "2026-02-28", "2026-02-28", "false", "1"])
    with open(os.path.join(HERE, "crm-export.csv"), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(expected)


def mac_1904():
    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Leads"
    ws.append(["email", "signed_up", "last_seen"])
    ws.append(["a@example.com", dt.date(2026, 2, 12), dt.datetime(2026, 2, 12, 9, 15, 30)])
    ws.append(["b@example.com", dt.date(1904, 1, 2), dt.datetime(1999, 12, 31, 12, 0)])
    wb.save(os.path.join(HERE, "mac-1904.xlsx"))


def header_only():
    wb = Workbook()
    ws = wb.active
    ws.append(["email", "company", "phone"])
    wb.save(os.path.join(HERE, "header-only.xlsx"))


def uncalculated_formulas():
    """openpyxl writes a formula with no saved result (it does not calculate): the cell reads empty."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Leads"
    ws.append(["Email", "First Name", "Last Name", "Full Name"])
    ws.append(["ann@example.com", "Ann", "Lee", '=B2&" "&C2'])
    ws.append(["bob@example.com", "Bob", "Ray", '=B3&" "&C3'])
    wb.save(os.path.join(HERE, "uncalculated-formulas.xlsx"))


def merged_cells():
    """A report-style sheet: a title merged across the columns above the header, and a company merged down
    over the three contacts it groups; only a range's first cell holds its value."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Accounts"
    ws.append(["Q3 accounts by owner"])
    ws.merge_cells("A1:D1")
    ws.append(["Email", "Company", "First Name", "Owner"])
    ws.append(["ann@acme.com", "Acme GmbH", "Ann", "Kim"])
    ws.append(["bob@acme.com", None, "Bob", "Kim"])
    ws.append(["cy@acme.com", None, "Cy", "Kim"])
    ws.append(["di@beta.com", "Beta AG", "Di", "Lee"])
    ws.merge_cells("B3:B5")
    wb.save(os.path.join(HERE, "merged-cells.xlsx"))


def write_only_stream(path, rows):
    """The write-only mode a big export uses; also the bench's generator."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Leads")
    for row in rows:
        ws.append(row)
    wb.save(path)


if __name__ == "__main__":
    crm_export()
    mac_1904()
    header_only()
    uncalculated_formulas()
    merged_cells()
    write_only_stream(os.path.join(HERE, "write-only.xlsx"),
                      [["email", "phone", "id"]] + [[f"lead{i}@example.com", 4915100000000 + i, i] for i in range(1, 6)])
    print("wrote the fixtures in", HERE, file=sys.stderr)
