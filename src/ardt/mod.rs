//! Auto-regressive decision-tree language models (ARDT; Gan, Galanti, Poggio, Malach 2024):
//! gradient-boosted trees predict the next token from the exponentially weighted average of
//! the context's embeddings, and generate text one token at a time.
//!
//! Pipeline: [`corpus`] streams documents, [`tokenizer`] turns them into ids, [`word2vec`]
//! trains the embeddings (cached), [`features`] and [`dataset`] make training rows, the
//! trees come from [`crate::gbdt`], and [`model`] holds it all in one checked file.
//! [`predictor`] scores the next token, [`generate`] samples text, [`metrics`] and
//! [`ngram`] measure it.

pub mod dataset;
pub mod features;
pub mod generate;
pub mod metrics;
pub mod model;
pub mod ngram;
pub mod predictor;
pub mod train;
pub mod word2vec;

pub use crate::text::{corpus, embedding, tokenizer};
pub use crate::text::{Corpus, DocFormat, EmbeddingSource, Embeddings, Tokenizer, TokenizerKind};
pub use features::FeatureConfig;
pub use generate::{generate, Sampling};
pub use metrics::{evaluate, Evaluation};
pub use model::{ArdtModel, Head, ModelError};
pub use predictor::{argmax, Predictor};
pub use train::{train, EmbeddingChoice, HeadKind, TokenizerSource, TrainConfig, TrainObserver};
pub use word2vec::Word2VecParams;
