// The formula port against Python (js/test/formula.json, made by js/test/make_formula_golden.py): the same
// messages (said word for word in English and Chinese from the tables), the same canonical text, LaTeX and operations, the same values and gradients (to the
// last bit where only + - * / sqrt and integer powers are used), the same minima, windows and levels, and runs
// of the book's rules that step to the same points.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { FUNCTIONS, FormulaError, LIMITS, formulaSlug, numberText, parseFormula } from "../src/core/formula.js";
import { fitResolution } from "../src/core/landscape.js";
import { CONFIG, MESSAGES } from "../testing/golden.js";
import { say } from "../src/core/i18n.js";
import { formulaObjective } from "../src/core/formula_objective.js";
import { describeTape } from "../src/core/formula_tape.js";

const GOLDEN = JSON.parse(readFileSync(new URL("./formula.json", import.meta.url), "utf8"));
const num = (v) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v);
const label = (text) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

function same(ours, theirs, exact, what) {
  const b = num(theirs);
  if (Number.isNaN(b)) return assert.ok(Number.isNaN(ours), `${what}: ${ours} where Python has NaN`);
  if (exact || !Number.isFinite(b)) return assert.ok(Object.is(ours, b) || (ours === 0 && b === 0), `${what}: ${ours} !== ${b}`);
  assert.ok(Math.abs(ours - b) <= 1e-10 * Math.max(1, Math.abs(b)), `${what}: ${ours} vs ${b}`);
  return undefined;
}

test("the limits and the functions are Python's", () => {
  assert.deepEqual({ ...LIMITS }, GOLDEN.limits);
  assert.deepEqual([...FUNCTIONS], GOLDEN.functions);
});

test("numbers are written as Python's formula.number_text writes them", () => {
  for (const [x, text] of GOLDEN.numbers) assert.equal(numberText(x), text, String(x));
});

describe("reading: the canonical text, LaTeX, operations, or the message word for word", () => {
  for (const c of GOLDEN.parse) {
    test(label(c.input), () => {
      if (c.error !== undefined) {
        assert.throws(() => parseFormula(c.input), (err) => {
          assert.ok(err instanceof FormulaError);
          assert.deepEqual(err.note, c.message);
          assert.equal(say(MESSAGES, "en", err.note), c.error);
          assert.equal(say(MESSAGES, "zh", err.note), c.zh);
          return true;
        });
        return;
      }
      const f = parseFormula(c.input);
      assert.equal(f.text, c.text);
      assert.equal(f.latex, c.latex);
      assert.deepEqual(f.variables, c.variables);
      assert.equal(f.degree, num(c.degree));
      assert.equal(f.quadratic, c.quadratic);
      assert.equal(formulaSlug(c.input), c.slug);
      assert.equal(f.cost, c.cost);
      assert.deepEqual(describeTape(f.tape), c.tape.map(([k, a, b, v, name, d1, d2]) => [k, a, b, num(v), name, d1, d2]));
      assert.equal(parseFormula(f.text).text, f.text, "the canonical text reads back as itself");
    });
  }
});

describe("values and exact gradients (to the last bit without transcendental functions)", () => {
  for (const c of GOLDEN.values) {
    test(label(c.text), () => {
      const f = parseFormula(c.text);
      for (const [x1, x2, v, g1, g2] of c.points) {
        const out = f.valueAndGrad(num(x1), num(x2));
        same(out[0], v, c.exact, `f(${x1}, ${x2})`);
        same(out[1], g1, c.exact, `g1(${x1}, ${x2})`);
        same(out[2], g2, c.exact, `g2(${x1}, ${x2})`);
      }
    });
  }
});

describe("the objective of a formula: window, levels, minima, saddles, Hessian", () => {
  for (const c of GOLDEN.objectives) {
    test(`${label(c.input)} from ${c.start}${c.window ? ` in ${c.window}` : ""}`, () => {
      const o = formulaObjective(c.input, { start: c.start, window: c.window });
      assert.equal(o.name, c.name);
      assert.equal(o.latex, c.latex);
      assert.deepEqual(o.xlim, c.xlim);
      assert.deepEqual(o.ylim, c.ylim);
      assert.equal(o.levels, c.levels);
      for (const key of ["minima", "saddles"]) {
        assert.equal(o[key].length, c[key].length, `${key}: ${JSON.stringify(o[key])}`);
        o[key].forEach((p, i) => {
          assert.ok(Math.abs(p[0] - c[key][i][0]) <= 1e-8 && Math.abs(p[1] - c[key][i][1]) <= 1e-8,
            `${key}[${i}]: ${p} vs ${c[key][i]}`);
        });
      }
      if (c.hessian === null) assert.equal(o.hessian, null);
      else o.hessian.flat().forEach((h, i) => same(h, c.hessian.flat()[i], false, `hessian[${i}]`));
    });
  }
});

// rules.gd and rules.momentum, as engine.run steps them, on the formula's gradient.
function stepRule(c) {
  const f = parseFormula(c.text);
  let x1 = c.start[0], x2 = c.start[1], v1 = 0, v2 = 0;
  const points = [[x1, x2]];
  let divergedAt = null;
  for (let t = 1; t <= c.steps; t++) {
    const [g1, g2] = f.grad(x1, x2);
    if (c.optimizer === "gd") {
      x1 = x1 - c.settings.eta * g1; x2 = x2 - c.settings.eta * g2;
    } else {
      v1 = c.settings.beta * v1 + g1; v2 = c.settings.beta * v2 + g2;
      x1 = x1 - c.settings.eta * v1; x2 = x2 - c.settings.eta * v2;
    }
    if (!(Math.abs(x1) <= 1e6 && Math.abs(x2) <= 1e6)) {
      divergedAt = t;
      break;
    }
    points.push([x1, x2]);
  }
  return { points, divergedAt };
}

describe("the book's rules on a formula step to Python's points", () => {
  for (const c of GOLDEN.runs) {
    test(`${c.optimizer} ${JSON.stringify(c.settings)} on ${c.text}`, () => {
      const ours = stepRule(c);
      assert.equal(ours.divergedAt, c.diverged_at);
      ours.points.forEach((p, t) => {
        same(p[0], c.points[t][0], c.exact, `x1 at step ${t}`);
        same(p[1], c.points[t][1], c.exact, `x2 at step ${t}`);
      });
    });
  }
});

test("a formula equal to the book's quadratic prints the book's line through the JavaScript steps", () => {
  const c = GOLDEN.runs.find((r) => r.text === "0.1*x1^2 + 2*x2^2" && r.optimizer === "gd");
  assert.equal(c.book_line, "epoch 20, x1: -0.943467, x2: -0.000073"); // d2l 12.6, as tests/golden/book.json
  const last = stepRule(c).points.at(-1);
  assert.deepEqual(last, c.points.at(-1));
});

test("a formula's map is lowered to the budget as landscape.fit_budget lowers it", () => {
  for (const [requested, steps, axes, cost, python] of GOLDEN.budgets) {
    assert.equal(fitResolution(CONFIG, requested, steps, axes, cost).resolution, python, `${steps} ${axes} ${cost}`);
  }
});

test("nothing in a formula is run as code", () => {
  globalThis.__formulaRan = false;
  for (const text of ["globalThis.__formulaRan = true", "constructor.constructor('return 1')()",
    "x1.constructor", "__proto__", "toString(x1)", "valueOf", "hasOwnProperty(x1)"]) {
    assert.throws(() => parseFormula(text), FormulaError, text);
  }
  assert.equal(globalThis.__formulaRan, false);
});
