import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { pyG, pyRepr } from "../src/core/format.js";
import {
  fromQuery, pyFloat, pyFloatRepr, pyInt, pyLower, pyStrip, pyStrRepr, toQuery,
} from "../src/core/link.js";
import { generalLatex } from "../src/core/objectives.js";

// Python's answers, made by js/test/make_links_golden.py (links.json holds its own state.config()).
const LINKS = JSON.parse(readFileSync(new URL("./links.json", import.meta.url), "utf8"));
const CONFIG = LINKS.config;

const shown = (text) => JSON.stringify(text.length > 70 ? `${text.slice(0, 70)}...` : text);

// deepStrictEqual does not look at key order; a lesson's hyperparameters keep the spec table's order, as Python's.
function assertSameLesson(ours, python, what) {
  assert.deepStrictEqual(ours, python, what);
  assert.deepStrictEqual(Object.keys(ours), Object.keys(python), what);
  for (const name of python.optimizers) {
    assert.deepStrictEqual(Object.keys(ours.hyperparameters[name]), Object.keys(python.hyperparameters[name]), what);
  }
}

describe("links read as Lesson.from_query reads them (js/test/links.json)", () => {
  test("the golden data is big enough to mean something", () => {
    assert.ok(LINKS.queries.length >= 3000, `${LINKS.queries.length} queries`);
    const notes = LINKS.queries.flatMap((c) => c.notes);
    for (const start of ["Ignored optimizer ", "Ignored optimizers beyond", "Capped steps=", "only applies to",
      "is not among the optimizers shown", "only under convention=", "no optimizer shown takes",
      "must be an integer in the range [1, ", "2**32)", "must be a finite number", "must be two numbers",
      "pair of finite floats", "of general must be a float", "must be one of True, False",
      "must be one of 'constant'", "must be a float in the range [1e-05, 100]. Got '",
      "must be a float in the range [0, 1]. Got ", "The 'convention' parameter", "The 'objective' parameter"]) {
      assert.ok(notes.some((n) => n.includes(start)), `no note has ${JSON.stringify(start)}`);
    }
  });

  for (const c of LINKS.queries) {
    test(shown(c.query), () => {
      const { lesson, notes } = fromQuery(CONFIG, c.query, { ignore: LINKS.ignore });
      assert.deepStrictEqual(notes, c.notes);
      assertSameLesson(lesson, c.lesson, "lesson");
      assert.equal(toQuery(CONFIG, lesson), c.link);
      const back = fromQuery(CONFIG, toQuery(CONFIG, lesson));
      assert.deepStrictEqual(back.notes, []);
      assertSameLesson(back.lesson, lesson, "the link's lesson");
    });
  }

  test("anything that is not a string is a note, not an exception", () => {
    for (const query of [5, {}, [], true]) {
      const { lesson, notes } = fromQuery(CONFIG, query);
      assert.deepStrictEqual(lesson, CONFIG.defaultLesson);
      assert.match(notes[0], /^Ignored the link: it must be a query string/);
    }
    assert.deepStrictEqual(fromQuery(CONFIG, null), { lesson: CONFIG.defaultLesson, notes: [] });
  });
});

describe("links written as Lesson.to_query writes them", () => {
  for (const c of LINKS.lessons) {
    test(c.link.length > 70 ? `${c.link.slice(0, 70)}...` : c.link, () => {
      assert.equal(toQuery(CONFIG, c.lesson), c.link);
      const { lesson, notes } = fromQuery(CONFIG, c.link);
      assert.deepStrictEqual(notes, c.notes);
      assertSameLesson(lesson, c.back, "the link's lesson");
      if (c.lesson.steps <= CONFIG.pageSteps) {
        assert.deepStrictEqual(notes, []);
        assertSameLesson(lesson, c.lesson, "the lesson given back");
      }
    });
  }

  test("the lessons cover every optimizer, convention and objective, and steps past the page's", () => {
    const lessons = LINKS.lessons.map((c) => c.lesson);
    for (const rule of CONFIG.rules) assert.ok(lessons.some((l) => l.optimizers.includes(rule)), rule);
    for (const convention of CONFIG.conventions) assert.ok(lessons.some((l) => l.convention === convention));
    for (const name of Object.keys(CONFIG.objectives)) assert.ok(lessons.some((l) => l.objective === name), name);
    assert.ok(lessons.some((l) => l.optimizers.length === CONFIG.maxOptimizers));
    assert.ok(LINKS.lessons.some((c) => c.notes.length === 1 && c.notes[0].startsWith("Capped")));
  });
});

describe("general()'s LaTeX", () => {
  test(`${LINKS.latex.length} (condition, angle) pairs, with and without the cross term`, () => {
    for (const [condition, angle, latex] of LINKS.latex) {
      assert.equal(generalLatex(condition, angle), latex, `condition=${condition}, angle=${angle}`);
    }
    assert.ok(LINKS.latex.some(([, , latex]) => !latex.includes("x_1 x_2")));
    assert.ok(LINKS.latex.some(([, , latex]) => latex.includes("- ")));
  });
});

describe("Python's text and numbers", () => {
  test(`repr, strip, lower, int and float of ${LINKS.strings.length} strings`, () => {
    for (const [s, repr, stripped, lowered, int, float] of LINKS.strings) {
      const what = pyStrRepr(s);
      assert.equal(pyStrRepr(s), repr);
      assert.equal(pyStrip(s), stripped, what);
      assert.equal(pyLower(s), lowered, what);
      const i = pyInt(s);
      assert.equal(i === null ? null : String(i), int, what);
      const x = pyFloat(s);
      assert.equal(x === null ? null : pyFloatRepr(x), float, what);
    }
  });

  test(`repr, :g and .4g of ${LINKS.numbers.length} floats (format.js)`, () => {
    for (const [x, repr, g, g4] of LINKS.numbers) {
      assert.equal(pyFloatRepr(x), repr);
      assert.equal(pyRepr(x), repr.endsWith(".0") ? repr.slice(0, -2) : repr);
      assert.equal(pyG(x), g, repr);
      assert.equal(pyG(x, 4), g4, repr);
    }
  });
});
