//! word2vec: skip-gram with negative sampling (Mikolov et al. 2013), trained by janus.
//!
//! Parallel and deterministic: each sync step, every shard trains its own copy of the
//! weights on its slice of the token stream (rayon), and the master adds up the shards'
//! changes. The number of shards, not the number of threads, fixes the result, so the
//! same seed gives the same vectors on any machine.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::io::{write_atomic, Fnv1a};
use crate::text::{dot, Embeddings};

/// word2vec hyperparameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Word2VecParams {
    /// Vector width.
    pub dim: usize,
    /// Largest distance between a word and a context word.
    pub window: usize,
    /// Negative samples per context word.
    pub negative: usize,
    /// Passes over the corpus.
    pub epochs: usize,
    /// Starting learning rate (decays linearly to almost zero).
    pub learning_rate: f32,
    /// Frequent-word subsampling threshold (0: none).
    pub subsample: f64,
    /// Shards trained in parallel between syncs.
    pub shards: usize,
    /// Tokens each shard trains on between syncs.
    pub sync_tokens: usize,
    /// Seed of the initial vectors and every sample.
    pub seed: u64,
}

impl Default for Word2VecParams {
    fn default() -> Self {
        Word2VecParams {
            dim: 64,
            window: 5,
            negative: 5,
            epochs: 5,
            learning_rate: 0.025,
            subsample: 1e-4,
            shards: 4,
            sync_tokens: 50_000,
            seed: 0,
        }
    }
}

/// Input and output vectors.
#[derive(Clone)]
struct Weights {
    input: Vec<f32>,
    output: Vec<f32>,
}

/// What does not change during training.
struct Setup<'a> {
    tokens: &'a [u32],
    params: &'a Word2VecParams,
    /// Probability of keeping each token (frequent-word subsampling).
    keep: Vec<f32>,
    /// Unigram^0.75 table for negative samples.
    noise: Vec<u32>,
}

/// Trains vectors for token ids `0..vocab_size` on a token stream.
pub fn train(
    tokens: &[u32],
    vocab_size: usize,
    params: &Word2VecParams,
    on_epoch: &mut dyn FnMut(usize),
) -> Embeddings {
    let dim = params.dim;
    let mut counts = vec![0u64; vocab_size];
    for &t in tokens {
        counts[t as usize] += 1;
    }
    let setup = Setup {
        tokens,
        params,
        keep: keep_probabilities(&counts, params.subsample),
        noise: noise_table(&counts),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut master = Weights {
        input: (0..vocab_size * dim)
            .map(|_| (rng.gen::<f32>() - 0.5) / dim as f32)
            .collect(),
        output: vec![0.0; vocab_size * dim],
    };
    let shards = params.shards.max(1);
    let step = params.sync_tokens.max(1) * shards;
    let total = (tokens.len() * params.epochs).max(1);
    for epoch in 0..params.epochs {
        for (s, start) in (0..tokens.len()).step_by(step).enumerate() {
            let copies: Vec<Weights> = (0..shards)
                .into_par_iter()
                .map(|shard| {
                    let from = (start + shard * params.sync_tokens).min(tokens.len());
                    let to = (from + params.sync_tokens).min(tokens.len());
                    let mut w = master.clone();
                    let seed_stream = ((epoch as u64) << 40) | ((s as u64) << 8) | shard as u64;
                    let done = epoch * tokens.len() + from;
                    train_range(
                        &setup,
                        &mut w,
                        from..to,
                        seed_stream,
                        done as f64 / total as f64,
                    );
                    w
                })
                .collect();
            merge(&mut master, &copies);
        }
        on_epoch(epoch + 1);
    }
    Embeddings::new(dim, master.input)
}

/// Adds every copy's change to the master weights.
fn merge(master: &mut Weights, copies: &[Weights]) {
    let sum_changes = |m: &mut [f32], pick: fn(&Weights) -> &[f32]| {
        m.par_chunks_mut(4096).enumerate().for_each(|(c, chunk)| {
            let base = c * 4096;
            for (i, x) in chunk.iter_mut().enumerate() {
                let old = *x;
                *x = old + copies.iter().map(|w| pick(w)[base + i] - old).sum::<f32>();
            }
        })
    };
    sum_changes(&mut master.input, |w| &w.input);
    sum_changes(&mut master.output, |w| &w.output);
}

fn keep_probabilities(counts: &[u64], threshold: f64) -> Vec<f32> {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| {
            if threshold <= 0.0 || c == 0 {
                return 1.0;
            }
            let f = c as f64 / total as f64;
            (((f / threshold).sqrt() + 1.0) * threshold / f).min(1.0) as f32
        })
        .collect()
}

fn noise_table(counts: &[u64]) -> Vec<u32> {
    let size = (counts.len() * 20).max(1_000_000);
    let weights: Vec<f64> = counts.iter().map(|&c| (c as f64).powf(0.75)).collect();
    let total: f64 = weights.iter().sum::<f64>().max(1e-12);
    let mut table = Vec::with_capacity(size);
    let mut cumulative = 0.0;
    for (id, w) in weights.iter().enumerate() {
        cumulative += w / total;
        while (table.len() as f64) < cumulative * size as f64 && table.len() < size {
            table.push(id as u32);
        }
    }
    let last = counts.len().saturating_sub(1) as u32;
    table.resize(size, last);
    table
}

/// One shard's pass over `range` of the stream.
fn train_range(
    setup: &Setup,
    w: &mut Weights,
    range: std::ops::Range<usize>,
    stream: u64,
    progress: f64,
) {
    let p = setup.params;
    let dim = p.dim;
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    rng.set_stream(stream);
    let total = (setup.tokens.len() * p.epochs).max(1) as f64;
    let mut grad = vec![0.0f32; dim];
    let n = setup.tokens.len();
    for (i, pos) in range.clone().enumerate() {
        let word = setup.tokens[pos];
        if rng.gen::<f32>() >= setup.keep[word as usize] {
            continue;
        }
        let done = progress + i as f64 / total;
        let alpha = p.learning_rate * (1.0 - done as f32).max(1e-4);
        let reach = p.window - rng.gen_range(0..p.window.max(1));
        for ctx_pos in pos.saturating_sub(reach)..(pos + reach + 1).min(n) {
            if ctx_pos == pos {
                continue;
            }
            let ctx = setup.tokens[ctx_pos] as usize;
            grad.iter_mut().for_each(|g| *g = 0.0);
            for d in 0..=p.negative {
                let (target, label) = if d == 0 {
                    (word as usize, 1.0)
                } else {
                    let t = setup.noise[rng.gen_range(0..setup.noise.len())] as usize;
                    if t == word as usize {
                        continue;
                    }
                    (t, 0.0)
                };
                let input = &w.input[ctx * dim..(ctx + 1) * dim];
                let output = &mut w.output[target * dim..(target + 1) * dim];
                let f = dot(input, output);
                let g = (label - 1.0 / (1.0 + (-f).exp())) * alpha;
                for k in 0..dim {
                    grad[k] += g * output[k];
                    output[k] += g * input[k];
                }
            }
            for (x, g) in w.input[ctx * dim..(ctx + 1) * dim].iter_mut().zip(&grad) {
                *x += g;
            }
        }
    }
}

/// FNV-1a over the token stream, the vocabulary size and the parameters: the cache key.
fn cache_key(tokens: &[u32], vocab_size: usize, params: &Word2VecParams) -> u64 {
    let mut h = Fnv1a::default();
    h.eat_tokens(tokens);
    h.eat(&(vocab_size as u64).to_le_bytes());
    h.eat(
        serde_json::to_string(params)
            .expect("params serialise")
            .as_bytes(),
    );
    h.finish()
}

/// The vectors a cache file holds: a CRC-32 of the payload, then the table, which must
/// check out (see [`Embeddings::check`]) with `vocab_size` vectors. `None` when damaged.
fn cached(bytes: &[u8], vocab_size: usize) -> Option<Embeddings> {
    let (crc, payload) = bytes.split_first_chunk::<4>()?;
    if crc32fast::hash(payload) != u32::from_le_bytes(*crc) {
        return None;
    }
    let e: Embeddings = bincode::deserialize(payload).ok()?;
    e.check(vocab_size).ok().map(|_| e)
}

/// Like `train`, but reuses vectors cached in `cache_dir` for the same tokens, vocabulary
/// size and parameters, and caches new ones there. Returns the vectors and whether they
/// came from the cache.
pub fn train_cached(
    tokens: &[u32],
    vocab_size: usize,
    params: &Word2VecParams,
    cache_dir: &Path,
    on_epoch: &mut dyn FnMut(usize),
) -> std::io::Result<(Embeddings, bool)> {
    let path = cache_dir.join(format!(
        "word2vec-v2-{:016x}.bin",
        cache_key(tokens, vocab_size, params)
    ));
    if let Ok(bytes) = std::fs::read(&path) {
        match cached(&bytes, vocab_size) {
            Some(e) => return Ok((e, true)),
            None => eprintln!(
                "janus: {}: a damaged word2vec cache; training again",
                path.display()
            ),
        }
    }
    let e = train(tokens, vocab_size, params, on_epoch);
    let payload = bincode::serialize(&e).expect("embeddings serialise");
    let mut bytes = crc32fast::hash(&payload).to_le_bytes().to_vec();
    bytes.extend(payload);
    write_atomic(&path, &bytes)?;
    Ok((e, false))
}
