//! `janus learn`: learn a library of abstractions from a corpus of programs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use super::args::*;
use janus::io::{peak_memory_bytes, write_atomic};
use janus::learn::{
    infer_types, learn, print_term, Corpus, CostModel, LearnConfig, Learned, Library, ParamPlaces,
    Saturation, SaturationLimits, Sizes, Theory,
};

#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The corpus: a Stitch JSON array, a DreamCoder frontier file, or `janus solve --json` output.
    corpus: PathBuf,
    /// The corpus format.
    #[arg(long = "corpus-format", alias = "fmt", value_enum, default_value_t = CorpusFormatArg::Auto)]
    format: CorpusFormatArg,
    /// The most parameters an abstraction may take.
    #[arg(value_parser = arity, long, default_value_t = 2)]
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
    /// The libraries the corpus was written with (its programs use their abstractions):
    /// the new abstractions build on them, are numbered after theirs, and the library
    /// written names them as its bases. May be given several times.
    #[arg(long)]
    library: Vec<PathBuf>,
    /// Learn only first-order abstractions: no parameter where a function goes (the kind
    /// the search can apply; `janus grow` learns these).
    #[arg(long)]
    first_order: bool,
    /// New abstractions are named this plus a number.
    #[arg(long, default_value = "fn_")]
    prefix: String,
    /// Check that every rewritten program expands back to the program it came from.
    #[arg(long)]
    check: bool,
    /// Print a JSON report (costs, ratio, abstractions, rewritten corpus, time, memory).
    #[arg(long)]
    json: bool,
}

/// Runs `janus learn`.
pub fn run(a: LearnArgs) -> anyhow::Result<()> {
    // Timed from the file's reading, as Stitch's `compress` is timed from its strings.
    let start = Instant::now();
    let original = Corpus::load(&a.corpus, a.format.into())?;
    let used = Library::load_all(&a.library)?;
    let config = LearnConfig {
        arity: a.arity,
        iterations: a.iterations,
        first_index: used.next_index(&a.prefix),
        prefix: a.prefix.clone(),
        places: if a.first_order {
            ParamPlaces::Arguments
        } else {
            ParamPlaces::Anywhere
        },
        ..LearnConfig::default()
    };
    let (corpus, saturation) = normalize(&a, &original, &config)?;
    let mut learned = learn(&corpus, &config);
    learned.library.source = source(&a, &corpus);
    if let Some(out) = &a.out {
        learned.library.bases = a.library.iter().map(|l| relative_to(l, out)).collect();
    }
    if let Some(name) = a.domain.as_ref().or(corpus.domain.as_ref()) {
        let kind: janus::DomainKind = name.parse()?;
        let d = janus::domain_with(kind, None, Some(&used))?;
        infer_types(&mut learned.library, &d.registry);
    }
    let seconds = start.elapsed().as_secs_f64();
    if a.check {
        check(&learned, &used, &corpus)?;
    }
    let rewritten: Vec<String> = learned.rewritten.iter().map(print_term).collect();
    if let Some(out) = &a.out {
        write_atomic(out, learned.library.to_string().as_bytes())
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    if let Some(out) = &a.rewritten {
        write_atomic(out, serde_json::to_string_pretty(&rewritten)?.as_bytes())
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    let outcome = Outcome {
        stitch: learned.sizes(&original, &config.cost),
        ast: learned.sizes(&original, &CostModel::ast_size()),
        learned,
        corpus,
        saturation,
        rewritten,
        seconds,
    };
    if a.json {
        print_json(&a, &outcome)
    } else {
        print_text(&outcome)
    }
}

/// What `learn` found, with its measures, for printing.
struct Outcome {
    learned: Learned,
    /// The corpus learned from (normalized where `--rewrites` was given).
    corpus: Corpus,
    saturation: Option<Saturation>,
    rewritten: Vec<String>,
    /// Costs under Stitch's cost model.
    stitch: Sizes,
    /// Costs by AST size.
    ast: Sizes,
    seconds: f64,
}

/// The `--json` report.
fn print_json(a: &LearnArgs, o: &Outcome) -> anyhow::Result<()> {
    let (learned, stitch, ast) = (&o.learned, &o.stitch, &o.ast);
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
        "programs": o.corpus.programs.len(),
        "tasks": o.corpus.tasks.len(),
        "arity": a.arity,
        "iterations": a.iterations,
        "original_cost": stitch.original,
        "final_cost": stitch.rewritten,
        "compression_ratio": stitch.ratio(),
        "library_cost": stitch.library,
        "compression_ratio_with_library": stitch.ratio_with_library(),
        "ast_size": {"original": ast.original, "final": ast.rewritten, "library": ast.library,
                     "compression_ratio": ast.ratio(),
                     "compression_ratio_with_library": ast.ratio_with_library()},
        "normalized_cost": o.saturation.as_ref().map(|_| learned.original_cost),
        "saturation": o.saturation,
        "checked": a.check,
        "seconds": o.seconds,
        "peak_memory_bytes": peak_memory_bytes(),
        "abstractions": abstractions,
        "steps": learned.steps,
        "rewritten": o.rewritten,
    });
    outln!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// One line per abstraction, then the totals.
fn print_text(o: &Outcome) -> anyhow::Result<()> {
    let (learned, stitch, ast) = (&o.learned, &o.stitch, &o.ast);
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
    if let Some(s) = &o.saturation {
        outln!(
            "rewrites: {} rounds, {} e-nodes ({}); normalized cost {}",
            s.iterations,
            s.nodes,
            s.stop,
            learned.original_cost
        );
    }
    outln!(
        "{} programs in {} tasks: cost {} -> {}, compression {:.2}x ({:.2}x with the library); \
         AstSize {} -> {}, {:.2}x ({:.2}x); {:.2} s",
        o.corpus.programs.len(),
        o.corpus.tasks.len(),
        stitch.original,
        stitch.rewritten,
        stitch.ratio(),
        stitch.ratio_with_library(),
        ast.original,
        ast.rewritten,
        ast.ratio(),
        ast.ratio_with_library(),
        o.seconds
    );
    Ok(())
}

/// The corpus put into canonical form by `--rewrites`, or as it is.
fn normalize(
    a: &LearnArgs,
    corpus: &Corpus,
    config: &LearnConfig,
) -> anyhow::Result<(Corpus, Option<Saturation>)> {
    let Some(path) = &a.rewrites else {
        return Ok((corpus.clone(), None));
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let theory = Theory::parse(&text).with_context(|| path.display().to_string())?;
    let limits = SaturationLimits {
        iterations: a.rewrite_iterations,
        ..SaturationLimits::default()
    };
    let (normalized, report) = theory.normalize(corpus, &config.cost, limits);
    Ok((normalized, Some(report)))
}

/// The library file's `;; source:` line.
fn source(a: &LearnArgs, corpus: &Corpus) -> String {
    format!(
        "janus learn {} ({} programs in {} tasks), arity {}, {} iterations{}",
        a.corpus.display(),
        corpus.programs.len(),
        corpus.tasks.len(),
        a.arity,
        a.iterations,
        a.rewrites
            .as_ref()
            .map_or(String::new(), |r| format!(", rewrites {}", r.display()))
    )
}

/// `base` as the library written to `out` names it: relative to `out`'s folder where
/// both resolve, else as given.
fn relative_to(base: &Path, out: &Path) -> String {
    let folder = out.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = folder.unwrap_or(Path::new("."));
    let (Ok(base_abs), Ok(folder_abs)) = (base.canonicalize(), folder.canonicalize()) else {
        return base.display().to_string();
    };
    let common = base_abs
        .components()
        .zip(folder_abs.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = PathBuf::new();
    for _ in folder_abs.components().skip(common) {
        relative.push("..");
    }
    for part in base_abs.components().skip(common) {
        relative.push(part);
    }
    relative.display().to_string()
}

/// `--check`: every rewritten program, its abstractions expanded (with those of the
/// libraries in use), is the program it came from, expanded the same way (after
/// `--rewrites`, the program in canonical form).
fn check(learned: &Learned, used: &Library, corpus: &Corpus) -> anyhow::Result<()> {
    let mut all = used.clone();
    all.abstractions
        .extend(learned.library.abstractions.iter().cloned());
    for (i, (before, after)) in corpus.programs.iter().zip(&learned.rewritten).enumerate() {
        let before = &all.expand(before);
        let expanded = all.expand(after);
        if expanded != *before && print_term(&expanded) != print_term(before) {
            anyhow::bail!(
                "check failed (a bug; please report it): program {i} `{}` was rewritten to `{}`, \
                 which expands to `{}`",
                print_term(before),
                print_term(after),
                print_term(&expanded)
            );
        }
    }
    Ok(())
}
