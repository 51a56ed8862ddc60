//! `janus ardt eval`: held-out accuracy, perplexity and generation statistics.

use std::time::Instant;

use clap::Args;

use janus::ardt::{evaluate, ArdtModel, Corpus, Predictor};
use janus::ardt::{generation_report, Generation, DEFAULT_PROMPTS};

use super::*;

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    input: ModelOnCorpus,
    /// Prompts to generate from (repeatable; three fixed ones by default).
    #[arg(long)]
    prompt: Vec<String>,
    /// Tokens per generation.
    #[arg(long, default_value_t = 200)]
    gen_tokens: usize,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Worker threads (default: all cores; `--threads` is the old spelling).
    #[arg(long = "jobs", alias = "threads")]
    pub(super) threads: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(super) fn run_eval(a: EvalArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.input.model)?;
    let corpus = Corpus::open(&a.input.corpus, a.input.doc_format.into())?;
    let predictor = Predictor::new(&model);
    let start = Instant::now();
    let evaluation = evaluate(&predictor, &corpus, a.input.max_rows)?;
    let eval_seconds = start.elapsed().as_secs_f64();
    let prompts: Vec<String> = if a.prompt.is_empty() {
        DEFAULT_PROMPTS.iter().map(|p| p.to_string()).collect()
    } else {
        a.prompt.clone()
    };
    let sampling = a.sampling.sampling();
    let gens: Vec<Generation> = prompts
        .iter()
        .map(|p| generation(&predictor, p, a.gen_tokens, &sampling))
        .collect();
    let generation = generation_report(&gens);
    let report = serde_json::json!({
        "model": a.input.model.display().to_string(),
        "corpus": a.input.corpus.display().to_string(),
        "tokens": evaluation.tokens,
        "top1": evaluation.top1,
        "top5": evaluation.top5,
        "perplexity": evaluation.perplexity,
        "eval_seconds": eval_seconds,
        "leaves": model.tree_parameters(),
        "ngram_parameters": model.ngram_parameters(),
        "generation": generation,
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{} tokens: top-1 {:.4}, top-5 {:.4}, perplexity {}",
            evaluation.tokens,
            evaluation.top1,
            evaluation.top5,
            evaluation
                .perplexity
                .map_or("n/a".into(), |p| format!("{p:.2}"))
        );
        outln!(
            "generation: distinct-2 {:.3}, repetition-4 {:.3}, {:.0} tokens/s",
            report["generation"]["distinct_2"].as_f64().unwrap_or(0.0),
            report["generation"]["repetition_4"].as_f64().unwrap_or(0.0),
            report["generation"]["tokens_per_second"]
                .as_f64()
                .unwrap_or(0.0)
        );
        for g in &gens {
            outln!("> {} {}", g.prompt, g.text);
        }
    }
    Ok(())
}
