//! Regression tests of the defects found by probing the `janus` binary with bad and
//! adversarial input: each input here once crashed, hung, or was silently misread. The
//! contract: a clear error naming the file and the problem, exit status 2, no panic.

mod common;

use std::path::Path;

use common::run::{janus, json_lines, npy_bytes, stderr, write};

/// Exit status 2, `expected` in the message, no panic, and long input quoted short.
fn assert_refused(args: &[&str], expected: &str) {
    let out = janus(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{expected}: {err}");
    assert!(err.contains(expected), "expected `{expected}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.len() < 2000, "the message quotes an excerpt: {err}");
}

/// `(f (f ... x))`, `depth` calls deep.
fn nested(f: &str, depth: usize, x: &str) -> String {
    format!("{}{x}{}", format!("({f} ").repeat(depth), ")".repeat(depth))
}

#[test]
fn deep_and_wide_programs_are_refused_not_overflowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let task = "tasks/examples/arc-flip-above.json";
    let deep = format!("(lam {})", nested("vflip", 15_000, "$0"));
    assert_refused(&["show", task, "--program", &deep], "nested too deeply");
    let corpus =
        serde_json::to_string(&[format!("(lam {})", nested("double", 100_000, "$0"))]).unwrap();
    let corpus = write(d, "deep.json", &corpus);
    assert_refused(
        &["learn", &corpus],
        "deep.json: program 0: nested too deeply",
    );
    let wide = format!("(f{})", " 1".repeat(100_000));
    let wide = write(d, "wide.json", &serde_json::to_string(&[wide]).unwrap());
    assert_refused(&["learn", &wide], "wide.json: program 0: nested too deeply");
    let library = |body: &str, arity: usize| {
        format!(";; janus library 1\nfn_0 arity={arity} uses=1 utility=1 = {body}\n")
    };
    let targets = "tasks/double-add/large.txt";
    let lib = write(d, "deep.lib", &library(&nested("double", 5_000, "#0"), 1));
    assert_refused(&["solve", targets, "--library", &lib], "deep.lib: line 2");
    let params: Vec<String> = (0..100_000).map(|i| format!("#{i}")).collect();
    let body = format!("(f {})", params.join(" "));
    let lib = write(d, "wide.lib", &library(&body, 100_000));
    assert_refused(
        &["solve", targets, "--library", &lib],
        "an abstraction may take at most 8 parameters",
    );
}

#[test]
fn an_abstraction_that_doubles_at_each_level_is_refused() {
    // fn_k calls fn_{k-1} twice: fn_59 would make 2^60 calls in one search step.
    let dir = tempfile::tempdir().unwrap();
    let mut text = ";; janus library 1\nfn_0 arity=1 uses=1 utility=1 = (double #0)\n".to_string();
    for k in 1..60 {
        text += &format!(
            "fn_{k} arity=1 uses=1 utility=1 = (fn_{} (fn_{} #0))\n",
            k - 1,
            k - 1
        );
    }
    let lib = write(dir.path(), "exp.lib", &text);
    assert_refused(
        &["solve", "tasks/double-add/large.txt", "--library", &lib],
        "fn_14: expands to 16384 primitive calls",
    );
}

#[test]
fn the_timeout_holds_when_one_step_proposes_a_huge_number_of_tuples() {
    // An arity-8 abstraction over the 24 Game: 2^18 argument tuples per node, which one
    // expansion evaluated all before reading the clock (14.5 s under --timeout 2). The
    // bound is loose: this checks that the clock is read within a step, not the speed.
    let dir = tempfile::tempdir().unwrap();
    let lib = write(
        dir.path(),
        "a8.lib",
        ";; janus library 1\nfn_0 arity=8 uses=1 utility=1 = \
         (add #0 (add #1 (add #2 (add #3 (add #4 (add #5 (add #6 #7)))))))\n",
    );
    let csv = write(dir.path(), "p.csv", "Puzzles\n1 1 1 11\n");
    let out = janus(&[
        "solve",
        &csv,
        "--library",
        &lib,
        "--timeout",
        "0.5",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let reports = json_lines(&out);
    let ms = reports[0]["time_ms"].as_f64().unwrap();
    assert!(ms < 5_000.0, "--timeout 0.5 overran to {ms} ms");
}

#[test]
fn values_past_the_documented_size_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = "7".repeat(100_000);
    let csv = write(
        dir.path(),
        "big.csv",
        &format!("Puzzles\n{big} {big} {big} {big}\n"),
    );
    assert_refused(
        &["solve", &csv, "--timeout", "1"],
        "more than the 65536 a task value may take",
    );
}

#[test]
fn flags_that_would_hang_or_mean_nothing_are_refused() {
    let task = "tasks/examples/double-add.json";
    for (args, flag) in [
        (vec!["solve", task, "--rollouts", "0"], "--rollouts"),
        (vec!["solve", task, "--path-weight", "nan"], "--path-weight"),
        (
            vec!["solve", task, "--forward-share", "2"],
            "--forward-share",
        ),
        (vec!["learn", "x.json", "--arity", "9"], "--arity"),
        (
            vec!["ardt", "train", "--corpus", "c", "--out", "o", "--dim", "0"],
            "--dim",
        ),
        (
            vec![
                "ardt",
                "train",
                "--corpus",
                "c",
                "--out",
                "o",
                "--vocab-size",
                "0",
            ],
            "--vocab-size",
        ),
        (
            vec!["gbdt", "fit", "--x", "x.npy", "--learning-rate", "nan"],
            "--learning-rate",
        ),
    ] {
        let out = janus(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(flag), "{args:?}: {err}");
    }
}

#[test]
fn a_bad_file_in_a_directory_is_reported_and_the_rest_solved() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "good.json",
        r#"{"train": [{"input": [[1, 2]], "output": [[2, 1]]}],
            "test": [{"input": [[3, 4]], "output": [[4, 3]]}]}"#,
    );
    write(d, "bad.json", r#"{"train": ["#);
    let out = janus(&["solve", d.to_str().unwrap(), "--json", "--timeout", "5"]);
    assert_eq!(out.status.code(), Some(2), "some input was bad");
    assert!(
        stderr(&out).contains("bad.json: line 1"),
        "{}",
        stderr(&out)
    );
    let lines = json_lines(&out);
    assert_eq!(lines[0]["task"], "good");
    assert_eq!(lines[0]["solved"], true);
    let summary = &lines[1]["summary"];
    assert_eq!(summary["solved"], 1);
    assert!(summary["skipped_files"][0]
        .as_str()
        .unwrap()
        .contains("bad.json"));
}

#[test]
fn kaggle_folders_read_their_solutions_and_check_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let task = r#"{"train": [{"input": [[1, 2]], "output": [[2, 1]]}],
                   "test": [{"input": [[3, 4]]}, {"input": [[5, 6]]}]}"#;
    write(d, "x_challenges.json", &format!(r#"{{"aa": {task}}}"#));
    let solutions = write(d, "x_solutions.json", r#"{"aa": [[[4, 3]], [[6, 5]]]}"#);
    let out = janus(&["solve", d.to_str().unwrap(), "--json", "--timeout", "5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(
        lines.len(),
        2,
        "one task and the summary, no task from the solutions"
    );
    assert_eq!(lines[1]["summary"]["test_correct"], 2);
    // One answer for two test inputs: the solutions file is named.
    std::fs::write(&solutions, r#"{"aa": [[[4, 3]]]}"#).unwrap();
    assert_refused(
        &["solve", &d.join("x_challenges.json").to_string_lossy()],
        "x_solutions.json: task aa: 1 solutions for 2 test inputs",
    );
    std::fs::write(&solutions, r#"{"aa": [[[4, 3]], [[6, 12]]]}"#).unwrap();
    assert_refused(
        &["solve", &d.join("x_challenges.json").to_string_lossy()],
        "x_solutions.json: task aa: solution 1: colour 12 outside 0-9",
    );
}

#[test]
fn task_files_are_read_as_meant() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let arc = r#"{"train": [{"input": [[1, 2]], "output": [[2, 1]]}],
                  "test": [{"input": [[3, 4]], "output": [[4, 3]]}]}"#;
    let bom = write(d, "bom.json", &format!("\u{feff}{arc}"));
    let out = janus(&["solve", &bom, "--timeout", "5"]);
    assert!(
        out.status.success(),
        "a byte-order mark is skipped: {}",
        stderr(&out)
    );
    let no_train = write(d, "t.json", r#"{"test": [{"input": [[1]]}]}"#);
    assert_refused(&["solve", &no_train], "t.json: task: missing key `train`");
    let twice = write(d, "a.json", arc);
    assert_refused(&["solve", &twice, &twice], "task `a` is given twice");
}

#[test]
fn show_names_what_is_wrong_with_a_program() {
    let task = "tasks/examples/arc-flip-above.json";
    for (program, reason) in [
        ("(lam (foo $0))", "unknown primitive `foo`"),
        ("(lam (vflip $3))", "unbound variable $3"),
        ("(lam (vflip 3))", "type mismatch"),
        ("(vflip", "unclosed"),
    ] {
        assert_refused(&["show", task, "--program", program], reason);
    }
    let out = janus(&["show", task, "--program", "(lam (vflip $0))"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A `.npy` file of `descr` with `shape` and raw `data`.
fn npy(dir: &Path, name: &str, descr: &str, shape: &str, data: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, npy_bytes(descr, shape, data)).unwrap();
    p.to_str().unwrap().to_string()
}

fn f32s(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn gbdt_maps_labels_to_classes_and_checks_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let x = npy(
        d,
        "x.npy",
        "<f4",
        "(4, 2)",
        &f32s(&[1., 2., 3., 4., 5., 6., 7., 8.]),
    );
    let labels: Vec<u8> = [0i64, 1, 4_000_000_000, 1]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let labels = npy(d, "l.npy", "<i8", "(4,)", &labels);
    // A label of 4e9 made 4e9 classes (32 GB); now three classes.
    let out = janus(&[
        "gbdt", "fit", "--x", &x, "--labels", &labels, "--rounds", "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["outputs"], 3);
    // Each round's loss on screen, as XGBoost prints it, and in the report.
    let err = stderr(&out);
    assert!(
        err.contains("[1]\ttrain-loss:") && err.contains("best round [2]"),
        "{err}"
    );
    assert_eq!(report["rounds_log"]["losses"].as_array().unwrap().len(), 2);
    let huge = npy(d, "huge.npy", "<f4", "(4611686018427387904, 1)", &[]);
    assert_refused(
        &["gbdt", "fit", "--x", &huge, "--labels", &labels],
        "huge.npy: shape [4611686018427387904, 1] needs more than 2^64 bytes",
    );
    let vx = npy(d, "vx.npy", "<f4", "(1, 3)", &f32s(&[1., 2., 3.]));
    let vl = npy(d, "vl.npy", "<i8", "(1,)", &1i64.to_le_bytes());
    assert_refused(
        &[
            "gbdt",
            "fit",
            "--x",
            &x,
            "--labels",
            &labels,
            "--valid-x",
            &vx,
            "--valid-y",
            &vl,
        ],
        "vx.npy: 3 columns, but the training features have 2",
    );
}

/// Trains a small word-level classification ARDT on a toy corpus in `dir`.
fn toy_ardt(dir: &Path) -> (String, String) {
    let words = ["the", "cat", "dog", "sat", "on", "mat", "a", "ran"];
    let mut state = 7u64;
    let mut line = || -> String {
        (0..8)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                words[(state >> 33) as usize % words.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let train: Vec<String> = (0..200).map(|_| line()).collect();
    let corpus = write(dir, "train.txt", &train.join("\n"));
    // Held-out text with a word never seen in training: the unknown token.
    let valid = write(dir, "valid.txt", "the zebra sat on the mat\na cat ran\n");
    let model = dir.join("m.ardt").to_str().unwrap().to_string();
    let cache = dir.join("cache").to_str().unwrap().to_string();
    let out = janus(&[
        "ardt",
        "train",
        "--corpus",
        &corpus,
        "--out",
        &model,
        "--tokenizer",
        "word",
        "--min-count",
        "1",
        "--dim",
        "8",
        "--rounds",
        "3",
        "--objective",
        "classify",
        "--classes",
        "4",
        "--cache",
        &cache,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    (model, valid)
}

#[test]
fn ardt_perplexity_stays_finite_with_unseen_tokens_and_generation_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let (model, valid) = toy_ardt(dir.path());
    let out = janus(&[
        "ardt", "eval", "--model", &model, "--corpus", &valid, "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let perplexity = report["perplexity"].as_f64().unwrap();
    // Eight words: a sane model is within a small factor of the vocabulary's size; the
    // unknown token's probability near zero made it explode into the hundreds of thousands.
    assert!(perplexity.is_finite() && perplexity < 100.0, "{report}");
    let out = janus(&[
        "ardt",
        "generate",
        "--model",
        &model,
        "--prompt",
        "the cat",
        "--tokens",
        "18446744073709551615",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_damaged_ardt_model_with_a_valid_checksum_is_refused_or_works() {
    // Header: magic (8), version (4), CRC-32 of the payload (4), length (8).
    let dir = tempfile::tempdir().unwrap();
    let (model, valid) = toy_ardt(dir.path());
    let good = std::fs::read(&model).unwrap();
    let mut state = 1u64;
    for trial in 0..40 {
        let mut bytes = good.clone();
        for _ in 0..1 + trial % 3 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = 24 + (state >> 33) as usize % (bytes.len() - 24);
            bytes[at] = (state >> 20) as u8;
        }
        let crc = crc32fast::hash(&bytes[24..]);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
        let damaged = dir.path().join("d.ardt");
        std::fs::write(&damaged, &bytes).unwrap();
        let d = damaged.to_str().unwrap();
        for args in [
            vec![
                "ardt", "generate", "--model", d, "--prompt", "the cat", "--tokens", "5",
            ],
            vec!["ardt", "eval", "--model", d, "--corpus", &valid],
            vec!["ardt", "inspect", "--model", d],
        ] {
            let out = janus(&args);
            let err = stderr(&out);
            assert!(
                matches!(out.status.code(), Some(0 | 2)) && !err.contains("panicked"),
                "trial {trial}, {}: {err}",
                args[1]
            );
        }
    }
}

#[cfg(feature = "torch")]
#[test]
fn guides_with_damaged_metadata_or_for_another_domain_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("g.safetensors");
    let m = model.to_str().unwrap();
    let out = janus(&[
        "guide",
        "train",
        "--domain",
        "24",
        "--device",
        "cpu",
        "--programs",
        "50",
        "--epochs",
        "1",
        "--out",
        m,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("supervised 0: before training") && !err.contains("NaN"),
        "no loss is printed before training: {err}"
    );
    let targets = write(dir.path(), "t.txt", "1000\n");
    assert_refused(
        &["solve", &targets, "--guide", m, "--device", "cpu"],
        "a guide for the 24 domain, and no task is of it",
    );
    // Safetensors: an 8-byte header length, a JSON header with `__metadata__`, the data.
    let bytes = std::fs::read(&model).unwrap();
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    for (key, value) in [
        ("hidden", "1000000000"),
        ("hidden", "0"),
        ("max_slots", "1000000000"),
    ] {
        let mut h = header.clone();
        h["__metadata__"][key] = serde_json::json!(value);
        let mut text = serde_json::to_vec(&h).unwrap();
        while text.len() % 8 != 0 {
            text.push(b' ');
        }
        let mut damaged = (text.len() as u64).to_le_bytes().to_vec();
        damaged.extend(text);
        damaged.extend(&bytes[8 + n..]);
        let path = dir.path().join("d.safetensors");
        std::fs::write(&path, damaged).unwrap();
        let csv = write(dir.path(), "p.csv", "Puzzles\n1 3 4 6\n");
        assert_refused(
            &[
                "solve",
                &csv,
                "--guide",
                path.to_str().unwrap(),
                "--device",
                "cpu",
            ],
            &format!("metadata `{key}` is {value}"),
        );
    }
}

#[cfg(feature = "torch")]
#[test]
fn the_transformer_baseline_prints_its_loss_as_it_trains() {
    let dir = tempfile::tempdir().unwrap();
    let text = "the cat sat on the mat . the dog ran to the cat .\n".repeat(20);
    let corpus = write(dir.path(), "c.txt", &text);
    let out_path = dir.path().join("b.safetensors");
    let out = janus(&[
        "ardt",
        "baseline",
        "--corpus",
        &corpus,
        "--valid",
        &corpus,
        "--params",
        "20000",
        "--steps",
        "40",
        "--batch",
        "4",
        "--context",
        "16",
        "--layers",
        "1",
        "--heads",
        "2",
        "--device",
        "cpu",
        "--json",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let log = report["loss_log"].as_array().unwrap();
    assert_eq!(log.len(), 20, "every second step of 40");
    assert_eq!(log[19]["step"], 40);
    assert!(
        stderr(&out).contains("[40]\ttrain-loss:"),
        "{}",
        stderr(&out)
    );
}
