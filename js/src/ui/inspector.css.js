// The step inspector's styles (ui/inspector.js). The equations are set in a serif face, as the book sets them; the
// numbers in tabular figures. It sits beside the plot, under the runs' sliders, at most 440 px tall (it scrolls
// past that). Narrower than about 600 px the numbers filled into each equation go under it, one coordinate per line; on
// a phone the table keeps the equations and their values only.
export const INSPECTOR_CSS = `
.tj-inspector { min-width: 0; max-width: 660px; container-type: inline-size; font-size: 12.5px;
  border-left: 3px solid var(--tj-insp-color, var(--tj-accent)); padding: 0 0 0 8px;
  max-height: var(--tj-insp-height, 440px); overflow-y: auto; overscroll-behavior: contain; }
.tj-insp-summary { cursor: pointer; font-weight: 600; padding: 2px 0; }
.tj-insp-choices { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.tj-insp-choices:empty { display: none; }
.tj-insp-choice { display: inline-flex; align-items: center; gap: 4px; font-size: 11.5px; }
.tj-insp-choice .tj-swatch { width: 8px; height: 8px; border-radius: 50%; }
.tj-insp-form { color: var(--tj-fg2); font-size: 11.5px; margin: 2px 0 4px; }
.tj-insp-table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.tj-insp-table thead th { font-weight: normal; color: var(--tj-fg2); text-align: left; padding: 0 6px 2px; }
.tj-insp-table th[scope="row"] { text-align: left; font-weight: normal; white-space: nowrap; padding: 3px 10px 3px 0;
  vertical-align: top; }
.tj-insp-table td { padding: 3px 6px; vertical-align: top; overflow-wrap: anywhere; }
.tj-insp-table tbody tr + tr { border-top: 1px solid var(--tj-grid); }
.tj-insp-eq { font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math", "Noto Serif", "DejaVu Serif", serif;
  font-size: 14px; }
.tj-insp-label { display: block; color: var(--tj-fg2); font-size: 10.5px; }
.tj-insp-expr { color: var(--tj-fg2); }
.tj-insp-value { font-weight: 600; white-space: nowrap; }
.tj-insp-empty td { padding: 0; }
.tj-insp-note { color: var(--tj-fg2); margin: 4px 0 0; min-height: 1em; }
.tj-insp-arith td { padding: 0 6px 4px 12px; color: var(--tj-fg2); font-size: 11.5px; border-top: none; }
.tj-insp-table tbody tr.tj-insp-arith { border-top: none; }
.tj-insp-arith { display: none; }
/* Narrower: the numbers filled in go under each equation, one coordinate per line; a phone: values only. */
@container (max-width: 600px) {
  .tj-insp-expr { display: none; }
  .tj-insp-arith:not([hidden]) { display: table-row; }
}
@media (max-width: 480px) {
  .tj-inspector .tj-insp-arith:not([hidden]), .tj-inspector .tj-insp-label { display: none; }
}
`;
