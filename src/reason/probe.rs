//! Classifiers to set beside the trees on fixed feature rows: the majority class, and a
//! linear probe (multinomial logistic regression on standardized features, L2-penalized,
//! full-batch Adam; deterministic).

use crate::gbdt::{softmax, Matrix};

/// The most frequent label of `labels` (the lowest on a tie).
pub fn majority(labels: &[u32], classes: usize) -> u32 {
    let mut counts = vec![0usize; classes];
    for &l in labels {
        counts[l as usize] += 1;
    }
    (0..classes)
        .max_by_key(|&c| (counts[c], std::cmp::Reverse(c)))
        .unwrap_or(0) as u32
}

/// A trained linear probe.
#[derive(Clone, Debug)]
pub struct LinearProbe {
    mean: Vec<f32>,
    scale: Vec<f32>,
    /// `weights[c * (features + 1) + f]`, the bias last.
    weights: Vec<f32>,
    classes: usize,
}

/// Settings of [`LinearProbe::fit`].
#[derive(Clone, Copy, Debug)]
pub struct ProbeConfig {
    /// Full-batch steps.
    pub epochs: usize,
    /// Adam's step size.
    pub learning_rate: f32,
    /// L2 penalty on the weights (not the biases).
    pub l2: f32,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        ProbeConfig {
            epochs: 300,
            learning_rate: 0.05,
            l2: 1e-3,
        }
    }
}

impl LinearProbe {
    /// Fits softmax regression of `labels` on `x`.
    pub fn fit(x: &Matrix, labels: &[u32], classes: usize, config: &ProbeConfig) -> LinearProbe {
        let (n, f) = (x.rows(), x.cols());
        let mut mean = vec![0.0f32; f];
        let mut scale = vec![0.0f32; f];
        for r in 0..n {
            for (j, m) in mean.iter_mut().enumerate() {
                *m += x.get(r, j) / n.max(1) as f32;
            }
        }
        for r in 0..n {
            for j in 0..f {
                scale[j] += (x.get(r, j) - mean[j]).powi(2) / n.max(1) as f32;
            }
        }
        let scale: Vec<f32> = scale
            .iter()
            .map(|v| if *v > 1e-12 { 1.0 / v.sqrt() } else { 0.0 })
            .collect();
        let mut probe = LinearProbe {
            mean,
            scale,
            weights: vec![0.0; classes * (f + 1)],
            classes,
        };
        let rows: Vec<Vec<f32>> = (0..n).map(|r| probe.standardized(x.row(r))).collect();
        let (mut m1, mut m2) = (
            vec![0.0f32; probe.weights.len()],
            vec![0.0f32; probe.weights.len()],
        );
        let (b1, b2, eps) = (0.9f32, 0.999f32, 1e-8f32);
        let mut grad = vec![0.0f32; probe.weights.len()];
        let mut p = vec![0.0f32; classes];
        for step in 1..=config.epochs {
            grad.iter_mut().for_each(|g| *g = 0.0);
            for (row, &label) in rows.iter().zip(labels) {
                probe.scores(row, &mut p);
                softmax(&mut p);
                for c in 0..classes {
                    let d = (p[c] - f32::from(c as u32 == label)) / n as f32;
                    let w = &mut grad[c * (f + 1)..(c + 1) * (f + 1)];
                    for (g, v) in w.iter_mut().zip(row) {
                        *g += d * v;
                    }
                    w[f] += d;
                }
            }
            for c in 0..classes {
                for j in 0..f {
                    grad[c * (f + 1) + j] += config.l2 * probe.weights[c * (f + 1) + j];
                }
            }
            let (c1, c2) = (1.0 - b1.powi(step as i32), 1.0 - b2.powi(step as i32));
            for i in 0..grad.len() {
                m1[i] = b1 * m1[i] + (1.0 - b1) * grad[i];
                m2[i] = b2 * m2[i] + (1.0 - b2) * grad[i] * grad[i];
                probe.weights[i] -=
                    config.learning_rate * (m1[i] / c1) / ((m2[i] / c2).sqrt() + eps);
            }
        }
        probe
    }

    fn standardized(&self, row: &[f32]) -> Vec<f32> {
        row.iter()
            .zip(&self.mean)
            .zip(&self.scale)
            .map(|((v, m), s)| (v - m) * s)
            .collect()
    }

    fn scores(&self, standardized: &[f32], out: &mut [f32]) {
        let f = standardized.len();
        for (c, o) in out.iter_mut().enumerate().take(self.classes) {
            let w = &self.weights[c * (f + 1)..(c + 1) * (f + 1)];
            *o = w[f]
                + w[..f]
                    .iter()
                    .zip(standardized)
                    .map(|(a, b)| a * b)
                    .sum::<f32>();
        }
    }

    /// The classes' scores of a row (logits: the larger, the likelier).
    pub fn class_scores(&self, row: &[f32]) -> Vec<f32> {
        let mut out = vec![0.0; self.classes];
        self.scores(&self.standardized(row), &mut out);
        out
    }

    /// The most likely class of a row.
    pub fn predict(&self, row: &[f32]) -> u32 {
        let out = self.class_scores(row);
        (0..self.classes)
            .max_by(|&a, &b| out[a].total_cmp(&out[b]))
            .unwrap_or(0) as u32
    }
}
