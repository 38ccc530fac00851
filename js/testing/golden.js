// What the tests share: the golden data of the Python engine (js/test/golden.json, made by make_golden.py), the
// book's lines, and the comparisons. It lives outside test/ because node --test runs every file under test/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));

export const GOLDEN = read("../test/golden.json");
export const CONFIG = GOLDEN.config; // state.config(): what the page is given
export const BOOK = read("../../tests/golden/book.json");
// The tables of messages, as the package holds them (trajectories/locales): state.config() sends these.
export const MESSAGES = { en: read("../../trajectories/locales/en.json"), zh: read("../../trajectories/locales/zh.json") };

/** Largest |v| over the finite numbers of a nested array (null is Python's NaN), at least 1. */
export function size(reference) {
  let m = 1;
  for (const v of reference.flat(Infinity)) if (v !== null && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/**
 * Nested arrays equal within `tol`: NaN exactly where the reference has null, |ours - reference| <= tol
 * elsewhere. Returns the largest difference seen.
 */
export function assertClose(ours, reference, tol, what) {
  const a = ours.flat(Infinity), b = reference.flat(Infinity);
  assert.equal(a.length, b.length, `${what}: ${a.length} numbers instead of ${b.length}`);
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === null) {
      assert.ok(Number.isNaN(a[i]), `${what}[${i}]: ${a[i]} where Python has NaN`);
    } else {
      const d = Math.abs(a[i] - b[i]);
      assert.ok(d <= tol, `${what}[${i}]: ${a[i]} instead of ${b[i]} (off by ${d}, allowed ${tol})`);
      worst = Math.max(worst, d);
    }
  }
  return worst;
}

export function caseName(c) {
  const o = c.options;
  const settings = Object.entries(o).filter(([k]) => !["start", "noise", "seed"].includes(k))
    .map(([k, v]) => `${k}=${v}`).join(" ");
  return `${c.optimizer} ${settings}`;
}
