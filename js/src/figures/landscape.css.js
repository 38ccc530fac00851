// The Landscape tab's CSS: every UI colour from the app root's --tj-* variables (light and dark JupyterLab themes,
// a plain page); the map's own colours (viridis, the diverged red, the white marker) are data, fixed.
export const LANDSCAPE_CSS = `
.tj-app .tj-landscape {
  display: flex; flex-wrap: wrap; align-items: flex-start; gap: 16px; max-width: 900px;
  color: var(--tj-fg); font-family: var(--tj-font); font-size: 13px;
}
.tj-app .tj-landscape-side { flex: 0 0 264px; width: 264px; display: flex; flex-direction: column; gap: 7px; }
.tj-app .tj-landscape-field[hidden] { display: none; }
.tj-app .tj-landscape-label {
  display: flex; justify-content: space-between; align-items: baseline; gap: 8px; margin-bottom: 2px;
  color: var(--tj-fg2); font-size: 12px;
}
.tj-app .tj-landscape-label label { color: var(--tj-fg2); }
.tj-app .tj-landscape-value { color: var(--tj-fg); font-variant-numeric: tabular-nums; white-space: nowrap; }
.tj-app .tj-landscape select, .tj-app .tj-landscape button {
  box-sizing: border-box; width: 100%; height: 26px; padding: 0 6px; font: inherit; font-size: 13px;
  color: var(--tj-fg); background: var(--tj-bg); border: 1px solid var(--tj-border); border-radius: 3px;
}
.tj-app .tj-landscape select { font-size: 12px; padding: 0 2px; }
.tj-app .tj-landscape select option { color: var(--tj-fg); background: var(--tj-bg); }
.tj-app .tj-landscape button { width: auto; align-self: flex-start; padding: 0 12px; cursor: pointer;
  background: var(--tj-bg2); }
.tj-app .tj-landscape button:hover:enabled { border-color: var(--tj-accent); }
.tj-app .tj-landscape button:disabled { color: var(--tj-fg2); cursor: default; opacity: 0.6; }
.tj-app .tj-landscape select:focus-visible, .tj-app .tj-landscape button:focus-visible {
  outline: 2px solid var(--tj-accent); outline-offset: 2px;
}
.tj-app .tj-landscape-svg:focus { outline: none; }
.tj-app .tj-landscape-svg:focus-visible { outline: 2px solid var(--tj-accent); outline-offset: -2px; }
.tj-app .tj-landscape-resolution-field input { position: relative; height: 22px; }
.tj-app .tj-landscape-range { margin: 2px 7px; }
.tj-app .tj-landscape-slider {
  -webkit-appearance: none; appearance: none; box-sizing: border-box; display: block; width: 100%; height: 22px;
  margin: 0; padding: 0; border: 0; background: transparent; accent-color: var(--tj-accent);
}
.tj-app .tj-landscape-slider::-webkit-slider-runnable-track { height: 22px; background: transparent; }
.tj-app .tj-landscape-slider::-moz-range-track { height: 22px; background: transparent; }
.tj-app .tj-landscape-resolution-field .tj-landscape-slider::-webkit-slider-runnable-track {
  height: 4px; margin: 9px 7px; border-radius: 2px; background: var(--tj-bg2); box-shadow: inset 0 0 0 1px var(--tj-border);
}
.tj-app .tj-landscape-resolution-field .tj-landscape-slider::-moz-range-track {
  height: 4px; border-radius: 2px; background: var(--tj-bg2);
}
.tj-app .tj-landscape-slider::-webkit-slider-thumb {
  -webkit-appearance: none; appearance: none; box-sizing: border-box; width: 14px;
  height: 14px; margin-top: 4px; border-radius: 50%; background: var(--tj-accent); border: 2px solid var(--tj-bg);
  box-shadow: 0 0 0 1px var(--tj-accent); cursor: pointer;
}
.tj-app .tj-landscape-resolution-field .tj-landscape-slider::-webkit-slider-thumb { margin-top: -5px; }
.tj-app .tj-landscape-slider::-moz-range-thumb {
  box-sizing: border-box; width: 14px; height: 14px; border-radius: 50%;
  background: var(--tj-accent); border: 2px solid var(--tj-bg); box-shadow: 0 0 0 1px var(--tj-accent); cursor: pointer;
}
.tj-app .tj-landscape-slider:focus { outline: none; }
.tj-app .tj-landscape-slider:focus-visible::-webkit-slider-thumb {
  box-shadow: 0 0 0 2px var(--tj-bg), 0 0 0 4px var(--tj-accent);
}
.tj-app .tj-landscape-slider:focus-visible::-moz-range-thumb {
  box-shadow: 0 0 0 2px var(--tj-bg), 0 0 0 4px var(--tj-accent);
}
.tj-app .tj-landscape-info { min-height: 2.6em; margin-top: 4px; font-size: 12px; line-height: 1.3; }
.tj-app .tj-landscape-info.tj-landscape-error { font-weight: 600; }
.tj-app .tj-landscape-info.tj-landscape-error::before { content: "\\26A0\\FE0E  "; }
.tj-app .tj-landscape-readout { min-height: 2.6em; font-size: 12px; line-height: 1.3; font-variant-numeric: tabular-nums; }
.tj-app .tj-landscape-hint { color: var(--tj-fg2); font-size: 12px; line-height: 1.3; }
.tj-app .tj-landscape-plot {
  position: relative; flex: 1 1 480px; max-width: 620px; aspect-ratio: 620 / 480; background: var(--tj-bg);
}
.tj-app .tj-landscape-plot.tj-landscape-stale { opacity: 0.35; }
.tj-app .tj-landscape-cells {
  position: absolute; display: block; image-rendering: pixelated; image-rendering: crisp-edges;
}
.tj-app .tj-landscape-svg {
  position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; color: var(--tj-fg);
  font-family: var(--tj-font); font-size: 11px;
}
.tj-app .tj-landscape-svg text { fill: var(--tj-fg); stroke: none; }
.tj-app .tj-landscape-axis { color: var(--tj-fg); font-family: var(--tj-font); font-size: 11px; }
.tj-app .tj-landscape-axis path, .tj-app .tj-landscape-axis line { stroke: var(--tj-fg2); }
.tj-app .tj-landscape-svg .tj-landscape-title { font-size: 13px; }
.tj-app .tj-landscape-svg .tj-landscape-empty { fill: var(--tj-fg2); font-size: 13px; }
.tj-app .tj-landscape-svg .tj-landscape-axis-label { font-size: 12px; }
.tj-app .tj-landscape-border { fill: none; stroke: var(--tj-fg2); stroke-width: 1; }
.tj-app .tj-landscape-hit { fill: transparent; stroke: none; cursor: crosshair; pointer-events: all; }
.tj-app .tj-landscape-band rect { fill: #d62728; fill-opacity: 0.3; stroke: none; }
.tj-app .tj-landscape-curve { fill: none; stroke: var(--tj-accent); stroke-width: 1.8; }
.tj-app .tj-landscape-limit-under { fill: none; stroke: #000; stroke-width: 3.4; }
.tj-app .tj-landscape-limit { fill: none; stroke: #fff; stroke-width: 1.6; stroke-dasharray: 6 4; }
.tj-app .tj-landscape-limit.tj-landscape-limit-1d { stroke: var(--tj-fg); }
.tj-app .tj-landscape-marker-under { fill: none; stroke: #000; stroke-width: 4; pointer-events: none; }
.tj-app .tj-landscape-marker { fill: none; stroke: #fff; stroke-width: 2.2; pointer-events: none; }
.tj-app .tj-landscape-marker.tj-landscape-marker-1d { stroke: var(--tj-fg); }
.tj-app .tj-landscape-outline-under { fill: none; stroke: #000; stroke-width: 3; pointer-events: none; }
.tj-app .tj-landscape-outline { fill: none; stroke: #fff; stroke-width: 1.4; pointer-events: none; }
.tj-app .tj-landscape-cursor .tj-landscape-outline-under { stroke-width: 4; }
.tj-app .tj-landscape-cursor .tj-landscape-outline { stroke-width: 2; }
.tj-app .tj-landscape-legend text { font-size: 11px; }
.tj-app .tj-landscape-legend-ring { fill: none; stroke: var(--tj-fg); stroke-width: 1.8; }
.tj-app .tj-landscape-legend-dash { fill: none; stroke: var(--tj-fg); stroke-width: 1.6; stroke-dasharray: 6 4; }
`;
