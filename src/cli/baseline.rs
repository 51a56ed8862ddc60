//! The Transformer commands of `janus ardt` (feature `torch`). `baseline`: the Transformer
//! alone (the role of TinyStories-1M in the ARDT paper), a GPT-style decoder of about
//! `--params` parameters trained on the corpus with the ARDT's tokenizer and scored by the
//! same rules as `janus ardt eval`. `embed`: MiniLM sentence embeddings of a corpus.

use crate::cli::verbosity::note;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::args::*;
use super::bar;
use super::solve::DeviceArg;
use janus::ardt::tokenize;
use janus::ardt::{generation_report, Generation, DEFAULT_PROMPTS};

use janus::ardt::{ArdtModel, Corpus, Tokenizer};
use janus::lm::{evaluate, generate, train, GptConfig, GptModel, LmTrainConfig};
use janus::text::WordVocab;

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Training corpus.
    #[arg(long)]
    corpus: PathBuf,
    /// Held-out corpus to score.
    #[arg(long)]
    valid: PathBuf,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// Use this ARDT model's tokenizer (the comparison's); else train a word-level one.
    #[arg(long)]
    tokenizer_from: Option<PathBuf>,
    /// Word-level vocabulary size when training a tokenizer.
    #[arg(value_parser = positive_count, long, default_value_t = 8000)]
    vocab_size: usize,
    /// Target parameter count (the width is chosen to come closest).
    #[arg(long)]
    params: i64,
    /// Blocks.
    #[arg(long, default_value_t = 2)]
    layers: i64,
    /// Attention heads.
    #[arg(long, default_value_t = 4)]
    heads: i64,
    /// Context length.
    #[arg(long, default_value_t = 64)]
    context: i64,
    /// Optimiser steps.
    #[arg(value_parser = positive_count, long, default_value_t = 2000)]
    steps: usize,
    /// Sequences per step.
    #[arg(value_parser = positive_count, long, default_value_t = 32)]
    batch: usize,
    /// Peak learning rate.
    #[arg(value_parser = positive::<f64>, long, default_value_t = 3e-3)]
    learning_rate: f64,
    /// Warmup steps.
    #[arg(long, default_value_t = 100)]
    warmup: usize,
    /// AdamW weight decay.
    #[arg(value_parser = non_negative::<f64>, long, default_value_t = 0.1)]
    weight_decay: f64,
    /// Largest gradient norm.
    #[arg(value_parser = positive::<f64>, long, default_value_t = 1.0)]
    clip: f64,
    /// Start from this decoder (its shape and tokenizer) instead of a fresh one; with
    /// `--steps 0` it is only evaluated.
    #[arg(long)]
    init: Option<PathBuf>,
    /// Checkpoint every this many steps (to --out).
    #[arg(long)]
    checkpoint_every: Option<usize>,
    /// Where to compute.
    #[arg(long, value_enum, default_value_t = DeviceArg::Auto)]
    device: DeviceArg,
    /// CPU threads for libtorch (`--threads` is the old spelling).
    #[arg(long = "jobs", alias = "threads")]
    threads: Option<i32>,
    /// Seed of the initial weights and the sampled windows.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Score at most this many held-out tokens.
    #[arg(long)]
    max_rows: Option<usize>,
    /// Tokens per generation (from the three fixed prompts of `janus ardt eval`).
    #[arg(long, default_value_t = 200)]
    gen_tokens: usize,
    /// The model file to write (safetensors).
    #[arg(long)]
    out: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn tokenizer(a: &BaselineArgs, corpus: &Corpus) -> anyhow::Result<Tokenizer> {
    Ok(match &a.tokenizer_from {
        Some(path) => ArdtModel::load(path)?.tokenizer,
        None => Tokenizer::Word(WordVocab::train(corpus, a.vocab_size, 2)?),
    })
}

pub fn run(a: BaselineArgs) -> anyhow::Result<()> {
    if let Some(t) = a.threads {
        tch::set_num_threads(t);
    }
    let device = super::solve::device(a.device)?;
    let (mut model, stream, valid_docs) = prepare(&a, device)?;
    let c = LmTrainConfig {
        steps: a.steps,
        batch: a.batch,
        learning_rate: a.learning_rate,
        warmup: a.warmup,
        weight_decay: a.weight_decay,
        clip: a.clip,
        seed: a.seed,
        checkpoint: a.checkpoint_every.map(|n| (a.out.clone(), n)),
    };
    let progress = bar(a.steps as u64, "steps")?;
    let mut last_loss = f64::NAN;
    let mut losses = Vec::new();
    // The loss on screen and in the report about twenty times in a run.
    let every = (a.steps / 20).max(1);
    let start = Instant::now();
    train(&mut model, &stream, &c, &mut |step, loss| {
        progress.set_position(step as u64);
        last_loss = loss;
        if step % every == 0 || step == a.steps {
            progress.suspend(|| note!("[{step}]\ttrain-loss:{loss:.5}"));
            losses.push(serde_json::json!({"step": step, "train_loss": loss}));
        }
    })?;
    let train_seconds = start.elapsed().as_secs_f64();
    progress.finish_and_clear();
    model
        .save(&a.out)
        .with_context(|| format!("{}: cannot write the model", a.out.display()))?;
    let trained = Trained {
        device,
        train_seconds,
        last_loss,
        losses,
    };
    print_report(&a, &model, &valid_docs, &trained)
}

/// The model to train (fresh, or `--init`), the training token stream and the held-out
/// documents, tokenized by the model's tokenizer.
fn prepare(
    a: &BaselineArgs,
    device: tch::Device,
) -> anyhow::Result<(GptModel, Vec<u32>, Vec<Vec<u32>>)> {
    let corpus = Corpus::open(&a.corpus, a.doc_format.into())?;
    let init = a
        .init
        .as_ref()
        .map(|p| GptModel::load(p, device))
        .transpose()?;
    let tokenizer = match &init {
        Some(m) => m.tokenizer.clone(),
        None => tokenizer(a, &corpus)?,
    };
    let stream: Vec<u32> = tokenize(&corpus, &tokenizer, None)?.concat();
    let valid = Corpus::open(&a.valid, a.doc_format.into())?;
    let valid_docs = tokenize(&valid, &tokenizer, None)?;
    anyhow::ensure!(
        stream.len() > a.context as usize + 1,
        "{}: shorter than one context window",
        a.corpus.display()
    );
    let config = GptConfig::sized(
        tokenizer.vocab_size() as i64,
        a.context,
        a.layers,
        a.heads,
        a.params,
    );
    let model = init.unwrap_or_else(|| GptModel::new(config, tokenizer, device, a.seed));
    Ok((model, stream, valid_docs))
}

/// How a training run went.
struct Trained {
    device: tch::Device,
    train_seconds: f64,
    last_loss: f64,
    /// The training loss about twenty times in the run.
    losses: Vec<serde_json::Value>,
}

/// Evaluates the trained model on the held-out documents and generates from the default
/// prompts; prints the report (JSON with `--json`, else one line).
fn print_report(
    a: &BaselineArgs,
    model: &GptModel,
    valid_docs: &[Vec<u32>],
    t: &Trained,
) -> anyhow::Result<()> {
    let e = evaluate(model, valid_docs, a.max_rows);
    let gens: Vec<Generation> = DEFAULT_PROMPTS
        .iter()
        .map(|p| {
            Generation::timed(p, &model.tokenizer, || {
                generate(model, &model.tokenizer.encode(p), a.gen_tokens)
            })
        })
        .collect();
    let generation = generation_report(&gens);
    let train_seconds = t.train_seconds;
    let report = serde_json::json!({
        "model": a.out.display().to_string(),
        "device": format!("{:?}", t.device),
        "config": model.gpt.config,
        "parameters": model.parameters(),
        "steps": a.steps,
        "train_seconds": train_seconds,
        "steps_per_second": a.steps as f64 / train_seconds.max(1e-9),
        "final_train_loss": t.last_loss,
        "loss_log": t.losses,
        "tokens": e.tokens,
        "top1": e.top1,
        "top5": e.top5,
        "perplexity": e.perplexity,
        "generation": generation,
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{}: {} parameters, {} steps in {train_seconds:.1} s; held out: top-1 {:.4}, top-5 {:.4}, perplexity {:.2}; {:.0} tokens/s generating",
            a.out.display(), model.parameters(), a.steps, e.top1, e.top5, e.perplexity, report["generation"]["tokens_per_second"].as_f64().unwrap_or(0.0)
        );
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct EmbedArgs {
    /// The MiniLM model folder (`make minilm` puts it in .minilm/model).
    #[arg(long, default_value = ".minilm/model")]
    minilm: PathBuf,
    /// The corpus: one sentence embedding per document (cut to 256 word pieces).
    #[arg(long)]
    corpus: PathBuf,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// Documents per batch.
    #[arg(value_parser = positive_count, long, default_value_t = 32)]
    batch: usize,
    /// At most this many documents.
    #[arg(long)]
    max_docs: Option<usize>,
    /// Where to compute.
    #[arg(long, value_enum, default_value_t = DeviceArg::Auto)]
    device: DeviceArg,
    /// Write the embeddings here (`.npy`, documents × 384).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// `janus ardt embed`: MiniLM sentence embeddings of a corpus's documents, in batches,
/// with the encoder's speed in word pieces per second.
pub fn run_embed(a: EmbedArgs) -> anyhow::Result<()> {
    let device = super::solve::device(a.device)?;
    let model = janus::lm::MiniLm::load(&a.minilm, device)?;
    let docs: Vec<String> = Corpus::open(&a.corpus, a.doc_format.into())?
        .documents()?
        .take(a.max_docs.unwrap_or(usize::MAX))
        .collect::<Result<_, _>>()?;
    let pieces: usize = docs.iter().map(|d| model.encode(d).len()).sum();
    let start = Instant::now();
    let mut rows = Vec::with_capacity(docs.len() * 384);
    for batch in docs.chunks(a.batch.max(1)) {
        let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
        let e = model
            .embed(&refs)
            .to_device(tch::Device::Cpu)
            .flatten(0, -1);
        rows.extend(Vec::<f32>::try_from(e)?);
    }
    let seconds = start.elapsed().as_secs_f64().max(1e-9);
    if let Some(out) = &a.out {
        let width = model.config.hidden_size as usize;
        let m = janus::gbdt::Matrix::new(docs.len(), width, rows);
        janus::io::write_atomic(out, &janus::gbdt::npy::matrix_bytes(&m))
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    let report = serde_json::json!({
        "device": format!("{device:?}"),
        "documents": docs.len(),
        "word_pieces": pieces,
        "seconds": seconds,
        "word_pieces_per_second": pieces as f64 / seconds,
    });
    outln!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
