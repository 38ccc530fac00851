"""Write tests/golden/old_links.json: every link in the README and the tests before lessons became lists of runs,
with the lesson the code of that time made of it, its notes and the book's line of each optimizer.

Run it once with the package as it was before runs (the commit before issue 21's), from the repository root:

    git archive 9b92893 trajectories README.md tests | tar -x -C /tmp/before
    python tests/golden/make_old_links.py /tmp/before

tests/test_old_links.py reads the JSON (with the package of today) and checks that each link still opens the same
lesson: the same optimizers with the same hyperparameters, objective, start, steps, convention and seed, the same
notes, and the same final points (but SGD's, whose noise is drawn by another generator since).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "old_links.json"
# A link's query, as the README and the tests write them: key=value pairs joined by '&', starting with a known key,
# in the README after '?' or in quotes, in the tests as a whole string literal.
KEYS = "optimizer|objective|convention|steps|seed|start|eta|gamma|rho|beta|schedule|condition|angle"
IN_README = re.compile(r"[?`'\"]((?:" + KEYS + r")=[^\s'\"`)\]<>|]*)")
IN_TESTS = re.compile(r"(?<![\w])[\"']((?:" + KEYS + r")=[^\"'\s{}]*)[\"']")


def links(root: Path) -> list[str]:
    found: dict[str, None] = {}
    for path in [root / "README.md", *sorted((root / "tests").glob("*.py"))]:
        pattern = IN_README if path.suffix == ".md" else IN_TESTS
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found[match.group(1).rstrip(".,;:")] = None
    return list(found)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "trajectories" / "lesson.py").is_file():
        print(__doc__)
        return 2
    root = Path(argv[0]).resolve()
    sys.path.insert(0, str(root))
    from trajectories.lesson import Lesson
    from trajectories.state import lesson_state

    records = []
    for query in links(root):
        lesson, notes = Lesson.from_query(query)
        lines = {name: t.book_line() for name, t in lesson.run().items()}
        records.append({"query": query, "lesson": lesson_state(lesson), "notes": notes, "lines": lines})
    OUT.write_text(json.dumps({"generator": "tests/golden/make_old_links.py", "links": records}, ensure_ascii=False,
                              indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} links to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
