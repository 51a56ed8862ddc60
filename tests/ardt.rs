//! ARDT language models on small corpora the tests write.

use std::path::{Path, PathBuf};

use janus::ardt::word2vec::{self, Word2VecParams};
use janus::ardt::{
    argmax, evaluate, generate, train, ArdtModel, Corpus, DocFormat, EmbeddingChoice, HeadKind,
    Predictor, Sampling, Tokenizer, TokenizerKind, TrainConfig,
};
use janus::text::{Subword, WordVocab};

mod common;
use common::{toy_config, toy_grammar};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn config(dir: &Path, head: HeadKind) -> TrainConfig {
    toy_config(dir, EmbeddingChoice::Word2Vec, head, 30)
}

fn corpus(path: &Path) -> Corpus {
    Corpus::open(path, DocFormat::Auto).unwrap()
}

fn continue_greedily(model: &ArdtModel, prompt: &str) -> String {
    let p = Predictor::new(model);
    let out = generate(
        &p,
        &model.tokenizer.encode(prompt),
        10,
        &Sampling::default(),
    );
    model.tokenizer.decode(&out)
}

/// A model with `head` trained on 200 documents of the toy grammar written in `dir`.
fn train_on_toy_grammar(dir: &Path, head: HeadKind) -> ArdtModel {
    let train_path = write(dir, "train.txt", &toy_grammar(200, 1));
    let config = config(dir, head);
    train(
        &corpus(&train_path),
        None,
        &config,
        &mut janus::ardt::Silent,
    )
    .unwrap()
}

#[test]
fn the_ardt_learns_a_deterministic_toy_grammar_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let valid_path = write(dir.path(), "valid.txt", &toy_grammar(40, 2));
    let classify = |prior| HeadKind::Classify { classes: 10, prior };
    for head in [HeadKind::Regress, classify(false), classify(true)] {
        let model = train_on_toy_grammar(dir.path(), head);
        assert_eq!(
            continue_greedily(&model, "red"),
            "fish swims left.\n",
            "{head:?}"
        );
        assert_eq!(
            continue_greedily(&model, "blue"),
            "fish swims right.\n",
            "{head:?}"
        );
        // Every token but each document's first word (a coin flip) is predictable.
        let e = evaluate(&Predictor::new(&model), &corpus(&valid_path), None).unwrap();
        assert_eq!(e.tokens, 40 * 6);
        assert!(e.top1 >= 5.0 / 6.0 - 1e-9, "{head:?}: top-1 {}", e.top1);
        assert!((e.top5 - 1.0).abs() < 1e-9, "{head:?}: top-5 {}", e.top5);
        assert_eq!(
            e.perplexity.is_some(),
            matches!(head, HeadKind::Classify { .. })
        );
    }
}

#[test]
fn tokens_outside_the_classes_are_predicted_by_the_tail() {
    let dir = tempfile::tempdir().unwrap();
    let valid_path = write(dir.path(), "valid.txt", &toy_grammar(40, 2));
    // One class and "other": every other token comes from the tail's bigram.
    let head = HeadKind::Classify {
        classes: 2,
        prior: false,
    };
    let model = train_on_toy_grammar(dir.path(), head);
    assert!(continue_greedily(&model, "red").starts_with("fish swims"));
    // The greedy shortcut (best class against the tail's likeliest token) picks what
    // scoring every token picks.
    let p = Predictor::new(&model);
    for prompt in [
        "",
        "red",
        "red fish",
        "blue fish swims",
        "blue fish swims right .",
    ] {
        let context = model.tokenizer.encode(prompt);
        let mut scores = p.next_scores(&context);
        let unk = model.tokenizer.unk().unwrap();
        scores[unk as usize] = f32::NEG_INFINITY;
        assert_eq!(p.next_greedy(&context), argmax(&scores), "{prompt:?}");
    }
    // fish, swims, "." and the end follow from the previous token; left or right and
    // the first word (one coin flip) do not.
    let e = evaluate(&Predictor::new(&model), &corpus(&valid_path), None).unwrap();
    assert!(e.top1 >= 4.0 / 6.0 - 1e-9, "top-1 {}", e.top1);
    // Every token has a probability: two coin flips per document of six tokens.
    let ppl = e.perplexity.unwrap();
    assert!(ppl > 1.2 && ppl < 1.6, "perplexity {ppl}");
}

#[test]
fn the_same_seed_gives_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "train.txt", &toy_grammar(50, 3));
    let mut c = config(dir.path(), HeadKind::Regress);
    c.boost.subsample = 0.7;
    c.boost.colsample = 0.5;
    let mut a = train(&corpus(&path), None, &c, &mut janus::ardt::Silent).unwrap();
    c.cache_dir = dir.path().join("another-cache");
    let b = train(&corpus(&path), None, &c, &mut janus::ardt::Silent).unwrap();
    assert_eq!(a.booster, b.booster);
    assert_eq!(a.embeddings.targets(), b.embeddings.targets());
    // A different seed changes the embeddings.
    c.word2vec.seed = 9;
    let d = train(&corpus(&path), None, &c, &mut janus::ardt::Silent).unwrap();
    assert_ne!(d.embeddings.targets(), a.embeddings.targets());
    a.info.total_seconds = 0.0;
}

#[test]
fn a_saved_model_loads_and_predicts_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "train.txt", &toy_grammar(60, 4));
    let model = train(
        &corpus(&path),
        None,
        &config(
            dir.path(),
            HeadKind::Classify {
                classes: 8,
                prior: true,
            },
        ),
        &mut janus::ardt::Silent,
    )
    .unwrap();
    let file = dir.path().join("m.ardt");
    model.save(&file).unwrap();
    let loaded = ArdtModel::load(&file).unwrap();
    let context = model.tokenizer.encode("blue fish");
    assert_eq!(
        Predictor::new(&model).next_scores(&context),
        Predictor::new(&loaded).next_scores(&context)
    );
    assert_eq!(loaded.head, model.head);
}

#[test]
fn damaged_or_foreign_model_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "train.txt", &toy_grammar(30, 5));
    let mut c = config(dir.path(), HeadKind::Regress);
    c.boost.rounds = 2;
    let model = train(&corpus(&path), None, &c, &mut janus::ardt::Silent).unwrap();
    let file = dir.path().join("m.ardt");
    model.save(&file).unwrap();
    let good = std::fs::read(&file).unwrap();
    let load_error = |bytes: &[u8]| {
        std::fs::write(&file, bytes).unwrap();
        ArdtModel::load(&file).unwrap_err().to_string()
    };
    let mut flipped = good.clone();
    let last = flipped.len() - 5;
    flipped[last] ^= 0x40;
    assert!(load_error(&flipped).contains("checksum"));
    assert!(load_error(&good[..good.len() - 10]).contains("truncated"));
    let mut newer = good.clone();
    newer[8] = 99;
    assert!(load_error(&newer).contains("format version 99"));
    let e = load_error(b"{\"not\": \"a model\"}");
    assert!(
        e.contains("m.ardt") && e.contains("not a janus ARDT model"),
        "{e}"
    );
}

#[test]
fn word_tokenizer_round_trips_known_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "c.txt",
        "The cat sat on the mat.\nThe dog, too, sat.\n",
    );
    let t = Tokenizer::Word(WordVocab::train(&corpus(&path), 100, 1).unwrap());
    let ids = t.encode("the dog sat on the mat.");
    assert!(!ids.contains(&t.unk().unwrap()));
    assert_eq!(t.decode(&ids), "the dog sat on the mat.");
    assert_eq!(
        t.encode("the zebra")[1],
        t.unk().unwrap(),
        "unseen words are <unk>"
    );
    let json = serde_json::to_string(&t).unwrap();
    let back: Tokenizer = serde_json::from_str(&json).unwrap();
    assert_eq!(back.encode("the cat, too."), t.encode("the cat, too."));
}

#[test]
fn bpe_tokenizer_round_trips_any_text_and_saves() {
    let dir = tempfile::tempdir().unwrap();
    let text = "low lower lowest newer newest wider widest\n".repeat(20);
    let path = write(dir.path(), "c.txt", &text);
    let t = Tokenizer::Subword(Box::new(
        Subword::train(&corpus(&path), TokenizerKind::Bpe, 300).unwrap(),
    ));
    for s in ["lowest newest", "Zebras 42 ünïcode!"] {
        assert_eq!(t.decode(&t.encode(s)), s);
    }
    assert!(
        t.encode("lowest").len() < "lowest".len(),
        "merges were learnt"
    );
    assert_eq!(t.token(t.eos()), "<eos>");
    let back: Tokenizer = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
    assert_eq!(back.encode("wider lowest"), t.encode("wider lowest"));
}

#[test]
fn word2vec_puts_co_occurring_words_closer() {
    // Two topics: sentences of cat/meow/purr/kitten, or of dog/woof/bark/puppy, in a
    // scrambled order.
    let mut tokens = Vec::new();
    let mut state = 7u64;
    for i in 0..4000u32 {
        let topic = (i % 2) * 4;
        for _ in 0..4 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            tokens.push(topic + (state >> 62) as u32);
        }
        tokens.push(8);
    }
    let params = Word2VecParams {
        dim: 16,
        epochs: 3,
        subsample: 0.0,
        window: 2,
        ..Word2VecParams::default()
    };
    let e = word2vec::train(&tokens, 9, &params, &mut |_| {});
    let (cat, meow, dog, woof) = (0, 1, 4, 5);
    let (near, far) = (e.cosine(cat, meow), e.cosine(cat, woof));
    assert!(near > far + 0.3, "cat-meow {near} vs cat-woof {far}");
    assert!(e.cosine(dog, woof) > e.cosine(dog, meow) + 0.3);
}

#[test]
fn word2vec_vectors_are_cached_per_corpus_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let tokens: Vec<u32> = (0..2000).map(|i| i % 7).collect();
    let params = Word2VecParams {
        dim: 8,
        epochs: 1,
        ..Word2VecParams::default()
    };
    let (a, cached) = word2vec::train_cached(&tokens, 7, &params, dir.path(), &mut |_| {}).unwrap();
    assert!(!cached);
    let (b, cached) = word2vec::train_cached(&tokens, 7, &params, dir.path(), &mut |_| {}).unwrap();
    assert!(cached && a == b);
    let other = Word2VecParams { seed: 1, ..params };
    let (_, cached) = word2vec::train_cached(&tokens, 7, &other, dir.path(), &mut |_| {}).unwrap();
    assert!(!cached, "other settings are another cache entry");
}
