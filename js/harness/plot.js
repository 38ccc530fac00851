// A page that draws the figure and the panels for a few settings, light and dark, for screenshots and timings.
// Not shipped: built by `node harness/build.mjs` into harness/dist (git-ignored).
import { getObjective, run } from "../src/engine.js";
import { createPanels } from "../src/panels.js";
import { PLOT_CSS } from "../src/plot.css.js";
import { createPlot } from "../src/plot.js";

const BOOK = "#ff7f0e";
const PALETTE = ["#D55E00", "#009E73", "#CC79A7", "#E69F00"];
const MARKERS = ["circle", "square", "triangle", "diamond"];
const COLORS = { contour: "#1f77b4", gradient: "#555555" };

function noise(steps, seed = 7) { // a stand-in for Python's: any fixed normal noise will do here
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  return Array.from({ length: steps }, () => {
    const r = Math.sqrt(-2 * Math.log(u())), a = 2 * Math.PI * u();
    return [r * Math.cos(a), r * Math.sin(a)];
  });
}

function objectiveView(name, params = {}) {
  const o = getObjective(name, params);
  return { key: `${name}${JSON.stringify(params)}`, name: o.name, f: o.f, grad: o.grad, xlim: o.xlim, ylim: o.ylim,
    minima: o.minima, saddles: o.saddles, levels: o.levels };
}

function view({ objective = "quadratic", optimizers, start = [-5, -2], steps = 20, step = null }) {
  const several = optimizers.length > 1;
  return {
    objective: objectiveView(objective),
    optimizers: optimizers.map(([name, hp], i) => {
      const options = { objective, start, steps, ...hp };
      if (name === "sgd") options.noise = noise(steps);
      const r = run(name, options);
      return { name, label: name, color: several ? PALETTE[i] : BOOK, marker: MARKERS[i], run: r,
        eta: name === "adadelta" ? 1 : (hp.eta ?? { gd: 0.4, sgd: 0.1, momentum: 0.6, nesterov: 0.3 }[name] ?? 0.4) };
    }),
    start, steps, step, colors: COLORS,
  };
}

const CASES = {
  rmsprop: view({ optimizers: [["rmsprop", { eta: 0.4, gamma: 0.9 }]], step: 4 }),
  gd06: view({ optimizers: [["gd", { eta: 0.6 }]], step: 6 }),
  three: view({ optimizers: [["momentum", {}], ["adagrad", {}], ["rmsprop", {}]], step: 4 }),
  saddle: view({ objective: "saddle", optimizers: [["sgd", { eta: 0.1 }], ["gd", { eta: 0.5 }]], start: [1, 0],
    step: 3 }),
  minimum: view({ optimizers: [["gd", {}]], start: [0, 0], step: 2 }),
  four500: view({ optimizers: [["gd", { eta: 0.1 }], ["momentum", { eta: 0.05, beta: 0.9 }], ["adam", { eta: 0.05 }],
    ["adagrad", { eta: 0.8 }]], steps: 500, step: 250 }),
  rosenbrock: view({ objective: "rosenbrock",
    optimizers: [["adam", { eta: 0.05 }], ["momentum", { eta: 1e-3, beta: 0.9 }]],
    start: [-1.5, 2], steps: 200, step: 40 }),
  himmelblau: view({ objective: "himmelblau", optimizers: [["rmsprop", { eta: 0.3 }], ["nesterov", { eta: 0.01 }]],
    start: [-0.5, -0.5], steps: 60, step: 10 }),
};

const style = document.createElement("style");
style.textContent = PLOT_CSS;
document.head.append(style);

const figures = {};
const root = document.getElementById("cases");
for (const theme of ["light", "dark"]) {
  for (const [name, v] of Object.entries(CASES)) {
    const box = document.createElement("div");
    box.className = `tj-app case ${theme}`;
    box.id = `${name}-${theme}`;
    root.append(box);
    const onStart = (x1, x2, info) => { (window.starts ??= []).push([box.id, x1, x2, info.final]); };
    const plot = createPlot(box, { onStart });
    const panels = createPanels(box);
    plot.render(v);
    panels.render(v);
    figures[`${name}-${theme}`] = { plot, panels };
  }
}

// Timings: render() with a new run on every call (a slider move), and with only the step changing (the scrubber).
function bench(count, steps, repeats = 200) {
  const names = ["gd", "momentum", "adam", "adagrad"].slice(0, count);
  const etas = Array.from({ length: 16 }, (_, i) => 0.05 + i * 0.01);
  const views = etas.map((eta) => view({ optimizers: names.map((n) => [n, { eta }]), steps,
    step: Math.floor(steps / 2) }));
  const box = document.createElement("div");
  box.className = "tj-app case light";
  root.append(box);
  const plot = createPlot(box, {}), panels = createPanels(box);
  plot.render(views[0]);
  panels.render(views[0]);
  const time = (f) => {
    const t = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      f(i);
      t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    return { median: t[t.length >> 1], p90: t[Math.floor(t.length * 0.9)], max: t[t.length - 1] };
  };
  const moveP = time((i) => plot.render(views[i % views.length]));
  const moveB = time((i) => { const v = views[i % views.length]; plot.render(v); panels.render(v); });
  const moveL = time((i) => { const v = views[i % views.length]; plot.render(v); panels.render(v);
    box.getBoundingClientRect(); document.body.offsetHeight; });
  const panelsOnly = time((i) => panels.render(views[i % views.length]));
  // new run objects with the same numbers: the paths are redrawn, the axes stay
  const copies = () => ({ ...views[0], optimizers: views[0].optimizers.map((o) => ({ ...o, run: { ...o.run } })) });
  const panelsSame = time(() => panels.render(copies()));
  const scrub = time((i) => { const v = { ...views[0], step: i % (steps + 1) }; plot.render(v); panels.render(v); });
  box.remove();
  return { optimizers: count, steps, plot: moveP, plotAndPanels: moveB, panelsOnly, panelsSameLimits: panelsSame,
    withLayout: moveL, scrub };
}

const makePlot = (box) => ({ plot: createPlot(box, {}), panels: createPanels(box) });
window.harness = { figures, CASES, bench, view, makePlot };
window.harnessReady = true;
