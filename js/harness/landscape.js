// The Landscape tab in a page of its own, for looking at it (Playwright screenshots) and timing it.
// landscape.html?case=NAME&theme=dark shows one case; no case: all of them, light.
import { LANDSCAPE_CSS } from "../src/landscape.css.js";
import { createLandscapeTab } from "../src/landscape_tab.js";

/* global __CONFIG__, __NOISE__ */
const config = __CONFIG__;
const noise = __NOISE__;

const base = { ...config.defaultLesson, noise };
const lesson = (optimizer, hyper, extra = {}) => ({
  ...base, optimizers: [optimizer], hyperparameters: { [optimizer]: { ...config.defaultLesson.hyperparameters[optimizer],
    ...defaults(optimizer, extra.convention ?? "d2l"), ...hyper } }, ...extra,
});
function defaults(optimizer, convention) {
  const table = config.specs[convention][optimizer];
  return Object.fromEntries(Object.entries(table).map(([k, s]) => [k, s.default]));
}

// Each case: a lesson and what to do to the tab's own controls ([class, value] pairs, in order).
export const CASES = {
  rmsprop: { lesson: lesson("rmsprop", {}) },
  momentum: { lesson: lesson("momentum", { eta: 0.6, beta: 0.5 }, { steps: 40 }),
    controls: [["tj-landscape-x-span", [0.001, 10]]] },
  gd: { lesson: lesson("gd", { eta: 0.4 }) },
  adadelta: { lesson: lesson("adadelta", {}) },
  steps: { lesson: lesson("momentum", { eta: 0.3, beta: 0.5 }, { steps: 60 }),
    controls: [["tj-landscape-metric", "steps"], ["tj-landscape-tol", "0.01"]] },
  budget: { lesson: lesson("adam", {}, { steps: 500 }), controls: [["tj-landscape-resolution", "256"]] },
  sgd: { lesson: lesson("sgd", { eta: 0.1 }, { steps: 50 }) },
  general: { lesson: lesson("nesterov", { eta: 0.2, beta: 0.6 }, { objective: "general", condition: 50, angle: 30 }) },
  himmelblau: { lesson: lesson("adam", { eta: 0.3 }, { objective: "himmelblau", start: [-1, -1], steps: 100 }),
    controls: [["tj-landscape-metric", "distance"]] },
  saddle: { lesson: lesson("gd", {}, { objective: "saddle" }) },
  torch: { lesson: lesson("adadelta", {}, { convention: "torch" }), controls: [["tj-landscape-x", "eta"]] },
  multi: { lesson: { ...lesson("rmsprop", {}), optimizers: ["gd", "momentum", "rmsprop"],
    hyperparameters: { gd: { eta: 0.4 }, momentum: { eta: 0.6, beta: 0.5 }, rmsprop: { eta: 0.4, gamma: 0.9, eps: 1e-6 } } },
  controls: [["tj-landscape-optimizer", "momentum"]] },
};

const style = document.createElement("style");
style.textContent = LANDSCAPE_CSS;
document.head.append(style);

export function setControl(tab, cls, value) {
  const root = tab.element;
  if (cls.endsWith("-span")) {
    const box = root.querySelector(`.${cls}`);
    const [low, high] = box.querySelectorAll("input");
    // the handles stop at the spec's spanStops: find a value by the label each position gives
    const find = (input, v) => {
      for (let k = 0; k <= Number(input.max); k++) {
        input.value = k;
        input.dispatchEvent(new Event("input"));
        if (Number(input.getAttribute("aria-valuetext")) === v) return;
      }
      throw new Error(`no stop ${v}`);
    };
    find(high, value[1]);
    high.dispatchEvent(new Event("change"));
    find(low, value[0]);
    low.dispatchEvent(new Event("change"));
    return;
  }
  const control = root.querySelector(`select.${cls}, input.${cls}`);
  control.value = value;
  control.dispatchEvent(new Event("input"));
  control.dispatchEvent(new Event("change"));
}

export function mount(name, theme = "light", into = document.getElementById("cases")) {
  const spec = CASES[name];
  const box = document.createElement("div");
  box.className = "case";
  box.innerHTML = `<h2>${name} (${theme})</h2>`;
  const app = document.createElement("div");
  app.className = `tj-app ${theme === "dark" ? "dark" : ""}`;
  app.dataset.case = name;
  box.append(app);
  into.append(box);
  let current = spec.lesson;
  const events = [];
  const tab = createLandscapeTab(app, {
    config,
    onPick: (optimizer, values) => {
      events.push({ pick: [optimizer, values] });
      current = { ...current, hyperparameters: { ...current.hyperparameters,
        [optimizer]: { ...current.hyperparameters[optimizer], ...values } } };
      tab.render({ lesson: current, visible: true });
    },
    onExport: (settings) => events.push({ export: settings, svg: tab.toSVG() }),
  });
  tab.render({ lesson: current, visible: true });
  for (const [cls, value] of spec.controls ?? []) setControl(tab, cls, value);
  const handle = { tab, events, get lesson() { return current; },
    setLesson(next) { current = next; tab.render({ lesson: current, visible: true }); } };
  window.harness.tabs[`${name}/${theme}`] = handle;
  return handle;
}

window.harness = { tabs: {}, mount, setControl, CASES, config };
const params = new URLSearchParams(location.search);
if (params.get("case") !== "none") {
  const names = params.get("case") ? params.get("case").split(",") : Object.keys(CASES);
  for (const name of names) mount(name, params.get("theme") ?? "light");
}
