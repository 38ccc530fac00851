// The app's own styles. Colours come from JupyterLab's theme variables (--jp-*), so the widget reads well in the
// light and dark themes of JupyterLab and Voila; a page with no JupyterLab gets the fallbacks (or sets the --jp-*
// variables itself, as the HTML export does for a dark system theme).
export const APP_CSS = `
.tj-app {
  --tj-fg: var(--jp-ui-font-color1, #1f1f1f);
  --tj-fg2: var(--jp-ui-font-color2, #555);
  --tj-bg: var(--jp-layout-color0, #fff);
  --tj-bg2: var(--jp-layout-color2, #eee);
  --tj-bg3: var(--jp-layout-color1, #fafafa);
  --tj-border: var(--jp-border-color1, #bbb);
  --tj-grid: var(--jp-border-color2, #e0e0e0);
  --tj-accent: var(--jp-brand-color1, #1976d2);
  --tj-error: var(--jp-error-color1, #c62828);
  --tj-ok: var(--jp-success-color1, #2e7d32);
  --tj-warn: var(--jp-warn-color1, #ef6c00);
  --tj-font: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  color: var(--tj-fg);
  font-family: var(--tj-font);
  font-size: 13px;
  line-height: 1.35;
  box-sizing: border-box;
  padding: 4px;
  container: tj-app / inline-size; /* the layout follows the app's width, not the window's (a notebook, a frame) */
}
.tj-app.tj-presenter-mode { font-size: 17.5px; }
.tj-app *, .tj-app *::before, .tj-app *::after { box-sizing: inherit; }
.tj-app [hidden] { display: none !important; }
.tj-app :focus-visible { outline: 2px solid var(--tj-accent); outline-offset: 2px; }
.tj-app button, .tj-app select, .tj-app input {
  font: inherit; color: var(--tj-fg); background: var(--tj-bg);
  border: 1px solid var(--tj-border); border-radius: 4px;
}
.tj-app button { padding: 3px 10px; cursor: pointer; min-height: 26px; }
.tj-app.tj-presenter-mode button, .tj-app.tj-presenter-mode select, .tj-app.tj-presenter-mode input {
  min-height: 34px; }
.tj-app button:hover:not(:disabled) { background: var(--tj-bg2); }
.tj-app button:disabled { opacity: 0.5; cursor: not-allowed; }
.tj-app button[aria-pressed="true"] { border-color: var(--tj-accent); box-shadow: inset 0 0 0 1px var(--tj-accent);
  font-weight: 600; }
.tj-app select { padding: 2px 4px; min-height: 26px; }
.tj-app input[type="number"], .tj-app input[type="text"] { padding: 2px 6px; min-height: 26px; }
/* The main area (ui/arrange.js): the figure and the side column beside it, the panels beside or under the plot;
   one column on a narrow screen, the run sliders right under the plot. In the wide layout the figure's column
   sticks to the top while a long side column scrolls, so a slider far down is moved with the plot in view. */
.tj-main { display: grid; column-gap: 16px; row-gap: 10px; align-items: start;
  grid-template-columns: var(--tj-plot-width, 560px) minmax(0, 1fr); grid-template-areas: "left side"; }
.tj-main > .tj-left { grid-area: left; min-width: 0; display: flex; flex-direction: column; gap: 10px;
  position: sticky; top: 0; }
.tj-main[data-layout="narrow"] { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto;
  grid-template-areas: "figure" "side" "below"; }
.tj-main[data-layout="narrow"] > .tj-left { display: contents; }
.tj-left > .tj-view { grid-area: figure; min-width: 0; }
.tj-main > .tj-side { grid-area: side; min-width: 0; display: flex; flex-direction: column; gap: 10px; }
.tj-left > .tj-below { grid-area: below; min-width: 0; }
.tj-main[data-layout="narrow"] .tj-side > .tj-hyper { order: -2; }
.tj-main[data-layout="narrow"] .tj-side > .tj-scrub { order: -1; }
/* A key redraws inside these boxes only: their size is set by the layout, so the rest of the page is not laid
   out again, and what changes in a slider's row stays in it. */
/* The plot and the panels are boxes of the layout's size (their own relayout roots: block children, not flex or
   grid items, which cannot be) on layers of their own, so a key repaints and commits them and not the page. */
.tj-plot-box, .tj-panels-box { contain: size layout style; overflow: visible; will-change: transform; }
.tj-stage { display: block; }
.tj-stage > .tj-scrub { margin-top: 4px; }
.tj-controls, .tj-hyper-column, .tj-readout, .tj-message, .tj-scrub { contain: layout style; }
/* A slider is a fixed box: its thumb and its readout move inside it without laying out anything around it. */
.tj-slider { contain: strict; height: 2.15em; }
.tj-stability { contain: layout paint style; }
.tj-controls { display: flex; flex-direction: column; gap: 8px; }
.tj-view { min-width: 0; }
.tj-no-tabs > .tj-tablist { display: none; }
.tj-field { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.tj-field > .tj-name { width: 5.5em; flex: 0 0 5.5em; color: var(--tj-fg2); }
.tj-optimizer { display: grid; grid-template-columns: repeat(4, auto); gap: 3px; } /* by content: 动量法 is short, Nesterov动量法 long */
.tj-optimizer button { padding: 2px 0; font-size: 0.8em; letter-spacing: -0.01em; display: inline-flex; align-items: center;
  justify-content: center; gap: 3px; white-space: nowrap; overflow: hidden; }
.tj-optimizer button[aria-pressed="false"] .tj-swatch { display: none; }
.tj-optimizer button[aria-pressed="true"] { font-weight: 500; }
.tj-optimizer button .tj-swatch { flex: 0 0 6px; width: 6px; height: 6px; border-radius: 50%; }
.tj-formula { min-height: 1.6em; font-size: 1.08em; overflow: hidden; white-space: nowrap; }
.tj-formula-field .tj-name { font-size: 0.92em; }
.tj-app input.tj-formula-input { flex: 1 1 0; min-width: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
  font-size: 0.92em; }
.tj-app input.tj-formula-input[aria-invalid="true"] { border-color: var(--tj-error); }
.tj-formula-error { color: var(--tj-error); font-size: 0.92em; overflow-wrap: anywhere; }
.tj-formula-error:empty { display: none; }
.tj-formula math { font-size: 1.05em; }
.tj-objective-rows, .tj-start-rows { display: flex; flex-direction: column; gap: 6px; }
.tj-convention { display: inline-flex; }
.tj-convention button { border-radius: 0; }
.tj-convention button:first-child { border-radius: 4px 0 0 4px; }
.tj-convention button:last-child { border-radius: 0 4px 4px 0; border-left: none; }
.tj-start-fields input { width: 5.7em; }
.tj-hint { color: var(--tj-fg2); font-size: 0.92em; }
.tj-tools { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.tj-export-output { font-size: 0.92em; color: var(--tj-fg2); overflow-wrap: anywhere; min-height: 1em; }
.tj-export-command { user-select: all; color: var(--tj-fg); }
.tj-readout { margin-top: 4px; font-family: var(--jp-code-font-family, ui-monospace, Menlo, Consolas, monospace); font-size: 0.83em;
  line-height: 1.45; overflow-wrap: anywhere; }
.tj-readout b { font-weight: 600; }
.tj-slider { display: grid; grid-template-columns: 4.6em 1fr 4.2em; align-items: center; gap: 8px; }
.tj-slider-label { color: var(--tj-fg2); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tj-slider-track { position: relative; height: 18px; cursor: pointer; touch-action: none; border-radius: 9px; }
.tj-slider-track::before { content: ""; position: absolute; left: 0; right: 0; top: 7px; height: 4px;
  border-radius: 2px; background: var(--tj-bg2); box-shadow: inset 0 0 0 1px var(--tj-border); }
.tj-slider-fill { position: absolute; left: 0; top: 7px; height: 4px; border-radius: 2px; background: var(--tj-accent); }
.tj-slider-thumb { position: absolute; top: 2px; width: 14px; height: 14px; margin-left: -7px; border-radius: 50%;
  background: var(--tj-bg); border: 2px solid var(--tj-accent); }
.tj-slider-readout { font-variant-numeric: tabular-nums; text-align: right; font-size: 0.92em; }
.tj-tablist { display: flex; gap: 2px; border-bottom: 1px solid var(--tj-border); margin-bottom: 6px; }
.tj-tablist button { border: 1px solid transparent; border-bottom: none; border-radius: 4px 4px 0 0;
  background: transparent; margin-bottom: -1px; }
.tj-tablist button[aria-selected="true"] { border-color: var(--tj-border); background: var(--tj-bg);
  border-bottom: 1px solid var(--tj-bg); font-weight: 600; }
.tj-figure { display: flex; flex-flow: row wrap; gap: 4px; align-items: flex-start; }
.tj-scrub { display: flex; align-items: center; gap: 8px; width: var(--tj-plot-width, 100%); max-width: 100%; }
.tj-scrub .tj-slider { flex: 1 1 auto; grid-template-columns: 2.6em 1fr 2.6em; }
.tj-play { width: 6.2em; flex: 0 0 auto; }
.tj-message { min-height: 1.4em; margin: 4px 0; }
.tj-message .tj-msg-note { color: var(--tj-fg2); }
.tj-message .tj-msg-bad { color: var(--tj-error); }
.tj-hyper { display: grid; grid-template-columns: repeat(var(--tj-run-columns, 1), minmax(0, 1fr)); gap: 10px 16px; }
.tj-hyper-column { display: block; min-width: 0; } /* block: each slider in it is its own relayout root */
.tj-hyper-column > * + * { margin-top: 4px; }
.tj-hyper-column h3 { font-size: 1em; margin: 0 0 2px; }
.tj-stability { font-size: 0.92em; line-height: 1.3; }
.tj-run { border-top: 3px solid var(--tj-border); padding-top: 4px; }
.tj-run-head { display: flex; align-items: center; gap: 4px; }
.tj-run-head .tj-swatch { flex: 0 0 10px; width: 10px; height: 10px; border-radius: 50%; }
.tj-app .tj-run-head .tj-run-label { flex: 1 1 auto; min-width: 0; font-weight: 600; }
.tj-app .tj-run-head button { padding: 0 6px; min-width: 26px; }
.tj-run-part { color: var(--tj-fg2); font-size: 0.88em; margin-top: 2px; border-bottom: 1px solid var(--tj-grid); }
.tj-app .tj-seed { width: 120px; }
.tj-run-more > summary { cursor: pointer; }
.tj-run-more > * + * { margin-top: 4px; }
.tj-stability.tj-inside { color: var(--tj-ok); }
.tj-stability.tj-outside { color: var(--tj-error); }
.tj-linkrow { display: flex; align-items: center; gap: 6px; margin-top: 10px; }
.tj-linkrow .tj-link { flex: 1 1 auto; min-width: 0; font-size: 0.92em; color: var(--tj-fg2); background: var(--tj-bg3); }
.tj-status { display: none; align-items: center; gap: 10px; padding: 6px 10px; margin-bottom: 6px;
  border: 1px solid var(--tj-error); border-radius: 4px; color: var(--tj-error); background: var(--tj-bg); }
.tj-status.tj-shown { display: flex; }
.tj-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
