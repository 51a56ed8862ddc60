//! The ARDT's features for predicting the next token: the exponentially weighted average
//! of the window's embeddings (recent tokens weigh more), optionally followed by the last
//! `last` embeddings themselves. Positions before a document's start are the end-of-text
//! token's vector (a document begins where the previous one ended).

use serde::{Deserialize, Serialize};

/// Window length, decay and how many raw embeddings to append.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Tokens in the window.
    pub window: usize,
    /// Decay per position: weight `exp(-decay * age)`, age 0 for the latest token.
    pub decay: f32,
    /// Latest embeddings appended after the average (0: the average only, as the paper).
    pub last: usize,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            window: 16,
            decay: 0.5,
            last: 1,
        }
    }
}

impl FeatureConfig {
    /// Feature width for embeddings of width `dim`.
    pub fn width(&self, dim: usize) -> usize {
        dim * (1 + self.last)
    }

    /// The normalised window weights, indexed by age (0 = the latest token).
    pub fn weights(&self) -> Vec<f32> {
        let w: Vec<f32> = (0..self.window.max(1))
            .map(|age| (-self.decay * age as f32).exp())
            .collect();
        let sum: f32 = w.iter().sum();
        w.iter().map(|x| x / sum).collect()
    }

    /// Names of the features: `avg[d]`, then `last1[d]` (the latest token), `last2[d]`...
    pub fn names(&self, dim: usize) -> Vec<String> {
        let mut names: Vec<String> = (0..dim).map(|d| format!("avg[{d}]")).collect();
        for k in 1..=self.last {
            names.extend((0..dim).map(|d| format!("last{k}[{d}]")));
        }
        names
    }

    /// Writes the features for predicting position `t` of a sequence whose per-position
    /// vectors are `vectors` (row-major, width `dim`); `pad` stands for positions before 0.
    pub fn row(
        &self,
        vectors: &[f32],
        dim: usize,
        t: usize,
        pad: &[f32],
        weights: &[f32],
        out: &mut [f32],
    ) {
        let at = |age: usize| -> &[f32] {
            if age < t {
                let p = t - 1 - age;
                &vectors[p * dim..(p + 1) * dim]
            } else {
                pad
            }
        };
        let (avg, rest) = out.split_at_mut(dim);
        avg.iter_mut().for_each(|x| *x = 0.0);
        for (age, &w) in weights.iter().enumerate() {
            for (a, v) in avg.iter_mut().zip(at(age)) {
                *a += w * v;
            }
        }
        for (k, chunk) in rest.chunks_mut(dim).enumerate().take(self.last) {
            chunk.copy_from_slice(at(k));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_tokens_weigh_more_and_padding_fills_the_start() {
        let config = FeatureConfig {
            window: 3,
            decay: 1.0,
            last: 1,
        };
        let w = config.weights();
        assert!(w[0] > w[1] && w[1] > w[2]);
        assert!((w.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        // Vectors 1-D: positions hold 10, 20, 30; pad is 0.
        let vectors = [10.0, 20.0, 30.0];
        let mut out = [0.0; 2];
        config.row(&vectors, 1, 2, &[0.0], &w, &mut out);
        assert!((out[0] - (w[0] * 20.0 + w[1] * 10.0)).abs() < 1e-5);
        assert_eq!(out[1], 20.0, "the latest token is appended");
        config.row(&vectors, 1, 0, &[5.0], &w, &mut out);
        assert!(
            (out[0] - 5.0).abs() < 1e-5 && out[1] == 5.0,
            "all padding: {out:?}"
        );
    }
}
