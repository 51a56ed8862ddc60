//! `janus ardt ngram`: unigram and bigram baselines on a model's tokens.

use std::path::PathBuf;

use clap::Args;

use crate::cli::args::*;
use janus::ardt::tokenize;
use janus::ardt::NGram;
use janus::ardt::{ArdtModel, Corpus};

#[derive(Debug, Args)]
pub struct NgramArgs {
    /// A model: its tokenizer defines the tokens.
    #[arg(long)]
    model: PathBuf,
    /// Corpus to count (`--train` is the old spelling).
    #[arg(long = "corpus", alias = "train")]
    train: PathBuf,
    /// Held-out corpus to score.
    #[arg(long)]
    valid: PathBuf,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(super) fn run_ngram(a: NgramArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.model)?;
    let docs = |path: &PathBuf| {
        tokenize(
            &Corpus::open(path, a.doc_format.into())?,
            &model.tokenizer,
            None,
        )
    };
    let (train_docs, valid_docs) = (docs(&a.train)?, docs(&a.valid)?);
    let start = model.tokenizer.eos();
    let vocab = model.tokenizer.vocab_size();
    let ngram = NGram::fit(&train_docs, vocab, vocab, start, Some);
    let scores = ngram.score(&valid_docs, start, model.tokenizer.unk());
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        for s in &scores {
            outln!(
                "{:<8} top-1 {:.4}, top-5 {:.4}, perplexity {:.2}, {} parameters",
                s.name,
                s.top1,
                s.top5,
                s.perplexity,
                s.parameters
            );
        }
    }
    Ok(())
}
