//! all-MiniLM-L6-v2 read by janus's BERT encoder against reference numbers computed once by
//! an independent numpy forward pass (`scripts/minilm_reference.py`) over the same wheel.
//! The model comes from PyPI (`make minilm`, run by `make test`): `.minilm/model/`.
#![cfg(feature = "torch")]

use std::path::{Path, PathBuf};

use janus::lm::MiniLm;
use tch::Device;

fn model_dir() -> PathBuf {
    let dir = std::env::var_os("JANUS_MINILM")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".minilm/model"));
    assert!(
        dir.join("model.safetensors").exists(),
        "{}: no MiniLM here; run `make minilm`",
        dir.display()
    );
    dir
}

/// (sentence, first 8 dimensions, sum of all 384, dot product with the first sentence).
const REFERENCE: [(&str, [f32; 8], f32, f32); 3] = [
    (
        "The cat sat on the mat.",
        [
            0.130237, -0.015773, -0.036717, 0.057986, -0.059792, 0.033054, 0.030124, 0.028927,
        ],
        0.163946,
        1.0,
    ),
    (
        "A man is playing a guitar.",
        [
            0.021664, -0.004864, -0.009649, -0.063401, -0.167494, 0.004676, 0.080600, -0.024142,
        ],
        0.040264,
        0.062332,
    ),
    (
        "Decision trees can model language.",
        [
            -0.003669, -0.042502, 0.023489, -0.023590, 0.016188, 0.012916, 0.017014, -0.014924,
        ],
        0.228302,
        0.013782,
    ),
];

#[test]
fn sentence_embeddings_match_the_reference_to_1e_4() {
    let m = MiniLm::load(&model_dir(), Device::Cpu).unwrap();
    // One batch of different lengths: padding must not change any sentence's vector.
    let sentences: Vec<&str> = REFERENCE.iter().map(|r| r.0).collect();
    let e = m.embed(&sentences);
    let rows: Vec<Vec<f32>> = (0..3)
        .map(|i| Vec::<f32>::try_from(e.get(i)).unwrap())
        .collect();
    for (row, (s, first, sum, dot0)) in rows.iter().zip(REFERENCE) {
        assert_eq!(row.len(), 384);
        for (a, b) in row.iter().zip(first) {
            assert!((a - b).abs() < 1e-4, "{s}: {:?} vs {first:?}", &row[..8]);
        }
        assert!((row.iter().sum::<f32>() - sum).abs() < 1e-4, "{s}: sum");
        let dot: f32 = row.iter().zip(&rows[0]).map(|(a, b)| a * b).sum();
        assert!((dot - dot0).abs() < 1e-4, "{s}: dot {dot} vs {dot0}");
    }
    assert_eq!(
        m.encode("The cat sat on the mat."),
        vec![101, 1996, 4937, 2938, 2006, 1996, 13523, 1012, 102]
    );
}

#[test]
fn a_wrong_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let src = model_dir();
    for f in ["config.json", "tokenizer.json"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let missing = MiniLm::load(dir.path(), Device::Cpu)
        .err()
        .unwrap()
        .to_string();
    assert!(
        missing.contains("model.safetensors") && missing.contains("cannot read"),
        "{missing}"
    );
    std::fs::write(dir.path().join("model.safetensors"), b"not tensors").unwrap();
    let bad = MiniLm::load(dir.path(), Device::Cpu)
        .err()
        .unwrap()
        .to_string();
    assert!(
        bad.contains("model.safetensors") && bad.contains("corrupt"),
        "{bad}"
    );
    std::fs::write(dir.path().join("config.json"), b"{}").unwrap();
    let config = MiniLm::load(dir.path(), Device::Cpu)
        .err()
        .unwrap()
        .to_string();
    assert!(
        config.contains("config.json") && config.contains("not a BERT config"),
        "{config}"
    );
}
