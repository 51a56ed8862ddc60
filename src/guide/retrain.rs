//! A guide that grows with a library (`janus grow --guide M --retrain-guide`): after each
//! iteration the guide takes the new abstractions into its vocabulary and is fine-tuned on
//! the programs the wakes found (replays, as DreamCoder's sleep trains its recognition
//! model on them) and on random programs of the grown DSL (its dreams). The guide of every
//! iteration is kept in the state folder, so a resumed run searches with the same one.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::model::{GuideModel, ModelError};
use super::policy::NeuralPolicy;
use super::teacher::{DemoConfig, Step};
use super::train::{optimizer, supervision, train_epoch, training_samples};
use crate::domains::{Domain, PrimPrior, Sample};
use crate::grow::{Grow, GrowError};
use crate::task::Task;

/// Mixed into the dreams' seed, so that they are not replayed as the replays are.
const DREAM_SEED: u64 = 0xd2ea_3500;

/// The most a replayed step weighs in the loss against a dream's.
const MAX_REPLAY_WEIGHT: f32 = 10.0;

/// How a guide is fine-tuned after an iteration.
#[derive(Clone, Debug, PartialEq)]
pub struct RetrainConfig {
    /// Optimizer steps (batches) at least: as many passes over the replays and dreams as
    /// that takes, one at least. Few replays still move a confident guide.
    pub batches: usize,
    /// Random programs of the grown DSL trained on beside the replays, so that the guide
    /// keeps what it knew (DreamCoder's dreams).
    pub dreams: usize,
    /// The dreams' depths, spread evenly.
    pub depths: Vec<usize>,
    /// Adam's learning rate.
    pub lr: f64,
    /// Batch size.
    pub batch: usize,
    /// How programs are replayed as steps.
    pub demo: DemoConfig,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for RetrainConfig {
    fn default() -> Self {
        RetrainConfig {
            batches: super::RETRAIN_BATCHES,
            dreams: super::RETRAIN_DREAMS,
            depths: vec![1, 2, 3],
            lr: 1e-3,
            batch: 128,
            demo: DemoConfig {
                backward: 0.8,
                distractors: 0.0,
            },
            seed: 0,
        }
    }
}

/// What a fine-tuning did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retrained {
    /// The iteration after which it ran.
    pub iteration: usize,
    /// Programs found by the wakes, replayed.
    pub replays: usize,
    /// Random programs of the grown DSL.
    pub dreams: usize,
    /// Supervised steps they made.
    pub steps: usize,
    /// Ops in the new vocabulary, and how many of them were new.
    pub ops: usize,
    /// Ops the guide had no weights for before.
    pub new_ops: usize,
    /// The last epoch's mean loss.
    pub loss: f64,
    /// Seconds it took.
    pub seconds: f64,
}

/// Why the guide of a grow run cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum GuideGrowError {
    /// The run's state.
    #[error(transparent)]
    Grow(#[from] GrowError),
    /// A model file.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// `model` with `domain`'s ops in its vocabulary, fine-tuned on `replays` and on
/// `config.dreams` random programs of `domain` (ARC's run on the inputs of `grids`).
pub fn retrain(
    model: &GuideModel,
    domain: Domain,
    replays: &[Sample],
    grids: &[Task],
    config: &RetrainConfig,
) -> (GuideModel, Retrained) {
    let start = Instant::now();
    let grown = model.with_vocabulary_of(domain, config.seed);
    let new_ops = grown.ops.missing_from(&model.ops).len();
    let prior = dream_prior(&grown.domain, replays);
    let dreams = training_samples(
        &grown.domain,
        config.dreams,
        &config.depths,
        &[],
        grids,
        Some(&prior),
        config.seed,
    );
    let steps = replay_and_dream_steps(&grown, replays, &dreams, config.demo, config.seed);
    let mut opt = optimizer(&grown, config.lr);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let (mut loss, mut batches) = (f64::NAN, 0);
    while batches < config.batches.max(1) && !steps.is_empty() {
        let mut count = || batches += 1;
        loss = train_epoch(&grown, &mut opt, &steps, config.batch, &mut rng, &mut count);
    }
    let report = Retrained {
        iteration: 0,
        replays: replays.len(),
        dreams: dreams.len(),
        steps: steps.len(),
        ops: grown.ops.len(),
        new_ops,
        loss,
        seconds: start.elapsed().as_secs_f64(),
    };
    (grown, report)
}

/// DreamCoder's dreams draw primitives the way the solutions use them: the prior of
/// `domain`'s primitives fitted to the replays' programs.
pub fn dream_prior(domain: &Domain, replays: &[Sample]) -> PrimPrior {
    PrimPrior::fitted(&domain.registry, replays.iter().map(|s| &s.program))
}

/// The supervised steps of `replays` and `dreams` together. A replayed step weighs more
/// in the loss the fewer steps the replays make beside the dreams, up to
/// `MAX_REPLAY_WEIGHT` times a dream's (more would fit a few programs at the cost of all
/// the rest).
pub fn replay_and_dream_steps(
    model: &GuideModel,
    replays: &[Sample],
    dreams: &[Sample],
    demo: DemoConfig,
    seed: u64,
) -> Vec<Step> {
    let mut steps = supervision(model, replays, demo, seed);
    let dream_steps = supervision(model, dreams, demo, seed ^ DREAM_SEED);
    let ratio = dream_steps.len() as f32 / steps.len().max(1) as f32;
    let weight = ratio.clamp(1.0, MAX_REPLAY_WEIGHT);
    for s in &mut steps {
        s.weight = weight;
    }
    steps.extend(dream_steps);
    steps
}

/// The guide of a grow run: the one it started with, and with `--retrain-guide` the one
/// fine-tuned after each iteration, kept as `guide-K.safetensors` in the state folder.
pub struct GrowGuide<'a> {
    grow: &'a Grow<'a>,
    initial: PathBuf,
    device: tch::Device,
    config: RetrainConfig,
}

impl<'a> GrowGuide<'a> {
    /// The guide of `grow`, starting from the model file `initial`, run on `device`.
    pub fn new(
        grow: &'a Grow<'a>,
        initial: &Path,
        device: tch::Device,
        config: RetrainConfig,
    ) -> GrowGuide<'a> {
        GrowGuide {
            grow,
            initial: initial.to_path_buf(),
            device,
            config,
        }
    }

    /// The policy the wake after `k` iterations searches with, on `jobs` threads, and
    /// the model file it was read from.
    pub fn policy_after(
        &self,
        k: usize,
        jobs: usize,
    ) -> Result<(PathBuf, NeuralPolicy), GuideGrowError> {
        let domain = self.grow.domain_after(k)?;
        let path = self.model_after(k)?.0;
        let policy = NeuralPolicy::load(&path, self.device, jobs, &|_| domain.clone())?;
        Ok((path, policy))
    }

    /// The model file after `k` iterations, fine-tuned now (and those before it) where the
    /// run retrains and the state folder lacks it; with what the fine-tuning did, if it
    /// ran.
    pub fn model_after(&self, k: usize) -> Result<(PathBuf, Option<Retrained>), GuideGrowError> {
        if k == 0 || !self.grow.settings().retrain_guide {
            return Ok((self.initial.clone(), None));
        }
        let path = self.grow.state().guide(k);
        if path.exists() {
            return Ok((path, None));
        }
        let before = self.model_after(k - 1)?.0;
        let domain = self.grow.domain_after(k)?;
        let model = GuideModel::load_in(&before, self.device, &|_| domain.clone())?;
        let replays = self.grow.replays(k, &domain)?;
        let config = RetrainConfig {
            seed: self.config.seed.wrapping_add(k as u64),
            ..self.config.clone()
        };
        let threads = tch::get_num_threads();
        tch::set_num_threads(std::thread::available_parallelism().map_or(1, |n| n.get() as i32));
        let (tuned, mut report) = retrain(&model, domain, &replays, self.grow.tasks(), &config);
        tch::set_num_threads(threads);
        report.iteration = k;
        tuned.save(&path)?;
        Ok((path, Some(report)))
    }
}
