import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { STATE_NAMES, resolve, run } from "../src/core/engine.js";
import { evaluate, fill, fmt, inspectStep, linesOf } from "../src/core/inspector.js";
import { CONFIG, assertClose, size } from "../testing/golden.js";

// Made by js/test/make_inspector_golden.py from the Python engine and trajectories/inspector.py.
const GOLDEN = JSON.parse(readFileSync(new URL("./inspector.json", import.meta.url), "utf8"));
const INSPECTOR = GOLDEN.templates;
const DIGITS = INSPECTOR.digits;
const nan = (v) => (v === null ? NaN : v);
const name = (c) => `${c.optimizer} ${c.options.convention} ${c.options.objective}`
  + ` ${JSON.stringify(Object.fromEntries(Object.entries(c.options).filter(([k]) => !["objective", "start",
    "steps", "convention", "noise", "seed"].includes(k))))}`;

function ours(c) {
  const { noise, ...options } = c.options; // the engine draws SGD's noise from the seed; the inspector is told it
  const result = run(c.optimizer, options, CONFIG);
  const resolved = resolve(c.optimizer, options, CONFIG);
  const setting = { rule: resolved.rule, convention: resolved.convention, hyperparameters: resolved.hyperparameters,
    noise };
  return { result, setting };
}

describe("the inspector's numbers are the Python engine's (js/test/inspector.json)", () => {
  for (const c of GOLDEN.cases) {
    test(name(c), () => {
      const { result, setting } = ours(c);
      assert.equal(result.divergedAt, c.diverged_at);
      for (const expected of c.inspections) {
        const got = inspectStep(INSPECTOR, setting, result, expected.step);
        const where = `step ${expected.step}`;
        assert.equal(got.t, expected.t, where);
        assertClose(got.x, expected.x, 1e-12 * size(expected.x), `${where} x`);
        assert.equal(got.diverged, expected.diverged, where);
        if (expected.x_next === null) {
          assert.equal(got.xNext, null, where);
        } else {
          assertClose(got.xNext, expected.x_next, 1e-12 * size(expected.x_next), `${where} x_next`);
          assertClose(got.gradient, expected.gradient, 1e-12 * size(expected.gradient), `${where} gradient`);
          if (expected.effective_lr === null) assert.equal(got.effectiveLr, null, where);
          else assertClose(got.effectiveLr, expected.effective_lr, 1e-12 * size(expected.effective_lr), where);
        }
        assert.deepEqual(Object.keys(got.stateBefore), Object.keys(expected.state_before), `${where}: state names`);
        for (const [k, v] of Object.entries(expected.state_before)) {
          assertClose(got.stateBefore[k], v, 1e-12 * size(v), `${where} ${k} before`);
        }
        for (const [k, v] of Object.entries(expected.state_after)) {
          assertClose(got.stateAfter[k], v, 1e-12 * size(v), `${where} ${k} after`);
        }
        assert.deepEqual(got.lines.map((l) => l.text), expected.lines.map((l) => l.text), where);
        got.lines.forEach((line, i) => {
          const e = expected.lines[i];
          assertClose(line.value, e.value, 1e-12 * size(e.value), `${where} ${e.text}`);
          assert.deepEqual(line.substituted, e.substituted, `${where} ${e.text}`);
        });
      }
    });
  }

  test("the cases cover every rule, both conventions and every variant", () => {
    const seen = new Set(GOLDEN.cases.map((c) => `${c.optimizer} ${c.options.convention}`));
    for (const convention of Object.keys(INSPECTOR.rules)) {
      for (const rule of Object.keys(INSPECTOR.rules[convention])) assert.ok(seen.has(`${rule} ${convention}`));
    }
    assert.ok(GOLDEN.cases.some((c) => c.inspections.some((i) => i.diverged)), "a step that diverges");
    assert.ok(GOLDEN.cases.some((c) => c.inspections.some((i) => i.x_next === null)), "the last point");
  });
});

describe("the engine's record is what Python's Trajectory keeps", () => {
  test("state names, zeros first; the gradient each step read; Nesterov's look-ahead", () => {
    for (const rule of Object.keys(STATE_NAMES)) {
      const r = run(rule, { steps: 4 }, CONFIG);
      assert.deepEqual(Object.keys(r.state), STATE_NAMES[rule]);
      for (const a of Object.values(r.state)) assert.deepEqual([a[0], a[1]], [0, 0]);
      assert.equal(r.gradients.length, 8);
      assert.equal(r.lookahead === null, rule !== "nesterov");
    }
    assert.equal(run("nesterov", { convention: "torch" }, CONFIG).lookahead, null);
    const d = run("gd", { eta: 0.6, steps: 60 }, CONFIG);
    assert.equal(d.divergedAt, 39);
    assert.ok(Number.isFinite(d.gradients[2 * 38 + 1]) && Number.isNaN(d.gradients[2 * 39]));
  });

  test("every line computes the value the engine keeps", () => {
    for (const c of GOLDEN.cases) {
      const { result, setting } = ours(c);
      for (const step of [0, 1]) {
        const got = inspectStep(INSPECTOR, setting, result, step);
        const env = { t: got.t, x: got.x, grad: got.gradient, xi: setting.noise?.[step], ...got.stateBefore };
        for (const [k, v] of Object.entries(setting.hyperparameters)) if (typeof v === "number") env[k] = v;
        if (result.rates) env.eta = result.rates[step]; // a schedule's rate at step t is the lines' eta
        const lines = linesOf(INSPECTOR, setting.rule, setting.convention, setting.hyperparameters);
        got.lines.forEach((line, k) => {
          const tree = lines[k].tree;
          const computed = evaluate(tree, env);
          computed.forEach((v, i) => assert.ok(Math.abs(v - line.value[i]) <= 1e-12 * Math.max(1, Math.abs(v)),
            `${name(c)} ${line.text}: ${v} against ${line.value[i]}`));
          if (line.role !== "input") env[line.name] = line.value;
        });
      }
    }
  });
});

describe("numbers as the inspector writes them (inspector.fmt and fill)", () => {
  test("significant digits, a true minus sign, short exponents, parentheses after an operator", () => {
    assert.equal(fmt(1e-6, DIGITS), "1e−6");
    assert.equal(fmt(-0.4745961372624525, DIGITS), "−0.4746");
    assert.equal(fmt(123456, DIGITS), "1.235e5");
    assert.equal(fmt(NaN, DIGITS), "—");
    const values = { x: -2.5, g: -0.25, eta: 0.4, beta1: 0.9, t: 4 };
    assert.equal(fill("⟨x⟩ − ⟨(eta)⟩·⟨(g)⟩", values, DIGITS), "−2.5 − 0.4·(−0.25)");
    assert.equal(fill("⟨(beta1)⟩⟨^t⟩", values, DIGITS), "0.9⁴");
  });

  test("the step past divergence has nothing to show, and a step out of range says so", () => {
    const r = run("gd", { eta: 0.6, steps: 60 }, CONFIG);
    const setting = { rule: "gd", convention: "d2l", hyperparameters: { eta: 0.6 } };
    assert.equal(inspectStep(INSPECTOR, setting, r, 39), null);
    assert.throws(() => inspectStep(INSPECTOR, setting, r, 61),
      /The 'step' parameter must be an integer in the range \[0, 60\]\. Got 61 instead\./);
  });
});
