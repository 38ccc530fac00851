"""Write js/test/links.json: the lessons Python makes from links, for the page with no server to make the same.

js/src/core/link.js reads a link with the browser's URLSearchParams and the lesson's own checks, and writes it as
``Lesson.to_query`` does. Run from the repository root after any change to trajectories/lesson.py, specs.py,
state.config() or this script:

    python js/test/make_links_golden.py

links.json holds, one record per line: Python's lesson (``state.lesson_state``) and notes for links drawn from the
real keys and hostile values (tests/test_links_property.py's), handmade links that each hit one rule, and random
valid lessons with their links. A note is there as its message (``{key, params}``, the data the page says in its
own language); the handmade links have Python's English and Chinese text of their notes too. link.test.js checks
that the page makes the same lesson from each link, a note for each parameter Python ignored, the same message
where the link is ASCII (and the same words in both languages for the handmade ones), and the same link from each
lesson. The links are drawn with a fixed seed, so the
file changes only when Python's answers do.
"""

from __future__ import annotations

import json
import math
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the golden data must come from this checkout's Python, not an installed copy
sys.path.insert(0, str(ROOT / "tests"))  # the hostile values live with the Python property test

from test_links_property import HOSTILE_VALUES, KEYS  # noqa: E402

from trajectories.engine import MAX_STEPS  # noqa: E402
from trajectories.figures import file_name  # noqa: E402
from trajectories.i18n import Message  # noqa: E402
from trajectories.lesson import MAX_OPTIMIZERS, PAGE_STEPS, Lesson, Run  # noqa: E402
from trajectories.objectives import OBJECTIVES  # noqa: E402
from trajectories.specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SCHEDULES, SPECS  # noqa: E402
from trajectories.state import lesson_state  # noqa: E402

OUT = Path(__file__).with_name("links.json")
SEED = 20240607
IGNORE = ("theme", "template")  # serve.lesson_for_query's: Voila's own keys
QUERIES, LESSONS = 1200, 200
# Text the two platforms read in their own ways: other scripts' digits and spaces, Python's extra whitespace,
# case that changes length, broken escapes, a byte-order mark, control characters.
EXOTIC = ["١٢", "٣.٥", "１２", "\u00a05", "5\u2003", "\x1c5", "\x855", "\ufeff5", "İ", "Σ", "\u212a", "é", "🙂",
          "%C3", "%E2%82", "%FF", "%00", "%1C5", "%C2%A05", "\x00", "\t5\n", "1\u00a0000", "½", "𝟏"]
NUMBERS = ["1e-5", "1e-05", "100.00000000000001", "5e-324", "1.8e308", "+1", ".5", "5.", "1e", ".", "1_0.5", "1__0",
           "_1", "1_", "1._5", "Infinity", "-INFINITY", "iNf", "+nan", "0x1p3", "0b1", "1j", "1,5", "1 000", "-0",
           "00", "0_0", "4294967295", "4294967296", "1000.0000000000001", "1e6,1e6", "1000000.0000000001,0", ",1",
           " 1 , 2 ", "501", "500", "100000", "100001", "9" * 4301, "1" * 4300]
HANDMADE = [
    "optimizer=rmsprop&eta=0.4&gamma=0.9&steps=20", "optimizer=gd,momentum&momentum.eta=0.6&momentum.beta=0.5",
    "optimizer=adam,rmsprop&rmsprop.gamma=0.5&steps=40&start=-3,1&adam.beta1=2",
    "optimizer=adadelta&convention=torch&eta=3&rho=0.5", "optimizer=adadelta&eta=3", "optimizer=adadelta,gd&eta=3",
    "optimizer=sgd&schedule=polynomial&seed=7&objective=bowl", "seed=-1", "optimizer=sgd&seed=-1",
    "objective=general&condition=0", "objective=general&angle=999", "optimizer=rmsprop&steps=100000",
    "condition=5&angle=3", "objective=general&condition=1e3&angle=-0", "optimizer=" + ",".join(RULES),
    "optimizer=,,,", "optimizer= , GD ,Adam,gd,adam", "optimizer=gd&optimizer=adam", "eta=1&optimizer=gd&eta=2",
    "optimizer=gd,momentum&momentum.eta=0.1&eta=0.2", "optimizer=adam&adam.bias_correction=YES",
    "optimizer=gd,adam&bias_correction=off", "optimizer=sgd&schedule=Constant", "start=1e9,0", "start=1,2,3",
    "steps=1_0", "steps=+7", "steps=12.0", "seed=4294967296", "?optimizer=gd", "??optimizer=gd", "", "&&", "=",
    "%ZZ=%&&&==&optimizer", "theme=dark&template=lab&optimizer=gd", "optimizer=gd&x.y.z=1", "optimizer=gd&.eta=1",
    "optimizer=gd&__proto__=1&constructor=2&toString=3", "optimizer=gd&gd.__proto__=1", "convention=Torch",
    "objective=%20general%20&condition=3", "optimizer=rmsprop&eta=lambda: 0&gamma={{7*7}}",
    "%EF%BB%BFoptimizer=gd", "%1Coptimizer=gd", "%C2%85steps=3", "%E2%80%8Bsteps=3", "+steps+=3",
    '?theme="><svg onload="window.__pwned=2">&optimizer=gd',
    # runs (issue 21): the same optimizer twice, a run's own settings, schedules and noise, and what goes wrong
    "run=gd:eta=0.4&run=gd:eta=0.6", "run=momentum:eta=0.6,beta=0.5&run=momentum:eta=0.6,beta=0.25",
    "objective=bowl&steps=50&run=sgd:schedule=constant&run=sgd:schedule=exponential&run=sgd:schedule=polynomial",
    "optimizer=momentum&run=gd:eta=0.6&run=gd&eta=0.2&gd.sigma=0.5&sigma=0.1&steps=30&seed=4",
    "run=gd:schedule=multifactor,milestones=5,12,factor=0.3,label=gd, in steps&run=adam",
    "run=sgd:spread=50,sigma=2,seed=3,label=fifty&run=sgd", "convention=torch&optimizer=gd,adam&schedule=cosine"
    "&warmup=5&period=30&start_factor=0.1", "run=adamw:eta=1", "run=gd:eta=fast", "run=gd:period=3",
    "run=gd:schedule=cosine,warmup=30", "run=gd:eta", "run=gd:eta=1,eta=2", "run=gd:seed=-3", "run=gd:spread=500",
    "optimizer=gd&period=3", "optimizer=adadelta&schedule=cosine", "run=gd:label=x&run=gd:label=x",
    "&".join(["run=gd"] * 7), "run=gd:schedule=multifactor,milestones=30,15", "run=gd:schedule=cosine,period=2.5",
    "run= GD :eta=0.5", "run=gd:", "run=:eta=1", "run=gd:,eta=1", "run=gd&optimizer=adam&run=adam:eta=0.1",
    "run=gd:label=gd&run=gd:eta=0.6", "run=gd:label= x", "convention=torch&run=gd:schedule=linear,start_factor=0",
    # formulas and windows (issue 24): read, refused with the position, '+' read as a space, no finite value
    "objective=x1%5E4+%2B+x2%5E2&window=-3,1,-1,3", "objective=x1^2+2*x2^2", "objective=x1%5E2+%2B+*+x2",
    "objective=__import__('os')", "objective=x1**9999999", "objective=0/0", "objective=1e999", "objective=3",
    "objective=sqrt(-1-x1%5E2)", "objective=log(x1)&window=-3,-1,0,1", "objective=log(x1)&window=1,3,-1,1",
    "objective=x1*0/0", "objective=%E2%88%92x%E2%82%81%C2%B2+%2B+%CF%80", "objective=%D1%851", "objective=General",
    "objective=exp", "objective=X1", "window=1,2,3", "window=2,1,0,1", "window=nan,1,2,3", "window=-1e6,1e6,-1e6,1e6",
    "window=-1e7,1,0,1", "window=%D9%A1,2,3,4", "objective=x1%5E2&window=" + "1," * 120 + "1",
    "objective=f+%3D+x%5E2+%2B+3y%5E2&start=4,4", "objective=" + "(" * 33 + "x1" + ")" * 33,
    "lang=zh&optimizer=gd", "optimizer=gd&lang=fr", "lang=ZH&eta=abc", "lang=", "lang=en&lang=zh&steps=9999",
]


def value(rng: random.Random, key: str) -> str:
    """A value for ``key``: one it takes, a hostile one, an edge of number parsing, or exotic text."""
    r = rng.random()
    name = key.rpartition(".")[2]
    specs = [s[name] for table in SPECS.values() for s in table.values() if name in s]
    if r < 0.35 and specs:
        spec = rng.choice(specs)
        if spec.is_choice:
            return str(rng.choice([*spec.choices, "true", "off", "Constant"])).lower()
        low, high = (math.log10(spec.low), math.log10(spec.high)) if spec.scale == "log" else (spec.low, spec.high)
        x = rng.uniform(low - 0.3, high + 0.3)
        return repr(10.0 ** x if spec.scale == "log" else x)
    if r < 0.35:
        return rng.choice({"optimizer": [",".join(rng.sample(RULES, rng.randint(1, 5))), "GD, Adam", "lbfgs"],
                           "objective": [*OBJECTIVES, " bowl", "General"], "convention": ["torch", " d2l ", "keras"],
                           "start": [f"{rng.uniform(-9, 9):.3g},{rng.uniform(-9, 9):.3g}"],
                           "steps": [str(rng.randint(-2, 600))], "seed": [str(rng.randint(-2, 2 ** 32))]
                           }.get(key, [str(rng.randint(0, 1001)), repr(rng.uniform(-200, 200))]))
    if r < 0.6:
        return rng.choice(HOSTILE_VALUES)
    if r < 0.92:
        return rng.choice(NUMBERS)
    return "".join(rng.choice(EXOTIC + NUMBERS[:10]) for _ in range(rng.randint(1, 3)))


def drawn_query(rng: random.Random) -> str:
    pairs = [(rng.choice(KEYS), "") for _ in range(min(rng.randint(1, 10), rng.randint(1, 10)))]
    if rng.random() < 0.6:  # most links name their optimizers, so that dotted keys have something to match
        pairs.insert(0, ("optimizer", ""))
    if rng.random() < 0.3:
        pairs.append(("objective", "general"))
    query = urlencode([(k, v or value(rng, k)) for k, v in pairs])
    if rng.random() < 0.15:  # escapes written by hand, some of them broken; a key padded with '+'
        query = query.replace("%25", rng.choice(["%", "%C3", "%FF", "%2"]))
        query = query.replace("=", rng.choice(["=", "+=", "=="]), 1)
    return query


def data(note: str) -> Any:
    """A note as the page gets it: a message's data, or (a note not yet in the tables) its English text."""
    return note.data() if isinstance(note, Message) else note


def query_record(query: str, chinese: bool = False) -> dict[str, Any]:
    lesson, notes = Lesson.from_query(query, ignore=IGNORE)
    record = {"query": query, "lesson": lesson_state(lesson), "messages": [data(n) for n in notes]}
    if chinese:
        record |= {"en": notes, "zh": Lesson.from_query(query, ignore=IGNORE, lang="zh")[1]}
    return record


def random_lesson(rng: random.Random) -> Lesson:
    convention = rng.choice(CONVENTIONS)
    names = tuple(rng.sample(RULES, rng.randint(1, MAX_OPTIMIZERS)))
    hp = {}
    for name in names:
        values = {}
        for key, spec in SPECS[convention][name].items():
            if spec.is_choice:
                values[key] = rng.choice(spec.choices)
            elif rng.random() < 0.6:
                low, high = spec.low, spec.high
                x = 10.0 ** rng.uniform(math.log10(low), math.log10(high)) if spec.scale == "log" \
                    else rng.uniform(low, high)
                values[key] = min(max(float(f"{x:.{rng.randint(1, 17)}g}"), low), high)
        hp[name] = values
    objective = rng.choice(list(OBJECTIVES))
    general = objective == "general"
    coordinate = lambda: rng.choice([float(rng.randint(-6, 6)), rng.uniform(-1e6, 1e6),  # noqa: E731
                                     rng.choice([-1, 1]) * 10.0 ** rng.uniform(-320, 6)])
    return Lesson(optimizers=names, hyperparameters=hp, objective=objective,
                  condition=10.0 ** rng.uniform(0, 3) if general else 20.0,
                  angle=rng.uniform(-180, 180) if general else 0.0,
                  start=(coordinate(), coordinate()) if rng.random() < 0.8 else (-5.0, -2.0),
                  steps=rng.randint(1, PAGE_STEPS) if rng.random() < 0.9 else rng.randint(PAGE_STEPS + 1, MAX_STEPS),
                  convention=convention, seed=rng.choice([0, rng.randint(0, 2 ** 32 - 1), 2 ** 32 - 1]))


def random_runs(rng: random.Random) -> Lesson:
    """A lesson of runs: optimizers that repeat, schedules with their parameters, noise, spreads, names."""
    convention = rng.choice(CONVENTIONS)
    runs = []
    for i in range(rng.randint(1, MAX_OPTIMIZERS)):
        rule = rng.choice(RULES)
        hp = {}
        if "eta" in SPECS[convention][rule] and rng.random() < 0.6:
            schedule = rng.choice(SCHEDULES[convention])
            hp["schedule"] = schedule
            for key, spec in SCHEDULE_SPECS[convention][schedule].items():
                if spec.kind == "ints":
                    hp[key] = tuple(sorted(rng.sample(range(1, 200), rng.randint(1, 3))))
                elif spec.kind == "int":
                    hp[key] = rng.randint(int(spec.low), 60)
                else:
                    hp[key] = round(rng.uniform(spec.low, min(spec.high, 2.0)), rng.randint(1, 6))
            if schedule == "cosine" and hp["warmup"] >= hp["period"]:
                hp["warmup"] = hp["period"] - 1
        if rng.random() < 0.5:
            hp["sigma"] = round(rng.uniform(0, 3), 3)
        runs.append(Run(rule, hp, seed=rng.choice([0, rng.randint(0, 2 ** 32 - 1)]), spread=rng.choice([1, 1, 20]),
                        label=rng.choice(["", "", f"run {i}", "fast, noisy"]) if i else ""))
    labels = [r.label for r in runs]
    runs = [replace(r, label="") if r.label and labels.index(r.label) != i else r for i, r in enumerate(runs)]
    return Lesson(runs=tuple(runs), convention=convention, steps=rng.randint(1, PAGE_STEPS))


# Formulas and windows with runs (issues 21 and 24): the link and the export's file name (f-<slug>, window...).
FORMULA_LESSONS = [Lesson.from_query(q)[0] for q in (
    "run=gd:eta=0.02&run=gd:eta=0.05&objective=x1%5E4+%2B+x2%5E2&start=-2.5,2&steps=30",
    "optimizer=gd,adagrad&objective=(x1%5E2+%2B+x2+-+11)%5E2+%2B+(x1+%2B+x2%5E2+-+7)%5E2&window=-6,6,-6,6",
    "run=sgd:spread=20,sigma=0.5&run=adam&objective=quadratic&window=-6,2,-3,3",
    "objective=x1*x2+%2B+0.1*x1%5E2+%2B+0.1*x2%5E2+%2B+sin(x1)&convention=torch&run=gd:schedule=cosine,period=10",
)]


def golden() -> str:
    rng = random.Random(SEED)
    spaces = ["%09", "%1C", "%C2%85", "%C2%A0", "%E3%80%80", "%EF%BB%BF"]
    handmade = HANDMADE + [f"steps={quote(chr(z + 7))}" for z in (0x660, 0xFF10, 0x1D7CE)]
    handmade += [f"optimizer=gd,{s}adam{s}" for s in spaces] + [f"steps={s}4" for s in spaces]
    queries = [query_record(q, chinese=True) for q in handmade] + [query_record(drawn_query(rng))
                                                                     for _ in range(QUERIES)]
    lessons = []
    for lesson in ([Lesson()] + [random_lesson(rng) for _ in range(LESSONS)] + [random_runs(rng) for _ in range(50)]
                   + FORMULA_LESSONS):
        link = lesson.to_query()
        back, notes = Lesson.from_query(link)
        step = rng.choice([None, 0, rng.randint(1, lesson.steps)])
        lessons.append({"lesson": lesson_state(lesson), "link": link, "back": lesson_state(back),
                        "messages": [data(n) for n in notes],
                        "step": step, "name": file_name(lesson, "svg", step)})
    dumps = lambda v: json.dumps(v, separators=(",", ":"), allow_nan=False, ensure_ascii=False)  # noqa: E731
    return ("{\n" + f'"generator":"js/test/make_links_golden.py","ignore":{dumps(list(IGNORE))},\n'
            + '"queries":[\n' + ",\n".join(dumps(q) for q in queries) + "\n],\n"
            + '"lessons":[\n' + ",\n".join(dumps(x) for x in lessons) + "\n]\n}\n")


def main() -> int:
    text = golden()
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
