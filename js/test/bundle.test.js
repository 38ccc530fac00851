import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { build } from "esbuild";

import { OUTFILE, bundleOptions } from "../build.mjs";

test("the committed bundle is the build of the sources (run `npm run build` after changing js/src)", async () => {
  const fresh = await build({ ...(await bundleOptions()), write: false });
  assert.equal(fresh.outputFiles.length, 1);
  const committed = readFileSync(OUTFILE);
  assert.ok(Buffer.from(fresh.outputFiles[0].contents).equals(committed), `${OUTFILE} is out of date`);
});

test("the bundle holds nothing of the machine that built it", async () => {
  const text = readFileSync(OUTFILE, "utf8");
  for (const local of [(await bundleOptions()).absWorkingDir, "/home/", "/work/", "/tmp/", "node_modules"]) {
    assert.ok(!text.includes(local), `the bundle mentions ${local}`);
  }
});
