//! Scoring the next token with a trained model: features of the context, the trees'
//! output, and scores over the vocabulary (cosine to each token's vector for the
//! regression head, log-probabilities for the classification head: a class's, or for a
//! token outside the classes the "other" class's times the tail's).

use super::model::{ArdtModel, Head};
use super::ngram::NGram;
use crate::gbdt::{softmax, CompactForest, Matrix};
use crate::text::Embeddings;

/// A model made ready to score: the unit-length target table or the token-to-class map.
pub struct Predictor<'a> {
    /// The model.
    pub model: &'a ArdtModel,
    decoder: Decoder<'a>,
    weights: Vec<f32>,
    /// The trees flattened for one-row prediction (`None`: too large; the booster walks).
    forest: Option<CompactForest>,
}

enum Decoder<'a> {
    /// The regression head's target vectors: scores are dot products.
    Dot(Embeddings),
    /// `class_of[token]`: the class whose log-probability scores the token (`None`: a
    /// token of the tail), and the tail.
    Classes {
        class_of: Vec<Option<usize>>,
        /// The tail's unigram log-probabilities.
        log_unigram: Vec<f32>,
        /// After each token, the tail's likeliest token but the unknown one and its
        /// log-probability in the tail (for greedy picks).
        likeliest: Vec<Option<(u32, f32)>>,
        /// The prior and its unigram log-probabilities, where the head has one.
        prior: Option<(&'a NGram, Vec<f32>)>,
    },
}

/// Where the target token of a row ranks.
#[derive(Clone, Copy, Debug)]
pub struct Ranked {
    /// Tokens scored strictly higher than the target (0: top-1).
    pub rank: usize,
    /// Negative log-likelihood of the target (classification head only).
    pub nll: Option<f64>,
}

impl<'a> Predictor<'a> {
    /// Prepares `model` for scoring.
    pub fn new(model: &'a ArdtModel) -> Predictor<'a> {
        let decoder = match &model.head {
            Head::Regress { targets } => Decoder::Dot(targets.clone()),
            Head::Classify {
                class_tokens, tail, ..
            } => {
                let mut class_of = vec![None; model.tokenizer.vocab_size()];
                for (k, &t) in class_tokens.iter().enumerate().skip(1) {
                    class_of[t as usize] = Some(k);
                }
                let unk = model.tokenizer.unk();
                let by_unigram = tail.by_unigram();
                let allowed = |t: u32| Some(t) != unk && class_of[t as usize].is_none();
                let likeliest = (0..class_of.len() as u32)
                    .map(|prev| {
                        let best = tail.likeliest_after(prev, &by_unigram, allowed);
                        best.map(|(t, q)| (t, q.max(1e-30).ln() as f32))
                    })
                    .collect();
                Decoder::Classes {
                    class_of,
                    log_unigram: tail.log_unigram(),
                    likeliest,
                    prior: model.head.prior().map(|p| (p, p.log_unigram())),
                }
            }
        };
        Predictor {
            model,
            decoder,
            weights: model.features.weights(),
            forest: CompactForest::new(&model.booster),
        }
    }

    /// The feature row for predicting the token after `context` (a document's tokens from
    /// its start).
    pub fn features(&self, context: &[u32]) -> Vec<f32> {
        let source = self.model.source();
        let dim = source.dim();
        // A contextual source's vector for a token depends on everything before it in the
        // document, as in training: it reads the whole context; a table, only the window.
        let f = &self.model.features;
        let tail = if source.contextual() {
            context
        } else {
            &context[context.len().saturating_sub(f.window.max(f.last))..]
        };
        let vectors = source.embed_sequence(tail);
        let pad = source.embed_sequence(&[self.model.tokenizer.eos()]);
        let mut row = vec![0.0; self.model.features.width(dim)];
        self.model
            .features
            .row(&vectors, dim, tail.len(), &pad, &self.weights, &mut row);
        row
    }

    /// Scores of every token id for the token after `context` (higher is likelier;
    /// `-inf` for tokens the model cannot emit).
    pub fn next_scores(&self, context: &[u32]) -> Vec<f32> {
        let out = self.raw_output(context);
        self.token_scores(&out, self.previous(context))
    }

    /// The token greedy generation emits after `context`: the best-scored one but the
    /// unknown token, as the [`argmax`] of [`Self::next_scores`] (up to rounding). The
    /// classification head finds it without scoring every token: the best class against
    /// the tail's likeliest token.
    pub fn next_greedy(&self, context: &[u32]) -> u32 {
        let unk = self.model.tokenizer.unk();
        let Decoder::Classes { likeliest, .. } = &self.decoder else {
            let mut scores = self.next_scores(context);
            if let Some(u) = unk {
                scores[u as usize] = f32::NEG_INFINITY;
            }
            return argmax(&scores);
        };
        let prev = self.previous(context);
        let log_p = self.class_log_probs_after(&self.raw_output(context), prev);
        let Head::Classify { class_tokens, .. } = &self.model.head else {
            unreachable!("a class decoder has a classification head")
        };
        let best_class = (1..class_tokens.len())
            .map(|k| (class_tokens[k], log_p[k]))
            .max_by(|(a, x), (b, y)| x.total_cmp(y).then(b.cmp(a)));
        let best_tail = likeliest[prev as usize].map(|(t, lp)| (t, log_p[0] + lp));
        best_class
            .into_iter()
            .chain(best_tail)
            .max_by(|(a, x), (b, y)| x.total_cmp(y).then(b.cmp(a)))
            .map_or(self.model.tokenizer.eos(), |(t, _)| t)
    }

    /// The trees' raw output for the token after `context`.
    fn raw_output(&self, context: &[u32]) -> Vec<f32> {
        let mut out = vec![0.0; self.model.booster.outputs()];
        let row = self.features(context);
        match &self.forest {
            Some(f) => f.predict_row(&row, &mut out),
            None => self.model.booster.predict_row(&row, &mut out),
        }
        out
    }

    /// The token before the next one: the context's last, or the end-of-text token.
    fn previous(&self, context: &[u32]) -> u32 {
        context
            .last()
            .copied()
            .unwrap_or(self.model.tokenizer.eos())
    }

    /// The classes' log-probabilities from the trees' raw `output`, added to the prior's
    /// after `prev` where the head has one.
    fn class_log_probs_after(&self, output: &[f32], prev: u32) -> Vec<f32> {
        match &self.decoder {
            Decoder::Classes {
                prior: Some((prior, log_unigram)),
                ..
            } => {
                let margins = prior.bigram_log_probs(prev, log_unigram);
                let sums: Vec<f32> = output.iter().zip(&margins).map(|(o, m)| o + m).collect();
                class_log_probs(&sums)
            }
            _ => class_log_probs(output),
        }
    }

    /// Token scores from the trees' raw output for one row whose previous token is
    /// `prev`.
    fn token_scores(&self, output: &[f32], prev: u32) -> Vec<f32> {
        match &self.decoder {
            Decoder::Dot(table) => {
                // Score what the context adds to the average prediction (the trees' base
                // score, the mean target): without it, tokens whose targets lie along
                // the mean win everywhere.
                let base = &self.model.booster.base;
                let shift: Vec<f32> = output.iter().zip(base).map(|(o, b)| o - b).collect();
                table.dots(&shift)
            }
            Decoder::Classes {
                class_of,
                log_unigram,
                ..
            } => {
                let tail = self.model.head.tail().expect("a class decoder has a tail");
                let tail = tail.bigram_log_probs(prev, log_unigram);
                class_scores(class_of, &self.class_log_probs_after(output, prev), &tail)
            }
        }
    }

    /// Ranks each row's target among the scores of the trees' outputs `outputs` (rows
    /// whose previous tokens are `prevs`); the unknown token is never a candidate (it
    /// cannot be emitted).
    pub fn rank(&self, outputs: &Matrix, targets: &[u32], prevs: &[u32]) -> Vec<Ranked> {
        use rayon::prelude::*;
        (0..targets.len())
            .into_par_iter()
            .map(|r| {
                let mut scores = self.token_scores(outputs.row(r), prevs[r]);
                let nll = match &self.decoder {
                    Decoder::Classes { .. } => Some(-(scores[targets[r] as usize] as f64)),
                    Decoder::Dot(_) => None,
                };
                if let Some(unk) = self.model.tokenizer.unk() {
                    scores[unk as usize] = f32::NEG_INFINITY;
                }
                let t = targets[r] as usize;
                // Ties go to the lower id, as in greedy generation.
                let rank = scores
                    .iter()
                    .enumerate()
                    .filter(|&(i, &s)| s > scores[t] || (s == scores[t] && i < t))
                    .count();
                Ranked { rank, nll }
            })
            .collect()
    }
}

/// The id of the highest finite score, the lower id on ties (0 if none is finite).
pub fn argmax(scores: &[f32]) -> u32 {
    let mut best: Option<(u32, f32)> = None;
    for (t, &s) in scores.iter().enumerate() {
        if s.is_finite() && best.is_none_or(|(_, b)| s > b) {
            best = Some((t as u32, s));
        }
    }
    best.map_or(0, |(t, _)| t)
}

/// Log-probabilities of the classes from the trees' raw outputs (floored at ln 1e-30).
fn class_log_probs(output: &[f32]) -> Vec<f32> {
    let mut p = output.to_vec();
    softmax(&mut p);
    p.iter().map(|x| x.max(1e-30).ln()).collect()
}

/// Each token's log-probability: its class's, or for a token of the tail the "other"
/// class's plus its log-probability in the tail (`tail`, per token).
fn class_scores(class_of: &[Option<usize>], log_p: &[f32], tail: &[f32]) -> Vec<f32> {
    class_of
        .iter()
        .zip(tail)
        .map(|(c, &t)| match c {
            Some(k) => log_p[*k],
            None => log_p[0] + t,
        })
        .collect()
}
