"""janus: program synthesis by bidirectional search over inverse semantics, from Python.

    >>> import janus
    >>> tasks = janus.load_tasks("tasks/examples/arc-flip-above.json")
    >>> [report] = janus.solve(tasks, timeout=5)
    >>> report.solved, report.program
    (True, '(vstack (vflip $0) $0)')
    >>> report.function(tasks[0].train[0].inputs[0])    # the program, as a callable
    [[4, 0, 0], ...]

Tasks (`load_tasks`), solving (`solve`, `Report`, `Program`), libraries (`learn` and
`rewrite`, drop-ins for `stitch_core.compress` and `stitch_core.rewrite`), ARDT language
models (`janus.ardt`) and task sets on a Ray cluster (`janus.distributed`). The search
runs in Rust with the GIL released. Guides and Transformer embeddings need the module
built with the `torch` feature: `janus.HAS_TORCH` says whether it was.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Iterable, List, Optional, Sequence, Union

from . import _janus
from ._janus import JanusError, HAS_TORCH

__version__ = _janus.VERSION
__all__ = [
    "JanusError", "HAS_TORCH", "Task", "Pair", "Report", "Program", "load_tasks", "solve",
    "submission", "summary", "learn", "rewrite", "CompressionResult", "RewriteResult",
    "Abstraction", "needs_torch",
]

PathLike = Union[str, "os.PathLike[str]"]


def needs_torch(what: str) -> None:
    """Raise `JanusError` saying that `what` needs a module built with the torch feature,
    where this one was built without it."""
    if not HAS_TORCH:
        raise JanusError(f"{what} needs libtorch, and this janus module was built without the "
                         "`torch` feature (pip install ./python --config-settings=build-args='--features torch')")


# ---------------------------------------------------------------------------- values

def _from_json(value: Any) -> Any:
    """A task value as Python: grids as lists of rows, rationals (written "p/q") as
    `Fraction` or `int` when whole, integers of any size (large ones written as strings)
    as `int`."""
    if isinstance(value, str):
        number = Fraction(value)
        return int(number) if number.denominator == 1 else number
    return value


def _to_json(value: Any) -> Any:
    """A Python value as janus reads it: `Fraction` as "p/q", integers past JSON's exact
    range as strings, lists and tuples item by item, the rest as it is."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2 ** 53:
        return str(value)
    return value


# ---------------------------------------------------------------------------- tasks

@dataclass(frozen=True)
class Pair:
    """One example or test: the inputs and the expected output (`None` for a test whose
    output the file does not give)."""

    inputs: List[Any]
    output: Any


class Task:
    """A synthesis task: its `id`, `domain` ("arc", "24", "double-add"), `train` pairs
    and `test` pairs. ARC tasks draw themselves: `_repr_svg_` in a notebook, `show()` in
    a terminal. Tasks pickle (for Ray and multiprocessing) as their janus JSON."""

    def __init__(self, json_text: str):
        self._json = json_text
        data = json.loads(json_text)
        self.id: str = data["id"]
        self.domain: str = data["domain"]
        self.linear: bool = data.get("linear", False)
        self.train = [Pair([_from_json(v) for v in e["inputs"]], _from_json(e["output"]))
                      for e in data["examples"]]
        self.test = [Pair([_from_json(v) for v in t["inputs"]],
                          _from_json(t["output"]) if "output" in t else None)
                     for t in data.get("tests", [])]

    def to_json(self) -> str:
        """The task as a janus JSON task (what `janus solve` reads)."""
        return self._json

    def __getstate__(self):
        return self._json

    def __setstate__(self, state):
        self.__init__(state)

    def __eq__(self, other):
        return isinstance(other, Task) and json.loads(self._json) == json.loads(other._json)

    def __hash__(self):
        return hash(self._json)

    def __repr__(self):
        return (f"Task({self.id!r}, domain={self.domain!r}, {len(self.train)} train, "
                f"{len(self.test)} test)")

    def _repr_svg_(self) -> Optional[str]:
        """The task's pairs as SVG (ARC tasks; None for others), for notebooks."""
        return _janus.task_svg(self._json) if self.domain == "arc" else None

    def text(self, colour: Optional[bool] = None) -> str:
        """The task's pairs as text: coloured cells on a terminal, digits otherwise (or as
        `colour` says)."""
        if self.domain != "arc":
            return "\n".join(f"{p.inputs} -> {p.output}" for p in self.train + self.test)
        if colour is None:
            colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        return _janus.task_text(self._json, colour)

    def show(self, colour: Optional[bool] = None) -> None:
        """Print the task's pairs (see `text`)."""
        print(self.text(colour))


def load_tasks(path: PathLike) -> List[Task]:
    """Every task in a file or directory: ARC task files and folders, Kaggle challenge
    files (with their solutions beside them), the 24 Game CSV, double-and-add target
    lists and janus JSON. Raises `JanusError` naming the file and the problem."""
    return [Task(t) for t in _janus.load_tasks(os.fspath(path))]


def _as_tasks(tasks: Union[Task, PathLike, Iterable[Union[Task, PathLike]]]) -> List[Task]:
    if isinstance(tasks, Task):
        return [tasks]
    if isinstance(tasks, (str, os.PathLike)):
        return load_tasks(tasks)
    out: List[Task] = []
    for t in tasks:
        out.extend(_as_tasks(t))
    return out


# ---------------------------------------------------------------------------- programs

class Program:
    """A program of a domain, callable: `Program("(vflip $0)", "arc")(grid) -> grid`.
    `str(program)` is its text; `library` lists the library files it may use."""

    def __init__(self, text: str, domain: str, library: Sequence[PathLike] = ()):
        self.text = text
        self.domain = domain
        self.library = [os.fspath(p) for p in library]

    def __call__(self, *inputs: Any) -> Any:
        out = _janus.run_program(self.text, self.domain, self.library,
                                 json.dumps([_to_json(v) for v in inputs]))
        return _from_json(json.loads(out))

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"Program({self.text!r}, {self.domain!r})"

    def __eq__(self, other):
        return str(self) == str(other)

    def __hash__(self):
        return hash(self.text)


class Report:
    """A task's result, with the fields of `janus solve --json` as attributes (`task`,
    `solved`, `train_fit`, `program`, `steps`, `time_ms`, `expansions`, `candidates`,
    `stop`, `test_correct`, `test_total`, `program_2`, `time_ms_2`, ...). `program` is the
    program's text; `function` (and `function_2`) the program as a callable."""

    def __init__(self, fields: dict, library: Sequence[str] = ()):
        self.__dict__["_fields"] = fields
        self.__dict__["_library"] = list(library)

    def __getattr__(self, name):
        try:
            return self._fields[name]
        except KeyError:
            if name in ("program", "program_2", "error", "notation", "steps"):
                return None
            raise AttributeError(name) from None

    @property
    def function(self) -> Optional[Program]:
        """The first program as a callable, if one was found."""
        p = self._fields.get("program")
        return Program(p, self._fields["domain"], self._library) if p else None

    @property
    def function_2(self) -> Optional[Program]:
        """The second attempt's program as a callable, if there is one."""
        p = self._fields.get("program_2")
        return Program(p, self._fields["domain"], self._library) if p else None

    def to_dict(self) -> dict:
        """The report as `janus solve --json` writes it."""
        return dict(self._fields)

    def to_json(self) -> str:
        return json.dumps(self._fields)

    def __eq__(self, other):
        return isinstance(other, Report) and self._fields == other._fields

    def __repr__(self):
        what = self.program if self.solved or self.program else f"({self.stop})"
        return f"Report({self.task!r}, solved={self.solved}, {what})"


def solve(tasks, timeout: float = 10.0, strategy: str = "bidir", attempts: int = 2,
          library: Union[PathLike, Sequence[PathLike], None] = None,
          guide: Optional[PathLike] = None, jobs: int = 0,
          max_expansions: Optional[int] = None, depth: Optional[int] = None,
          device: str = "auto",
          on_report: Optional[Callable[[int, Report], None]] = None) -> List[Report]:
    """Solve tasks (a `Task`, a path, or a list of them) as `janus solve` does, and return
    one `Report` per task, in order. The search runs with the GIL released, on `jobs`
    threads (0: one per core).

    timeout: seconds per task; strategy: "bidir" or "forward"; attempts: programs per task
    (2: a second attempt, as ARC scores); library: library files (`janus learn --out`,
    `janus grow`) whose abstractions become primitives; guide: a policy network (needs
    the torch feature); max_expansions: a budget of actions; depth: the forward phase's
    depth (ARC); on_report(index, report): called as each task ends.

    Ctrl-C (KeyboardInterrupt) starts no new task; the tasks under way end within their
    budget, and then KeyboardInterrupt is raised: the reports given to `on_report` so far
    are what was done."""
    if guide is not None:
        needs_torch("solve(guide=...)")
    tasks = _as_tasks(tasks)
    libraries = _paths(library)
    options = dict(timeout=float(timeout), strategy=strategy, attempts=attempts,
                   max_expansions=max_expansions, depth=depth, jobs=jobs, library=libraries,
                   guide=os.fspath(guide) if guide is not None else None, device=device)
    callback = None
    if on_report is not None:
        callback = lambda i, line: on_report(i, Report(json.loads(line), libraries))
    lines = _janus.solve([t.to_json() for t in tasks], json.dumps(options), callback)
    return [Report(json.loads(line), libraries) for line in lines]


def _paths(library) -> List[str]:
    if library is None:
        return []
    if isinstance(library, (str, os.PathLike)):
        return [os.fspath(library)]
    return [os.fspath(p) for p in library]


def submission(tasks: Sequence[Task], reports: Sequence[Report],
               library: Union[PathLike, Sequence[PathLike], None] = None) -> dict:
    """The Kaggle submission of the ARC tasks among `tasks`: `{task_id: [{"attempt_1":
    grid, "attempt_2": grid}, ...]}`, the reports' programs run on the test inputs."""
    return json.loads(_janus.submission([t.to_json() for t in tasks],
                                        [r.to_json() for r in reports], _paths(library)))


def summary(reports: Sequence[Report], strategy: str = "bidir", policy: str = "default",
            wall_ms: float = 0.0) -> dict:
    """The summary `janus solve --json` ends with, of these reports."""
    return json.loads(_janus.summary([r.to_json() for r in reports], strategy, policy, wall_ms))


# ---------------------------------------------------------------------------- libraries

@dataclass
class Abstraction:
    """A learned abstraction, as Stitch's: `name`, `arity`, `body` (parameters `#0..`)."""

    name: str
    arity: int
    body: str

    def __str__(self):
        params = ",".join(f"#{i}" for i in range(self.arity))
        return f"{self.name}({params}) := {self.body}"


class CompressionResult:
    """What `learn` found, shaped as `stitch_core.CompressionResult`: `json` (with
    `original_cost`, `final_cost`, `compression_ratio`, `abstractions` each with `name`,
    `arity`, `body`, `utility`, `num_uses`, ...), `abstractions` and `rewritten`."""

    def __init__(self, data: dict):
        self.json = data
        self.abstractions = [Abstraction(a["name"], a["arity"], a["body"])
                             for a in data["abstractions"]]
        self.rewritten: List[str] = data["rewritten"]

    def __repr__(self):
        return (f"CompressionResult({len(self.abstractions)} abstractions, "
                f"{self.json['original_cost']} -> {self.json['final_cost']})")


class RewriteResult:
    """Programs rewritten with given abstractions (`stitch_core.RewriteResult`'s shape):
    `json` and `rewritten`."""

    def __init__(self, data: dict):
        self.json = data
        self.rewritten: List[str] = data["rewritten"]


# Stitch's arguments that change nothing here: janus's search is single-threaded and
# exact, and prints nothing.
_STITCH_NEUTRAL = {"threads", "silent", "panic_loud", "shuffle", "truncate", "no_opt",
                   "no_other_util", "rewritten_intermediates", "rewritten_dreamcoder",
                   "no_stats", "quiet", "verbose_rewrite", "name_mapping"}


def learn(programs: Sequence[str], iterations: int = 3, max_arity: int = 2, threads: int = 1,
          silent: bool = True, tasks: Optional[Sequence[str]] = None,
          abstraction_prefix: str = "fn_", previous_abstractions: int = 0,
          **kwargs) -> CompressionResult:
    """Learn up to `iterations` abstractions of at most `max_arity` parameters from
    `programs` (Stitch syntax: `(f a b)`, `(lam ... $0)`), each task's cheapest program
    counting (`tasks`: one name per program; one task each by default). Takes
    `stitch_core.compress`'s arguments and returns the same shape; arguments of Stitch's
    that janus does not have raise `TypeError`."""
    unknown = set(kwargs) - _STITCH_NEUTRAL
    if unknown:
        raise TypeError(f"learn() does not take {', '.join(sorted(unknown))}")
    options = dict(iterations=iterations, max_arity=max_arity, abstraction_prefix=abstraction_prefix,
                   previous_abstractions=previous_abstractions,
                   tasks=list(tasks) if tasks is not None else None)
    return CompressionResult(json.loads(_janus.learn(list(programs), json.dumps(options))))


def rewrite(programs: Sequence[str], abstractions: Sequence[Any],
            tasks: Optional[Sequence[str]] = None, **kwargs) -> RewriteResult:
    """Rewrite `programs` with `abstractions` (from `learn`, from `stitch_core`, or dicts
    with `name`, `arity`, `body`), in order, each where it makes a program cheaper: the
    counterpart of `stitch_core.rewrite`."""
    unknown = set(kwargs) - _STITCH_NEUTRAL - {"max_arity"}
    if unknown:
        raise TypeError(f"rewrite() does not take {', '.join(sorted(unknown))}")
    given = [a if isinstance(a, dict) else dict(name=a.name, arity=a.arity, body=a.body)
             for a in abstractions]
    return RewriteResult(json.loads(_janus.rewrite(list(programs), json.dumps(given),
                                                   list(tasks) if tasks is not None else None)))


from . import ardt  # noqa: E402  (submodules after the names they use)
