//! `janus solve`: solve task files and report per task and in sum.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::args::*;
use super::stream::InOrder;
use janus::dsl::base_names;
use janus::io::write_atomic;
use janus::learn::Library;
use janus::search::{Budget, Strategy};
use janus::tasks::{load_paths_skipping, DomainKind, Task};
use janus::{
    domains_for, solve_in, Domain, DomainsError, ForwardPhase, SearchMode, SolveConfig, SolveReport,
};

/// Arguments of `janus solve`.
#[derive(Clone, Debug, Args)]
pub struct SolveArgs {
    /// Task files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Search strategy.
    #[arg(long, value_enum, default_value = "bidir")]
    strategy: StrategyArg,
    /// Seconds per task.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Most actions applied per task.
    #[arg(long)]
    max_expansions: Option<u64>,
    /// Programs per task with test inputs: with 2, the search goes on after the first fit
    /// (as many actions again, at least 100) and ranks the fits by description length
    /// (ARC scores two attempts).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    attempts: u8,
    /// The forward phase's depth: every chain of this many one-argument steps (ARC),
    /// deduplicated by value on the examples and tests, before the bidirectional search,
    /// which meets what it reached (0: no forward phase).
    #[arg(long, default_value_t = ForwardPhase::default().max_depth)]
    depth: usize,
    /// The most distinct values the forward phase keeps.
    #[arg(long, default_value_t = ForwardPhase::default().max_values)]
    forward_values: usize,
    /// The share of --timeout the forward phase may take.
    #[arg(value_parser = fraction::<f64>, long, default_value_t = ForwardPhase::default().time_share)]
    forward_share: f64,
    /// Forward steps may also take the task's input as a primitive's second argument
    /// (`(hstack (hflip $0) $0)` at depth 2).
    #[arg(long)]
    forward_input: bool,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// One JSON object per task, then a summary object (newline-delimited).
    #[arg(long)]
    json: bool,
    /// Only the summary, no per-task table: the global `-q`/`--quiet`.
    #[arg(skip)]
    quiet: bool,
    /// Write the ARC predictions in Kaggle's submission format to this file.
    #[arg(long)]
    submission: Option<PathBuf>,
    /// How the table writes a program: as a program, in the domain's own notation (the 24
    /// Game's infix `(13-9)*(2+4)`; the program where a domain has none), or both.
    #[arg(long, value_enum, default_value_t = ProgramFormat::Program)]
    format: ProgramFormat,
    /// Skip the tasks reported in this earlier `--json` output (of an interrupted run, say):
    /// their reports are read back, counted in the summary and written to the
    /// `--submission`; only the others are solved and printed. May be given several
    /// times: the shards of a job array merge this way (see README).
    #[arg(long)]
    resume: Vec<PathBuf>,
    /// Solve only part i of n of the tasks (`0/4` ... `3/4`): every n-th task, in the
    /// order they are loaded (files sorted by name), from the i-th. For job arrays.
    #[arg(long, value_parser = shard)]
    shard: Option<Shard>,
    /// Search with this trained policy network (`janus guide train`) for the tasks of its
    /// domain; its strategy (bidir or forward) replaces --strategy.
    #[arg(long)]
    guide: Option<PathBuf>,
    /// Where the guide runs.
    #[arg(long, value_enum, default_value = "auto")]
    device: DeviceArg,
    /// Sampled rollouts of at most this many actions (the original's inference) instead
    /// of the best-first search.
    #[arg(long, value_parser = positive_count)]
    rollouts: Option<usize>,
    /// Seed of the rollouts' draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A library of learned abstractions (`janus learn --out`, `janus grow`), loaded with the
    /// libraries it builds on: they become primitives, with derived inverses, of the task
    /// domains whose primitives they use. May be given several times.
    #[arg(long)]
    library: Vec<PathBuf>,
    /// Search with only the primitives this file names (one per line, `;;` comments), as
    /// `janus grow --base` starts from; a library's abstractions come on top.
    #[arg(long)]
    base: Option<PathBuf>,
    /// With --guide: how much a candidate pays for the log-probabilities of the actions
    /// that made its arguments (1: best-first on the path's probability; default 16 for
    /// the 24 Game, 2 otherwise).
    #[arg(value_parser = non_negative::<f64>, long)]
    path_weight: Option<f64>,
    /// With --guide: how the search uses it (`rescore`: the network orders every live
    /// candidate after each expansion; `op-prior`, `action-prior`: the heuristic orders
    /// them, shifted once per candidate by the network's log-probability of its op or of
    /// the whole action, times --prior-weight; `task-prior`: the op head's log-probability
    /// in the task's first state, one network call per task). Default: `op-prior` for ARC,
    /// `rescore` for the 24 Game and double-and-add.
    #[arg(long, value_enum)]
    guide_as: Option<GuideUse>,
    /// With a prior guide: cost units per nat of log-probability (default 1 for ARC).
    #[arg(value_parser = non_negative::<f64>, long)]
    prior_weight: Option<f64>,
    /// Say where the search's time went, primitive by primitive: the calls of each
    /// primitive's forward semantics and inverses and the time inside them, per task in
    /// the JSON and in sum after the summary (each call is timed, which costs a little).
    #[arg(long)]
    profile: bool,
}

/// `--prior-weight` for a domain without a default of its own.
#[cfg(feature = "torch")]
const DEFAULT_PRIOR_WEIGHT: f64 = 1.0;

/// `--guide-as`: how a guided search uses the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GuideUse {
    /// The network's ranking, all live candidates rescored after each expansion.
    Rescore,
    /// The heuristic plus the op head's log-probability of each new candidate's op.
    OpPrior,
    /// The heuristic plus the network's log-probability of each new candidate among the
    /// expansion's new ones.
    ActionPrior,
    /// The heuristic plus the op head's log-probability of each candidate's op in the
    /// task's first state: one network call per task.
    TaskPrior,
}

/// `--device`: where a network runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceArg {
    /// CUDA where available, else CPU.
    Auto,
    /// CPU.
    Cpu,
    /// CUDA, or an error.
    Cuda,
}

#[cfg(feature = "torch")]
impl From<DeviceArg> for janus::DeviceChoice {
    fn from(d: DeviceArg) -> Self {
        match d {
            DeviceArg::Auto => janus::DeviceChoice::Auto,
            DeviceArg::Cpu => janus::DeviceChoice::Cpu,
            DeviceArg::Cuda => janus::DeviceChoice::Cuda,
        }
    }
}

/// The device `--device` asks for; `auto` that leaves a GPU unused says why on stderr.
#[cfg(feature = "torch")]
pub(super) fn device(choice: DeviceArg) -> anyhow::Result<tch::Device> {
    let choice = choice.into();
    if let Some(why) = janus::cpu_fallback_reason(choice) {
        eprintln!("janus: warning: --device auto falls back to the CPU although this machine has a GPU: {why}");
    }
    Ok(janus::select_device(choice)?)
}

/// The guide of `--guide`, as the domain it is for and its policy.
#[cfg(feature = "torch")]
fn load_guide(
    path: &std::path::Path,
    args: &SolveArgs,
    domains: &HashMap<DomainKind, Domain>,
) -> anyhow::Result<(DomainKind, Strategy, Box<dyn janus::search::Policy>)> {
    use janus::guide::{GuidedHeuristic, NeuralPolicy, PriorSource};
    let domain_of = |k: DomainKind| domains.get(&k).cloned().unwrap_or_else(|| k.domain());
    let device = self::device(args.device)?;
    let policy = NeuralPolicy::load(path, device, args.jobs, &domain_of)?;
    let (kind, strategy) = {
        let model = policy.model();
        note_unknown_ops(path, &model);
        (model.domain.kind, model.strategy)
    };
    let policy = match args.path_weight {
        Some(w) => policy.with_path_weight(w),
        None => policy,
    };
    let domain = domain_of(kind);
    let default_use = match domain.guide.prior_weight {
        Some(_) => GuideUse::OpPrior,
        None => GuideUse::Rescore,
    };
    let source = match args.guide_as.unwrap_or(default_use) {
        GuideUse::Rescore => return Ok((kind, strategy, Box::new(policy))),
        GuideUse::OpPrior => PriorSource::NextOp,
        GuideUse::ActionPrior => PriorSource::Action,
        GuideUse::TaskPrior => PriorSource::TaskOp,
    };
    let weight = args
        .prior_weight
        .or(domain.guide.prior_weight)
        .unwrap_or(DEFAULT_PRIOR_WEIGHT);
    let policy = GuidedHeuristic::new(policy, &domain, source, weight);
    Ok((kind, strategy, Box::new(policy)))
}

/// Says in one line on stderr which of the domain's ops the guide leaves out (a library's
/// abstractions it was not trained with, primitives newer than it).
#[cfg(feature = "torch")]
pub(super) fn note_unknown_ops(path: &std::path::Path, model: &janus::guide::GuideModel) {
    let unknown = model.unknown_ops();
    if !unknown.is_empty() {
        eprintln!(
            "janus: {}: the guide does not know {} of the domain's {} ops, left out of the search: {}",
            path.display(),
            unknown.len(),
            unknown.len() + model.ops.ops().iter().filter(|o| o.prim.is_some()).count(),
            unknown.join(" ")
        );
    }
}

#[cfg(not(feature = "torch"))]
fn load_guide(
    path: &std::path::Path,
    _args: &SolveArgs,
    _domains: &HashMap<DomainKind, Domain>,
) -> anyhow::Result<(DomainKind, Strategy, Box<dyn janus::search::Policy>)> {
    anyhow::bail!(
        "{}: this janus was built without the `torch` feature, so it cannot run a guide",
        path.display()
    )
}

pub fn run(mut args: SolveArgs) -> anyhow::Result<()> {
    args.quiet = !super::verbosity::notes();
    check_timeout_and_jobs(args.timeout, args.jobs)?;
    let loaded = load_paths_skipping(&args.paths)?;
    for e in &loaded.skipped {
        eprintln!("janus: skipped: {e}"); // a warning: shown under -q too
    }
    let skipped: Vec<String> = loaded.skipped.iter().map(|e| e.to_string()).collect();
    let tasks: Arc<[Task]> = match args.shard {
        Some(shard) => loaded
            .tasks
            .into_iter()
            .enumerate()
            .filter(|(i, _)| shard.holds(*i))
            .map(|(_, t)| t)
            .collect(),
        None => loaded.tasks.into(),
    };
    let domains = prepared_domains(&args, &tasks)?;
    let guide = match &args.guide {
        Some(path) => Some(load_guide(path, &args, &domains)?),
        None => None,
    };
    if let (Some((kind, ..)), Some(path)) = (&guide, &args.guide) {
        anyhow::ensure!(
            tasks.iter().any(|t| t.domain == *kind),
            "{}: a guide for the {} domain, and no task is of it",
            path.display(),
            kind.name()
        );
    }
    let strategy = guide.as_ref().map_or(args.strategy.into(), |g| g.1);
    let config = solve_config(&args, strategy);
    let start = Instant::now();
    let guide_ref = guide.as_ref().map(|(kind, _, p)| (*kind, p.as_ref()));
    let width = task_width(&tasks);
    let mut resumed: Vec<(Task, SolveReport)> = Vec::new();
    for path in &args.resume {
        for (task, report) in read_back(path, &tasks, &domains)? {
            if !resumed.iter().any(|(done, _)| done.id == task.id) {
                resumed.push((task, report));
            }
        }
    }
    let tasks: Arc<[Task]> = tasks
        .iter()
        .filter(|t| !resumed.iter().any(|(done, _)| done.id == t.id))
        .cloned()
        .collect();
    let bar = progress_bar(&args, tasks.len())?;
    if !args.json && !args.quiet {
        print_header(&mut std::io::stdout().lock(), width)?;
    }
    let policy = guide
        .as_ref()
        .map_or("default".to_string(), |g| g.2.name().to_string());
    let finished = Arc::new(Mutex::new(vec![None; tasks.len()]));
    let run = Run {
        args: args.clone(),
        tasks: Arc::clone(&tasks),
        strategy,
        policy,
        start,
        skipped,
        resumed: Arc::new(resumed),
    };
    on_interrupt(run.clone(), finished.clone())?;
    let solved = AtomicUsize::new(0);
    let stream = Mutex::new(InOrder::new(|r: &SolveReport| {
        bar.suspend(|| write_report(&args, r, width))
    }));
    let reports = solve_in(
        &tasks,
        &domains,
        &config,
        args.jobs,
        &|i, r| {
            // Held while the report is written: an interrupt waits for the line.
            let mut done = finished.lock().unwrap_or_else(|e| e.into_inner());
            done[i] = Some(r.clone());
            if r.solved {
                let n = solved.fetch_add(1, Ordering::Relaxed) + 1;
                bar.set_message(n.to_string());
            }
            bar.inc(1);
            stream.lock().unwrap_or_else(|e| e.into_inner()).push(i, r);
        },
        guide_ref,
    );
    // From here on an interrupt has nothing left to save.
    let _finishing = finished.lock().unwrap_or_else(|e| e.into_inner());
    stream
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .finish()?;
    bar.finish_and_clear();
    run.finish(&tasks, &reports, false)
}

/// What a run's end needs, kept for an interrupt.
#[derive(Clone)]
struct Run {
    args: SolveArgs,
    tasks: Arc<[Task]>,
    strategy: Strategy,
    policy: String,
    start: Instant,
    /// The files inside directories that could not be read (see `load_paths_skipping`).
    skipped: Vec<String>,
    /// The tasks done in an earlier run (`--resume`), with their reports.
    resumed: Arc<Vec<(Task, SolveReport)>>,
}

impl Run {
    /// Writes the submission of `reports` (of `tasks`) and prints the summary.
    fn finish(
        &self,
        tasks_now: &[Task],
        reports_now: &[SolveReport],
        interrupted: bool,
    ) -> anyhow::Result<()> {
        let wall_ms = self.start.elapsed().as_secs_f64() * 1e3;
        let (mut tasks, mut reports): (Vec<Task>, Vec<SolveReport>) =
            self.resumed.iter().cloned().unzip();
        tasks.extend_from_slice(tasks_now);
        reports.extend_from_slice(reports_now);
        let given = self.tasks.len() + self.resumed.len();
        if let Some(path) = &self.args.submission {
            let text = serde_json::to_string(&janus::results::submission(&tasks, &reports))?;
            write_atomic(path, text.as_bytes())
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
        let mut summary = janus::results::summary(&reports, self.strategy, &self.policy, wall_ms);
        if interrupted {
            summary["interrupted"] = json!(true);
            summary["tasks_given"] = json!(given);
        }
        if !self.resumed.is_empty() {
            summary["resumed"] = json!(self.resumed.len());
        }
        if !self.args.library.is_empty() {
            summary["libraries"] = json!(self
                .args
                .library
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>());
        }
        if !self.skipped.is_empty() {
            summary["skipped_files"] = json!(self.skipped);
        }
        print_reports(&self.args, &summary)?;
        anyhow::ensure!(
            self.skipped.is_empty(),
            "{} task file(s) could not be read and were skipped (see above)",
            self.skipped.len()
        );
        Ok(())
    }
}

/// The reports of `tasks` in an earlier `--json` output at `path`, read back over
/// `domains` (see [`SolveReport::read_back`]). Summary lines and reports of other tasks
/// are passed over, and so is a last line cut short (a run killed while writing it).
fn read_back(
    path: &std::path::Path,
    tasks: &[Task],
    domains: &HashMap<DomainKind, Domain>,
) -> anyhow::Result<Vec<(Task, SolveReport)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let by_id: HashMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<(Task, SolveReport)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let at = || format!("{}: line {}", path.display(), i + 1);
        let json: serde_json::Value = match serde_json::from_str(line) {
            Ok(json) => json,
            Err(_) if i + 1 == lines.len() => break,
            Err(_) if line.trim().is_empty() => continue,
            Err(e) => anyhow::bail!("{}: not a JSON line: {e}", at()),
        };
        let Some(task) = json["task"].as_str().and_then(|id| by_id.get(id)) else {
            continue;
        };
        if out.iter().any(|(t, _)| t.id == task.id) {
            continue; // reported twice (resumed twice into one file): the first counts
        }
        let domain = &domains[&task.domain];
        let report = SolveReport::read_back(line, task, domain)
            .map_err(|e| anyhow::anyhow!("{}: {e}", at()))?;
        out.push(((*task).clone(), report));
    }
    Ok(out)
}

/// On Ctrl-C: the summary and the submission of the tasks finished so far, then exit
/// status 130.
fn on_interrupt(run: Run, finished: Arc<Mutex<Vec<Option<SolveReport>>>>) -> anyhow::Result<()> {
    ctrlc::set_handler(move || {
        let done = finished.lock().unwrap_or_else(|e| e.into_inner());
        let (tasks, reports): (Vec<Task>, Vec<SolveReport>) = run
            .tasks
            .iter()
            .zip(done.iter())
            .filter_map(|(t, r)| Some((t.clone(), r.clone()?)))
            .unzip();
        if let Err(e) = run.finish(&tasks, &reports, true) {
            eprintln!("janus: error: {e:#}");
        }
        std::process::exit(130);
    })
    .context("cannot catch Ctrl-C")
}

/// The search configuration the arguments ask for.
fn solve_config(args: &SolveArgs, strategy: Strategy) -> SolveConfig {
    SolveConfig {
        mode: match args.rollouts {
            Some(max_actions) => SearchMode::Rollouts {
                max_actions,
                seed: args.seed,
            },
            None => SearchMode::BestFirst,
        },
        strategy,
        budget: Budget {
            max_expansions: args.max_expansions,
            timeout: Some(Duration::from_secs_f64(args.timeout)),
        },
        attempts: usize::from(args.attempts),
        forward: ForwardPhase {
            max_depth: args.depth,
            max_values: args.forward_values,
            time_share: args.forward_share,
            input_operands: args.forward_input,
        },
        profile: args.profile,
    }
}

/// A bar on a terminal, for a text run of several tasks: tasks done, solved, time and ETA.
fn progress_bar(args: &SolveArgs, tasks: usize) -> anyhow::Result<ProgressBar> {
    if args.json || tasks <= 1 || !std::io::stderr().is_terminal() || args.quiet {
        return Ok(ProgressBar::hidden());
    }
    let bar = ProgressBar::new(tasks as u64).with_message("0");
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} tasks, {msg} solved, {elapsed} (eta {eta})",
        )
        .context("progress style")?,
    );
    Ok(bar)
}

/// One report as it comes: its JSON line with `--json`, else its table row (none with
/// `--quiet`).
fn write_report(args: &SolveArgs, r: &SolveReport, width: usize) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string(r).map_err(std::io::Error::other)?
        )
    } else if !args.quiet {
        print_row(&mut out, r, width, args.format)?;
        if super::verbosity::details() {
            print_details(&mut out, r, width)?;
        }
        Ok(())
    } else {
        Ok(())
    }
}

/// The summary: a JSON object with `--json`, else a line.
fn print_reports(args: &SolveArgs, summary: &serde_json::Value) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", json!({ "summary": summary }))?;
        return Ok(());
    }
    if summary["interrupted"] == json!(true) {
        writeln!(
            out,
            "interrupted: {} of {} tasks finished",
            summary["tasks"], summary["tasks_given"]
        )?;
    }
    print_summary(&mut out, summary)?;
    if let Some(primitives) = summary["primitives"].as_array() {
        print_primitives(&mut out, summary, primitives)?;
    }
    Ok(())
}

/// `--profile`: the time inside primitives, their share of the search time, and the
/// primitives that took the most.
fn print_primitives(
    out: &mut impl Write,
    summary: &serde_json::Value,
    primitives: &[serde_json::Value],
) -> std::io::Result<()> {
    const SHOWN: usize = 15;
    let sum = |key: &str| -> f64 { primitives.iter().filter_map(|p| p[key].as_f64()).sum() };
    let (forward, inverse) = (sum("ms"), sum("inverse_ms"));
    let searched = summary["search_ms_total"].as_f64().unwrap_or(0.0)
        + summary["second_ms_total"].as_f64().unwrap_or(0.0);
    writeln!(
        out,
        "inside primitives: {forward:.1} ms forward, {inverse:.1} ms inverse, {:.0}% of {searched:.1} ms of search (both attempts); the {} that took the most:",
        100.0 * (forward + inverse) / searched.max(1e-9),
        SHOWN.min(primitives.len()),
    )?;
    writeln!(
        out,
        "  {:<28} {:>10} {:>10} {:>9} {:>10} {:>10}",
        "primitive", "calls", "ms", "us/call", "inv calls", "inv ms"
    )?;
    for p in primitives.iter().take(SHOWN) {
        let calls = p["calls"].as_u64().unwrap_or(0);
        let ms = p["ms"].as_f64().unwrap_or(0.0);
        writeln!(
            out,
            "  {:<28} {:>10} {:>10.1} {:>9.2} {:>10} {:>10.1}",
            p["name"].as_str().unwrap_or("?"),
            calls,
            ms,
            1e3 * ms / calls.max(1) as f64,
            p["inverse_calls"].as_u64().unwrap_or(0),
            p["inverse_ms"].as_f64().unwrap_or(0.0),
        )?;
    }
    Ok(())
}

/// The task column's width: the longest id, from 4 to 40.
fn task_width(tasks: &[Task]) -> usize {
    tasks
        .iter()
        .map(|t| t.id.len())
        .max()
        .unwrap_or(4)
        .clamp(4, 40)
}

fn print_header(out: &mut impl Write, width: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<width$}  {:<6} {:<3} {:>7} {:>5} {:>10} {:>10} {:>8}  program",
        "task", "solved", "fit", "tests", "steps", "expansions", "ms", "ms 2nd"
    )
}

/// `-v`: a second line under a task's row: why its search stopped, the candidates it
/// evaluated, its forward phase, and its second program.
fn print_details(out: &mut impl Write, r: &SolveReport, width: usize) -> std::io::Result<()> {
    let mut line = format!(
        "{:<width$}  stop {:?}, {} candidates",
        "", r.stop, r.candidates
    )
    .to_lowercase();
    if r.forward_values > 0 {
        line += &format!(
            ", forward phase {} values in {:.1} ms",
            r.forward_values, r.forward_ms
        );
    }
    if let Some(p) = &r.program_2 {
        line += &format!(", attempt 2 {p}");
    }
    writeln!(out, "{line}")
}

/// How the table writes a program (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ProgramFormat {
    /// The program, in the DSL's syntax.
    Program,
    /// The domain's own notation where it has one (the 24 Game: infix).
    Notation,
    /// The program, then the notation.
    Both,
}

fn print_row(
    out: &mut impl Write,
    r: &SolveReport,
    width: usize,
    format: ProgramFormat,
) -> std::io::Result<()> {
    let program = match (&r.program, &r.error, &r.notation, format) {
        (_, Some(e), _, _) => format!("error: {e}"),
        (Some(_), None, Some(n), ProgramFormat::Notation) => n.clone(),
        (Some(p), None, Some(n), ProgramFormat::Both) => format!("{p}  {n}"),
        (Some(p), None, _, _) => p.clone(),
        (None, None, _, _) => format!("({:?})", r.stop).to_lowercase(),
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    // Test outputs right out of those the file gives; the second attempt's search time.
    let tests = match r.test_total {
        0 => "-".to_string(),
        n => format!("{}/{n}", r.test_correct),
    };
    let second = match r.time_ms_2 {
        t if t > 0.0 => format!("{t:.1}"),
        _ => "-".to_string(),
    };
    writeln!(
        out,
        "{:<width$}  {:<6} {:<3} {:>7} {:>5} {:>10} {:>10.3} {:>8}  {program}",
        r.task,
        yes_no(r.solved),
        yes_no(r.train_fit),
        tests,
        r.steps.map_or("-".into(), |s| s.to_string()),
        r.expansions,
        r.time_ms,
        second,
    )
}

/// The strategy, with the guide and the libraries in use: `bidir, guide:24, libraries
/// dsl/24.lib`.
fn search_name(s: &serde_json::Value) -> String {
    let mut name = s["strategy"].as_str().unwrap_or("?").to_string();
    if let Some(policy) = s["policy"].as_str().filter(|p| *p != "default") {
        name += &format!(", {policy}");
    }
    if let Some(libraries) = s["libraries"].as_array() {
        let paths: Vec<&str> = libraries.iter().filter_map(|l| l.as_str()).collect();
        name += &format!(", libraries {}", paths.join(" "));
    }
    name
}

fn print_summary(out: &mut impl Write, s: &serde_json::Value) -> std::io::Result<()> {
    let tasks = s["tasks"].as_u64().unwrap_or(0);
    let solved = s["solved"].as_u64().unwrap_or(0);
    writeln!(
        out,
        "solved {solved}/{tasks} ({:.1}%) with {}: median {:.3} ms and {} expansions per task, search {:.1} ms in all, wall {:.1} ms",
        100.0 * solved as f64 / tasks.max(1) as f64,
        search_name(s),
        s["median_ms"].as_f64().unwrap_or(0.0),
        s["median_expansions"],
        s["search_ms_total"].as_f64().unwrap_or(0.0),
        s["wall_ms"].as_f64().unwrap_or(0.0),
    )
}

/// The tasks' domains, restricted to `--base` and extended by the `--library` files, each
/// loaded with its bases. A library goes into every domain where it registers (a library
/// of another domain does not, and is never registered in part); each must go somewhere.
fn prepared_domains(
    args: &SolveArgs,
    tasks: &[Task],
) -> anyhow::Result<HashMap<DomainKind, Domain>> {
    let base = match &args.base {
        Some(path) => Some(read_base(path)?),
        None => None,
    };
    let libraries: Vec<Library> = args
        .library
        .iter()
        .map(|p| Library::load(p))
        .collect::<Result<_, _>>()?;
    domains_for(tasks, base.as_deref(), &libraries).map_err(|e| match &e {
        DomainsError::Base { .. } => {
            let path = args.base.as_ref().expect("only a base can be refused");
            anyhow::anyhow!("{}: {e}", path.display())
        }
        DomainsError::Library { index, .. } => {
            anyhow::anyhow!("{}: {e}", args.library[*index].display())
        }
    })
}

/// The primitive names of a `--base` file.
pub(super) fn read_base(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let names = base_names(&text);
    anyhow::ensure!(!names.is_empty(), "{}: names no primitive", path.display());
    Ok(names)
}
