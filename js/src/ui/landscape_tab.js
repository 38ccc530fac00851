// The Landscape tab: a map of one run over one or two of its hyperparameters, computed in the browser. Its
// controls (landscape_controls.js) beside the map (figures/landscape_map.js); a map is computed (landscape_jobs.js,
// in a worker) only when what it depends on changes (mapKey), the latest asked for only, never for more than the
// budget's cell-steps; otherwise a lesson change only moves the ring of the current setting.
import { format } from "d3-format";

import { axisValues, fitResolution, mapKey } from "../core/landscape.js";
import { getObjective } from "../core/objectives.js";
import { createLandscapeMap } from "../figures/landscape_map.js";
import { h } from "./dom.js";
import { NO_Y, createLandscapeControls } from "./landscape_controls.js";
import { createJobs } from "./landscape_jobs.js";

const SHOW_PROGRESS_MS = 150; // a map that takes longer says how far it got

// The lesson's objective (a formula's minima depend on its start and window) and what one step of it costs.
const objectiveOf = (config, lesson) => getObjective(config, lesson.objective, { condition: lesson.condition,
  angle: lesson.angle, start: lesson.start, window: lesson.window ?? null });
const costOf = (config, lesson) => objectiveOf(config, lesson).formula?.cost ?? 1;

/**
 * @param {HTMLElement} parent where the tab's element (tj-landscape, 900 x 560 CSS px at most) is appended
 * @param {object} options
 * @param {object} options.config state.config()
 * @param {Function} options.t the page's words (core/i18n.js translator)
 * @param {(run: number, values: object) => void} [options.onPick] a cell was picked (click, or Enter on the
 *   focused map): values of its one or two hyperparameters, rounded to 3 significant digits inside their range
 * @param {(settings: object) => void} [options.onExport] "Export map SVG" was pressed, with tab.settings
 * @returns {{element, render({lesson, labels, visible}), settings, toSVG(), destroy()}} render: call on every lesson
 *   change (labels: its runs'); computes only while visible. settings: {run (its index), optimizer, axes, spans
 *   (narrowed axes only), metric, tol,
 *   resolution (the one drawn, lowered to fit the budget)}
 */
export function createLandscapeTab(parent, { config, t, onPick = () => {}, onExport = () => {} }) {
  const root = parent.appendChild(h("div", { class: "tj-landscape" }));
  let lesson = null, visible = false, destroyed = false, drawnRun = 0;
  let drawnKey = null, wantedKey = null, drawnInfo = "", pending = null, started = 0;
  const controls = createLandscapeControls(root, { config, t, onChange: refresh,
    onExport: () => onExport(settings()) });
  const map = createLandscapeMap(root, { config, t, describedBy: controls.readoutId, onRead: controls.read,
    onPick: (optimizer, values) => onPick(drawnRun, values) });
  const jobs = createJobs(config, { onProgress: (done) => {
    if (performance.now() - started > SHOW_PROGRESS_MS) {
      controls.info(t("landscape.progress", { percent: Math.round(100 * done) }));
    }
  } });
  const s = controls.settings;
  const axes = () => (s.y === NO_Y ? [s.x] : [s.x, s.y]);
  const fitted = () => fitResolution(config, s.resolution, lesson.steps, axes().length, costOf(config, lesson));

  function settings() {
    return { run: s.run, optimizer: s.optimizer, axes: axes(), spans: structuredClone(s.spans), metric: s.metric,
      tol: s.tol,
      resolution: lesson ? fitted().resolution : s.resolution };
  }

  function refresh() {
    if (!lesson || destroyed) return;
    map.placeMarker(lesson.runs[s.run]?.settings);
    if (!visible) return; // a hidden tab costs nothing: the next visible render catches up
    let key;
    try {
      key = mapKey(lesson, settings());
    } catch (error) {
      failed(error);
      return;
    }
    if (key === wantedKey || (key === drawnKey && wantedKey === null)) return; // on its way, or on screen
    if (key === drawnKey) { // back to the map on screen: drop the one under way
      wantedKey = null;
      jobs.cancel();
      map.ready();
      controls.info(drawnInfo);
      return;
    }
    wantedKey = key;
    map.computing(); // from now on the map shown is not the lesson's
    if (pending === null) pending = setTimeout(start, 0); // a burst of changes in one task starts one map
  }

  function start() {
    pending = null;
    const key = wantedKey;
    let request;
    try {
      request = mapRequest();
    } catch (error) {
      wantedKey = null;
      failed(error);
      return;
    }
    map.computing();
    started = performance.now();
    jobs.run(request.optimizer, request.options).then((result) => {
      if (result === null || destroyed || key !== wantedKey) return;
      wantedKey = null;
      drawnKey = key;
      drawnRun = request.run;
      map.draw(request, result);
      map.placeMarker(lesson.runs[request.run]?.settings);
      say(request, result);
      controls.exportable(true);
    }, (error) => {
      if (destroyed || key !== wantedKey) return;
      wantedKey = null;
      failed(error);
    });
  }

  function mapRequest() {
    const optimizer = s.optimizer, run = lesson.runs[s.run];
    const table = config.specs[lesson.convention][optimizer];
    const current = run?.optimizer === optimizer ? run.settings : null;
    if (objectiveOf(config, lesson).minima.length === 0) {
      throw new Error(t("landscape.no_minimum", { objective: t.term("objective", lesson.objective) }));
    }
    if (!current) {
      throw new Error(t("landscape.no_run", { run: String(s.run + 1), optimizer: t.term("optimizer", optimizer) }));
    }
    const { resolution, lowered } = fitted();
    const [x, y = null] = axes();
    const values = (name) => {
      const [low, high] = s.spans[name] ?? [table[name].low, table[name].high];
      return axisValues(low, high, resolution, table[name].scale);
    };
    const options = {
      objective: lesson.objective, condition: lesson.condition, angle: lesson.angle, start: lesson.start,
      steps: lesson.steps, convention: lesson.convention, seed: run.seed, window: lesson.window ?? null, ...current,
      x, xValues: values(x), y: y ?? undefined, yValues: y ? values(y) : undefined, metric: s.metric, tol: s.tol,
    };
    return { run: s.run, optimizer, options, current: { ...current }, lesson, resolution, lowered, x, y,
      xScale: table[x].scale, yScale: y ? table[y].scale : null, spec: table };
  }

  function say(request, result) {
    const n = result.values.length;
    const share = result.diverged.reduce((a, b) => a + b, 0) / n;
    let text = t("landscape.summary", { runs: n, steps: request.options.steps, ms: Math.round(result.busy),
      percent: Math.round(100 * share) });
    if (request.lowered) {
      text += t("landscape.lowered", { resolution: request.resolution, budget: format(",")(config.landscape.budget) });
    }
    drawnInfo = text;
    controls.info(text);
  }

  function failed(error) {
    const message = error instanceof Error ? error.message : String(error);
    controls.info(map.hasMap ? t("landscape.stale", { message }) : message, true);
    controls.exportable(false); // the map shown is not the lesson's: there is nothing true to export
    map.failed();
    drawnKey = null;
  }

  return {
    element: root,
    render({ lesson: next, labels = [], visible: shown = true }) {
      if (destroyed) return;
      lesson = next;
      visible = Boolean(shown);
      try {
        controls.sync(lesson, labels);
      } catch (error) {
        failed(error);
        return;
      }
      refresh();
    },
    get settings() { return settings(); },
    get usesWorker() { return jobs.usesWorker; },
    toSVG: () => map.toSVG(),
    destroy() {
      destroyed = true;
      clearTimeout(pending);
      jobs.destroy();
      map.destroy();
      root.remove();
    },
  };
}
