/// The page's inline CSS: readable on screen and on paper (`@media print` drops the backgrounds and keeps
/// charts and tables whole on a page). No fonts or images are fetched.
enum PageStyle {
    static let css = """
        :root{--ink:#1d2433;--muted:#5b6475;--line:#d9dee7;--bar:#3b6fb6;--ok:#2e8b57;--warn:#d08c00;--bad:#c0392b;--unk:#7f8c9a}
        *{box-sizing:border-box}
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f5f7fa}
        main{max-width:1000px;margin:0 auto;padding:24px}
        header{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:16px}
        h1{font-size:22px;margin:0 0 4px}
        h2{font-size:17px;margin:0 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
        h3{font-size:14px;margin:14px 0 6px}
        section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 20px;margin-bottom:16px}
        .verdict{display:inline-block;font-weight:700;padding:2px 10px;border-radius:4px;color:#fff}
        .passed{background:var(--ok)}.failed{background:var(--bad)}
        .cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
        .card{flex:1 1 140px;border:1px solid var(--line);border-radius:6px;padding:8px 12px}
        .card b{display:block;font-size:22px}.card span{color:var(--muted)}
        .identity{font-family:ui-monospace,Menlo,Consolas,monospace}
        .holds{color:var(--ok)}.broken{color:var(--bad);font-weight:700}
        table{border-collapse:collapse;width:100%;margin:6px 0 10px}
        th,td{text-align:left;padding:3px 8px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
        th{color:var(--muted);font-weight:600}
        .facts th{width:28%}
        .n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal;width:1%}
        .muted{color:var(--muted)}
        svg.chart{max-width:100%;height:auto;font-size:12px}
        svg text{fill:var(--ink)}svg text.level{fill:var(--muted);font-size:11px}
        rect.bar{fill:var(--bar)}rect.valid{fill:var(--ok)}rect.risky{fill:var(--warn)}
        rect.invalid{fill:var(--bad)}rect.unknown{fill:var(--unk)}
        rect.up{fill:var(--ok)}rect.down{fill:var(--bad)}rect.total{fill:var(--bar)}
        line.axis{stroke:var(--muted);stroke-width:1}
        svg.spark{display:block}svg.spark polyline{fill:none;stroke:var(--bar);stroke-width:1.5}svg.spark circle{fill:var(--bar)}
        .crossed{color:var(--bad);font-weight:700}
        @media print{
          body{background:#fff;font-size:11pt}
          main{max-width:none;padding:0}
          header,section{border:none;border-radius:0;padding:0 0 8pt;break-inside:avoid-page}
          svg,table{break-inside:avoid}
          rect.bar,rect.valid,rect.risky,rect.invalid,rect.unknown,rect.up,rect.down,rect.total{print-color-adjust:exact;-webkit-print-color-adjust:exact}
        }
        """
}
