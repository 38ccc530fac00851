// The app's one slider, over a list of stops (the spec table's round numbers), as WAI-ARIA's slider pattern
// describes it: a focusable thumb with role="slider" that moves one stop per arrow key, ten per Page Up/Down, to
// the ends with Home/End, follows the pointer, and says the value it stands for in aria-valuenow (0.45, not a
// stop index). createSlider has one thumb; createRange two on one track (a span: the landscape's axis ranges),
// each stopping one stop short of the other.

import { uid } from "../core/ids.js";
import { h } from "./dom.js";

const STEP_KEYS = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };
const MOVES = (key) => key in STEP_KEYS || key === "Home" || key === "End";

/** The index of the stop nearest to `value` (stops sorted ascending). */
export function nearestStop(stops, value) {
  let best = 0;
  for (let i = 1; i < stops.length; i++) {
    if (Math.abs(stops[i] - value) < Math.abs(stops[best] - value)) best = i;
  }
  return best;
}

/** `stops` with `value` in its place if it is not one of them (a link's 0.37 is shown as it is). */
export function stopsWith(stops, value) {
  if (typeof value !== "number" || stops.includes(value)) return stops;
  return [...stops, value].sort((a, b) => a - b);
}

/** Two handles after one moved: the moved one stops a stop short of the other. */
export function clampSpan(low, high, count, moved) {
  const lo = Math.max(0, Math.min(low, count - 1)), hi = Math.max(0, Math.min(high, count - 1));
  if (lo < hi || count < 2) return [lo, hi];
  if (moved === "high") return lo + 1 < count ? [lo, lo + 1] : [count - 2, count - 1];
  return hi > 0 ? [hi - 1, hi] : [0, 1];
}

const percent = (at) => `${(at * 100).toFixed(3)}%`;

// The keyboard and the pointer of one thumb on `track`: `index()` is where it is, `moveTo(i, final)` moves it.
function drive(track, thumb, { count, index, moveTo, release }) {
  thumb.addEventListener("keydown", (event) => {
    if (!MOVES(event.key)) return;
    event.preventDefault();
    const i = index();
    moveTo(event.key === "Home" ? 0 : event.key === "End" ? count() - 1 : i + STEP_KEYS[event.key], false);
  });
  thumb.addEventListener("keyup", (event) => { if (MOVES(event.key)) release(); });
  const indexAt = (clientX) => {
    const box = track.getBoundingClientRect();
    const at = box.width > 0 ? (clientX - box.left) / box.width : 0;
    return Math.round(Math.max(0, Math.min(1, at)) * (count() - 1));
  };
  return indexAt;
}

function thumbAria(thumb, stops, i, format, low = 0, high = stops.length - 1) {
  thumb.setAttribute("aria-valuemin", String(stops[low]));
  thumb.setAttribute("aria-valuemax", String(stops[high]));
  thumb.setAttribute("aria-valuenow", String(stops[i]));
  thumb.setAttribute("aria-valuetext", format(stops[i]));
}

/**
 * A slider with one thumb: the track itself is the focusable element with role="slider".
 *
 * @param {object} options
 * @param {string} options.label the visible label (a symbol: η)
 * @param {string[]} options.classes classes of the focusable element (tj-eta, tj-rmsprop-eta)
 * @param {number[]} options.stops the values it can take, ascending
 * @param {number} options.value
 * @param {(v: number) => string} [options.format] the readout and aria-valuetext
 * @param {(v: number, how: {final: boolean}) => void} options.onChange final is true when the hand lets go
 * @param {string} [options.title] a tooltip (the spec's description)
 * @returns {{element, control, set(v, stops?), value}}
 */
export function createSlider({ label, classes, stops, value, format = String, onChange, title = "" }) {
  const name = h("span", { class: "tj-slider-label", id: uid("label"), text: label });
  const fill = h("div", { class: "tj-slider-fill" }), thumb = h("div", { class: "tj-slider-thumb" });
  const track = h("div", { class: `tj-slider-track ${classes.join(" ")}`, role: "slider", tabindex: "0",
    "aria-labelledby": name.id, title: title || undefined }, fill, thumb);
  const readout = h("output", { class: "tj-slider-readout" });
  const root = h("div", { class: "tj-slider" }, name, track, readout);
  let base = stops, list = stops, index = 0;

  function show() {
    const at = list.length > 1 ? index / (list.length - 1) : 0;
    thumb.style.left = percent(at);
    fill.style.width = percent(at);
    thumbAria(track, list, index, format);
    readout.textContent = format(list[index]);
  }
  function moveTo(i, final) {
    const next = Math.max(0, Math.min(list.length - 1, i));
    if (next === index) {
      if (final) onChange(list[index], { final: true });
      return;
    }
    index = next;
    show();
    onChange(list[index], { final });
  }
  const release = () => onChange(list[index], { final: true });
  const indexAt = drive(track, track, { count: () => list.length, index: () => index, moveTo, release });
  track.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    track.focus();
    track.setPointerCapture(event.pointerId);
    moveTo(indexAt(event.clientX), false);
  });
  track.addEventListener("pointermove", (event) => {
    if (track.hasPointerCapture(event.pointerId)) moveTo(indexAt(event.clientX), false);
  });
  const up = (event) => {
    if (!track.hasPointerCapture(event.pointerId)) return;
    track.releasePointerCapture(event.pointerId);
    release();
  };
  track.addEventListener("pointerup", up);
  track.addEventListener("pointercancel", up);

  function set(v, newStops = null) {
    if (newStops) base = newStops;
    list = stopsWith(base, v);
    index = nearestStop(list, v);
    show();
  }
  set(value);
  return { element: root, control: track, set, get value() { return list[index]; } };
}

/**
 * A span over `stops`: two thumbs (each role="slider") on one track; a press on the track brings the nearer
 * thumb there. onChange(low, high, {final}) gets the stops' values.
 *
 * @param {object} options
 * @param {string} options.label the span's name ("x range"): the thumbs are "<label> from" and "<label> to"
 * @param {Function} [options.t] the page's words (core/i18n.js translator), for "from" and "to"
 * @param {string[]} options.classes classes of the track
 * @param {(v: number) => string} options.format
 * @param {(low: number, high: number, how: {final: boolean}) => void} options.onChange
 * @returns {{element, low: HTMLElement, high: HTMLElement, set(stops, low, high), stops: number[],
 *   span: [number, number], indices: [number, number]}}
 */
export function createRange({ label, classes, format, onChange, t = null }) {
  const fill = h("div", { class: "tj-slider-fill" });
  const end = (which) => (t ? t(which === "low" ? "landscape.from" : "landscape.to", { label })
    : `${label} ${which === "low" ? "from" : "to"}`);
  const thumbs = ["low", "high"].map((which) => h("div", { class: `tj-slider-thumb tj-range-${which}`,
    role: "slider", tabindex: "0", "aria-label": end(which) }));
  const track = h("div", { class: `tj-slider-track tj-range ${classes.join(" ")}` }, fill, ...thumbs);
  let stops = [0, 1], at = [0, 1];

  function show() {
    const last = Math.max(1, stops.length - 1);
    at.forEach((i, k) => {
      thumbs[k].style.left = percent(i / last);
      thumbAria(thumbs[k], stops, i, format, k === 0 ? 0 : at[0] + 1, k === 0 ? at[1] - 1 : stops.length - 1);
    });
    fill.style.left = percent(at[0] / last);
    fill.style.width = percent((at[1] - at[0]) / last);
  }
  const emit = (final) => onChange(stops[at[0]], stops[at[1]], { final });
  const drivers = thumbs.map((thumb, k) => {
    const which = k === 0 ? "low" : "high";
    const moveTo = (i, final) => {
      const next = clampSpan(k === 0 ? i : at[0], k === 0 ? at[1] : i, stops.length, which);
      const changed = next[0] !== at[0] || next[1] !== at[1];
      at = next;
      if (changed) show();
      if (changed || final) emit(final);
    };
    const indexAt = drive(track, thumb, { count: () => stops.length, index: () => at[k], moveTo,
      release: () => emit(true) });
    return { moveTo, indexAt };
  });
  let dragging = -1;
  track.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const i = drivers[0].indexAt(event.clientX);
    const onThumb = thumbs.indexOf(event.target);
    dragging = onThumb >= 0 ? onThumb
      : Math.abs(i - at[0]) < Math.abs(i - at[1]) || (i === at[0] && i === at[1]) || i < at[0] ? 0 : 1;
    thumbs[dragging].focus();
    track.setPointerCapture(event.pointerId);
    drivers[dragging].moveTo(i, false);
  });
  track.addEventListener("pointermove", (event) => {
    if (dragging >= 0 && track.hasPointerCapture(event.pointerId)) {
      drivers[dragging].moveTo(drivers[dragging].indexAt(event.clientX), false);
    }
  });
  const up = (event) => {
    if (!track.hasPointerCapture(event.pointerId)) return;
    track.releasePointerCapture(event.pointerId);
    dragging = -1;
    emit(true);
  };
  track.addEventListener("pointerup", up);
  track.addEventListener("pointercancel", up);

  return {
    element: track,
    low: thumbs[0],
    high: thumbs[1],
    set(newStops, low, high) {
      stops = newStops;
      at = clampSpan(low, high, stops.length, "high");
      show();
    },
    get stops() { return stops; },
    get span() { return [stops[at[0]], stops[at[1]]]; },
    get indices() { return [...at]; },
  };
}
