"""trajectories: 2D optimizer trajectories for teaching, exact to Dive into Deep Learning and to torch.optim."""

from .engine import BOUND, MAX_STEPS, Trajectory, run
from .figures import export
from .lesson import Lesson, Run, make_lesson
from .objectives import OBJECTIVES, Objective, get_objective
from .specs import CONVENTIONS, RULES, SPECS, Spec, specs

__all__ = ["BOUND", "CONVENTIONS", "MAX_STEPS", "OBJECTIVES", "RULES", "SPECS", "App", "Lesson", "Objective", "Run",
           "Spec", "Trajectory", "export", "get_objective", "make_lesson", "run", "specs"]


def __getattr__(name: str):
    # ``trajectories.App`` without making every ``import trajectories`` (the CLI, the engine) load the widgets.
    if name == "App":
        from .app import App

        return App
    raise AttributeError(f"module 'trajectories' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "App"})
