//! Text for the language models: corpora streamed as documents, tokenizers, and token
//! embeddings with the `EmbeddingSource` trait that contextual encoders implement. Both
//! the ARDT (`crate::ardt`) and the Transformers (`crate::lm`) build on it.

mod corpus;
mod embedding;
mod tokenizer;

pub(crate) use embedding::dot;

pub use corpus::{Corpus, CorpusError, DocFormat};
pub use embedding::{EmbeddingSource, Embeddings};
pub use tokenizer::{words, Subword, Tokenizer, TokenizerError, TokenizerKind, WordVocab};
