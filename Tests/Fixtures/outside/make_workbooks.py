#!/usr/bin/env python3
"""Writes .xlsx lead lists with openpyxl the way people build them by hand into the folder given:
date cells with number formats and day-first text dates, zip codes and phones as numbers with a
leading-zero format and as text, booleans, formulas, empty trailing rows and columns, a hidden first
sheet, merged cells, hyperlinks, very long cells.

    python3 -m venv out/outside-venv && out/outside-venv/bin/pip install openpyxl
    out/outside-venv/bin/python Tests/Fixtures/outside/make_workbooks.py OUTDIR
"""
import datetime as dt
import os
import sys

from openpyxl import Workbook

OUT = sys.argv[1] if len(sys.argv) > 1 else "workbooks"
os.makedirs(OUT, exist_ok=True)

HEADER = ["Lead ID", "First Name", "Last Name", "Email", "Company", "Website", "Phone", "Zip", "Country",
          "Last Activity At", "Created (text)", "Subscribed", "Employees", "Revenue k€"]

wb = Workbook()
hidden = wb.active
hidden.title = "Lookup"
hidden.append(["Code", "Meaning"])
hidden.append(["DE", "Germany"])
hidden.sheet_state = "hidden"
ws = wb.create_sheet("Leads")
ws.append(HEADER)
rows = [
    ["L1", "Jürgen", "Müller", "juergen@mueller-soehne.de", "Müller & Söhne GmbH", "mueller-soehne.de", 4930123456, 1067, "Germany",
     dt.datetime(2026, 2, 12, 9, 15), "03.11.2025", True, 250, None],
    ["L2", "Amélie", "Lefèvre", "amelie@societe.fr", "Société Générale", "societe.fr", "0142142000", "01000", "France",
     dt.date(2026, 1, 5), "05/01/2026", False, 12000, None],
    ["L3", "Björn", "Åkesson", "bjorn@angstrom.se", "Ångström AB", "angstrom.se", "08-123 456 78", "11122", "Sweden",
     dt.date(2025, 12, 31), "31/12/2025", None, 40, None],
    ["L4", "José", "Peña", "jose@iberica.es", "C" * 40000, "iberica.es", "912345678", "08001", "Spain",
     dt.date(2026, 3, 1), "1.3.2026", True, 3, None],
]
for r in rows:
    ws.append(r)
# Leading-zero number formats: the zip shown as 01067, the phone as 04930123456.
ws["H2"].number_format = "00000"
ws["G2"].number_format = "00000000000"
ws["J2"].number_format = "dd.mm.yyyy hh:mm"
ws["J3"].number_format = "dd/mm/yyyy"
ws["J4"].number_format = "mmm d, yyyy"
ws["J5"].number_format = "yyyy-mm-dd"
# Formulas (openpyxl writes no cached value).
for r in range(2, 6):
    ws[f"N{r}"] = f"=M{r}*10"
# A hyperlink cell.
ws["F3"].hyperlink = "https://societe.fr/"
# Merged cells across two rows of the Country column.
ws.append(["L5", "Zoë", "Brontë", "zoe@bronte.co.uk", "Brontë Ltd", "bronte.co.uk", "020 7946 0018", "EC1A 1BB", "United Kingdom",
           dt.date(2026, 4, 4), "04/04/2026", False, 7, None])
ws.append(["L6", "Øyvind", "Ødegård", "oyvind@fjord.no", "Fjord AS", "fjord.no", "22 12 34 56", "0150", None,
           dt.date(2026, 5, 5), "05/05/2026", True, 9, None])
ws.merge_cells("I6:I7")
# Empty trailing rows and a formatted but empty trailing column.
ws["T20"].number_format = "0.00"
ws["A25"] = None
ws.cell(row=30, column=3).number_format = "@"
wb.create_sheet("Notes").append(["just notes"])
wb.save(os.path.join(OUT, "hand-made.xlsx"))
