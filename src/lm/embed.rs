//! A trained decoder's hidden states as ARDT embeddings: the residual stream after a
//! chosen number of blocks, at every position, computed causally in windows of the
//! decoder's context (a position sees the tokens before it in its window).

use std::path::Path;
use std::sync::Mutex;

use tch::{Device, Kind, Tensor};

use super::model::{GptFileError, GptModel};
use crate::ardt::{EmbeddingSource, Embeddings};

/// Hidden states of a decoder after `layer` blocks.
pub struct GptEmbeddings {
    model: Mutex<GptModel>,
    layer: usize,
    dim: usize,
}

impl GptEmbeddings {
    /// Loads the decoder at `path` (CPU) for states after `layer` blocks (all of them if
    /// `None`).
    pub fn open(path: &Path, layer: Option<usize>) -> Result<GptEmbeddings, GptFileError> {
        let model = GptModel::load(path, Device::Cpu)?;
        let layers = model.gpt.config.layers as usize;
        let layer = layer.unwrap_or(layers);
        if layer > layers {
            return Err(GptFileError {
                path: path.display().to_string(),
                message: format!("layer {layer} asked for, the decoder has {layers} blocks"),
            });
        }
        let dim = model.gpt.config.dim as usize;
        Ok(GptEmbeddings {
            model: Mutex::new(model),
            layer,
            dim,
        })
    }

    /// Blocks before the states are read.
    pub fn layer(&self) -> usize {
        self.layer
    }

    /// The tokenizer the decoder reads.
    pub fn tokenizer(&self) -> crate::ardt::Tokenizer {
        self.model
            .lock()
            .expect("the decoder lock")
            .tokenizer
            .clone()
    }

    /// The decoder's input token embeddings, one row per token id.
    pub fn token_table(&self) -> Embeddings {
        let model = self.model.lock().expect("the decoder lock");
        let ws = model.vs.variables()["tokens.weight"]
            .to_kind(Kind::Float)
            .flatten(0, -1);
        Embeddings::new(self.dim, Vec::<f32>::try_from(ws).expect("float weights"))
    }
}

impl EmbeddingSource for GptEmbeddings {
    fn dim(&self) -> usize {
        self.dim
    }

    fn embed_sequence(&self, tokens: &[u32]) -> Vec<f32> {
        let model = self.model.lock().expect("the decoder lock");
        let t = model.gpt.config.context as usize;
        let mut out = Vec::with_capacity(tokens.len() * self.dim);
        tch::no_grad(|| {
            for window in tokens.chunks(t) {
                let ids: Vec<i64> = window.iter().map(|&x| x as i64).collect();
                let x = Tensor::from_slice(&ids).view([1, -1]);
                let h = model
                    .gpt
                    .hidden(&x, self.layer)
                    .to_kind(Kind::Float)
                    .flatten(0, -1);
                out.extend(Vec::<f32>::try_from(h).expect("float states"));
            }
        });
        out
    }
}
