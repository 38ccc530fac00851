// Build the harness page's script (not shipped).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
await build({ absWorkingDir: here, entryPoints: ["plot.js"], outfile: join(here, "dist", "plot.js"), bundle: true,
  format: "iife", platform: "browser", target: "es2020", logLevel: "warning" });
