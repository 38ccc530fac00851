import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { pyG, pyRepr } from "../src/core/format.js";
import { say } from "../src/core/i18n.js";
import { fromQuery, linkLanguage } from "../src/core/link.js";
import { readFloat, readInt } from "../src/core/link_values.js";
import { toQuery } from "../src/core/link_write.js";
import { fileName } from "../src/core/names.js";
import { generalLatex } from "../src/core/objectives.js";
import { CONFIG, GOLDEN, MESSAGES } from "../testing/golden.js";

// Python's lessons and notes for the same links, made by js/test/make_links_golden.py.
const LINKS = JSON.parse(readFileSync(new URL("./links.json", import.meta.url), "utf8"));

const shown = (text) => JSON.stringify(text.length > 70 ? `${text.slice(0, 70)}...` : text);

// deepStrictEqual does not look at key order; a run's settings keep the spec tables' order, as Python's.
function assertSameLesson(ours, python, what) {
  assert.deepStrictEqual(ours, python, what);
  assert.deepStrictEqual(Object.keys(ours), Object.keys(python), what);
  python.runs.forEach((run, i) => {
    assert.deepStrictEqual(Object.keys(ours.runs[i].settings), Object.keys(run.settings), what);
  });
}

// What a note is about: its message, and the parameter it names ("Ignored eta=..."), without the value's
// spelling, which may differ for exotic text.
const subject = (note) => `${note.key}:${note.key === "note.ignored" ? note.params.key : ""}`;
const english = (notes) => notes.map((n) => say(MESSAGES, "en", n));

// A link whose keys and values are ASCII once decoded: its notes are Python's, word for word.
const asciiText = (query) => [...new URLSearchParams(query.replace(/^\?+/, ""))].flat()
  .every((text) => /^[\x00-\x7f]*$/.test(text));

describe("links give the lesson Lesson.from_query gives (js/test/links.json)", () => {
  test("the golden data is big enough to mean something", () => {
    assert.ok(LINKS.queries.length >= 1000, `${LINKS.queries.length} queries`);
    const notes = LINKS.queries.flatMap((c) => english(c.messages));
    for (const start of ["Ignored optimizer ", "Ignored optimizers beyond", "Capped steps=", "only applies to",
      "is not among the optimizers shown", "only under convention=", "no optimizer shown takes",
      "must be an integer in the range [1, ", "2**32)", "must be a finite number", "must be two numbers",
      "pair of finite floats", "of general must be a float", "must be one of True, False",
      "must be one of 'constant'", "must be a float in the range [1e-05, 100]. Got '",
      "must be a float in the range [0, 1]. Got ", "The 'convention' parameter", "The 'objective' parameter"]) {
      assert.ok(notes.some((n) => n.includes(start)), `no note has ${JSON.stringify(start)}`);
    }
    const exotic = LINKS.queries.filter((c) => !asciiText(c.query)).length;
    assert.ok(exotic >= 100 && LINKS.queries.length - exotic >= 600, `${exotic} links of exotic text`);
  });

  for (const c of LINKS.queries) {
    test(shown(c.query), () => {
      const { lesson, notes } = fromQuery(CONFIG, c.query, { ignore: LINKS.ignore });
      assertSameLesson(lesson, c.lesson, "lesson");
      assert.deepStrictEqual(notes.map(subject), c.messages.map(subject), "a note for each parameter ignored");
      if (asciiText(c.query)) assert.deepStrictEqual(notes, c.messages, "Python's messages");
      for (const lang of ["en", "zh"]) {
        if (c[lang] && asciiText(c.query)) {
          assert.deepStrictEqual(notes.map((n) => say(MESSAGES, lang, n)), c[lang], `Python's ${lang} words`);
        }
      }
      const back = fromQuery(CONFIG, toQuery(CONFIG, lesson));
      assert.deepStrictEqual(back.notes, []);
      assertSameLesson(back.lesson, lesson, "the link's lesson");
    });
  }

  test("anything that is not a string is a note, not an exception", () => {
    for (const query of [5, {}, [], true]) {
      const { lesson, notes } = fromQuery(CONFIG, query);
      assert.deepStrictEqual(lesson, CONFIG.defaultLesson);
      assert.match(say(MESSAGES, "en", notes[0]), /^Ignored the link: it must be a query string/);
      assert.match(say(MESSAGES, "zh", notes[0]), /^忽略了链接/);
    }
    assert.deepStrictEqual(fromQuery(CONFIG, null), { lesson: CONFIG.defaultLesson, notes: [] });
  });
});

describe("the page's language in a link (lang=, a view setting, not the lesson's)", () => {
  test("lang=zh and lang=en are read; anything else is no language, and Lesson.from_query's note says so", () => {
    assert.equal(linkLanguage("optimizer=gd&lang=zh"), "zh");
    assert.equal(linkLanguage("lang=en"), "en");
    for (const query of ["lang=fr", "lang=ZH", "lang=", "optimizer=gd", ""]) assert.equal(linkLanguage(query), null);
    const handmade = LINKS.queries.filter((c) => c.query.includes("lang="));
    assert.ok(handmade.length >= 4 && handmade.every((c) => c.zh), "the handmade lang links carry Chinese notes");
  });
});

describe("links written as Lesson.to_query writes them", () => {
  for (const c of LINKS.lessons) {
    test(c.link.length > 70 ? `${c.link.slice(0, 70)}...` : c.link, () => {
      assert.equal(toQuery(CONFIG, c.lesson), c.link);
      assert.equal(fileName(CONFIG, c.lesson, "svg", c.step), c.name, "figures.file_name");
      const { lesson, notes } = fromQuery(CONFIG, c.link);
      assert.deepStrictEqual(notes, c.messages);
      assertSameLesson(lesson, c.back, "the link's lesson");
      if (c.lesson.steps <= CONFIG.pageSteps) {
        assert.deepStrictEqual(notes, []);
        assertSameLesson(lesson, c.lesson, "the lesson given back");
      }
    });
  }

  test("the lessons cover every optimizer, convention and objective, and steps past the page's", () => {
    const lessons = LINKS.lessons.map((c) => c.lesson);
    const rules = (l) => l.runs.map((r) => r.optimizer);
    for (const rule of CONFIG.rules) assert.ok(lessons.some((l) => rules(l).includes(rule)), rule);
    for (const convention of CONFIG.conventions) assert.ok(lessons.some((l) => l.convention === convention));
    for (const name of Object.keys(CONFIG.objectives)) assert.ok(lessons.some((l) => l.objective === name), name);
    assert.ok(lessons.some((l) => l.runs.length === CONFIG.maxOptimizers));
    // runs: one optimizer twice (the run= form), schedules, noise, spreads and names
    assert.ok(lessons.some((l) => new Set(rules(l)).size < l.runs.length));
    assert.ok(lessons.some((l) => l.runs.some((r) => r.settings.schedule && r.settings.schedule !== "constant")));
    assert.ok(lessons.some((l) => l.runs.some((r) => r.spread > 1 && r.label)));
    assert.ok(LINKS.lessons.some((c) => c.messages.length === 1 && c.messages[0].key === "note.capped_steps"));
    const cut = LINKS.lessons.filter((c) => c.name.length > CONFIG.maxName).length;
    assert.ok(cut >= 5 && LINKS.lessons.some((c) => c.step > 0), `${cut} names cut to a digest`);
  });
});

describe("a link's numbers, as Python's int() and float() read ASCII text", () => {
  test("Python's spellings, and what it refuses", () => {
    for (const [text, value] of [["1_000", 1000n], [" +7 ", 7n], ["0_0", 0n], ["-0", 0n], ["1__0", null],
      ["_1", null], ["12.0", null], ["1e3", null], ["٣", null], ["9".repeat(4301), null]]) {
      assert.equal(readInt(text), value, JSON.stringify(text));
    }
    for (const [text, value] of [["1_0.5", 10.5], [".5", 0.5], ["5.", 5], ["iNf", Infinity], ["-INFINITY", -Infinity],
      ["1e400", Infinity], ["1._5", null], ["0x10", null], ["", null], [" ", null], ["1 000", null],
      ["\u00a05", null], ["１２", null]]) {
      assert.equal(readFloat(text), value, JSON.stringify(text));
    }
    assert.ok(Number.isNaN(readFloat("+nan")));
  });
});

describe("general()'s LaTeX (js/test/golden.json: latex)", () => {
  test(`${GOLDEN.latex.length} (condition, angle) pairs, with and without the cross term`, () => {
    for (const [condition, angle, latex] of GOLDEN.latex) {
      assert.equal(generalLatex(condition, angle), latex, `condition=${condition}, angle=${angle}`);
    }
    assert.ok(GOLDEN.latex.some(([, , latex]) => !latex.includes("x_1 x_2")));
    assert.ok(GOLDEN.latex.some(([, , latex]) => latex.includes("- ")));
  });
});

describe("Python's number formats (js/test/golden.json: python_formats)", () => {
  test(`repr, :g and .4g of ${GOLDEN.python_formats.length} floats (core/format.js)`, () => {
    for (const [x, repr, g, g4] of GOLDEN.python_formats) {
      assert.equal(pyRepr(x), repr.endsWith(".0") ? repr.slice(0, -2) : repr);
      assert.equal(pyG(x), g, repr);
      assert.equal(pyG(x, 4), g4, repr);
    }
  });
});
