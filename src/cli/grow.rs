//! `janus grow`: DreamCoder's loop (solve, learn, solve again) over a state folder.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::args::{arity, check_timeout_and_jobs};
use janus::grow::{Grow, GrowSettings, IterationReport, StateDir};
use janus::tasks::{load_paths, Task};

/// Arguments of `janus grow`.
#[derive(Debug, Args)]
pub struct GrowArgs {
    /// Task files or directories (one domain).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The state folder: the corpus, the library, each task's result and the log, kept
    /// after every step. Running the same command again resumes where it stopped.
    #[arg(long)]
    state: PathBuf,
    /// Iterations in all (more than a finished run did extends it).
    #[arg(long, default_value_t = 3)]
    iterations: usize,
    /// Seconds per task in every wake.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Actions per task in every wake (a budget independent of the machine's speed).
    #[arg(long)]
    max_expansions: Option<u64>,
    /// The forward phase's depth in every wake: every chain of this many one-argument
    /// steps (learned ones included) before the bidirectional search (0: none).
    #[arg(long, default_value_t = janus::ForwardPhase::default().max_depth)]
    depth: usize,
    /// Forward steps may also take the task's input as a primitive's second argument.
    #[arg(long)]
    forward_input: bool,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// The most parameters an abstraction may take.
    #[arg(value_parser = arity, long, default_value_t = 2)]
    arity: usize,
    /// The most abstractions learned per iteration.
    #[arg(long, default_value_t = 3)]
    abstractions: usize,
    /// The most programs kept per task (DreamCoder's frontier).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    frontier: u64,
    /// Domain rewrites (`LHS => RHS` per line): the corpus is put into one canonical form
    /// modulo these equations before each sleep.
    #[arg(long)]
    rewrites: Option<PathBuf>,
    /// Start from only the primitives this file names (one per line, `;;` comments), to see
    /// what the loop invents (`dsl/arc-symmetry.base`).
    #[arg(long)]
    base: Option<PathBuf>,
    /// Learned abstractions are named this plus a number.
    #[arg(long, default_value = "fn_")]
    prefix: String,
    /// One JSON object per iteration, one per line.
    #[arg(long)]
    json: bool,
    /// Search every wake with this guide (a policy network, `janus guide train`; feature
    /// `torch`), used as `janus solve --guide` uses it by default (ARC: a prior beside the
    /// heuristic). The library's ops it was not trained with are left out of the search
    /// unless --retrain-guide adds them.
    #[arg(long)]
    guide: Option<PathBuf>,
    /// After each iteration, fine-tune the guide on the programs found and on random
    /// programs of the grown DSL, with the library's ops in its vocabulary; the next wake
    /// searches with it (kept as guide-K.safetensors in --state).
    #[arg(long, requires = "guide")]
    retrain_guide: bool,
    /// Optimizer steps of each fine-tuning of the guide (at least one pass over its data).
    #[arg(long, default_value_t = janus::guide::RETRAIN_BATCHES, requires = "retrain_guide")]
    guide_batches: usize,
    /// Random programs of the grown DSL each fine-tuning trains on beside the replays.
    #[arg(long, default_value_t = janus::guide::RETRAIN_DREAMS, requires = "retrain_guide")]
    guide_dreams: usize,
    /// Where the guide runs and trains.
    #[arg(long, value_enum, default_value = "auto")]
    device: super::solve::DeviceArg,
}

/// Runs `janus grow`.
pub fn run(a: GrowArgs) -> anyhow::Result<()> {
    check_timeout_and_jobs(a.timeout, a.jobs)?;
    let tasks = load_paths(&a.paths)?;
    let settings = settings(&a, &tasks)?;
    // Before the state folder takes the settings: a guide that cannot be used is no run.
    guide::check(&a)?;
    let state = StateDir::open(&a.state)?;
    let grow = Grow::open(state, &tasks, settings, a.jobs)?;
    let done = grow.reports()?;
    if !a.json {
        print_header()?;
    }
    for r in &done {
        print_report(&a, r)?;
    }
    for _ in done.len()..a.iterations {
        if grow.converged()? {
            if !a.json {
                outln!("converged: the last iteration learned nothing new, so the next would repeat it");
            }
            break;
        }
        let unsolved = tasks.len() - done.last().map_or(0, |r| r.solved_total);
        let guide = guide::for_wake(&a, &grow)?;
        let bar = super::bar(unsolved as u64, "tasks")?;
        let report = grow.iterate(&|_| bar.inc(1), guide.as_deref())?;
        bar.finish_and_clear();
        print_report(&a, &report)?;
        guide::after_iteration(&a, &grow, report.iteration)?;
    }
    if !a.json {
        outln!("library: {}", a.state.join("library.lib").display());
    }
    Ok(())
}

/// The run's settings from the arguments.
fn settings(a: &GrowArgs, tasks: &[Task]) -> anyhow::Result<GrowSettings> {
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))
    };
    let base = match &a.base {
        Some(path) => Some(super::solve::read_base(path)?),
        None => None,
    };
    Ok(GrowSettings {
        domain: tasks.first().map_or("", |t| t.domain.name()).to_string(),
        tasks: tasks.iter().map(|t| t.id.clone()).collect(),
        timeout_seconds: a.timeout,
        max_expansions: a.max_expansions,
        depth: a.depth,
        forward_input: a.forward_input,
        arity: a.arity,
        abstractions: a.abstractions,
        frontier: a.frontier as usize,
        base,
        rewrites: a.rewrites.as_ref().map(read).transpose()?,
        prefix: a.prefix.clone(),
        guide: a.guide.as_ref().map(|p| p.display().to_string()),
        retrain_guide: a.retrain_guide,
    })
}

/// The guide of `--guide` and `--retrain-guide` (feature `torch`).
#[cfg(feature = "torch")]
mod guide {
    use super::GrowArgs;
    use crate::cli::verbosity::note;
    use janus::grow::Grow;
    use janus::guide::{GrowGuide, RetrainConfig};
    use janus::search::Policy;

    fn of<'a>(a: &GrowArgs, grow: &'a Grow<'a>) -> anyhow::Result<Option<GrowGuide<'a>>> {
        let Some(path) = &a.guide else {
            return Ok(None);
        };
        let device = crate::cli::solve::device(a.device)?;
        Ok(Some(GrowGuide::new(
            grow,
            path,
            device,
            RetrainConfig {
                batches: a.guide_batches,
                dreams: a.guide_dreams,
                ..RetrainConfig::default()
            },
        )))
    }

    /// Checks that the guide of `--guide` loads.
    pub fn check(a: &GrowArgs) -> anyhow::Result<()> {
        if let Some(path) = &a.guide {
            janus::guide::GuideModel::load(path, tch::Device::Cpu)?;
        }
        Ok(())
    }

    /// The policy the next wake searches with, where the run has a guide: the domain's
    /// default use of it (ARC: a prior beside the heuristic).
    pub fn for_wake(a: &GrowArgs, grow: &Grow) -> anyhow::Result<Option<Box<dyn Policy>>> {
        let Some(g) = of(a, grow)? else {
            return Ok(None);
        };
        let done = grow.reports()?.len();
        let (path, policy) = g.policy_after(done, a.jobs)?;
        crate::cli::solve::note_unknown_ops(&path, &policy.model());
        let domain = grow.domain_after(done)?;
        Ok(Some(janus::guide::default_guided(policy, &domain)))
    }

    /// With --retrain-guide: fine-tunes the guide after iteration `k` and says so.
    pub fn after_iteration(a: &GrowArgs, grow: &Grow, k: usize) -> anyhow::Result<()> {
        let Some(g) = of(a, grow)? else {
            return Ok(());
        };
        if let (path, Some(r)) = g.model_after(k)? {
            note!(
                "guide fine-tuned after iteration {k}: {} ops ({} new), {} replays and {} dreams, {} steps, loss {:.3}, {:.1} s: {}",
                r.ops,
                r.new_ops,
                r.replays,
                r.dreams,
                r.steps,
                r.loss,
                r.seconds,
                path.display()
            );
        }
        Ok(())
    }
}

/// Without the feature `torch` a run cannot have a guide.
#[cfg(not(feature = "torch"))]
mod guide {
    use super::GrowArgs;
    use janus::grow::Grow;
    use janus::search::Policy;

    /// Refuses `--guide`.
    pub fn check(a: &GrowArgs) -> anyhow::Result<()> {
        match &a.guide {
            Some(path) => anyhow::bail!(
                "{}: this janus was built without the `torch` feature, so it cannot run a guide",
                path.display()
            ),
            None => Ok(()),
        }
    }

    /// No guide.
    pub fn for_wake(_a: &GrowArgs, _grow: &Grow) -> anyhow::Result<Option<Box<dyn Policy>>> {
        Ok(None)
    }

    /// Nothing to do.
    pub fn after_iteration(_a: &GrowArgs, _grow: &Grow, _k: usize) -> anyhow::Result<()> {
        Ok(())
    }
}

fn print_header() -> anyhow::Result<()> {
    outln!(
        "{:>4} {:>9} {:>10} {:>9} {:>7} {:>11} {:>9} {:>9}",
        "iter",
        "attempted",
        "solved new",
        "total",
        "library",
        "compression",
        "solve s",
        "learn s"
    );
    Ok(())
}

/// One iteration: a JSON line, or a table row with the abstractions added and the tasks
/// newly solved with learned ones.
fn print_report(a: &GrowArgs, r: &IterationReport) -> anyhow::Result<()> {
    if a.json {
        outln!("{}", serde_json::to_string(r)?);
        return Ok(());
    }
    outln!(
        "{:>4} {:>9} {:>10} {:>9} {:>7} {:>10.2}x {:>9.1} {:>9.2}",
        r.iteration,
        r.attempted,
        r.solved_new,
        format!("{}/{}", r.solved_total, r.tasks),
        r.library_size,
        r.compression,
        r.solve_seconds,
        r.learn_seconds
    );
    for s in r
        .new_solutions
        .iter()
        .filter(|s| !s.abstractions.is_empty())
    {
        outln!(
            "       solved {} with {}: {}",
            s.task,
            s.abstractions.join(", "),
            s.program
        );
    }
    for x in &r.abstractions {
        outln!(
            "       + {} : {} ({} uses) = {}",
            x.name,
            x.ty.as_deref().unwrap_or("?"),
            x.uses,
            x.body
        );
    }
    for x in &r.dropped {
        outln!(
            "       - {} (left out, of no use to the search) = {}",
            x.name,
            x.body
        );
    }
    Ok(())
}
