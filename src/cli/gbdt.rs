//! `janus gbdt fit`: train the tree learner on `.npy` arrays and report time and loss
//! (the side-by-side comparison with XGBoost uses it on the ARDT's features).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
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
    #[arg(long, default_value_t = 100)]
    pub rounds: usize,
    /// Shrinkage per round.
    #[arg(long, default_value_t = 0.3)]
    pub learning_rate: f32,
    /// Maximum tree depth.
    #[arg(long, default_value_t = 6)]
    pub max_depth: usize,
    /// Maximum leaves per tree (0: only the depth limits it).
    #[arg(long, default_value_t = 0)]
    pub max_leaves: usize,
    /// Least hessian sum in a leaf.
    #[arg(long, default_value_t = 1.0)]
    pub min_child_weight: f64,
    /// L2 penalty on leaf values.
    #[arg(long, default_value_t = 1.0)]
    pub lambda: f64,
    /// Fraction of rows per round.
    #[arg(long, default_value_t = 1.0)]
    pub subsample: f64,
    /// Fraction of features per tree.
    #[arg(long, default_value_t = 1.0)]
    pub colsample: f64,
    /// Bins per feature (at most 256).
    #[arg(long, default_value_t = 256)]
    pub max_bins: usize,
    /// Stop after this many rounds without a better validation loss.
    #[arg(long)]
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
    /// Worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Seed of the row and feature samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// Labels and their class count, checked against `classes` when given.
fn read_classes(
    path: &std::path::Path,
    classes: Option<usize>,
) -> anyhow::Result<(Vec<u32>, usize)> {
    let labels = npy::read_labels(path)?;
    let max = labels.iter().max().map_or(0, |&m| m as usize + 1);
    let classes = classes.unwrap_or(max);
    anyhow::ensure!(
        max <= classes,
        "{}: label {} but only {classes} classes",
        path.display(),
        max - 1
    );
    Ok((labels, classes))
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
    let (labels, classes) = match &args.labels {
        Some(p) => {
            let (l, c) = read_classes(p, None)?;
            (Some(l), c)
        }
        None => (None, 0),
    };
    let (vy, vlabels) = match (&args.valid_y, &labels) {
        (Some(p), None) => (Some(npy::read_matrix(p)?), None),
        (Some(p), Some(_)) => (None, Some(read_classes(p, Some(classes))?.0)),
        (None, _) => (None, None),
    };
    let train_targets = targets(&y, &labels, classes).context("no targets")?;
    anyhow::ensure!(
        train_targets.rows() == x.rows(),
        "{}: {} rows of features but {} targets",
        args.x.display(),
        x.rows(),
        train_targets.rows()
    );
    let valid = match (&vx, targets(&vy, &vlabels, classes)) {
        (Some(vx), Some(vt)) => Some((vx, vt)),
        _ => None,
    };
    let params = args.boost.params(args.seed);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let mut last = None;
    let start = Instant::now();
    let booster = pool.install(|| {
        Booster::train(&params, &x, train_targets, valid, &mut |log| {
            last = Some(*log)
        })
    });
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
    });
    outln!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
