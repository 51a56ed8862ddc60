//! Losses the booster minimises: their gradients, starting scores and reported loss.
//! Scores are kept output-major (`outputs × rows`), so each output's trees read one
//! contiguous slice.

use serde::{Deserialize, Serialize};

use super::data::Matrix;
use super::histogram::GradPair;

/// What the trees predict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Objective {
    /// Squared error on every output (one tree per output per round); loss reported as
    /// RMSE over all entries, as XGBoost's `rmse`.
    SquaredError,
    /// Softmax over classes (one tree per class per round); loss reported as the mean
    /// negative log-likelihood, as XGBoost's `mlogloss`.
    Softmax,
}

/// Training targets for one objective.
#[derive(Clone, Copy, Debug)]
pub enum Targets<'a> {
    /// Real-valued targets, one column per output.
    Values(&'a Matrix),
    /// Class labels in `0..classes`.
    Classes {
        /// One label per row.
        labels: &'a [u32],
        /// Number of classes (outputs).
        classes: usize,
    },
}

impl Targets<'_> {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        match self {
            Targets::Values(y) => y.rows(),
            Targets::Classes { labels, .. } => labels.len(),
        }
    }

    /// Number of outputs (trees per round).
    pub fn outputs(&self) -> usize {
        match self {
            Targets::Values(y) => y.cols(),
            Targets::Classes { classes, .. } => *classes,
        }
    }

    /// The objective these targets call for.
    pub fn objective(&self) -> Objective {
        match self {
            Targets::Values(_) => Objective::SquaredError,
            Targets::Classes { .. } => Objective::Softmax,
        }
    }
}

/// Starting scores: each output's mean (squared error) or log class frequency (softmax).
pub fn base_scores(targets: Targets) -> Vec<f32> {
    let n = targets.rows().max(1) as f64;
    match targets {
        Targets::Values(y) => (0..y.cols())
            .map(|k| ((0..y.rows()).map(|r| y.get(r, k) as f64).sum::<f64>() / n) as f32)
            .collect(),
        Targets::Classes { labels, classes } => {
            let mut counts = vec![1.0f64; classes];
            for &l in labels {
                counts[l as usize] += 1.0;
            }
            let total: f64 = counts.iter().sum();
            counts.iter().map(|c| (c / total).ln() as f32).collect()
        }
    }
}

/// Writes the gradient pairs at `scores` (output-major) into `grads` (same layout).
pub fn gradients(scores: &[f32], targets: Targets, grads: &mut [GradPair]) {
    let n = targets.rows();
    match targets {
        Targets::Values(y) => {
            for (i, (g, &s)) in grads.iter_mut().zip(scores).enumerate() {
                *g = GradPair {
                    g: s - y.get(i % n, i / n),
                    h: 1.0,
                };
            }
        }
        Targets::Classes { labels, classes } => {
            let mut p = vec![0.0f32; classes];
            for (r, &label) in labels.iter().enumerate() {
                softmax_column(scores, n, r, &mut p);
                for (k, &pk) in p.iter().enumerate() {
                    let y = (k as u32 == label) as u8 as f32;
                    grads[k * n + r] = GradPair {
                        g: pk - y,
                        h: (2.0 * pk * (1.0 - pk)).max(1e-6),
                    };
                }
            }
        }
    }
}

/// The reported loss at `scores` (output-major).
pub fn loss(scores: &[f32], targets: Targets) -> f64 {
    let n = targets.rows();
    match targets {
        Targets::Values(y) => {
            let sse: f64 = scores
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    let d = (s - y.get(i % n, i / n)) as f64;
                    d * d
                })
                .sum();
            (sse / scores.len().max(1) as f64).sqrt()
        }
        Targets::Classes { labels, classes } => {
            let mut p = vec![0.0f32; classes];
            let nll: f64 = labels
                .iter()
                .enumerate()
                .map(|(r, &label)| {
                    softmax_column(scores, n, r, &mut p);
                    -(p[label as usize].max(1e-15) as f64).ln()
                })
                .sum();
            nll / n.max(1) as f64
        }
    }
}

/// Softmax of row `r`'s scores across outputs (output-major layout, `n` rows).
fn softmax_column(scores: &[f32], n: usize, r: usize, out: &mut [f32]) {
    for (k, o) in out.iter_mut().enumerate() {
        *o = scores[k * n + r];
    }
    softmax(out);
}

/// Softmax in place.
pub fn softmax(v: &mut [f32]) {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for x in v.iter_mut() {
        *x = (*x - max).exp();
        sum += *x;
    }
    for x in v.iter_mut() {
        *x /= sum;
    }
}
