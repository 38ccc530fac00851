"""The command line: the book's line, JSON, and one-line errors with exit status 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trajectories import run
from trajectories.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_run_prints_the_books_line(capsys):
    assert main(["run", "rmsprop", "--eta", "0.4", "--gamma", "0.9", "--steps", "20"]) == 0
    assert capsys.readouterr().out == "epoch 20, x1: -0.010599, x2: 0.000000\n"


def test_json_is_the_whole_trajectory(capsys):
    assert main(["run", "momentum", "--eta", "0.6", "--beta", "0.5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["points"] == run("momentum", eta=0.6, beta=0.5).points.tolist()
    assert data["hyperparameters"] == {"eta": 0.6, "beta": 0.5}
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
    (["run"], "the following arguments are required"),
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
