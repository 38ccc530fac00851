// The two side panels in SVG: the loss against step, and each coordinate's effective learning rate (x1 solid,
// x2 dashed). A port of TraceFigure's loss_ax and lr_ax: log axes rounded out to whole decades, a symlog axis
// for losses that reach zero or below. The limits come from the runs the engine did not stop (every run, if it
// stopped them all), so a diverging run cannot push the others out; its curve is cut where it leaves the panel and
// marked there. The limits come from the data of each render alone, so nothing sticks.
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear, scaleLog, scaleSymlog } from "d3-scale";
import { select } from "d3-selection";
import { area, line } from "d3-shape";

import { uid } from "../core/ids.js";
import { FINE, PT, px } from "./svg.js";

export const PANEL_WIDTH = 330; // each of the two, before the page lays them out
export const PANEL_HEIGHT = 210;
const MARGIN = Object.freeze({ top: 24, right: 12, bottom: 36, left: 50 }); // at text scale 1
const EXIT_PT = 8; // the triangle where a stopped run's curve leaves its panel
const INSET = 3; // px between the axis limits and the frame, so a curve on a limit is not hidden by the frame
export const MAX_DECADES = 14; // plotting._MAX_DECADES: a log panel shows at most this many decades
export const LOSS_FLOOR = 12; // at least this many decades below the top, as plotting.py: small moves keep the axis
export const LR_FLOOR = 4;
export const LINTHRESH = 1e-2; // the symlog axis is linear within +-LINTHRESH, as plotting.py's
const LINE_PT = 1.4;
const BAND_ALPHA = 0.2; // a spread's 10-90% band of the loss
const TITLES = ["panel.loss", "panel.rate"]; // keys of the tables of messages

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

/**
 * How much of a stopped run's curve `values` (step `first`, `first` + 1, ...) a panel draws, and where it marks it:
 * all and null while it stays within [lo, hi] (on the axis' own scale `map`, pixels), else up to the first value
 * past an edge, marked where the segment crosses it ({at: step, value, side: "top" | "bottom"}), or, for a value
 * that is not finite (the engine stopped the run), up to the one before, marked there ({side: "end"}).
 * plotting._cut's rule.
 */
export function cutCurve(values, [lo, hi], map, first = 0) {
  const ok = (v) => v >= lo && v <= hi; // false for NaN
  let i = 0;
  while (i < values.length && ok(values[i])) i++;
  if (i === values.length) return { count: values.length, mark: null };
  if (i === 0) return { count: 0, mark: null };
  const a = values[i - 1], b = values[i];
  if (!Number.isFinite(b)) return { count: i, mark: { at: first + i - 1, value: a, side: "end" } };
  const edge = b > hi ? hi : lo;
  const [ta, tb, te] = [map(a), map(b), map(edge)];
  const t = tb !== ta ? (te - ta) / (tb - ta) : 1;
  return { count: i + 1, mark: { at: first + i - 1 + Math.min(Math.max(t, 0), 1), value: edge,
    side: b > hi ? "top" : "bottom" } };
}

// --- the panels --------------------------------------------------------------------------------------------------

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

// A triangle pointing up or down with its tip at (x, y) (on a panel's edge), or a cross where the curve ends.
function markD(x, y, side, size) {
  if (side === "end") {
    const r = size * 0.35;
    return `M${px(x - r)},${px(y - r)}L${px(x + r)},${px(y + r)}M${px(x - r)},${px(y + r)}L${px(x + r)},${px(y - r)}`;
  }
  const dy = side === "top" ? size : -size, half = size * 0.55;
  return `M${px(x)},${px(y)}L${px(x - half)},${px(y + dy)}L${px(x + half)},${px(y + dy)}Z`;
}

/**
 * The loss and effective-rate panels.
 *
 * @param {Element} parent where the SVG is appended
 * @param {{t: Function}} options t: the page's words (core/i18n.js translator)
 * @returns {{element: SVGSVGElement, render: (data: {optimizers, steps, step}) => void,
 *   resize({width, height, text, line, side}), destroy: () => void}}
 *   render reads each run's name, color, run.losses, run.effectiveLr, run.divergedAt and spread (the plot's view
 *   will do: a spread draws its median loss and the 10-90% band, and its median run's rate); the paths are drawn
 *   again only when a run object or the steps change, the axes only when their limits change. resize lays the two
 *   panels out in width x height CSS px, one above the other, or side by side (side: true), their text and lines
 *   `text` and `line` times the book's.
 */
export function createPanels(parent, { t }) {
  const id = uid("panels");
  const svg = select(parent).append("svg")
    .attr("class", "tj-panels")
    .attr("role", "img")
    .attr("aria-label", t("panel.aria"));
  const bg = svg.append("rect").attr("class", "tj-bg");
  const clip = svg.append("clipPath").attr("id", `${id}-clip`).append("rect");
  const x = scaleLinear();

  const panels = [0, 1].map((k) => {
    const g = svg.append("g").attr("class", k === 0 ? "tj-panel tj-panel-loss tj-loss-panel"
      : "tj-panel tj-panel-rate tj-rate-panel");
    const title = g.append("text").attr("class", "tj-panel-title").attr("text-anchor", "middle").text(t(TITLES[k]));
    const back = g.append("rect").attr("class", "tj-panel-bg");
    const gridX = g.append("g").attr("class", "tj-grid");
    const gridY = g.append("g").attr("class", "tj-grid");
    const xAxis = g.append("g").attr("class", "tj-axis");
    const yAxis = g.append("g").attr("class", "tj-axis");
    const note = g.append("text").attr("class", "tj-note").attr("text-anchor", "middle").attr("dy", "0.35em")
      .attr("display", "none");
    const curves = g.append("g").attr("clip-path", `url(#${id}-clip)`).append("g").attr("fill", "none")
      .attr("transform", `scale(${1 / FINE})`);
    const marks = g.append("g").attr("class", "tj-panel-exits");
    const stepLine = g.append("line").attr("class", "tj-step-line").attr("y1", 0).attr("display", "none");
    const frame = g.append("rect").attr("class", "tj-frame");
    return { g, title, back, gridX, gridY, xAxis, yAxis, note, curves, marks, stepLine, frame,
      y: scaleLog().domain([0.1, 10]), key: undefined };
  });
  const stepLabel = panels[1].g.append("text").attr("class", "tj-label").attr("text-anchor", "middle")
    .text(t("panel.step"));

  const state = { structure: undefined, slots: [], steps: undefined, runs: [], size: null,
    inner: { w: 0, h: 0 }, k: { text: 1, line: 1 } };

  /** The two panels in width x height px: stacked, or side by side; text and lines scaled as the plot's. */
  function resize({ width = PANEL_WIDTH, height = 2 * PANEL_HEIGHT, text = 1, line: lines = 1, side = false } = {}) {
    const key = `${width}x${height}x${text}x${lines}x${side}`;
    if (key === state.size) return;
    state.size = key;
    state.k = { text, line: lines };
    const each = side ? { w: width / 2, h: height } : { w: width, h: height / 2 };
    const m = { top: MARGIN.top * text, right: MARGIN.right, bottom: MARGIN.bottom * text,
      left: MARGIN.left * text };
    const inner = state.inner = { w: Math.max(30, each.w - m.left - m.right), h: Math.max(30, each.h - m.top
      - m.bottom) };
    svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    bg.attr("width", width).attr("height", height);
    clip.attr("width", inner.w).attr("height", inner.h);
    x.range([0, inner.w]);
    panels.forEach((panel, k) => {
      const ox = side ? k * each.w : 0, oy = side ? 0 : k * each.h;
      panel.g.attr("transform", `translate(${ox + m.left},${oy + m.top})`);
      panel.title.attr("x", inner.w / 2).attr("y", -9 * text);
      panel.back.attr("width", inner.w).attr("height", inner.h);
      panel.gridX.attr("transform", `translate(0,${inner.h})`);
      panel.xAxis.attr("transform", `translate(0,${inner.h})`);
      panel.stepLine.attr("y2", inner.h);
      panel.frame.attr("width", inner.w).attr("height", inner.h);
      panel.key = undefined;
    });
    stepLabel.attr("x", inner.w / 2).attr("y", inner.h + 32 * text);
    state.runs = [];
    state.structure = undefined;
  }

  function yScale(spec) {
    const range = [state.inner.h - INSET, INSET];
    if (spec === null) return scaleLog().domain([0.1, 10]).range(range);
    if (spec.type === "log") return scaleLog().domain(spec.domain).range(range);
    return scaleSymlog().constant(LINTHRESH).domain(spec.domain).range(range);
  }

  // A title wider than its panel is set smaller rather than cut (measured when it changes, not per key).
  function fitTitle(panel) {
    const node = panel.title.node();
    node.style.fontSize = "";
    if (!node.isConnected) return;
    let length = 0;
    try { length = node.getComputedTextLength(); } catch { length = 0; }
    const room = state.inner.w + 2 * MARGIN.right;
    if (length <= room) return;
    // in px of its own size (an em would be the parent's, which the title's class does not share)
    const size = Number.parseFloat(getComputedStyle(node).fontSize);
    node.style.fontSize = `${(size * Math.max(0.6, (0.97 * room) / length)).toFixed(2)}px`;
  }

  function axes(panel, spec, steps) {
    const key = JSON.stringify([spec, steps]);
    if (key === panel.key) return false;
    panel.key = key;
    panel.y = yScale(spec);
    const { inner, k } = state;
    const xticks = x.ticks(Math.max(3, Math.round(inner.w / (56 * k.text)))).filter(Number.isInteger);
    const yticks = spec === null ? [] : spec.type === "log" ? logTicks(spec.domain) : symlogTicks(panel.y);
    panel.xAxis.call(axisBottom(x).tickValues(xticks).tickFormat((v) => String(v)).tickSizeOuter(0)
      .tickSize(3.5 * k.text).tickPadding(2));
    panel.yAxis.call(axisLeft(panel.y).tickValues(yticks).tickFormat(formatPower).tickSizeOuter(0)
      .tickSize(3.5 * k.text).tickPadding(2));
    panel.gridX.call(axisBottom(x).tickValues(xticks).tickFormat(() => "").tickSizeOuter(0).tickSize(-inner.h));
    panel.gridY.call(axisLeft(panel.y).tickValues(yticks).tickFormat(() => "").tickSizeOuter(0)
      .tickSize(-inner.w));
    const name = t(TITLES[panel === panels[0] ? 0 : 1]);
    const title = spec === null ? name : t("panel.with_scale", { title: name, scale: t(`panel.${spec.type}`) });
    if (panel.title.text() !== title) panel.title.text(title);
    fitTitle(panel);
    return true;
  }

  function build(optimizers) {
    const data = optimizers.map((p) => ({ name: p.name, color: p.color }));
    const width = FINE * LINE_PT * PT * state.k.line;
    const join = (panel, dashes) => panel.curves.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("class", (d) => `tj-curve tj-curve-${d.name} `
        + `tj-${panel === panels[0] ? "loss" : "rate"}-${d.name}`);
      if (panel === panels[0]) { // a spread's 10-90% band, under its median
        g.append("path").attr("class", "tj-band").attr("stroke", "none").attr("fill-opacity", BAND_ALPHA);
      }
      for (const dash of dashes) {
        const path = g.append("path").attr("stroke-linejoin", "round");
        if (dash) path.attr("class", "tj-dashed");
      }
      return g;
    }).order().each(function color(d) {
      select(this).selectAll("path:not(.tj-band)").attr("stroke", d.color).attr("stroke-width", width);
      select(this).selectAll(".tj-band").attr("fill", d.color);
      select(this).selectAll(".tj-dashed").attr("stroke-dasharray", `${3 * width} ${2 * width}`);
    }).nodes();
    const marks = (panel, n) => panel.marks.selectAll("g").data(data, (d) => d.name).join((enter) => {
      const g = enter.append("g").attr("class", (d) => `tj-${panel === panels[0] ? "loss" : "rate"}-exit-${d.name}`);
      for (let i = 0; i < n; i++) g.append("path").attr("display", "none");
      return g;
    }).order().each(function color(d) {
      select(this).selectAll("path").attr("fill", d.color).attr("stroke", d.color)
        .attr("stroke-width", 1.5 * state.k.line);
    }).nodes();
    const losses = join(panels[0], [false]), rates = join(panels[1], [false, true]);
    const lossMarks = marks(panels[0], 1), rateMarks = marks(panels[1], 2);
    state.slots = data.map((d, i) => ({ band: losses[i].querySelector(".tj-band"), loss: losses[i].lastChild,
      rate1: rates[i].firstChild, rate2: rates[i].lastChild, lossMark: lossMarks[i].firstChild,
      rate1Mark: rateMarks[i].firstChild, rate2Mark: rateMarks[i].lastChild, run: undefined }));
  }

  const lossLine = line().x((v, i) => FINE * x(i)).digits(0);
  const lossBand = area().x((v, i) => FINE * x(i)).digits(0);
  const rateLine = line().x((r, i) => FINE * x(i + 1)).digits(0);

  function render({ optimizers, steps, step }) {
    if (state.size === null) resize();
    const structure = JSON.stringify(optimizers.map((p) => [p.name, p.color])) + state.size;
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

  // One curve of one run: drawn whole, or cut where it leaves the panel with its mark (a run the engine stopped).
  function curve(node, mark, values, first, { y, ok, cut, domain }, pathOf) {
    let shown = values, where = null;
    if (cut) {
      const { count, mark: m } = cutCurve(values, domain, y, first);
      shown = values.slice(0, count);
      where = m;
    }
    node.setAttribute("d", pathOf(shown) ?? "");
    if (where && ok(where.value)) {
      mark.setAttribute("d", markD(x(where.at), y(where.value), where.side, EXIT_PT * PT * state.k.line));
      mark.removeAttribute("display");
    } else {
      mark.setAttribute("display", "none");
    }
  }

  function draw(optimizers, steps) {
    x.domain([0, Math.max(steps, 1)]);
    const kept = optimizers.filter((p) => p.run.divergedAt == null);
    const rated = kept.filter((p) => p.run.effectiveLr);
    const lossSpec = panelScale(lossValues(kept.length ? kept : optimizers), LOSS_FLOOR);
    const rateSpec = panelScale(rateValues(rated.length ? rated : optimizers), LR_FLOOR);
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
      const cut = p.run.divergedAt != null;
      curve(s.loss, s.lossMark, p.spread ? p.spread.quantiles[1] : p.run.losses, 0, { y: lossY, ok: okLoss,
        cut: cut && lossSpec !== null, domain: ly.domain() }, lossLine);
      const [low, , high] = p.spread ? p.spread.quantiles : [];
      s.band.setAttribute("d", p.spread ? lossBand.y0((v, i) => FINE * lossY(low[i])).y1((v, i) => FINE * lossY(high[i]))
        .defined((v, i) => okLoss(low[i]) && okLoss(high[i]))(low) ?? "" : "");
      const rates = p.run.effectiveLr;
      for (const [node, mark, c] of [[s.rate1, s.rate1Mark, 0], [s.rate2, s.rate2Mark, 1]]) {
        if (!rates) {
          node.setAttribute("d", "");
          mark.setAttribute("display", "none");
          continue;
        }
        const values = rates.map((r) => r[c]);
        curve(node, mark, values, 1, { y: rateY, ok: okRate, cut: cut && rateSpec !== null,
          domain: ry.domain() }, (shown) => rateLine.y((v) => FINE * rateY(v)).defined(okRate)(shown));
      }
      s.run = p.run;
    });
    // Say why a momentum path has no curve here: alone in the middle, beside other curves in a corner.
    const { inner } = state;
    const without = optimizers.filter((p) => !p.run.effectiveLr).map((p) => p.label); // as the reader reads it
    const alone = rateSpec === null && without.length === optimizers.length;
    const noteText = t("panel.no_rate", { names: without.join(", ") });
    if (panels[1].note.text() !== noteText) panels[1].note.text(noteText);
    panels[1].note.attr("display", without.length ? null : "none")
      .attr("x", alone ? inner.w / 2 : inner.w - 4).attr("y", alone ? inner.h / 2 : inner.h - 8)
      .attr("text-anchor", alone ? "middle" : "end");
    state.steps = steps;
    state.runs = optimizers.map((p) => p.run);
  }

  return {
    element: svg.node(),
    render,
    resize,
    destroy() {
      svg.remove();
    },
  };
}
