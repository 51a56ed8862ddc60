//! A seeded fuzz suite over every loader: valid seed inputs mutated at random (bytes
//! replaced, inserted, deleted, spans repeated), random text over each format's
//! alphabet, and deep nesting. No input may panic or overflow the stack, and every error
//! of a file loader names its file. Proptest's seed is fixed in its config, so CI runs
//! the same cases each time.

mod common;

use std::path::Path;

use common::run::npy_bytes;

use janus::learn::{register_library, Corpus, CorpusFormat, Library};
use janus::tasks::load_file;
use janus::{domain, infer, parse_expr, parse_type, Evaluator};
use proptest::prelude::*;

/// One edit of a seed: replace, insert or delete a byte, or repeat a span many times.
#[derive(Clone, Debug)]
enum Edit {
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Repeat(usize, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to the formats, and any byte.
    let byte = prop_oneof![
        prop::sample::select(b"()[]{}\",:;|#$-/.0123456789 \n\tabcelmt\\".to_vec()),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), 1usize..16, 2usize..3000).prop_map(|(i, n, k)| Edit::Repeat(i, n, k)),
    ]
}

/// `seed` with `edits` applied (positions taken modulo the length).
fn mutated(seed: &str, edits: &[Edit]) -> Vec<u8> {
    let mut b = seed.as_bytes().to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *e {
            Edit::Replace(i, x) if !b.is_empty() => {
                let i = at(i, b.len());
                b[i] = x;
            }
            Edit::Insert(i, x) => {
                let i = at(i, b.len() + 1);
                b.insert(i, x);
            }
            Edit::Delete(i) if !b.is_empty() => {
                let i = at(i, b.len());
                b.remove(i);
            }
            Edit::Repeat(i, n, k) if !b.is_empty() => {
                let i = at(i, b.len());
                let span: Vec<u8> = b[i..(i + n).min(b.len())].to_vec();
                let tail = b.split_off(i);
                for _ in 0..k {
                    b.extend(&span);
                }
                b.extend(tail);
            }
            _ => {}
        }
    }
    b
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 1..6)
}

/// Writes `bytes` to `name` in a fresh folder and runs `load` on it: no panic, and an
/// error names the file.
fn load_checked<T, E: std::fmt::Display>(
    name: &str,
    bytes: &[u8],
    load: impl Fn(&Path) -> Result<T, E>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Err(e) = load(&path) {
        let message = e.to_string();
        assert!(
            message.contains(name),
            "the error names the file: {message}"
        );
    }
}

const ARC: &str = r#"{"train": [{"input": [[1, 2], [3, 4]], "output": [[2, 1], [4, 3]]}],
 "test": [{"input": [[5, 6]], "output": [[6, 5]]}]}"#;
const KAGGLE: &str =
    r#"{"t1": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}}"#;
const JANUS: &str = r#"[{"id": "a", "domain": "24", "inputs": [1, 3, 4, 6], "target": 24},
 {"domain": "double-add", "examples": [{"inputs": [5], "output": 83}]}]"#;
const CSV: &str = "Rank,Puzzles\n1,1 3 4 6\n2,2 2 \"3\" 8\n";
const TARGETS: &str = "# targets\n12\n4999999\n340282366920938463463374607431768211457\n";
const PROGRAM: &str = "(lam (lam (div (sub $0 3/4) (mul $1 (add 2 -7)))))";
const LIBRARY: &str = ";; janus library 1\n;; source: fuzz\n\
    fn_0 arity=1 uses=3 utility=10 type=(-> int int) = (plus_one (double #0))\n\
    fn_1 arity=2 uses=2 utility=5 = (fn_0 (double #1))\n";
const CORPUS: &str =
    r#"["(lam (double (plus_one $0)))", "(lam (double (double $0)))", "(f (g 1) 2)"]"#;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        // A fixed seed: the same cases in every run and on every machine.
        rng_seed: proptest::test_runner::RngSeed::Fixed(22),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arc_and_kaggle_files(e in edits(), kaggle in any::<bool>()) {
        let (name, seed) = if kaggle { ("x_challenges.json", KAGGLE) } else { ("t.json", ARC) };
        load_checked(name, &mutated(seed, &e), load_file);
    }

    #[test]
    fn janus_json_csv_and_target_files(e in edits(), which in 0usize..3) {
        let (name, seed) = [("t.json", JANUS), ("t.csv", CSV), ("t.txt", TARGETS)][which];
        load_checked(name, &mutated(seed, &e), load_file);
    }

    #[test]
    fn programs_parse_type_check_run_and_print(e in edits()) {
        let text = String::from_utf8_lossy(&mutated(PROGRAM, &e)).into_owned();
        if let Ok(p) = parse_expr(&text) {
            let d = domain("24").unwrap();
            let _ = infer(&p, &d.registry);
            let _ = Evaluator::new(&d.registry).run(&p, &[janus::Value::rat(1, 1), janus::Value::rat(3, 1)]);
            prop_assert_eq!(parse_expr(&p.to_string()).ok(), Some(p));
        }
        let _ = parse_type(&text);
    }

    #[test]
    fn library_files_load_and_register(e in edits()) {
        load_checked("l.lib", &mutated(LIBRARY, &e), |path| {
            let library = Library::load(path).map_err(|e| e.to_string())?;
            let mut registry = domain("double-add").unwrap().registry;
            // Registration may refuse the library; it must not panic.
            let _ = register_library(&library, &mut registry);
            Ok::<_, String>(())
        });
    }

    #[test]
    fn corpora(e in edits(), format in 0usize..4) {
        let format = [CorpusFormat::Auto, CorpusFormat::Stitch, CorpusFormat::Dreamcoder, CorpusFormat::Janus][format];
        load_checked("c.json", &mutated(CORPUS, &e), |path| Corpus::load(path, format));
    }

    #[test]
    fn npy_arrays(e in edits(), labels in any::<bool>()) {
        let seed = npy_seed(labels);
        let seed = String::from_utf8_lossy(&seed).into_owned();
        load_checked("a.npy", &mutated(&seed, &e), |path| {
            if labels {
                janus::gbdt::npy::read_labels(path).map(|_| ())
            } else {
                janus::gbdt::npy::read_matrix(path).map(|_| ())
            }
        });
    }
}

/// A small valid `.npy` file: a (2, 2) float matrix, or 2 integer labels.
fn npy_seed(labels: bool) -> Vec<u8> {
    let (descr, shape, data): (&str, &str, Vec<u8>) = if labels {
        (
            "<i8",
            "(2,)",
            [0i64, 1].iter().flat_map(|v| v.to_le_bytes()).collect(),
        )
    } else {
        (
            "<f4",
            "(2, 2)",
            [1f32, 2., 3., 4.]
                .iter()
                .flat_map(|v| v.to_le_bytes())
                .collect(),
        )
    };
    npy_bytes(descr, shape, &data)
}

#[test]
fn deep_nesting_in_every_text_format_is_an_error() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    for text in [
        deep("(f ", ")", 200_000),
        deep("(", ")", 200_000),
        deep("(lam ", ")", 200_000),
    ] {
        assert!(parse_expr(&text).is_err());
        assert!(parse_type(&text).is_err());
        assert!(janus::learn::parse_term(&text).is_err());
    }
    let json = deep("[", "]", 200_000);
    let dir = tempfile::tempdir().unwrap();
    for name in ["t.json", "c.json"] {
        let path = dir.path().join(name);
        std::fs::write(&path, &json).unwrap();
        let e = load_file(&path).unwrap_err().to_string();
        assert!(e.contains(name), "{e}");
        let e = Corpus::load(&path, CorpusFormat::Auto)
            .unwrap_err()
            .to_string();
        assert!(e.contains(name), "{e}");
    }
}
