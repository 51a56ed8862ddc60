//! `janus learn`: learn a library of abstractions from a corpus of programs.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::io::{peak_memory_bytes, write_atomic};
use crate::learn::{
    infer_types, learn, print_term, Corpus, CorpusFormat, LearnConfig, SaturationLimits, Theory,
};

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
    /// The janus domain whose primitives the programs use, for the abstractions' types
    /// (read from `janus solve --json` output when absent).
    #[arg(long)]
    domain: Option<String>,
    /// Domain rewrites (`LHS => RHS` per line): programs are put into one canonical form
    /// modulo these equations before learning.
    #[arg(long)]
    rewrites: Option<PathBuf>,
    /// Rounds of rule application when saturating with --rewrites.
    #[arg(long, default_value_t = 8)]
    rewrite_iterations: usize,
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
    let original_cost = corpus.cost(&config.cost);
    let (corpus, saturation) = match &a.rewrites {
        None => (corpus, None),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{}: cannot read", path.display()))?;
            let theory = Theory::parse(&text).with_context(|| path.display().to_string())?;
            let limits = SaturationLimits {
                iterations: a.rewrite_iterations,
                ..SaturationLimits::default()
            };
            let (normalized, report) = theory.normalize(&corpus, &config.cost, limits);
            (normalized, Some(report))
        }
    };
    let mut learned = learn(&corpus, &config);
    learned.library.source = format!(
        "janus learn {} ({} programs in {} tasks), arity {}, {} iterations{}",
        a.corpus.display(),
        corpus.programs.len(),
        corpus.tasks.len(),
        a.arity,
        a.iterations,
        a.rewrites
            .as_ref()
            .map_or(String::new(), |r| format!(", rewrites {}", r.display()))
    );
    if let Some(name) = a.domain.as_ref().or(corpus.domain.as_ref()) {
        let d = crate::domains::domain(name)?;
        infer_types(&mut learned.library, &d.registry);
    }
    let ratio = original_cost as f64 / learned.final_cost.max(1) as f64;
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
                       "uses": x.uses, "utility": x.utility, "type": x.ty})
            })
            .collect();
        let report = json!({
            "corpus": a.corpus.display().to_string(),
            "programs": corpus.programs.len(),
            "tasks": corpus.tasks.len(),
            "arity": a.arity,
            "iterations": a.iterations,
            "original_cost": original_cost,
            "normalized_cost": saturation.as_ref().map(|_| learned.original_cost),
            "saturation": saturation,
            "final_cost": learned.final_cost,
            "compression_ratio": ratio,
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
    if let Some(s) = &saturation {
        outln!(
            "rewrites: {} rounds, {} e-nodes ({}); normalized cost {}",
            s.iterations,
            s.nodes,
            s.stop,
            learned.original_cost
        );
    }
    outln!(
        "{} programs in {} tasks: cost {} -> {}, compression {:.2}x in {:.2} s",
        corpus.programs.len(),
        corpus.tasks.len(),
        original_cost,
        learned.final_cost,
        ratio,
        seconds
    );
    Ok(())
}
