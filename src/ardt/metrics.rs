//! Held-out evaluation (next-token accuracy, perplexity) and statistics of generated text.

use std::time::Instant;

use serde::Serialize;

use super::dataset::model_rows;
use super::predictor::Predictor;
use crate::text::Tokenizer;
use crate::text::{Corpus, CorpusError};

/// Next-token accuracy and perplexity on held-out text.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// Tokens predicted.
    pub tokens: usize,
    /// Fraction predicted exactly (the unknown token never counts as right).
    pub top1: f64,
    /// Fraction among the five best.
    pub top5: f64,
    /// exp(mean negative log-likelihood) over every token (the classification head's;
    /// none for the regression head).
    pub perplexity: Option<f64>,
}

/// Evaluates `predictor` on every token of `corpus` (at most `max_rows`).
pub fn evaluate(
    predictor: &Predictor,
    corpus: &Corpus,
    max_rows: Option<usize>,
) -> Result<Evaluation, CorpusError> {
    let model = predictor.model;
    let data = model_rows(model, corpus, max_rows)?;
    let outputs = model.booster.predict(&data.x);
    let ranked = predictor.rank(&outputs, &data.next, &data.prev);
    let n = ranked.len().max(1) as f64;
    let unk = model.tokenizer.unk();
    let hit = |k: usize| {
        ranked
            .iter()
            .zip(&data.next)
            .filter(|(r, &t)| r.rank < k && Some(t) != unk)
            .count() as f64
            / n
    };
    let nll: Option<f64> = ranked.iter().map(|r| r.nll).sum::<Option<f64>>();
    Ok(Evaluation {
        tokens: ranked.len(),
        top1: hit(1),
        top5: hit(5),
        perplexity: nll.map(|s| (s / n).exp()),
    })
}

/// Distinct n-grams over all n-grams of `tokens` (1.0: no n-gram repeats).
pub fn distinct(tokens: &[u32], n: usize) -> f64 {
    if tokens.len() < n || n == 0 {
        return 1.0;
    }
    let grams: Vec<&[u32]> = tokens.windows(n).collect();
    let unique: std::collections::HashSet<&[u32]> = grams.iter().copied().collect();
    unique.len() as f64 / grams.len() as f64
}

/// Fraction of `tokens`' 4-grams that already occurred earlier in it (0.0: no loops).
pub fn repetition(tokens: &[u32]) -> f64 {
    1.0 - distinct(tokens, 4)
}

/// Prompts of `janus ardt eval` when none are given.
pub const DEFAULT_PROMPTS: [&str; 3] = [
    "Once upon a time",
    "The president said that",
    "In the morning, she",
];

/// One generation and how fast it ran.
#[derive(Clone, Debug, Serialize)]
pub struct Generation {
    /// The prompt it continued.
    pub prompt: String,
    /// What it generated, decoded.
    pub text: String,
    /// Tokens generated.
    pub tokens: usize,
    /// Seconds it took.
    pub seconds: f64,
    /// Tokens per second.
    pub tokens_per_second: f64,
    /// Distinct bigrams among its bigrams.
    pub distinct_2: f64,
    /// Share of repeated 4-grams.
    pub repetition_4: f64,
}

impl Generation {
    /// Times `run` (which continues `prompt`) and measures what it generated.
    pub fn timed(
        prompt: &str,
        tokenizer: &Tokenizer,
        run: impl FnOnce() -> Vec<u32>,
    ) -> Generation {
        let start = Instant::now();
        let out = run();
        let seconds = start.elapsed().as_secs_f64().max(1e-9);
        Generation {
            prompt: prompt.to_string(),
            text: tokenizer.decode(&out),
            tokens: out.len(),
            seconds,
            tokens_per_second: out.len() as f64 / seconds,
            distinct_2: distinct(&out, 2),
            repetition_4: repetition(&out),
        }
    }
}

/// The generation part of a report: mean distinct-2 and repetition-4, tokens per second
/// over all samples, and the samples.
pub fn generation_report(gens: &[Generation]) -> serde_json::Value {
    let mean =
        |f: fn(&Generation) -> f64| gens.iter().map(f).sum::<f64>() / gens.len().max(1) as f64;
    let tokens: usize = gens.iter().map(|g| g.tokens).sum();
    let seconds: f64 = gens.iter().map(|g| g.seconds).sum();
    serde_json::json!({
        "distinct_2": mean(|g| g.distinct_2),
        "repetition_4": mean(|g| g.repetition_4),
        "tokens_per_second": tokens as f64 / seconds.max(1e-9),
        "samples": gens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_and_repetition_count_repeated_grams() {
        assert_eq!(distinct(&[1, 2, 3, 4], 2), 1.0);
        assert_eq!(distinct(&[1, 2, 1, 2, 1], 2), 0.5);
        assert_eq!(repetition(&[1, 2, 3, 4, 1, 2, 3, 4]), 1.0 - 4.0 / 5.0);
        assert_eq!(repetition(&[1, 2, 3]), 0.0);
    }
}
