// The trajectories figure in SVG: contours of f, one path per optimizer, the start point and the highlighted step.
//
// A port of plotting.TraceFigure's main axes (the book's show_trace_2d look) with d3, drawn at the size the page
// gives it (resize) in the window core/view.js computes from the runs, as the exported figure is: the window grows
// to hold every run that stays near the objective's, and a run that diverges is drawn to where it leaves, marked
// there with a triangle. The axes and the contours are drawn again only when the window, the size or the objective
// change; a slider move, a new start or a new step only rewrites attributes (d, transform, display) of elements
// that already exist, as the Python figure only moves its artists.
import { axisBottom, axisLeft } from "d3-axis";
import { drag } from "d3-drag";
import { scaleLinear } from "d3-scale";
import { pointer, select } from "d3-selection";
import { line } from "d3-shape";

import { uid } from "../core/ids.js";
import { exitPoint, viewOf } from "../core/view.js";
import { contourPaths } from "./contours.js";
import { arrowPaths, clippedPolyline, markerPath, symbolTemplate } from "./marks.js";
import { FINE, PT, px } from "./svg.js";

const TITLE_CHARS = 80; // a formula's text as the title, cut to fit above the plot

export const WIDTH = 560; // the size before the page lays the figure out (and the book's 4:3)
export const HEIGHT = 420;
const MARGIN = Object.freeze({ top: 30, right: 12, bottom: 44, left: 52 }); // at text scale 1
// Sizes in points, as plotting.py gives them to matplotlib.
const LINE_PT = 1.5;
const CURRENT_PT = 11;
const LEGEND_MARKER_PT = 5;
const START_PT = 7;
const MINIMUM_PT = 9;
const SADDLE_PT = 8;
const EXIT_PT = 10; // plotting._Exit: the triangle where a path leaves the window
const CONTOUR_PT = { one: 1.5, several: 1.0 };
const CONTOUR_ALPHA = { one: 1, several: 0.55 };
const GRADIENT_PT = 1.4;
const UPDATE_PT = 2.2;
const START_HIT = 11; // px radius of the start marker's grab area with a mouse; a finger gets twice that
const PICK_REACH = 7; // px from a point of a path within which a click picks its step (a finger: PICK_TOUCH)
const PICK_TOUCH = 14;

// --- what the figure shows ------------------------------------------------------------------------------------

/** The path's marker size in points for a run of `steps` steps (0: no markers), as TraceFigure.update. */
export function markerSize(steps) {
  return steps <= 40 ? 5 : steps <= 120 ? 3.5 : steps <= 300 ? 2 : 0;
}

/** Round a clicked coordinate to 2 decimals as the Python app does (and never give -0). */
export function round2(v) {
  return Math.round(v * 100) / 100 + 0;
}

// The triangle of plotting._tip: its tip at the origin, pointing along (dx, dy) out of the window, in px.
function tipPath(x, y, side, size) {
  const [dx, dy] = { top: [0, -1], bottom: [0, 1], left: [-1, 0], right: [1, 0] }[side];
  const back = [x - dx * size, y - dy * size], half = [-dy * size * 0.55, dx * size * 0.55];
  return `M${px(x)},${px(y)}L${px(back[0] + half[0])},${px(back[1] + half[1])}`
    + `L${px(back[0] - half[0])},${px(back[1] - half[1])}Z`;
}

// --- the figure --------------------------------------------------------------------------------------------------

const pathLine = line().defined((p) => !Number.isNaN(p[0])).x((p) => FINE * p[0]).y((p) => FINE * p[1]).digits(0);
const SPREAD_PT = 0.7; // each seed's path of a spread, faint
const SPREAD_ALPHA = 0.22;
const MEDIAN_PT = 2.2; // a spread's median run, bold

/**
 * Every seed's path of a spread as one d attribute (each up to its first point outside the window `o` shown, or
 * whole when it is back inside at the end), in the plot's pixels, scaled by FINE: spread is runSpread()'s {xs, count, steps}.
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

/**
 * The legend of several paths in the plot's lower right corner: each optimizer's line, marker and name in a
 * framed box. Returns whether the names could be measured (false before the figure is in the page: it is then
 * laid out again).
 */
function drawLegend(legend, data, inner, k) {
  legend.selectAll("*").remove();
  legend.attr("transform", null);
  if (!data.length) return true;
  const row = 17 * k.text, sample = 26 * k.text, pad = 6 * k.text;
  const frame = legend.append("rect").attr("class", "tj-legend-frame").attr("rx", 2.5);
  const rows = legend.selectAll("g").data(data).join("g")
    .attr("transform", (d, i) => `translate(${pad},${pad + row / 2 + i * row})`);
  rows.append("path").attr("d", `M0,0H${sample}`).attr("stroke", (d) => d.color)
    .attr("stroke-width", LINE_PT * PT * k.line);
  rows.append("path").attr("fill", (d) => d.color)
    .attr("d", (d) => markerPath([sample / 2], [0], 1, symbolTemplate(d.marker, LEGEND_MARKER_PT * PT * k.line),
      [-99, -99, 99, 99]));
  const texts = rows.append("text").attr("class", "tj-legend-text").attr("x", sample + 6 * k.text)
    .attr("dy", "0.35em").text((d) => d.label);
  const text = legendWidth(texts, Math.max(...data.map((d) => d.label.length)) * k.text);
  const w = pad * 2 + sample + 6 * k.text + text.width;
  const h = pad * 2 + row * data.length;
  frame.attr("width", px(w)).attr("height", h);
  legend.attr("transform", `translate(${px(inner.w - w - 8)},${px(inner.h - h - 8)})`);
  return text.measured;
}

/**
 * The trajectories figure.
 *
 * @param {Element} parent where the SVG is appended
 * @param {{t: Function, onStart?: (x1: number, x2: number, info: {final: boolean}) => void,
 *   onPick?: (name: string, step: number) => void}} options t: the page's words (core/i18n.js translator); onStart
 *   is called when the student clicks in the plot area with a mouse (final: true; a tap of a finger does not move
 *   the start, it may be a scroll) or drags the start marker (final: false while moving, true on release), with
 *   coordinates rounded to 2 decimals and kept inside the window shown; onPick when a click or a tap lands on a
 *   point of a path (then the start stays): that optimizer and the step of the point
 * @returns {{element: SVGSVGElement, render: (view: object) => void, resize(size), window, destroy: () => void}}
 *   render(view) draws `view`, and may be called as often as wanted; view is
 *   {objective: {key, name, f, grad, xlim, ylim, viewUnit, minima, saddles, levels}, optimizers: [{name, color,
 *   marker, label, run, spread, eta}], start: [x1, x2], steps, step: null | k, colors: {contour, gradient}, view:
 *   "fit" | "window", rule: config.view} (one entry per run: name is its key; spread, runSpread()'s result or null,
 *   draws every seed's path faint under the median run, `run`, drawn bold). resize({width, height, text, line})
 *   lays the figure out at width x height CSS px, its text and lines `text` and `line` times their book sizes (a
 *   projector's presenter mode). window: the window shown and how much of each path is drawn (core/view.js's
 *   viewOf).
 */
export function createPlot(parent, { t, onStart, onPick } = {}) {
  const id = uid("plot");
  const x = scaleLinear(), y = scaleLinear();
  const svg = select(parent).append("svg").attr("class", "tj-plot").attr("role", "img");
  const bg = svg.append("rect").attr("class", "tj-bg");
  const clip = svg.append("clipPath").attr("id", `${id}-clip`).append("rect");
  const title = svg.append("text").attr("class", "tj-title").attr("text-anchor", "middle");
  const root = svg.append("g");
  const xAxis = root.append("g").attr("class", "tj-axis");
  const yAxis = root.append("g").attr("class", "tj-axis");
  const xLabel = root.append("text").attr("class", "tj-label").attr("text-anchor", "middle").text("x1");
  const yLabel = root.append("text").attr("class", "tj-label").attr("text-anchor", "middle").text("x2");
  const area = root.append("g").attr("clip-path", `url(#${id}-clip)`);
  const hit = area.append("rect").attr("class", "tj-hit");
  const contourLayer = area.append("g").attr("class", "tj-contours").attr("fill", "none");
  const landmarks = area.append("g").attr("class", "tj-landmarks");
  const minima = landmarks.append("path").attr("class", "tj-minimum");
  const saddles = landmarks.append("path").attr("class", "tj-saddle");
  const pathLayer = area.append("g").attr("class", "tj-paths").attr("transform", `scale(${1 / FINE})`);
  const exitLayer = area.append("g").attr("class", "tj-exits");
  const start = area.append("g").attr("class", "tj-start");
  start.append("title").text(t("plot.start_title"));
  const startHit = start.append("circle").attr("class", "tj-start-hit");
  const startDot = start.append("circle").attr("class", "tj-start-dot");
  const currentLayer = area.append("g").attr("class", "tj-current");
  const arrowLayer = area.append("g").attr("class", "tj-arrows");
  const legend = area.append("g").attr("class", "tj-legend");
  const frame = root.append("rect").attr("class", "tj-frame");

  const state = { key: null, windowKey: null, window: null, frozen: null, several: undefined, structure: undefined,
    slots: [], objective: null, startD: null, dragging: null, contour: null, label: null, legend: null,
    size: null, inner: { w: 0, h: 0 }, k: { text: 1, line: 1 }, box: [0, 0, 0, 0], reach: 0, legendData: [] };

  function report(px1, px2, final) {
    const w = state.window;
    if (!w) return;
    const clamp = (v, [lo, hi]) => Math.min(hi, Math.max(lo, v));
    const x1 = round2(clamp(x.invert(px1), w.xlim)), x2 = round2(clamp(y.invert(px2), w.ylim));
    state.dragging = final ? null : [x1, x2];
    placeStart([x1, x2]);
    if (onStart) onStart(x1, x2, { final });
  }

  // A click near a point of a path picks that step (the nearest point within reach, the later step on a tie);
  // anywhere else it moves the start there.
  function nearest(a, b, reach) {
    let best = null, bestD = reach * reach;
    for (const s of state.slots) {
      for (let k = 0; k < s.end; k++) {
        const d = (s.xs[k] - a) ** 2 + (s.ys[k] - b) ** 2;
        if (d <= bestD) {
          best = { name: s.name, step: k };
          bestD = d;
        }
      }
    }
    return best;
  }

  hit.on("click", (event) => {
    const touch = event.pointerType === "touch";
    const [a, b] = pointer(event, area.node());
    const picked = onPick ? nearest(a, b, touch ? PICK_TOUCH : PICK_REACH) : null;
    if (picked) onPick(picked.name, picked.step); // a tap may pick a step: it moves nothing
    else if (!touch) report(a, b, true); // a finger on the plot scrolls the page; it drags the marker only
  });
  let moved = false; // a press on the marker without a move is not a new start
  start.call(drag()
    .container(area.node())
    .on("start", () => {
      moved = false;
      state.frozen = state.window; // the axes hold still under the hand until it lets go
      svg.classed("tj-dragging", true);
    })
    .on("drag", (event) => {
      moved = true;
      report(event.x, event.y, false);
    })
    .on("end", (event) => {
      svg.classed("tj-dragging", false);
      state.frozen = null;
      if (moved) report(event.x, event.y, true);
      else state.dragging = null;
    }));

  function placeStart(p) {
    const t = `translate(${px(x(p[0]))},${px(y(p[1]))})`;
    if (t !== state.startD) {
      start.attr("transform", t);
      state.startD = t;
    }
  }

  /** Lay the figure out at width x height px; text and lines `text`, `line` times their book sizes. */
  function resize({ width = WIDTH, height = HEIGHT, text = 1, line: lines = 1 } = {}) {
    const key = `${width}x${height}x${text}x${lines}`;
    if (key === state.size) return;
    state.size = key;
    state.k = { text, line: lines };
    const m = { top: MARGIN.top * text, right: MARGIN.right, bottom: MARGIN.bottom * text,
      left: MARGIN.left * text };
    const inner = state.inner = { w: Math.max(40, width - m.left - m.right), h: Math.max(40, height - m.top - m.bottom) };
    state.box = [-inner.w, -inner.h, 2 * inner.w, 2 * inner.h]; // what a path keeps: the window and a margin
    state.reach = 2 * Math.hypot(inner.w, inner.h); // plotting._arrow's reach, in pixels
    x.range([0, inner.w]);
    y.range([inner.h, 0]);
    svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    bg.attr("width", width).attr("height", height);
    clip.attr("width", inner.w).attr("height", inner.h);
    title.attr("x", m.left + inner.w / 2).attr("y", m.top - 10 * text);
    root.attr("transform", `translate(${m.left},${m.top})`);
    xAxis.attr("transform", `translate(0,${inner.h})`);
    xLabel.attr("x", inner.w / 2).attr("y", inner.h + 38 * text);
    yLabel.attr("transform", `translate(${-40 * text},${inner.h / 2}) rotate(-90)`);
    hit.attr("width", inner.w).attr("height", inner.h);
    frame.attr("width", inner.w).attr("height", inner.h);
    startHit.attr("r", START_HIT);
    startDot.attr("r", (START_PT * PT * lines) / 2);
    state.windowKey = null; // the axes, the contours and every path are drawn again
    state.structure = undefined;
  }

  function drawWindow(o, w, rule) {
    x.domain(w.xlim);
    y.domain(w.ylim);
    const { inner, k } = state;
    xAxis.call(axisBottom(x).ticks(Math.max(4, Math.round(inner.w / (80 * k.text)))).tickSizeOuter(0)
      .tickSize(4.5 * k.text).tickPadding(3));
    yAxis.call(axisLeft(y).ticks(Math.max(4, Math.round(inner.h / (55 * k.text)))).tickSizeOuter(0)
      .tickSize(4.5 * k.text).tickPadding(3));
    contourLayer.selectAll("path").data(contourPaths(o, x, y, inner.w, inner.h, { ...w, rule })).join("path")
      .attr("d", (d) => d);
    const marks = (pts, shape, size) => markerPath(pts.map((p) => x(p[0])), pts.map((p) => y(p[1])), pts.length,
      symbolTemplate(shape, size * PT * k.line), [-20, -20, inner.w + 20, inner.h + 20]);
    minima.attr("d", marks(o.minima ?? [], "star", MINIMUM_PT));
    saddles.attr("d", marks(o.saddles ?? [], "times", SADDLE_PT));
    const name = o.name ?? "";
    title.text(name.length > TITLE_CHARS ? `${name.slice(0, TITLE_CHARS - 1)}…` : name); // a long formula, cut
    // The data window on the root, so a reader of the page (a test, a screen reader's summary) can map the
    // drawing back to x1, x2: the inner area spans [0, width] x [height, 0] with the paths scaled by FINE.
    svg.attr("data-xlim", w.xlim.join(",")).attr("data-ylim", w.ylim.join(","))
      .attr("data-area", `${inner.w},${inner.h},${FINE}`);
    state.startD = null;
    for (const s of state.slots) s.run = undefined;
    if (state.legendData.length) state.legend = state.legendData; // laid out again in the new size
  }

  function buildPaths(view) {
    const several = view.optimizers.length > 1;
    const { k } = state;
    const data = view.optimizers.map((p, i) => ({ name: p.name, color: p.color, label: p.label ?? p.name,
      marker: several ? p.marker : "circle", i }));
    pathLayer.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("class", (d) => `tj-trajectory tj-trajectory-${d.name}`);
      g.append("path").attr("class", "tj-spread").attr("fill", "none")
        .attr("stroke-opacity", SPREAD_ALPHA).attr("stroke-linejoin", "round");
      g.append("path").attr("class", "tj-line").attr("fill", "none").attr("stroke-linejoin", "round");
      g.append("path").attr("class", "tj-markers").attr("stroke", "none");
      return g;
    }).order().each(function color(d) {
      select(this).select(".tj-spread").attr("stroke", d.color).attr("stroke-width", FINE * SPREAD_PT * PT * k.line);
      select(this).select(".tj-line").attr("stroke", d.color).attr("stroke-width", FINE * LINE_PT * PT * k.line);
      select(this).select(".tj-markers").attr("fill", d.color);
    });
    exitLayer.selectAll("path").data(data, (d) => d.name).join("path").order()
      .attr("class", (d) => `tj-exit tj-exit-${d.name}`).attr("fill", (d) => d.color).attr("display", "none");
    currentLayer.selectAll("path").data(data, (d) => d.name).join("path").order()
      .attr("fill", (d) => d.color).attr("stroke-width", 1.2 * PT * k.line).attr("display", "none");
    arrowLayer.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("display", "none");
      g.append("path").attr("class", "tj-gradient-shaft").attr("fill", "none");
      g.append("path").attr("class", "tj-gradient-head").attr("stroke", "none");
      g.append("path").attr("class", "tj-update-shaft").attr("fill", "none");
      g.append("path").attr("class", "tj-update-head").attr("stroke", "none");
      return g;
    }).order().each(function color(d) {
      const g = select(this);
      const grey = view.colors?.gradient ?? "#555555";
      g.select(".tj-gradient-shaft").attr("stroke", grey).attr("stroke-width", GRADIENT_PT * PT * k.line)
        .attr("stroke-dasharray", `${3 * GRADIENT_PT * PT * k.line} ${2 * GRADIENT_PT * PT * k.line}`);
      g.select(".tj-gradient-head").attr("fill", grey);
      g.select(".tj-update-shaft").attr("stroke", d.color).attr("stroke-width", UPDATE_PT * PT * k.line);
      g.select(".tj-update-head").attr("fill", d.color);
    });
    const paths = pathLayer.selectAll("g").nodes(), currents = currentLayer.selectAll("path").nodes();
    const arrows = arrowLayer.selectAll("g").nodes(), exits = exitLayer.selectAll("path").nodes();
    state.slots = data.map((d, i) => ({
      ...d, spread: paths[i].querySelector(".tj-spread"), line: paths[i].querySelector(".tj-line"),
      markers: paths[i].querySelector(".tj-markers"), current: currents[i], arrow: arrows[i],
      exit: exits[i], exitD: null, parts: arrows[i].childNodes,
      template: symbolTemplate(d.marker, CURRENT_PT * PT * k.line), run: undefined, seeds: undefined,
      size: undefined, end: 0, xs: null, ys: null, shown: false }));
    state.legendData = several ? data : [];
    state.legend = drawLegend(legend, state.legendData, state.inner, k) ? null : state.legendData;
  }

  function drawRun(s, p, steps, end) {
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
    s.end = end + 1;
    s.line.setAttribute("d", pathLine(clippedPolyline(s.xs, s.ys, s.end, state.box)) ?? "");
    s.line.setAttribute("stroke-width", FINE * (p.spread ? MEDIAN_PT : LINE_PT) * PT * state.k.line);
    s.spread.setAttribute("d", p.spread ? seedsPath(p.spread, x, y, state.window, state.box) : "");
    s.seeds = p.spread;
    const size = markerSize(steps);
    const { inner } = state;
    const d = size > 0 ? markerPath(s.xs, s.ys, s.end, templateFor(s.marker, size),
      [-10, -10, inner.w + 10, inner.h + 10], FINE) : "";
    s.markers.setAttribute("d", d);
    s.run = run;
    s.size = size;
    drawExit(s, run, end);
  }

  // The triangle where a path that is not drawn to its end leaves the window (plotting._mark_exit), or a cross
  // where the engine stopped it inside.
  function drawExit(s, run, end) {
    const steps = run.points.length - 1;
    let d = "";
    if (end < steps || run.divergedAt != null) {
      const w = state.window;
      const at = end >= 1 ? exitPoint(run.points[end - 1], run.points[end], w.xlim, w.ylim) : null;
      const size = EXIT_PT * PT * state.k.line;
      if (at) d = tipPath(x(at[0]), y(at[1]), at[2], size);
      else {
        const last = Number.isFinite(run.points[end][0]) ? run.points[end] : run.points[Math.max(end - 1, 0)];
        d = markerPath([x(last[0])], [y(last[1])], 1, symbolTemplate("x", size * 0.8), [-1e4, -1e4, 1e4,
          1e4]);
      }
    }
    if (d === s.exitD) return;
    s.exitD = d;
    if (d) {
      s.exit.setAttribute("d", d);
      s.exit.removeAttribute("display");
    } else {
      s.exit.setAttribute("display", "none");
    }
  }

  const templates = new Map();
  function templateFor(shape, size) {
    const key = `${shape}${size}${state.k.line}`;
    if (!templates.has(key)) templates.set(key, symbolTemplate(shape, FINE * size * PT * state.k.line));
    return templates.get(key);
  }

  // An arrow's [shaft, head] d attributes from pixel a towards b, cut at the reach (a diverging step may point far
  // off).
  function arrow(a, b, width) {
    const dx = b[0] - a[0], dy = b[1] - a[1], l = Math.hypot(dx, dy), reach = state.reach;
    const end = l > reach ? [a[0] + (dx * reach) / l, a[1] + (dy * reach) / l] : b;
    return arrowPaths(a, end, width) ?? ["", ""];
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
    const k = state.k.line;
    const paths = [...arrow(a, [x(x1 - eta * g[0]), y(x2 - eta * g[1])], GRADIENT_PT * PT * k),
      ...arrow(a, [x(following[0]), y(following[1])], UPDATE_PT * PT * k)];
    s.parts.forEach((node, i) => node.setAttribute("d", paths[i]));
    s.arrow.removeAttribute("display");
    s.shown = true;
  }

  function render(view) {
    if (state.size === null) resize();
    const o = view.objective;
    state.objective = o;
    const several = view.optimizers.length > 1;
    const paths = view.optimizers.map((p) => ({ points: p.run.points, diverged: p.run.divergedAt != null }));
    const shown = viewOf(o, paths, state.dragging ?? view.start, view.view ?? "fit", view.rule);
    // While the start marker is dragged the axes hold still: the window the drag began in, each path cut to it.
    const w = state.frozen ? { ...viewOf({ ...o, xlim: state.frozen.xlim, ylim: state.frozen.ylim }, paths,
      state.dragging ?? view.start, "window", view.rule) } : shown;
    state.window = w;
    const windowKey = `${o.key}|${w.xlim}|${w.ylim}`;
    if (windowKey !== state.windowKey) {
      drawWindow(o, w, view.rule);
      state.windowKey = windowKey;
    }
    if (several !== state.several) {
      contourLayer.attr("opacity", several ? CONTOUR_ALPHA.several : CONTOUR_ALPHA.one);
      state.several = several;
    }
    contourLayer.attr("stroke-width", (several ? CONTOUR_PT.several : CONTOUR_PT.one) * PT * state.k.line);
    const contour = view.colors?.contour ?? "#1f77b4";
    if (contour !== state.contour) {
      contourLayer.attr("stroke", contour);
      state.contour = contour;
    }
    const structure = JSON.stringify(view.optimizers.map((p) => [p.name, p.color, p.marker, p.label]))
      + (view.colors?.gradient ?? "") + state.size;
    if (structure !== state.structure) {
      buildPaths(view);
      state.structure = structure;
    }
    const size = markerSize(view.steps);
    view.optimizers.forEach((p, i) => {
      const s = state.slots[i];
      const stale = s.run !== p.run || s.seeds !== p.spread || s.size !== size || s.end !== w.ends[i] + 1;
      if (stale) drawRun(s, p, view.steps, w.ends[i]);
      drawStep(s, p, view.step);
    });
    placeStart(state.dragging ?? view.start);
    if (state.legend && svg.node().isConnected && drawLegend(legend, state.legend, state.inner, state.k)) {
      state.legend = null;
    }
    const names = view.optimizers.map((p) => p.label ?? p.name).join(", ");
    const label = t(several ? "plot.label_several" : "plot.label_one", { objective: o.name ?? o.key, names,
      x1: view.start[0], x2: view.start[1] });
    if (label !== state.label) {
      svg.attr("aria-label", label);
      state.label = label;
    }
  }

  return {
    element: svg.node(),
    render,
    resize,
    get window() { return state.window; },
    destroy() {
      start.on(".drag", null);
      hit.on("click", null);
      svg.remove();
    },
  };
}
