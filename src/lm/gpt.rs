//! A small GPT-style decoder: token and position embeddings, pre-norm blocks of causal
//! multi-head self-attention and a GELU MLP, a final layer norm and a head tied to the
//! token embeddings.

use serde::{Deserialize, Serialize};
use tch::nn::{self, Module};
use tch::{Kind, Tensor};

/// The decoder's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GptConfig {
    /// Token ids `0..vocab`.
    pub vocab: i64,
    /// Longest context (positions).
    pub context: i64,
    /// Blocks.
    pub layers: i64,
    /// Attention heads per block (divides `dim`).
    pub heads: i64,
    /// Width of the residual stream.
    pub dim: i64,
}

impl GptConfig {
    /// Trainable numbers of a decoder of this shape (the head is tied to the embeddings).
    pub fn parameters(&self) -> i64 {
        let d = self.dim;
        let block =
            2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d);
        self.vocab * d + self.context * d + self.layers * block + 2 * d
    }

    /// The shape closest to `target` parameters with `layers` blocks, heads of width 16 or
    /// more, and a width that is a multiple of `heads * 4`.
    pub fn sized(vocab: i64, context: i64, layers: i64, heads: i64, target: i64) -> GptConfig {
        let step = heads * 4;
        (1..=64)
            .map(|k| GptConfig {
                vocab,
                context,
                layers,
                heads,
                dim: k * step,
            })
            .min_by_key(|c| (c.parameters() - target).abs())
            .expect("a non-empty range")
    }
}

/// One pre-norm block.
#[derive(Debug)]
struct Block {
    ln1: nn::LayerNorm,
    qkv: nn::Linear,
    proj: nn::Linear,
    ln2: nn::LayerNorm,
    up: nn::Linear,
    down: nn::Linear,
    heads: i64,
}

impl Block {
    fn new(p: &nn::Path, c: &GptConfig) -> Block {
        let d = c.dim;
        Block {
            ln1: nn::layer_norm(p / "ln1", vec![d], Default::default()),
            qkv: nn::linear(p / "qkv", d, 3 * d, Default::default()),
            proj: nn::linear(p / "proj", d, d, Default::default()),
            ln2: nn::layer_norm(p / "ln2", vec![d], Default::default()),
            up: nn::linear(p / "up", d, 4 * d, Default::default()),
            down: nn::linear(p / "down", 4 * d, d, Default::default()),
            heads: c.heads,
        }
    }

    /// Causal self-attention: position t attends to positions `0..=t` only.
    fn attention(&self, x: &Tensor) -> Tensor {
        let (b, t, d) = x.size3().expect("[batch, time, dim]");
        let split = |y: Tensor| y.view([b, t, self.heads, d / self.heads]).transpose(1, 2);
        let qkv = self.qkv.forward(x).chunk(3, 2);
        let (q, k, v) = (
            split(qkv[0].shallow_clone()),
            split(qkv[1].shallow_clone()),
            split(qkv[2].shallow_clone()),
        );
        let y = Tensor::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            None::<Tensor>,
            0.0,
            true,
            None,
            false,
        );
        self.proj
            .forward(&y.transpose(1, 2).contiguous().view([b, t, d]))
    }

    fn forward(&self, x: &Tensor) -> Tensor {
        let x = x + self.attention(&self.ln1.forward(x));
        let h = self.up.forward(&self.ln2.forward(&x)).gelu("none");
        &x + self.down.forward(&h)
    }
}

/// The decoder.
#[derive(Debug)]
pub struct Gpt {
    /// Its shape.
    pub config: GptConfig,
    tokens: nn::Embedding,
    positions: nn::Embedding,
    blocks: Vec<Block>,
    ln_f: nn::LayerNorm,
}

impl Gpt {
    /// A freshly initialised decoder under `p`.
    pub fn new(p: &nn::Path, config: GptConfig) -> Gpt {
        let init = nn::EmbeddingConfig {
            ws_init: nn::Init::Randn {
                mean: 0.0,
                stdev: 0.02,
            },
            ..Default::default()
        };
        Gpt {
            config,
            tokens: nn::embedding(p / "tokens", config.vocab, config.dim, init),
            positions: nn::embedding(p / "positions", config.context, config.dim, init),
            blocks: (0..config.layers)
                .map(|i| Block::new(&(p / "blocks" / i), &config))
                .collect(),
            ln_f: nn::layer_norm(p / "ln_f", vec![config.dim], Default::default()),
        }
    }

    /// The residual stream after `layer` blocks (0: the embeddings), `[batch, time, dim]`,
    /// for token ids `[batch, time]` (time at most the context).
    pub fn hidden(&self, ids: &Tensor, layer: usize) -> Tensor {
        let t = ids.size()[1];
        let pos = Tensor::arange(t, (Kind::Int64, ids.device()));
        let mut x = self.tokens.forward(ids) + self.positions.forward(&pos);
        for block in self.blocks.iter().take(layer) {
            x = block.forward(&x);
        }
        x
    }

    /// Next-token logits `[batch, time, vocab]`.
    pub fn forward(&self, ids: &Tensor) -> Tensor {
        let x = self.ln_f.forward(&self.hidden(ids, self.blocks.len()));
        x.matmul(&self.tokens.ws.tr())
    }
}
