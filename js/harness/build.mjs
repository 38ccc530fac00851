// Build the Landscape tab's harness (not shipped): node harness/build.mjs -> harness/dist/landscape.js
// An IIFE, not a module: a page opened from file:// may not load modules. It mounts the tab with /tmp/config.json (a dump of trajectories.state.config()) and SGD's noise for seed 0 from
// /tmp/noise0.json, both baked into the bundle so the page opens from file:// without a server.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const noise = existsSync("/tmp/noise0.json") ? readFileSync("/tmp/noise0.json", "utf8") : "null";
await build({
  absWorkingDir: here,
  entryPoints: ["landscape.js"],
  outfile: join(here, "dist", "landscape.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2020",
  define: { __CONFIG__: readFileSync("/tmp/config.json", "utf8"), __NOISE__: noise },
  logLevel: "warning",
});
