"""The command line: the book's line, JSON, and one-line errors with exit status 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trajectories import run
from trajectories.cli import build_parser, main
from trajectories.specs import CONVENTIONS, RULES, SPECS

ROOT = Path(__file__).resolve().parents[1]


def test_run_prints_the_books_line(capsys):
    assert main(["run", "rmsprop", "--eta", "0.4", "--gamma", "0.9", "--steps", "20"]) == 0
    assert capsys.readouterr().out == "epoch 20, x1: -0.010599, x2: 0.000000\n"


def test_json_is_the_whole_trajectory(capsys):
    assert main(["run", "momentum", "--eta", "0.6", "--beta", "0.5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["points"] == run("momentum", eta=0.6, beta=0.5).points.tolist()
    assert data["hyperparameters"] == {"eta": 0.6, "beta": 0.5, "schedule": "constant", "sigma": 0.0}
    assert data["diverged_at"] is None and len(data["losses"]) == 21


def test_json_of_a_diverged_run_has_nulls_not_nan(capsys):
    assert main(["run", "gd", "--eta", "0.6", "--steps", "60", "--json"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out
    data = json.loads(out)
    assert data["points"][-1] == [None, None] and isinstance(data["diverged_at"], int)


def test_flags_for_choices_and_objectives(capsys):
    assert main(["run", "adam", "--no-bias-correction", "--objective", "general", "--condition", "50",
                 "--angle", "30", "--start", "1,2"]) == 0
    assert capsys.readouterr().out.startswith("epoch 20, x1:")
    assert main(["run", "sgd", "--schedule", "polynomial", "--seed", "3"]) == 0


@pytest.mark.parametrize(("argv", "says"), [
    (["run", "rmsprop", "--gamma", "1.5"], "The 'gamma' parameter of rmsprop must be a float in the range [0, 1]"),
    (["run", "adamw"], "The 'optimizer' parameter must be one of"),
    (["run", "adam", "--gamma", "0.9"], "The 'gamma' parameter is not a hyperparameter of adam"),
    (["run", "gd", "--steps", "0"], "The 'steps' parameter must be an integer in the range [1, 100000]"),
    (["run", "gd", "--start", "a,b"], "The 'start' parameter must be two numbers"),
    (["run", "gd", "--eta", "x"], "argument --eta: invalid float value"),
    (["run"], "The 'optimizers' parameter is missing"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, says):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_as_a_user_runs_it():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    ok = subprocess.run([sys.executable, "-m", "trajectories", "run", "adagrad", "--eta", "2"], env=env,
                        capture_output=True, text=True, check=False)
    assert (ok.returncode, ok.stdout) == (0, "epoch 20, x1: -0.002295, x2: -0.000000\n")
    bad = subprocess.run([sys.executable, "-m", "trajectories", "run", "adadelta", "--rho", "nan"], env=env,
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


# ---- what a new teacher meets first --------------------------------------------------------------------------
def test_help_lists_every_command_in_plain_words(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    from trajectories.cli import COMMANDS

    assert len(COMMANDS) == 6
    for command in ("serve", "notebook", "site", "export", "landscape", "run"):
        assert f"\n    {command}" in out, out
    assert "``" not in out and "The command line" not in out


def _said_for(text: str) -> dict[tuple[str, str], str]:
    """Read a flag's help back: which description it gives for each (optimizer, convention) it names."""
    said = {}
    for part in text.split("; "):
        description, _, who = part.partition(" for ")
        book, torch = who, ""
        if " with --convention torch" in who:
            head = who.removesuffix(" with --convention torch")
            book, _, torch = head.rpartition(", and for ")
        for convention, names in (("d2l", book), ("torch", torch)):
            for rule in filter(None, names.split(", ")):
                said[rule, convention] = description
    return said


@pytest.mark.parametrize("name", sorted({n for table in SPECS.values() for r in table.values() for n in r}))
def test_a_shared_flags_help_is_true_for_every_optimizer(name):
    """`--eps` is inside the square root for AdaGrad and outside for Adam: the help must not say one for both."""
    run_parser = build_parser()._subparsers._group_actions[0].choices["run"]
    [action] = [a for a in run_parser._actions if a.dest == name]
    text = action.help
    said = _said_for(text)
    for convention in CONVENTIONS:
        for rule in RULES:
            spec = SPECS[convention][rule].get(name)
            if spec is None:
                continue
            if "; " not in text:
                assert text == spec.description
            elif (rule, convention) in said:
                assert said[rule, convention] == spec.description, (rule, convention, text)
            else:  # under torch with the book's words: said once, for the book's convention
                assert convention == "torch" and said[rule, "d2l"] == spec.description, (rule, convention, text)
    if name == "eps":
        assert said["adam", "d2l"].endswith("outside the square root")
        assert said["adagrad", "d2l"].endswith("inside the square root")
        assert said["adagrad", "torch"].endswith("outside the square root")


def test_a_closed_pipe_is_a_quiet_end():
    """`trajectories run ... --json | head`: the reader leaves early; that is no error, and nothing goes to stderr."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte: every write meets a closed pipe
    try:
        done = subprocess.run([sys.executable, "-m", "trajectories", "run", "rmsprop", "--steps", "500", "--json"],
                              stdout=write, stderr=subprocess.PIPE, env=env, check=False, timeout=60)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")
    # and through a shell, as a teacher types it
    shell = subprocess.run(f"{sys.executable} -m trajectories run rmsprop --steps 500 --json | head -c 20",
                           shell=True, capture_output=True, env=env, check=False, timeout=60,
                           executable="/bin/bash")
    assert shell.stdout == b'{"optimizer": "rmspr' and shell.stderr == b""


def test_notebook_writes_the_teachers_notebook_and_never_overwrites_one(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["notebook"]) == 0
    assert (tmp_path / "app.ipynb").read_bytes() == (ROOT / "app.ipynb").read_bytes()
    assert capsys.readouterr().out == "app.ipynb: the app in a notebook; open it with  jupyter lab app.ipynb\n"
    assert main(["notebook"]) == 0  # the same notebook already there: left as it is, and said where it is
    assert main(["notebook", "course/week 1"]) == 0  # a folder, made with its parents
    assert (tmp_path / "course" / "week 1" / "app.ipynb").is_file()
    assert "jupyter lab 'course/week 1/app.ipynb'" in capsys.readouterr().out
    assert main(["notebook", "course/rmsprop.ipynb"]) == 0
    assert (tmp_path / "course" / "rmsprop.ipynb").is_file()
    edited = tmp_path / "app.ipynb"
    edited.write_text(edited.read_text().replace("app = App()", "app = App(Lesson(optimizers=('adam',)))"))
    before = edited.read_bytes()
    capsys.readouterr()
    assert main(["notebook"]) == 2  # the teacher's own edits are never overwritten
    err = capsys.readouterr().err
    assert "already there" in err and err.count("\n") == 1 and edited.read_bytes() == before


def test_the_shipped_teachers_notebook_is_the_repositorys_app_ipynb():
    from trajectories.figures import notebook_source

    assert notebook_source() == (ROOT / "app.ipynb").read_bytes()


def test_site_makes_a_new_nested_folder(tmp_path, capsys):
    folder = tmp_path / "course" / "site"
    assert main(["site", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["app.html", "index.html"]
    assert capsys.readouterr().out.split() == [str(folder / "app.html"), str(folder / "index.html")]
    assert main(["site", str(tmp_path / "other"), "--link", "optimizer=adam&eta=900"]) == 2
    assert not (tmp_path / "other").exists()  # a bad link is refused before anything is made
    (tmp_path / "a-file").touch()
    assert main(["site", str(tmp_path / "a-file" / "site")]) == 2
    err = capsys.readouterr().err
    assert "a file is in the way" in err and err.count("\n") == 2
