/**
 * The report's stylesheet, inlined into its <style>. Light only: a report is read on paper as
 * often as on screen. System fonts (with CJK fallbacks), never a web font or any url().
 */
export const reportStyle = `
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6572; --line: #e4e7ec; --line-strong: #b9c0ca; --accent: #2f5fc4; --accent-bg: #eef3fc; --warn: #d9661f; --good: #1e7b45; --bad: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef0f3; color: var(--ink); font: 14px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif; font-variant-numeric: tabular-nums; }
.report { max-width: 900px; margin: 32px auto; padding: 48px 56px 32px; background: #fff; border: 1px solid #dde1e6; border-radius: 6px; box-shadow: 0 1px 3px rgb(16 24 40 / 8%); }
p { margin: 0 0 10px; }
h1, h2, h3 { color: var(--ink); line-height: 1.25; }
h1 { font-size: 30px; font-weight: 700; letter-spacing: -0.01em; margin: 4px 0 6px; overflow-wrap: anywhere; }
h2 { display: flex; align-items: baseline; gap: 12px; font-size: 21px; font-weight: 700; margin: 0 0 14px; padding-bottom: 8px; border-bottom: 2px solid var(--ink); }
h2 .num { color: var(--accent); font-size: 19px; min-width: 14px; }
h3 { font-size: 15px; font-weight: 650; margin: 0 0 8px; }
code, pre { font-family: ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
.kicker { margin: 0; color: var(--accent); font-size: 12px; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; }
.meta { margin: 0 0 18px; color: var(--muted); font-size: 14px; }
.verdict { margin: 0; padding: 14px 18px; background: var(--accent-bg); border-left: 4px solid var(--accent); border-radius: 0 6px 6px 0; font-size: 17px; line-height: 1.5; }
.callout { margin: 12px 0 16px; padding: 10px 14px; border-radius: 6px; font-size: 13px; }
.callout.warn { background: #fff6df; border: 1px solid #efd48c; color: #5c4100; }
.kpis { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 10px; margin: 22px 0 8px; }
.kpi { padding: 12px 14px 10px; border: 1px solid #dde1e6; border-top: 3px solid var(--accent); border-radius: 6px; }
.kpi.good { border-top-color: var(--good); }
.kpi.bad { border-top-color: var(--bad); }
.kpi-label { color: var(--muted); font-size: 12px; font-weight: 600; }
.kpi-value { margin: 2px 0; font-size: 26px; font-weight: 700; line-height: 1.2; white-space: nowrap; }
.kpi-unit { margin-left: 2px; font-size: 13px; font-weight: 600; }
.kpi.good .kpi-value { color: var(--good); }
.kpi.bad .kpi-value { color: var(--bad); }
.kpi-note { color: var(--muted); font-size: 11.5px; line-height: 1.35; }
.chapter { margin-top: 40px; }
.lede { max-width: 75ch; margin: 0 0 18px; font-size: 14.5px; }
.hint, .note, figcaption { color: var(--muted); font-size: 12.5px; line-height: 1.5; }
.hint { margin: -2px 0 10px; }
.note { margin: 8px 0 0; }
figcaption { margin-top: 6px; }
figure { margin: 0; }
.block { margin: 0 0 26px; }
.grid { display: grid; gap: 0 36px; align-items: start; }
.grid.two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.grid.one { grid-template-columns: minmax(0, 1fr); }
.grid.settings { grid-template-columns: minmax(0, 0.85fr) minmax(0, 1.5fr); }
.grid.card { grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { font-weight: 500; }
thead th { color: var(--muted); font-size: 12px; font-weight: 600; border-bottom: 1.5px solid var(--line-strong); vertical-align: bottom; }
tfoot th, tfoot td, tr.summary th, tr.summary td { font-weight: 600; }
tfoot tr:first-child th, tfoot tr:first-child td { border-top: 1.5px solid var(--line-strong); }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.strong { font-weight: 650; }
.muted { color: var(--muted); }
.swatch { display: inline-block; flex: none; width: 10px; height: 10px; margin-right: 7px; border-radius: 2px; vertical-align: -0.5px; box-shadow: inset 0 0 0 1px rgb(0 0 0 / 12%); }
.bar-cell { width: 34%; min-width: 90px; }
.bar { position: relative; display: block; height: 8px; background: #eceef2; border-radius: 2px; }
.bar > span:first-child { display: block; height: 100%; background: var(--accent); border-radius: 2px; }
.bar.weak > span:first-child { background: var(--warn); }
.bar .marker { position: absolute; top: -3px; bottom: -3px; width: 2px; margin-left: -1px; background: var(--ink); }
.marker-key { display: inline-block; width: 2px; height: 11px; margin-right: 6px; background: var(--ink); vertical-align: -1px; }
.facts { margin: 0; }
.facts > div { display: flex; justify-content: space-between; gap: 16px; padding: 5px 0; border-bottom: 1px solid var(--line); font-size: 13px; break-inside: avoid; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; text-align: right; font-weight: 550; overflow-wrap: anywhere; }
.facts.columns { columns: 2; column-gap: 28px; }
.hash { font-size: 12px; word-break: break-all; }
.hash.short { word-break: normal; white-space: nowrap; }
.split-bar { display: flex; height: 10px; margin: 14px 0 8px; overflow: hidden; border-radius: 2px; }
.split-bar span { display: block; height: 100%; }
.split-bar .train, .split-dot.train { background: var(--accent); }
.split-bar .validation, .split-dot.validation { background: #8fb0ea; }
.split-bar .test, .split-dot.test { background: #c7cdd6; }
.splits { font-size: 13px; }
.split-row { display: grid; grid-template-columns: 14px 1fr auto 48px; gap: 8px; align-items: center; padding: 3px 0; }
.split-dot { width: 10px; height: 10px; border-radius: 2px; }
.annotators th[scope=row] { font-weight: 600; }
.per-class tbody th[scope=row] { white-space: nowrap; }
.confusion { table-layout: fixed; }
.confusion td.corner { border-bottom: 0; vertical-align: bottom; }
.confusion .axis-name { color: var(--muted); font-size: 11.5px; font-weight: 600; letter-spacing: 0.02em; text-align: center; }
.confusion td.corner .axis-name { display: block; text-align: left; }
.confusion tbody th { white-space: nowrap; font-weight: 600; }
.confusion thead tr:last-child th { text-align: center; color: var(--ink); font-size: 13px; }
.confusion td.cell { height: 56px; text-align: center; border: 2px solid #fff; border-radius: 4px; }
.confusion .count { display: block; font-size: 16px; font-weight: 700; }
.confusion .share { display: block; color: #3c4551; font-size: 11.5px; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
.grid.charts svg.chart { max-width: 360px; }
.compare { display: grid; grid-template-columns: max-content minmax(80px, 1fr) max-content; gap: 8px 14px; align-items: center; max-width: 620px; margin-top: 8px; font-size: 13px; }
.compare-row { display: contents; }
.compare-row .bar { height: 12px; }
.pill { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 650; line-height: 1.6; white-space: nowrap; }
.pill.good { background: #e4f3ea; color: var(--good); }
.pill.bad { background: #fde9e2; color: #a4420b; }
.pill.neutral { background: #eceef2; color: var(--muted); }
.slices tr.group th { padding-top: 12px; color: var(--muted); font-size: 12px; font-weight: 700; border-bottom: 1px solid var(--line-strong); }
.slices tbody th[scope=row] { padding-left: 16px; }
.slices tr.weak td.strong { color: #a4420b; }
.saliency-legend { display: flex; align-items: center; gap: 10px; margin: 4px 0 0; font-size: 12.5px; }
.saliency-legend .scale { width: 160px; height: 12px; border: 1px solid #dde1e6; border-radius: 2px; background: linear-gradient(to right, rgb(224 98 26 / 60%), #fff 50%, rgb(35 104 217 / 60%)); }
.mistakes { margin-top: 14px; }
.mistake { margin: 0 0 14px; padding: 12px 16px; border: 1px solid #dde1e6; border-left: 4px solid var(--warn); border-radius: 6px; break-inside: avoid; }
.mistake header { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: baseline; font-size: 13px; }
.mistake-id { font-weight: 700; }
.tag { color: var(--muted); font-size: 11.5px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
.review { margin: 8px 0 6px; font-size: 14px; line-height: 1.75; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { padding: 1px 1px; color: inherit; border-radius: 2px; }
.cut { color: #9aa3b1; }
.strongest { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0 0; font-size: 12px; }
.strongest-title { margin-right: 4px; color: var(--muted); font-weight: 600; }
.chip { display: inline-flex; gap: 6px; padding: 1px 8px; border: 1px solid; border-radius: 999px; }
.chip.toward { border-color: rgb(35 104 217 / 45%); background: rgb(35 104 217 / 8%); }
.chip.against { border-color: rgb(224 98 26 / 50%); background: rgb(224 98 26 / 8%); }
.chip .score { color: var(--muted); font-variant-numeric: tabular-nums; }
.limitations { margin: 0; padding-left: 20px; }
.limitations li { margin-bottom: 6px; }
.details { padding: 14px 16px 8px; background: #f7f8fa; border: 1px solid #e4e7ec; border-radius: 6px; }
.details .facts > div:last-child { border-bottom: 0; }
.label-chip { display: inline-flex; align-items: center; margin-left: 10px; white-space: nowrap; }
pre { margin: 8px 0 0; padding: 10px 14px; background: #f4f5f7; border: 1px solid #e4e7ec; border-radius: 6px; font-size: 12.5px; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }

@page { size: A4; margin: 16mm 15mm 18mm; }
/*
 * Print: A4 leaves 180 mm (about 680 CSS px) between the margins, against 788 px on screen, so
 * type and spacing tighten. Headings stay with what follows them; figures, small tables, cards
 * and table rows never split. Long tables (annotators, slices) may break between their groups,
 * repeating the header row, rather than leave half a page empty.
 */
@media print {
  body { background: #fff; font-size: 9.5pt; }
  .report { max-width: none; margin: 0; padding: 0; border: 0; border-radius: 0; box-shadow: none; }
  h1 { font-size: 25px; }
  h2 { font-size: 17px; padding-bottom: 6px; }
  h2 .num { font-size: 16px; }
  h3 { font-size: 13px; margin-bottom: 6px; }
  .lede { font-size: 12.5px; margin-bottom: 12px; }
  .verdict { padding: 10px 14px; font-size: 14px; }
  .kpis { gap: 8px; margin-top: 16px; }
  .kpi { padding: 8px 10px 7px; }
  .kpi-label { font-size: 10.5px; }
  .kpi-value { font-size: 20px; }
  .kpi-unit { font-size: 10.5px; }
  .kpi-note { font-size: 10px; }
  .chapter { margin-top: 26px; }
  .block { margin-bottom: 18px; }
  .grid { column-gap: 24px; }
  table { font-size: 11.5px; }
  th, td { padding: 3.5px 6px; }
  thead th { font-size: 10.5px; }
  .facts > div { padding: 3px 0; font-size: 11.5px; }
  .hint, .note, figcaption { font-size: 11px; }
  .confusion td.cell { height: 44px; }
  .confusion .count { font-size: 14px; }
  .compare { font-size: 11.5px; }
  .review { font-size: 12px; line-height: 1.65; }
  .mistake { margin-bottom: 10px; padding: 8px 12px; }
  .mistake header, .strongest, .saliency-legend { font-size: 11px; }
  pre { font-size: 11px; }
  p, li { orphans: 3; widows: 3; }
  h2, h3, .hint, .lede, .saliency-legend { break-after: avoid; page-break-after: avoid; }
  .hint, .lede, .note, figcaption { break-inside: avoid; }
  figure, dl, tr, svg, pre, .kpis, .verdict, .callout, .mistake, .compare, .details, .labels, .per-class, .confusion, .slices tbody { break-inside: avoid; page-break-inside: avoid; }
}
@media (max-width: 720px) {
  .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .report { margin: 0; padding: 24px 18px; border: 0; border-radius: 0; }
  .grid.two, .grid.settings, .grid.card { grid-template-columns: minmax(0, 1fr); }
  .facts.columns { columns: 1; }
}
`;
