//! Token streams and training rows. Documents are read and tokenized in parallel batches
//! (the text is streamed, never loaded whole); a row is the features of a window and the
//! token that follows it.

use rayon::prelude::*;

use super::features::FeatureConfig;
use super::model::ArdtModel;
use crate::gbdt::Matrix;
use crate::text::EmbeddingSource;
use crate::text::Tokenizer;
use crate::text::{Corpus, CorpusError};

/// Documents tokenized per batch (in parallel).
const BATCH: usize = 2048;

/// Tokenizes every document of `corpus` (each ended by the end-of-text token), stopping
/// after `max_tokens` tokens if given.
pub fn tokenize(
    corpus: &Corpus,
    tokenizer: &Tokenizer,
    max_tokens: Option<usize>,
) -> Result<Vec<Vec<u32>>, CorpusError> {
    let mut docs = Vec::new();
    let mut total = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let mut reader = corpus.documents()?;
    loop {
        batch.clear();
        for doc in reader.by_ref().take(BATCH) {
            batch.push(doc?);
        }
        if batch.is_empty() {
            return Ok(docs);
        }
        let encoded: Vec<Vec<u32>> = batch
            .par_iter()
            .map(|d| tokenizer.encode_document(d))
            .collect();
        for ids in encoded {
            total += ids.len();
            docs.push(ids);
            if max_tokens.is_some_and(|m| total >= m) {
                return Ok(docs);
            }
        }
    }
}

/// The rows of every position of `corpus` (at most `max_rows`) under `model`'s tokenizer,
/// embeddings and feature settings.
pub fn model_rows(
    model: &ArdtModel,
    corpus: &Corpus,
    max_rows: Option<usize>,
) -> Result<Dataset, CorpusError> {
    let docs = tokenize(corpus, &model.tokenizer, None)?;
    let source = model.source();
    let pad = source.embed_sequence(&[model.tokenizer.eos()]);
    let eos = model.tokenizer.eos();
    Ok(rows(&docs, source, &pad, &model.features, eos, max_rows))
}

/// Training rows: features of each position's window, and the token at that position.
pub struct Dataset {
    /// One row per predicted token.
    pub x: Matrix,
    /// The token each row predicts.
    pub next: Vec<u32>,
    /// The token before it (the end-of-text token at a document's start).
    pub prev: Vec<u32>,
    /// The documents the rows come from, in order (indices into the documents given).
    pub docs: Vec<usize>,
}

/// The documents whose rows are taken: all, or with `max_rows` every k-th document, k the
/// smallest stride whose documents hold at most `max_rows` positions (so that the rows
/// come from the whole corpus, not from its first part).
pub fn spread(docs: &[Vec<u32>], max_rows: Option<usize>) -> Vec<usize> {
    let mut stride = 1;
    if let Some(m) = max_rows {
        let rows_at = |k: usize| docs.iter().step_by(k).map(Vec::len).sum::<usize>();
        while stride < docs.len() && rows_at(stride) > m.max(1) {
            stride += 1;
        }
    }
    (0..docs.len()).step_by(stride).collect()
}

/// The rows of every position of the documents [`spread`] picks from `docs` (at most
/// `max_rows`); `start` precedes each document.
pub fn rows(
    docs: &[Vec<u32>],
    source: &dyn EmbeddingSource,
    pad: &[f32],
    config: &FeatureConfig,
    start: u32,
    max_rows: Option<usize>,
) -> Dataset {
    let chosen = spread(docs, max_rows);
    let picked: Vec<&Vec<u32>> = chosen.iter().map(|&i| &docs[i]).collect();
    let dim = source.dim();
    let width = config.width(dim);
    let weights = config.weights();
    let per_doc: Vec<Vec<f32>> = picked
        .par_iter()
        .map(|doc| {
            let vectors = source.embed_sequence(doc);
            let mut out = vec![0.0; doc.len() * width];
            for (t, row) in out.chunks_mut(width).enumerate() {
                config.row(&vectors, dim, t, pad, &weights, row);
            }
            out
        })
        .collect();
    let mut data = per_doc.concat();
    let mut next: Vec<u32> = picked.iter().flat_map(|d| d.iter().copied()).collect();
    let mut prev: Vec<u32> = picked
        .iter()
        .flat_map(|d| {
            std::iter::once(start)
                .chain(d.iter().copied())
                .take(d.len())
        })
        .collect();
    if let Some(m) = max_rows.filter(|&m| m < next.len()) {
        next.truncate(m);
        prev.truncate(m);
        data.truncate(m * width);
    }
    Dataset {
        x: Matrix::new(next.len(), width, data),
        next,
        prev,
        docs: chosen,
    }
}
