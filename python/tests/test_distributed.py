"""janus.distributed on a local Ray instance on the loopback address: the same results
as janus.solve, streamed to a file, resumed, with the Kaggle submission."""

import json

import pytest

import janus

ray = pytest.importorskip("ray")
import janus.distributed  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(address="local", _node_ip_address="127.0.0.1", num_cpus=2,
             include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def comparable(report):
    """What must not depend on where a task ran (times do)."""
    d = report.to_dict()
    return {k: d.get(k) for k in ("task", "solved", "train_fit", "program", "steps",
                                  "expansions", "stop", "test_correct", "test_total",
                                  "program_2")}


def test_ray_results_equal_local_results_and_resume(local_ray, arc_dir, root, tmp_path):
    tasks = janus.load_tasks(arc_dir) + janus.load_tasks(root / "tasks/double-add/large.txt")[:3]
    budget = dict(timeout=30, max_expansions=1500)
    here = janus.solve(tasks, jobs=2, **budget)
    out, sub = tmp_path / "reports.jsonl", tmp_path / "submission.json"
    streamed = []
    there = janus.distributed.solve(tasks, out=out, submission=sub,
                                    on_report=streamed.append, **budget)
    assert [comparable(r) for r in there] == [comparable(r) for r in here]
    assert sorted(r.task for r in streamed) == sorted(t.id for t in tasks)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["task"] for line in lines) == sorted(t.id for t in tasks)
    assert json.loads(sub.read_text()) == janus.submission(tasks, here)

    # An interrupted run: drop two lines, cut the last one short, run again.
    kept = out.read_text().splitlines()[:-2]
    out.write_text("\n".join(kept) + '\n{"task": "fl')
    again = []
    resumed = janus.distributed.solve(tasks, out=out, on_report=again.append, **budget)
    assert len(again) == 2
    assert [comparable(r) for r in resumed] == [comparable(r) for r in here]
