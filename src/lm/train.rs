//! Training the decoder (AdamW, linear warmup then cosine decay, gradient clipping,
//! periodic checkpoints), and scoring it by the ARDT's rules: next-token top-1/top-5 on
//! held-out documents (each read after an end-of-text token; the unknown token is never
//! predicted and never right), perplexity, and generation.

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use tch::nn::OptimizerConfig;
use tch::{nn, Kind, Tensor};

use super::model::{GptFileError, GptModel};

/// Optimisation settings.
#[derive(Clone, Debug)]
pub struct LmTrainConfig {
    /// Optimiser steps.
    pub steps: usize,
    /// Sequences per step.
    pub batch: usize,
    /// Peak learning rate.
    pub learning_rate: f64,
    /// Steps of linear warmup.
    pub warmup: usize,
    /// AdamW weight decay.
    pub weight_decay: f64,
    /// Largest gradient norm.
    pub clip: f64,
    /// Seed of the sampled windows.
    pub seed: u64,
    /// Write the model here every `checkpoint_every` steps.
    pub checkpoint: Option<(PathBuf, usize)>,
}

/// The learning rate at `step`: linear warmup, then cosine decay to a tenth.
pub fn learning_rate(c: &LmTrainConfig, step: usize) -> f64 {
    if step < c.warmup {
        return c.learning_rate * (step + 1) as f64 / c.warmup as f64;
    }
    let progress = (step - c.warmup) as f64 / (c.steps - c.warmup).max(1) as f64;
    c.learning_rate * (0.1 + 0.9 * 0.5 * (1.0 + (std::f64::consts::PI * progress.min(1.0)).cos()))
}

/// Trains on random windows of `stream` (documents joined, each ended by end-of-text);
/// `on_step(step, loss)` after every step.
pub fn train(
    model: &mut GptModel,
    stream: &[u32],
    c: &LmTrainConfig,
    on_step: &mut dyn FnMut(usize, f64),
) -> Result<(), GptFileError> {
    let t = model.gpt.config.context as usize;
    assert!(
        stream.len() > t + 1,
        "the training stream is shorter than one window"
    );
    let device = model.vs.device();
    let mut opt = nn::AdamW {
        wd: c.weight_decay,
        ..Default::default()
    }
    .build(&model.vs, c.learning_rate)
    .expect("AdamW builds");
    let mut rng = ChaCha8Rng::seed_from_u64(c.seed);
    for step in 0..c.steps {
        let mut inputs = Vec::with_capacity(c.batch * t);
        let mut targets = Vec::with_capacity(c.batch * t);
        for _ in 0..c.batch {
            let s = rng.gen_range(0..stream.len() - t - 1);
            inputs.extend(stream[s..s + t].iter().map(|&x| x as i64));
            targets.extend(stream[s + 1..s + t + 1].iter().map(|&x| x as i64));
        }
        let shape = [c.batch as i64, t as i64];
        let x = Tensor::from_slice(&inputs).view(shape).to_device(device);
        let y = Tensor::from_slice(&targets).view([-1]).to_device(device);
        let logits = model.gpt.forward(&x);
        let loss = logits
            .view([-1, model.gpt.config.vocab])
            .cross_entropy_for_logits(&y);
        opt.set_lr(learning_rate(c, step));
        opt.zero_grad();
        loss.backward();
        opt.clip_grad_norm(c.clip);
        opt.step();
        model.steps += 1;
        on_step(step + 1, loss.double_value(&[]));
        if let Some((path, every)) = &c.checkpoint {
            if (step + 1) % every == 0 || step + 1 == c.steps {
                model.save(path)?;
            }
        }
    }
    Ok(())
}

/// Held-out next-token figures.
#[derive(Clone, Debug, Serialize)]
pub struct LmEvaluation {
    /// Tokens predicted.
    pub tokens: usize,
    /// Fraction predicted exactly.
    pub top1: f64,
    /// Fraction among the five best.
    pub top5: f64,
    /// exp(mean negative log-likelihood) over the whole vocabulary.
    pub perplexity: f64,
}

/// Scores every token of `docs` (each doc ends with end-of-text and is read after one),
/// in windows of the context length, at most `max_tokens` tokens.
pub fn evaluate(model: &GptModel, docs: &[Vec<u32>], max_tokens: Option<usize>) -> LmEvaluation {
    let t = model.gpt.config.context as usize;
    let eos = model.tokenizer.eos();
    let unk = model.tokenizer.unk();
    let (mut n, mut hit1, mut hit5, mut nll) = (0usize, 0usize, 0usize, 0.0f64);
    'docs: for doc in docs {
        let mut seq = vec![eos];
        seq.extend(doc);
        for start in (0..doc.len()).step_by(t) {
            let end = (start + t).min(doc.len());
            let input: Vec<i64> = seq[start..end].iter().map(|&x| x as i64).collect();
            let target = &doc[start..end];
            let (h1, h5, l) = tch::no_grad(|| score_window(model, &input, target, unk));
            hit1 += h1;
            hit5 += h5;
            nll += l;
            n += target.len();
            if max_tokens.is_some_and(|m| n >= m) {
                break 'docs;
            }
        }
    }
    let n_f = n.max(1) as f64;
    LmEvaluation {
        tokens: n,
        top1: hit1 as f64 / n_f,
        top5: hit5 as f64 / n_f,
        perplexity: (nll / n_f).exp(),
    }
}

/// Top-1 hits, top-5 hits and summed negative log-likelihood of one window.
fn score_window(
    model: &GptModel,
    input: &[i64],
    target: &[u32],
    unk: Option<u32>,
) -> (usize, usize, f64) {
    let device = model.vs.device();
    let x = Tensor::from_slice(input).view([1, -1]).to_device(device);
    let logits = model
        .gpt
        .forward(&x)
        .squeeze_dim(0)
        .to_kind(Kind::Float)
        .to_device(tch::Device::Cpu);
    let log_p = logits.log_softmax(-1, Kind::Float);
    let y = Tensor::from_slice(&target.iter().map(|&v| v as i64).collect::<Vec<_>>());
    let nll = -log_p
        .gather(1, &y.view([-1, 1]), false)
        .sum(Kind::Double)
        .double_value(&[]);
    let ranked = logits.shallow_clone();
    if let Some(u) = unk {
        let _ = ranked.narrow(1, u as i64, 1).fill_(f64::NEG_INFINITY);
    }
    let top = ranked.topk(5, -1, true, true).1;
    let top: Vec<i64> = Vec::<i64>::try_from(top.flatten(0, -1)).expect("indices");
    let (mut h1, mut h5) = (0, 0);
    for (i, &tok) in target.iter().enumerate() {
        if Some(tok) == unk {
            continue;
        }
        let row = &top[i * 5..i * 5 + 5];
        h1 += (row[0] == tok as i64) as usize;
        h5 += row.contains(&(tok as i64)) as usize;
    }
    (h1, h5, nll)
}

/// Greedy continuation of `prompt` by up to `n` tokens (stops at end-of-text; never emits
/// the unknown token).
pub fn generate(model: &GptModel, prompt: &[u32], n: usize) -> Vec<u32> {
    let t = model.gpt.config.context as usize;
    let mut context: Vec<u32> = std::iter::once(model.tokenizer.eos())
        .chain(prompt.iter().copied())
        .collect();
    let mut out = Vec::new();
    tch::no_grad(|| {
        for _ in 0..n {
            let window: Vec<i64> = context[context.len().saturating_sub(t)..]
                .iter()
                .map(|&x| x as i64)
                .collect();
            let x = Tensor::from_slice(&window)
                .view([1, -1])
                .to_device(model.vs.device());
            let last = model
                .gpt
                .forward(&x)
                .select(1, -1)
                .squeeze_dim(0)
                .to_device(tch::Device::Cpu);
            if let Some(u) = model.tokenizer.unk() {
                let _ = last.narrow(0, u as i64, 1).fill_(f64::NEG_INFINITY);
            }
            let next = last.argmax(0, false).int64_value(&[]) as u32;
            out.push(next);
            if next == model.tokenizer.eos() {
                break;
            }
            context.push(next);
        }
    });
    out
}
