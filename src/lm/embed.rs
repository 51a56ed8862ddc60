//! A trained decoder's hidden states as ARDT embeddings: the residual stream after a
//! chosen number of blocks, at every position, computed causally in windows of the
//! decoder's context (a position sees the tokens before it in its window).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tch::{Device, Kind, Tensor};

use super::bert::{BertError, MiniLm};
use super::model::{GptFileError, GptModel};
use crate::text::{EmbeddingSource, Embeddings};

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
    pub fn tokenizer(&self) -> crate::text::Tokenizer {
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

/// MiniLM's states as ARDT vectors: each ARDT token is split into MiniLM word pieces, the
/// document runs through the encoder with a causal mask (in windows of at most 256 pieces,
/// each opened by `[CLS]`), and a token's vector is the state of its last piece, which has
/// seen the document up to that token and nothing after. Vectors are cached on disk per
/// document, under the encoder's checksum: another encoder never reads them.
pub struct MiniLmEmbeddings {
    model: Mutex<MiniLm>,
    /// Word pieces of each ARDT token id.
    pieces: Vec<Vec<i64>>,
    cache: Option<PathBuf>,
    dim: usize,
    /// The end-of-text token: sequences ending with it are whole documents.
    eos: Option<u32>,
}

/// Pieces per encoder window.
const WINDOW: usize = 256;

impl MiniLmEmbeddings {
    /// Opens the encoder in `dir` for ARDT tokens `words` (their texts by id), caching
    /// vectors under `cache` (a folder named after the encoder's checksum is made inside).
    pub fn open(
        dir: &Path,
        words: &[String],
        eos: Option<u32>,
        cache: Option<&Path>,
        checksum: u32,
    ) -> Result<MiniLmEmbeddings, BertError> {
        let model = MiniLm::load(dir, Device::Cpu)?;
        let pieces = words.iter().map(|w| model.pieces(w)).collect();
        let dim = model.config.hidden_size as usize;
        let cache = cache.map(|c| c.join(format!("minilm-{checksum:08x}")));
        Ok(MiniLmEmbeddings {
            model: Mutex::new(model),
            pieces,
            cache,
            dim,
            eos,
        })
    }

    /// The static vector of every ARDT token (the mean input embedding of its pieces).
    pub fn token_table(&self) -> Embeddings {
        let model = self.model.lock().expect("the encoder lock");
        let rows: Vec<f32> = self
            .pieces
            .iter()
            .flat_map(|p| model.static_vector(p))
            .collect();
        Embeddings::new(self.dim, rows)
    }

    fn cache_file(&self, tokens: &[u32]) -> Option<PathBuf> {
        let mut h = crate::io::Fnv1a::default();
        h.eat_tokens(tokens);
        let h = h.finish();
        self.cache
            .as_ref()
            .map(|c| c.join(format!("{h:016x}-{}.bin", tokens.len())))
    }

    fn compute(&self, tokens: &[u32]) -> Vec<f32> {
        let model = self.model.lock().expect("the encoder lock");
        let mut out = Vec::with_capacity(tokens.len() * self.dim);
        let mut start = 0;
        while start < tokens.len() {
            // Fill one window: [CLS] and whole tokens' pieces, at most WINDOW in all.
            let mut ids = vec![model.cls()];
            let mut last_piece = Vec::new();
            let mut end = start;
            while end < tokens.len() {
                let p = &self.pieces[tokens[end] as usize];
                if ids.len() + p.len().max(1) > WINDOW && end > start {
                    break;
                }
                ids.extend(p.iter().take(WINDOW - 1));
                last_piece.push(ids.len() - 1);
                end += 1;
            }
            let states = tch::no_grad(|| model.states(&[ids], true).0.squeeze_dim(0));
            let index =
                Tensor::from_slice(&last_piece.iter().map(|&i| i as i64).collect::<Vec<_>>());
            let picked = states
                .index_select(0, &index)
                .to_kind(Kind::Float)
                .flatten(0, -1);
            out.extend(Vec::<f32>::try_from(picked).expect("float states"));
            start = end;
        }
        out
    }
}

impl EmbeddingSource for MiniLmEmbeddings {
    fn dim(&self) -> usize {
        self.dim
    }

    fn embed_sequence(&self, tokens: &[u32]) -> Vec<f32> {
        // Whole documents (training and evaluation) are cached; the growing contexts of
        // generation are not.
        let whole = tokens.last().is_some_and(|&t| Some(t) == self.eos);
        let file = if whole { self.cache_file(tokens) } else { None };
        if let Some(bytes) = file.as_ref().and_then(|f| std::fs::read(f).ok()) {
            if bytes.len() == tokens.len() * self.dim * 4 {
                return bytes
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
            }
        }
        let v = self.compute(tokens);
        if let Some(f) = file {
            let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
            // A cache that cannot be written only costs time.
            let _ = crate::io::write_atomic(&f, &bytes);
        }
        v
    }
}
