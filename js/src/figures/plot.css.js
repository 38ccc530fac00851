// The CSS of the figure and the panels (plot.js, panels.js), injected by the app. Everything that is not an
// optimizer's or the contours' colour follows the theme through the widget root's variables, with JupyterLab's
// variables and plain colours as fallbacks, so the figure reads in JupyterLab's light and dark themes and in a page.
export const PLOT_CSS = `
.tj-app .tj-plot, .tj-app .tj-panels {
  display: block;
  color: var(--tj-fg, var(--jp-ui-font-color1, #1f1f1f));
  font-family: var(--tj-font, var(--jp-ui-font-family, system-ui, sans-serif));
  user-select: none;
  -webkit-user-select: none;
  overflow: visible;
}
.tj-app .tj-plot text, .tj-app .tj-panels text { fill: currentColor; font-family: inherit; }
.tj-app .tj-bg { fill: transparent; } /* the page's own background: no boxes or seams in either theme */
.tj-app .tj-title { font-size: 13px; }
.tj-app .tj-label { font-size: 13px; }
.tj-app .tj-axis text { font-size: 11.5px; font-family: inherit; }
.tj-app .tj-panels .tj-axis text { font-size: 10.5px; }
.tj-app.tj-presenter-mode .tj-title, .tj-app.tj-presenter-mode .tj-label { font-size: 17.5px; }
.tj-app.tj-presenter-mode .tj-axis text { font-size: 15.5px; }
.tj-app.tj-presenter-mode .tj-panels .tj-axis text { font-size: 14px; }
.tj-app.tj-presenter-mode .tj-plot .tj-legend-text { font-size: 15.5px; }
.tj-app.tj-presenter-mode .tj-panels .tj-panel-title { font-size: 16px; }
.tj-app.tj-presenter-mode .tj-axis line, .tj-app.tj-presenter-mode .tj-frame { stroke-width: 1.6px; }
.tj-app .tj-axis line { stroke: currentColor; stroke-width: 1.1px; }
.tj-app .tj-axis .domain, .tj-app .tj-grid .domain { display: none; }
.tj-app .tj-frame { fill: none; stroke: currentColor; stroke-width: 1.1px; pointer-events: none; }
.tj-app .tj-plot .tj-hit { fill: transparent; cursor: crosshair; }
.tj-app .tj-plot .tj-contours, .tj-app .tj-plot .tj-landmarks, .tj-app .tj-plot .tj-paths,
.tj-app .tj-plot .tj-current, .tj-app .tj-plot .tj-arrows, .tj-app .tj-plot .tj-legend { pointer-events: none; }
.tj-app .tj-plot .tj-minimum { fill: currentColor; stroke: none; }
.tj-app .tj-plot .tj-saddle { fill: none; stroke: currentColor; stroke-width: 2px; stroke-linecap: round; }
.tj-app .tj-plot .tj-current path, .tj-app .tj-plot .tj-current { stroke: currentColor; }
.tj-app .tj-plot .tj-start { cursor: grab; touch-action: none; }
.tj-app .tj-plot.tj-dragging, .tj-app .tj-plot.tj-dragging .tj-start,
.tj-app .tj-plot.tj-dragging .tj-hit { cursor: grabbing; }
.tj-app .tj-plot .tj-start-hit { fill: transparent; stroke: none; }
@media (pointer: coarse) { .tj-app .tj-plot .tj-start-hit { r: 22px; } } /* a finger's size on a phone */
.tj-app .tj-plot .tj-exits, .tj-app .tj-panels .tj-panel-exits { pointer-events: none; }
.tj-app .tj-plot .tj-exit { stroke: var(--tj-bg, #fff); stroke-width: 0.8px; }
.tj-app .tj-plot .tj-start-dot { fill: #fff; stroke: currentColor; stroke-width: 1.33px; }
.tj-app .tj-plot .tj-legend-frame {
  fill: var(--tj-bg, var(--jp-layout-color0, #fff));
  fill-opacity: 0.9;
  stroke: var(--tj-grid, var(--jp-border-color2, #e0e0e0));
}
.tj-app .tj-plot .tj-legend-text { font-size: 11.5px; }
.tj-app .tj-panels .tj-panel-title { font-size: 12px; }
.tj-app .tj-panels .tj-panel-bg { fill: transparent; }
.tj-app .tj-panels .tj-grid line { stroke: var(--tj-grid, var(--jp-border-color2, #e0e0e0)); stroke-width: 1px; }
.tj-app .tj-panels .tj-grid text { display: none; }
.tj-app .tj-panels .tj-step-line { stroke: currentColor; stroke-opacity: 0.5; stroke-width: 1.1px; }
.tj-app .tj-panels .tj-note { fill: var(--tj-fg2, var(--jp-ui-font-color2, #555)); font-size: 11px; }
`;
