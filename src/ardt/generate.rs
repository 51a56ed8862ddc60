//! Auto-regressive generation: score the next token, pick it (greedy, or sampled with a
//! temperature among the top k), append it, repeat. Stops at the end-of-text token.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::predictor::Predictor;

/// How the next token is picked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampling {
    /// 0: greedy; else sample from softmax(score / temperature).
    pub temperature: f32,
    /// Sample among the k best tokens only.
    pub top_k: usize,
    /// Seed of the samples.
    pub seed: u64,
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            temperature: 0.0,
            top_k: 40,
            seed: 0,
        }
    }
}

/// Generates up to `n` tokens after `prompt` (the prompt is not returned). The unknown
/// token is never emitted.
pub fn generate(predictor: &Predictor, prompt: &[u32], n: usize, sampling: &Sampling) -> Vec<u32> {
    let mut rng = ChaCha8Rng::seed_from_u64(sampling.seed);
    let tokenizer = &predictor.model.tokenizer;
    let mut context = prompt.to_vec();
    // Reserved for a usual length only: `n` is a bound, and may be far past any memory.
    let mut out = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        let next = if sampling.temperature <= 0.0 {
            predictor.next_greedy(&context)
        } else {
            let mut scores = predictor.next_scores(&context);
            if let Some(unk) = tokenizer.unk() {
                scores[unk as usize] = f32::NEG_INFINITY;
            }
            pick(&scores, sampling, &mut rng)
        };
        out.push(next);
        if next == tokenizer.eos() {
            break;
        }
        context.push(next);
    }
    out
}

/// Samples a token from softmax(score / temperature) among the k best (temperature > 0).
fn pick(scores: &[f32], sampling: &Sampling, rng: &mut ChaCha8Rng) -> u32 {
    // Higher score first; the lower id on ties.
    let order = |a: &u32, b: &u32| {
        scores[*b as usize]
            .total_cmp(&scores[*a as usize])
            .then(a.cmp(b))
    };
    let mut ranked: Vec<u32> = (0..scores.len() as u32)
        .filter(|&t| scores[t as usize].is_finite())
        .collect();
    if ranked.len() <= 1 {
        return ranked.first().copied().unwrap_or(0);
    }
    let k = sampling.top_k.clamp(1, ranked.len());
    if k < ranked.len() {
        ranked.select_nth_unstable_by(k - 1, order);
        ranked.truncate(k);
    }
    ranked.sort_by(order);
    let best = scores[ranked[0] as usize];
    let weights: Vec<f64> = ranked
        .iter()
        .map(|&t| (((scores[t as usize] - best) / sampling.temperature) as f64).exp())
        .collect();
    let mut x = rng.gen::<f64>() * weights.iter().sum::<f64>();
    for (t, w) in ranked.iter().zip(&weights) {
        x -= w;
        if x <= 0.0 {
            return *t;
        }
    }
    *ranked.last().unwrap()
}
