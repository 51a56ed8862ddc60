//! Settings chosen by k-fold cross-validation on the training rows alone (the held-out rows
//! never take part), so that the trees and the linear probe each get the best of a small,
//! fixed grid before they are compared:
//!
//! - trees: depth 2, 4 or 6 at learning rate 0.1, rows and features subsampled (0.8 and
//!   0.5), as many rounds (up to [`MAX_ROUNDS`]) as early stopping on each fold's
//!   validation part keeps, then refit on all the training rows with their mean;
//! - the probe: an L2 penalty of 1e-3, 1e-2 or 1e-1.
//!
//! The score of a setting is its mean accuracy over the folds; ties go to the first
//! setting of the grid (the simpler one).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::probe::{LinearProbe, ProbeConfig};
use crate::gbdt::{BoostParams, Booster, Matrix, Targets};

/// The most boosting rounds a tuned ensemble may have.
pub const MAX_ROUNDS: usize = 400;

/// Rounds without a better validation loss before a fold's training stops.
const PATIENCE: usize = 20;

/// The tree depths tried.
const DEPTHS: [usize; 3] = [2, 4, 6];

/// The probe's L2 penalties tried.
const PENALTIES: [f32; 3] = [1e-3, 1e-2, 1e-1];

/// What tuning chose, and the cross-validated accuracy it chose by.
#[derive(Clone, Debug)]
pub struct Tuned<C> {
    /// The chosen settings (for trees, with the refit's number of rounds).
    pub config: C,
    /// Their mean accuracy over the folds.
    pub cv_accuracy: f64,
}

/// `k` disjoint folds of the row indices `0..n`, seeded; every row is in exactly one.
pub fn folds(n: usize, k: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let k = k.clamp(1, n.max(1));
    (0..k)
        .map(|f| order.iter().skip(f).step_by(k).copied().collect())
        .collect()
}

/// One fold's training and validation rows and labels.
struct Fold {
    x: Matrix,
    y: Vec<u32>,
    vx: Matrix,
    vy: Vec<u32>,
}

/// The folds as training and validation sets.
fn split_folds(x: &Matrix, y: &[u32], folds: &[Vec<usize>]) -> Vec<Fold> {
    (0..folds.len())
        .map(|held| {
            let train: Vec<usize> = (0..folds.len())
                .filter(|&f| f != held)
                .flat_map(|f| folds[f].iter().copied())
                .collect();
            let labels = |idx: &[usize]| idx.iter().map(|&r| y[r]).collect::<Vec<u32>>();
            Fold {
                x: x.select_rows(&train),
                y: labels(&train),
                vx: x.select_rows(&folds[held]),
                vy: labels(&folds[held]),
            }
        })
        .collect()
}

/// The share of `labels` that `predict` gets right, row by row of `x`.
pub fn accuracy(x: &Matrix, labels: &[u32], predict: impl Fn(&[f32]) -> u32) -> f64 {
    let right = (0..x.rows())
        .filter(|&r| predict(x.row(r)) == labels[r])
        .count();
    right as f64 / labels.len().max(1) as f64
}

/// The class with the highest score of a booster's row.
pub fn tree_class(booster: &Booster, row: &[f32], classes: usize) -> u32 {
    let mut scores = vec![0.0; classes];
    booster.predict_row(row, &mut scores);
    (0..classes)
        .max_by(|&i, &j| scores[i].total_cmp(&scores[j]))
        .unwrap_or(0) as u32
}

/// The tree settings of the grid, from `base` (its seed and bins kept).
fn tree_grid(base: &BoostParams) -> Vec<BoostParams> {
    DEPTHS
        .iter()
        .map(|&max_depth| BoostParams {
            rounds: MAX_ROUNDS,
            learning_rate: 0.1,
            max_depth,
            subsample: 0.8,
            colsample: 0.5,
            early_stopping: Some(PATIENCE),
            ..base.clone()
        })
        .collect()
}

/// The first of `scored` with the highest score.
fn first_best<C>(scored: Vec<(C, f64)>) -> Option<(C, f64)> {
    scored
        .into_iter()
        .reduce(|best, next| if next.1 > best.1 { next } else { best })
}

/// Tree settings chosen by `k`-fold cross-validation on `x` and `y`.
pub fn tune_trees(
    x: &Matrix,
    y: &[u32],
    classes: usize,
    k: usize,
    base: &BoostParams,
) -> Tuned<BoostParams> {
    let folds = split_folds(x, y, &folds(x.rows(), k, base.seed));
    let scored = tree_grid(base)
        .into_iter()
        .map(|params| {
            let (mut total, mut rounds) = (0.0, 0);
            for f in &folds {
                let train = Targets::Classes {
                    labels: &f.y,
                    classes,
                };
                let valid = Targets::Classes {
                    labels: &f.vy,
                    classes,
                };
                let b = Booster::train(&params, &f.x, train, Some((&f.vx, valid)), &mut |_| {});
                total += accuracy(&f.vx, &f.vy, |row| tree_class(&b, row, classes));
                rounds += b.rounds.len();
            }
            let n = folds.len().max(1);
            let refit = BoostParams {
                rounds: (rounds / n).max(1),
                early_stopping: None,
                ..params
            };
            (refit, total / n as f64)
        })
        .collect();
    let (config, cv_accuracy) = first_best(scored).expect("a non-empty grid");
    Tuned {
        config,
        cv_accuracy,
    }
}

/// Probe settings chosen by `k`-fold cross-validation on `x` and `y`.
pub fn tune_probe(
    x: &Matrix,
    y: &[u32],
    classes: usize,
    k: usize,
    seed: u64,
) -> Tuned<ProbeConfig> {
    let folds = split_folds(x, y, &folds(x.rows(), k, seed));
    let scored = PENALTIES
        .iter()
        .map(|&l2| {
            let config = ProbeConfig {
                l2,
                ..ProbeConfig::default()
            };
            let total: f64 = folds
                .iter()
                .map(|f| {
                    let probe = LinearProbe::fit(&f.x, &f.y, classes, &config);
                    accuracy(&f.vx, &f.vy, |row| probe.predict(row))
                })
                .sum();
            (config, total / folds.len().max(1) as f64)
        })
        .collect();
    let (config, cv_accuracy) = first_best(scored).expect("a non-empty grid");
    Tuned {
        config,
        cv_accuracy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_cover_every_row_once_and_follow_the_seed() {
        let f = folds(10, 3, 7);
        let mut all: Vec<usize> = f.concat();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(f.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 3, 3]);
        assert_eq!(f, folds(10, 3, 7));
        assert_ne!(f, folds(10, 3, 8));
    }

    /// Rows whose class is whether feature 0 exceeds 0.5; feature 1 is noise.
    fn threshold_data(n: usize) -> (Matrix, Vec<u32>) {
        let mut data = Vec::new();
        let mut y = Vec::new();
        for i in 0..n {
            let v = (i * 37 % n) as f32 / n as f32;
            data.extend([v, (i * 11 % 7) as f32]);
            y.push(u32::from(v > 0.5));
        }
        (Matrix::new(n, 2, data), y)
    }

    #[test]
    fn tuned_trees_learn_a_threshold_and_stop_early() {
        let (x, y) = threshold_data(120);
        let t = tune_trees(&x, &y, 2, 3, &BoostParams::default());
        assert!(t.cv_accuracy > 0.95, "{}", t.cv_accuracy);
        assert!(t.config.rounds < MAX_ROUNDS, "{}", t.config.rounds);
        assert_eq!(t.config.early_stopping, None);
    }

    #[test]
    fn the_tuned_probe_learns_a_threshold() {
        let (x, y) = threshold_data(120);
        let t = tune_probe(&x, &y, 2, 3, 0);
        assert!(t.cv_accuracy > 0.9, "{}", t.cv_accuracy);
        assert!(PENALTIES.contains(&t.config.l2));
    }

    #[test]
    fn ties_go_to_the_first_setting() {
        assert_eq!(
            first_best(vec![("a", 0.5), ("b", 0.5), ("c", 0.4)]),
            Some(("a", 0.5))
        );
        assert_eq!(first_best(vec![("a", 0.5), ("b", 0.7)]), Some(("b", 0.7)));
    }
}
