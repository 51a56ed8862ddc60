//! A trained ARDT on disk: tokenizer, embeddings, feature settings, head and trees in one
//! file, behind a header (magic, format version, checksum) so that a file of another kind,
//! another version or a damaged one is a clear error instead of a wrong model.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::features::FeatureConfig;
use super::ngram::NGram;
use super::word2vec::Word2VecParams;
use crate::gbdt::{BoostParams, Booster, Matrix};
use crate::io::{read_framed, write_framed};
use crate::text::Tokenizer;
use crate::text::{EmbeddingSource, Embeddings};

/// The model file format this janus reads and writes.
pub const FORMAT_VERSION: u32 = 2;
const MAGIC: &[u8; 8] = b"JANUSARD";

/// Where the model's vectors come from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum EmbeddingSpec {
    /// word2vec trained by janus on the training corpus (the table is stored).
    Word2Vec {
        /// How it was trained.
        params: Word2VecParams,
        /// One vector per token.
        table: Embeddings,
    },
    /// Hidden states of a janus decoder (`janus ardt baseline`) after `layer` blocks; the
    /// decoder file is referenced by path and checked by its CRC32.
    Gpt {
        /// The decoder file.
        path: String,
        /// CRC32 of the decoder file when the ARDT was trained.
        checksum: u32,
        /// Blocks before the states are read (0: its input embeddings).
        layer: usize,
        /// The decoder's input token embeddings (targets and decoding table).
        table: Embeddings,
    },
    /// all-MiniLM-L6-v2's states, causal (`crate::lm::MiniLmEmbeddings`), referenced by
    /// the model folder and the CRC32 of its `model.safetensors`.
    MiniLm {
        /// The folder with `model.safetensors`, `tokenizer.json`, `config.json`.
        dir: String,
        /// CRC32 of `model.safetensors` when the ARDT was trained.
        checksum: u32,
        /// Where per-document vectors are cached.
        cache: Option<String>,
        /// Each token's static vector (mean input embedding of its pieces).
        table: Embeddings,
    },
}

/// The text MiniLM reads for each token of `tokenizer` (end of text as ".", unknown as
/// "[UNK]").
#[cfg(feature = "torch")]
fn minilm_words(tokenizer: &Tokenizer) -> Vec<String> {
    (0..tokenizer.vocab_size() as u32)
        .map(|t| {
            if t == tokenizer.eos() {
                ".".to_string()
            } else if Some(t) == tokenizer.unk() {
                "[UNK]".to_string()
            } else {
                tokenizer.token(t)
            }
        })
        .collect()
}

/// Why the embeddings of a model cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbeddingError {
    /// Decoder or MiniLM embeddings in a build without libtorch.
    #[error("{path}: {what} embeddings need janus built with the `torch` feature")]
    NeedsTorch {
        /// The model file or folder.
        path: String,
        /// Which embeddings.
        what: &'static str,
    },
    /// The model cannot be read or is not a usable model.
    #[error("{path}: {message}")]
    Open {
        /// The model file or folder.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The weights differ from those the ARDT was trained on.
    #[error("{path}: the weights changed since this ARDT was trained on them")]
    Changed {
        /// The weights file.
        path: String,
    },
}

/// Opens MiniLM in `dir` for the tokens of `tokenizer`: its static table and the source.
#[cfg(feature = "torch")]
pub fn open_minilm(
    dir: &Path,
    tokenizer: &Tokenizer,
    cache: Option<&Path>,
    checksum: u32,
) -> Result<(Embeddings, SourceHandle), EmbeddingError> {
    let m = crate::lm::MiniLmEmbeddings::open(
        dir,
        &minilm_words(tokenizer),
        Some(tokenizer.eos()),
        cache,
        checksum,
    )
    .map_err(|e| EmbeddingError::Open {
        path: e.path,
        message: e.message,
    })?;
    Ok((m.token_table(), SourceHandle(Some(Arc::new(m)))))
}

/// Opens MiniLM: not available without libtorch.
#[cfg(not(feature = "torch"))]
pub fn open_minilm(
    dir: &Path,
    _: &Tokenizer,
    _: Option<&Path>,
    _: u32,
) -> Result<(Embeddings, SourceHandle), EmbeddingError> {
    Err(EmbeddingError::NeedsTorch {
        path: dir.display().to_string(),
        what: "MiniLM",
    })
}

/// The object that computes per-position vectors, opened from an `EmbeddingSpec`.
#[derive(Clone, Default)]
pub struct SourceHandle(Option<Arc<dyn EmbeddingSource>>);

impl SourceHandle {
    /// The opened source. Panics on a handle that was never opened (a model is always
    /// opened by training or `load`).
    pub fn get(&self) -> &dyn EmbeddingSource {
        self.0
            .as_deref()
            .expect("embeddings are opened by training and by load")
    }
}

impl std::fmt::Debug for SourceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "SourceHandle(open)"
        } else {
            "SourceHandle(closed)"
        })
    }
}

/// CRC32 of a file's bytes.
pub fn file_checksum(path: &Path) -> std::io::Result<u32> {
    Ok(crc32fast::hash(&std::fs::read(path)?))
}

/// A decoder opened for its hidden states: its tokenizer, its token table and the source.
pub struct OpenDecoder {
    /// The tokenizer it reads (the ARDT must use the same).
    pub tokenizer: Tokenizer,
    /// Its input token embeddings.
    pub table: Embeddings,
    /// Its hidden states after the chosen block.
    pub source: SourceHandle,
    /// Blocks before the states are read.
    pub layer: usize,
}

/// Opens the decoder at `path` for its states after `layer` blocks (all if `None`).
#[cfg(feature = "torch")]
pub fn open_decoder(path: &Path, layer: Option<usize>) -> Result<OpenDecoder, EmbeddingError> {
    let g = crate::lm::GptEmbeddings::open(path, layer).map_err(|e| EmbeddingError::Open {
        path: e.path,
        message: e.message,
    })?;
    let (tokenizer, table, layer) = (g.tokenizer(), g.token_table(), g.layer());
    Ok(OpenDecoder {
        tokenizer,
        table,
        source: SourceHandle(Some(Arc::new(g))),
        layer,
    })
}

/// Opens the decoder at `path`: not available without libtorch.
#[cfg(not(feature = "torch"))]
pub fn open_decoder(path: &Path, _layer: Option<usize>) -> Result<OpenDecoder, EmbeddingError> {
    Err(EmbeddingError::NeedsTorch {
        path: path.display().to_string(),
        what: "decoder",
    })
}

impl EmbeddingSpec {
    /// Opens what computes the per-position vectors for the tokens of `tokenizer`: the
    /// table itself for word2vec; the decoder or the encoder after checking that their
    /// weights have not changed since training.
    pub fn open(&self, tokenizer: &Tokenizer) -> Result<SourceHandle, EmbeddingError> {
        match self {
            EmbeddingSpec::Word2Vec { table, .. } => {
                Ok(SourceHandle(Some(Arc::new(table.clone()))))
            }
            EmbeddingSpec::Gpt {
                path,
                checksum,
                layer,
                ..
            } => {
                let p = Path::new(path);
                unchanged(p, *checksum)?;
                Ok(open_decoder(p, Some(*layer))?.source)
            }
            EmbeddingSpec::MiniLm {
                dir,
                checksum,
                cache,
                ..
            } => {
                let d = Path::new(dir);
                unchanged(&d.join("model.safetensors"), *checksum)?;
                Ok(open_minilm(d, tokenizer, cache.as_deref().map(Path::new), *checksum)?.1)
            }
        }
    }

    /// One vector per token: regression targets and the decoding table.
    pub fn targets(&self) -> &Embeddings {
        match self {
            EmbeddingSpec::Word2Vec { table, .. }
            | EmbeddingSpec::Gpt { table, .. }
            | EmbeddingSpec::MiniLm { table, .. } => table,
        }
    }

    /// A short description.
    pub fn describe(&self) -> String {
        match self {
            EmbeddingSpec::Word2Vec { params, .. } => format!("word2vec, {} dims", params.dim),
            EmbeddingSpec::Gpt {
                path, layer, table, ..
            } => {
                format!("decoder {path} after {layer} blocks, {} dims", table.dim())
            }
            EmbeddingSpec::MiniLm { dir, table, .. } => {
                format!("MiniLM {dir} (causal states), {} dims", table.dim())
            }
        }
    }
}

/// Fails unless the file at `path` still has checksum `expected`.
fn unchanged(path: &Path, expected: u32) -> Result<(), EmbeddingError> {
    let path_text = || path.display().to_string();
    let now = file_checksum(path).map_err(|e| EmbeddingError::Open {
        path: path_text(),
        message: e.to_string(),
    })?;
    if now != expected {
        return Err(EmbeddingError::Changed { path: path_text() });
    }
    Ok(())
}

/// What the trees predict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Head {
    /// The next token's vector in `targets`; decoded to the token whose target vector has
    /// the largest dot product with the prediction (the paper's nearest-embedding decoding).
    Regress {
        /// One unit-length vector per token: its embedding minus the corpus's mean
        /// embedding (frequency-weighted), normalised. Centring makes the targets of
        /// unrelated words nearly orthogonal, so that the dot product of a predicted
        /// mixture with a token's target approximates that token's weight in the mixture.
        targets: Embeddings,
    },
    /// A softmax over classes: class 0 is every token outside the list ("other"), class
    /// `k > 0` is token `class_tokens[k]`. The tail shares the other class's probability
    /// among the tokens outside the list, so that every token has one: P(w) = P(other)
    /// P_tail(w | previous token).
    Classify {
        /// Token of each class (entry 0 unused).
        class_tokens: Vec<u32>,
        /// A bigram model over the tokens outside the list (the unknown token included),
        /// counted on the training corpus.
        tail: NGram,
        /// A bigram model of the classes after each token, whose log-probabilities the
        /// trees' scores are added to (`None`: the trees alone).
        prior: Option<NGram>,
    },
}

impl Head {
    /// The class of `token` (0 for tokens outside the classification head's list, and
    /// for every token of a regression head).
    pub fn class_of(&self, token: u32) -> usize {
        match self {
            Head::Regress { .. } => 0,
            Head::Classify { class_tokens, .. } => class_tokens
                .iter()
                .skip(1)
                .position(|&t| t == token)
                .map_or(0, |k| k + 1),
        }
    }

    /// The classification head's tail, where it is one.
    pub fn tail(&self) -> Option<&NGram> {
        match self {
            Head::Classify { tail, .. } => Some(tail),
            Head::Regress { .. } => None,
        }
    }

    /// The classification head's prior over its classes, where it has one: its
    /// log-probabilities after the previous token are what the trees' outputs are added to.
    pub fn prior(&self) -> Option<&NGram> {
        match self {
            Head::Classify { prior, .. } => prior.as_ref(),
            Head::Regress { .. } => None,
        }
    }

    /// The prior's log-probabilities for rows whose previous tokens are `prevs` (one row
    /// each), the margins the trees start from; `None` without a prior.
    pub fn margins(&self, prevs: &[u32]) -> Option<Matrix> {
        use rayon::prelude::*;
        let prior = self.prior()?;
        let log_unigram = prior.log_unigram();
        let rows: Vec<Vec<f32>> = prevs
            .par_iter()
            .map(|&p| prior.bigram_log_probs(p, &log_unigram))
            .collect();
        let cols = rows.first().map_or(0, Vec::len);
        Some(Matrix::new(rows.len(), cols, rows.concat()))
    }
}

/// The widest feature window a model may have.
pub const MAX_WINDOW: usize = 4096;

/// What training saw and how long it took.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TrainInfo {
    /// The training corpus.
    pub corpus: String,
    /// Tokens in the training corpus.
    pub tokens: usize,
    /// Rows the trees were trained on.
    pub rows: usize,
    /// The boosting hyperparameters.
    pub boost: BoostParams,
    /// Seconds for word2vec (0 when cached).
    pub embedding_seconds: f64,
    /// Seconds for the trees (binning included).
    pub tree_seconds: f64,
    /// Seconds in all.
    pub total_seconds: f64,
}

/// A trained auto-regressive decision-tree language model.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ArdtModel {
    /// The janus version that trained it.
    pub janus_version: String,
    /// The tokenizer.
    pub tokenizer: Tokenizer,
    /// The embeddings.
    pub embeddings: EmbeddingSpec,
    /// Window, decay and appended embeddings.
    pub features: FeatureConfig,
    /// Regression or classification.
    pub head: Head,
    /// The trees.
    pub booster: Booster,
    /// How it was trained.
    pub info: TrainInfo,
    /// The opened embeddings (set by training and by `load`).
    #[serde(skip)]
    pub source: SourceHandle,
}

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ModelError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ArdtModel {
    /// Writes the model atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let payload = bincode::serialize(self).map_err(std::io::Error::other)?;
        write_framed(path, MAGIC, FORMAT_VERSION, &payload)
    }

    /// Reads a model, checking its kind, format version, length and checksum.
    pub fn load(path: &Path) -> Result<ArdtModel, ModelError> {
        let err = |message: String| ModelError {
            path: path.display().to_string(),
            message,
        };
        let payload = read_framed(path, MAGIC, FORMAT_VERSION, "a janus ARDT model")
            .map_err(|m| err(m.replace("format version", "model format version")))?;
        let payload = &payload[..];
        let mut model: ArdtModel =
            bincode::deserialize(payload).map_err(|e| err(format!("corrupt model data: {e}")))?;
        model.source = model
            .embeddings
            .open(&model.tokenizer)
            .map_err(|e| err(format!("its embeddings: {e}")))?;
        model
            .check()
            .map_err(|m| err(format!("inconsistent model: {m}")))?;
        Ok(model)
    }

    /// Checks that every index a model holds is in range (token ids below the vocabulary
    /// size, features below the input width, tree children inside their tree), so that a
    /// damaged file whose checksum still matches is refused rather than read out of
    /// bounds later.
    fn check(&self) -> Result<(), String> {
        let vocab = self.tokenizer.vocab_size();
        let special = [Some(self.tokenizer.eos()), self.tokenizer.unk()];
        if let Some(t) = special.into_iter().flatten().find(|&t| t as usize >= vocab) {
            return Err(format!("special token {t} of a vocabulary of {vocab}"));
        }
        let f = &self.features;
        if f.window == 0 || f.window > MAX_WINDOW || f.last > f.window || !f.decay.is_finite() {
            return Err(format!(
                "features: window {}, last {}, decay {}",
                f.window, f.last, f.decay
            ));
        }
        let width = f.width(self.source().dim());
        self.booster
            .check(width)
            .map_err(|m| format!("trees: {m}"))?;
        let outputs = self.booster.outputs();
        match &self.head {
            Head::Regress { targets } => {
                targets.check(vocab).map_err(|m| format!("targets: {m}"))?;
                if targets.dim() != outputs {
                    return Err(format!(
                        "targets of width {} for {outputs} outputs",
                        targets.dim()
                    ));
                }
            }
            Head::Classify {
                class_tokens,
                tail,
                prior,
            } => {
                if class_tokens.len() != outputs {
                    return Err(format!(
                        "{} classes for {outputs} outputs",
                        class_tokens.len()
                    ));
                }
                // Entry 0 (the other tokens) holds no token.
                if let Some(t) = class_tokens.iter().skip(1).find(|&&t| t as usize >= vocab) {
                    return Err(format!("class token {t} of a vocabulary of {vocab}"));
                }
                tail.check(vocab).map_err(|m| format!("tail: {m}"))?;
                if tail.events() != vocab {
                    return Err(format!("tail over {} of {vocab} tokens", tail.events()));
                }
                if let Some(prior) = prior {
                    prior.check(vocab).map_err(|m| format!("prior: {m}"))?;
                    if prior.events() != outputs {
                        return Err(format!(
                            "prior over {} of {outputs} classes",
                            prior.events()
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The per-position vectors the trees read.
    pub fn source(&self) -> &dyn EmbeddingSource {
        self.source.get()
    }

    /// Parameters: leaves of all trees (the paper's count), plus the embedding table's
    /// entries reported separately by `embedding_parameters`.
    pub fn tree_parameters(&self) -> usize {
        self.booster.leaves()
    }

    /// Numbers of the classification head's n-gram models (tail and prior): unigram
    /// probabilities and bigram counts.
    pub fn ngram_parameters(&self) -> usize {
        match &self.head {
            Head::Classify { tail, prior, .. } => {
                tail.parameters() + prior.as_ref().map_or(0, NGram::parameters)
            }
            Head::Regress { .. } => 0,
        }
    }

    /// Entries of the embedding table.
    pub fn embedding_parameters(&self) -> usize {
        let t = self.embeddings.targets();
        t.len() * t.dim()
    }
}
