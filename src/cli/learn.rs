//! `janus learn`: learn a library of abstractions from a corpus of programs.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::io::{peak_memory_bytes, write_atomic};
use crate::learn::{learn, print_term, Corpus, CorpusFormat, LearnConfig};

#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The corpus: a Stitch JSON array, a DreamCoder frontier file, or `janus solve --json` output.
    corpus: PathBuf,
    /// The corpus format.
    #[arg(long = "fmt", value_enum, default_value_t = CorpusFormat::Auto)]
    format: CorpusFormat,
    /// The most parameters an abstraction may take.
    #[arg(long, default_value_t = 2)]
    arity: usize,
    /// The most abstractions to learn.
    #[arg(long, default_value_t = 3)]
    iterations: usize,
    /// Write the library here (for example dsl/NAME.lib).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the rewritten corpus here, as a JSON array of programs.
    #[arg(long)]
    rewritten: Option<PathBuf>,
    /// Print a JSON report (costs, ratio, abstractions, rewritten corpus, time, memory).
    #[arg(long)]
    json: bool,
}

/// Runs `janus learn`.
pub fn run(a: LearnArgs) -> anyhow::Result<()> {
    // Timed from the file's reading, as Stitch's `compress` is timed from its strings.
    let start = Instant::now();
    let corpus = Corpus::load(&a.corpus, a.format)?;
    let config = LearnConfig {
        arity: a.arity,
        iterations: a.iterations,
        ..LearnConfig::default()
    };
    let learned = learn(&corpus, &config);
    let seconds = start.elapsed().as_secs_f64();
    let rewritten: Vec<String> = learned.rewritten.iter().map(print_term).collect();
    if let Some(out) = &a.out {
        write_atomic(out, learned.library.to_string().as_bytes())
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    if let Some(out) = &a.rewritten {
        write_atomic(out, serde_json::to_string_pretty(&rewritten)?.as_bytes())
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    if a.json {
        let abstractions: Vec<_> = learned
            .library
            .abstractions
            .iter()
            .map(|x| {
                json!({"name": x.name, "arity": x.arity, "body": print_term(&x.body),
                       "uses": x.uses, "utility": x.utility})
            })
            .collect();
        let report = json!({
            "corpus": a.corpus.display().to_string(),
            "programs": corpus.programs.len(),
            "tasks": corpus.tasks.len(),
            "arity": a.arity,
            "iterations": a.iterations,
            "original_cost": learned.original_cost,
            "final_cost": learned.final_cost,
            "compression_ratio": learned.compression_ratio(),
            "seconds": seconds,
            "peak_memory_bytes": peak_memory_bytes(),
            "abstractions": abstractions,
            "steps": learned.steps,
            "rewritten": rewritten,
        });
        outln!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    for (x, step) in learned.library.abstractions.iter().zip(&learned.steps) {
        outln!(
            "{} (arity {}, {} uses, utility {}, {:.2} s): {}",
            x.name,
            x.arity,
            x.uses,
            x.utility,
            step.seconds,
            print_term(&x.body)
        );
    }
    outln!(
        "{} programs in {} tasks: cost {} -> {}, compression {:.2}x in {:.2} s",
        corpus.programs.len(),
        corpus.tasks.len(),
        learned.original_cost,
        learned.final_cost,
        learned.compression_ratio(),
        seconds
    );
    Ok(())
}
