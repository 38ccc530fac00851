// The whole app in the page: controls, the trajectories figure, its side panels and the Landscape tab, computed
// here by the engine's port, so a move never waits for the kernel.
//
// One-way flow: a control changes the lesson (core/lesson.js), the lesson is run (core/runs.js, a cache per
// optimizer) and the parts that depend on it are drawn again, once per frame. The model is anywidget's (get, set,
// save_changes, on, off, send): a kernel's widget (hosts/widget.js: the lesson goes to Python when the hand
// rests, and Python can move it) or the page's own (hosts/standalone.js). Nothing here knows which.

import { pyG } from "../core/format.js";
import * as L from "../core/lesson.js";
import { toQuery } from "../core/link.js";
import { FormulaError } from "../core/formula.js";
import { checkObjective, getObjective } from "../core/objectives.js";
import { createRuns } from "../core/runs.js";
import { LANDSCAPE_CSS } from "../figures/landscape.css.js";
import { createPanels } from "../figures/panels.js";
import { PLOT_CSS } from "../figures/plot.css.js";
import { createPlot } from "../figures/plot.js";
import { asOnScreen, backgroundOf, svgFile } from "../figures/svg_file.js";
import { APP_CSS } from "./app.css.js";
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

/**
 * Mount the app in `el`.
 *
 * @param {HTMLElement} el
 * @param {object} model anywidget's model interface over the state Python writes (trajectories/app.py): config,
 *   lesson, notes, noise (float64 pairs) for noise_seed, link_base; exporter "page" where no kernel renders
 *   exports (the standalone page)
 * @returns {{root, lesson, offline(), destroy()}} offline: the kernel is gone (nothing is sent; Export saves the
 *   figure as drawn and says why; no GIF)
 */
export function createApp(el, model) {
  installStyles(el, APP_CSS + PLOT_CSS + LANDSCAPE_CSS + INSPECTOR_CSS);
  const config = model.get("config");
  const boundText = pyG(config.bound);
  let lesson = model.get("lesson"), notes = [...(model.get("notes") ?? [])], current = {}, objective = null;
  let selected = lesson.optimizers[0]; // the optimizer the step inspector shows
  const runs = createRuns(config, (seed) => (seed === model.get("noise_seed") ? model.get("noise") : null));
  const sync = createLessonSync(model, lesson);
  const exports = createExports(model);

  // Any error of a control reaches the page as one line, never the console alone (async ones too).
  const guard = (action) => (...args) => {
    const report = (error) => {
      say([`Something went wrong: ${error.message}`], true);
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
  const controls = createControls(config, lesson, {
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
  const plot = createPlot(h("div"), { onStart: setStart, onPick: guard((name, step) => {
    selected = name;
    scrubber.set(step);
  }) });
  const panels = createPanels(h("div"));
  const inspector = createInspector(config, { onSelect: guard((name) => {
    selected = name;
    scheduleDraw();
  }), onToggle: guard(() => scheduleDraw()) });
  const figure = h("div", { class: "tj-figure" }, plot.element, inspector.element, panels.element);
  const scrubber = createScrubber(lesson.steps, guard(() => scheduleDraw()));
  const messages = createMessages(config);
  const hyper = createHyper(config, guard((name, key, value) => change(L.withHyperparameter(lesson, name, key,
    value))));
  const landscape = createLandscapeTab(h("div"), { config,
    onPick: guard((name, values) => {
      let next = lesson;
      for (const [key, value] of Object.entries(values)) next = L.withHyperparameter(next, name, key, value);
      change(next);
    }),
    onExport: guard(exportLandscape) });
  const tabs = createTabs([
    { name: "trajectories", label: "Trajectories", content: h("div", {}, figure, scrubber.element,
      h("div", { class: "tj-hint", text: "at the highlighted step: grey dashed arrow = −η·∇f, coloured arrow = the "
        + "actual update" }), messages.readout, messages.message, hyper.element) },
    { name: "landscape", label: "Landscape", content: landscape.element },
  ], guard(drawLandscape));
  const link = h("input", { type: "text", class: "tj-link", readonly: true, "aria-label": "link to this lesson" });
  const copy = h("button", { type: "button", class: "tj-copy", onclick: guard(() => copyLink(link, copy)) }, "Copy");
  const root = h("div", { class: "tj-app" }, h("div", { class: "tj-main" }, controls.element, tabs.element),
    h("div", { class: "tj-linkrow" }, h("span", { class: "tj-name", text: "link" }), link, copy));
  el.append(root);

  // ---- controls -> lesson --------------------------------------------------------------------------------
  function change(next) {
    if (L.sameLesson(next, lesson)) return; // a key released, a handle let go: nothing new to draw
    notes = [];
    lesson = next;
    schedule();
    sync.send(lesson);
  }

  function toggleOptimizer(name) {
    const shown = lesson.optimizers;
    const next = shown.includes(name) ? shown.filter((n) => n !== name) : [...shown, name];
    if (next.length === 0) return say(["Show at least one optimizer."]);
    if (next.length > config.maxOptimizers) return say([`At most ${config.maxOptimizers} optimizers at once: hide `
      + "one first."]);
    return change(L.withOptimizers(config, lesson, next));
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
      return controls.formulaError(error.message);
    }
    controls.formulaError("");
    const builtIn = Object.hasOwn(config.objectives, objective);
    return change(L.withSettings(lesson, { objective, window: builtIn ? null : [...facts.xlim, ...facts.ylim] }));
  }

  function setConvention(name) {
    if (name === lesson.convention) return;
    change(L.withConvention(config, lesson, name));
    const which = name === "torch" ? "torch.optim's" : "the book's";
    notes = [`Convention ${name}: the same values through ${which} formulas (where eps sits, Adadelta's lr); `
      + "Reset gives the book's defaults."];
  }

  function startFromFields(text1, text2) {
    const x1 = Number(text1), x2 = Number(text2);
    const ok = (text, v) => text !== "" && Number.isFinite(v) && Math.abs(v) <= config.bound;
    if (ok(text1, x1) && ok(text2, x2)) return change(L.withSettings(lesson, { start: [x1, x2] }));
    controls.showStart(lesson.start); // the fields go back to the start in use
    return say([`The start must be two finite numbers with |x1|, |x2| <= ${boundText}. Got ${text1 || "nothing"}, `
      + `${text2 || "nothing"} instead.`], true);
  }

  async function exportFigure() {
    const step = scrubber.shown(lesson.steps); // exactly what the plot highlights
    if (!exports.local) {
      sync.flush(); // the kernel draws what is on screen
      controls.exportOutput.textContent = "Preparing the figure…";
      try {
        const file = await exports.ask({ kind: "trajectories", step, inspector: inspected(step) });
        exports.save(file);
        controls.exportOutput.textContent = `Downloaded ${file.name}`;
        return;
      } catch (error) {
        if (!exports.local) {
          controls.exportOutput.textContent = `Export failed: ${error.message}`;
          return;
        } // the kernel went away while it was asked: the figure as drawn, below
      }
    }
    const name = `trajectories_${lesson.optimizers.join("_vs_")}.svg`;
    const data = svgFile(asOnScreen([plot.element, panels.element]), { background: backgroundOf(figure) });
    exports.save({ name, data, mime: "image/svg+xml" });
    // The command that makes the book-style file of this very lesson, ready to copy (a query holds no quote).
    const shown = inspected(step);
    const command = `trajectories export --link '${toQuery(config, lesson)}' --loss`
      + (step === null ? "" : ` --step ${step}`) + (shown ? ` --inspector ${shown}` : "");
    const why = model.get("exporter") === "page" ? "This page has no server" : "The kernel is gone";
    controls.exportOutput.replaceChildren(`Downloaded ${name}: the figure as drawn on screen. ${why}; the `
      + "book-style file of this lesson is made by ", h("code", { class: "tj-export-command", text: command }));
  }

  // Play as a GIF, one frame per step: the kernel draws it as `trajectories export --format gif` does, and says
  // in words what it shows (its alt text, to paste with it).
  async function exportGif() {
    if (exports.local) return;
    sync.flush();
    controls.exportOutput.textContent = `Drawing ${lesson.steps + 1} frames…`;
    try {
      const file = await exports.ask({ kind: "trajectories", format: "gif" });
      exports.save(file);
      controls.exportOutput.replaceChildren(`Downloaded ${file.name}. Its alt text: `,
        h("span", { class: "tj-export-alt", text: file.alt ?? "" }));
    } catch (error) {
      controls.exportOutput.textContent = exports.local
        ? `A GIF needs the kernel, which is gone: trajectories export --link '${toQuery(config, lesson)}' `
          + "--format gif makes it."
        : `Export failed: ${error.message}`;
    }
  }

  // The optimizer whose step the inspector shows, for the exported figure: none while it is folded away.
  function inspected(step) {
    return step !== null && inspector.open && inspector.shown.step !== null ? inspector.shown.optimizer : undefined;
  }

  async function exportLandscape(settings) {
    if (!exports.local) {
      sync.flush();
      try {
        exports.save(await exports.ask({ kind: "landscape", ...settings }));
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

  // The grey of the gradient arrow follows the theme (the book's #555 is faint on a dark page). It is read after
  // the first frame: reading a computed style while the page is being built would force an extra style pass.
  let colors = config.colors;
  requestAnimationFrame(guard(() => {
    const grey = getComputedStyle(root).getPropertyValue("--tj-fg2").trim();
    if (grey && grey !== colors.gradient) {
      colors = { ...config.colors, gradient: grey };
      scheduleDraw();
    }
  }));

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

  function render() {
    const palette = L.colorsFor(config, lesson.optimizers);
    controls.sync(lesson, palette);
    hyper.sync(lesson, palette);
    current = runs.of(lesson);
    draw();
    messages.showReadout(runs.lines(lesson, current));
    const address = `${model.get("link_base") || ""}?${toQuery(config, lesson)}`;
    if (link.value !== address) link.value = address;
    hyper.stability(lesson, objectiveOf(lesson).hessian);
    showMessages();
    drawLandscape();
  }

  function draw() {
    const o = objectiveOf(lesson);
    const palette = L.colorsFor(config, lesson.optimizers);
    const step = scrubber.shown(lesson.steps);
    const optimizers = lesson.optimizers.map((name, i) => ({
      name, color: palette[name], label: name,
      marker: lesson.optimizers.length > 1 ? config.markers[i % config.markers.length] : "circle",
      run: current[name], eta: lesson.hyperparameters[name].eta ?? 1,
    }));
    plot.render({ objective: o, optimizers, start: lesson.start, steps: lesson.steps, step, colors });
    panels.render({ optimizers, steps: lesson.steps, step });
    scrubber.show(step, lesson.steps);
    if (!lesson.optimizers.includes(selected)) selected = lesson.optimizers[0];
    inspector.render({ lesson, runs: current, step, selected, palette,
      noise: lesson.optimizers.includes("sgd") ? runs.noise(lesson.seed) : null });
  }

  function drawLandscape() {
    const noise = lesson.optimizers.includes("sgd") ? runs.noise(lesson.seed) : null;
    landscape.render({ lesson: { ...lesson, noise }, visible: tabs.selected === "landscape" });
  }

  function say(lines, bad = false) {
    notes = [...lines];
    showMessages(bad);
  }

  function showMessages(bad = false) {
    messages.show(lesson, current, objectiveOf(lesson), notes, bad);
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
    "change:noise": guard(() => {
      runs.clear();
      render();
    }),
  };
  for (const [event, callback] of Object.entries(listeners)) model.on(event, callback);

  render();

  return {
    root,
    get lesson() { return lesson; },
    offline() {
      sync.stop();
      exports.offline(); // Export saves the figure as drawn from now on, and says so
      controls.gifButton.hidden = true;
    },
    destroy() {
      scrubber.stop();
      cancelAnimationFrame(frame);
      cancelAnimationFrame(stepFrame);
      for (const [event, callback] of Object.entries(listeners)) model.off(event, callback);
      sync.destroy();
      exports.destroy();
      plot.destroy();
      panels.destroy();
      landscape.destroy();
      root.remove();
    },
  };
}

// The link to the clipboard; the button says how it went. The clipboard API exists only in secure contexts (https,
// localhost): elsewhere the link is selected for Ctrl+C.
function copyLink(link, copy) {
  link.select();
  const done = (text) => {
    copy.textContent = text;
    setTimeout(() => { copy.textContent = "Copy"; }, 2000);
  };
  if (!navigator.clipboard) return done("Selected");
  return navigator.clipboard.writeText(link.value).then(() => done("Copied"), () => done("Selected"));
}
