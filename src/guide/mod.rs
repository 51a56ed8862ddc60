//! Neural guidance: policy networks that choose the search's next action.
//!
//! The parts without libtorch (the op vocabulary, what the network sees, random training
//! programs and their step-by-step supervision) build always; the network, its training
//! and the policy that searches with it need the feature `torch`.

mod encode;
mod ops;
mod teacher;

#[cfg(feature = "torch")]
mod cnn;
#[cfg(feature = "torch")]
mod model;
#[cfg(feature = "torch")]
mod net;
#[cfg(feature = "torch")]
mod policy;
#[cfg(feature = "torch")]
mod prior;
#[cfg(feature = "torch")]
mod retrain;
#[cfg(feature = "torch")]
mod train;

pub use crate::domains::{Program, Sample};

/// Optimizer steps of a guide's fine-tuning in a grow run, by default (`RetrainConfig`).
pub const RETRAIN_BATCHES: usize = 200;

/// Random programs a guide's fine-tuning in a grow run trains on, by default.
pub const RETRAIN_DREAMS: usize = 500;
pub use encode::{ActionMasks, ActionView, EncodedState, ValueEncoding};
pub use ops::{Op, OpSet};
pub use teacher::{demonstrate, DemoConfig, Step};

#[cfg(feature = "torch")]
pub use model::{GuideModel, ModelError};
#[cfg(feature = "torch")]
pub use net::{NetShape, PolicyNet};
#[cfg(feature = "torch")]
pub use policy::NeuralPolicy;
#[cfg(feature = "torch")]
pub use prior::{default_guided, GuidedHeuristic, PriorSource};
#[cfg(feature = "torch")]
pub use retrain::{
    dream_prior, replay_and_dream_steps, retrain, GrowGuide, GuideGrowError, RetrainConfig,
    Retrained,
};
#[cfg(feature = "torch")]
pub use train::{
    max_actions, optimizer, reinforce_epoch, run_episodes, supervision, train_epoch,
    training_samples, Episode,
};
