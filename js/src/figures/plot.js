// The trajectories figure in SVG: contours of f, one path per optimizer, the start point and the highlighted step.
//
// A port of plotting.TraceFigure's main axes (the book's show_trace_2d look) with d3. The contours are computed
// only when the objective changes; a slider move, a new start or a new step only rewrites attributes (d,
// transform, display) of elements that already exist, as the Python figure only moves its artists.
import { axisBottom, axisLeft } from "d3-axis";
import { drag } from "d3-drag";
import { scaleLinear } from "d3-scale";
import { pointer, select } from "d3-selection";
import { line } from "d3-shape";

import { uid } from "../core/ids.js";
import { contourPaths } from "./contours.js";
import { arrowPaths, clippedPolyline, markerPath, symbolTemplate } from "./marks.js";
import { FINE, PT, px } from "./svg.js";

const TITLE_CHARS = 80; // a formula's text as the title, cut to fit above the plot

export const WIDTH = 560;
export const HEIGHT = 420;
export const MARGIN = Object.freeze({ top: 30, right: 12, bottom: 44, left: 52 });
const INNER_W = WIDTH - MARGIN.left - MARGIN.right;
const INNER_H = HEIGHT - MARGIN.top - MARGIN.bottom;
// Sizes in points, as plotting.py gives them to matplotlib.
const LINE_PT = 1.5;
const CURRENT_PT = 11;
const LEGEND_MARKER_PT = 5;
const START_PT = 7;
const MINIMUM_PT = 9;
const SADDLE_PT = 8;
const CONTOUR_PT = { one: 1.5, several: 1.0 };
const CONTOUR_ALPHA = { one: 1, several: 0.55 };
const GRADIENT_PT = 1.4;
const UPDATE_PT = 2.2;
const START_HIT = 11; // px radius of the start marker's grab area (finger-sized)

// --- what the figure shows ------------------------------------------------------------------------------------

function inside(p, xlim, ylim) {
  return p[0] >= xlim[0] && p[0] <= xlim[1] && p[1] >= ylim[0] && p[1] <= ylim[1]; // false for NaN
}

/** plotting.left_view: the first step whose point lies outside the window (or is not finite), or null. */
export function leftView(points, xlim, ylim) {
  for (let t = 0; t < points.length; t++) if (!inside(points[t], xlim, ylim)) return t;
  return null;
}

/**
 * plotting.drawn_until (fixed window): the last step drawn. A run that ends outside the window (diverged, or on
 * its way) is drawn up to the first point outside, so the path visibly leaves; one that comes back is drawn whole.
 */
export function drawnUntil(run, xlim, ylim) {
  const steps = run.points.length - 1;
  const out = leftView(run.points, xlim, ylim);
  if (out === null) return steps;
  if (run.divergedAt == null && inside(run.points[steps], xlim, ylim)) return steps;
  return out;
}

/** The path's marker size in points for a run of `steps` steps (0: no markers), as TraceFigure.update. */
export function markerSize(steps) {
  return steps <= 40 ? 5 : steps <= 120 ? 3.5 : steps <= 300 ? 2 : 0;
}

/** Round a clicked coordinate to 2 decimals as the Python app does (and never give -0). */
export function round2(v) {
  return Math.round(v * 100) / 100 + 0;
}

// --- the figure --------------------------------------------------------------------------------------------------

const pathLine = line().defined((p) => !Number.isNaN(p[0])).x((p) => FINE * p[0]).y((p) => FINE * p[1]).digits(0);
const SPREAD_PT = 0.7; // each seed's path of a spread, faint
const SPREAD_ALPHA = 0.22;
const MEDIAN_PT = 2.2; // a spread's median run, bold

/**
 * Every seed's path of a spread as one d attribute (each drawn up to where drawnUntil would draw it), in the
 * plot's pixels, scaled by FINE: spread is runSpread()'s {xs, count, steps}.
 */
function seedsPath(spread, x, y, o, box) {
  const n = spread.steps + 1, xs = spread.xs;
  const px = new Float64Array(n), py = new Float64Array(n);
  const inWindow = (a, b) => a >= o.xlim[0] && a <= o.xlim[1] && b >= o.ylim[0] && b <= o.ylim[1];
  let d = "";
  for (let i = 0; i < spread.count; i++) {
    const base = 2 * i * n;
    let end = n;
    for (let t = 0; t < n; t++) {
      if (!inWindow(xs[base + 2 * t], xs[base + 2 * t + 1])) {
        const last = base + 2 * (n - 1);
        end = inWindow(xs[last], xs[last + 1]) ? n : t + 1; // back inside at the end: drawn whole
        break;
      }
    }
    for (let t = 0; t < end; t++) {
      px[t] = x(xs[base + 2 * t]);
      py[t] = y(xs[base + 2 * t + 1]);
    }
    d += pathLine(clippedPolyline(px, py, end, box)) ?? "";
  }
  return d;
}

// The legend's text width: measured when the figure is in the page; before that (a widget is drawn before it is
// attached), a generous estimate, and the legend is laid out again once it can be measured.
function legendWidth(texts, fallbackChars) {
  let w = 0;
  texts.each(function measure() {
    let l = 0;
    try { l = this.getComputedTextLength(); } catch { l = 0; }
    w = Math.max(w, l);
  });
  return w > 0 ? { width: w, measured: true } : { width: fallbackChars * 7.5, measured: false };
}

const REACH = 2 * Math.hypot(INNER_W, INNER_H); // plotting._arrow's reach, in pixels

// An arrow's [shaft, head] d attributes from pixel a towards b, cut at REACH (a diverging step may point far off).
function arrow(a, b, width) {
  const dx = b[0] - a[0], dy = b[1] - a[1], l = Math.hypot(dx, dy);
  const end = l > REACH ? [a[0] + (dx * REACH) / l, a[1] + (dy * REACH) / l] : b;
  return arrowPaths(a, end, width) ?? ["", ""];
}

/**
 * The legend of several paths in the plot's lower right corner: each optimizer's line, marker and name in a
 * framed box. Returns whether the names could be measured (false before the figure is in the page: it is then
 * laid out again).
 */
function drawLegend(legend, data) {
  legend.selectAll("*").remove();
  legend.attr("transform", null);
  if (!data.length) return true;
  const row = 17, sample = 26, pad = 6;
  const frame = legend.append("rect").attr("class", "tj-legend-frame").attr("rx", 2.5);
  const rows = legend.selectAll("g").data(data).join("g")
    .attr("transform", (d, i) => `translate(${pad},${pad + row / 2 + i * row})`);
  rows.append("path").attr("d", `M0,0H${sample}`).attr("stroke", (d) => d.color).attr("stroke-width", LINE_PT * PT);
  rows.append("path").attr("fill", (d) => d.color)
    .attr("d", (d) => markerPath([sample / 2], [0], 1, symbolTemplate(d.marker, LEGEND_MARKER_PT * PT),
      [-99, -99, 99, 99]));
  const texts = rows.append("text").attr("class", "tj-legend-text").attr("x", sample + 6).attr("dy", "0.35em")
    .text((d) => d.label);
  const text = legendWidth(texts, Math.max(...data.map((d) => d.label.length)));
  const w = pad * 2 + sample + 6 + text.width;
  const h = pad * 2 + row * data.length;
  frame.attr("width", px(w)).attr("height", h);
  legend.attr("transform", `translate(${px(INNER_W - w - 8)},${INNER_H - h - 8})`);
  return text.measured;
}

/**
 * The trajectories figure.
 *
 * @param {Element} parent where the SVG is appended
 * @param {{onStart?: (x1: number, x2: number, info: {final: boolean}) => void}} options onStart is called when the
 *   student clicks in the plot area (final: true) or drags the start marker (final: false while moving, true on
 *   release), with coordinates rounded to 2 decimals and kept inside the window
 * @returns {{element: SVGSVGElement, render: (view: object) => void, destroy: () => void}}
 *   render(view) draws `view`, and may be called as often as wanted; view is
 *   {objective: {key, name, f, grad, xlim, ylim, minima, saddles, levels}, optimizers: [{name, color, marker,
 *   label, run, spread, eta}], start: [x1, x2], steps, step: null | k, colors: {contour, gradient}} (one entry per
 *   run: name is its key; spread, runSpread()'s result or null, draws every seed's path faint under the median
 *   run, `run`, drawn bold). The contours are
 *   computed again only when objective.key changes (name is the title); the paths only when a run object or the
 *   steps change; the rest of the elements only when the optimizers' names, colours, markers or labels change.
 */
export function createPlot(parent, { onStart } = {}) {
  const id = uid("plot");
  const x = scaleLinear().range([0, INNER_W]);
  const y = scaleLinear().range([INNER_H, 0]);
  const svg = select(parent).append("svg")
    .attr("class", "tj-plot")
    .attr("viewBox", `0 0 ${WIDTH} ${HEIGHT}`)
    .attr("width", WIDTH).attr("height", HEIGHT)
    .attr("role", "img");
  svg.append("rect").attr("class", "tj-bg").attr("width", WIDTH).attr("height", HEIGHT);
  svg.append("clipPath").attr("id", `${id}-clip`)
    .append("rect").attr("width", INNER_W).attr("height", INNER_H);
  const title = svg.append("text").attr("class", "tj-title")
    .attr("x", MARGIN.left + INNER_W / 2).attr("y", MARGIN.top - 10).attr("text-anchor", "middle");
  const root = svg.append("g").attr("transform", `translate(${MARGIN.left},${MARGIN.top})`);
  const xAxis = root.append("g").attr("class", "tj-axis").attr("transform", `translate(0,${INNER_H})`);
  const yAxis = root.append("g").attr("class", "tj-axis");
  root.append("text").attr("class", "tj-label").attr("x", INNER_W / 2).attr("y", INNER_H + 38)
    .attr("text-anchor", "middle").text("x1");
  root.append("text").attr("class", "tj-label").attr("transform", `translate(${-40},${INNER_H / 2}) rotate(-90)`)
    .attr("text-anchor", "middle").text("x2");
  const area = root.append("g").attr("clip-path", `url(#${id}-clip)`);
  const hit = area.append("rect").attr("class", "tj-hit").attr("width", INNER_W).attr("height", INNER_H);
  const contourLayer = area.append("g").attr("class", "tj-contours").attr("fill", "none");
  const landmarks = area.append("g").attr("class", "tj-landmarks");
  const minima = landmarks.append("path").attr("class", "tj-minimum");
  const saddles = landmarks.append("path").attr("class", "tj-saddle");
  const pathLayer = area.append("g").attr("class", "tj-paths").attr("transform", `scale(${1 / FINE})`);
  const start = area.append("g").attr("class", "tj-start");
  start.append("title").text("start: drag to move");
  start.append("circle").attr("class", "tj-start-hit").attr("r", START_HIT);
  start.append("circle").attr("class", "tj-start-dot").attr("r", (START_PT * PT) / 2);
  const currentLayer = area.append("g").attr("class", "tj-current");
  const arrowLayer = area.append("g").attr("class", "tj-arrows");
  const legend = area.append("g").attr("class", "tj-legend");
  root.append("rect").attr("class", "tj-frame").attr("width", INNER_W).attr("height", INNER_H);

  const state = { key: undefined, several: undefined, structure: undefined, slots: [], objective: null,
    startD: null, dragging: null, contour: null, label: null };
  const box = [-INNER_W, -INNER_H, 2 * INNER_W, 2 * INNER_H]; // what a path keeps: the window and a margin

  function report(px1, px2, final) {
    const o = state.objective;
    if (!o) return;
    const clamp = (v, [lo, hi]) => Math.min(hi, Math.max(lo, v));
    const x1 = round2(clamp(x.invert(px1), o.xlim)), x2 = round2(clamp(y.invert(px2), o.ylim));
    state.dragging = final ? null : [x1, x2];
    placeStart([x1, x2]);
    if (onStart) onStart(x1, x2, { final });
  }

  hit.on("click", (event) => {
    const [a, b] = pointer(event, area.node());
    report(a, b, true);
  });
  let moved = false; // a press on the marker without a move is not a new start
  start.call(drag()
    .container(area.node())
    .on("start", () => {
      moved = false;
      svg.classed("tj-dragging", true);
    })
    .on("drag", (event) => {
      moved = true;
      report(event.x, event.y, false);
    })
    .on("end", (event) => {
      svg.classed("tj-dragging", false);
      if (moved) report(event.x, event.y, true);
    }));

  function placeStart(p) {
    const t = `translate(${px(x(p[0]))},${px(y(p[1]))})`;
    if (t !== state.startD) {
      start.attr("transform", t);
      state.startD = t;
    }
  }

  function drawObjective(o) {
    state.objective = o;
    x.domain(o.xlim);
    y.domain(o.ylim);
    xAxis.call(axisBottom(x).ticks(Math.max(4, Math.round(INNER_W / 70))).tickSizeOuter(0).tickSize(4.5)
      .tickPadding(3));
    yAxis.call(axisLeft(y).ticks(Math.max(4, Math.round(INNER_H / 45))).tickSizeOuter(0).tickSize(4.5)
      .tickPadding(3));
    contourLayer.selectAll("path").data(contourPaths(o, x, y, INNER_W, INNER_H)).join("path").attr("d", (d) => d);
    const marks = (pts, shape, size) => markerPath(pts.map((p) => x(p[0])), pts.map((p) => y(p[1])), pts.length,
      symbolTemplate(shape, size * PT), [-20, -20, INNER_W + 20, INNER_H + 20]);
    minima.attr("d", marks(o.minima ?? [], "star", MINIMUM_PT));
    saddles.attr("d", marks(o.saddles ?? [], "x", SADDLE_PT));
    const name = o.name ?? "";
    title.text(name.length > TITLE_CHARS ? `${name.slice(0, TITLE_CHARS - 1)}…` : name); // a long formula, cut
    // The data window on the root, so a reader of the page (a test, a screen reader's summary) can map the
    // drawing back to x1, x2: the inner area spans [0, INNER_W] x [INNER_H, 0] with the paths scaled by FINE.
    svg.attr("data-xlim", o.xlim.join(",")).attr("data-ylim", o.ylim.join(","))
      .attr("data-area", `${INNER_W},${INNER_H},${FINE}`)
      .attr("aria-label", `trajectories on ${o.name ?? "the objective"}`);
    state.key = o.key;
    state.startD = null;
    for (const s of state.slots) s.run = undefined;
  }

  function buildPaths(view) {
    const several = view.optimizers.length > 1;
    const data = view.optimizers.map((p, i) => ({ name: p.name, color: p.color, label: p.label ?? p.name,
      marker: several ? p.marker : "circle", i }));
    pathLayer.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("class", (d) => `tj-trajectory tj-trajectory-${d.name}`);
      g.append("path").attr("class", "tj-spread").attr("fill", "none").attr("stroke-width", FINE * SPREAD_PT * PT)
        .attr("stroke-opacity", SPREAD_ALPHA).attr("stroke-linejoin", "round");
      g.append("path").attr("class", "tj-line").attr("fill", "none").attr("stroke-width", FINE * LINE_PT * PT)
        .attr("stroke-linejoin", "round");
      g.append("path").attr("class", "tj-markers").attr("stroke", "none");
      return g;
    }).order().each(function color(d) {
      select(this).select(".tj-spread").attr("stroke", d.color);
      select(this).select(".tj-line").attr("stroke", d.color);
      select(this).select(".tj-markers").attr("fill", d.color);
    });
    currentLayer.selectAll("path").data(data, (d) => d.name).join("path").order()
      .attr("fill", (d) => d.color).attr("stroke-width", 1.2 * PT).attr("display", "none");
    arrowLayer.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("display", "none");
      g.append("path").attr("class", "tj-gradient-shaft").attr("fill", "none").attr("stroke-width", GRADIENT_PT * PT)
        .attr("stroke-dasharray", `${3 * GRADIENT_PT * PT} ${2 * GRADIENT_PT * PT}`);
      g.append("path").attr("class", "tj-gradient-head").attr("stroke", "none");
      g.append("path").attr("class", "tj-update-shaft").attr("fill", "none").attr("stroke-width", UPDATE_PT * PT);
      g.append("path").attr("class", "tj-update-head").attr("stroke", "none");
      return g;
    }).order().each(function color(d) {
      const g = select(this);
      g.select(".tj-gradient-shaft").attr("stroke", view.colors?.gradient ?? "#555555");
      g.select(".tj-gradient-head").attr("fill", view.colors?.gradient ?? "#555555");
      g.select(".tj-update-shaft").attr("stroke", d.color);
      g.select(".tj-update-head").attr("fill", d.color);
    });
    const paths = pathLayer.selectAll("g").nodes(), currents = currentLayer.selectAll("path").nodes();
    const arrows = arrowLayer.selectAll("g").nodes();
    state.slots = data.map((d, i) => ({
      ...d, spread: paths[i].querySelector(".tj-spread"), line: paths[i].querySelector(".tj-line"),
      markers: paths[i].querySelector(".tj-markers"), current: currents[i], arrow: arrows[i],
      parts: arrows[i].childNodes, template: symbolTemplate(d.marker, CURRENT_PT * PT), run: undefined,
      size: undefined, end: 0, xs: null, ys: null, shown: false, currentD: null }));
    state.legend = drawLegend(legend, several ? data : []) ? null : data;
  }

  function drawRun(s, p, steps) {
    const o = state.objective;
    const run = p.run;
    const n = run.points.length;
    if (!s.xs || s.xs.length < n) {
      s.xs = new Float64Array(n);
      s.ys = new Float64Array(n);
    }
    for (let t = 0; t < n; t++) {
      s.xs[t] = x(run.points[t][0]);
      s.ys[t] = y(run.points[t][1]);
    }
    s.end = drawnUntil(run, o.xlim, o.ylim) + 1;
    s.line.setAttribute("d", pathLine(clippedPolyline(s.xs, s.ys, s.end, box)) ?? "");
    s.line.setAttribute("stroke-width", FINE * (p.spread ? MEDIAN_PT : LINE_PT) * PT);
    s.spread.setAttribute("d", p.spread ? seedsPath(p.spread, x, y, o, box) : "");
    const size = markerSize(steps);
    const d = size > 0 ? markerPath(s.xs, s.ys, s.end, templateFor(s.marker, size),
      [-10, -10, INNER_W + 10, INNER_H + 10], FINE) : "";
    s.markers.setAttribute("d", d);
    s.run = run;
    s.size = size;
  }

  const templates = new Map();
  function templateFor(shape, size) {
    const k = `${shape}${size}`;
    if (!templates.has(k)) templates.set(k, symbolTemplate(shape, FINE * size * PT));
    return templates.get(k);
  }

  function drawStep(s, p, step) {
    const run = s.run;
    const o = state.objective;
    const t = step;
    const ok = t != null && t >= 0 && t < s.end && Number.isFinite(run.points[t][0])
      && Number.isFinite(run.points[t][1]);
    if (!ok) {
      if (s.shown) {
        s.current.setAttribute("display", "none");
        s.arrow.setAttribute("display", "none");
        s.shown = false;
      }
      return;
    }
    const [x1, x2] = run.points[t];
    const a = [s.xs[t], s.ys[t]];
    s.current.setAttribute("d", markerPath([a[0]], [a[1]], 1, s.template, [-1e4, -1e4, 1e4, 1e4]));
    s.current.removeAttribute("display");
    const following = t + 1 < run.points.length ? run.points[t + 1] : run.points[t];
    const rate = run.rates ? run.rates[Math.min(t, run.rates.length - 1)] : p.eta;
    const g = o.grad(x1, x2), eta = Number.isFinite(rate) ? rate : 1;
    const paths = [...arrow(a, [x(x1 - eta * g[0]), y(x2 - eta * g[1])], GRADIENT_PT * PT),
      ...arrow(a, [x(following[0]), y(following[1])], UPDATE_PT * PT)];
    s.parts.forEach((node, k) => node.setAttribute("d", paths[k]));
    s.arrow.removeAttribute("display");
    s.shown = true;
  }

  function render(view) {
    const o = view.objective;
    const several = view.optimizers.length > 1;
    if (o.key !== state.key) drawObjective(o);
    else state.objective = o;
    if (several !== state.several) {
      contourLayer.attr("stroke-width", (several ? CONTOUR_PT.several : CONTOUR_PT.one) * PT)
        .attr("opacity", several ? CONTOUR_ALPHA.several : CONTOUR_ALPHA.one);
      state.several = several;
    }
    const contour = view.colors?.contour ?? "#1f77b4";
    if (contour !== state.contour) {
      contourLayer.attr("stroke", contour);
      state.contour = contour;
    }
    const structure = JSON.stringify(view.optimizers.map((p) => [p.name, p.color, p.marker, p.label]))
      + (view.colors?.gradient ?? "");
    if (structure !== state.structure) {
      buildPaths(view);
      state.structure = structure;
    }
    const size = markerSize(view.steps);
    view.optimizers.forEach((p, i) => {
      const s = state.slots[i];
      if (s.run !== p.run || s.size !== size) drawRun(s, p, view.steps);
      drawStep(s, p, view.step);
    });
    placeStart(state.dragging ?? view.start);
    if (state.legend && svg.node().isConnected && drawLegend(legend, state.legend)) state.legend = null;
    const names = view.optimizers.map((p) => p.label ?? p.name).join(", ");
    const label = `Contours of ${o.name ?? o.key} with the path${several ? "s" : ""} of ${names} from `
      + `(${view.start[0]}, ${view.start[1]})`;
    if (label !== state.label) {
      svg.attr("aria-label", label);
      state.label = label;
    }
  }

  return {
    element: svg.node(),
    render,
    destroy() {
      start.on(".drag", null);
      hit.on("click", null);
      svg.remove();
    },
  };
}
