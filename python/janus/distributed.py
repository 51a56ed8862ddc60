"""Task sets on a Ray cluster: one Ray task per janus task, results streamed as they end.

    >>> import janus.distributed
    >>> reports = janus.distributed.solve("ARC/training", timeout=10, out="reports.jsonl",
    ...                                   submission="submission.json")

`address` is passed to `ray.init`: None starts (or joins, inside a Ray job) a local
instance; "auto" joins the cluster this machine belongs to (`ray start --head` on one
node, `ray start --address=HEAD:6379` on the others); "ray://HEAD:10001" goes through Ray
Client. Each report is appended to `out` as a `janus solve --json` line as soon as its
task ends, and a run started again with the same `out` skips the tasks already in it, so
an interrupted run resumes. Needs `pip install ray`.
"""

from __future__ import annotations

import json
import os
from typing import Callable, List, Optional

from . import Report, Task, _as_tasks, _paths, submission as make_submission
from . import solve as solve_here


def _solve_one(task: Task, options: dict) -> dict:
    """One task, on a Ray worker, with one search thread."""
    [report] = solve_here(task, jobs=1, **options)
    return report.to_dict()


def _done(out: Optional[str]) -> dict:
    """The reports already in `out` (a run's earlier lines), by task id; a last line cut
    short (a run killed while writing it) is passed over."""
    done = {}
    if out is None or not os.path.exists(out):
        return done
    with open(out) as f:
        for line in f:
            try:
                fields = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "task" in fields:
                done.setdefault(fields["task"], fields)
    return done


def _write_atomic(path: str, text: str) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def solve(tasks, timeout: float = 10.0, strategy: str = "bidir", attempts: int = 2,
          library=None, max_expansions: Optional[int] = None, depth: Optional[int] = None,
          out: Optional[os.PathLike] = None, submission: Optional[os.PathLike] = None,
          address: Optional[str] = None, num_cpus: int = 1,
          on_report: Optional[Callable[[Report], None]] = None) -> List[Report]:
    """Solve `tasks` (as `janus.solve` takes them) on Ray, one Ray task each, with
    `num_cpus` CPUs per task; return the reports in task order, equal to `janus.solve`'s
    for the same budget. Reports stream to `out` (JSON lines) and `on_report` as tasks
    end; tasks already in `out` are not solved again. `submission`: write the Kaggle
    submission of the ARC tasks there at the end (atomically)."""
    import ray

    tasks = _as_tasks(tasks)
    libraries = _paths(library)
    options = dict(timeout=timeout, strategy=strategy, attempts=attempts, library=libraries,
                   max_expansions=max_expansions, depth=depth)
    out = os.fspath(out) if out is not None else None
    done = _done(out)
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    remote = ray.remote(num_cpus=num_cpus)(_solve_one)
    options_ref = ray.put(options)
    pending = {remote.remote(t, options_ref): t.id for t in tasks if t.id not in done}
    sink = open(out, "a") if out is not None else None
    try:
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                pending.pop(ref)
                fields = ray.get(ref)
                done[fields["task"]] = fields
                if sink is not None:
                    sink.write(json.dumps(fields) + "\n")
                    sink.flush()
                if on_report is not None:
                    on_report(Report(fields, libraries))
    finally:
        if sink is not None:
            sink.close()
        for ref in pending:
            ray.cancel(ref)
    reports = [Report(done[t.id], libraries) for t in tasks]
    if submission is not None:
        _write_atomic(os.fspath(submission),
                      json.dumps(make_submission(tasks, reports, libraries)))
    return reports
