//! Token embeddings: a table of one vector per token, and the `EmbeddingSource` trait
//! through which the ARDT reads per-position vectors (static tables here; contextual
//! Transformer states plug in through the same trait).

use serde::{Deserialize, Serialize};

/// Where per-position vectors come from.
pub trait EmbeddingSource: Send + Sync {
    /// Vector width.
    fn dim(&self) -> usize;
    /// The vectors of every position of `tokens`, row-major (`tokens.len() × dim`). A
    /// contextual source may look at the tokens before each position, never after.
    fn embed_sequence(&self, tokens: &[u32]) -> Vec<f32>;
    /// Whether a position's vector depends on the tokens before it (then generation must
    /// embed the whole context, not only the window).
    fn contextual(&self) -> bool {
        true
    }
}

/// One vector per token id, row-major.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embeddings {
    dim: usize,
    vectors: Vec<f32>,
}

impl Embeddings {
    /// A table from row-major vectors. Panics unless `vectors.len()` is a multiple of `dim`.
    pub fn new(dim: usize, vectors: Vec<f32>) -> Embeddings {
        assert!(dim > 0 && vectors.len() % dim == 0, "embedding table shape");
        Embeddings { dim, vectors }
    }

    /// Vector width.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Checks a table read from a file: a positive width, whole vectors, and `tokens`
    /// of them.
    pub fn check(&self, tokens: usize) -> Result<(), String> {
        if self.dim == 0 || self.vectors.len() % self.dim != 0 {
            return Err(format!(
                "{} numbers are not vectors of width {}",
                self.vectors.len(),
                self.dim
            ));
        }
        if self.len() != tokens {
            return Err(format!("{} vectors for {tokens} tokens", self.len()));
        }
        Ok(())
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.vectors.len() / self.dim
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// Token `id`'s vector.
    pub fn vector(&self, id: u32) -> &[f32] {
        &self.vectors[id as usize * self.dim..(id as usize + 1) * self.dim]
    }

    /// The same table with every vector scaled to unit length (zero vectors stay zero).
    pub fn normalized(&self) -> Embeddings {
        let mut vectors = self.vectors.clone();
        for v in vectors.chunks_mut(self.dim) {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
        }
        Embeddings {
            dim: self.dim,
            vectors,
        }
    }

    /// Dot products of `v` with every vector (cosine similarities on a normalised table).
    pub fn dots(&self, v: &[f32]) -> Vec<f32> {
        self.vectors
            .chunks_exact(self.dim)
            .map(|row| dot(row, v))
            .collect()
    }

    /// Cosine similarity of tokens `a` and `b`.
    pub fn cosine(&self, a: u32, b: u32) -> f32 {
        let (x, y) = (self.vector(a), self.vector(b));
        dot(x, y) / (dot(x, x).sqrt() * dot(y, y).sqrt()).max(1e-12)
    }
}

/// Dot product, in eight lanes so that it vectorises.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

impl EmbeddingSource for Embeddings {
    fn dim(&self) -> usize {
        self.dim
    }

    fn embed_sequence(&self, tokens: &[u32]) -> Vec<f32> {
        tokens
            .iter()
            .flat_map(|&t| self.vector(t).iter().copied())
            .collect()
    }

    fn contextual(&self) -> bool {
        false
    }
}
