// A slider over a list of stops (the spec table's round numbers), as WAI-ARIA's slider pattern describes it: one
// focusable element with role="slider" that moves one stop per arrow key, ten per Page Up/Down, to the ends with
// Home/End, follows the pointer, and says the value it stands for in aria-valuenow (0.45, not a stop index).

const STEP_KEYS = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 };

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

/**
 * @param {object} options
 * @param {string} options.label the visible label (a symbol: η)
 * @param {string[]} options.classes classes of the focusable element (tj-eta, tj-rmsprop-eta)
 * @param {number[]} options.stops the values it can take, ascending
 * @param {number} options.value
 * @param {(v: number) => string} [options.format] the readout and aria-valuetext
 * @param {(v: number, how: {final: boolean}) => void} options.onChange final is true when the hand lets go
 * @param {string} [options.title] a tooltip (the spec's description)
 */
export function createSlider({ label, classes, stops, value, format = String, onChange, title = "" }) {
  const root = document.createElement("div");
  root.className = "tj-slider";
  const name = document.createElement("span");
  name.className = "tj-slider-label";
  name.textContent = label;
  name.id = `tj-label-${Math.random().toString(36).slice(2, 10)}`;
  const track = document.createElement("div");
  track.className = `tj-slider-track ${classes.join(" ")}`;
  track.setAttribute("role", "slider");
  track.tabIndex = 0;
  track.setAttribute("aria-labelledby", name.id);
  if (title) track.title = title;
  const fill = document.createElement("div");
  fill.className = "tj-slider-fill";
  const thumb = document.createElement("div");
  thumb.className = "tj-slider-thumb";
  track.append(fill, thumb);
  const readout = document.createElement("output");
  readout.className = "tj-slider-readout";
  root.append(name, track, readout);

  let base = stops;
  let list = stops;
  let index = 0;

  function show() {
    const v = list[index];
    const at = list.length > 1 ? index / (list.length - 1) : 0;
    thumb.style.left = `${(at * 100).toFixed(3)}%`;
    fill.style.width = `${(at * 100).toFixed(3)}%`;
    track.setAttribute("aria-valuemin", String(list[0]));
    track.setAttribute("aria-valuemax", String(list[list.length - 1]));
    track.setAttribute("aria-valuenow", String(v));
    track.setAttribute("aria-valuetext", format(v));
    readout.textContent = format(v);
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

  track.addEventListener("keydown", (event) => {
    let target = null;
    if (event.key in STEP_KEYS) target = index + STEP_KEYS[event.key];
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = list.length - 1;
    if (target === null) return;
    event.preventDefault();
    moveTo(target, false);
  });
  track.addEventListener("keyup", (event) => {
    if (event.key in STEP_KEYS || event.key === "Home" || event.key === "End") onChange(list[index], { final: true });
  });

  function indexAt(clientX) {
    const box = track.getBoundingClientRect();
    const at = box.width > 0 ? (clientX - box.left) / box.width : 0;
    return Math.round(Math.max(0, Math.min(1, at)) * (list.length - 1));
  }
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
  const release = (event) => {
    if (!track.hasPointerCapture(event.pointerId)) return;
    track.releasePointerCapture(event.pointerId);
    onChange(list[index], { final: true });
  };
  track.addEventListener("pointerup", release);
  track.addEventListener("pointercancel", release);

  function set(v, newStops = null) {
    if (newStops) base = newStops;
    list = stopsWith(base, v);
    index = nearestStop(list, v);
    show();
  }
  set(value);

  return {
    element: root,
    control: track,
    set,
    get value() { return list[index]; },
  };
}
