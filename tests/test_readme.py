"""Every code block of the README, and of the documents under docs/ it links to, runs here as a reader would type
it, or names the test (or CI step) that runs it; so an example can never break unseen.

Python blocks of one document run in one namespace, in order, as typed into one notebook; a comment ``# -> X`` after
an expression (on its line or the next) is what it shows, checked (``...`` at the end: the start of it). Shell lines
of ``trajectories run | export | landscape | notebook | site`` run in a fresh folder; a quoted output in a comment is
checked too. Links in a ``text`` or ``markdown`` block are read as the page reads them, with no note.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from trajectories import cli
from trajectories.display import KEYS as DISPLAY_KEYS
from trajectories.display import Display
from trajectories.lesson import Lesson

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
HUB_CONFIG = ROOT / "trajectories" / "hub" / "jupyterhub_config.py"
RUN_HERE = ("run", "export", "landscape", "notebook", "site")

# A command this test does not run (it starts a server, installs, or is the test command itself), and where it runs:
# (the command's first words) -> (the file that runs it, a string that file holds where it does so).
ELSEWHERE = {
    ("trajectories", "serve"): ("tests/test_serve.py", '"trajectories", "serve"'),
    ("jupyter", "lab"): ("tests/servers.py", '"-m", "jupyterlab"'),
    ("jupyterhub",): ("tests/test_jupyterhub.py", '"-m", "jupyterhub", "-f"'),
    ("cp", "trajectories/hub/jupyterhub_config.py"): ("tests/test_jupyterhub.py", '"hub" / "jupyterhub_config.py"'),
    ("npm", "install", "-g", "configurable-http-proxy"): ("tests/test_jupyterhub.py", "configurable-http-proxy"),
    ("pip", "install", "."): ("tests/test_serve.py", "def test_package_build_ships_the_notebook"),
    ("pip", "install", "-e"): (".ci/run", 'pip install -e ".[test]" && pytest'),
    ("pytest",): (".ci/run", 'pip install -e ".[test]" && pytest'),
    ("python3", "-m", "venv"): (".ci/run", "python3 -m venv .venv-ci"),
    (".",): (".ci/run", ". .venv-ci/bin/activate"),
    ("cd", "js"): (".ci/run", "cd js && npm ci"),
    ("npm", "ci"): (".ci/run", "npm ci"),
    ("sudo", "apt-get", "install"): (".ci/run", "apt-get install -y chromium nginx"),
    ("sphinx-build",): ("tests/test_embed.py", '"-m", "sphinx", "-b", "html"'),
    ("jupyter", "nbconvert"): ("tests/test_nbconvert.py", '"nbconvert", "--to", "trajectories"'),
    ("npm", "install", "reveal.js"): ("tests/test_embed.py", '"node_modules" / "reveal.js"'),
    ("cp", "-r", "node_modules/reveal.js/dist"): ("tests/test_embed.py", "shutil.copytree(REVEAL"),
}
# Blocks of these languages are the pages a test builds: it reads them from the document (documented("rst")).
BUILT = {"rst": "tests/test_embed.py", "md": "tests/test_embed.py", "html": "tests/test_embed.py",
         "myst": "tests/test_myst.py"}


def blocks(path: Path) -> list[tuple[str, str, int]]:
    """The fenced code blocks of a Markdown file: (language, text, line of the fence)."""
    text = path.read_text(encoding="utf-8")
    return [(m.group(2), m.group(3), text.count("\n", 0, m.start()) + 1)
            for m in re.finditer(r"^(`{3,})(\w*)\n(.*?)^\1$", text, re.S | re.M)]


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


# ---- Python ------------------------------------------------------------------------------------------------------
def _expected(lines: list[str], node: ast.stmt) -> str | None:
    """The ``# -> X`` comment that goes with a statement: at the end of its last line, or alone on the next."""
    last = lines[node.end_lineno - 1]
    following = lines[node.end_lineno] if node.end_lineno < len(lines) else ""
    for candidate in (last, following if following.lstrip().startswith("#") else ""):
        m = re.search(r"#\s*->\s*(.*)$", candidate)
        if m:
            return m.group(1).rstrip()
    return None


def run_python(source: str, namespace: dict, where: str) -> int:
    """Run a block statement by statement in ``namespace``; check every ``# -> X``. Return how many were checked."""
    lines = source.splitlines()
    checked = 0
    for node in ast.parse(source).body:
        expected = _expected(lines, node)
        if expected is None:
            exec(compile(ast.Module([node], type_ignores=[]), where, "exec"), namespace)
            continue
        assert isinstance(node, ast.Expr), f"{where}: '# ->' follows a statement that shows nothing"
        shown = repr(eval(compile(ast.Expression(node.value), where, "eval"), namespace))
        if expected.endswith("..."):
            assert shown.startswith(expected[:-3]), f"{where}: shows {shown}, the document says {expected}"
        else:
            assert shown == expected, f"{where}: shows {shown}, the document says {expected}"
        checked += 1
    return checked


# ---- shell -------------------------------------------------------------------------------------------------------
def commands(block: str) -> list[tuple[list[str], str]]:
    """Each command of a shell block as words, with the comment of its line ("a && b" is two commands)."""
    out = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        comment = re.search(r"\s#\s(.*)$", line)
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):  # VAR=value before the command
            words = words[1:]
        command: list[str] = []
        for word in [*words, "&&"]:
            if word == "&&":
                out.append((command, comment.group(1) if comment else ""))
                command = []
            else:
                command.append(word)
    return out


def elsewhere(words: list[str]) -> tuple[str, str] | None:
    for start, covered in ELSEWHERE.items():
        if tuple(words[:len(start)]) == start:
            return covered
    return None


def run_command(words: list[str], comment: str, where: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(words[1:])
    assert status == 0, f"{where}: {shlex.join(words)} failed: {err.getvalue()}"
    quoted = re.search(r'"(.*)"', comment)  # an output the comment promises
    if quoted:
        promised = quoted.group(1)
        shown = out.getvalue().strip()
        if promised.endswith("..."):
            assert shown.startswith(promised[:-3]), f"{where}: printed {shown!r}, the document says {promised!r}"
        else:
            assert shown == promised, f"{where}: printed {shown!r}, the document says {promised!r}"


# ---- the tests ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_block_runs_or_names_its_test(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # what the examples write lands here
    namespace: dict = {"__name__": "__readme__"}
    ran = 0
    for language, text, line in blocks(path):
        where = _where(path, line)
        if language == "python":
            if text == HUB_CONFIG.read_text():  # JupyterHub's config: run by JupyterHub in its test
                assert "def test_the_docs_show_the_shipped_config" in (ROOT / "tests/test_jupyterhub.py").read_text()
                continue
            run_python(text, namespace, where)
            ran += 1
        elif language == "bash":
            for words, comment in commands(text):
                if words[0] == "mkdir" and len(words) == 2:  # a folder the next command writes into
                    Path(words[1]).mkdir(exist_ok=True)
                    continue
                if words[0] == "trajectories" and words[1] in RUN_HERE:
                    run_command(words, comment, where)
                    ran += 1
                    continue
                covered = elsewhere(words)
                assert covered, f"{where}: `{shlex.join(words)}` is neither run here nor named in ELSEWHERE"
                file, needle = covered
                assert needle in (ROOT / file).read_text(), f"{where}: {file} no longer runs `{shlex.join(words)}`"
        elif language in ("text", "markdown"):
            links = re.findall(r"https?://\S+|\]\(([^)]+)\)", text)
            urls = re.findall(r"https?://\S+", text) + [m for m in links if m]
            assert urls, f"{where}: a {language} block here holds links"
            for url in urls:
                query = urlsplit(url).query  # a lesson and the page's display options, read as the page reads them
                lesson, notes = Lesson.from_query(query, ignore=DISPLAY_KEYS)
                notes += Display.from_query(query)[1]
                assert notes == [], f"{where}: {url} gives notes {notes}"
                assert lesson != Lesson() or "optimizer=rmsprop&eta=0.4&gamma=0.9" in url
            ran += 1
        elif language in BUILT:
            assert f'documented("{language}")' in (ROOT / BUILT[language]).read_text(), f"{where}: not built"
        elif language == "nginx":
            assert "documented_block()" in (ROOT / "tests/test_nginx.py").read_text()
        elif language in ("dockerfile", "yaml"):  # Zero to JupyterHub on Kubernetes: said to be not run here
            assert "(not run here)" in path.read_text(), f"{where}: say that this block is not run"
        else:
            pytest.fail(f"{where}: a ```{language} block: run it here or name the test that does")
    if path.name == "README.md":  # the README's own examples ran, and left the files they promise
        assert ran >= 10
        for name in ("app.ipynb", "fig.svg", "lesson.html", "map.svg", "momentum.svg", "momentum.gif", "momentum.mp4",
                     "notes/gd_eta0.4_vs_momentum_eta0.6_beta0.5.svg"):
            assert (tmp_path / name).is_file(), name
        assert (tmp_path / "app.ipynb").read_bytes() == (ROOT / "app.ipynb").read_bytes()


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_to_a_file_or_a_heading_leads_somewhere(path):
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")) or "?" in target:  # the web, or a page's preset link
            continue
        file, _, anchor = target.partition("#")
        goal = (path.parent / file).resolve() if file else path
        assert goal.exists(), f"{path.relative_to(ROOT)}: {target} leads nowhere"
        if anchor:
            slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                     for h in re.findall(r"^#+ (.*)$", goal.read_text(encoding="utf-8"), re.M)}
            assert anchor in slugs, f"{path.relative_to(ROOT)}: no heading for #{anchor} in {goal.name}"
