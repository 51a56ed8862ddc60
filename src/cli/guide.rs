//! `janus guide train`: train a policy network on random programs (supervised, then
//! REINFORCE), evaluating after each epoch, and write it as a model file.

use crate::cli::verbosity::note;
use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Subcommand};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::args::*;
use super::bar;
use super::solve::DeviceArg;
use janus::domains::{domain, replays};
use janus::guide::Sample;
use janus::guide::{
    dream_prior, max_actions, optimizer, reinforce_epoch, replay_and_dream_steps, run_episodes,
    supervision, train_epoch, training_samples,
};
use janus::guide::{DemoConfig, Step};
use janus::guide::{GuideModel, NeuralPolicy};
use janus::io::write_atomic;
use janus::learn::CorpusFormat;
use janus::results::median;
use janus::search::{Budget, Policy, Strategy};
use janus::tasks::{load_paths, Task};
use janus::{domain_with, Corpus, Library};
use janus::{solve_all_guided, SearchMode, SolveConfig};

/// `janus guide ...`
#[derive(Debug, Subcommand)]
pub enum GuideCommand {
    /// Train a policy network and write it as a safetensors model file.
    Train(Box<TrainArgs>),
    /// Measure supervised training speed (batches per second) on a device.
    Bench(BenchArgs),
}

/// Arguments of `janus guide bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Domain: 24, double-add or arc.
    #[arg(long, default_value = "24")]
    domain: String,
    /// Where to train.
    #[arg(long, value_enum, default_value = "auto")]
    device: DeviceArg,
    /// Random programs to draw the batches from.
    #[arg(value_parser = positive_count, long, default_value_t = 5_000)]
    programs: usize,
    /// ARC task files or directories whose train inputs the random ARC programs run on.
    #[arg(long)]
    grids: Vec<PathBuf>,
    /// Timed training batches (after 10 untimed ones).
    #[arg(value_parser = positive_count, long, default_value_t = 200)]
    batches: usize,
    /// Batch size.
    #[arg(value_parser = positive_count, long, default_value_t = 512)]
    batch: usize,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// Arguments of `janus guide train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Domain: 24, double-add or arc.
    #[arg(long)]
    domain: String,
    /// bidir: forward, inverse and conditional-inverse ops; forward: forward ops only.
    #[arg(long, value_enum, default_value = "bidir")]
    strategy: StrategyArg,
    /// Where to train.
    #[arg(long, value_enum, default_value = "auto")]
    device: DeviceArg,
    /// The model file to write.
    #[arg(long)]
    out: PathBuf,
    /// Start from this model (same domain and strategy) instead of fresh weights; ops it
    /// lacks (primitives added since, a --library's) start fresh.
    #[arg(long)]
    init: Option<PathBuf>,
    /// A learned library (`janus learn`, `janus grow`), loaded with the libraries it builds
    /// on: its abstractions are ops of the model like any primitive, and the model file
    /// records them. May be given several times.
    #[arg(long)]
    library: Vec<PathBuf>,
    /// Programs found on tasks (`janus solve --json` output, written with --library's
    /// abstractions where they use them), replayed as supervised steps beside the random
    /// programs, which then draw primitives as often as these programs use them
    /// (DreamCoder's dreams). Their tasks are looked up by id among --grids; those of
    /// --held-out are left out.
    #[arg(long)]
    replays: Option<PathBuf>,
    /// Random training programs.
    #[arg(value_parser = positive_count, long, default_value_t = 10_000)]
    programs: usize,
    /// Depths (steps) of the random 24 Game and ARC programs, spread evenly.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3,4")]
    depths: Vec<usize>,
    /// Probability that a program step is taken backward in the supervision.
    #[arg(value_parser = fraction::<f64>, long, default_value_t = 0.8)]
    backward: f64,
    /// Probability of a random distractor action before each supervised one (up to three
    /// in a row), so that training states look like the search's.
    #[arg(value_parser = non_negative::<f64>, long, default_value_t = 0.0)]
    distractors: f64,
    /// Supervised epochs (passes over the steps).
    #[arg(long, default_value_t = 2)]
    epochs: usize,
    /// Batch size.
    #[arg(value_parser = positive_count, long, default_value_t = 128)]
    batch: usize,
    /// Adam's learning rate.
    #[arg(value_parser = positive::<f64>, long = "learning-rate", alias = "lr", default_value_t = 2e-3)]
    lr: f64,
    /// REINFORCE epochs after the supervised ones (24 Game).
    #[arg(long, default_value_t = 0)]
    rl_epochs: usize,
    /// Episodes per REINFORCE epoch.
    #[arg(value_parser = positive_count, long, default_value_t = 256)]
    rl_batch: usize,
    /// REINFORCE learning rate.
    #[arg(value_parser = positive::<f64>, long = "rl-learning-rate", alias = "rl-lr", default_value_t = 1e-4)]
    rl_lr: f64,
    /// Task files that must not occur in training (their targets are skipped).
    #[arg(long)]
    held_out: Vec<PathBuf>,
    /// ARC task files or directories whose train inputs the random ARC programs run on
    /// (without: random grids).
    #[arg(long)]
    grids: Vec<PathBuf>,
    /// Task files solved with the guide after each epoch (best-first search).
    #[arg(long)]
    eval_tasks: Vec<PathBuf>,
    /// Seconds for all of --eval-tasks together.
    #[arg(value_parser = positive::<f64>, long, default_value_t = 20.0)]
    eval_timeout: f64,
    /// Random tasks per depth, solved by one sampled rollout each after each epoch
    /// (24 Game).
    #[arg(long, default_value_t = 0)]
    eval_random: usize,
    /// Evaluate every this many REINFORCE epochs.
    #[arg(long, default_value_t = 10)]
    rl_eval_every: usize,
    /// CSV log: phase, epoch, loss, evaluation, solved, total, median expansions, seconds.
    #[arg(long)]
    log: Option<PathBuf>,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

pub fn run(command: GuideCommand) -> anyhow::Result<()> {
    match command {
        GuideCommand::Train(args) => train(*args),
        GuideCommand::Bench(args) => bench(args),
    }
}

fn bench(args: BenchArgs) -> anyhow::Result<()> {
    let d = domain(&args.domain)?;
    let device = super::solve::device(args.device)?;
    let model = GuideModel::new(d, Strategy::Bidir, device, args.seed);
    let grids = load_paths(&args.grids)?;
    let samples = training_samples(
        &model.domain,
        args.programs,
        &[1, 2, 3, 4],
        &[],
        &grids,
        None,
        args.seed,
    );
    let demo = DemoConfig {
        backward: 0.8,
        distractors: 0.0,
    };
    let steps = supervision(&model, &samples, demo, args.seed);
    anyhow::ensure!(!steps.is_empty(), "no training steps");
    let mut opt = optimizer(&model, 1e-3);
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let batch_of = |rng: &mut ChaCha8Rng| -> Vec<janus::guide::Step> {
        use rand::Rng;
        (0..args.batch)
            .map(|_| steps[rng.gen_range(0..steps.len())].clone())
            .collect()
    };
    let mut run = |n: usize, rng: &mut ChaCha8Rng| -> f64 {
        let mut loss = 0.0;
        for _ in 0..n {
            let b = batch_of(rng);
            loss = train_epoch(&model, &mut opt, &b, args.batch, rng, &mut || {});
        }
        loss
    };
    run(10, &mut rng);
    let start = Instant::now();
    let loss = run(args.batches, &mut rng);
    let secs = start.elapsed().as_secs_f64();
    let report = serde_json::json!({
        "domain": model.domain.name(),
        "device": format!("{device:?}"),
        "parameters": model.parameters(),
        "batch": args.batch,
        "batches": args.batches,
        "seconds": secs,
        "batches_per_s": args.batches as f64 / secs,
        "samples_per_s": (args.batches * args.batch) as f64 / secs,
        "final_loss": loss,
    });
    writeln!(std::io::stdout().lock(), "{report}")?;
    Ok(())
}

/// One evaluation result.
struct Eval {
    name: String,
    solved: usize,
    total: usize,
    median_expansions: f64,
}

struct Trainer {
    args: TrainArgs,
    policy: NeuralPolicy,
    eval_tasks: Vec<Task>,
    grids: Vec<Task>,
    log: String,
    start: Instant,
}

impl Trainer {
    fn evaluate(&self, seed: u64) -> Vec<Eval> {
        // Searched as `janus solve --guide` does: one intra-op thread per network call.
        let threads = tch::get_num_threads();
        tch::set_num_threads(1);
        let out = self.evaluate_now(seed);
        tch::set_num_threads(threads);
        out
    }

    fn evaluate_now(&self, seed: u64) -> Vec<Eval> {
        let mut out = Vec::new();
        if !self.eval_tasks.is_empty() {
            let per_task = self.args.eval_timeout / self.eval_tasks.len() as f64;
            let config = SolveConfig {
                strategy: self.args.strategy.into(),
                budget: Budget {
                    max_expansions: None,
                    timeout: Some(Duration::from_secs_f64(per_task)),
                },
                mode: SearchMode::BestFirst,
                attempts: 1,
                forward: janus::ForwardPhase::default(),
                profile: false,
            };
            let guide: &dyn Policy = &self.policy;
            let kind = self.policy.model().domain.kind;
            let reports = solve_all_guided(
                &self.eval_tasks,
                &config,
                1,
                &|_| {},
                Some((kind, guide)),
                None,
            );
            out.push(Eval {
                name: "tasks".into(),
                solved: reports.iter().filter(|r| r.solved).count(),
                total: reports.len(),
                median_expansions: median(reports.iter().map(|r| r.expansions as f64).collect()),
            });
        }
        if self.args.eval_random > 0 {
            let model = self.policy.model();
            for &depth in &self.args.depths {
                let samples = training_samples(
                    &model.domain,
                    self.args.eval_random,
                    &[depth],
                    &[],
                    &self.grids,
                    None,
                    seed ^ 0x5eed_0000 ^ depth as u64,
                );
                let tasks: Vec<Task> = samples.into_iter().map(|s| s.task).collect();
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                let limit = max_actions(&model.domain, depth);
                let eps = run_episodes(&model, &tasks, limit, &mut rng);
                out.push(Eval {
                    name: format!("depth{depth}"),
                    solved: eps.iter().filter(|e| e.solved).count(),
                    total: tasks.len(),
                    median_expansions: f64::NAN,
                });
            }
        }
        out
    }

    /// Logs an epoch: its loss (`None` before training) and evaluations, on screen and in
    /// the `--log` CSV.
    fn record(&mut self, phase: &str, epoch: usize, loss: Option<f64>, evals: &[Eval]) {
        let secs = self.start.elapsed().as_secs_f64();
        let mut line = match loss {
            Some(loss) => format!("{phase} {epoch}: loss {loss:.4}"),
            None => format!("{phase} {epoch}: before training"),
        };
        let loss = loss.map_or(String::new(), |l| l.to_string());
        if evals.is_empty() {
            self.log += &format!("{phase},{epoch},{loss},,,,,{secs:.1}\n");
        }
        for e in evals {
            line += &format!(", {} {}/{}", e.name, e.solved, e.total);
            self.log += &format!(
                "{phase},{epoch},{loss},{},{},{},{},{secs:.1}\n",
                e.name, e.solved, e.total, e.median_expansions
            );
        }
        note!("{line} ({secs:.0} s)");
    }
}

fn train(args: TrainArgs) -> anyhow::Result<()> {
    let d = domain_with_libraries(&args.domain, &args.library)?;
    anyhow::ensure!(
        args.rl_epochs == 0 || d.guide.reinforce,
        "--rl-epochs: REINFORCE runs on random 24 Game and ARC tasks of --depths only"
    );
    let device = super::solve::device(args.device)?;
    let held_out = load_paths(&args.held_out)?;
    let grids = load_paths(&args.grids)?;
    let eval_tasks = load_paths(&args.eval_tasks)?;
    let model = initial_model(&args, d, device)?;
    let replays = match &args.replays {
        Some(path) => load_replays(path, &model.domain, &grids, &held_out)?,
        None => Vec::new(),
    };
    let prior = (!replays.is_empty()).then(|| dream_prior(&model.domain, &replays));
    let samples = training_samples(
        &model.domain,
        args.programs,
        &args.depths,
        &held_out,
        &grids,
        prior.as_ref(),
        args.seed,
    );
    let demo = DemoConfig {
        backward: args.backward,
        distractors: args.distractors,
    };
    let steps = replay_and_dream_steps(&model, &replays, &samples, demo, args.seed);
    note!(
        "{} replays, {} random programs, {} supervised steps, {} ops, {} parameters, device {device:?}",
        replays.len(),
        samples.len(),
        steps.len(),
        model.ops.len(),
        model.parameters()
    );
    let mut trainer = Trainer {
        policy: NeuralPolicy::new(model),
        eval_tasks,
        grids,
        log: "phase,epoch,loss,eval,solved,total,median_expansions,seconds\n".into(),
        start: Instant::now(),
        args,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(trainer.args.seed);
    trainer.supervised(&steps, &mut rng)?;
    trainer.reinforce(&held_out, &mut rng)?;
    trainer.write()
}

/// The domain called `name` with the abstractions of `libraries` (each loaded with its
/// bases) registered on top.
fn domain_with_libraries(name: &str, libraries: &[PathBuf]) -> anyhow::Result<janus::Domain> {
    let kind = domain(name)?.kind;
    if libraries.is_empty() {
        return Ok(kind.domain());
    }
    let library = Library::load_all(libraries)?;
    domain_with(kind, None, Some(&library)).map_err(|e| {
        let paths: Vec<String> = libraries.iter().map(|p| p.display().to_string()).collect();
        anyhow::anyhow!("{}: {e}", paths.join(", "))
    })
}

/// The programs of the solve output at `path` as samples of `domain`, each on its task
/// among `tasks` (by id); tasks of `held_out`, tasks not in `tasks` and programs
/// `domain` cannot spell are left out. Refused when none is left.
fn load_replays(
    path: &std::path::Path,
    domain: &janus::Domain,
    tasks: &[Task],
    held_out: &[Task],
) -> anyhow::Result<Vec<Sample>> {
    let held: HashSet<&str> = held_out.iter().map(|t| t.id.as_str()).collect();
    let mut by_task = Corpus::load(path, CorpusFormat::Auto)?.by_task();
    by_task.retain(|(id, _)| !held.contains(id.as_str()));
    let replays = replays(&by_task, tasks, &domain.registry);
    anyhow::ensure!(
        !replays.is_empty(),
        "{}: no program to replay: none is for a task of --grids outside --held-out in the {} domain",
        path.display(),
        domain.name()
    );
    Ok(replays)
}

/// A fresh model, or the `--init` one after checking that it fits the arguments, with the
/// vocabulary of `d` (the ops it knew keep their weights: a model from before primitives
/// or a library were added learns the new ones from here).
fn initial_model(
    args: &TrainArgs,
    d: janus::Domain,
    device: tch::Device,
) -> anyhow::Result<GuideModel> {
    let Some(path) = &args.init else {
        return Ok(GuideModel::new(d, args.strategy.into(), device, args.seed));
    };
    let m = GuideModel::load_in(path, device, &|_| d.clone())?;
    anyhow::ensure!(
        m.domain.kind == d.kind && m.strategy == Strategy::from(args.strategy),
        "{}: a {} {:?} model, not {} {:?}",
        path.display(),
        m.domain.name(),
        m.strategy,
        d.name(),
        args.strategy
    );
    Ok(m.with_vocabulary_of(d, args.seed))
}

impl Trainer {
    /// The supervised epochs, each followed by an evaluation.
    fn supervised(&mut self, steps: &[Step], rng: &mut ChaCha8Rng) -> anyhow::Result<()> {
        let mut opt = optimizer(&self.policy.model(), self.args.lr);
        let evals = self.evaluate(self.args.seed);
        self.record("supervised", 0, None, &evals);
        let batches = steps.len().div_ceil(self.args.batch.max(1)) as u64;
        for epoch in 1..=self.args.epochs {
            let bar = bar(batches, "batches")?;
            let loss = {
                let model = self.policy.model();
                let mut tick = || bar.inc(1);
                train_epoch(&model, &mut opt, steps, self.args.batch, rng, &mut tick)
            };
            bar.finish_and_clear();
            let evals = self.evaluate(self.args.seed);
            self.record("supervised", epoch, Some(loss), &evals);
        }
        Ok(())
    }

    /// The REINFORCE epochs on random tasks, cycling through `--depths`, with an
    /// evaluation every `--rl-eval-every` epochs and after the last.
    fn reinforce(&mut self, held_out: &[Task], rng: &mut ChaCha8Rng) -> anyhow::Result<()> {
        if self.args.rl_epochs == 0 {
            return Ok(());
        }
        let mut opt = optimizer(&self.policy.model(), self.args.rl_lr);
        let bar = bar(self.args.rl_epochs as u64, "REINFORCE epochs")?;
        for epoch in 1..=self.args.rl_epochs {
            let depth = self.args.depths[(epoch - 1) % self.args.depths.len()];
            let (loss, solved) = {
                let model = self.policy.model();
                let seed = self.args.seed.wrapping_add(1_000_000 + epoch as u64);
                let tasks: Vec<Task> = training_samples(
                    &model.domain,
                    self.args.rl_batch,
                    &[depth],
                    held_out,
                    &self.grids,
                    None,
                    seed,
                )
                .into_iter()
                .map(|s| s.task)
                .collect();
                let limit = max_actions(&model.domain, depth);
                reinforce_epoch(&model, &mut opt, &tasks, limit, rng)
            };
            bar.inc(1);
            let mut evals = vec![Eval {
                name: format!("batch-depth{depth}"),
                solved: (solved * self.args.rl_batch as f64).round() as usize,
                total: self.args.rl_batch,
                median_expansions: f64::NAN,
            }];
            if epoch % self.args.rl_eval_every.max(1) == 0 || epoch == self.args.rl_epochs {
                evals.extend(bar.suspend(|| self.evaluate(self.args.seed)));
            }
            bar.suspend(|| self.record("reinforce", epoch, Some(loss), &evals));
        }
        bar.finish_and_clear();
        Ok(())
    }

    /// Writes the model and the `--log`.
    fn write(&self) -> anyhow::Result<()> {
        self.policy
            .model()
            .save(&self.args.out)
            .context("saving the model")?;
        if let Some(path) = &self.args.log {
            write_atomic(path, self.log.as_bytes())
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "wrote {}", self.args.out.display())?;
        Ok(())
    }
}
