"""Shared fixtures: the repository's root (its tasks/ folder) and small task files the
tests write."""

import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def root():
    return ROOT


@pytest.fixture
def arc_dir(tmp_path):
    """Three small ARC tasks: a flip, a transpose-like mirror, and one no program fits."""
    tasks = {
        "flip": {"train": [{"input": [[1, 2], [3, 4]], "output": [[3, 4], [1, 2]]},
                           {"input": [[5, 0, 1]], "output": [[5, 0, 1]]}],
                 "test": [{"input": [[7, 8], [9, 0]], "output": [[9, 0], [7, 8]]}]},
        "mirror": {"train": [{"input": [[1, 2]], "output": [[2, 1]]},
                             {"input": [[3, 4, 5]], "output": [[5, 4, 3]]}],
                   "test": [{"input": [[6, 7]], "output": [[7, 6]]}]},
        "noise": {"train": [{"input": [[1]], "output": [[2, 3], [4, 5]]},
                            {"input": [[2]], "output": [[9, 1, 1]]}],
                  "test": [{"input": [[3]], "output": [[1]]}]},
    }
    for name, task in tasks.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(task))
    return tmp_path
