//! The training pipeline: tokenizer, word2vec (cached), rows, trees.

use std::path::PathBuf;
use std::time::Instant;

use super::dataset::{rows, tokenize, Dataset};
use super::features::FeatureConfig;
use super::model::{
    file_checksum, open_decoder, open_minilm, ArdtModel, EmbeddingError, EmbeddingSpec, Head,
    TrainInfo,
};
use super::ngram::NGram;
use super::word2vec::{self, Word2VecParams};
use crate::gbdt::{BoostParams, Booster, Matrix, RoundLog, Rows as GbdtRows, Targets};
use crate::text::Embeddings;
use crate::text::{Corpus, CorpusError};
use crate::text::{Subword, Tokenizer, TokenizerError, TokenizerKind, WordVocab};

/// Where the tokenizer comes from.
#[derive(Clone, Debug)]
pub enum TokenizerSource {
    /// Train one of this kind with this vocabulary size (word-level: words seen fewer than
    /// `min_count` times are `<unk>`).
    Train {
        /// The kind.
        kind: TokenizerKind,
        /// Vocabulary size.
        vocab_size: usize,
        /// Least count of a word-level vocabulary word.
        min_count: u64,
    },
    /// Load a `tokenizer.json`.
    File(PathBuf),
}

/// Where the ARDT's vectors come from.
#[derive(Clone, Debug)]
pub enum EmbeddingChoice {
    /// word2vec trained on the corpus (settings in `TrainConfig::word2vec`).
    Word2Vec,
    /// A janus decoder's hidden states after `layer` blocks; its tokenizer is used.
    Gpt {
        /// The decoder file.
        path: PathBuf,
        /// Blocks before the states are read (all if `None`).
        layer: Option<usize>,
    },
    /// all-MiniLM-L6-v2's causal states; the ARDT's own tokenizer, each token split into
    /// MiniLM's word pieces.
    MiniLm {
        /// The model folder (`make minilm` puts it in `.minilm/model`).
        dir: PathBuf,
    },
}

/// Regression to the next token's vector, or classification over its `classes - 1` most
/// frequent tokens and "other".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadKind {
    /// The paper's.
    Regress,
    /// Softmax over this many classes.
    Classify {
        /// Classes, "other" included.
        classes: usize,
        /// Whether the trees start from a bigram prior over the classes (they learn what
        /// the context adds to the previous token) instead of the class frequencies.
        prior: bool,
    },
}

/// Everything training needs.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// The tokenizer.
    pub tokenizer: TokenizerSource,
    /// Where the vectors come from.
    pub embeddings: EmbeddingChoice,
    /// word2vec settings.
    pub word2vec: Word2VecParams,
    /// Where word2vec vectors are cached.
    pub cache_dir: PathBuf,
    /// Window and decay.
    pub features: FeatureConfig,
    /// Regression or classification.
    pub head: HeadKind,
    /// The trees.
    pub boost: BoostParams,
    /// Train the trees on at most this many rows (from every k-th document, see
    /// [`super::dataset::spread`]); the validation rows are cut to a fifth of it.
    pub max_rows: Option<usize>,
    /// Read at most this many tokens of the corpus (whole documents; the text is streamed,
    /// the token ids are kept: 4 bytes each).
    pub max_tokens: Option<usize>,
}

impl Default for TrainConfig {
    /// `janus ardt train`'s defaults: a word tokenizer of 8,000 tokens (words seen twice),
    /// word2vec vectors cached in `~/.cache/janus`, the paper's regression head, 100 rounds.
    fn default() -> Self {
        let cache_dir = std::env::var_os("HOME").map_or_else(
            || PathBuf::from(".janus-cache"),
            |h| PathBuf::from(h).join(".cache/janus"),
        );
        TrainConfig {
            tokenizer: TokenizerSource::Train {
                kind: TokenizerKind::Word,
                vocab_size: 8000,
                min_count: 2,
            },
            embeddings: EmbeddingChoice::Word2Vec,
            word2vec: Word2VecParams::default(),
            cache_dir,
            features: FeatureConfig::default(),
            head: HeadKind::Regress,
            boost: BoostParams::default(),
            max_rows: None,
            max_tokens: None,
        }
    }
}

/// Why training failed.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// Reading a corpus.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// Building the tokenizer.
    #[error(transparent)]
    Tokenizer(#[from] TokenizerError),
    /// Opening the embeddings.
    #[error(transparent)]
    Embeddings(#[from] EmbeddingError),
    /// Anything else, with the file it concerns.
    #[error("{path}: {message}")]
    Other {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Progress callbacks (the command line draws bars; tests ignore them).
pub trait TrainObserver {
    /// A stage begins.
    fn stage(&mut self, _name: &str) {}
    /// word2vec finished an epoch of `of`.
    fn embedding_epoch(&mut self, _epoch: usize, _of: usize) {}
    /// The trees finished a round.
    fn round(&mut self, _log: &RoundLog, _of: usize) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl TrainObserver for Silent {}

fn build_tokenizer(source: &TokenizerSource, corpus: &Corpus) -> Result<Tokenizer, TokenizerError> {
    Ok(match source {
        TokenizerSource::Train {
            kind: TokenizerKind::Word,
            vocab_size,
            min_count,
        } => Tokenizer::Word(WordVocab::train(corpus, *vocab_size, *min_count)?),
        TokenizerSource::Train {
            kind, vocab_size, ..
        } => Tokenizer::Subword(Box::new(Subword::train(corpus, *kind, *vocab_size)?)),
        TokenizerSource::File(path) => Tokenizer::Subword(Box::new(Subword::load(path)?)),
    })
}

/// The `classes - 1` most frequent tokens (ties by id) after class 0, "other"; the unknown
/// token is never a class of its own.
fn class_tokens(docs: &[Vec<u32>], tokenizer: &Tokenizer, classes: usize) -> Vec<u32> {
    let mut counts = vec![0u64; tokenizer.vocab_size()];
    for &t in docs.iter().flatten() {
        counts[t as usize] += 1;
    }
    let mut ids: Vec<u32> = (0..counts.len() as u32)
        .filter(|&t| Some(t) != tokenizer.unk() && counts[t as usize] > 0)
        .collect();
    ids.sort_by(|a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)));
    ids.truncate(classes.saturating_sub(1));
    std::iter::once(u32::MAX).chain(ids).collect()
}

/// The class of every token id below `vocab` (0: "other"), as [`Head::class_of`] says.
fn class_table(class_tokens: &[u32], vocab: usize) -> Vec<u32> {
    let mut table = vec![0; vocab];
    for (k, &t) in class_tokens.iter().enumerate().skip(1) {
        table[t as usize] = k as u32;
    }
    table
}

/// A classification head over `class_tokens` (`eos` precedes each document): its tail,
/// a bigram model over the tokens outside the classes, and with `prior` its prior.
fn classify_head(
    docs: &[Vec<u32>],
    eos: u32,
    vocab: usize,
    class_tokens: Vec<u32>,
    prior: bool,
) -> Head {
    let class_of = class_table(&class_tokens, vocab);
    let tail = NGram::fit(docs, vocab, vocab, eos, |t| {
        (class_of[t as usize] == 0).then_some(t)
    });
    let prior = prior.then(|| class_prior(docs, eos, &class_of, class_tokens.len()));
    Head::Classify {
        class_tokens,
        tail,
        prior,
    }
}

/// Folds of the training documents for the prior's margins on them.
const PRIOR_FOLDS: usize = 5;

/// The prior's margins for the training rows `data` of `docs`, each row's from a prior
/// counted without its document's fold (document `i` is in fold `i % PRIOR_FOLDS`): a
/// prior counted on the row itself is surer of it than the prior ever is on new text,
/// and the trees would learn to trust it too much. `eos` precedes each document. `None`
/// without a prior.
fn training_margins(
    docs: &[Vec<u32>],
    data: &Dataset,
    eos: u32,
    head: &Head,
    vocab: usize,
) -> Option<Matrix> {
    let Head::Classify {
        class_tokens,
        prior: Some(_),
        ..
    } = head
    else {
        return None;
    };
    let class_of = class_table(class_tokens, vocab);
    let priors: Vec<NGram> = (0..PRIOR_FOLDS)
        .map(|fold| {
            let others = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % PRIOR_FOLDS != fold)
                .map(|(_, d)| d);
            class_prior(others, eos, &class_of, class_tokens.len())
        })
        .collect();
    let logs: Vec<Vec<f32>> = priors.iter().map(NGram::log_unigram).collect();
    // The rows follow their documents in order, and each knows its previous token.
    let folds = data
        .docs
        .iter()
        .flat_map(|&i| std::iter::repeat_n(i % PRIOR_FOLDS, docs[i].len()));
    let values: Vec<f32> = folds
        .zip(&data.prev)
        .flat_map(|(fold, &prev)| priors[fold].bigram_log_probs(prev, &logs[fold]))
        .collect();
    let classes = priors[0].events();
    Some(Matrix::new(data.prev.len(), classes, values))
}

/// The classification head's prior: a bigram model of its `classes` (of each token
/// `class_of` says) after each token (`eos` precedes each document).
fn class_prior<'d>(
    docs: impl IntoIterator<Item = &'d Vec<u32>>,
    eos: u32,
    class_of: &[u32],
    classes: usize,
) -> NGram {
    NGram::fit(docs, class_of.len(), classes, eos, |t| {
        Some(class_of[t as usize])
    })
}

/// The regression targets: each token's vector minus the frequency-weighted mean vector,
/// scaled to unit length.
fn centred_targets(table: &Embeddings, docs: &[Vec<u32>]) -> Embeddings {
    let dim = table.dim();
    let mut mean = vec![0.0f64; dim];
    let mut n = 0usize;
    for &t in docs.iter().flatten() {
        for (m, x) in mean.iter_mut().zip(table.vector(t)) {
            *m += *x as f64;
        }
        n += 1;
    }
    let centred = (0..table.len() as u32)
        .flat_map(|t| {
            table
                .vector(t)
                .iter()
                .zip(&mean)
                .map(move |(x, m)| x - (m / n.max(1) as f64) as f32)
        })
        .collect();
    Embeddings::new(dim, centred).normalized()
}

/// Trains an ARDT on `corpus`, with early stopping and losses on `valid` if given.
pub fn train(
    corpus: &Corpus,
    valid: Option<&Corpus>,
    config: &TrainConfig,
    observer: &mut dyn TrainObserver,
) -> Result<ArdtModel, TrainError> {
    let start = Instant::now();
    observer.stage("tokenizer");
    let decoder = match &config.embeddings {
        EmbeddingChoice::Gpt { path, layer } => Some(open_decoder(path, *layer)?),
        EmbeddingChoice::Word2Vec | EmbeddingChoice::MiniLm { .. } => None,
    };
    let tokenizer = match &decoder {
        Some(d) => d.tokenizer.clone(),
        None => build_tokenizer(&config.tokenizer, corpus)?,
    };
    let docs = tokenize(corpus, &tokenizer, config.max_tokens)?;
    let tokens: usize = docs.iter().map(Vec::len).sum();
    if tokens <= docs.len() {
        return Err(TrainError::Other {
            path: corpus.path().display().to_string(),
            message: "the corpus has no text".into(),
        });
    }
    observer.stage("embeddings");
    let embedding_start = Instant::now();
    let (embeddings, source, cached) = match (decoder, &config.embeddings) {
        (Some(d), EmbeddingChoice::Gpt { path, .. }) => {
            let checksum = file_checksum(path).map_err(|e| TrainError::Other {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            let spec = EmbeddingSpec::Gpt {
                path: path.display().to_string(),
                checksum,
                layer: d.layer,
                table: d.table,
            };
            (spec, d.source, false)
        }
        (_, EmbeddingChoice::MiniLm { dir }) => {
            let other = |message: String| TrainError::Other {
                path: dir.display().to_string(),
                message,
            };
            let checksum =
                file_checksum(&dir.join("model.safetensors")).map_err(|e| other(e.to_string()))?;
            let cache = config.cache_dir.clone();
            let (table, source) = open_minilm(dir, &tokenizer, Some(&cache), checksum)?;
            let spec = EmbeddingSpec::MiniLm {
                dir: dir.display().to_string(),
                checksum,
                cache: Some(cache.display().to_string()),
                table,
            };
            (spec, source, false)
        }
        _ => {
            let epochs = config.word2vec.epochs;
            let (table, cached) = word2vec::train_cached(
                &docs.concat(),
                tokenizer.vocab_size(),
                &config.word2vec,
                &config.cache_dir,
                &mut |e| observer.embedding_epoch(e, epochs),
            )
            .map_err(|e| TrainError::Other {
                path: config.cache_dir.display().to_string(),
                message: e.to_string(),
            })?;
            let spec = EmbeddingSpec::Word2Vec {
                params: config.word2vec.clone(),
                table,
            };
            let source = spec
                .open(&tokenizer)
                .expect("a word2vec table always opens");
            (spec, source, cached)
        }
    };
    let embedding_seconds = if cached {
        0.0
    } else {
        embedding_start.elapsed().as_secs_f64()
    };
    let head = match config.head {
        HeadKind::Regress => Head::Regress {
            targets: centred_targets(embeddings.targets(), &docs),
        },
        HeadKind::Classify { classes, prior } => {
            let class_tokens = class_tokens(&docs, &tokenizer, classes);
            let vocab = tokenizer.vocab_size();
            classify_head(&docs, tokenizer.eos(), vocab, class_tokens, prior)
        }
    };
    observer.stage("features");
    let src = source.get();
    let pad = src.embed_sequence(&[tokenizer.eos()]);
    let eos = tokenizer.eos();
    let train_rows = rows(&docs, src, &pad, &config.features, eos, config.max_rows);
    let valid_rows = valid
        .map(|v| -> Result<Dataset, TrainError> {
            let vdocs = tokenize(v, &tokenizer, None)?;
            Ok(rows(
                &vdocs,
                src,
                &pad,
                &config.features,
                eos,
                config.max_rows.map(|m| m / 5),
            ))
        })
        .transpose()?;
    observer.stage("trees");
    let tree_start = Instant::now();
    let targets = TargetData::new(&head, &train_rows);
    let valid_targets = valid_rows.as_ref().map(|v| TargetData::new(&head, v));
    let rounds = config.boost.rounds;
    let vocab = tokenizer.vocab_size();
    let margins = training_margins(&docs, &train_rows, eos, &head, vocab);
    let valid_margins = valid_rows.as_ref().and_then(|v| head.margins(&v.prev));
    let booster = Booster::train_rows(
        &config.boost,
        targets.rows(&train_rows.x, margins.as_ref()),
        valid_rows
            .as_ref()
            .zip(valid_targets.as_ref())
            .map(|(v, t)| t.rows(&v.x, valid_margins.as_ref())),
        &mut |log| observer.round(log, rounds),
    );
    let info = TrainInfo {
        corpus: corpus.path().display().to_string(),
        tokens,
        rows: train_rows.next.len(),
        boost: config.boost.clone(),
        embedding_seconds,
        tree_seconds: tree_start.elapsed().as_secs_f64(),
        total_seconds: start.elapsed().as_secs_f64(),
    };
    Ok(ArdtModel {
        janus_version: env!("CARGO_PKG_VERSION").to_string(),
        tokenizer,
        embeddings,
        features: config.features.clone(),
        head,
        booster,
        info,
        source,
    })
}

/// The trees' targets for some rows: next-token vectors or classes.
pub enum TargetData {
    /// The regression head's target vector of each row's next token.
    Vectors(Matrix),
    /// The classification head's class of each row's next token, and the class count.
    Classes(Vec<u32>, usize),
}

impl TargetData {
    /// The targets of `data`'s rows under `head`.
    pub fn new(head: &Head, data: &Dataset) -> TargetData {
        match head {
            Head::Regress { targets: unit } => {
                let dim = unit.dim();
                let values = data
                    .next
                    .iter()
                    .flat_map(|&t| unit.vector(t).iter().copied())
                    .collect();
                TargetData::Vectors(Matrix::new(data.next.len(), dim, values))
            }
            Head::Classify { class_tokens, .. } => {
                let labels = data.next.iter().map(|&t| head.class_of(t) as u32).collect();
                TargetData::Classes(labels, class_tokens.len())
            }
        }
    }

    /// The tree learner's rows of features `x` with these targets and `margin`.
    pub fn rows<'a>(&'a self, x: &'a Matrix, margin: Option<&'a Matrix>) -> GbdtRows<'a> {
        GbdtRows {
            x,
            targets: self.targets(),
            margin,
        }
    }

    /// As the tree learner takes them.
    pub fn targets(&self) -> Targets<'_> {
        match self {
            TargetData::Vectors(y) => Targets::Values(y),
            TargetData::Classes(labels, classes) => Targets::Classes {
                labels,
                classes: *classes,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_training_row_s_margin_comes_from_a_prior_counted_without_its_document() {
        // Tokens: 0 = end of text, 1 = "a", 2 = "x", 3 = "y"; classes: other, x, y.
        // Document 0 is "a x", the others "a y"; each document is its own fold.
        let docs: Vec<Vec<u32>> = (0..PRIOR_FOLDS)
            .map(|i| vec![1, if i == 0 { 2 } else { 3 }, 0])
            .collect();
        let head = classify_head(&docs, 0, 4, vec![u32::MAX, 2, 3], true);
        let full = head.prior().unwrap().clone();
        let data = Dataset {
            x: Matrix::zeros(6, 1),
            next: vec![1, 2, 0, 1, 3, 0],
            prev: vec![0, 1, 2, 0, 1, 3],
            docs: vec![0, 1],
        };
        let m = training_margins(&docs, &data, 0, &head, 4).unwrap();
        assert_eq!((m.rows(), m.cols()), (6, 3));
        // Row 1 predicts x after "a" in document 0. The only x after "a" is its own, so
        // the prior without it finds x after "a" far less likely than the full one.
        let in_sample = full.bigram_log_probs(1, &full.log_unigram());
        assert!(
            m.get(1, 1) < in_sample[1] - 1.0,
            "{} vs {}",
            m.get(1, 1),
            in_sample[1]
        );
        // Row 4, y after "a" in document 1: y stays the likelier.
        assert!(m.get(4, 2) > m.get(4, 1));
        let without = classify_head(&docs, 0, 4, vec![u32::MAX, 2, 3], false);
        assert!(training_margins(&docs, &data, 0, &without, 4).is_none());
    }
}
