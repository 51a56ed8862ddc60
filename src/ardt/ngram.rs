//! Unigram and bigram models: the baselines, on the same tokens and the same scoring
//! rules as the ARDT (the unknown token never counts as right), and the tail of the
//! classification head (how the tokens outside its classes share the "other" class).
//! The bigram model is interpolated with the unigram by Witten-Bell smoothing.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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

/// Unigram and bigram models over event ids (tokens), possibly over a subset of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NGram {
    events: usize,
    unigram: Vec<f64>,
    followers: HashMap<u32, HashMap<u32, u64>>,
}

impl NGram {
    /// Counts unigrams and bigrams over documents of tokens (`start` precedes each
    /// document's first): the events are `event_of` the tokens, in `0..events`, each
    /// predicted from the token before it. Tokens without an event are not counted
    /// (they may still precede one). Every event of a token id in `0..tokens` gets one
    /// count more (add-one smoothing), so that one never seen in training (the unknown
    /// token, say) still has a probability; events no token maps to have probability 0.
    pub fn fit<'d>(
        docs: impl IntoIterator<Item = &'d Vec<u32>>,
        tokens: usize,
        events: usize,
        start: u32,
        event_of: impl Fn(u32) -> Option<u32>,
    ) -> NGram {
        let mut counts = vec![0.0f64; events];
        for t in 0..tokens as u32 {
            if let Some(e) = event_of(t) {
                counts[e as usize] = 1.0;
            }
        }
        let mut followers: HashMap<u32, HashMap<u32, u64>> = HashMap::new();
        for doc in docs {
            let mut prev = start;
            for &t in doc {
                if let Some(e) = event_of(t) {
                    counts[e as usize] += 1.0;
                    *followers.entry(prev).or_default().entry(e).or_default() += 1;
                }
                prev = t;
            }
        }
        let total: f64 = counts.iter().sum();
        NGram {
            events,
            unigram: counts.iter().map(|c| c / total).collect(),
            followers,
        }
    }

    /// The probability of each event after `prev`: the bigram estimate interpolated with
    /// the unigram, the more so the fewer distinct events followed `prev` (Witten-Bell).
    fn bigram_probs(&self, prev: u32) -> Vec<f64> {
        let Some((f, c, lambda)) = self.after(prev) else {
            return self.unigram.clone();
        };
        let mut p: Vec<f64> = self.unigram.iter().map(|u| (1.0 - lambda) * u).collect();
        for (&e, &n) in f {
            p[e as usize] += lambda * n as f64 / c;
        }
        p
    }

    /// The likeliest event after `prev` among those `allowed`, with its probability (the
    /// argmax of [`Self::bigram_probs`], lower id first on ties). `by_unigram` is
    /// [`Self::by_unigram`]: only `prev`'s followers and the first allowed event that
    /// did not follow it need a look.
    pub fn likeliest_after(
        &self,
        prev: u32,
        by_unigram: &[u32],
        allowed: impl Fn(u32) -> bool,
    ) -> Option<(u32, f64)> {
        let after = self.after(prev);
        let followers = after.map(|(f, _, _)| f);
        let (c, lambda) = after.map_or((1.0, 0.0), |(_, c, lambda)| (c, lambda));
        let p = |e: u32, n: u64| (1.0 - lambda) * self.unigram[e as usize] + lambda * n as f64 / c;
        let unseen = by_unigram
            .iter()
            .copied()
            .find(|&e| allowed(e) && followers.is_none_or(|f| !f.contains_key(&e)))
            .map(|e| (e, 0));
        let seen = followers
            .into_iter()
            .flat_map(|f| f.iter().map(|(&e, &n)| (e, n)));
        seen.filter(|&(e, _)| allowed(e))
            .chain(unseen)
            .map(|(e, n)| (e, p(e, n)))
            .max_by(|(a, pa), (b, pb)| pa.total_cmp(pb).then(b.cmp(a)))
    }

    /// The events in decreasing unigram probability, the lower id first on ties.
    pub fn by_unigram(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.events as u32).collect();
        order.sort_by(|&a, &b| {
            let (ua, ub) = (self.unigram[a as usize], self.unigram[b as usize]);
            ub.total_cmp(&ua).then(a.cmp(&b))
        });
        order
    }

    /// The numbers it stores: one unigram probability per event and one count per
    /// bigram seen.
    pub fn parameters(&self) -> usize {
        self.events + self.followers.values().map(HashMap::len).sum::<usize>()
    }

    /// Checks a model read from a file: one unigram probability per event, followers of
    /// tokens below `tokens`, and followed by events only.
    pub fn check(&self, tokens: usize) -> Result<(), String> {
        if self.unigram.len() != self.events {
            return Err(format!(
                "{} unigram probabilities for {} events",
                self.unigram.len(),
                self.events
            ));
        }
        for (&prev, f) in &self.followers {
            if prev as usize >= tokens {
                return Err(format!("followers of token {prev} of {tokens}"));
            }
            if let Some(&e) = f.keys().find(|&&e| e as usize >= self.events) {
                return Err(format!("event {e} of {}", self.events));
            }
        }
        Ok(())
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.events
    }

    /// The logarithm of each event's unigram probability (floored at ln 1e-30 for the
    /// events never seen).
    pub fn log_unigram(&self) -> Vec<f32> {
        self.unigram
            .iter()
            .map(|&u| u.max(1e-30).ln() as f32)
            .collect()
    }

    /// The logarithms of [`Self::bigram_probs`], from [`Self::log_unigram`]'s: only the
    /// events that followed `prev` need a logarithm of their own, the others are the
    /// unigram's shifted.
    pub fn bigram_log_probs(&self, prev: u32, log_unigram: &[f32]) -> Vec<f32> {
        let Some((f, c, lambda)) = self.after(prev) else {
            return log_unigram.to_vec();
        };
        let shift = (1.0 - lambda).ln() as f32;
        let mut out: Vec<f32> = log_unigram.iter().map(|l| l + shift).collect();
        for (&e, &n) in f {
            let p = (1.0 - lambda) * self.unigram[e as usize] + lambda * n as f64 / c;
            out[e as usize] = p.ln() as f32;
        }
        out
    }

    /// What followed `prev` (counts per event), their total, and the weight of the
    /// bigram estimate against the unigram (Witten-Bell: total / (total + distinct));
    /// `None` if nothing followed it.
    fn after(&self, prev: u32) -> Option<(&HashMap<u32, u64>, f64, f64)> {
        let f = self.followers.get(&prev)?;
        let c = f.values().sum::<u64>() as f64;
        Some((f, c, c / (c + f.len() as f64)))
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
        let params = [self.events, self.parameters() - self.events];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn witten_bell_mixes_bigrams_and_unigrams_over_the_kept_events() {
        // Tokens 0-3, start 3; token 2 has no event (never counted or predicted), the
        // others are their own events; 3 never occurs.
        let docs = vec![vec![0, 1, 0, 1], vec![0, 2, 1]];
        let m = NGram::fit(&docs, 4, 4, 3, |t| (t != 2).then_some(t));
        // Unigram, add-one over the events of tokens 0-3: counts 0:3+1, 1:3+1, 3:0+1 of
        // 9; 2 is no token's event.
        let u = [4.0 / 9.0, 4.0 / 9.0, 0.0, 1.0 / 9.0];
        // After 0: followers {1: 2} (2 is skipped): c = 2, one distinct, lambda 2/3.
        let p = m.bigram_probs(0);
        let want: Vec<f64> = (0..4)
            .map(|e| u[e] / 3.0 + if e == 1 { 2.0 / 3.0 } else { 0.0 })
            .collect();
        for e in 0..4 {
            assert!(
                (p[e] - want[e]).abs() < 1e-12,
                "{e}: {} vs {}",
                p[e],
                want[e]
            );
        }
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let log_u = m.log_unigram();
        let order = m.by_unigram();
        for prev in 0..4 {
            let (e, q) = m.likeliest_after(prev, &order, |e| e != 1).unwrap();
            let p = m.bigram_probs(prev);
            let best = (0..4u32)
                .filter(|&e| e != 1)
                .max_by(|&a, &b| p[a as usize].total_cmp(&p[b as usize]).then(b.cmp(&a)));
            assert_eq!((Some(e), q), (best, p[e as usize]), "after {prev}");
            let lp = m.bigram_log_probs(prev, &log_u);
            for (l, q) in lp.iter().zip(m.bigram_probs(prev)) {
                assert!((l.exp() as f64 - q).abs() < 1e-6);
            }
        }
    }
}
