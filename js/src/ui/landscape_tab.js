// The Landscape tab: a map of one optimizer over one or two of its hyperparameters, computed in the browser.
//
// A port of landscape_app.py (the controls, what they do, the click that moves the sliders) and landscape_view.py
// (the drawing) onto landscape.js. The cells are a canvas of nx x ny pixels scaled up; axes, colour bar, limit,
// marker and legend are SVG over it. The map is computed again only when what it depends on changes, in slices of
// rows between which the browser gets the page back, and never for more than config.landscape.budget cell-steps.

import { axisBottom, axisLeft, axisRight } from "d3-axis";
import { format } from "d3-format";
import { scaleLinear, scaleLog } from "d3-scale";
import { interpolateViridis } from "d3-scale-chromatic";
import { select } from "d3-selection";
import { line } from "d3-shape";

import { axisValues, boundary, compute, fitResolution } from "../core/landscape.js";
import { getObjective } from "../core/objectives.js";
import { noisePairs } from "../core/lesson.js";

export const DIVERGED = "#d62728"; // no colour of viridis is red: a diverged cell cannot be read as a value
export const NOT_REACHED = "#c8c8c8";
export const SIGNIFICANT = 3; // a picked cell's value is rounded to this many digits: the slider shows 0.0316
export const NO_Y = "none"; // the y axis's value for a 1D curve
const SLICE_MS = 12; // compute this long, then give the page back: input, timers and paint wait a slice at most
const CHUNK = 50_000; // cell-steps of one call of compute(), a few ms: a slice is whole calls until SLICE_MS
const SIZE = { width: 620, height: 480 }; // the map's drawing in CSS px (its viewBox); the side column takes 264
const MARGIN = { top: 30, right: 84, bottom: 82, left: 64 };
const MARGIN_1D = { ...MARGIN, right: 20 };
const LIMIT_RULES = {
  gd: ["2"], sgd: ["2"], momentum: ["2 + 2β"], nesterov: ["(2 + 2β)/(1 + 2β)"],
};
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// --- the pure parts ---------------------------------------------------------------------------------------------

/**
 * |v| to `p` significant digits as Python rounds them: the nearest p-digit decimal of the exact binary value, a tie
 * to the even last digit (toPrecision and toExponential round a tie up: 0.03125 -> 0.0313, Python 0.0312).
 * 100 digits of the exact value decide every tie for values between about 1e-30 and 1e30.
 *
 * @returns {[string, number]} the p digits and the decimal exponent of the first
 */
export function roundDigits(v, p) {
  const [m, e] = Math.abs(v).toExponential(99).split("e");
  const all = m.replace(".", "");
  let head = all.slice(0, p), exp = Number(e);
  const rest = all.slice(p);
  const odd = Number(head[p - 1]) % 2 === 1;
  if (rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || odd))) {
    head = (BigInt(head) + 1n).toString();
    if (head.length > p) {
      head = head.slice(0, p);
      exp += 1;
    }
  }
  return [head, exp];
}

/** Python's f"{v:g}": six significant digits, exponent form below 1e-4 and from 1e6 on (1e-05, 1e+06). */
export function formatG(v, precision = 6) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  if (v === 0) return `${sign}0`;
  const [head, e] = roundDigits(v, precision);
  const digits = head.replace(/0+$/, "") || "0";
  if (e < -4 || e >= precision) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, "0"), rest = digits.slice(e + 1);
  return rest ? `${sign}${whole}.${rest}` : `${sign}${whole}`;
}

/** float(f"{value:.3g}"): value to 3 significant digits, rounded as Python does (see roundDigits). */
export function roundSignificant(value, digits = SIGNIFICANT) {
  if (!Number.isFinite(value) || value === 0) return value;
  const [head, e] = roundDigits(value, digits);
  return Math.sign(value) * Number(`${head}e${e - digits + 1}`);
}

/** landscape_app._round: a picked cell's value to 3 significant digits, inside the spec's [low, high]. */
export function roundPick(value, low, high) {
  return Math.min(Math.max(roundSignificant(value), low), high);
}

/** The numeric hyperparameters of a spec table, in its order (the ones a map can put on an axis). */
export function numericNames(table) {
  return Object.keys(table).filter((name) => !("choices" in table[name]));
}

/** The default axes of an optimizer that exist under this convention, or its first numeric hyperparameter. */
export function defaultAxes(config, optimizer, convention) {
  const numeric = numericNames(config.specs[convention][optimizer]);
  const axes = (config.landscape.defaultAxes[optimizer] ?? []).filter((a) => numeric.includes(a));
  return axes.length ? axes : [numeric[0]];
}

/** The handle positions of a range over `stops`: the whole range, or the stops nearest the span's ends. */
export function spanIndices(stops, span) {
  if (!span) return [0, stops.length - 1];
  const nearest = (v) => stops.reduce((best, s, i) => (Math.abs(s - v) < Math.abs(stops[best] - v) ? i : best), 0);
  const low = nearest(span[0]);
  return [low, Math.max(nearest(span[1]), Math.min(low + 1, stops.length - 1))];
}

/** Two handles after one moved: the moved one stops a stop short of the other. */
export function clampSpan(low, high, count, moved) {
  const lo = Math.max(0, Math.min(low, count - 1)), hi = Math.max(0, Math.min(high, count - 1));
  if (lo < hi || count < 2) return [lo, hi];
  if (moved === "high") return lo + 1 < count ? [lo, lo + 1] : [count - 2, count - 1];
  return hi > 0 ? [hi - 1, hi] : [0, 1];
}

/** The span of two handles, or null over the whole range (landscape_app.spans leaves such an axis out). */
export function spanOf(stops, low, high) {
  return low === 0 && high === stops.length - 1 ? null : [stops[low], stops[high]];
}

/** "1e-05 to 100": a range's label (Python's f"{low:g} to {high:g}"). */
export function spanLabel(low, high) {
  return `${formatG(low)} to ${formatG(high)}`;
}

/**
 * What the map depends on, as a string: the optimizer's hyperparameters but the mapped ones (moving those only
 * moves the marker), the objective (condition and angle only for "general"), start, steps, convention, the seed
 * (for sgd, whose noise it draws), and the tab's own settings with the resolution actually used.
 */
export function mapKey(lesson, settings) {
  const { optimizer, axes, spans = {}, metric, tol, resolution } = settings;
  const hp = lesson.hyperparameters?.[optimizer] ?? {};
  const others = Object.keys(hp).filter((k) => !axes.includes(k)).sort().map((k) => [k, hp[k]]);
  const general = lesson.objective === "general";
  return JSON.stringify([optimizer, others, lesson.objective, general ? lesson.condition : null,
    general ? lesson.angle : null, Array.from(lesson.start ?? []), lesson.steps, lesson.convention,
    optimizer === "sgd" ? lesson.seed ?? null : null, axes, Object.keys(spans).sort().map((k) => [k, spans[k]]),
    metric, metric === "steps" ? tol : null, resolution]);
}


/** The cell under a point at fractions (fx, fy) of the plot (fy from the top), or null outside it. */
export function cellAt(fx, fy, nx, ny) {
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
  return [Math.min(nx - 1, Math.floor(fx * nx)), Math.min(ny - 1, Math.floor((1 - fy) * ny))];
}

/** Where an axis value sits on the drawing: log10 on a log axis (landscape_view.position). */
export function position(value, scale) {
  return scale === "log" ? Math.log10(value) : value;
}

/**
 * Ticks of an axis placed by position: on a log axis the powers of ten (labelled 10^k) when two or more fall
 * inside, else 1-2-5 values; on a linear axis d3's ticks.
 *
 * @returns {{value: number, label: string}[]} value is the position
 */
export function axisTicks(lo, hi, scale, count = 7) {
  if (scale !== "log") {
    const s = scaleLinear().domain([lo, hi]);
    const f = s.tickFormat(count);
    return s.ticks(count).map((v) => ({ value: v, label: f(v).replace("−", "-") }));
  }
  const first = Math.ceil(lo - 1e-9), last = Math.floor(hi + 1e-9);
  if (last - first >= 1) {
    const step = Math.max(1, Math.ceil((last - first + 1) / (count + 1)));
    const out = [];
    for (let k = first; k <= last; k += step) out.push({ value: k, label: tenTo(k) });
    return out;
  }
  const s = scaleLog().domain([10 ** lo, 10 ** hi]);
  return s.ticks(count).filter((v) => /^[125]/.test(v.toExponential()))
    .map((v) => ({ value: Math.log10(v), label: formatG(v) }));
}

function tenTo(k) {
  return `10${String(k).split("").map((c) => SUPERSCRIPT[c]).join("")}`;
}

/** [low, high] of the colour (or the curve's height): [0, steps] for the steps metric, else the finite values. */
export function valueDomain(values, metric, steps) {
  let low = Infinity, high = -Infinity;
  if (metric === "steps") {
    low = 0;
    high = steps;
  } else {
    for (const v of values) {
      if (Number.isFinite(v)) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    if (low > high) [low, high] = [0, 1];
  }
  return high - low < 1e-9 ? [low - 0.5, high + 0.5] : [low, high];
}

// --- the tab ----------------------------------------------------------------------------------------------------

let instances = 0;

/**
 * The Landscape tab: its controls (a 264-px column) beside the map (620 x 480), 900 x 560 CSS px at most. Its CSS
 * is LANDSCAPE_CSS (landscape.css.js), under `.tj-app`, reading the root's --tj-* variables.
 *
 * @param {HTMLElement} parent where the tab's element is appended
 * @param {object} options
 * @param {object} options.config state.config(): specs, objectives, symbols, bound and landscape
 * @param {(optimizer: string, values: object) => void} [options.onPick] a cell was picked (click, or Enter on the
 *   focused map): values of its one or two hyperparameters, rounded to 3 significant digits inside their range
 * @param {(settings: object) => void} [options.onExport] "Export map SVG" was pressed, with tab.settings
 * @returns {object} the tab:
 *   element: its root element (class tj-landscape);
 *   render({lesson, visible}): call on every lesson change; computes only while visible and only when the map
 *     depends on what changed (mapKey), in slices, the latest asked for only; otherwise moves the marker;
 *   settings: {optimizer, axes, spans (narrowed axes only), metric, tol, resolution (the one drawn, lowered to fit
 *     the budget)};
 *   toSVG(): the map as drawn, a standalone SVG string;
 *   lastTiming: ms the last map took to compute (its slices, without the pauses between them);
 *   destroy(): stops any computation and removes the element.
 *   The map's element (tj-landscape-plot) carries data-state (empty, computing, ready, error) and data-maps
 *   (maps drawn so far) for browser tests.
 */
export function createLandscapeTab(parent, { config, onPick = () => {}, onExport = () => {} }) {
  const id = `tj-landscape-${++instances}`;
  const land = config.landscape;
  const state = {
    lesson: null, visible: false, convention: null, optimizer: null, x: null, y: NO_Y, spans: {}, metric: "loss",
    tol: land.tolerances.includes(0.1) ? 0.1 : land.tolerances[0], resolution: land.defaultResolution,
  };
  let map = null; // the map drawn: its data, axes and scales
  let drawnInfo = ""; // the info line of the map drawn
  let drawnKey = null, wantedKey = null;
  let token = 0, pending = null, destroyed = false;
  let cursor = null; // [i, j] of the keyboard cursor
  const tab = { element: null, lastTiming: NaN };

  // ---- the DOM ----
  const root = document.createElement("div");
  root.className = "tj-landscape";
  tab.element = root;
  const side = el(root, "div", "tj-landscape-side");
  const field = (label, cls, extra) => {
    const box = el(side, "div", `tj-landscape-field ${cls}-field`);
    const head = el(box, "div", "tj-landscape-label");
    const name = el(head, "label", "", label);
    name.htmlFor = `${id}-${cls}`;
    if (extra) head.append(extra);
    return box;
  };
  const selectIn = (label, cls) => {
    const box = field(label, cls);
    const s = el(box, "select", cls);
    s.id = `${id}-${cls}`;
    return s;
  };
  const optimizerSelect = selectIn("optimizer", "tj-landscape-optimizer");
  const xSelect = selectIn("x axis", "tj-landscape-x");
  const xRange = rangeField("x range", "tj-landscape-x-span", "x");
  const ySelect = selectIn("y axis", "tj-landscape-y");
  const yRange = rangeField("y range", "tj-landscape-y-span", "y");
  const metricSelect = selectIn("colour", "tj-landscape-metric");
  for (const [key, label] of Object.entries(land.metrics)) option(metricSelect, key, label);
  const tolSelect = selectIn("tol (distance that counts as arrived)", "tj-landscape-tol");
  for (const t of land.tolerances) option(tolSelect, String(t), formatG(t));
  tolSelect.value = String(state.tol);
  const resOutput = document.createElement("output");
  resOutput.className = "tj-landscape-value";
  const resBox = field("cells/side", "tj-landscape-resolution", resOutput);
  const resInput = el(resBox, "input", "tj-landscape-resolution tj-landscape-slider");
  Object.assign(resInput, { type: "range", id: `${id}-tj-landscape-resolution`, min: land.resolution[0],
    max: land.resolution[1], step: 16, value: state.resolution });
  if (state.resolution % 16) resInput.step = 1;
  resOutput.htmlFor = resInput.id;
  const exportButton = el(side, "button", "tj-landscape-export", "Export map SVG");
  exportButton.type = "button";
  exportButton.disabled = true; // until there is a map to export
  exportButton.title = "the map as an SVG file";
  const info = el(side, "div", "tj-landscape-info");
  info.setAttribute("aria-live", "polite");
  const readout = el(side, "div", "tj-landscape-readout");
  readout.id = `${id}-readout`;
  readout.setAttribute("aria-live", "polite");
  el(side, "div", "tj-landscape-hint",
    "click a cell: the sliders move there and the trajectory follows (on the map, arrow keys and Enter do too)");

  const plot = el(root, "div", "tj-landscape-plot");
  plot.dataset.state = "empty"; // then computing, ready or error: what a browser test waits for
  plot.dataset.maps = "0"; // maps drawn so far: a test sees that moving the marker computed nothing
  const canvas = el(plot, "canvas", "tj-landscape-cells");
  canvas.width = 1;
  canvas.height = 1;
  const svg = select(plot).append("svg")
    .attr("class", "tj-landscape-svg")
    .attr("viewBox", `0 0 ${SIZE.width} ${SIZE.height}`)
    .attr("tabindex", 0)
    .attr("role", "application")
    .attr("aria-roledescription", "landscape map")
    .attr("aria-label", "landscape map: arrow keys move a cursor over the cells, Enter sets the sliders there")
    .attr("aria-describedby", readout.id);
  const defs = svg.append("defs");
  const clip = defs.append("clipPath").attr("id", `${id}-clip`).append("rect");
  const gradient = defs.append("linearGradient").attr("id", `${id}-viridis`)
    .attr("x1", 0).attr("y1", 1).attr("x2", 0).attr("y2", 0);
  gradient.selectAll("stop").data(Array.from({ length: 17 }, (_, k) => k / 16)).join("stop")
    .attr("offset", (t) => t).attr("stop-color", (t) => interpolateViridis(t));
  const title = svg.append("text").attr("class", "tj-landscape-title").attr("text-anchor", "middle");
  const frame = svg.append("g").attr("class", "tj-landscape-frame");
  const clipped = frame.append("g").attr("clip-path", `url(#${id}-clip)`);
  const band = clipped.append("g").attr("class", "tj-landscape-band");
  const curve = clipped.append("path").attr("class", "tj-landscape-curve");
  const limitUnder = clipped.append("path").attr("class", "tj-landscape-limit-under");
  const limitLine = clipped.append("path").attr("class", "tj-landscape-limit");
  // A cell's outline in black under white: it shows on every colour of the map.
  const outline = (cls) => {
    const g = clipped.append("g").attr("class", cls).attr("display", "none");
    g.append("rect").attr("class", "tj-landscape-outline-under");
    g.append("rect").attr("class", "tj-landscape-outline");
    return g;
  };
  const hover = outline("tj-landscape-hover");
  const keyCursor = outline("tj-landscape-cursor");
  const markerUnder = clipped.append("circle").attr("class", "tj-landscape-marker-under").attr("r", 6.5);
  const marker = clipped.append("circle").attr("class", "tj-landscape-marker").attr("r", 6.5);
  const border = frame.append("rect").attr("class", "tj-landscape-border");
  const hit = frame.append("rect").attr("class", "tj-landscape-hit");
  const xAxis = svg.append("g").attr("class", "tj-landscape-axis");
  const yAxis = svg.append("g").attr("class", "tj-landscape-axis");
  const xLabel = svg.append("text").attr("class", "tj-landscape-axis-label").attr("text-anchor", "middle");
  const yLabel = svg.append("text").attr("class", "tj-landscape-axis-label").attr("text-anchor", "middle");
  const bar = svg.append("g").attr("class", "tj-landscape-colorbar");
  const barRect = bar.append("rect").attr("fill", `url(#${id}-viridis)`);
  const barAxis = bar.append("g").attr("class", "tj-landscape-axis");
  const barLabel = bar.append("text").attr("class", "tj-landscape-axis-label").attr("text-anchor", "middle");
  const legend = svg.append("g").attr("class", "tj-landscape-legend");
  const empty = svg.append("text").attr("class", "tj-landscape-empty").attr("text-anchor", "middle")
    .attr("x", SIZE.width / 2).attr("y", SIZE.height / 2).attr("display", "none");
  for (const g of [frame, band, curve, limitUnder, limitLine, marker, markerUnder, bar]) g.attr("display", "none");
  parent.append(root);

  function el(into, tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    into.append(node);
    return node;
  }

  function option(s, value, label) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    s.append(o);
  }

  // Two native range inputs over one track, one per handle, each stopping at the spec's spanStops.
  function rangeField(label, cls, axis) {
    const text = document.createElement("output");
    text.className = "tj-landscape-value";
    const box = field(label, cls, text);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", label);
    const range = el(box, "div", `tj-landscape-range ${cls}`);
    el(range, "div", "tj-landscape-track");
    const fill = el(range, "div", "tj-landscape-fill");
    const low = el(range, "input", "tj-landscape-slider tj-landscape-low");
    const high = el(range, "input", "tj-landscape-slider tj-landscape-high");
    low.type = high.type = "range";
    low.id = `${id}-${cls}`;
    low.setAttribute("aria-label", `${label} from`);
    high.setAttribute("aria-label", `${label} to`);
    const r = { box, text, fill, low, high, stops: [0, 1] };
    const moved = (which, commit) => {
      const [lo, hi] = clampSpan(Number(low.value), Number(high.value), r.stops.length, which);
      low.value = lo;
      high.value = hi;
      showSpan(r);
      if (commit) {
        const name = axis === "x" ? state.x : state.y;
        const span = spanOf(r.stops, lo, hi);
        if (span) state.spans[name] = span;
        else delete state.spans[name];
        refresh();
      }
    };
    low.addEventListener("input", () => moved("low", false));
    high.addEventListener("input", () => moved("high", false));
    low.addEventListener("change", () => moved("low", true));
    high.addEventListener("change", () => moved("high", true));
    // A press on the track (the inputs take presses on their handles only) brings the nearer handle there.
    range.addEventListener("pointerdown", (event) => {
      if (event.target !== range) return;
      const box = range.getBoundingClientRect(), last = r.stops.length - 1;
      const k = Math.round(Math.max(0, Math.min(1, (event.clientX - box.left - 7) / (box.width - 14))) * last);
      const lo = Number(low.value), hi = Number(high.value);
      const which = Math.abs(k - lo) < Math.abs(k - hi) || (k === lo && k === hi) || k < lo ? "low" : "high";
      const handle = which === "low" ? low : high;
      handle.value = k;
      handle.focus();
      moved(which, true);
    });
    return r;
  }

  function showSpan(r) {
    const lo = Number(r.low.value), hi = Number(r.high.value), last = r.stops.length - 1;
    r.text.value = spanLabel(r.stops[lo], r.stops[hi]);
    r.low.setAttribute("aria-valuetext", formatG(r.stops[lo]));
    r.high.setAttribute("aria-valuetext", formatG(r.stops[hi]));
    r.fill.style.left = `calc(7px + (100% - 14px) * ${lo / last})`;
    r.fill.style.right = `calc(7px + (100% - 14px) * ${1 - hi / last})`;
  }

  // ---- controls -> state ----
  function specsOf(optimizer = state.optimizer) {
    return config.specs[state.lesson.convention][optimizer];
  }

  function setAxesOptions(axes) {
    const numeric = numericNames(specsOf());
    const kept = axes.filter((a) => numeric.includes(a));
    const [x, y] = kept.length ? kept : [numeric[0]];
    xSelect.replaceChildren();
    ySelect.replaceChildren();
    for (const name of numeric) option(xSelect, name, axisName(name));
    option(ySelect, NO_Y, "none (1D curve)");
    for (const name of numeric) option(ySelect, name, axisName(name));
    state.x = x;
    state.y = y && y !== x ? y : NO_Y;
    xSelect.value = state.x;
    ySelect.value = state.y;
    resetSpans();
  }

  function axisName(name) {
    const symbol = config.symbols?.[name];
    return symbol && symbol !== name ? `${symbol} (${name})` : name;
  }

  function resetSpans() {
    state.spans = {};
    for (const [r, name] of [[xRange, state.x], [yRange, state.y]]) {
      r.box.hidden = name === NO_Y;
      if (name === NO_Y) continue;
      r.stops = specsOf()[name].spanStops;
      for (const input of [r.low, r.high]) {
        input.min = 0;
        input.max = r.stops.length - 1;
        input.step = 1;
      }
      // eta opens on 1e-3 to 10, where the lessons are: over its whole range (1e-5 to 100) most of the map is
      // flat or diverged. The whole range is one drag away.
      const [lo, hi] = name === "eta" ? [r.stops.indexOf(1e-3), r.stops.indexOf(10)] : [-1, -1];
      r.low.value = lo >= 0 && hi > lo ? lo : 0;
      r.high.value = lo >= 0 && hi > lo ? hi : r.stops.length - 1;
      const span = spanOf(r.stops, Number(r.low.value), Number(r.high.value));
      if (span) state.spans[name] = span;
      showSpan(r);
    }
  }

  function syncOptimizers() {
    const names = state.lesson.optimizers;
    const shown = Array.from(optimizerSelect.options, (o) => o.value);
    const keep = names.includes(state.optimizer) ? state.optimizer : names[0];
    if (shown.join() !== names.join()) {
      optimizerSelect.replaceChildren();
      for (const name of names) option(optimizerSelect, name, name);
    }
    optimizerSelect.value = keep;
    const convention = state.lesson.convention;
    if (keep !== state.optimizer) {
      state.optimizer = keep;
      state.convention = convention;
      setAxesOptions(defaultAxes(config, keep, convention));
    } else if (convention !== state.convention) { // another table of hyperparameters and ranges
      state.convention = convention;
      setAxesOptions(state.y === NO_Y ? [state.x] : [state.x, state.y]);
    }
  }

  optimizerSelect.addEventListener("change", () => {
    state.optimizer = optimizerSelect.value;
    setAxesOptions(defaultAxes(config, state.optimizer, state.lesson.convention));
    refresh();
  });
  const axisChanged = (which) => {
    const old = which === "x" ? state.x : state.y;
    const picked = which === "x" ? xSelect.value : ySelect.value;
    if (which === "x") state.x = picked;
    else state.y = picked;
    if (state.x === state.y) { // one hyperparameter on both axes: swap them instead
      if (which === "x") state.y = old;
      else if (old !== NO_Y) state.x = old;
      else state.y = NO_Y;
    }
    xSelect.value = state.x;
    ySelect.value = state.y;
    resetSpans();
    refresh();
  };
  xSelect.addEventListener("change", () => axisChanged("x"));
  ySelect.addEventListener("change", () => axisChanged("y"));
  metricSelect.addEventListener("change", () => {
    state.metric = metricSelect.value;
    showTol();
    refresh();
  });
  tolSelect.addEventListener("change", () => {
    state.tol = Number(tolSelect.value);
    refresh();
  });
  resInput.addEventListener("input", () => { resOutput.value = resInput.value; });
  resInput.addEventListener("change", () => {
    state.resolution = Number(resInput.value);
    resOutput.value = resInput.value;
    refresh();
  });
  resOutput.value = String(state.resolution);
  exportButton.addEventListener("click", () => onExport(tab.settings));

  function showTol() {
    tolSelect.closest(".tj-landscape-field").hidden = state.metric !== "steps";
  }
  showTol();

  // ---- what to compute ----
  function axes() {
    return state.y === NO_Y ? [state.x] : [state.x, state.y];
  }

  function fitted() {
    const steps = state.lesson?.steps ?? 1;
    return fitResolution(config, state.resolution, steps, state.y !== NO_Y ? 2 : 1);
  }

  Object.defineProperty(tab, "settings", {
    enumerable: true,
    get: () => ({ optimizer: state.optimizer, axes: axes(), spans: structuredClone(state.spans),
      metric: state.metric, tol: state.tol, resolution: state.lesson ? fitted().resolution : state.resolution }),
  });

  tab.render = ({ lesson, visible = true }) => {
    if (destroyed) return;
    state.lesson = lesson;
    state.visible = Boolean(visible);
    try {
      syncOptimizers();
    } catch (err) {
      showError(err);
      return;
    }
    refresh();
  };

  function refresh() {
    if (!state.lesson || destroyed) return;
    placeMarker();
    if (!state.visible) return; // a hidden tab costs nothing: the next visible render catches up
    const key = mapKey(state.lesson, tab.settings);
    if (key === drawnKey && wantedKey === null) return;
    if (key === wantedKey) return; // already on its way
    if (key === drawnKey) { // back to the map on screen: drop the one under way
      token += 1;
      wantedKey = null;
      plot.dataset.state = "ready";
      info.textContent = drawnInfo;
      return;
    }
    wantedKey = key;
    token += 1;
    if (pending === null) pending = setTimeout(start, 0); // a burst of changes in one task starts one map
  }

  function start() {
    pending = null;
    const job = token;
    const key = wantedKey;
    const lesson = state.lesson;
    let request;
    try {
      request = mapRequest(lesson);
    } catch (err) {
      wantedKey = null;
      showError(err);
      return;
    }
    plot.dataset.state = "computing";
    runSliced(request, job).then((result) => {
      if (result === null || job !== token || destroyed) return;
      wantedKey = null;
      drawnKey = key;
      draw(request, result);
    }).catch((err) => {
      if (job !== token || destroyed) return;
      wantedKey = null;
      showError(err);
    });
  }

  function mapRequest(lesson) {
    const optimizer = state.optimizer;
    const table = specsOf();
    const current = lesson.hyperparameters?.[optimizer];
    if (config.objectives[lesson.objective]?.minima?.length === 0) {
      throw new Error(`The ${lesson.objective} objective has no minimum to measure a run against: the map needs `
        + "one. Pick another objective to see it.");
    }
    if (!current) {
      throw new Error(`The lesson has no hyperparameters for ${optimizer}.`);
    }
    const { resolution, lowered } = fitted();
    const [x, y] = axes();
    const values = (name) => {
      const spec = table[name];
      const [low, high] = state.spans[name] ?? [spec.low, spec.high];
      return axisValues(low, high, resolution, spec.scale);
    };
    const options = {
      objective: lesson.objective, condition: lesson.condition, angle: lesson.angle, start: lesson.start,
      steps: lesson.steps, convention: lesson.convention, seed: lesson.seed,
      noise: optimizer === "sgd" ? noisePairs(lesson.noise) : undefined, ...current,
      x, xValues: values(x), y, yValues: y ? values(y) : undefined, metric: state.metric, tol: state.tol,
    };
    return { optimizer, options, current: { ...current }, lesson, resolution, lowered, x, y: y ?? null,
      xScale: table[x].scale, yScale: y ? table[y].scale : null, spec: table };
  }

  // Whole rows (cells along a curve) per call of compute(), calls until SLICE_MS has passed, then a new task. A
  // row's cost is only known once computed (a diverged run stops early), so a slice is measured, not predicted.
  async function runSliced(request, job) {
    const { options } = request;
    const two = options.y != null;
    const nx = options.xValues.length, ny = two ? options.yValues.length : 1;
    const count = two ? ny : nx;
    const unit = (two ? nx : 1) * options.steps; // cell-steps of a row (of a cell along a curve) at most
    const per = Math.max(1, Math.floor(CHUNK / unit));
    const values = new Float64Array(nx * ny), diverged = new Uint8Array(nx * ny);
    let busy = 0;
    const wall = performance.now();
    let slice = wall;
    for (let at = 0; at < count;) {
      const n = Math.min(per, count - at);
      const t0 = performance.now();
      const part = compute(request.optimizer, two
        ? { ...options, yValues: options.yValues.subarray(at, at + n) }
        : { ...options, xValues: options.xValues.subarray(at, at + n) }, config);
      const t1 = performance.now();
      busy += t1 - t0;
      values.set(part.values, two ? at * nx : at);
      diverged.set(part.diverged, two ? at * nx : at);
      at += n;
      if (at < count && t1 - slice >= SLICE_MS) {
        if (t1 - wall > 150) info.textContent = `computing the map: ${Math.round(100 * at / count)}%`;
        await nextTask();
        if (job !== token || destroyed) return null; // a newer map was asked for: this one is dropped
        slice = performance.now();
      }
    }
    return { values, diverged, nx, ny, busy };
  }

  // ---- drawing ----
  function draw(request, result) {
    const { x, y, xScale, yScale, options } = request;
    const two = y !== null;
    const m = two ? MARGIN : MARGIN_1D;
    const pw = SIZE.width - m.left - m.right, ph = SIZE.height - m.top - m.bottom;
    const px = Array.from(options.xValues, (v) => position(v, xScale));
    const [xlo, xhi] = extent(px);
    const domain = valueDomain(result.values, options.metric, options.steps);
    const sx = scaleLinear().domain([xlo, xhi]).range([0, pw]);
    const pad = 0.05 * (domain[1] - domain[0]);
    const [ylo, yhi] = two ? extent(Array.from(options.yValues, (v) => position(v, yScale)))
      : [domain[0] - pad, domain[1] + pad];
    const sy = scaleLinear().domain([ylo, yhi]).range([ph, 0]);
    const label = options.metric === "steps" ? `steps to |x - x*| <= ${formatG(options.tol)}`
      : land.metrics[options.metric];
    map = { ...request, ...result, two, m, pw, ph, px, sx, sy, domain, label };
    tab.lastTiming = result.busy;

    frame.attr("display", null).attr("transform", `translate(${m.left},${m.top})`);
    clip.attr("width", pw).attr("height", ph);
    border.attr("width", pw).attr("height", ph);
    hit.attr("width", pw).attr("height", ph);
    title.attr("x", m.left + pw / 2).attr("y", 18).text(titleOf(request));
    drawAxis(xAxis, axisBottom(sx), xlo, xhi, xScale, `translate(${m.left},${m.top + ph})`);
    drawAxis(yAxis, axisLeft(sy), ylo, yhi, two ? yScale : "linear", `translate(${m.left},${m.top})`);
    xLabel.attr("x", m.left + pw / 2).attr("y", m.top + ph + 36).text(axisLabel(x, xScale));
    yLabel.attr("transform", `translate(${m.left - 46},${m.top + ph / 2}) rotate(-90)`)
      .text(two ? axisLabel(y, yScale) : label);

    if (two) {
      paintCells(result, domain);
      Object.assign(canvas.style, {
        display: "", left: pct(m.left, SIZE.width), top: pct(m.top, SIZE.height), width: pct(pw, SIZE.width),
        height: pct(ph, SIZE.height),
      });
      bar.attr("display", null).attr("transform", `translate(${m.left + pw + 14},${m.top})`);
      barRect.attr("width", 14).attr("height", ph);
      const sb = scaleLinear().domain(domain).range([ph, 0]);
      const ticks = axisTicks(domain[0], domain[1], "linear", 6);
      barAxis.attr("transform", "translate(14,0)")
        .call(axisRight(sb).tickValues(ticks.map((t) => t.value)).tickFormat((_, k) => ticks[k].label)
          .tickSizeOuter(0));
      barLabel.attr("transform", `translate(60,${ph / 2}) rotate(90)`).text(label);
      curve.attr("display", "none");
      band.attr("display", "none");
    } else {
      canvas.style.display = "none";
      bar.attr("display", "none");
      const path = line().defined((v) => Number.isFinite(v)).x((_, i) => sx(px[i])).y((v) => sy(v));
      curve.attr("display", null).attr("d", path(Array.from(result.values)));
      const w = pw / result.nx;
      band.attr("display", null).selectAll("rect")
        .data(Array.from(result.diverged).flatMap((d, i) => (d ? [i] : [])))
        .join("rect").attr("x", (i) => i * w).attr("y", 0).attr("width", w).attr("height", ph);
    }
    drawLimit();
    drawLegend();
    placeMarker();
    hover.attr("display", "none");
    readout.textContent = "";
    if (cursor && document.activeElement === svg.node()) { // a keyboard user keeps a cursor, on the new grid
      cursor = [Math.min(cursor[0], map.nx - 1), Math.min(cursor[1], map.ny - 1)];
      showCell(keyCursor, cursor);
    } else {
      cursor = null;
      keyCursor.attr("display", "none");
    }
    plot.classList.remove("tj-landscape-stale");
    empty.attr("display", "none");
    exportButton.disabled = false;
    plot.dataset.state = "ready";
    plot.dataset.maps = String(Number(plot.dataset.maps) + 1);
    const n = result.values.length;
    const share = result.diverged.reduce((a, b) => a + b, 0) / n;
    let text = `${n} runs of ${options.steps} steps in ${Math.round(result.busy)} ms; `
      + `${Math.round(100 * share)}% diverged`;
    if (request.lowered) {
      text += `; resolution lowered to ${request.resolution} to stay within the budget of `
        + `${format(",")(land.budget)} cell-steps`;
    }
    drawnInfo = text;
    info.textContent = text;
    info.classList.remove("tj-landscape-error");
  }

  function drawAxis(g, axis, lo, hi, scale, transform) {
    const ticks = axisTicks(lo, hi, scale);
    g.attr("transform", transform)
      .call(axis.tickValues(ticks.map((t) => t.value)).tickFormat((_, k) => ticks[k].label).tickSizeOuter(0));
  }

  function paintCells(result, [low, high]) {
    const { nx, ny, values, diverged } = result;
    canvas.width = nx;
    canvas.height = ny;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(nx, ny);
    const lut = viridisTable();
    const red = rgb(DIVERGED), grey = rgb(NOT_REACHED);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const cell = j * nx + i, v = values[cell];
        const at = 4 * ((ny - 1 - j) * nx + i); // row 0 is the lowest y: drawn at the bottom
        let c;
        if (diverged[cell]) c = red;
        else if (!Number.isFinite(v)) c = grey;
        else {
          const k = Math.max(0, Math.min(255, Math.round(255 * (v - low) / (high - low))));
          c = lut.subarray(3 * k, 3 * k + 3);
        }
        image.data[at] = c[0];
        image.data[at + 1] = c[1];
        image.data[at + 2] = c[2];
        image.data[at + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  function drawLimit() {
    const { optimizer, lesson, x, y, current, options, sx, sy, ph, two } = map;
    let limit = null;
    try {
      const hessian = getObjective(config, lesson.objective, { condition: lesson.condition, angle: lesson.angle })
        .hessian;
      limit = boundary(optimizer, hessian, x, y, current, options.xValues, options.yValues ?? null);
    } catch {
      limit = null; // theory has nothing to say here: no line
    }
    map.limit = limit;
    if (limit === null || (Array.isArray(limit) && !limit.length)) {
      map.limit = null;
      limitUnder.attr("display", "none");
      limitLine.attr("display", "none");
      return;
    }
    let d;
    if (two) {
      const pts = limit.map(([a, b]) => [sx(position(a, map.xScale)), sy(position(b, map.yScale))])
        .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
      d = pts.length > 1 ? line()(pts) : null;
    } else {
      const at = sx(position(limit, map.xScale));
      d = Number.isFinite(at) ? `M${at},0V${ph}` : null;
    }
    if (!d) {
      map.limit = null;
      limitUnder.attr("display", "none");
      limitLine.attr("display", "none");
      return;
    }
    limitUnder.attr("display", two ? null : "none").attr("d", d);
    limitLine.attr("display", null).attr("d", d).classed("tj-landscape-limit-1d", !two);
  }

  function drawLegend() {
    const { optimizer, two, values, diverged, options } = map;
    const entries = [{ kind: "swatch", color: DIVERGED, text: `diverged (|x| > ${formatG(config.bound ?? 1e6)})` }];
    if (options.metric === "steps" && values.some((v, i) => Number.isNaN(v) && !diverged[i])) {
      entries.push({ kind: "swatch", color: NOT_REACHED, text: "never within tol" });
    }
    entries.push({ kind: "ring", text: "current setting" });
    if (map.limit !== null) entries.push({ kind: "dash", text: "stability limit ηλ", rule: LIMIT_RULES[optimizer] });
    const measure = textWidth(svg.node());
    for (const e of entries) {
      e.width = 22 + measure(e.text) + (e.rule ? measure(` = ${e.rule[0]}`) + 0.75 * measure("max") : 0);
    }
    // One row if the entries fit under the plot, else as many rows as they need, each centred.
    const rows = [[]];
    let used = 0;
    for (const e of entries) {
      if (used && used + 18 + e.width > SIZE.width - 16) {
        rows.push([]);
        used = 0;
      }
      used += (used ? 18 : 0) + e.width;
      rows[rows.length - 1].push(e);
    }
    for (const [r, row] of rows.entries()) {
      let xPos = (SIZE.width - row.reduce((a, e) => a + e.width, 0) - 18 * (row.length - 1)) / 2;
      for (const e of row) {
        e.x = Math.max(4, xPos);
        e.y = 16 * (r - rows.length + 1);
        xPos += e.width + 18;
      }
    }
    legend.attr("transform", `translate(0,${SIZE.height - 12})`);
    const items = legend.selectAll("g.tj-landscape-legend-item").data(entries).join("g")
      .attr("class", "tj-landscape-legend-item").attr("transform", (e) => `translate(${e.x},${e.y})`);
    items.each(function place(e) {
      const g = select(this);
      g.selectAll("*").remove();
      if (e.kind === "swatch") {
        g.append("rect").attr("x", 0).attr("y", -5).attr("width", 16).attr("height", 10).attr("fill", e.color)
          .attr("opacity", !two && e.color === DIVERGED ? 0.3 : 1);
      } else if (e.kind === "ring") {
        g.append("circle").attr("class", "tj-landscape-legend-ring").attr("cx", 8).attr("cy", 0).attr("r", 5);
      } else {
        g.append("path").attr("class", "tj-landscape-legend-dash").attr("d", "M0,0H18");
      }
      const t = g.append("text").attr("x", 22).attr("y", 0).attr("dy", "0.35em").text(e.text);
      if (e.rule) {
        t.append("tspan").attr("dy", "0.3em").attr("font-size", "0.75em").text("max");
        t.append("tspan").attr("dy", "-0.3em").text(` = ${e.rule[0]}`);
      }
    });
  }

  function placeMarker() {
    if (!map || !state.lesson) return;
    const current = state.lesson.hyperparameters?.[map.optimizer];
    const v = current?.[map.x];
    const w = current?.[map.y];
    let cx = NaN, cy = NaN;
    if (typeof v === "number" && (map.xScale !== "log" || v > 0)) cx = map.sx(position(v, map.xScale));
    if (map.two) {
      if (typeof w === "number" && (map.yScale !== "log" || w > 0)) cy = map.sy(position(w, map.yScale));
    } else if (Number.isFinite(cx)) {
      const y = interpolate(position(v, map.xScale), map.px, map.values);
      cy = Number.isFinite(y) ? map.sy(y) : 0;
    }
    const show = Number.isFinite(cx) && Number.isFinite(cy);
    for (const c of [marker, markerUnder]) {
      c.attr("display", show ? null : "none");
      if (show) c.attr("cx", cx).attr("cy", cy);
    }
    markerUnder.attr("display", show && map.two ? null : "none");
    marker.classed("tj-landscape-marker-1d", !map.two);
  }

  // ---- picking a cell: pointer and keyboard ----
  function cellFromEvent(event) {
    const box = hit.node().getBoundingClientRect();
    if (!map || !box.width || !box.height) return null;
    return cellAt((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height, map.nx, map.ny);
  }

  function cellValues([i, j]) {
    const out = { [map.x]: map.options.xValues[i] };
    if (map.two) out[map.y] = map.options.yValues[j];
    return out;
  }

  // Outline a cell (at least 8 px a side, so the keyboard's cursor shows on a fine map) and say what it holds.
  function showCell(rect, cell) {
    if (!map || !cell) {
      rect.attr("display", "none");
      return;
    }
    const [i, j] = cell;
    const w = map.pw / map.nx, h = map.two ? map.ph / map.ny : map.ph;
    const grow = rect === keyCursor ? Math.max(0, 8 - w) / 2 : 0, rise = rect === keyCursor && map.two
      ? Math.max(0, 8 - h) / 2 : 0;
    rect.attr("display", null).selectAll("rect")
      .attr("x", i * w - grow).attr("y", (map.two ? (map.ny - 1 - j) * h : 0) - rise)
      .attr("width", w + 2 * grow).attr("height", h + 2 * rise);
    const values = cellValues(cell);
    const where = Object.entries(values)
      .map(([k, v]) => `${config.symbols?.[k] ?? k} = ${formatG(roundSignificant(v))}`).join(", ");
    const at = j * map.nx + i, v = map.values[at];
    const what = map.diverged[at] ? "diverged"
      : Number.isFinite(v) ? `${map.label} = ${formatG(roundSignificant(v))}` : "never within tol";
    readout.textContent = `${where}: ${what}`;
  }

  function pick(cell) {
    if (!map || !cell) return;
    const out = {};
    for (const [name, v] of Object.entries(cellValues(cell))) {
      const spec = map.spec[name];
      out[name] = roundPick(v, spec.low, spec.high);
    }
    onPick(map.optimizer, out);
  }

  const onMove = (event) => showCell(hover, cellFromEvent(event));
  const onLeave = () => {
    hover.attr("display", "none");
    if (!cursor) readout.textContent = "";
  };
  const onClick = (event) => pick(cellFromEvent(event));
  hit.on("pointermove", onMove).on("pointerleave", onLeave).on("click", onClick);

  function markerCell() {
    const current = state.lesson?.hyperparameters?.[map.optimizer] ?? {};
    const nearest = (values, scale, v) => {
      if (typeof v !== "number") return Math.floor(values.length / 2);
      const p = position(v, scale);
      let best = 0;
      values.forEach((u, k) => {
        if (Math.abs(position(u, scale) - p) < Math.abs(position(values[best], scale) - p)) best = k;
      });
      return best;
    };
    return [nearest(map.options.xValues, map.xScale, current[map.x]),
      map.two ? nearest(map.options.yValues, map.yScale, current[map.y]) : 0];
  }

  // The cursor shows when the map is reached by the keyboard (a click focuses it too, and picks by itself).
  svg.on("focus", () => {
    if (!map || !svg.node().matches(":focus-visible")) return;
    cursor = cursor ?? markerCell();
    showCell(keyCursor, cursor);
  }).on("blur", () => {
    keyCursor.attr("display", "none");
    cursor = null;
    readout.textContent = "";
  }).on("keydown", (event) => {
    if (!map) return;
    const big = event.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-big, 0], ArrowRight: [big, 0], ArrowUp: [0, big], ArrowDown: [0, -big],
      Home: [-map.nx, 0], End: [map.nx, 0], PageUp: [0, map.ny], PageDown: [0, -map.ny] };
    if (event.key in moves) {
      event.preventDefault();
      const [di, dj] = moves[event.key];
      const [i, j] = cursor ?? markerCell();
      cursor = [Math.max(0, Math.min(map.nx - 1, i + di)), Math.max(0, Math.min(map.ny - 1, j + dj))];
      showCell(keyCursor, cursor);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pick(cursor ?? markerCell());
    }
  });

  function showError(err) {
    const message = err instanceof Error ? err.message : String(err);
    info.textContent = map ? `${message} The map shown is the last one drawn.` : message;
    info.classList.add("tj-landscape-error");
    plot.classList.toggle("tj-landscape-stale", Boolean(map));
    exportButton.disabled = true; // the map shown is not the lesson's: there is nothing true to export
    empty.attr("display", map ? "none" : null).text("no map: see the note on the left");
    plot.dataset.state = "error";
    drawnKey = null;
  }

  // ---- export ----
  tab.toSVG = () => {
    const out = svg.node().cloneNode(true);
    inlineStyles(svg.node(), out);
    out.removeAttribute("tabindex");
    out.removeAttribute("role");
    out.removeAttribute("aria-roledescription");
    out.removeAttribute("aria-label");
    out.removeAttribute("aria-describedby");
    out.removeAttribute("class");
    out.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    out.setAttribute("width", SIZE.width);
    out.setAttribute("height", SIZE.height);
    for (const cls of ["tj-landscape-hit", "tj-landscape-hover", "tj-landscape-cursor"]) {
      out.querySelector(`.${cls}`)?.remove();
    }
    for (const node of out.querySelectorAll("[display=none]")) node.remove();
    const ns = "http://www.w3.org/2000/svg";
    const bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", SIZE.width);
    bg.setAttribute("height", SIZE.height);
    bg.setAttribute("fill", getComputedStyle(plot).backgroundColor || "#ffffff");
    out.insertBefore(bg, out.firstChild.nextSibling);
    if (map?.two) {
      const image = document.createElementNS(ns, "image");
      const { m, pw, ph } = map;
      for (const [k, v] of Object.entries({ x: m.left, y: m.top, width: pw, height: ph })) image.setAttribute(k, v);
      image.setAttribute("preserveAspectRatio", "none");
      image.setAttribute("style", "image-rendering:pixelated;image-rendering:optimizeSpeed");
      const href = scaledCells(pw);
      image.setAttribute("href", href);
      image.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", href); // for SVG 1.1 viewers
      bg.after(image);
    }
    const note = document.createElementNS(ns, "title");
    note.textContent = map ? `trajectories landscape: ${titleOf(map)}; ${map.label}` : "trajectories landscape";
    out.insertBefore(note, out.firstChild);
    return new XMLSerializer().serializeToString(out);
  };

  // The canvas scaled by a whole factor, so a viewer that smooths images still shows sharp cells.
  function scaledCells(width) {
    const k = Math.max(1, Math.ceil(width / canvas.width));
    const big = document.createElement("canvas");
    big.width = canvas.width * k;
    big.height = canvas.height * k;
    const ctx = big.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, big.width, big.height);
    return big.toDataURL("image/png");
  }

  tab.destroy = () => {
    destroyed = true;
    token += 1;
    if (pending !== null) clearTimeout(pending);
    pending = null;
    root.remove();
  };

  function titleOf(request) {
    const { optimizer, lesson } = request;
    const start = Array.from(lesson.start, (v) => formatG(v)).join(", ");
    return `${optimizer} on ${lesson.objective}, ${lesson.steps} steps from (${start}), ${lesson.convention}`;
  }

  function axisLabel(name, scale) {
    const symbol = config.symbols?.[name] ?? name;
    return scale === "log" ? `${symbol} (${name}, log scale)` : `${symbol} (${name})`;
  }

  return tab;
}

// --- helpers ----------------------------------------------------------------------------------------------------

function extent(pos) {
  const half = pos.length > 1 ? (pos[pos.length - 1] - pos[0]) / (pos.length - 1) / 2 : 0.5;
  return [pos[0] - half, pos[pos.length - 1] + half];
}

function pct(part, whole) {
  return `${(100 * part) / whole}%`;
}

// np.interp over the curve, with a diverged (NaN) value read as +inf: the marker then sits at the top.
function interpolate(p, xs, values) {
  const at = (k) => (Number.isNaN(values[k]) ? Infinity : values[k]);
  if (p <= xs[0]) return at(0);
  const last = xs.length - 1;
  if (p >= xs[last]) return at(last);
  let k = 0;
  while (xs[k + 1] < p) k += 1;
  const t = (p - xs[k]) / (xs[k + 1] - xs[k]);
  const a = at(k), b = at(k + 1);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return a + t * (b - a);
}

let lut = null;
function viridisTable() {
  if (!lut) {
    lut = new Uint8Array(3 * 256);
    for (let k = 0; k < 256; k++) lut.set(rgb(interpolateViridis(k / 255)), 3 * k);
  }
  return lut;
}

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// The width of a legend's text in the map's font, measured on a canvas (works while the tab is hidden, where
// getComputedTextLength gives 0).
let measuring = null;
function textWidth(node) {
  measuring = measuring ?? document.createElement("canvas").getContext("2d");
  const family = (node.isConnected && getComputedStyle(node).fontFamily) || "sans-serif";
  measuring.font = `11px ${family}`;
  return (text) => measuring.measureText(text).width;
}

// A new task, as soon as the page has answered what waits (a MessageChannel message: setTimeout(0) is clamped to
// 4 ms once nested, and scheduler.yield() resumes ahead of the page's own timers and kernel messages).
let channel = null;
const waiting = [];
function nextTask() {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

const INHERITED = ["fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linejoin", "stroke-linecap",
  "fill-opacity", "stroke-opacity", "font-family", "font-size", "font-weight"];

// Computed styles written onto the copy, so the file needs neither this page's CSS nor its variables: what an
// element inherits is written where it changes, opacity where it is not 1.
function inlineStyles(from, to, parent = null) {
  if (from.nodeType !== 1) return;
  const style = getComputedStyle(from);
  to.removeAttribute("class");
  if (style.display === "none") {
    to.setAttribute("display", "none");
    return;
  }
  if (["defs", "title"].includes(from.tagName)) return;
  const own = [];
  const mine = {};
  for (const name of INHERITED) {
    const value = style.getPropertyValue(name);
    mine[name] = value;
    if (value && !value.startsWith("url(") && value !== parent?.[name]) own.push(`${name}:${value}`);
  }
  if (style.opacity !== "1") own.push(`opacity:${style.opacity}`);
  if (own.length) to.setAttribute("style", own.join(";"));
  for (let k = 0; k < from.children.length; k++) inlineStyles(from.children[k], to.children[k], mine);
}
