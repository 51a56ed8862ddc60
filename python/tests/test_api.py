"""Every function of the `janus` package on small fixtures."""

import _thread
import json
import pickle
import signal
import threading
import time
from fractions import Fraction

import pytest

import janus


def test_load_tasks_reads_arc_folders_and_names_bad_files(arc_dir, tmp_path):
    tasks = janus.load_tasks(arc_dir)
    assert [t.id for t in tasks] == ["flip", "mirror", "noise"]
    flip = tasks[0]
    assert flip.domain == "arc"
    assert flip.train[0].inputs == [[[1, 2], [3, 4]]]
    assert flip.train[0].output == [[3, 4], [1, 2]]
    assert flip.test[0].output == [[9, 0], [7, 8]]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(janus.JanusError, match="bad.json"):
        janus.load_tasks(bad)
    with pytest.raises(janus.JanusError, match="missing.json"):
        janus.load_tasks(tmp_path / "missing.json")


def test_load_tasks_reads_every_format(root, tmp_path):
    twenty_four = janus.load_tasks(root / "tasks/24game/solvable.csv")
    assert len(twenty_four) > 1000 and twenty_four[0].domain == "24"
    assert all(isinstance(v, int) for v in twenty_four[0].train[0].inputs)
    double_add = janus.load_tasks(root / "tasks/double-add/large.txt")
    assert double_add[0].domain == "double-add"
    assert isinstance(double_add[0].train[0].output, int)
    own = tmp_path / "own.json"
    own.write_text(json.dumps({"id": "half", "domain": "24",
                               "examples": [{"inputs": ["1/2", 4], "output": 2}]}))
    [half] = janus.load_tasks(own)
    assert half.train[0].inputs == [Fraction(1, 2), 4]
    kaggle = tmp_path / "k_challenges.json"
    kaggle.write_text(json.dumps({"t1": {"train": [{"input": [[1]], "output": [[1]]}],
                                         "test": [{"input": [[2]]}]}}))
    [t1] = janus.load_tasks(kaggle)
    assert t1.id == "t1" and t1.test[0].output is None


def test_tasks_pickle_and_draw(arc_dir):
    flip = janus.load_tasks(arc_dir / "flip.json")[0]
    again = pickle.loads(pickle.dumps(flip))
    assert again == flip and again.train == flip.train
    svg = flip._repr_svg_()
    assert svg.startswith("<svg") and "flip train 0 input 2x2" in svg
    text = flip.text(colour=False)
    assert "3 4" in text and "test 2 input" in text


def test_solve_reports_the_cli_fields_and_a_callable_program(arc_dir):
    flip, mirror, noise = janus.load_tasks(arc_dir)
    reports = janus.solve([flip, mirror, noise], timeout=5, max_expansions=2000, jobs=2)
    assert [r.task for r in reports] == ["flip", "mirror", "noise"]
    assert reports[0].solved and reports[1].solved and not reports[2].solved
    for field in ["train_fit", "steps", "time_ms", "expansions", "candidates", "stop",
                  "test_correct", "test_total", "time_ms_2", "expansions_2"]:
        assert field in reports[0].to_dict()
    f = reports[0].function
    assert str(f) == reports[0].program
    assert f([[1, 2], [3, 4], [5, 6]]) == [[5, 6], [3, 4], [1, 2]]
    assert reports[2].function is None
    assert reports[2].stop == "expansions"  # the budget of max_expansions ran out


def test_solve_accepts_paths_and_reports_as_tasks_end(root):
    seen = []
    reports = janus.solve(root / "tasks/double-add/large.txt", timeout=5,
                          on_report=lambda i, r: seen.append((i, r.task)))
    assert all(r.solved for r in reports)
    assert sorted(seen) == [(i, r.task) for i, r in enumerate(reports)]


def test_solve_releases_the_gil(root):
    tasks = janus.load_tasks(root / "tasks/24game/solvable.csv")[:200]
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    janus.solve(tasks, timeout=5, jobs=1)
    stop.set()
    thread.join()
    assert len(ticks) > 5, "the Python thread never ran while janus searched"


def test_ctrl_c_stops_a_long_solve_and_keeps_what_it_streamed(arc_dir):
    noise = janus.load_tasks(arc_dir / "noise.json")[0]
    seen = []
    # Python's own Ctrl-C handler: in `.ci/run` something had left SIGINT without it
    # (every simulated interrupt was then ignored and the solve ran all 30 tasks).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    start = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            janus.solve([noise] * 30, timeout=0.3, jobs=1, on_report=lambda i, r: seen.append(i))
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    elapsed = time.perf_counter() - start
    assert 0 < len(seen) < 30
    assert elapsed < 3.0, f"stopped {elapsed - 1:.1f} s after Ctrl-C"


def test_24_game_programs_take_and_give_fractions(root):
    [r] = janus.solve(janus.load_tasks(root / "tasks/24game/solvable.csv")[:1], timeout=5)
    assert r.solved and r.notation
    task = janus.load_tasks(root / "tasks/24game/solvable.csv")[0]
    assert r.function(*task.train[0].inputs) == 24


def test_a_library_becomes_primitives_of_the_search_and_of_programs(root, tmp_path):
    task = tmp_path / "mirror.json"
    task.write_text(json.dumps({
        "train": [{"input": [[1, 2], [3, 4]], "output": [[1, 2, 2, 1], [3, 4, 4, 3]]},
                  {"input": [[5, 0, 7]], "output": [[5, 0, 7, 7, 0, 5]]}],
        "test": [{"input": [[6], [8]], "output": [[6, 6], [8, 8]]}]}))
    library = root / "dsl/arc.lib"
    [report] = janus.solve(task, timeout=10, max_expansions=500, library=library)
    assert report.solved
    assert janus.Program("(lam (arc_3 $0))", "arc", [library])([[1, 2]]) == [[1, 2, 2, 1]]
    with pytest.raises(janus.JanusError, match="arc_3"):
        janus.Program("(lam (arc_3 $0))", "arc")([[1, 2]])
    with pytest.raises(janus.JanusError, match="missing.lib"):
        janus.solve(task, library=tmp_path / "missing.lib")


def test_bad_options_raise_janus_errors(arc_dir):
    tasks = janus.load_tasks(arc_dir)
    with pytest.raises(janus.JanusError, match="timeout"):
        janus.solve(tasks, timeout=-1)
    with pytest.raises(janus.JanusError, match="attempts"):
        janus.solve(tasks, attempts=3)
    with pytest.raises(janus.JanusError):
        janus.solve(tasks, strategy="sideways")
    with pytest.raises(janus.JanusError, match="does not type-check|program"):
        janus.Program("(vflip 3)", "arc")([[1]])


def test_guides_say_they_need_torch_when_absent(arc_dir):
    if janus.HAS_TORCH:
        pytest.skip("built with torch")
    with pytest.raises(janus.JanusError, match="torch"):
        janus.solve(janus.load_tasks(arc_dir), guide="models/arc-bidir.safetensors")
    with pytest.raises(janus.JanusError, match="torch"):
        janus.ardt.train("corpus.txt", embeddings="minilm")


def test_submission_and_summary(arc_dir):
    tasks = janus.load_tasks(arc_dir)
    reports = janus.solve(tasks, timeout=5, max_expansions=2000)
    sub = janus.submission(tasks, reports)
    assert sub["flip"] == [{"attempt_1": [[9, 0], [7, 8]],
                            "attempt_2": sub["flip"][0]["attempt_2"]}]
    assert sub["noise"][0]["attempt_1"] == [[3]]  # no program: the test input
    s = janus.summary(reports)
    assert (s["tasks"], s["solved"], s["test_correct"], s["test_total"]) == (3, 2, 2, 3)


def test_learn_and_rewrite(tmp_path):
    programs = ["(draw (scale 2 (rotate 90 circle)))", "(draw (scale 2 (rotate 90 square)))",
                "(draw (scale 2 (rotate 90 (star 5))))"]
    result = janus.learn(programs, iterations=2, max_arity=2)
    [fn_0] = result.abstractions
    assert (fn_0.name, fn_0.arity, fn_0.body) == ("fn_0", 1, "(draw (scale 2 (rotate 90 #0)))")
    assert result.rewritten == ["(fn_0 circle)", "(fn_0 square)", "(fn_0 (star 5))"]
    assert result.json["original_cost"] > result.json["final_cost"]
    assert result.json["abstractions"][0]["num_uses"] == 3
    again = janus.rewrite(programs + ["(draw (scale 2 (rotate 90 hexagon)))"], result.abstractions)
    assert again.rewritten[-1] == "(fn_0 hexagon)"
    with pytest.raises(TypeError, match="bogus"):
        janus.learn(programs, iterations=1, bogus=True)
    with pytest.raises(janus.JanusError, match="program 2"):
        janus.learn(["(a b)", "(a b"], iterations=1)


def test_ardt_trains_generates_evaluates_and_saves(tmp_path):
    corpus = tmp_path / "stories.txt"
    story = "the cat sat on the mat . the dog ran to the cat . "
    corpus.write_text("\n\n".join(story * 3 for _ in range(20)))
    model = janus.ardt.train(corpus, rounds=5, dim=8, min_count=1, seed=3, cache=str(tmp_path))
    text = model.generate("the cat", tokens=5)
    assert isinstance(text, str) and text.strip()
    scores = model.evaluate(corpus)
    assert scores["tokens"] > 0 and scores["top1"] > 0.3
    model.save(tmp_path / "m.ardt")
    loaded = janus.ardt.load(tmp_path / "m.ardt")
    assert loaded.generate("the cat", tokens=5) == text
    assert model.info["trees"] > 0
    with pytest.raises(janus.JanusError, match="unknown field"):
        janus.ardt.train(corpus, roundz=5)
