// The whole app in the page: controls, the trajectories figure, its side panels and the Landscape tab, computed
// here by the engine's port, so a move never waits for the kernel.
//
// One-way flow: a control changes the lesson (lesson.js), the lesson is run (engine.js, a cache per optimizer)
// and the parts that depend on it are drawn again. The host is where the app lives: a kernel (widget.js: the
// lesson is sent to Python when a control is released, and Python can move it) or a page with no server
// (standalone.js). Nothing here knows which.

import katex from "katex";

import { APP_CSS } from "./app.css.js";
import { bookLine, run } from "../core/engine.js";
import { pyG } from "../core/format.js";
import { LANDSCAPE_CSS } from "../figures/landscape.css.js";
import { createLandscapeTab } from "./landscape_tab.js";
import * as L from "../core/lesson.js";
import { toQuery } from "../core/link.js";
import { etaLimit, getObjective } from "../core/objectives.js";
import { createPanels } from "../figures/panels.js";
import { createPlot, drawnUntil } from "../figures/plot.js";
import { PLOT_CSS } from "../figures/plot.css.js";
import { createSlider } from "./slider.js";

// The kernel learns the lesson when the hand rests (this long after the last change), and at once when it needs it
// (Export, the page hidden or closed): a burst of key presses is one message, not one per press (each message
// costs the kernel and Voila about 7 ms of CPU).
const SYNC_MS = 400;
const PLAY_MS = 250;

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const ICON = {
  play: '<svg aria-hidden="true" width="11" height="11" viewBox="0 0 10 10"><path d="M2 1l7 4-7 4z" fill="currentColor"/></svg>',
  pause: '<svg aria-hidden="true" width="11" height="11" viewBox="0 0 10 10"><path d="M2 1h2v8H2zM6 1h2v8H6z" fill="currentColor"/></svg>',
  reset: '<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><path d="M6 2a4 4 0 1 1-3.46 2H1l2.2-2.6L5.4 4H3.7A3 3 0 1 0 6 3z" fill="currentColor"/></svg>',
  download: '<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><path d="M5 1h2v5h2L6 9 3 6h2zM1 10h10v1.5H1z" fill="currentColor"/></svg>',
};

function iconButton(icon, label, attributes) {
  const button = h("button", { type: "button", ...attributes });
  button.innerHTML = `${ICON[icon]} <span>${label}</span>`;
  return button;
}

function installStyles(el) {
  const root = el.getRootNode();
  const target = root instanceof ShadowRoot ? root : document.head;
  if (target.querySelector?.("style[data-tj-styles]")) return;
  target.append(h("style", { "data-tj-styles": "1", text: APP_CSS + PLOT_CSS + LANDSCAPE_CSS }));
}

function download(name, data, mime) {
  const url = URL.createObjectURL(new Blob([data], { type: mime }));
  const a = h("a", { href: url, download: name, style: "display:none" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * Mount the app in `el`.
 *
 * @param {HTMLElement} el
 * @param {object} host see widget.js and standalone.js: {kind, config, lesson, notes, noise(seed), linkBase(),
 *   send(lesson), onLesson(cb), onNotes(cb), onNoise(cb), exportFigure(request), onStatus(cb)}
 * @returns {{destroy(), lesson, root}}
 */
export function createApp(el, host) {
  installStyles(el);
  const config = host.config;
  const boundText = pyG(config.bound);
  const state = {
    lesson: host.lesson,
    step: 0,
    scrubbed: false, // the highlight appears once the scrubber is used: the first picture is the book's
    notes: [...(host.notes ?? [])],
    tab: "trajectories",
    lost: null,
  };
  const cache = { runs: new Map(), objectiveKey: null, objective: null, noise: new Map(), hyperKey: null };
  const cleanups = [];

  // ---- the page ------------------------------------------------------------------------------------------
  const root = h("div", { class: "tj-app" });
  const status = h("div", { class: "tj-status", role: "alert" });
  const optimizerButtons = Object.fromEntries(config.rules.map((name) => [name, h("button", {
    type: "button", class: `tj-optimizer-${name}`, "aria-pressed": "false",
    title: `show ${name} (at most ${config.maxOptimizers} at once)`,
    onclick: () => guard(() => toggleOptimizer(name)),
  }, h("span", { class: "tj-swatch" }), name)]));
  const optimizerBox = h("div", { class: "tj-optimizer", role: "group", "aria-label": "optimizers" },
    ...Object.values(optimizerButtons));
  const objective = h("select", { class: "tj-objective", "aria-label": "objective",
    onchange: (e) => guard(() => change(L.withSettings(state.lesson, { objective: e.target.value }))) },
  ...Object.keys(config.objectives).map((name) => h("option", { value: name, text: name })));
  const formula = h("div", { class: "tj-formula", "aria-live": "polite" });
  const condition = createSlider({ label: "condition", classes: ["tj-condition"], stops: config.general.condition.stops,
    value: state.lesson.condition, format: (v) => pyG(v, 3),
    title: "condition number of the general quadratic: λmax / λmin",
    onChange: (v) => guard(() => change(L.withSettings(state.lesson, { condition: v }))) });
  const angle = createSlider({ label: "angle °", classes: ["tj-angle"], stops: config.general.angle.stops,
    value: state.lesson.angle, format: (v) => String(v), title: "rotation of the general quadratic's axes",
    onChange: (v) => guard(() => change(L.withSettings(state.lesson, { angle: v }))) });
  const generalBox = h("div", { class: "tj-general" }, condition.element, angle.element);
  const conventionButtons = {
    d2l: h("button", { type: "button", "aria-pressed": "true", title: "d2l's formulas and constants",
      onclick: () => guard(() => setConvention("d2l")) }, "book"),
    torch: h("button", { type: "button", "aria-pressed": "false", title: "torch.optim's formulas",
      onclick: () => guard(() => setConvention("torch")) }, "torch"),
  };
  const convention = h("div", { class: "tj-convention", role: "group", "aria-label": "convention" },
    conventionButtons.d2l, conventionButtons.torch);
  const steps = createSlider({ label: "steps", classes: ["tj-steps"], stops: config.stepStops,
    value: state.lesson.steps, format: String, title: `steps to run, 1 to ${config.pageSteps}`,
    onChange: (v) => guard(() => change(L.withSettings(state.lesson, { steps: v }))) });
  const startX1 = h("input", { type: "number", step: "0.1", class: "tj-start-x1", "aria-label": "start x1",
    onchange: () => guard(setStartFromFields) });
  const startX2 = h("input", { type: "number", step: "0.1", class: "tj-start-x2", "aria-label": "start x2",
    onchange: () => guard(setStartFromFields) });
  const reset = iconButton("reset", "Reset", { class: "tj-reset",
    title: "back to the book's defaults (keeps the optimizers and the objective)",
    onclick: () => guard(onReset) });
  const exportButton = iconButton("download", "Export SVG", { class: "tj-export",
    title: "download the figure on screen as SVG", onclick: () => guard(onExport) });
  const exportOutput = h("div", { class: "tj-export-output", "aria-live": "polite" });
  const readout = h("div", { class: "tj-readout", "aria-label": "where each path ends, in the book's words" });
  const controls = h("div", { class: "tj-controls" },
    optimizerBox,
    h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: "objective" }), objective),
    formula, generalBox,
    h("div", { class: "tj-field" }, h("span", { class: "tj-name", text: "convention" }), convention),
    steps.element,
    h("div", { class: "tj-field tj-start-fields" }, h("span", { class: "tj-name", text: "start" }),
      h("label", {}, "x1 ", startX1), h("label", {}, "x2 ", startX2)),
    h("div", { class: "tj-hint", text: "or click on the plot, or drag the start point" }),
    h("div", { class: "tj-tools" }, reset, exportButton),
    exportOutput);

  const plot = createPlot(h("div"), { onStart: (x1, x2) => guard(() => setStart(x1, x2)) });
  const panels = createPanels(h("div"));
  const figure = h("div", { class: "tj-figure" }, plot.element, panels.element);
  const play = iconButton("play", "Play", { class: "tj-play", "aria-pressed": "false",
    title: "step through the run", onclick: () => guard(togglePlay) });
  const step = createSlider({ label: "step", classes: ["tj-step"], stops: range(0, state.lesson.steps, 1), value: 0,
    format: String, title: "the highlighted step",
    onChange: (v) => guard(() => { state.scrubbed = true; state.step = v; scheduleDraw(); }) });
  const message = h("div", { class: "tj-message", "aria-live": "polite" });
  const hyper = h("div", { class: "tj-hyper" });
  const trajectoriesPanel = h("div", { class: "tj-panel", role: "tabpanel", id: uid("panel") },
    figure,
    h("div", { class: "tj-scrub" }, play, step.element),
    h("div", { class: "tj-hint", text: "at the highlighted step: grey dashed arrow = −η·∇f, coloured arrow = the "
      + "actual update" }),
    readout, message, hyper);
  const landscape = createLandscapeTab(h("div"), { config,
    onPick: (name, values) => guard(() => {
      let next = state.lesson;
      for (const [key, value] of Object.entries(values)) next = L.withHyperparameter(next, name, key, value);
      change(next);
    }),
    onExport: (settings) => guard(() => exportLandscape(settings)) });
  const landscapePanel = h("div", { class: "tj-panel", role: "tabpanel", id: uid("panel"), hidden: true },
    landscape.element);
  const tabs = {
    trajectories: h("button", { type: "button", role: "tab", "aria-selected": "true",
      "aria-controls": trajectoriesPanel.id, onclick: () => guard(() => selectTab("trajectories")) }, "Trajectories"),
    landscape: h("button", { type: "button", role: "tab", "aria-selected": "false", tabindex: "-1",
      "aria-controls": landscapePanel.id, onclick: () => guard(() => selectTab("landscape")) }, "Landscape"),
  };
  const tablist = h("div", { class: "tj-tablist tj-tabs", role: "tablist", onkeydown: onTabKey },
    tabs.trajectories, tabs.landscape);
  const view = h("div", { class: "tj-view" }, tablist, trajectoriesPanel, landscapePanel);
  const link = h("input", { type: "text", class: "tj-link", readonly: true, "aria-label": "link to this lesson" });
  const copy = h("button", { type: "button", class: "tj-copy", onclick: () => guard(copyLink) }, "Copy");
  root.append(status, h("div", { class: "tj-main" }, controls, view),
    h("div", { class: "tj-linkrow" }, h("span", { class: "tj-name", text: "link" }), link, copy));
  el.append(root);

  // ---- controls -> lesson --------------------------------------------------------------------------------
  // Any error of a control reaches the page as one line, never the console alone (async ones too).
  function guard(action) {
    const report = (error) => {
      say([`Something went wrong: ${error.message}`], true);
      console.warn("trajectories:", error); // eslint-disable-line no-console
    };
    try {
      const result = action();
      if (result && typeof result.catch === "function") result.catch(report);
    } catch (error) {
      report(error);
    }
  }

  let syncTimer = null;
  let sent = JSON.stringify(state.lesson);
  function flush() {
    clearTimeout(syncTimer);
    syncTimer = null;
    const text = JSON.stringify(state.lesson);
    if (text === sent || state.lost) return;
    sent = text;
    host.send(state.lesson);
  }
  function sync() {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(flush, SYNC_MS);
  }
  const onHide = () => { if (document.visibilityState === "hidden") flush(); };
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flush);
  cleanups.push(() => {
    document.removeEventListener("visibilitychange", onHide);
    window.removeEventListener("pagehide", flush);
  });

  // A drag or a held key can change the lesson many times per frame: draw once per frame, just before it.
  let frame = 0;
  function schedule() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; guard(render); });
  }

  function change(lesson) {
    if (L.sameLesson(lesson, state.lesson)) return; // a key released, a handle let go: nothing new to draw
    state.notes = [];
    state.lesson = lesson;
    schedule();
    sync();
  }

  function toggleOptimizer(name) {
    const shown = state.lesson.optimizers;
    const next = shown.includes(name) ? shown.filter((n) => n !== name) : [...shown, name];
    if (next.length === 0) return say(["Show at least one optimizer."]);
    if (next.length > config.maxOptimizers) {
      return say([`At most ${config.maxOptimizers} optimizers at once: hide one first.`]);
    }
    change(L.withOptimizers(config, state.lesson, next));
  }

  function setConvention(name) {
    if (name === state.lesson.convention) return;
    const lesson = L.withConvention(config, state.lesson, name);
    const which = name === "torch" ? "torch.optim's" : "the book's";
    change(lesson);
    state.notes = [`Convention ${name}: the same values through ${which} formulas (where eps sits, Adadelta's lr); `
      + "Reset gives the book's defaults."];
  }

  function setStart(x1, x2) {
    change(L.withSettings(state.lesson, { start: [x1, x2] }));
  }

  function setStartFromFields() {
    const x1 = Number(startX1.value), x2 = Number(startX2.value);
    const ok = (v) => startX1.value !== "" && Number.isFinite(v) && Math.abs(v) <= config.bound;
    if (!ok(x1) || !ok(x2)) {
      startX1.value = String(state.lesson.start[0]);
      startX2.value = String(state.lesson.start[1]);
      return say([`The start must be two finite numbers with |x1|, |x2| <= ${boundText}. `
        + `Got ${startX1.value || "nothing"}, ${startX2.value || "nothing"} instead.`], true);
    }
    setStart(x1, x2);
  }

  function onReset() {
    stopPlay();
    state.scrubbed = false;
    state.step = 0;
    change(L.reset(config, state.lesson));
    scheduleDraw(); // the highlight goes even when the settings were the book's already
  }

  let timer = null;
  function togglePlay() {
    if (timer) return stopPlay();
    state.scrubbed = true;
    if (state.step >= state.lesson.steps) state.step = 0;
    play.innerHTML = `${ICON.pause} <span>Pause</span>`;
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      if (state.step >= state.lesson.steps) return stopPlay();
      state.step += 1;
      scheduleDraw();
    }, PLAY_MS);
    scheduleDraw();
  }
  function stopPlay() {
    clearInterval(timer);
    timer = null;
    play.innerHTML = `${ICON.play} <span>Play</span>`;
    play.setAttribute("aria-pressed", "false");
  }

  function selectTab(name) {
    state.tab = name;
    for (const [key, button] of Object.entries(tabs)) {
      button.setAttribute("aria-selected", String(key === name));
      button.tabIndex = key === name ? 0 : -1;
    }
    trajectoriesPanel.hidden = name !== "trajectories";
    landscapePanel.hidden = name !== "landscape";
    drawLandscape();
  }
  function onTabKey(event) {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const next = state.tab === "trajectories" ? "landscape" : "trajectories";
    selectTab(next);
    tabs[next].focus();
    event.preventDefault();
  }

  async function onExport() {
    flush(); // the kernel draws what is on screen
    const request = { kind: "trajectories", step: state.scrubbed ? state.step : null };
    const remote = host.exportFigure ? host.exportFigure(request) : null;
    if (remote) {
      exportOutput.textContent = "Preparing the figure…";
      try {
        const { name, data, mime } = await remote;
        download(name, data, mime);
        exportOutput.textContent = `Downloaded ${name}`;
      } catch (error) {
        exportOutput.textContent = `Export failed: ${error.message}`;
      }
      return;
    }
    const name = `trajectories_${state.lesson.optimizers.join("_vs_")}.svg`;
    download(name, composeSvg(plot.toSVG(), panels.toSVG()), "image/svg+xml");
    // The command that makes the book-style file of this very lesson, ready to copy (a query holds no quote).
    const step = state.scrubbed ? ` --step ${Math.min(state.step, state.lesson.steps)}` : "";
    const command = `trajectories export --link '${toQuery(config, state.lesson)}' --loss${step}`;
    exportOutput.replaceChildren(`Downloaded ${name}: the figure as drawn on screen. This page has no server; `
      + "the book-style file of this lesson is made by ", h("code", { class: "tj-export-command", text: command }));
  }

  async function exportLandscape(settings) {
    flush();
    const remote = host.exportFigure ? host.exportFigure({ kind: "landscape", ...settings }) : null;
    if (remote) {
      const { name, data, mime } = await remote;
      download(name, data, mime);
      return;
    }
    download(`landscape_${settings.optimizer}_${settings.axes.join("_x_")}.svg`, landscape.toSVG(), "image/svg+xml");
  }

  function copyLink() {
    link.select();
    const done = (text) => {
      copy.textContent = text;
      setTimeout(() => { copy.textContent = "Copy"; }, 2000);
    };
    // The clipboard API exists only in secure contexts (https, localhost): elsewhere the link is selected for ⌘C.
    if (!navigator.clipboard) return done("Selected");
    return navigator.clipboard.writeText(link.value).then(() => done("Copied"), () => done("Selected"));
  }

  // ---- lesson -> picture ---------------------------------------------------------------------------------
  function objectiveOf(lesson) {
    const general = lesson.objective === "general";
    const key = general ? `general:${lesson.condition}:${lesson.angle}` : lesson.objective;
    if (key !== cache.objectiveKey) {
      const o = getObjective(config, lesson.objective, { condition: lesson.condition, angle: lesson.angle });
      cache.objective = { ...o, key };
      cache.objectiveKey = key;
      formula.innerHTML = katex.renderToString(o.latex, { output: "mathml", throwOnError: false });
    }
    return cache.objective;
  }

  function noiseFor(seed) {
    if (!cache.noise.has(seed)) {
      const table = host.noise(seed);
      if (!table) return null;
      cache.noise.set(seed, L.noisePairs(table));
    }
    return cache.noise.get(seed);
  }

  function runs(lesson) {
    const out = {};
    const used = new Map();
    for (const name of lesson.optimizers) {
      const key = L.runKey(lesson, name);
      let result = cache.runs.get(key);
      if (!result) {
        const noise = name === "sgd" ? noiseFor(lesson.seed) : undefined;
        if (name === "sgd" && !noise) {
          throw new Error(`SGD's noise for seed ${lesson.seed} is not in this page.`);
        }
        result = run(name, L.runOptions(lesson, name, noise), config);
      }
      used.set(key, result);
      out[name] = result;
    }
    cache.runs = used;
    return out;
  }

  // The grey of the gradient arrow follows the theme (the book's #555 is faint on a dark page). It is read after
  // the first frame: reading a computed style while the page is being built would force an extra style pass.
  let colors = config.colors;
  requestAnimationFrame(() => guard(() => {
    const grey = getComputedStyle(root).getPropertyValue("--tj-fg2").trim();
    if (grey && grey !== colors.gradient) {
      colors = { ...config.colors, gradient: grey };
      scheduleDraw();
    }
  }));
  function themeColors() {
    return colors;
  }

  let stepFrame = 0;
  function scheduleDraw() {
    if (!stepFrame) stepFrame = requestAnimationFrame(() => { stepFrame = 0; guard(draw); });
  }

  let current = {};
  function render() {
    const lesson = state.lesson;
    syncControls(lesson);
    current = runs(lesson);
    draw();
    // Text that did not change is not written again: each write costs the page a layout.
    const lines = lesson.optimizers.map((name) => [name, `: ${bookLine(current[name], config.bound)}`]);
    if (JSON.stringify(lines) !== cache.readout) {
      cache.readout = JSON.stringify(lines);
      readout.replaceChildren(...lines.map(([name, text]) => h("div", {}, h("b", { text: name }), text)));
    }
    const address = `${host.linkBase()}?${toQuery(config, lesson)}`;
    if (link.value !== address) link.value = address;
    drawStability(lesson);
    showMessages();
    drawLandscape();
  }

  function draw() {
    const lesson = state.lesson;
    const objectiveNow = objectiveOf(lesson);
    const colors = L.colorsFor(config, lesson.optimizers);
    const stepShown = state.scrubbed ? Math.min(state.step, lesson.steps) : null;
    const optimizers = lesson.optimizers.map((name, i) => ({
      name, color: colors[name], label: name,
      marker: lesson.optimizers.length > 1 ? config.markers[i % config.markers.length] : "circle",
      run: current[name], eta: lesson.hyperparameters[name].eta ?? 1,
    }));
    plot.render({ objective: objectiveNow, optimizers, start: lesson.start, steps: lesson.steps, step: stepShown,
      colors: themeColors() });
    panels.render({ optimizers, steps: lesson.steps, step: stepShown });
    if (step.value !== (stepShown ?? 0) || cache.stepStops !== lesson.steps) {
      cache.stepStops = lesson.steps;
      step.set(stepShown ?? 0, range(0, lesson.steps, 1));
    }
  }

  function drawLandscape() {
    const noise = state.lesson.optimizers.includes("sgd") ? noiseFor(state.lesson.seed) : null;
    landscape.render({ lesson: { ...state.lesson, noise }, visible: state.tab === "landscape" });
  }

  function drawStability(lesson) {
    const o = objectiveOf(lesson);
    for (const name of lesson.optimizers) {
      const note = root.querySelector(`.tj-${name}-stability`);
      if (!note) continue;
      const hp = lesson.hyperparameters[name];
      const limit = hp.eta === undefined ? null : etaLimit(name, o.hessian, hp.beta ?? 0);
      let className = `tj-stability tj-${name}-stability`, text = "";
      if (limit !== null) {
        const bound = { gd: "2/λmax", sgd: "2/λmax", momentum: "(2+2β)/λmax", nesterov: "(2+2β)/((1+2β)·λmax)" }[name];
        const lambda = 2 / etaLimit("gd", o.hessian);
        const inside = hp.eta < limit;
        className += inside ? " tj-inside" : " tj-outside";
        text = `stable for η < ${pyG(limit, 4)} = ${bound} (λmax\u00a0=\u00a0${pyG(lambda, 4)}): `
          + (inside ? "η is inside" : "η is past it: the run cannot converge");
      }
      if (note.className !== className) note.className = className;
      if (note.textContent !== text) note.textContent = text;
    }
  }

  function say(lines, bad = false) {
    state.notes = [...lines];
    showMessages(bad);
  }

  function showMessages(bad = false) {
    const lines = state.notes.map((text) => h("div", { class: bad ? "tj-msg-bad" : "tj-msg-note", text }));
    for (const name of state.lesson.optimizers) {
      const r = current[name];
      if (!r) continue;
      if (r.divergedAt !== null) {
        lines.push(h("div", { class: "tj-msg-bad", text: `${name} diverged at step ${r.divergedAt}: |x| passed `
          + `${boundText}; drawn up to where it left the plot.` }));
      } else {
        const o = cache.objective;
        const left = drawnUntil(r, o.xlim, o.ylim);
        if (left < state.lesson.steps) {
          lines.push(h("div", { class: "tj-msg-bad", text: `${name} left the plot at step ${left} and is still outside `
            + `it after ${state.lesson.steps} steps.` }));
        }
      }
    }
    const text = JSON.stringify(lines.map((l) => [l.className, l.textContent]));
    if (text !== cache.message) {
      cache.message = text;
      message.replaceChildren(...lines);
    }
  }

  function syncControls(lesson) {
    const colors = L.colorsFor(config, lesson.optimizers);
    const shown = JSON.stringify([lesson.optimizers, lesson.objective, lesson.convention]);
    if (shown !== cache.shown) { // what the buttons show changes only with these: left alone on a slider move
      cache.shown = shown;
      for (const [name, button] of Object.entries(optimizerButtons)) {
        const on = lesson.optimizers.includes(name);
        button.setAttribute("aria-pressed", String(on));
        button.firstChild.style.background = on ? colors[name] : "transparent";
        button.style.color = on ? colors[name] : "";
      }
      objective.value = lesson.objective;
      generalBox.hidden = lesson.objective !== "general";
      for (const [name, button] of Object.entries(conventionButtons)) {
        button.setAttribute("aria-pressed", String(name === lesson.convention));
      }
    }
    if (condition.value !== lesson.condition) condition.set(lesson.condition);
    if (angle.value !== lesson.angle) angle.set(lesson.angle);
    if (steps.value !== lesson.steps) steps.set(lesson.steps);
    for (const [field, v] of [[startX1, lesson.start[0]], [startX2, lesson.start[1]]]) {
      if (document.activeElement !== field && field.value !== String(v)) field.value = String(v);
    }
    const key = JSON.stringify([lesson.optimizers, lesson.convention]);
    if (key !== cache.hyperKey) {
      cache.hyperKey = key;
      cache.sliders = {};
      hyper.replaceChildren(...lesson.optimizers.map((name) => hyperColumn(lesson, name, colors[name])));
    }
    for (const [id, control] of Object.entries(cache.sliders)) {
      const [name, key_] = id.split("/");
      const value = lesson.hyperparameters[name][key_];
      if (control.set && control.value !== value) control.set(value);
      else if (control.type === "checkbox") control.checked = value;
      else if (control.tagName === "SELECT") control.value = value;
    }
  }

  function hyperColumn(lesson, name, color) {
    const table = L.specsOf(config, lesson.convention, name);
    const rows = [h("h3", { style: `color:${color}`, text: name })];
    for (const [key, spec] of Object.entries(table)) {
      const value = lesson.hyperparameters[name][key];
      const symbol = config.symbols[key] ?? key;
      const classes = [`tj-${key}`, `tj-${name}-${key}`];
      if (spec.choices && typeof spec.default === "boolean") {
        const box = h("input", { type: "checkbox", class: classes.join(" "), title: spec.description,
          onchange: (e) => guard(() => change(L.withHyperparameter(state.lesson, name, key, e.target.checked))) });
        box.checked = value;
        cache.sliders[`${name}/${key}`] = box;
        rows.push(h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), box,
          h("span", { class: "tj-hint", text: spec.description })));
      } else if (spec.choices) {
        const select = h("select", { class: classes.join(" "), title: spec.description, "aria-label": `${name} ${key}`,
          onchange: (e) => guard(() => change(L.withHyperparameter(state.lesson, name, key, e.target.value))) },
        ...spec.choices.map((c) => h("option", { value: c, text: c })));
        select.value = value;
        cache.sliders[`${name}/${key}`] = select;
        rows.push(h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), select));
      } else {
        const slider = createSlider({ label: symbol, classes, stops: spec.stops, value, format: (v) => pyG(v, 4),
          title: `${spec.description} (${key})`,
          onChange: (v) => guard(() => change(L.withHyperparameter(state.lesson, name, key, v))) });
        cache.sliders[`${name}/${key}`] = slider;
        rows.push(slider.element);
      }
    }
    rows.push(h("div", { class: `tj-stability tj-${name}-stability` }));
    return h("div", { class: "tj-hyper-column", role: "group", "aria-label": `${name} hyperparameters` }, ...rows);
  }

  // ---- the host's side -----------------------------------------------------------------------------------
  cleanups.push(host.onLesson?.((lesson) => guard(() => {
    if (L.sameLesson(lesson, state.lesson)) return;
    sent = JSON.stringify(lesson);
    state.lesson = lesson;
    schedule();
  })));
  cleanups.push(host.onNotes?.((notes) => guard(() => say(notes))));
  cleanups.push(host.onNoise?.(() => guard(() => { cache.noise.clear(); cache.runs.clear(); render(); })));
  cleanups.push(host.onStatus?.((lost) => {
    state.lost = lost;
    status.classList.toggle("tj-shown", Boolean(lost));
    exportButton.disabled = Boolean(lost);
    if (lost) {
      const again = h("button", { type: "button", class: "tj-reload", onclick: () => window.location.reload() },
        "Reload");
      status.replaceChildren(h("span", { text: lost }), again);
    }
  }));

  render();
  showMessages();

  return {
    root,
    get lesson() { return state.lesson; },
    destroy() {
      stopPlay();
      cancelAnimationFrame(frame);
      cancelAnimationFrame(stepFrame);
      clearTimeout(syncTimer);
      for (const cleanup of cleanups) if (typeof cleanup === "function") cleanup();
      plot.destroy();
      panels.destroy();
      landscape.destroy();
      root.remove();
    },
  };
}

function range(low, high, step) {
  const out = [];
  for (let v = low; v <= high; v += step) out.push(v);
  return out;
}

let uids = 0;
function uid(prefix) {
  uids += 1;
  return `tj-${prefix}-${uids}`;
}

function composeSvg(plotSvg, panelsSvg) {
  const size = (svg) => {
    const m = /width="([\d.]+)"[^>]*height="([\d.]+)"/.exec(svg);
    return m ? [Number(m[1]), Number(m[2])] : [0, 0];
  };
  const [w1, h1] = size(plotSvg), [w2, h2] = size(panelsSvg);
  const inner = (svg, x) => svg.replace(/^<svg/, `<svg x="${x}" y="0"`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w1 + w2}" height="${Math.max(h1, h2)}" `
    + `viewBox="0 0 ${w1 + w2} ${Math.max(h1, h2)}">${inner(plotSvg, 0)}${inner(panelsSvg, w1)}</svg>`;
}
