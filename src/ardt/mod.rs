//! Auto-regressive decision-tree language models (ARDT; Gan, Galanti, Poggio, Malach 2024):
//! gradient-boosted trees predict the next token from the exponentially weighted average of
//! the context's embeddings, and generate text one token at a time.
//!
//! Pipeline: [`corpus`] streams documents, [`tokenizer`] turns them into ids, [`word2vec`]
//! trains the embeddings (cached), [`features`] and [`dataset`] make training rows, the
//! trees come from [`crate::gbdt`], and [`model`] holds it all in one checked file.
//! [`predictor`] scores the next token, [`generate`] samples text, [`metrics`] and
//! [`ngram`] measure it.

mod dataset;
mod features;
mod generate;
mod metrics;
mod model;
mod ngram;
mod predictor;
mod train;
pub mod word2vec;

pub use crate::text::{Corpus, DocFormat, EmbeddingSource, Embeddings, Tokenizer, TokenizerKind};
pub use dataset::{model_rows, tokenize};
pub use features::FeatureConfig;
pub use generate::{generate, Sampling};
pub use metrics::{evaluate, generation_report, Evaluation, Generation, DEFAULT_PROMPTS};
pub use model::{ArdtModel, EmbeddingError, Head, ModelError};
pub use ngram::NGram;
pub use predictor::{argmax, Predictor};
pub use train::{
    train, EmbeddingChoice, HeadKind, Silent, TargetData, TokenizerSource, TrainConfig,
    TrainObserver,
};
pub use word2vec::Word2VecParams;
