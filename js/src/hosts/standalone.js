// The app in a page with no server (trajectories export --format html): the state Python wrote into the page
// behind anywidget's model interface, a lesson from the page's own link if it has one (read with the lesson's
// checks, as the server reads links), and downloads made here.

import { displayFromQuery } from "../core/display.js";
import { message } from "../core/i18n.js";
import { fromQuery, linkLanguage } from "../core/link.js";
import { createApp } from "../ui/app.js";

/**
 * anywidget's model interface (get, set, save_changes, on, off, send) over plain state: what the app needs of a
 * kernel's widget model, with no kernel. set tells the listeners of change:<name>, as a widget model does; send
 * has no one to talk to.
 */
export function pageModel(state) {
  const listeners = new Map();
  const emit = (event) => {
    for (const callback of [...(listeners.get(event) ?? [])]) callback();
  };
  return {
    get: (name) => state[name],
    set(name, value) {
      if (state[name] === value) return;
      state[name] = value;
      emit(`change:${name}`);
    },
    save_changes() {},
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(callback);
    },
    off(event, callback) {
      listeners.get(event)?.delete(callback);
    },
    send() {},
  };
}

/**
 * Mount the app in `el` from the data the HTML export inlined: {config, lesson, display, notes, lang}. A query
 * string (`app.html?optimizer=gd,momentum&presenter=1&lang=zh`, `app.html?run=gd:eta=0.4&run=gd:eta=0.6`) presets
 * the lesson and how it is shown as on the server, and the page's language; its notes say what was ignored. With no
 * language in the link or in the page (export --lang), the page speaks its reader's browser's language. The
 * gradient noise is drawn here, as the Python engine draws it.
 */
export function standalone(el, data, search = window.location.search) {
  const { config } = data;
  let lesson = data.lesson;
  let display = { ...config.display.default, ...(data.display ?? {}) };
  let notes = [...(data.notes ?? [])];
  let lang = data.lang ?? "";
  if (search && search.length > 1) {
    const parsed = fromQuery(config, search, { ignore: ["theme", "template", ...config.display.keys] });
    const shown = displayFromQuery(config, search, display);
    lesson = parsed.lesson;
    display = shown.display;
    notes = [...parsed.notes, ...shown.notes];
    lang = linkLanguage(search) ?? lang;
  }
  // The link field: this page's address and the lesson's query, or data.link_base where the page is not an app page
  // of its own (a notebook exported by nbconvert, a MyST site)
  const here = typeof data.link_base === "string" ? data.link_base
    : `${window.location.origin === "null" ? "file://" : window.location.origin}${window.location.pathname}`;
  const model = pageModel({ config, lesson, display, notes, link_base: here, exporter: "page", lang });
  const app = createApp(el, model);
  // The document's language follows the app's (the app hears of a change first: it was listening first), where the
  // page is the app's own (a notebook or a book page holds other things too, in its own language).
  if (typeof data.link_base !== "string") {
    const follow = () => { document.documentElement.lang = app.root.lang; };
    model.on("change:lang", follow);
    follow();
  }
  return app;
}
