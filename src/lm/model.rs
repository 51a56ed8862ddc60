//! A trained decoder on disk: safetensors weights with metadata (format, janus version,
//! shape, the tokenizer it reads, training steps), checked on load.

use std::collections::HashMap;
use std::path::Path;

use tch::{nn, Device};

use super::gpt::{Gpt, GptConfig};
use crate::text::Tokenizer;

/// The file format this janus reads and writes.
pub const FORMAT: &str = "janus-gpt-1";

/// A decoder with its tokenizer.
pub struct GptModel {
    /// The weights.
    pub vs: nn::VarStore,
    /// The network.
    pub gpt: Gpt,
    /// The tokenizer whose ids it reads.
    pub tokenizer: Tokenizer,
    /// Optimiser steps trained so far.
    pub steps: usize,
}

/// Why a decoder file cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct GptFileError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl GptModel {
    /// A fresh decoder (seeded) for `tokenizer` on `device`.
    pub fn new(config: GptConfig, tokenizer: Tokenizer, device: Device, seed: u64) -> GptModel {
        tch::manual_seed(seed as i64);
        let vs = nn::VarStore::new(device);
        let gpt = Gpt::new(&vs.root(), config);
        GptModel {
            vs,
            gpt,
            tokenizer,
            steps: 0,
        }
    }

    /// Trainable numbers.
    pub fn parameters(&self) -> i64 {
        self.vs
            .trainable_variables()
            .iter()
            .map(|t| t.numel() as i64)
            .sum()
    }

    /// Writes the model atomically.
    pub fn save(&self, path: &Path) -> Result<(), GptFileError> {
        let err = |message: String| GptFileError {
            path: path.display().to_string(),
            message,
        };
        let meta: HashMap<String, String> = [
            ("format", FORMAT.to_string()),
            ("janus_version", env!("CARGO_PKG_VERSION").to_string()),
            (
                "config",
                serde_json::to_string(&self.gpt.config).map_err(|e| err(e.to_string()))?,
            ),
            (
                "tokenizer",
                serde_json::to_string(&self.tokenizer).map_err(|e| err(e.to_string()))?,
            ),
            ("steps", self.steps.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        crate::tensors::save(&self.vs, meta, path).map_err(err)
    }

    /// Reads a model onto `device`.
    pub fn load(path: &Path, device: Device) -> Result<GptModel, GptFileError> {
        let err = |message: String| GptFileError {
            path: path.display().to_string(),
            message,
        };
        let (bytes, meta) = crate::tensors::read_model(path, "decoder").map_err(err)?;
        let get = |k: &str| meta.get(k).map_err(err);
        let format = get("format")?;
        if format != FORMAT {
            return Err(err(format!(
                "format `{format}`, this janus reads `{FORMAT}`"
            )));
        }
        let config: GptConfig =
            serde_json::from_str(&get("config")?).map_err(|e| err(format!("bad config: {e}")))?;
        let tokenizer: Tokenizer = serde_json::from_str(&get("tokenizer")?)
            .map_err(|e| err(format!("bad tokenizer: {e}")))?;
        let steps = get("steps")?
            .parse()
            .map_err(|_| err("bad step count".into()))?;
        let mut model = GptModel::new(config, tokenizer, device, 0);
        crate::tensors::load_into(&mut model.vs, &bytes).map_err(err)?;
        model.steps = steps;
        Ok(model)
    }
}
