#!/usr/bin/env python3
"""janus's tree learner against XGBoost (tree_method="hist"), side by side on the same
.npy features, depth, rounds, learning rate and thread count.

    python3 benches/gbdt_vs_xgboost.py --janus target/release/janus --dir D [--classify]

D holds x_train.npy, x_valid.npy and either y_train.npy/y_valid.npy (regression to
vectors) or labels_train.npy/labels_valid.npy (--classify: softmax). Both learners'
validation losses are computed here by one formula (RMSE over all entries, or mean
negative log-likelihood), and their training times include binning the features.
"""
import argparse
import json
import os
import subprocess
import time

import numpy as np


def rmse(pred, y):
    return float(np.sqrt(np.mean((pred - y) ** 2)))


def mlogloss(prob, labels):
    p = np.clip(prob[np.arange(len(labels)), labels], 1e-15, 1.0)
    return float(-np.mean(np.log(p)))


def run_xgboost(a, xt, xv, yt, yv):
    import xgboost as xgb

    params = {
        "tree_method": "hist",
        "max_bin": 256,
        "eta": a.learning_rate,
        "max_depth": a.max_depth,
        "min_child_weight": 1.0,
        "lambda": 1.0,
        "subsample": a.subsample,
        "nthread": a.threads,
        "seed": 0,
    }
    if a.classify:
        classes = int(max(yt.max(), yv.max())) + 1
        params.update(objective="multi:softprob", num_class=classes)
    else:
        params.update(objective="reg:squarederror", multi_strategy="one_output_per_tree")
    start = time.perf_counter()
    dtrain = xgb.QuantileDMatrix(xt, label=yt, max_bin=256, nthread=a.threads)
    booster = xgb.train(params, dtrain, num_boost_round=a.rounds)
    seconds = time.perf_counter() - start
    pred = booster.predict(xgb.DMatrix(xv, nthread=a.threads))
    if a.classify:
        loss = mlogloss(pred.reshape(len(yv), -1), yv)
    else:
        loss = rmse(pred.reshape(yv.shape), yv)
    return {"train_seconds": seconds, "valid_loss": loss, "version": xgb.__version__}


def run_janus(a, d):
    cmd = [a.janus, "gbdt", "fit", "--x", f"{d}/x_train.npy", "--valid-x", f"{d}/x_valid.npy",
           "--rounds", str(a.rounds), "--learning-rate", str(a.learning_rate),
           "--max-depth", str(a.max_depth), "--subsample", str(a.subsample),
           "--threads", str(a.threads)]
    if a.classify:
        cmd += ["--labels", f"{d}/labels_train.npy", "--valid-y", f"{d}/labels_valid.npy"]
    else:
        cmd += ["--y", f"{d}/y_train.npy", "--valid-y", f"{d}/y_valid.npy"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--janus", default="target/release/janus")
    p.add_argument("--dir", required=True)
    p.add_argument("--classify", action="store_true")
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--learning-rate", type=float, default=0.3)
    p.add_argument("--max-depth", type=int, default=6)
    p.add_argument("--subsample", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    d = a.dir
    xt, xv = np.load(f"{d}/x_train.npy"), np.load(f"{d}/x_valid.npy")
    if a.classify:
        yt, yv = np.load(f"{d}/labels_train.npy"), np.load(f"{d}/labels_valid.npy")
    else:
        yt, yv = np.load(f"{d}/y_train.npy"), np.load(f"{d}/y_valid.npy")
    xgb = run_xgboost(a, xt, xv, yt, yv)
    janus = run_janus(a, d)
    result = {
        "task": "classify" if a.classify else "regress",
        "rows": int(xt.shape[0]), "features": int(xt.shape[1]),
        "outputs": janus["outputs"], "rounds": a.rounds, "max_depth": a.max_depth,
        "learning_rate": a.learning_rate, "threads": a.threads,
        "xgboost": xgb,
        "janus": {"train_seconds": janus["train_seconds"], "valid_loss": janus["valid_loss"]},
        "time_ratio_janus_over_xgboost": janus["train_seconds"] / xgb["train_seconds"],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
