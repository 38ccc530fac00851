// The app in a page with no server (trajectories export --format html): the state Python wrote into the page,
// a lesson from the page's own link if it has one (read as the server reads links), and downloads made here.

import { createApp } from "../ui/app.js";
import { fromQuery } from "../core/link.js";

function decodeNoise(base64) {
  if (!base64) return null;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Float64Array(bytes.buffer);
}

/**
 * Mount the app in `el` from the data the HTML export inlined: {config, lesson, notes, noise (base64 float64
 * pairs), noise_seed}. A query string (`app.html?optimizer=gd,momentum`) presets the lesson as on the server;
 * its notes say what was ignored.
 */
export function standalone(el, data, search = window.location.search) {
  const { config } = data;
  let lesson = data.lesson;
  let notes = [...(data.notes ?? [])];
  if (search && search.length > 1) {
    const parsed = fromQuery(config, search, { ignore: ["theme", "template"] });
    lesson = parsed.lesson;
    notes = parsed.notes;
    if (lesson.seed !== data.noise_seed) {
      if (lesson.optimizers.includes("sgd")) {
        notes.push(`Ignored seed=${lesson.seed}: this page holds SGD's noise for seed ${data.noise_seed} only `
          + "(trajectories export --format html --seed N makes a page for another seed).");
      }
      lesson = { ...lesson, seed: data.noise_seed };
    }
  }
  const noise = decodeNoise(data.noise);
  const here = `${window.location.origin === "null" ? "file://" : window.location.origin}${window.location.pathname}`;
  return createApp(el, {
    kind: "page",
    config,
    lesson,
    notes,
    noise: (seed) => (seed === data.noise_seed ? noise : null),
    linkBase: () => here,
    send() {},
  });
}
