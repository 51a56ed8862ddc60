//! `janus ardt`: train, sample from, evaluate and inspect auto-regressive decision-tree
//! language models, and score n-gram baselines on the same tokens.

mod bigbench;
mod eval;
mod features;
mod generate;
mod inspect;
mod ngram;
mod reason;
mod train;

use generate::generation;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::args::*;
use eval::{run_eval, EvalArgs};
use features::{run_features, FeaturesArgs};
use generate::{run_generate, GenerateArgs};
use inspect::{run_inspect, InspectArgs};
use janus::ardt::Sampling;
use ngram::{run_ngram, NgramArgs};
use train::{run_train, TrainArgs};

#[derive(Debug, Subcommand)]
pub enum ArdtCommand {
    /// Train a model on a corpus (one document per line, or `<|endoftext|>`-separated).
    Train(Box<TrainArgs>),
    /// Continue a prompt.
    Generate(GenerateArgs),
    /// Next-token accuracy and perplexity on held-out text, and statistics of generations.
    Eval(EvalArgs),
    /// Trees' sizes and the most important features, labelled by the words they weigh.
    Inspect(InspectArgs),
    /// Unigram and bigram baselines on a model's tokens and scoring rules.
    Ngram(NgramArgs),
    /// The Transformer alone: a GPT-style decoder of about --params parameters trained on
    /// the corpus and scored by the same rules (needs the `torch` feature).
    #[cfg(feature = "torch")]
    Baseline(Box<crate::cli::baseline::BaselineArgs>),
    /// MiniLM sentence embeddings of a corpus's documents, in batches, with their speed
    /// (needs the `torch` feature).
    #[cfg(feature = "torch")]
    Embed(crate::cli::baseline::EmbedArgs),
    /// The Transformer alone (needs the `torch` feature, which this build lacks).
    #[cfg(not(feature = "torch"))]
    Baseline(crate::cli::WithoutTorch),
    /// MiniLM sentence embeddings (needs the `torch` feature, which this build lacks).
    #[cfg(not(feature = "torch"))]
    Embed(crate::cli::WithoutTorch),
    /// Write a corpus's feature rows and targets under a model as .npy files
    /// (x_NAME.npy, and y_NAME.npy or labels_NAME.npy), for other learners.
    Features(FeaturesArgs),
    /// Chain-of-thought reasoning tasks: `gen` a dataset, `train` trees on it, `eval`
    /// exact-match accuracy by input length.
    Reason {
        #[command(subcommand)]
        command: reason::ReasonCommand,
    },
    /// BIG-Bench's multiple-choice tasks (from `scripts/fetch-bigbench.sh`) as
    /// classification: trees against a linear probe and the majority class, held out.
    Bigbench(Box<bigbench::BigBenchArgs>),
}

#[derive(Debug, Args)]
pub struct SamplingArgs {
    /// 0: greedy; else sample from softmax(score / temperature).
    #[arg(value_parser = non_negative::<f32>, long, default_value_t = 0.0)]
    temperature: f32,
    /// Sample among the k best tokens.
    #[arg(value_parser = positive_count, long, default_value_t = 40)]
    top_k: usize,
    /// Seed of the samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

impl SamplingArgs {
    fn sampling(&self) -> Sampling {
        Sampling {
            temperature: self.temperature,
            top_k: self.top_k,
            seed: self.seed,
        }
    }
}

#[derive(Debug, Args)]
pub struct ModelOnCorpus {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// The corpus.
    #[arg(long)]
    corpus: PathBuf,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// At most this many positions (from every k-th document).
    #[arg(long)]
    max_rows: Option<usize>,
}

pub fn run(command: ArdtCommand) -> anyhow::Result<()> {
    match command {
        ArdtCommand::Train(a) => with_threads(a.threads, || run_train(*a)),
        ArdtCommand::Generate(a) => run_generate(a),
        ArdtCommand::Eval(a) => with_threads(a.threads, || run_eval(a)),
        ArdtCommand::Inspect(a) => run_inspect(a),
        ArdtCommand::Ngram(a) => run_ngram(a),
        ArdtCommand::Features(a) => with_threads(None, || run_features(a)),
        ArdtCommand::Reason { command } => reason::run(command),
        ArdtCommand::Bigbench(a) => bigbench::run(*a),
        #[cfg(feature = "torch")]
        ArdtCommand::Baseline(a) => crate::cli::baseline::run(*a),
        #[cfg(feature = "torch")]
        ArdtCommand::Embed(a) => crate::cli::baseline::run_embed(a),
        #[cfg(not(feature = "torch"))]
        ArdtCommand::Baseline(_) => Err(crate::cli::needs_torch("janus ardt baseline")),
        #[cfg(not(feature = "torch"))]
        ArdtCommand::Embed(_) => Err(crate::cli::needs_torch("janus ardt embed")),
    }
}

fn with_threads<T>(
    threads: Option<usize>,
    f: impl FnOnce() -> anyhow::Result<T> + Send,
) -> anyhow::Result<T>
where
    T: Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?;
    pool.install(f)
}
