"""Auto-regressive decision-tree language models (Gan et al., 2024) from Python.

    >>> model = janus.ardt.train("stories.txt", rounds=20, seed=0)
    >>> model.generate("Once upon a time", tokens=20)
    >>> model.evaluate("held-out.txt")["top1"]

Training, generation and evaluation run in Rust with the GIL released. MiniLM embeddings
(`embeddings="minilm"`) need the module built with the torch feature.
"""

from __future__ import annotations

import json
import os
from typing import Optional

from . import _janus, needs_torch


class Model:
    """A trained ARDT: `generate`, `evaluate`, `save`; `info` says what it is made of."""

    def __init__(self, inner):
        self._inner = inner

    @property
    def info(self) -> dict:
        """Tokenizer, embeddings, rows, rounds, trees and leaves."""
        return json.loads(self._inner.info())

    def generate(self, prompt: str, tokens: int = 40, temperature: float = 0.0,
                 top_k: int = 40, seed: int = 0) -> str:
        """The text that follows `prompt`: `tokens` tokens, greedy at temperature 0, else
        sampled from the `top_k` best with `seed`."""
        return self.generation(prompt, tokens, temperature, top_k, seed)["text"]

    def generation(self, prompt: str, tokens: int = 40, temperature: float = 0.0,
                   top_k: int = 40, seed: int = 0) -> dict:
        """`generate`'s text with its measures (tokens, seconds, distinct-2, ...)."""
        return json.loads(self._inner.generate(prompt, tokens, temperature, top_k, seed))

    def evaluate(self, path, max_rows: Optional[int] = None) -> dict:
        """Next-token accuracy (`top1`, `top5`; `perplexity` for the classification head)
        on the corpus at `path`."""
        return json.loads(self._inner.evaluate(os.fspath(path), max_rows))

    def save(self, path) -> None:
        """Write the model to `path` (`janus ardt generate --model` reads it)."""
        self._inner.save(os.fspath(path))

    def __repr__(self):
        i = self.info
        return f"ardt.Model({i['trees']} trees, {i['leaves']} leaves, {i['tokenizer']})"


def train(corpus, **options) -> Model:
    """Train an ARDT on the text file `corpus`. Options, with `janus ardt train`'s
    defaults: rounds (100), learning_rate (0.3), max_depth (6), dim (64), window (16),
    decay (0.5), vocab_size (8000), min_count (2), tokenizer ("word", "bpe",
    "wordpiece"), objective ("regress" or "classify"), classes (256), embeddings
    ("word2vec"; "minilm" needs torch), minilm (its folder), max_rows, max_tokens, cache
    (word2vec's cache folder), seed (0)."""
    if options.get("embeddings") == "minilm":
        needs_torch("MiniLM embeddings")
    return Model(_janus.ardt_train(os.fspath(corpus), json.dumps(options)))


def load(path) -> Model:
    """A model written by `Model.save` or `janus ardt train`."""
    return Model(_janus.ArdtLm.load(os.fspath(path)))
