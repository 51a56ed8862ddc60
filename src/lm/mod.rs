//! Transformer language models with tch (feature `torch`): a small GPT-style decoder
//! trained by janus, the same-size baseline the ARDT is measured against.

mod bert;
mod embed;
mod gpt;
mod model;
mod train;

pub use bert::{BertError, MiniLm};
pub use embed::{GptEmbeddings, MiniLmEmbeddings};
pub use gpt::{Gpt, GptConfig};
pub use model::{GptFileError, GptModel};
pub use train::{evaluate, generate, learning_rate, train, LmEvaluation, LmTrainConfig};
