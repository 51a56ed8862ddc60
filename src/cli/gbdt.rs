//! `janus gbdt fit`: train the tree learner on `.npy` arrays and report time and loss
//! (the side-by-side comparison with XGBoost uses it on the ARDT's features).

use crate::cli::verbosity::note;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use super::args::{non_negative, positive, positive_count, share, MAX_JOBS};
use super::rounds::Rounds;
use clap::{Args, Subcommand};

use janus::gbdt::{npy, BoostParams, Booster, Matrix, Targets};

#[derive(Debug, Subcommand)]
pub enum GbdtCommand {
    /// Fit gradient-boosted trees to `.npy` features and report training time and losses.
    Fit(FitArgs),
}

/// Boosting hyperparameters on the command line (shared by `janus ardt train`).
#[derive(Debug, Clone, Args)]
pub struct BoostArgs {
    /// Boosting rounds.
    #[arg(value_parser = positive_count, long, default_value_t = 100)]
    pub rounds: usize,
    /// Shrinkage per round.
    #[arg(value_parser = positive::<f32>, long, default_value_t = 0.3)]
    pub learning_rate: f32,
    /// Maximum tree depth.
    #[arg(value_parser = positive_count, long, default_value_t = 6)]
    pub max_depth: usize,
    /// Maximum leaves per tree (0: only the depth limits it).
    #[arg(long, default_value_t = 0)]
    pub max_leaves: usize,
    /// Least hessian sum in a leaf.
    #[arg(value_parser = non_negative::<f64>, long, default_value_t = 1.0)]
    pub min_child_weight: f64,
    /// L2 penalty on leaf values.
    #[arg(value_parser = non_negative::<f64>, long, default_value_t = 1.0)]
    pub lambda: f64,
    /// Fraction of rows per round.
    #[arg(value_parser = share::<f64>, long, default_value_t = 1.0)]
    pub subsample: f64,
    /// Fraction of features per tree.
    #[arg(value_parser = share::<f64>, long, default_value_t = 1.0)]
    pub colsample: f64,
    /// Bins per feature (at most 256).
    #[arg(long, default_value_t = 256)]
    pub max_bins: usize,
    /// Stop after this many rounds without a better validation loss.
    #[arg(value_parser = positive_count, long)]
    pub early_stopping: Option<usize>,
}

impl BoostArgs {
    /// The hyperparameters, with the run's seed.
    pub fn params(&self, seed: u64) -> BoostParams {
        BoostParams {
            rounds: self.rounds,
            learning_rate: self.learning_rate,
            max_depth: self.max_depth,
            max_leaves: self.max_leaves,
            min_child_weight: self.min_child_weight,
            lambda: self.lambda,
            gamma: 0.0,
            subsample: self.subsample,
            colsample: self.colsample,
            max_bins: self.max_bins,
            early_stopping: self.early_stopping,
            seed,
        }
    }
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Training features (2-D float .npy).
    #[arg(long)]
    x: PathBuf,
    /// Regression targets (2-D float .npy, one column per output).
    #[arg(long, conflicts_with = "labels", required_unless_present = "labels")]
    y: Option<PathBuf>,
    /// Class labels (1-D integer .npy): softmax classification.
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Validation features.
    #[arg(long)]
    valid_x: Option<PathBuf>,
    /// Validation targets or labels (same kind as the training ones).
    #[arg(long, requires = "valid_x")]
    valid_y: Option<PathBuf>,
    #[command(flatten)]
    boost: BoostArgs,
    /// Worker threads (`--threads` is the old spelling).
    #[arg(long = "jobs", alias = "threads", default_value_t = 2)]
    threads: usize,
    /// Seed of the row and feature samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// The most distinct class labels `gbdt fit --labels` takes: one softmax output each.
pub const MAX_CLASSES: usize = 1 << 16;

/// Class labels as read, mapped to classes 0.. in the order of their values.
struct Classes {
    /// The label of each class.
    labels: Vec<u32>,
}

impl Classes {
    /// The distinct labels of `labels` (read from `path`), at most [`MAX_CLASSES`].
    fn of(labels: &[u32], path: &std::path::Path) -> anyhow::Result<Classes> {
        let mut distinct = labels.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        anyhow::ensure!(
            distinct.len() <= MAX_CLASSES,
            "{}: {} distinct labels, more than the {MAX_CLASSES} classes gbdt fit takes",
            path.display(),
            distinct.len()
        );
        Ok(Classes { labels: distinct })
    }

    /// `labels` (read from `path`) as class indices; a label not seen in training is an
    /// error.
    fn map(&self, labels: &[u32], path: &std::path::Path) -> anyhow::Result<Vec<u32>> {
        labels
            .iter()
            .map(|l| match self.labels.binary_search(l) {
                Ok(class) => Ok(class as u32),
                Err(_) => anyhow::bail!(
                    "{}: label {l} does not occur in the training labels",
                    path.display()
                ),
            })
            .collect()
    }
}

fn targets<'a>(
    y: &'a Option<Matrix>,
    labels: &'a Option<Vec<u32>>,
    classes: usize,
) -> Option<Targets<'a>> {
    match (y, labels) {
        (Some(y), _) => Some(Targets::Values(y)),
        (None, Some(labels)) => Some(Targets::Classes { labels, classes }),
        _ => None,
    }
}

pub fn run(command: GbdtCommand) -> anyhow::Result<()> {
    let GbdtCommand::Fit(args) = command;
    let x = npy::read_matrix(&args.x)?;
    let vx = args
        .valid_x
        .as_ref()
        .map(|p| npy::read_matrix(p))
        .transpose()?;
    let y = args.y.as_ref().map(|p| npy::read_matrix(p)).transpose()?;
    if let Some((vx, path)) = vx.as_ref().zip(args.valid_x.as_ref()) {
        anyhow::ensure!(
            vx.cols() == x.cols(),
            "{}: {} columns, but the training features have {}",
            path.display(),
            vx.cols(),
            x.cols()
        );
    }
    let (labels, classes) = match &args.labels {
        Some(p) => {
            let raw = npy::read_labels(p)?;
            let classes = Classes::of(&raw, p)?;
            (Some(classes.map(&raw, p)?), Some(classes))
        }
        None => (None, None),
    };
    let (vy, vlabels) = match (&args.valid_y, &classes) {
        (Some(p), None) => (Some(npy::read_matrix(p)?), None),
        (Some(p), Some(c)) => (None, Some(c.map(&npy::read_labels(p)?, p)?)),
        (None, _) => (None, None),
    };
    let classes = classes.map_or(0, |c| c.labels.len());
    let train_targets = targets(&y, &labels, classes).context("no targets")?;
    anyhow::ensure!(
        train_targets.rows() == x.rows(),
        "{}: {} rows of features but {} targets",
        args.x.display(),
        x.rows(),
        train_targets.rows()
    );
    let valid = match (&vx, targets(&vy, &vlabels, classes)) {
        (Some(vx), Some(vt)) => {
            anyhow::ensure!(
                vt.rows() == vx.rows(),
                "{} rows of validation features but {} validation targets",
                vx.rows(),
                vt.rows()
            );
            Some((vx, vt))
        }
        _ => None,
    };
    let params = args.boost.params(args.seed);
    anyhow::ensure!(
        args.threads <= MAX_JOBS,
        "--jobs must be at most {MAX_JOBS}"
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let mut last = None;
    let mut rounds = Rounds::default();
    let start = Instant::now();
    let booster = pool.install(|| {
        Booster::train(&params, &x, train_targets, valid, &mut |log| {
            let line = rounds.record(log);
            note!("{line}");
            last = Some(*log)
        })
    });
    if let Some(line) = rounds.summary() {
        note!("{line}");
    }
    let seconds = start.elapsed().as_secs_f64();
    let last = last.context("no rounds were run")?;
    let report = serde_json::json!({
        "rows": x.rows(),
        "features": x.cols(),
        "outputs": booster.outputs(),
        "rounds": booster.rounds.len(),
        "trees": booster.trees(),
        "leaves": booster.leaves(),
        "train_seconds": seconds,
        "train_loss": last.train_loss,
        "valid_loss": last.valid_loss,
        "threads": args.threads,
        "rounds_log": rounds.json(),
    });
    outln!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
