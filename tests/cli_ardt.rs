//! `janus ardt` and `janus gbdt` end to end on files the tests write, and on bad input.

mod common;

use std::path::Path;
use std::process::Output;

use common::run::{janus, stderr, stdout};

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Alternating "red fish swims left ." and "blue fish swims right ." documents.
fn toy(dir: &Path, name: &str, docs: usize) -> std::path::PathBuf {
    let text: String = (0..docs)
        .map(|i| {
            if i % 3 == 0 {
                "blue fish swims right .\n"
            } else {
                "red fish swims left .\n"
            }
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn trains_generates_evaluates_and_inspects_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let (train, valid) = (
        toy(dir.path(), "train.txt", 120),
        toy(dir.path(), "valid.txt", 30),
    );
    let (model, log, cache) = (
        dir.path().join("m.ardt"),
        dir.path().join("log.csv"),
        dir.path().join("cache"),
    );
    let summary = json(&janus(&[
        "ardt",
        "train",
        "--corpus",
        p(&train),
        "--valid",
        p(&valid),
        "--vocab-size",
        "50",
        "--min-count",
        "1",
        "--dim",
        "16",
        "--w2v-epochs",
        "20",
        "--window",
        "4",
        "--objective",
        "classify",
        "--classes",
        "10",
        "--rounds",
        "15",
        "--max-depth",
        "4",
        "--cache",
        p(&cache),
        "--out",
        p(&model),
        "--log",
        p(&log),
        "--json",
    ]));
    assert_eq!(summary["rounds"], 15);
    // Eight distinct tokens plus "other": 9 of the 10 classes asked for exist.
    assert_eq!(summary["trees"], 15 * 9);
    assert_eq!(summary["tokens"], 120 * 6);
    let log = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        log.lines().count(),
        16,
        "a header and one line per round:\n{log}"
    );

    let g = janus(&[
        "ardt",
        "generate",
        "--model",
        p(&model),
        "--prompt",
        "blue",
        "--tokens",
        "10",
    ]);
    assert!(g.status.success(), "{}", stderr(&g));
    assert_eq!(stdout(&g).trim(), "blue fish swims right.");

    let e = json(&janus(&[
        "ardt",
        "eval",
        "--model",
        p(&model),
        "--corpus",
        p(&valid),
        "--json",
        "--gen-tokens",
        "20",
    ]));
    assert_eq!(e["tokens"], 30 * 6);
    assert_eq!(e["top5"], 1.0);
    assert!(e["perplexity"].as_f64().unwrap() < 1.5, "{e}");
    assert_eq!(e["generation"]["samples"].as_array().unwrap().len(), 3);

    let i = json(&janus(&[
        "ardt",
        "inspect",
        "--model",
        p(&model),
        "--json",
        "--top",
        "5",
    ]));
    assert_eq!(i["top_features"].as_array().unwrap().len(), 5);
    assert_eq!(i["trees"], 15 * 9);

    let n = json(&janus(&[
        "ardt",
        "ngram",
        "--model",
        p(&model),
        "--train",
        p(&train),
        "--valid",
        p(&valid),
        "--json",
    ]));
    assert_eq!(n[1]["name"], "bigram");
    assert!(n[1]["top1"].as_f64().unwrap() > n[0]["top1"].as_f64().unwrap());
}

#[test]
fn a_bad_model_file_is_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("broken.ardt");
    std::fs::write(&model, "not a model").unwrap();
    let out = janus(&["ardt", "generate", "--model", p(&model), "--prompt", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("broken.ardt") && stderr(&out).contains("not a janus ARDT model"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn failed_training_leaves_an_existing_model_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("bad.txt");
    std::fs::write(&corpus, b"fine line\n\xff\xfe broken\n").unwrap();
    let model = dir.path().join("m.ardt");
    std::fs::write(&model, "precious").unwrap();
    let out = janus(&[
        "ardt",
        "train",
        "--corpus",
        p(&corpus),
        "--out",
        p(&model),
        "--cache",
        p(dir.path()),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad.txt") && stderr(&out).contains("line 2"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&model).unwrap(), "precious");
}

#[test]
fn gbdt_fit_reports_losses_and_rejects_mismatched_arrays() {
    use janus::gbdt::{npy, Matrix};
    let dir = tempfile::tempdir().unwrap();
    let x = Matrix::new(200, 1, (0..200).map(|i| i as f32).collect());
    let y = Matrix::new(200, 1, (0..200).map(|i| (i >= 100) as u8 as f32).collect());
    std::fs::write(dir.path().join("x.npy"), npy::matrix_bytes(&x)).unwrap();
    std::fs::write(dir.path().join("y.npy"), npy::matrix_bytes(&y)).unwrap();
    std::fs::write(dir.path().join("l.npy"), npy::labels_bytes(&[0, 1, 2])).unwrap();
    let d = |f: &str| dir.path().join(f).to_str().unwrap().to_string();
    let r = json(&janus(&[
        "gbdt",
        "fit",
        "--x",
        &d("x.npy"),
        "--y",
        &d("y.npy"),
        "--rounds",
        "20",
        "--max-depth",
        "1",
    ]));
    assert!(r["train_loss"].as_f64().unwrap() < 0.01, "{r}");
    let out = janus(&["gbdt", "fit", "--x", &d("x.npy"), "--labels", &d("l.npy")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("x.npy") && stderr(&out).contains("200 rows"),
        "{}",
        stderr(&out)
    );
}
