//! Losses the booster minimises: their gradients, starting scores and reported loss.
//! Scores are kept output-major (`outputs × rows`), so each output's trees read one
//! contiguous slice.

use rayon::prelude::*;
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

/// Writes the gradient pairs at `scores` (output-major) into `grads` (same layout), in
/// parallel over outputs.
pub fn gradients(scores: &[f32], targets: Targets, grads: &mut [GradPair]) {
    let n = targets.rows().max(1);
    match targets {
        Targets::Values(y) => per_output(grads, scores, n, |k, r, s| GradPair {
            g: s - y.get(r, k),
            h: 1.0,
        }),
        Targets::Classes { labels, .. } => {
            let lse = log_sum_exp(scores, n);
            per_output(grads, scores, n, |k, r, s| {
                let p = (s - lse[r]).exp();
                let y = (labels[r] as usize == k) as u8 as f32;
                GradPair {
                    g: p - y,
                    h: (2.0 * p * (1.0 - p)).max(1e-6),
                }
            })
        }
    }
}

/// Sets `grads[k * n + r] = pair(k, r, scores[k * n + r])`, in parallel over outputs `k`.
fn per_output(
    grads: &mut [GradPair],
    scores: &[f32],
    n: usize,
    pair: impl Fn(usize, usize, f32) -> GradPair + Sync,
) {
    grads
        .par_chunks_mut(n)
        .zip(scores.par_chunks(n))
        .enumerate()
        .for_each(|(k, (g, s))| {
            for (r, (g, &s)) in g.iter_mut().zip(s).enumerate() {
                *g = pair(k, r, s);
            }
        });
}

/// Per row, the log of the sum of exp(score) over outputs (output-major, `n` rows).
fn log_sum_exp(scores: &[f32], n: usize) -> Vec<f32> {
    let outputs = scores.len() / n;
    (0..n)
        .into_par_iter()
        .map(|r| {
            let max = (0..outputs)
                .map(|k| scores[k * n + r])
                .fold(f32::NEG_INFINITY, f32::max);
            let sum: f32 = (0..outputs).map(|k| (scores[k * n + r] - max).exp()).sum();
            max + sum.ln()
        })
        .collect()
}

/// The reported loss at `scores` (output-major). Sums run in fixed chunks, so the result
/// does not depend on the thread count.
pub fn loss(scores: &[f32], targets: Targets) -> f64 {
    let n = targets.rows().max(1);
    match targets {
        Targets::Values(y) => {
            let per_output: Vec<f64> = scores
                .par_chunks(n)
                .enumerate()
                .map(|(k, s)| {
                    s.iter()
                        .enumerate()
                        .map(|(r, &s)| ((s - y.get(r, k)) as f64).powi(2))
                        .sum::<f64>()
                })
                .collect();
            (per_output.iter().sum::<f64>() / scores.len().max(1) as f64).sqrt()
        }
        Targets::Classes { labels, .. } => {
            let lse = log_sum_exp(scores, n);
            let per_chunk: Vec<f64> = labels
                .par_chunks(4096)
                .enumerate()
                .map(|(c, chunk)| {
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(i, &label)| {
                            let r = c * 4096 + i;
                            -((scores[label as usize * n + r] - lse[r]).max(-34.5) as f64)
                        })
                        .sum::<f64>()
                })
                .collect();
            per_chunk.iter().sum::<f64>() / n as f64
        }
    }
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
