// The app as a live figure in a MyST site (Jupyter Book 2), by MyST's {anywidget} directive. MyST's model holds only
// the directive's JSON body ({"lesson": "optimizer=gd,momentum&momentum.eta=0.6"}); everything else the app needs
// comes with the module: `trajectories export --format mjs` writes, in front of this bundle, the data Python sends a
// kernel's widget (config and a lesson) as TRAJECTORIES_DATA. MyST's model has get, set and on, and its
// off, save_changes and send throw, so the app runs on a page model of its own, as in the one-file page; Export
// saves the figure as drawn. The theme renders the module in a shadow root: the app's styles go there.

import { standalone } from "./standalone.js";

/** The data `trajectories export --format mjs` put in front of the bundle, or null (any other host). */
function embeddedData() {
  // TRAJECTORIES_DATA is declared by the file Python writes, in front of this bundle
  return typeof TRAJECTORIES_DATA === "undefined" ? null : TRAJECTORIES_DATA;
}

/**
 * Mount the app in `el` on the lesson the directive names: `lesson`, a page link's query (the app's link field
 * gives one); a setting the page would ignore is said under the plot, as with a link. `link_base`, if given, is the
 * address the link field puts before the query (an app page of the course), else the field shows the query alone.
 *
 * @returns {() => void} cleanup
 */
export function renderMyst(model, el) {
  const data = embeddedData();
  if (data === null) {
    throw new Error("This module has no app data: write it with trajectories export --format mjs (the bundle alone "
      + "is anywidget's, for a kernel).");
  }
  const given = model.get("lesson");
  const query = typeof given === "string" ? given.trim().replace(/^\?/, "") : "";
  const base = model.get("link_base");
  const app = standalone(el, { ...data, link_base: typeof base === "string" ? base : "" },
    query ? `?${query}` : "");
  return () => app.destroy();
}
