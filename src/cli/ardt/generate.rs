//! `janus ardt generate`: continue a prompt.

use std::path::PathBuf;

use clap::Args;

use janus::ardt::Generation;
use janus::ardt::{generate, ArdtModel, Predictor, Sampling};

use super::*;

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// Text to continue.
    #[arg(long)]
    prompt: String,
    /// Tokens to generate (stops early at end of text).
    #[arg(long, default_value_t = 50)]
    tokens: usize,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// A model and the corpus to read through it.
pub(super) fn generation(
    predictor: &Predictor,
    prompt: &str,
    n: usize,
    sampling: &Sampling,
) -> Generation {
    let tokenizer = &predictor.model.tokenizer;
    Generation::timed(prompt, tokenizer, || {
        generate(predictor, &tokenizer.encode(prompt), n, sampling)
    })
}

pub(super) fn run_generate(a: GenerateArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.model)?;
    let predictor = Predictor::new(&model);
    let g = generation(&predictor, &a.prompt, a.tokens, &a.sampling.sampling());
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&g)?);
    } else {
        outln!("{} {}", a.prompt, g.text);
    }
    Ok(())
}
