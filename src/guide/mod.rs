//! Neural guidance: policy networks that choose the search's next action.
//!
//! The parts without libtorch (the op vocabulary, what the network sees, random training
//! programs and their step-by-step supervision) build always; the network, its training
//! and the policy that searches with it need the feature `torch`.

pub mod encode;
pub mod ops;
pub mod teacher;

#[cfg(feature = "torch")]
pub mod cnn;
#[cfg(feature = "torch")]
pub mod model;
#[cfg(feature = "torch")]
pub mod net;
#[cfg(feature = "torch")]
pub mod policy;
#[cfg(feature = "torch")]
pub mod train;

pub use crate::domains::{Program, Sample};
pub use encode::{ActionMasks, EncodedState, ValueEncoding};
pub use ops::{Op, OpSet};
pub use teacher::{demonstrate, DemoConfig, Step};

#[cfg(feature = "torch")]
pub use crate::device::{load_torch_cuda, select_device, DeviceChoice};
#[cfg(feature = "torch")]
pub use model::{GuideModel, ModelError};
#[cfg(feature = "torch")]
pub use net::{NetShape, PolicyNet};
#[cfg(feature = "torch")]
pub use policy::NeuralPolicy;
