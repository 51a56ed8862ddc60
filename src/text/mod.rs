//! Text for the language models: corpora streamed as documents, tokenizers, and token
//! embeddings with the `EmbeddingSource` trait that contextual encoders implement. Both
//! the ARDT (`crate::ardt`) and the Transformers (`crate::lm`) build on it.

pub mod corpus;
pub mod embedding;
pub mod tokenizer;

pub use corpus::{Corpus, DocFormat};
pub use embedding::{EmbeddingSource, Embeddings};
pub use tokenizer::{Tokenizer, TokenizerKind};
