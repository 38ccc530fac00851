// Bundle src/hosts/widget.js into trajectories/static/app.js: one ESM file, minified, no comments, no source map.
// The Landscape tab's worker (src/hosts/landscape_worker.js) is bundled first, on its own, and embedded in it as
// the text LANDSCAPE_WORKER: anywidget loads one module and the HTML page inlines one script, so the worker's code
// travels inside the bundle and starts from a blob: URL.
// The output depends only on the sources and the pinned packages, so two builds give the same bytes, and a test
// rebuilds it in memory to check that the committed bundle is the build of the committed sources.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

export const OUTFILE = join(here, "..", "trajectories", "static", "app.js");

const COMMON = Object.freeze({
  absWorkingDir: here,
  bundle: true,
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  sourcemap: false,
  charset: "utf8",
  logLevel: "warning",
});

/** The worker's script, as text: a classic script (a blob: worker runs one without module support). */
export async function workerSource() {
  const out = await build({ ...COMMON, entryPoints: ["src/hosts/landscape_worker.js"], format: "iife", write: false });
  return out.outputFiles[0].text;
}

/** esbuild's options for the bundle, the worker's text included. */
export async function bundleOptions() {
  return { ...COMMON, entryPoints: ["src/hosts/widget.js"], outfile: OUTFILE, format: "esm",
    define: { LANDSCAPE_WORKER: JSON.stringify(await workerSource()) } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await mkdir(dirname(OUTFILE), { recursive: true });
  await build(await bundleOptions());
}
