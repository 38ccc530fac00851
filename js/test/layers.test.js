// Every module of src/ sits in one of the four layers that .dependency-cruiser.cjs checks (npm run layers): a file
// beside them would escape the check.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";

const LAYERS = ["core", "figures", "ui", "hosts"];

test("src/ holds the four layers and nothing else", () => {
  const entries = readdirSync(new URL("../src/", import.meta.url), { withFileTypes: true });
  assert.deepEqual(entries.map((e) => `${e.name}${e.isDirectory() ? "/" : ""}`).sort(),
    LAYERS.map((l) => `${l}/`).sort());
});
