//! Unigram and bigram baselines on the same tokens and the same scoring rules as the
//! ARDT (the unknown token never counts as right; perplexity over the same classes).
//! The bigram model is interpolated with the unigram by Witten-Bell smoothing.

use std::collections::HashMap;

use serde::Serialize;

use super::model::{ArdtModel, Head};

/// Accuracy and perplexity of one baseline.
#[derive(Clone, Debug, Serialize)]
pub struct BaselineScore {
    /// "unigram" or "bigram".
    pub name: String,
    /// Fraction predicted exactly.
    pub top1: f64,
    /// Fraction among the five best.
    pub top5: f64,
    /// exp(mean negative log-likelihood) over the model's event space.
    pub perplexity: f64,
    /// Parameters: distinct unigrams or distinct bigrams seen.
    pub parameters: usize,
}

/// Unigram and bigram models over event ids (tokens, or a classification head's classes).
pub struct NGram {
    events: usize,
    unigram: Vec<f64>,
    followers: HashMap<u32, HashMap<u32, u64>>,
}

/// Maps a token to the event the model scores: its class for a classification head, the
/// token itself for a regression head.
pub fn event_of(model: &ArdtModel, token: u32) -> u32 {
    match model.head {
        Head::Regress { .. } => token,
        Head::Classify { .. } => model.head.class_of(token) as u32,
    }
}

/// Number of events: classes or tokens.
pub fn event_count(model: &ArdtModel) -> usize {
    match &model.head {
        Head::Regress { .. } => model.tokenizer.vocab_size(),
        Head::Classify { class_tokens } => class_tokens.len(),
    }
}

impl NGram {
    /// Counts unigrams (add-one smoothed) and bigrams over documents of event ids.
    pub fn fit(docs: &[Vec<u32>], events: usize, start: u32) -> NGram {
        let mut counts = vec![1.0; events];
        let mut followers: HashMap<u32, HashMap<u32, u64>> = HashMap::new();
        for doc in docs {
            let mut prev = start;
            for &e in doc {
                counts[e as usize] += 1.0;
                *followers.entry(prev).or_default().entry(e).or_default() += 1;
                prev = e;
            }
        }
        let total: f64 = counts.iter().sum();
        NGram {
            events,
            unigram: counts.iter().map(|c| c / total).collect(),
            followers,
        }
    }

    fn bigram_probs(&self, prev: u32) -> Vec<f64> {
        let Some(f) = self.followers.get(&prev) else {
            return self.unigram.clone();
        };
        let c: u64 = f.values().sum();
        let lambda = c as f64 / (c as f64 + f.len() as f64);
        let mut p: Vec<f64> = self.unigram.iter().map(|u| (1.0 - lambda) * u).collect();
        for (&e, &n) in f {
            p[e as usize] += lambda * n as f64 / c as f64;
        }
        p
    }

    /// Scores both baselines on documents of event ids; `never_right` is an event that
    /// is never predicted and never counts as right (the unknown token or "other").
    pub fn score(
        &self,
        docs: &[Vec<u32>],
        start: u32,
        never_right: Option<u32>,
    ) -> [BaselineScore; 2] {
        let mut sums = [(0.0, 0.0, 0.0); 2];
        let mut n = 0usize;
        let mut cache: HashMap<u32, Vec<f64>> = HashMap::new();
        for doc in docs {
            let mut prev = start;
            for &e in doc {
                let bigram = cache.entry(prev).or_insert_with(|| self.bigram_probs(prev));
                for (s, p) in sums.iter_mut().zip([&self.unigram, &*bigram]) {
                    let target = p[e as usize];
                    let rank = p
                        .iter()
                        .enumerate()
                        .filter(|&(i, &x)| {
                            let ahead = x > target || (x == target && (i as u32) < e);
                            ahead && Some(i as u32) != never_right
                        })
                        .count();
                    let right = Some(e) != never_right;
                    s.0 += (right && rank < 1) as u8 as f64;
                    s.1 += (right && rank < 5) as u8 as f64;
                    s.2 -= target.max(1e-30).ln();
                }
                prev = e;
                n += 1;
            }
        }
        let n = n.max(1) as f64;
        let params = [self.events, self.followers.values().map(HashMap::len).sum()];
        let names = ["unigram", "bigram"];
        std::array::from_fn(|i| BaselineScore {
            name: names[i].into(),
            top1: sums[i].0 / n,
            top5: sums[i].1 / n,
            perplexity: (sums[i].2 / n).exp(),
            parameters: params[i],
        })
    }
}
