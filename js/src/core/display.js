// How a page shows its lesson, apart from the lesson (trajectories.display): presenter mode, the compact mode's
// controls, the panels, the view. Read from a link and written back beside the lesson's own part, with the keys and
// the names Python sends (config.display); never part of the lesson. Pure, no DOM.
import { pyStrRepr, pyStrip as strip } from "./format.js";
import { message } from "./i18n.js";
import { queryItems } from "./link.js";
import { quotePlus } from "./link_write.js";

// A note the page says in its language (core/i18n.js), the same message as trajectories.display's.
const ignored = (key, raw, reason) => message("note.ignored", { key, value: pyStrRepr(raw), reason });

const TRUE_WORDS = ["1", "true", "on", "yes"], FALSE_WORDS = ["0", "false", "off", "no"];

/** Every name `controls` takes: config.display.controls', the hyperparameters, and optimizer.hyperparameter. */
export function controlNames(config) {
  const own = [];
  for (const rule of config.rules) {
    const names = new Set(config.conventions.flatMap((c) => Object.keys(config.specs[c][rule])));
    for (const name of names) own.push(`${rule}.${name}`);
  }
  return [...Object.keys(config.display.controls), ...config.display.hyperparameters, ...own];
}

/**
 * Display.from_query: the options of a link's query (its other keys are the lesson's); never throws.
 *
 * @param {object} config state.config()
 * @param {string} query
 * @param {object} [base] the options to start from (the page's own, from Python), else the default
 * @returns {{display: {presenter, controls, panels, view}, notes: string[]}}
 */
export function displayFromQuery(config, query, base = config.display.default) {
  const items = queryItems(typeof query === "string" ? query : "");
  const display = { ...base }, notes = [];
  const word = (key) => strip(items.get(key)).toLowerCase();
  if (items.has("presenter")) {
    const raw = word("presenter");
    if (TRUE_WORDS.includes(raw) || FALSE_WORDS.includes(raw)) display.presenter = TRUE_WORDS.includes(raw);
    else notes.push(ignored("presenter", items.get("presenter"), message("reason.one_or_zero")));
  }
  if (items.has("panels")) {
    const raw = word("panels");
    if (["all", "none", ...TRUE_WORDS, ...FALSE_WORDS].includes(raw)) {
      display.panels = raw === "all" || TRUE_WORDS.includes(raw);
    } else notes.push(ignored("panels", items.get("panels"), message("reason.all_or_none")));
  }
  if (items.has("view")) {
    const raw = word("view");
    if (config.view.views.includes(raw)) display.view = raw;
    else {
      notes.push(ignored("view", items.get("view"), message("reason.must_be_one_of",
        { allowed: config.view.views.join(", ") })));
    }
  }
  if (items.has("controls")) {
    const raw = strip(items.get("controls"));
    if (raw.toLowerCase() === "all") display.controls = null;
    else {
      const names = raw.toLowerCase() === "none" ? [] : raw.split(",").map(strip).filter(Boolean);
      const known = controlNames(config);
      for (const name of names) {
        if (!known.includes(name)) {
          notes.push(message("note.ignored_control", { name: pyStrRepr(name),
            controls: Object.keys(config.display.controls).join(", "),
            hyperparameters: config.display.hyperparameters.join(", ") }));
        }
      }
      const kept = [...new Set(names.filter((n) => known.includes(n)))];
      if (kept.length || !names.length) display.controls = kept; // every name a typo: every control, not none
    }
  }
  return { display, notes };
}

/** Display.to_query: the link's part for these options, only what differs from the default ("" for none). */
export function displayToQuery(config, display) {
  const base = config.display.default, q = [];
  if (display.presenter) q.push(["presenter", "1"]);
  if (display.controls != null) q.push(["controls", display.controls.join(",") || "none"]);
  if (!display.panels) q.push(["panels", "none"]);
  if (display.view !== base.view) q.push(["view", display.view]);
  return q.map(([k, v]) => `${quotePlus(k)}=${v.split(",").map(quotePlus).join(",")}`).join("&");
}

/** Whether the control `name` of run `rule` (or of the page, rule null) shows: always, unless the page is compact. */
export function shows(display, name, rule = null) {
  if (display.controls == null) return true;
  return display.controls.includes(name) || (rule !== null && display.controls.includes(`${rule}.${name}`));
}
