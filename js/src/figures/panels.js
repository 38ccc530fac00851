// The two side panels in SVG: the loss against step, and each coordinate's effective learning rate (x1 solid,
// x2 dashed). A port of TraceFigure's loss_ax and lr_ax: log axes rounded out to whole decades, a symlog axis
// for losses that reach zero or below. The limits come from the data of each render alone, so nothing sticks.
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear, scaleLog, scaleSymlog } from "d3-scale";
import { select } from "d3-selection";
import { area, line } from "d3-shape";

import { uid } from "../core/ids.js";
import { FINE, PT, px } from "./svg.js";

export const PANEL_WIDTH = 330;
export const PANEL_HEIGHT = 210; // each of the two; the SVG is PANEL_WIDTH x 2 PANEL_HEIGHT
const MARGIN = Object.freeze({ top: 24, right: 12, bottom: 36, left: 50 });
const INNER_W = PANEL_WIDTH - MARGIN.left - MARGIN.right;
const INNER_H = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
const INSET = 3; // px between the axis limits and the frame, so a curve on a limit is not hidden by the frame
export const MAX_DECADES = 14; // plotting._MAX_DECADES: a log panel shows at most this many decades
export const LOSS_FLOOR = 12; // at least this many decades below the top, as plotting.py: small moves keep the axis
export const LR_FLOOR = 4;
export const LINTHRESH = 1e-2; // the symlog axis is linear within +-LINTHRESH, as plotting.py's
const LINE_PT = 1.4;
const BAND_ALPHA = 0.2; // a spread's 10-90% band of the loss
const TITLES = ["loss f(x) against step", "effective learning rate, x1 solid, x2 dashed"];

// --- pure functions (tested in js/test/plot.test.js) -------------------------------------------------------------

function pow10(k) { // exact for integer k; 10 ** -k in V8 is not always correctly rounded
  return k >= 0 ? 10 ** k : 1 / 10 ** -k;
}

/** plotting._decades: [10^lo, 10^hi] around the finite positive values, at most maxDecades apart; or null. */
export function decades(values, maxDecades = MAX_DECADES) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!(Number.isFinite(v) && v > 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === -Infinity) return null;
  const top = Math.ceil(Math.log10(hi) + 1e-9);
  let bottom = Math.max(Math.floor(Math.log10(lo) - 1e-9), top - maxDecades);
  if (bottom >= top) bottom = top - 1;
  return [pow10(bottom), pow10(top)];
}

/** plotting._floor: limits that show at least `n` decades below the top. */
export function floorDecades(limits, n) {
  return limits === null ? null : [Math.min(limits[0], limits[1] / pow10(n)), limits[1]];
}

/**
 * The y axis of a panel for `values` (non-finite ones ignored): {type: "log", domain} when every finite value is
 * positive (domain from decades() and floorDecades(floor)), {type: "symlog", domain} when one is zero or negative
 * (as plotting.py: [0 or -top, top], top the next power of ten above the largest |value|, at least LINTHRESH),
 * null when no value is finite.
 */
export function panelScale(values, floor) {
  if (!Array.isArray(values)) values = Array.from(values);
  let any = false, signed = false, low = Infinity, big = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    any = true;
    if (v <= 0) signed = true;
    if (v < low) low = v;
    big = Math.max(big, Math.abs(v));
  }
  if (!any) return null;
  if (!signed) return { type: "log", domain: floorDecades(decades(values), floor) };
  const top = pow10(Math.ceil(Math.log10(Math.max(big, LINTHRESH))));
  return { type: "symlog", domain: [low < 0 ? -top : 0, top] };
}

const SUPERSCRIPT = { "-": "\u207b", 0: "\u2070", 1: "\u00b9", 2: "\u00b2", 3: "\u00b3", 4: "\u2074", 5: "\u2075",
  6: "\u2076", 7: "\u2077", 8: "\u2078", 9: "\u2079" };

/** 10^k written compactly, as matplotlib's LogFormatterSciNotation: "10⁻³"; negative values "−10²"; 0 "0". */
export function formatPower(v) {
  if (v === 0) return "0";
  const k = Math.round(Math.log10(Math.abs(v)));
  return `${v < 0 ? "\u2212" : ""}10${String(k).replace(/./g, (c) => SUPERSCRIPT[c])}`;
}

/** Decade ticks of a log axis over [lo, hi]: every stride-th power of ten, at most about six or eight. */
export function logTicks([lo, hi]) {
  const a = Math.round(Math.log10(lo)), b = Math.round(Math.log10(hi));
  const numticks = b - a > 6 ? 6 : 8; // as plotting.py's LogLocator
  const stride = Math.max(1, Math.ceil((b - a) / (numticks - 1)));
  const out = [];
  for (let k = a; k <= b; k++) if (k % stride === 0) out.push(pow10(k));
  return out;
}

/** Ticks of a symlog axis: 0 and +-powers of ten from LINTHRESH up, none closer than `gap` px to another. */
export function symlogTicks(scale, gap = 14) {
  const [lo, hi] = scale.domain();
  const candidates = [0];
  for (let k = Math.round(Math.log10(hi)); k >= Math.round(Math.log10(LINTHRESH)); k--) {
    candidates.push(pow10(k));
    if (lo < 0) candidates.push(-pow10(k));
  }
  const kept = [];
  for (const v of candidates) {
    if (kept.every((w) => Math.abs(scale(v) - scale(w)) >= gap)) kept.push(v);
  }
  return kept.sort((a, b) => a - b);
}

/**
 * The log scale as y = a + b log10(v), from two of its own values: the same mapping as calling it (up to
 * rounding), without d3-scale's per-call interpolation, which was a quarter of a panel's render at 500 steps.
 */
export function logMapping(scale) {
  const a = scale(1), b = scale(10) - a;
  return (v) => a + b * Math.log10(v);
}

// --- the panels --------------------------------------------------------------------------------------------------

function yScale(spec) {
  const range = [INNER_H - INSET, INSET];
  if (spec === null) return scaleLog().domain([0.1, 10]).range(range);
  if (spec.type === "log") return scaleLog().domain(spec.domain).range(range);
  return scaleSymlog().constant(LINTHRESH).domain(spec.domain).range(range);
}

function lossValues(optimizers) {
  const out = [].concat(...optimizers.map((p) => p.run.losses)); // flatMap is ten times slower here
  for (const p of optimizers) if (p.spread) for (const q of p.spread.quantiles) for (const v of q) out.push(v);
  return out;
}

function rateValues(optimizers) {
  const out = [];
  for (const p of optimizers) {
    if (!p.run.effectiveLr) continue;
    for (const r of p.run.effectiveLr) out.push(r[0], r[1]);
  }
  return out;
}

/**
 * The loss and effective-rate panels.
 *
 * @param {Element} parent where the SVG is appended
 * @returns {{element: SVGSVGElement, render: (data: {optimizers, steps, step}) => void,
 *   destroy: () => void}}
 *   render reads each run's name, color, run.losses, run.effectiveLr and spread (the plot's view will do: a spread
 *   draws its median loss and the 10-90% band, and its median run's rate); the paths
 *   are drawn again only when a run object or the steps change, the axes only when their limits change.
 */
export function createPanels(parent) {
  const id = uid("panels");
  const height = 2 * PANEL_HEIGHT;
  const svg = select(parent).append("svg")
    .attr("class", "tj-panels")
    .attr("viewBox", `0 0 ${PANEL_WIDTH} ${height}`)
    .attr("width", PANEL_WIDTH).attr("height", height)
    .attr("role", "img")
    .attr("aria-label", "Loss against step and effective learning rate against step");
  svg.append("rect").attr("class", "tj-bg").attr("width", PANEL_WIDTH).attr("height", height);
  svg.append("clipPath").attr("id", `${id}-clip`)
    .append("rect").attr("width", INNER_W).attr("height", INNER_H);
  const x = scaleLinear().range([0, INNER_W]);

  const panels = [0, 1].map((k) => {
    const g = svg.append("g").attr("class", k === 0 ? "tj-panel tj-panel-loss" : "tj-panel tj-panel-rate")
      .attr("transform", `translate(${MARGIN.left},${k * PANEL_HEIGHT + MARGIN.top})`);
    const title = g.append("text").attr("class", "tj-panel-title").attr("x", INNER_W / 2).attr("y", -9)
      .attr("text-anchor", "middle").text(TITLES[k]);
    g.append("rect").attr("class", "tj-panel-bg").attr("width", INNER_W).attr("height", INNER_H);
    const gridX = g.append("g").attr("class", "tj-grid").attr("transform", `translate(0,${INNER_H})`);
    const gridY = g.append("g").attr("class", "tj-grid");
    const xAxis = g.append("g").attr("class", "tj-axis").attr("transform", `translate(0,${INNER_H})`);
    const yAxis = g.append("g").attr("class", "tj-axis");
    const note = g.append("text").attr("class", "tj-note").attr("x", INNER_W / 2).attr("y", INNER_H / 2)
      .attr("text-anchor", "middle").attr("dy", "0.35em").attr("display", "none");
    const curves = g.append("g").attr("clip-path", `url(#${id}-clip)`).append("g").attr("fill", "none")
      .attr("transform", `scale(${1 / FINE})`);
    const stepLine = g.append("line").attr("class", "tj-step-line").attr("y1", 0).attr("y2", INNER_H)
      .attr("display", "none");
    g.append("rect").attr("class", "tj-frame").attr("width", INNER_W).attr("height", INNER_H);
    return { g, title, gridX, gridY, xAxis, yAxis, note, curves, stepLine, y: yScale(null), key: undefined };
  });
  panels[1].g.append("text").attr("class", "tj-label").attr("x", INNER_W / 2).attr("y", INNER_H + 32)
    .attr("text-anchor", "middle").text("step");

  const state = { structure: undefined, slots: [], steps: undefined, runs: [] };

  function axes(panel, spec, steps) {
    const key = JSON.stringify([spec, steps]);
    if (key === panel.key) return false;
    panel.key = key;
    panel.y = yScale(spec);
    const xticks = x.ticks(5).filter(Number.isInteger);
    const yticks = spec === null ? [] : spec.type === "log" ? logTicks(spec.domain) : symlogTicks(panel.y);
    panel.xAxis.call(axisBottom(x).tickValues(xticks).tickFormat((v) => String(v)).tickSizeOuter(0).tickSize(3.5)
      .tickPadding(2));
    panel.yAxis.call(axisLeft(panel.y).tickValues(yticks).tickFormat(formatPower).tickSizeOuter(0).tickSize(3.5)
      .tickPadding(2));
    panel.gridX.call(axisBottom(x).tickValues(xticks).tickFormat(() => "").tickSizeOuter(0).tickSize(-INNER_H));
    panel.gridY.call(axisLeft(panel.y).tickValues(yticks).tickFormat(() => "").tickSizeOuter(0)
      .tickSize(-INNER_W));
    const scaleNote = spec !== null ? ` (${spec.type} scale)` : "";
    const title = TITLES[panel === panels[0] ? 0 : 1] + scaleNote;
    if (panel.title.text() !== title) panel.title.text(title);
    return true;
  }

  function build(optimizers) {
    const data = optimizers.map((p) => ({ name: p.name, color: p.color }));
    const join = (panel, dashes) => panel.curves.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("class", (d) => `tj-curve tj-curve-${d.name}`);
      if (panel === panels[0]) { // a spread's 10-90% band, under its median
        g.append("path").attr("class", "tj-band").attr("stroke", "none").attr("fill-opacity", BAND_ALPHA);
      }
      for (const dash of dashes) {
        const path = g.append("path").attr("stroke-width", FINE * LINE_PT * PT).attr("stroke-linejoin", "round");
        if (dash) path.attr("stroke-dasharray", `${FINE * 3 * LINE_PT * PT} ${FINE * 2 * LINE_PT * PT}`);
      }
      return g;
    }).order().each(function color(d) {
      select(this).selectAll("path:not(.tj-band)").attr("stroke", d.color);
      select(this).selectAll(".tj-band").attr("fill", d.color);
    }).nodes();
    const losses = join(panels[0], [false]), rates = join(panels[1], [false, true]);
    state.slots = data.map((d, i) => ({ band: losses[i].firstChild, loss: losses[i].lastChild,
      rate1: rates[i].firstChild, rate2: rates[i].lastChild, run: undefined }));
  }

  const lossLine = line().x((v, i) => FINE * x(i)).digits(0);
  const lossBand = area().x((v, i) => FINE * x(i)).digits(0);
  const rateLine = line().x((r, i) => FINE * x(i + 1)).digits(0);

  function render({ optimizers, steps, step }) {
    const structure = JSON.stringify(optimizers.map((p) => [p.name, p.color]));
    if (structure !== state.structure) {
      build(optimizers);
      state.structure = structure;
      state.runs = [];
    }
    const same = steps === state.steps && optimizers.length === state.runs.length
      && optimizers.every((p, i) => p.run === state.runs[i]);
    if (!same) draw(optimizers, steps);
    const shown = step != null && step >= 0 && step <= steps;
    for (const panel of panels) {
      panel.stepLine.attr("display", shown ? null : "none");
      if (shown) panel.stepLine.attr("x1", px(x(step))).attr("x2", px(x(step)));
    }
  }

  function draw(optimizers, steps) {
    x.domain([0, Math.max(steps, 1)]);
    const lossSpec = panelScale(lossValues(optimizers), LOSS_FLOOR);
    const rateSpec = panelScale(rateValues(optimizers), LR_FLOOR);
    const changed = axes(panels[0], lossSpec, steps) | axes(panels[1], rateSpec, steps);
    const ly = panels[0].y, ry = panels[1].y;
    const log0 = lossSpec === null || lossSpec.type === "log", log1 = rateSpec === null || rateSpec.type === "log";
    // plain comparisons: these run for every point, and false for NaN and the infinities
    const ok = (log) => (log ? (v) => v > 0 && v < Infinity : (v) => v > -Infinity && v < Infinity);
    const okLoss = ok(log0), okRate = ok(log1);
    const lossY = log0 ? logMapping(ly) : ly, rateY = log1 ? logMapping(ry) : ry;
    lossLine.y((v) => FINE * lossY(v)).defined(okLoss);
    optimizers.forEach((p, i) => {
      const s = state.slots[i];
      if (s.run === p.run && !changed) return;
      s.loss.setAttribute("d", lossLine(p.spread ? p.spread.quantiles[1] : p.run.losses) ?? "");
      const [low, , high] = p.spread ? p.spread.quantiles : [];
      s.band.setAttribute("d", p.spread ? lossBand.y0((v, i) => FINE * lossY(low[i])).y1((v, i) => FINE * lossY(high[i]))
        .defined((v, i) => okLoss(low[i]) && okLoss(high[i]))(low) ?? "" : "");
      const rates = p.run.effectiveLr;
      for (const [node, c] of [[s.rate1, 0], [s.rate2, 1]]) {
        const d = rates ? rateLine.y((r) => FINE * rateY(r[c])).defined((r) => okRate(r[c]))(rates) : null;
        node.setAttribute("d", d ?? "");
      }
      s.run = p.run;
    });
    // Say why a momentum path has no curve here: alone in the middle, beside other curves in a corner.
    const without = optimizers.filter((p) => !p.run.effectiveLr).map((p) => p.name);
    const alone = rateSpec === null && without.length === optimizers.length;
    const noteText = `no effective rate for ${without.join(", ")}`;
    if (panels[1].note.text() !== noteText) panels[1].note.text(noteText);
    panels[1].note.attr("display", without.length ? null : "none")
      .attr("x", alone ? INNER_W / 2 : INNER_W - 4).attr("y", alone ? INNER_H / 2 : INNER_H - 8)
      .attr("text-anchor", alone ? "middle" : "end");
    state.steps = steps;
    state.runs = optimizers.map((p) => p.run);
  }

  return {
    element: svg.node(),
    render,
    destroy() {
      svg.remove();
    },
  };
}
