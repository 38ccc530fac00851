// The Landscape tab's controls, a 264-px column beside the map: which run, which one or two hyperparameters
// on the axes and over which span, what the colour shows, the cells per side, Export, and the lines that say what
// the map holds. They keep the tab's own settings; the lesson's come from the main controls.
import { pyG } from "../core/format.js";
import { uid } from "../core/ids.js";
import { defaultAxes, numericNames } from "../core/landscape.js";
import { h } from "./dom.js";
import { createRange } from "./slider.js";

export const NO_Y = "none"; // the y axis's value for a 1D curve

/** "1e-05 to 100": a range's label (Python's f"{low:g} to {high:g}"), in the page's words when `t` is given. */
export function spanLabel(low, high, t = null) {
  return t ? t("landscape.span", { low: pyG(low), high: pyG(high) }) : `${pyG(low)} to ${pyG(high)}`;
}

/** The span of two handles, or null over the whole range (the tab leaves such an axis out of its spans). */
export function spanOf(stops, low, high) {
  return low === 0 && high === stops.length - 1 ? null : [stops[low], stops[high]];
}

/**
 * @param {HTMLElement} parent
 * @param {{config, t, onChange: () => void, onExport: () => void}} options t: the page's words (core/i18n.js
 *   translator); onChange: a setting of the tab changed
 * @returns {{element, settings: {run, optimizer, x, y, spans, metric, tol, resolution}, sync(lesson, labels),
 *   info(text, bad), read(text), readoutId, exportable(on)}} run: the index of the run mapped, optimizer its
 *   optimizer; sync follows the lesson's runs (by their labels) and convention
 */
export function createLandscapeControls(parent, { config, t, onChange, onExport }) {
  const land = config.landscape;
  const settings = { run: 0, optimizer: null, convention: null, x: null, y: NO_Y, spans: {}, metric: "loss",
    tol: land.tolerances.includes(0.1) ? 0.1 : land.tolerances[0], resolution: land.defaultResolution };
  const side = parent.appendChild(h("div", { class: "tj-landscape-side" }));
  const field = (label, cls, control, extra = null) => {
    const labelable = control.matches("select, input");
    if (labelable) control.id = uid(cls);
    const head = h("div", { class: "tj-landscape-label" },
      h("label", { for: labelable ? control.id : undefined, text: label }), extra);
    return side.appendChild(h("div", { class: `tj-landscape-field ${cls}-field` }, head, control));
  };
  const select = (label, cls, onchange) => {
    const s = h("select", { class: cls, onchange });
    field(label, cls, s);
    return s;
  };
  const options = (s, entries) => s.replaceChildren(...entries.map(([value, text]) => h("option", { value, text })));
  const symbolOf = (name) => {
    const symbol = config.symbols?.[name];
    return symbol && symbol !== name ? `${symbol} (${name})` : name;
  };

  let rules = []; // the optimizer of each run, as the select lists them
  const optimizerSelect = select(t("landscape.run"), "tj-landscape-optimizer", () => {
    const run = Number(optimizerSelect.value), before = settings.optimizer;
    settings.run = run;
    settings.optimizer = rules[run];
    if (settings.optimizer !== before) setAxes(defaultAxes(config, settings.optimizer, settings.convention));
    onChange();
  });
  const xSelect = select(t("landscape.x_axis"), "tj-landscape-x", () => axisChanged("x"));
  const ranges = { x: rangeField(t("landscape.x_range"), "tj-landscape-x-span", "x") };
  const ySelect = select(t("landscape.y_axis"), "tj-landscape-y", () => axisChanged("y"));
  ranges.y = rangeField(t("landscape.y_range"), "tj-landscape-y-span", "y");
  const metricSelect = select(t("landscape.colour"), "tj-landscape-metric", () => {
    settings.metric = metricSelect.value;
    showTol();
    onChange();
  });
  options(metricSelect, Object.keys(land.metrics).map((m) => [m, t(`metric.${m}`)]));
  const tolSelect = select(t("landscape.tol"), "tj-landscape-tol", () => {
    settings.tol = Number(tolSelect.value);
    onChange();
  });
  options(tolSelect, land.tolerances.map((t) => [String(t), pyG(t)]));
  tolSelect.value = String(settings.tol);
  const resOutput = h("output", { class: "tj-landscape-value", text: String(settings.resolution) });
  const resInput = h("input", { class: "tj-landscape-resolution tj-landscape-slider", type: "range",
    min: land.resolution[0], max: land.resolution[1], step: settings.resolution % 16 ? 1 : 16,
    value: settings.resolution,
    oninput: () => { resOutput.value = resInput.value; },
    onchange: () => {
      settings.resolution = Number(resInput.value);
      resOutput.value = resInput.value;
      onChange();
    } });
  field(t("landscape.cells"), "tj-landscape-resolution", resInput, resOutput);
  resOutput.htmlFor = resInput.id;
  const exportButton = side.appendChild(h("button", { type: "button", class: "tj-landscape-export",
    title: t("landscape.export_title"), disabled: true, onclick: () => onExport() }, t("landscape.export")));
  const info = side.appendChild(h("div", { class: "tj-landscape-info", "aria-live": "polite" }));
  const readout = side.appendChild(h("div", { class: "tj-landscape-readout", id: uid("readout"),
    "aria-live": "polite" }));
  side.append(h("div", { class: "tj-landscape-hint", text: t("landscape.hint") }));

  // A span per axis: two thumbs over the spec's span stops, committed when the hand lets go.
  function rangeField(label, cls, axis) {
    const text = h("output", { class: "tj-landscape-value" });
    const range = createRange({ label, classes: ["tj-landscape-range", cls], format: pyG, t,
      onChange: (low, high, { final }) => {
        text.value = spanLabel(low, high, t);
        if (!final) return;
        const name = settings[axis];
        const [lo, hi] = range.indices;
        const span = spanOf(range.stops, lo, hi);
        if (span) settings.spans[name] = span;
        else delete settings.spans[name];
        onChange();
      } });
    const box = field(label, cls, range.element, text);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", label);
    return { box, text, range };
  }

  function axisChanged(which) {
    const old = settings[which];
    settings[which] = which === "x" ? xSelect.value : ySelect.value;
    if (settings.x === settings.y) { // one hyperparameter on both axes: swap them instead
      if (which === "x") settings.y = old;
      else if (old !== NO_Y) settings.x = old;
      else settings.y = NO_Y;
    }
    xSelect.value = settings.x;
    ySelect.value = settings.y;
    resetSpans();
    onChange();
  }

  function setAxes(axes) {
    const numeric = numericNames(config.specs[settings.convention][settings.optimizer]);
    const kept = axes.filter((a) => numeric.includes(a));
    const [x, y] = kept.length ? kept : [numeric[0]];
    options(xSelect, numeric.map((n) => [n, symbolOf(n)]));
    options(ySelect, [[NO_Y, t("landscape.none")], ...numeric.map((n) => [n, symbolOf(n)])]);
    settings.x = x;
    settings.y = y && y !== x ? y : NO_Y;
    xSelect.value = settings.x;
    ySelect.value = settings.y;
    resetSpans();
  }

  function resetSpans() {
    settings.spans = {};
    for (const axis of ["x", "y"]) {
      const { box, text, range } = ranges[axis];
      const name = settings[axis];
      box.hidden = name === NO_Y;
      if (name === NO_Y) continue;
      const stops = config.specs[settings.convention][settings.optimizer][name].spanStops;
      // eta opens on 1e-3 to 10, where the lessons are: over its whole range (1e-5 to 100) most of the map is
      // flat or diverged. The whole range is one drag away.
      const [lo, hi] = name === "eta" ? [stops.indexOf(1e-3), stops.indexOf(10)] : [-1, -1];
      const whole = !(lo >= 0 && hi > lo);
      range.set(stops, whole ? 0 : lo, whole ? stops.length - 1 : hi);
      const span = spanOf(stops, ...range.indices);
      if (span) settings.spans[name] = span;
      text.value = spanLabel(...range.span, t);
    }
  }

  function showTol() {
    tolSelect.closest(".tj-landscape-field").hidden = settings.metric !== "steps";
  }
  showTol();

  return {
    element: side,
    settings,
    readoutId: readout.id,
    /** Follow the lesson: its runs in the select (by label), another convention's table of hyperparameters. */
    sync(lesson, labels) {
      rules = lesson.runs.map((r) => r.optimizer);
      const names = labels.length === rules.length ? labels : rules;
      const run = settings.run < rules.length ? settings.run : 0;
      if (Array.from(optimizerSelect.options, (o) => o.text).join("\n") !== names.join("\n")) {
        options(optimizerSelect, names.map((n, i) => [String(i), n]));
      }
      optimizerSelect.value = String(run);
      settings.run = run;
      const keep = rules[run];
      if (keep !== settings.optimizer) {
        settings.optimizer = keep;
        settings.convention = lesson.convention;
        setAxes(defaultAxes(config, keep, lesson.convention));
      } else if (lesson.convention !== settings.convention) { // another table of hyperparameters and ranges
        settings.convention = lesson.convention;
        setAxes(settings.y === NO_Y ? [settings.x] : [settings.x, settings.y]);
      }
    },
    info(text, bad = false) {
      info.textContent = text;
      info.classList.toggle("tj-landscape-error", bad);
    },
    read(text) {
      readout.textContent = text;
    },
    exportable(on) {
      exportButton.disabled = !on;
    },
  };
}
