//! Gradient boosting: rounds of trees fitted to the loss's gradients, with shrinkage,
//! row and feature subsampling and early stopping on a validation set.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bins::BinCuts;
use super::data::{BinnedMatrix, Matrix};
use super::grow::{grow, TreeParams};
use super::histogram::{GradPair, HistLayout};
use super::objective::{self, Objective, Targets};
use super::tree::Tree;

/// Boosting hyperparameters (XGBoost's names where they exist).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BoostParams {
    /// Boosting rounds (each adds one tree per output).
    pub rounds: usize,
    /// Shrinkage (XGBoost's `eta`).
    pub learning_rate: f32,
    /// Deepest split level.
    pub max_depth: usize,
    /// At most this many leaves per tree (0: only the depth limits it).
    pub max_leaves: usize,
    /// Least hessian sum in a child.
    pub min_child_weight: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Least loss reduction for a split.
    pub gamma: f64,
    /// Fraction of rows each round's trees see.
    pub subsample: f64,
    /// Fraction of features each tree may split on.
    pub colsample: f64,
    /// Bins per feature (at most 256).
    pub max_bins: usize,
    /// Stop after this many rounds without a better validation loss (needs a validation set).
    pub early_stopping: Option<usize>,
    /// Seed of the row and feature samples.
    pub seed: u64,
}

impl Default for BoostParams {
    fn default() -> Self {
        BoostParams {
            rounds: 100,
            learning_rate: 0.3,
            max_depth: 6,
            max_leaves: 0,
            min_child_weight: 1.0,
            lambda: 1.0,
            gamma: 0.0,
            subsample: 1.0,
            colsample: 1.0,
            max_bins: 256,
            early_stopping: None,
            seed: 0,
        }
    }
}

impl BoostParams {
    fn tree_params(&self) -> TreeParams {
        TreeParams {
            max_depth: self.max_depth,
            max_leaves: self.max_leaves,
            min_child_weight: self.min_child_weight,
            lambda: self.lambda,
            gamma: self.gamma,
            learning_rate: self.learning_rate,
        }
    }
}

/// What one round reached.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RoundLog {
    /// Round number, from 1.
    pub round: usize,
    /// Training loss after the round.
    pub train_loss: f64,
    /// Validation loss after the round, if there is a validation set.
    pub valid_loss: Option<f64>,
}

/// A trained ensemble: per round, one tree per output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Booster {
    /// The loss it was trained on.
    pub objective: Objective,
    /// Number of input features.
    pub features: usize,
    /// Starting score of each output.
    pub base: Vec<f32>,
    /// `rounds[i][k]`: round `i`'s tree for output `k`.
    pub rounds: Vec<Vec<Tree>>,
    /// The feature bins the trees were grown on.
    pub cuts: BinCuts,
}

/// A data set with its scores, kept up to date as trees are added.
struct Scored<'a> {
    binned: BinnedMatrix,
    targets: Targets<'a>,
    scores: Vec<f32>,
}

impl<'a> Scored<'a> {
    /// Scores start at `base`, plus each row's `margin` where given.
    fn new(cuts: &BinCuts, data: &Rows<'a>, base: &[f32]) -> Scored<'a> {
        let (x, targets) = (data.x, data.targets);
        let n = x.rows();
        let mut scores: Vec<f32> = base
            .iter()
            .flat_map(|&b| std::iter::repeat_n(b, n))
            .collect();
        if let Some(m) = data.margin {
            assert_eq!(
                (m.rows(), m.cols()),
                (n, base.len()),
                "one margin per row and output"
            );
            for (k, column) in scores.chunks_mut(n.max(1)).enumerate() {
                for (r, s) in column.iter_mut().enumerate() {
                    *s += m.get(r, k);
                }
            }
        }
        Scored {
            binned: cuts.bin(x),
            targets,
            scores,
        }
    }

    fn add(&mut self, trees: &[Tree]) {
        let n = self.binned.rows();
        let binned = &self.binned;
        self.scores
            .par_chunks_mut(n.max(1))
            .zip(trees)
            .for_each(|(scores, tree)| {
                for (r, s) in scores.iter_mut().enumerate() {
                    *s += tree.predict_binned(binned.row(r));
                }
            });
    }

    fn loss(&self) -> f64 {
        objective::loss(&self.scores, self.targets)
    }
}

/// Rows to train or validate on.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    /// Features.
    pub x: &'a Matrix,
    /// What to predict.
    pub targets: Targets<'a>,
    /// A starting score per row and output that the trees correct (XGBoost's base
    /// margin: a prior's log-probabilities, say); the trees' predictions must then be
    /// added to the same margins.
    pub margin: Option<&'a Matrix>,
}

impl<'a> Rows<'a> {
    /// Rows without margins.
    pub fn new(x: &'a Matrix, targets: Targets<'a>) -> Rows<'a> {
        Rows {
            x,
            targets,
            margin: None,
        }
    }
}

impl Booster {
    /// Trains on `x` and `targets`, reporting each round to `on_round`; with `valid` and
    /// `params.early_stopping`, stops when the validation loss stops improving and keeps
    /// the best round's ensemble.
    pub fn train(
        params: &BoostParams,
        x: &Matrix,
        targets: Targets,
        valid: Option<(&Matrix, Targets)>,
        on_round: &mut dyn FnMut(&RoundLog),
    ) -> Booster {
        let valid = valid.map(|(vx, vt)| Rows::new(vx, vt));
        Booster::train_rows(params, Rows::new(x, targets), valid, on_round)
    }

    /// As [`Booster::train`], with margins where `train` and `valid` have them. With
    /// margins the base scores are zero: the margins are the starting point.
    pub fn train_rows(
        params: &BoostParams,
        data: Rows,
        valid: Option<Rows>,
        on_round: &mut dyn FnMut(&RoundLog),
    ) -> Booster {
        let (x, targets) = (data.x, data.targets);
        assert_eq!(
            x.rows(),
            targets.rows(),
            "features and targets have different rows"
        );
        let cuts = BinCuts::fit(x, params.max_bins);
        let layout = HistLayout::new(&cuts);
        let base = match data.margin {
            Some(_) => vec![0.0; targets.outputs()],
            None => objective::base_scores(targets),
        };
        let mut train = Scored::new(&cuts, &data, &base);
        let mut valid = valid.map(|v| Scored::new(&cuts, &v, &base));
        let mut booster = Booster {
            objective: targets.objective(),
            features: x.cols(),
            base,
            rounds: Vec::new(),
            cuts,
        };
        let outputs = targets.outputs();
        let n = x.rows();
        let mut grads = vec![GradPair::default(); outputs * n];
        let tree_params = params.tree_params();
        let mut best = (f64::INFINITY, 0);
        for round in 0..params.rounds {
            objective::gradients(&train.scores, targets, &mut grads);
            let rows = sample_rows(n, params.subsample, params.seed, round);
            let trees: Vec<Tree> = (0..outputs)
                .into_par_iter()
                .map(|k| {
                    let features = sample_features(x.cols(), params, round, k);
                    let grads = &grads[k * n..(k + 1) * n];
                    let mut tree = grow(
                        &train.binned,
                        &layout,
                        grads,
                        rows.clone(),
                        &features,
                        &tree_params,
                        outputs == 1,
                    );
                    booster.set_thresholds(&mut tree);
                    tree
                })
                .collect();
            train.add(&trees);
            booster.rounds.push(trees);
            let log = RoundLog {
                round: round + 1,
                train_loss: train.loss(),
                valid_loss: valid.as_mut().map(|v| {
                    v.add(booster.rounds.last().unwrap());
                    v.loss()
                }),
            };
            on_round(&log);
            if let (Some(loss), Some(patience)) = (log.valid_loss, params.early_stopping) {
                if loss < best.0 {
                    best = (loss, round + 1);
                } else if round + 1 - best.1 >= patience {
                    booster.rounds.truncate(best.1);
                    break;
                }
            }
        }
        booster
    }

    fn set_thresholds(&self, tree: &mut Tree) {
        for node in tree.nodes.iter_mut().filter(|n| !n.is_leaf()) {
            node.threshold = self.cuts.threshold(node.feature as usize, node.split_bin);
        }
    }

    /// Number of outputs (trees per round).
    pub fn outputs(&self) -> usize {
        self.base.len()
    }

    /// Checks a booster read from a file against the `features` its input rows have: one
    /// tree per output in every round, each valid (see [`Tree::check`]), and one set of
    /// cuts per feature.
    pub fn check(&self, features: usize) -> Result<(), String> {
        if self.features != features {
            return Err(format!(
                "trees over {} features, the inputs have {features}",
                self.features
            ));
        }
        if self.base.is_empty() {
            return Err("no outputs".into());
        }
        if self.cuts.features() != features {
            return Err(format!(
                "bin cuts for {} features of {features}",
                self.cuts.features()
            ));
        }
        for (i, round) in self.rounds.iter().enumerate() {
            if round.len() != self.outputs() {
                return Err(format!(
                    "round {i}: {} trees for {} outputs",
                    round.len(),
                    self.outputs()
                ));
            }
            for (k, tree) in round.iter().enumerate() {
                tree.check(features)
                    .map_err(|m| format!("round {i}, tree {k}: {m}"))?;
            }
        }
        Ok(())
    }

    /// Scores of one row of raw features, one per output (raw margins for softmax).
    pub fn predict_row(&self, row: &[f32], out: &mut [f32]) {
        out.copy_from_slice(&self.base);
        for trees in &self.rounds {
            for (o, tree) in out.iter_mut().zip(trees) {
                *o += tree.predict(row);
            }
        }
    }

    /// Scores of every row (`rows × outputs`), in parallel over rows.
    pub fn predict(&self, x: &Matrix) -> Matrix {
        let k = self.outputs();
        let mut out = Matrix::zeros(x.rows(), k);
        out.as_mut_slice()
            .par_chunks_mut(k.max(1))
            .enumerate()
            .for_each(|(r, o)| self.predict_row(x.row(r), o));
        out
    }

    /// Total number of leaves, the ensemble's parameter count.
    pub fn leaves(&self) -> usize {
        self.rounds.iter().flatten().map(Tree::leaves).sum()
    }

    /// Number of trees.
    pub fn trees(&self) -> usize {
        self.rounds.iter().map(Vec::len).sum()
    }

    /// Total split gain per feature over all trees (XGBoost's "total_gain" importance).
    pub fn feature_gain(&self) -> Vec<f64> {
        let mut gain = vec![0.0; self.features];
        for node in self.rounds.iter().flatten().flat_map(|t| &t.nodes) {
            if !node.is_leaf() {
                gain[node.feature as usize] += node.gain as f64;
            }
        }
        gain
    }
}

fn round_rng(seed: u64, round: usize, tree: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((round as u64) << 32) | tree as u64);
    rng
}

/// The rows one round sees (all of them unless subsampling).
fn sample_rows(n: usize, fraction: f64, seed: u64, round: usize) -> Vec<u32> {
    if fraction >= 1.0 {
        return (0..n as u32).collect();
    }
    let mut rng = round_rng(seed, round, usize::MAX >> 32);
    (0..n as u32)
        .filter(|_| rng.gen::<f64>() < fraction)
        .collect()
}

/// The features one tree may split on (at least one).
fn sample_features(cols: usize, params: &BoostParams, round: usize, tree: usize) -> Vec<usize> {
    if params.colsample >= 1.0 {
        return (0..cols).collect();
    }
    let keep = ((cols as f64 * params.colsample).round() as usize).clamp(1, cols);
    let mut rng = round_rng(params.seed, round, tree);
    let mut all: Vec<usize> = (0..cols).collect();
    let (chosen, _) = rand::seq::SliceRandom::partial_shuffle(&mut all[..], &mut rng, keep);
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen
}
