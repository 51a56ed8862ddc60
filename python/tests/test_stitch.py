"""janus.learn and janus.rewrite against PyPI's stitch-core, called the same way."""

import pytest

import janus

stitch_core = pytest.importorskip("stitch_core")

CORPUS = [
    "(draw (scale 2 (rotate 90 circle)))",
    "(draw (scale 2 (rotate 90 square)))",
    "(draw (scale 2 (rotate 90 (star 5))))",
    "(lam (draw (scale 2 (rotate 90 (f $0)))))",
    "(move 3 (draw circle))",
    "(move 3 (draw square))",
    "(move 3 (draw (scale 2 (rotate 90 (star 7)))))",
    "(lam (move 3 (draw (g $0 $0))))",
]


def essentials(result):
    j = result.json
    return (j["original_cost"], j["final_cost"],
            [(a["name"], a["arity"], a["body"], a["utility"], a["num_uses"])
             for a in j["abstractions"]],
            result.rewritten)


@pytest.mark.parametrize("iterations,max_arity", [(1, 1), (3, 2), (4, 3)])
def test_learn_agrees_with_stitch(iterations, max_arity):
    theirs = stitch_core.compress(CORPUS, iterations=iterations, max_arity=max_arity, threads=1)
    ours = janus.learn(CORPUS, iterations=iterations, max_arity=max_arity, threads=1)
    assert essentials(ours) == essentials(theirs)
    assert ours.json["compression_ratio"] == pytest.approx(theirs.json["compression_ratio"])


def test_the_result_has_stitchs_shape():
    theirs = stitch_core.compress(CORPUS, iterations=2, max_arity=2).json
    ours = janus.learn(CORPUS, iterations=2, max_arity=2).json
    for key in ("original_cost", "final_cost", "compression_ratio", "num_abstractions",
                "original", "rewritten", "abstractions"):
        assert key in ours, key
    for key in ("name", "arity", "body", "utility", "num_uses", "final_cost",
                "compression_ratio", "cumulative_compression_ratio", "rewritten"):
        assert key in ours["abstractions"][0] and key in theirs["abstractions"][0], key
        mine, stitch = ours["abstractions"][0][key], theirs["abstractions"][0][key]
        if isinstance(stitch, float):
            assert mine == pytest.approx(stitch), key
        else:
            assert mine == stitch, key


def test_rewrite_agrees_with_stitch():
    learned = stitch_core.compress(CORPUS, iterations=3, max_arity=2)
    more = CORPUS + ["(draw (scale 2 (rotate 90 hexagon)))", "(move 3 (draw dot))"]
    theirs = stitch_core.rewrite(more, learned.abstractions)
    ours = janus.rewrite(more, learned.abstractions)
    assert ours.rewritten == theirs.rewritten
    assert ours.json["final_cost"] == theirs.json["final_cost"]
