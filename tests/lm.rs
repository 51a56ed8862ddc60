//! The GPT-style decoder on CPU: shape, causality, learning, files.
#![cfg(feature = "torch")]

use janus::ardt::{Corpus, DocFormat, Tokenizer};
use janus::lm::{evaluate, generate, learning_rate, train, GptConfig, GptModel, LmTrainConfig};
use janus::text::WordVocab;
use tch::{Device, Tensor};

mod common;

/// A word-level tokenizer over "a b c d e f g h" (ids 2..10 after <unk> and <eos>).
fn letters(dir: &std::path::Path) -> Tokenizer {
    let path = dir.join("letters.txt");
    std::fs::write(&path, "a b c d e f g h\n".repeat(3)).unwrap();
    Tokenizer::Word(
        WordVocab::train(&Corpus::open(&path, DocFormat::Lines).unwrap(), 100, 1).unwrap(),
    )
}

fn small(vocab: i64) -> GptConfig {
    GptConfig {
        vocab,
        context: 16,
        layers: 2,
        heads: 2,
        dim: 32,
    }
}

fn config(steps: usize) -> LmTrainConfig {
    LmTrainConfig {
        steps,
        batch: 16,
        learning_rate: 3e-3,
        warmup: 10,
        weight_decay: 0.0,
        clip: 1.0,
        seed: 0,
        checkpoint: None,
    }
}

#[test]
fn the_parameter_formula_counts_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let m = GptModel::new(small(10), letters(dir.path()), Device::Cpu, 0);
    assert_eq!(m.parameters(), small(10).parameters());
    let sized = GptConfig::sized(8000, 64, 2, 4, 1_000_000);
    assert!(
        (sized.parameters() - 1_000_000).abs() < 80_000,
        "{sized:?}: {}",
        sized.parameters()
    );
}

#[test]
fn a_position_never_sees_the_future() {
    let dir = tempfile::tempdir().unwrap();
    let m = GptModel::new(small(10), letters(dir.path()), Device::Cpu, 1);
    let a = Tensor::from_slice(&[2i64, 3, 4, 5, 6]).view([1, 5]);
    let b = Tensor::from_slice(&[2i64, 3, 4, 9, 8]).view([1, 5]);
    let (la, lb) = tch::no_grad(|| (m.gpt.forward(&a), m.gpt.forward(&b)));
    let diff = |t: i64| {
        (la.select(1, t) - lb.select(1, t))
            .abs()
            .max()
            .double_value(&[])
    };
    for t in 0..3 {
        assert!(
            diff(t) < 1e-6,
            "position {t} changed when only later tokens did"
        );
    }
    assert!(diff(3) > 1e-4, "position 3 reads token 3");
}

#[test]
fn the_decoder_overfits_a_tiny_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let tok = letters(dir.path());
    let doc = tok.encode_document("a b c d e f g h");
    let stream: Vec<u32> = doc.iter().copied().cycle().take(400).collect();
    let mut m = GptModel::new(small(tok.vocab_size() as i64), tok, Device::Cpu, 2);
    let mut losses = Vec::new();
    train(&mut m, &stream, &config(150), &mut |_, l| losses.push(l)).unwrap();
    assert!(
        losses[149] < 0.1 && losses[149] < losses[0] / 10.0,
        "{} -> {}",
        losses[0],
        losses[149]
    );
    let out = generate(&m, &m.tokenizer.encode("a b c"), 10);
    assert_eq!(
        m.tokenizer.decode(&out),
        "d e f g h\\n".replace("\\n", "\n")
    );
    let e = evaluate(&m, &[doc], None);
    assert_eq!(e.tokens, 9);
    assert!(
        e.top1 >= 8.0 / 9.0,
        "only the first letter after <eos> may be missed: {e:?}"
    );
    assert_eq!(m.steps, 150);
}

#[test]
fn a_checkpoint_loads_back_the_same_network() {
    let dir = tempfile::tempdir().unwrap();
    let tok = letters(dir.path());
    let stream: Vec<u32> = tok
        .encode_document("a b c d e f g h")
        .into_iter()
        .cycle()
        .take(200)
        .collect();
    let path = dir.path().join("m.safetensors");
    let mut c = config(6);
    c.checkpoint = Some((path.clone(), 3));
    let mut m = GptModel::new(small(tok.vocab_size() as i64), tok, Device::Cpu, 3);
    train(&mut m, &stream, &c, &mut |_, _| {}).unwrap();
    let back = GptModel::load(&path, Device::Cpu).unwrap();
    assert_eq!(back.steps, 6);
    let x = Tensor::from_slice(&[2i64, 3, 4]).view([1, 3]);
    let same = tch::no_grad(|| {
        (m.gpt.forward(&x) - back.gpt.forward(&x))
            .abs()
            .max()
            .double_value(&[])
    });
    assert!(same < 1e-6);
    assert_eq!(back.tokenizer.encode("c a b"), m.tokenizer.encode("c a b"));
    std::fs::write(&path, b"garbage").unwrap();
    let e = GptModel::load(&path, Device::Cpu)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("m.safetensors") && e.contains("not a janus decoder"),
        "{e}"
    );
}

#[test]
fn the_schedule_warms_up_then_decays_to_a_tenth() {
    let c = LmTrainConfig {
        steps: 100,
        warmup: 10,
        learning_rate: 1.0,
        ..config(100)
    };
    assert!(learning_rate(&c, 0) < learning_rate(&c, 5));
    assert!((learning_rate(&c, 9) - 1.0).abs() < 1e-9);
    assert!(learning_rate(&c, 50) < learning_rate(&c, 20));
    assert!((learning_rate(&c, 100) - 0.1).abs() < 1e-9);
}

#[test]
fn an_ardt_reads_decoder_states_and_notices_when_the_decoder_changes() {
    use janus::ardt::{
        train as train_ardt, ArdtModel, EmbeddingChoice, HeadKind, Predictor, Sampling,
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus_path = dir.path().join("toy.txt");
    let text = common::toy_grammar(60, 5);
    std::fs::write(&corpus_path, text).unwrap();
    let corpus = Corpus::open(&corpus_path, DocFormat::Lines).unwrap();
    let tok = Tokenizer::Word(WordVocab::train(&corpus, 100, 1).unwrap());
    let stream: Vec<u32> = janus::ardt::tokenize(&corpus, &tok, None).unwrap().concat();
    let mut gpt = GptModel::new(small(tok.vocab_size() as i64), tok, Device::Cpu, 4);
    train(&mut gpt, &stream, &config(60), &mut |_, _| {}).unwrap();
    let gpt_path = dir.path().join("gpt.safetensors");
    gpt.save(&gpt_path).unwrap();

    let gpt_states = EmbeddingChoice::Gpt {
        path: gpt_path.clone(),
        layer: Some(1),
    };
    let c = common::toy_config(
        dir.path(),
        gpt_states,
        HeadKind::Classify {
            classes: 10,
            prior: false,
        },
        20,
    );
    let model = train_ardt(&corpus, None, &c, &mut janus::ardt::Silent).unwrap();
    assert_eq!(model.source().dim(), 32, "the decoder's width");
    assert_eq!(
        model.tokenizer.vocab_size(),
        gpt.tokenizer.vocab_size(),
        "the decoder's tokenizer"
    );
    let p = Predictor::new(&model);
    let out = janus::ardt::generate(&p, &model.tokenizer.encode("blue"), 6, &Sampling::default());
    assert_eq!(model.tokenizer.decode(&out), "fish swims right.\n");

    let ardt_path = dir.path().join("m.ardt");
    model.save(&ardt_path).unwrap();
    assert!(ArdtModel::load(&ardt_path).is_ok());
    train(&mut gpt, &stream, &config(1), &mut |_, _| {}).unwrap();
    gpt.save(&gpt_path).unwrap();
    let e = ArdtModel::load(&ardt_path).unwrap_err().to_string();
    assert!(e.contains("m.ardt") && e.contains("weights changed"), "{e}");
}
