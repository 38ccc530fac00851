// Bundle src/hosts/widget.js into trajectories/static/app.js: one ESM file, minified, no comments, no source map.
// The output depends only on the sources and the pinned packages, so two builds give the same bytes, and a test
// rebuilds it in memory to check that the committed bundle is the build of the committed sources.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

export const OUTFILE = join(here, "..", "trajectories", "static", "app.js");

export const OPTIONS = Object.freeze({
  absWorkingDir: here,
  entryPoints: ["src/hosts/widget.js"],
  outfile: OUTFILE,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  sourcemap: false,
  charset: "utf8",
  logLevel: "warning",
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await mkdir(dirname(OUTFILE), { recursive: true });
  await build(OPTIONS);
}
