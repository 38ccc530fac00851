// Build the harness pages (not shipped): node harness/build.mjs -> harness/dist/{plot,landscape}.js
// IIFEs, not modules: a page opened from file:// may not load modules. The landscape page bakes in
// /tmp/config.json (a dump of trajectories.state.config()) and SGD's noise for seed 0 from /tmp/noise0.json.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const common = { absWorkingDir: here, bundle: true, format: "iife", platform: "browser", target: "es2020",
  logLevel: "warning" };
await build({ ...common, entryPoints: ["plot.js"], outfile: join(here, "dist", "plot.js") });
if (existsSync("/tmp/config.json")) {
  const noise = existsSync("/tmp/noise0.json") ? readFileSync("/tmp/noise0.json", "utf8") : "null";
  await build({ ...common, entryPoints: ["landscape.js"], outfile: join(here, "dist", "landscape.js"),
    define: { __CONFIG__: readFileSync("/tmp/config.json", "utf8"), __NOISE__: noise } });
}
