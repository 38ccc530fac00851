// The whole app in the page: controls, the trajectories figure, its side panels and the Landscape tab, computed
// here by the engine's port, so a move never waits for the kernel.
//
// One-way flow: a control changes the lesson (core/lesson.js), the lesson is run (core/runs.js, a cache per run)
// and the parts that depend on it are drawn again, once per frame. The model is anywidget's (get, set,
// save_changes, on, off, send): a kernel's widget (hosts/widget.js: the lesson goes to Python when the hand
// rests, and Python can move it) or the page's own (hosts/standalone.js). Nothing here knows which.
//
// Every word comes from the tables of messages in the page's language (core/i18n.js): the model's lang ("en",
// "zh", or "" for the reader's browser language). Another language builds the app's content again in it, keeping
// the lesson, the notes, the highlighted step and the tab shown.

import { displayToQuery, shows } from "../core/display.js";
import { pyG } from "../core/format.js";
import { DEFAULT_LANGUAGE, checkLanguage, message, pickLanguage, translator } from "../core/i18n.js";
import * as L from "../core/lesson.js";
import { toQuery } from "../core/link_write.js";
import { fileName } from "../core/names.js";
import { FormulaError } from "../core/formula.js";
import { checkObjective, getObjective } from "../core/objectives.js";
import { tableFor as noiseTable } from "../core/noise.js";
import { createRuns } from "../core/runs.js";
import { LANDSCAPE_CSS } from "../figures/landscape.css.js";
import { createPanels } from "../figures/panels.js";
import { PLOT_CSS } from "../figures/plot.css.js";
import { createPlot } from "../figures/plot.js";
import { asOnScreen, backgroundOf, svgFile } from "../figures/svg_file.js";
import { APP_CSS } from "./app.css.js";
import { createArrangement } from "./arrange.js";
import { showBanner } from "./banner.js";
import { createControls } from "./controls.js";
import { h, installStyles } from "./dom.js";
import { createExports } from "./exports.js";
import { createHyper } from "./hyper.js";
import { INSPECTOR_CSS } from "./inspector.css.js";
import { createInspector } from "./inspector.js";
import { createLandscapeTab } from "./landscape_tab.js";
import { createLessonSync } from "./lesson_sync.js";
import { createMessages } from "./messages.js";
import { createScrubber } from "./scrubber.js";
import { createTabs } from "./tabs.js";

/** The language the page speaks: the model's lang if it names one, else the reader's browser's. */
export function pageLanguage(model) {
  return checkLanguage(model.get("lang")) ?? pickLanguage(globalThis.navigator?.languages);
}

/**
 * Mount the app in `el`.
 *
 * @param {HTMLElement} el
 * @param {object} model anywidget's model interface over the state Python writes (trajectories/app.py): config,
 *   lesson, display (presenter, controls, panels, view: trajectories.display), notes (text, or messages as {key,
 *   params}), link_base, lang; exporter "page" where no kernel renders exports (the standalone page)
 * @returns {{root, lesson, lang, offline(reason), destroy()}} offline: the kernel ("kernel") or the server
 *   ("server") is gone: a banner says so, nothing is sent, Export saves the figure as drawn and says why; no GIF
 */
export function createApp(el, model) {
  installStyles(el, APP_CSS + PLOT_CSS + LANDSCAPE_CSS + INSPECTOR_CSS);
  const root = h("div", { class: "tj-app" });
  el.append(root);
  let view = null, lost = null;

  function mount(kept) {
    const t = translator(model.get("config").messages, pageLanguage(model));
    root.lang = t("lang.tag");
    view = createView(root, model, t, kept);
    if (lost) {
      view.offline();
      showBanner(root, t, lost);
    }
  }
  const onLanguage = () => {
    if (view.t.lang === pageLanguage(model)) return;
    const kept = view.keep();
    view.destroy();
    mount(kept);
  };
  model.on("change:lang", onLanguage);
  mount(null);

  return {
    root,
    get lesson() { return view.lesson; },
    get lang() { return view.t.lang; },
    offline(reason) {
      lost = reason;
      view.offline();
      showBanner(root, view.t, reason);
    },
    destroy() {
      model.off("change:lang", onLanguage);
      view.destroy();
      root.remove();
    },
  };
}

// The app's content in one language, appended to `root`; `kept` is what a previous language had on screen.
function createView(root, model, t, kept) {
  const config = model.get("config");
  const boundText = pyG(config.bound);
  let lesson = kept?.lesson ?? model.get("lesson"), notes = [...(kept?.notes ?? model.get("notes") ?? [])];
  let current = [], said = [], objective = null; // the lesson's runs (runs.of) and their labels as said, per render
  let display = kept?.display ?? { ...config.display.default, ...(model.get("display") ?? {}) }, dark = false;
  let selected = kept?.selected ?? null; // the run (by key) whose step the inspector shows
  const runs = createRuns(config);
  const sync = createLessonSync(model, model.get("lesson"));
  if (kept) sync.send(lesson); // what the hand changed in the other language and not yet sent
  const exports = createExports(model, t);

  // Any error of a control reaches the page as one line, never the console alone (async ones too).
  const guard = (action) => (...args) => {
    const report = (error) => {
      say([message("app.error", { error: error.note ?? error.message })], true); // a FormulaError's in words
      console.warn("trajectories:", error); // eslint-disable-line no-console
    };
    try {
      const result = action(...args);
      if (result && typeof result.catch === "function") result.catch(report);
    } catch (error) {
      report(error);
    }
  };

  // ---- the page ------------------------------------------------------------------------------------------
  const controls = createControls(config, t, lesson, {
    optimizer: guard(toggleOptimizer),
    objective: guard((name) => change(L.withSettings(lesson, { objective: name, window: null }))),
    formula: guard(typeFormula),
    settings: guard((settings) => change(L.withSettings(lesson, settings))),
    convention: guard(setConvention),
    start: guard(startFromFields),
    reset: guard(() => {
      scrubber.reset();
      change(L.reset(config, lesson));
      scheduleDraw(); // the highlight goes even when the settings were the book's already
    }),
    export: guard(exportFigure),
    exportGif: guard(exportGif),
  });
  controls.gifButton.hidden = exports.local; // a GIF is drawn by the kernel's matplotlib
  const setStart = guard((x1, x2) => change(L.withSettings(lesson, { start: [x1, x2] })));
  const plotBox = h("div", { class: "tj-plot-box" });
  const plot = createPlot(plotBox, { t, onStart: setStart, onPick: guard((name, step) => {
    selected = name;
    scrubber.set(step);
  }) });
  const panelsBox = h("div", { class: "tj-panels-box" });
  const panels = createPanels(panelsBox, { t });
  const inspector = createInspector(config, t, { onSelect: guard((name) => {
    selected = name;
    scheduleDraw();
  }), onToggle: guard(() => scheduleDraw()) }, kept?.inspector);
  const scrubber = createScrubber(t, lesson.steps, guard(() => scheduleDraw()), kept?.scrubber);
  const messages = createMessages(config, t);
  const hyper = createHyper(config, t, {
    resized: () => arrangement.relayout(),
    setting: guard((index, name, value) => change(L.withSetting(config, lesson, index, name, value))),
    duplicate: guard((index) => {
      if (lesson.runs.length >= config.maxRuns) return say([message("app.at_most_runs", { count: config.maxRuns })]);
      return change(L.withRunDuplicated(lesson, index));
    }),
    remove: guard((index) => {
      if (lesson.runs.length === 1) return say([message("app.at_least_one_run")]);
      return change(L.withoutRun(lesson, index));
    }),
  });
  const landscape = createLandscapeTab(h("div"), { config, t,
    onPick: guard((index, values) => {
      let next = lesson;
      for (const [key, value] of Object.entries(values)) next = L.withSetting(config, next, index, key, value);
      change(next);
    }),
    onExport: guard(exportLandscape) });
  const tabs = createTabs([
    { name: "trajectories", label: t("tab.trajectories"), content: h("div", { class: "tj-stage" }, plotBox,
      scrubber.element) },
    { name: "landscape", label: t("tab.landscape"), content: landscape.element },
  ], guard(drawLandscape), kept?.tab);
  const hint = h("div", { class: "tj-hint tj-step-hint", text: t("hint.arrows") });
  // the step inspector beside the plot, under the runs' sliders and the words about the step (on a narrow screen,
  // under them too, after the plot)
  const side = h("div", { class: "tj-side" }, controls.element, hyper.element, messages.message, messages.readout,
    hint, inspector.element);
  const arrangement = createArrangement({ figure: tabs.element, side, plotBox, plot, panelsBox, panels,
    hyper: hyper.element, onLayout: () => scheduleDraw(),
    state: () => ({ display, runs: lesson.runs.length, tabs: shows(display, "landscape") }) });
  const link = h("input", { type: "text", class: "tj-link", readonly: true, "aria-label": t("link.aria") });
  const copy = h("button", { type: "button", class: "tj-copy", onclick: guard(() => copyLink(t, link, copy)) },
    t("link.copy"));
  const presenter = h("button", { type: "button", class: "tj-presenter", "aria-pressed": "false",
    title: t("control.presenter_title"), onclick: guard(() => setDisplay({
      ...display, presenter: !display.presenter })) }, t("control.presenter"));
  const languages = createLanguageSwitch(config, t, guard(setLanguage));
  const linkRow = h("div", { class: "tj-linkrow" }, h("span", { class: "tj-name", text: t("link.name") }), link, copy,
    presenter, languages);
  const content = [arrangement.element, linkRow];
  root.append(...content);

  // ---- controls -> lesson --------------------------------------------------------------------------------
  function change(next) {
    if (L.sameLesson(next, lesson)) return; // a key released, a handle let go: nothing new to draw
    notes = [];
    lesson = next;
    schedule();
    sync.send(lesson);
  }

  // An optimizer's button runs it, or stops every run of it (a run's duplicate button runs one again).
  function toggleOptimizer(name) {
    const kept = lesson.runs.filter((r) => r.optimizer !== name);
    if (kept.length < lesson.runs.length) {
      if (kept.length === 0) return say([message("app.at_least_one_run")]);
      return change({ ...lesson, runs: kept });
    }
    if (lesson.runs.length >= config.maxRuns) return say([message("app.at_most_runs", { count: config.maxRuns })]);
    return change(L.withRunAdded(config, lesson, name));
  }

  // The formula field: what was typed, once it reads as a formula, becomes the objective, in the window it gets from
  // the start in use (kept in the lesson, so moving the start later leaves the view where it is, as for the built-in
  // objectives); until then the field's line says where it stops making sense, and the picture keeps the last good
  // one. A built-in objective's name typed there is that objective.
  function typeFormula(text) {
    if (!text.trim()) return controls.formulaError("");
    let objective, facts;
    try {
      objective = checkObjective(config, text);
      facts = getObjective(config, objective, { condition: lesson.condition, angle: lesson.angle,
        start: lesson.start });
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      return controls.formulaError(t.note(error.note));
    }
    controls.formulaError("");
    const builtIn = Object.hasOwn(config.objectives, objective);
    return change(L.withSettings(lesson, { objective, window: builtIn ? null : [...facts.xlim, ...facts.ylim] }));
  }

  function setConvention(name) {
    if (name === lesson.convention) return;
    change(L.withConvention(config, lesson, name));
    notes = [message(name === "torch" ? "app.convention_torch" : "app.convention_d2l")];
  }

  // The page's language, chosen here: the model keeps it (the kernel hears of it, for its exports), and the link
  // carries it from now on.
  function setLanguage(lang) {
    if (lang === t.lang && model.get("lang") === lang) return;
    model.set("lang", lang);
    model.save_changes();
  }

  function startFromFields(text1, text2) {
    const x1 = Number(text1), x2 = Number(text2);
    const ok = (text, v) => text !== "" && Number.isFinite(v) && Math.abs(v) <= config.bound;
    if (ok(text1, x1) && ok(text2, x2)) return change(L.withSettings(lesson, { start: [x1, x2] }));
    controls.showStart(lesson.start); // the fields go back to the start in use
    const [a, b] = lesson.start.map((v) => pyG(v));
    return say([message("app.bad_start", { x1_kept: a, x2_kept: b, bound: boundText,
      x1: text1.trim() || message("app.nothing"), x2: text2.trim() || message("app.nothing") })], true);
  }

  async function exportFigure() {
    const step = scrubber.shown(lesson.steps); // exactly what the plot highlights
    if (!exports.local) {
      sync.flush(); // the kernel draws what is on screen
      controls.exportOutput.textContent = t("export.preparing");
      try {
        const file = await exports.ask({ kind: "trajectories", step, lang: t.lang, inspector: inspected(step) });
        exports.save(file);
        controls.exportOutput.textContent = t("export.downloaded", { name: file.name });
        return;
      } catch (error) {
        if (!exports.local) {
          controls.exportOutput.textContent = t("export.failed", { error: error.message });
          return;
        } // the kernel went away while it was asked: the figure as drawn, below
      }
    }
    const name = fileName(config, lesson, "svg", step); // the name `trajectories export` gives the lesson
    const shown = display.panels ? [plot.element, panels.element] : [plot.element];
    const data = svgFile(asOnScreen(shown), { background: backgroundOf(plotBox) });
    exports.save({ name, data, mime: "image/svg+xml" });
    // The command that makes the book-style file of this very lesson, ready to copy (a query holds no quote): the
    // same figure as the kernel's Export gives (App.export), panels, presenter, view and language as on screen.
    const view = display.view === config.display.default.view ? "" : `&view=${display.view}`;
    const inspectedName = inspected(step);
    const command = `trajectories export --link '${toQuery(config, lesson)}${view}'`
      + (display.panels ? " --loss" : "") + (display.presenter ? " --style slides" : "")
      + (t.lang === "en" ? "" : ` --lang ${t.lang}`) + (step === null ? "" : ` --step ${step}`)
      + (inspectedName ? ` --inspector ${inspectedName}` : "");
    const why = model.get("exporter") === "page" ? "export.page_no_server" : "export.page_kernel_gone";
    controls.exportOutput.replaceChildren(t("export.page", { name, why: t(why) }),
      h("code", { class: "tj-export-command", text: command }));
  }

  // Play as a GIF, one frame per step: the kernel draws it as `trajectories export --format gif` does, and says
  // in words what it shows (its alt text, to paste with it, in the page's language).
  async function exportGif() {
    if (exports.local) return;
    sync.flush();
    controls.exportOutput.textContent = t("export.gif_frames", { frames: String(lesson.steps + 1) });
    try {
      const file = await exports.ask({ kind: "trajectories", format: "gif", lang: t.lang });
      exports.save(file);
      controls.exportOutput.replaceChildren(t("export.gif_done", { name: file.name }),
        h("span", { class: "tj-export-alt", text: file.alt ?? "" }));
    } catch (error) {
      controls.exportOutput.textContent = exports.local
        ? t("export.gif_needs_kernel", { command: `trajectories export --link '${toQuery(config, lesson)}' `
          + `--format gif${t.lang === "en" ? "" : ` --lang ${t.lang}`}` })
        : t("export.failed", { error: error.message });
    }
  }

  // The run whose step the inspector shows, for the exported figure (by its label, which `--inspector` takes as
  // it takes an optimizer's name): none while it is folded away.
  function inspected(step) {
    if (step === null || !inspector.open || inspector.shown.step === null) return undefined;
    const run = current.find((r) => r.key === inspector.shown.optimizer);
    return run ? run.label : undefined;
  }

  async function exportLandscape(settings) {
    if (!exports.local) {
      sync.flush();
      try {
        exports.save(await exports.ask({ kind: "landscape", ...settings, lang: t.lang }));
        return;
      } catch (error) {
        if (!exports.local) throw error;
      } // the kernel went away while it was asked: the map as drawn
    }
    exports.save({ name: `landscape_${settings.optimizer}_${settings.axes.join("_x_")}.svg`, data: landscape.toSVG(),
      mime: "image/svg+xml" });
  }

  // ---- lesson -> picture ---------------------------------------------------------------------------------
  // A drag or a held key can change the lesson many times per frame: draw once per frame, just before it.
  let frame = 0, stepFrame = 0;
  function schedule() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; guard(render)(); });
  }
  function scheduleDraw() {
    if (!stepFrame) stepFrame = requestAnimationFrame(() => { stepFrame = 0; guard(draw)(); });
  }

  // The figure's colours follow the theme: a dark page gets config.colors.dark (lighter contours and gradient
  // arrow) and each run's dark colour (gd's ink). Read after the first frame: reading a computed style while the
  // page is being built would force an extra style pass.
  let colors = { contour: config.colors.contour, gradient: config.colors.gradient };
  function readTheme() {
    const now = isDark(backgroundOf(root)); // the colour behind the app, as the browser resolved it (rgb)
    if (now === dark) return;
    dark = now;
    colors = dark ? { ...config.colors.dark } : { contour: config.colors.contour, gradient: config.colors.gradient };
    render();
  }
  requestAnimationFrame(guard(readTheme));

  function objectiveOf(next) {
    const window = next.window ?? null;
    const formula = !Object.hasOwn(config.objectives, next.objective);
    const key = JSON.stringify([next.objective, next.objective === "general" ? [next.condition, next.angle] : null,
      formula && !window ? next.start : null, window]); // a formula's window follows the start unless set
    if (objective?.key !== key) {
      objective = { ...getObjective(config, next.objective, { condition: next.condition, angle: next.angle,
        start: next.start, window }), key };
      controls.formula(objective);
    }
    return objective;
  }

  // Each run's key, label, colour and marker, as state.looks and Lesson.labels / keys.
  function looks() {
    const ids = L.keys(lesson), kinds = L.looksFor(config, lesson.runs.map((r) => r.optimizer), dark);
    return lesson.runs.map((run, i) => ({ key: ids[i], label: said[i], ...kinds[i] }));
  }

  function render() {
    // The runs' labels as the reader reads them (Lesson.said_labels): a made one in the page's language (梯度下降
    // 余弦), a teacher's name as written; in English the labels themselves, the runs' names in links and files.
    said = L.labels(config, lesson, t.lang === DEFAULT_LANGUAGE ? null : t);
    const runLooks = looks();
    const byOptimizer = {};
    lesson.runs.forEach((r, i) => { byOptimizer[r.optimizer] ??= runLooks[i].color; });
    controls.sync(lesson, byOptimizer);
    const before = hyper.sync(lesson, runLooks, display);
    current = runs.of(lesson);
    if (before !== hyperShape) { // new columns of sliders: the side's height changed, so may the layout
      hyperShape = before;
      arrangement.relayout(); // before drawing, so the first picture is drawn at its size
    }
    draw();
    // The words (the readout, the link, the notes) and the map follow in the task after this frame: a key's frame
    // lays out and paints the plot, the panels and the slider only, not the page around them.
    if (!wordsTimer) wordsTimer = setTimeout(guard(words), 0);
  }

  let wordsTimer = 0;
  function words() {
    wordsTimer = 0;
    const median = ({ count, seed }) => t("readout.median", { count: String(count), seed: String(seed) });
    messages.showReadout(runs.lines(lesson, current, median).map(([, line], i) => [said[i], line]));
    const options = displayToQuery(config, display);
    // The page's language is in the link once it was chosen (by the link, the switch, Python); a page that
    // follows the reader's browser leaves it to each reader's.
    const lang = checkLanguage(model.get("lang"));
    const address = `${model.get("link_base") || ""}?${toQuery(config, lesson)}${options ? `&${options}` : ""}`
      + (lang ? `&lang=${lang}` : "");
    if (link.value !== address) link.value = address;
    hyper.stability(lesson, objectiveOf(lesson).hessian);
    showMessages();
    drawLandscape();
  }

  function draw() {
    const o = objectiveOf(lesson);
    const kinds = L.looksFor(config, lesson.runs.map((r) => r.optimizer), dark);
    const step = scrubber.shown(lesson.steps);
    const optimizers = current.map((r, i) => ({ name: r.key, label: said[i], color: kinds[i].color,
      marker: kinds[i].marker, run: r.run, spread: r.spread, eta: lesson.runs[i].settings.eta ?? 1 }));
    plot.render({ objective: { ...o, name: t.term("objective", lesson.objective) }, optimizers, start: lesson.start,
      steps: lesson.steps, step, colors, view: display.view, rule: config.view });
    shown = { optimizers, steps: lesson.steps, step };
    if (!panelsTimer) panelsTimer = setTimeout(guard(drawPanels), 0);
    scrubber.show(step, lesson.steps);
    const keys = current.map((r) => r.key);
    if (!keys.includes(selected)) selected = keys[0];
    // Open beside a wide layout; folded to its one line on a phone, in a notes column and in the compact mode,
    // where it would push what is under the plot down (until the reader opens it: then it stays as they left it).
    inspector.suggest(arrangement.element.dataset.layout !== "narrow" && display.controls == null);
    inspectorView = inspecting(keys, kinds, step);
  }

  // What the step inspector shows, by run key: each run's rule, label and settings (eta_t at the step where a
  // schedule moves it), its record, and the noise it added (sigma xi, drawn as the engine draws it) for SGD and
  // any run at sigma > 0.
  function inspecting(keys, kinds, step) {
    const at = keys.indexOf(selected), run = lesson.runs[at], record = current[at].run;
    const t = step === null ? 0 : Math.min(step, lesson.steps - 1);
    const settings = Object.fromEntries(keys.map((key, i) => [key, lesson.runs[i].settings]));
    const rate = record.rates ? record.rates[t] : NaN;
    if (Number.isFinite(rate)) settings[selected] = { ...run.settings, eta: rate };
    let noise = null;
    if (run.optimizer === "sgd" || (run.settings.sigma ?? 0) > 0) { // the noise the engine added, sigma xi
      const draws = noiseTable(run.seed, lesson.steps), sigma = run.settings.sigma;
      noise = Array.from({ length: lesson.steps }, (_, i) => [sigma * draws[2 * i], sigma * draws[2 * i + 1]]);
    }
    return { lesson: { convention: lesson.convention, optimizers: keys, hyperparameters: settings },
      rules: Object.fromEntries(keys.map((key, i) => [key, lesson.runs[i].optimizer])),
      labels: Object.fromEntries(current.map((r, i) => [r.key, said[i]])),
      runs: Object.fromEntries(current.map((r) => [r.key, r.run])), step, selected,
      palette: Object.fromEntries(keys.map((key, i) => [key, kinds[i].color])), noise };
  }

  // The panels follow the plot in the task after its frame: a key's frame draws the plot and the slider under the
  // hand, the panels one frame later.
  // So does the step inspector: its words change the side column's layout, which a key's frame need not wait for.
  let shown = null, panelsTimer = 0, inspectorView = null;
  function drawPanels() {
    panelsTimer = 0;
    if (display.panels && shown) panels.render(shown);
    if (inspectorView) inspector.render(inspectorView);
  }

  /** Show the lesson as `next` says (presenter, controls, panels, view), here and in the model. */
  function setDisplay(next, { send = true } = {}) {
    display = { ...next };
    root.classList.toggle("tj-presenter-mode", display.presenter);
    presenter.setAttribute("aria-pressed", String(display.presenter));
    const compact = display.controls != null;
    root.classList.toggle("tj-compact", compact);
    controls.show((name) => shows(display, name));
    tabs.element.classList.toggle("tj-no-tabs", !shows(display, "landscape"));
    scrubber.element.hidden = !shows(display, "step");
    hint.hidden = !shows(display, "step");
    messages.readout.hidden = !shows(display, "readout");
    linkRow.hidden = !shows(display, "link");
    hyperShape = null; // the sliders shown may have changed
    if (send && model.get("exporter") !== "page") {
      model.set("display", display);
      model.save_changes();
    }
    render(); // lays the page out too, once the sliders are built (their height decides where things go)
  }

  function drawLandscape() {
    landscape.render({ lesson, labels: said, visible: tabs.selected === "landscape" });
  }

  // A note is text or a message ({key, params}), said in the page's language when shown.
  function say(lines, bad = false) {
    notes = [...lines];
    showMessages(bad);
  }

  function showMessages(bad = false) {
    messages.show(lesson, current, plot.window, notes.map(t.note), said, bad);
  }

  // ---- the model's side ----------------------------------------------------------------------------------
  const listeners = {
    "change:lesson": guard(() => {
      const next = model.get("lesson");
      if (L.sameLesson(next, lesson)) return;
      sync.received(next);
      lesson = next;
      schedule();
    }),
    "change:notes": guard(() => say(model.get("notes") ?? [])),
    "change:display": guard(() => {
      const next = { ...config.display.default, ...(model.get("display") ?? {}) };
      if (JSON.stringify(next) !== JSON.stringify(display)) setDisplay(next, { send: false });
    }),
  };
  for (const [event, callback] of Object.entries(listeners)) model.on(event, callback);

  let hyperShape = null;
  setDisplay(display, { send: false });

  return {
    t,
    get lesson() { return lesson; },
    /** What the content in another language keeps of this one. */
    keep() {
      return { lesson, notes, display, scrubber: scrubber.state(), tab: tabs.selected, selected,
        inspector: inspector.state() };
    },
    offline() {
      sync.stop();
      exports.offline(); // Export saves the figure as drawn from now on, and says so
      controls.gifButton.hidden = true;
    },
    destroy() {
      scrubber.stop();
      arrangement.destroy();
      cancelAnimationFrame(frame);
      cancelAnimationFrame(stepFrame);
      clearTimeout(wordsTimer);
      clearTimeout(panelsTimer);
      for (const [event, callback] of Object.entries(listeners)) model.off(event, callback);
      sync.destroy();
      exports.destroy();
      plot.destroy();
      panels.destroy();
      landscape.destroy();
      for (const node of content) node.remove();
    },
  };
}

/** Whether a computed colour (rgb(...) or rgba(...)) is dark: a dark theme's background. */
function isDark(color) {
  const m = /rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  if (!m) return false;
  const [r, g, b] = m.slice(1, 4).map((v) => Number(v) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4;
}

// The language switch: one button per language, each named in its own language (English, 中文).
function createLanguageSwitch(config, t, onSelect) {
  const buttons = Object.keys(config.messages).map((lang) => h("button", {
    type: "button", class: `tj-lang-${lang}`, lang: config.messages[lang]["lang.tag"],
    "aria-pressed": String(lang === t.lang), onclick: () => onSelect(lang),
  }, config.messages[lang]["lang.name"]));
  return h("div", { class: "tj-lang", role: "group", "aria-label": t("lang.switch") }, ...buttons);
}

// The link to the clipboard; the button says how it went. The clipboard API exists only in secure contexts (https,
// localhost): elsewhere the link is selected for Ctrl+C.
function copyLink(t, link, copy) {
  link.select();
  const done = (key) => {
    copy.textContent = t(key);
    setTimeout(() => { copy.textContent = t("link.copy"); }, 2000);
  };
  if (!navigator.clipboard) return done("link.selected");
  return navigator.clipboard.writeText(link.value).then(() => done("link.copied"), () => done("link.selected"));
}
