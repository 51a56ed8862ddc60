//! A trained guide on disk: the network's weights in safetensors, with metadata that says
//! what it was trained for (domain, strategy, op list, network shape, janus version).
//! Loading checks all of it against the running janus and the domain's ops.

use std::collections::HashMap;
use std::path::Path;

use tch::{nn, Device};

use super::encode::ValueEncoding;
use super::net::{NetShape, PolicyNet};
use super::ops::OpSet;
use crate::domains::{domain, Domain};
use crate::search::Strategy;

/// The model file format this janus writes and reads.
pub const FORMAT: &str = "janus-guide-2";

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Unreadable or not safetensors.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// Made for something else.
    #[error("{path}: {message}")]
    Mismatch {
        /// The file.
        path: String,
        /// What does not match.
        message: String,
    },
}

/// Width of the CNN's embedding of one grid (domains whose values are grids).
pub const IMAGE_WIDTH: i64 = 64;

/// A policy network with what it was trained for.
pub struct GuideModel {
    /// The weights.
    pub vs: nn::VarStore,
    /// The network.
    pub net: PolicyNet,
    /// Its domain.
    pub domain: Domain,
    /// Bidirectional (all ops) or forward-only.
    pub strategy: Strategy,
    /// The ops, in the network's order.
    pub ops: OpSet,
    /// How node values are encoded.
    pub encoding: ValueEncoding,
}

fn strategy_name(s: Strategy) -> &'static str {
    match s {
        Strategy::Bidir => "bidir",
        Strategy::Forward => "forward",
    }
}

impl GuideModel {
    /// A fresh, untrained model for `domain` and `strategy` on `device`.
    pub fn new(domain: Domain, strategy: Strategy, device: Device, seed: u64) -> GuideModel {
        tch::manual_seed(seed as i64);
        let ops = OpSet::new(&domain.registry, strategy.directions());
        let encoding = domain.guide.encoding;
        let shape = NetShape {
            n_features: encoding.n_features() as i64,
            n_ops: ops.len() as i64,
            max_slots: ops.max_slots() as i64,
            hidden: 128,
            state: 256,
            pointer: 128,
            image: if encoding.has_images() {
                IMAGE_WIDTH
            } else {
                0
            },
        };
        let vs = nn::VarStore::new(device);
        let net = PolicyNet::new(&vs.root(), shape);
        GuideModel {
            vs,
            net,
            domain,
            strategy,
            ops,
            encoding,
        }
    }

    /// The device the weights live on.
    pub fn device(&self) -> Device {
        self.vs.device()
    }

    /// Number of trainable numbers.
    pub fn parameters(&self) -> i64 {
        self.vs
            .trainable_variables()
            .iter()
            .map(|t| t.numel() as i64)
            .sum()
    }

    fn metadata(&self) -> HashMap<String, String> {
        let s = self.net.shape;
        [
            ("format", FORMAT.to_string()),
            ("janus_version", env!("CARGO_PKG_VERSION").to_string()),
            ("domain", self.domain.name().to_string()),
            ("strategy", strategy_name(self.strategy).to_string()),
            ("ops", self.ops.names().join(",")),
            ("n_features", s.n_features.to_string()),
            ("max_slots", s.max_slots.to_string()),
            ("hidden", s.hidden.to_string()),
            ("state", s.state.to_string()),
            ("pointer", s.pointer.to_string()),
            ("image", s.image.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// Writes the model (atomically: a temporary file, then a rename).
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        crate::tensors::save(&self.vs, self.metadata(), path).map_err(|message| ModelError::File {
            path: path.display().to_string(),
            message,
        })
    }

    /// Reads a model and checks that this janus and the domain's ops fit it.
    pub fn load(path: &Path, device: Device) -> Result<GuideModel, ModelError> {
        let p = path.display().to_string();
        let file_err = |message: String| ModelError::File {
            path: p.clone(),
            message,
        };
        let mismatch = |message: String| ModelError::Mismatch {
            path: p.clone(),
            message,
        };
        let (bytes, meta) = crate::tensors::read_model(path, "guide").map_err(file_err)?;
        let get = |k: &str| meta.get(k).map_err(file_err);
        let format = get("format")?;
        if format != FORMAT {
            return Err(mismatch(format!(
                "model format `{format}`, this janus reads `{FORMAT}`"
            )));
        }
        let version = get("janus_version")?;
        if version != env!("CARGO_PKG_VERSION") {
            return Err(mismatch(format!(
                "trained with janus {version}, this is janus {}; retrain it",
                env!("CARGO_PKG_VERSION")
            )));
        }
        let d = domain(&get("domain")?).map_err(|e| mismatch(e.to_string()))?;
        let strategy = match get("strategy")?.as_str() {
            "bidir" => Strategy::Bidir,
            "forward" => Strategy::Forward,
            other => return Err(mismatch(format!("unknown strategy `{other}`"))),
        };
        let mut model = GuideModel::new(d, strategy, device, 0);
        let ops = get("ops")?;
        let names: Vec<&str> = ops.split(',').collect();
        model.ops = model.ops.restricted(&names).ok_or_else(|| {
            mismatch(format!(
                "trained for the ops [{ops}], the {} domain now has [{}]",
                model.domain.name(),
                model.ops.names().join(",")
            ))
        })?;
        let int = |k: &str| -> Result<i64, ModelError> {
            get(k)?
                .parse()
                .map_err(|_| file_err(format!("metadata `{k}` is not a number")))
        };
        let shape = NetShape {
            n_features: int("n_features")?,
            n_ops: model.ops.len() as i64,
            max_slots: int("max_slots")?,
            hidden: int("hidden")?,
            state: int("state")?,
            pointer: int("pointer")?,
            image: match meta.get("image") {
                Ok(_) => int("image")?,
                Err(_) => 0,
            },
        };
        shape.check().map_err(file_err)?;
        if shape.n_features != model.encoding.n_features() as i64 {
            return Err(mismatch(format!(
                "trained on {} features per node, this janus makes {}",
                shape.n_features,
                model.encoding.n_features()
            )));
        }
        model.vs = nn::VarStore::new(device);
        model.net = PolicyNet::new(&model.vs.root(), shape);
        crate::tensors::load_into(&mut model.vs, &bytes).map_err(file_err)?;
        Ok(model)
    }
}
