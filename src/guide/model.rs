//! A trained guide on disk: the network's weights in safetensors, with metadata that says
//! what it was trained for (domain, strategy, op list, network shape, janus version).
//! Loading checks all of it against the running janus and the domain's ops.

use std::collections::HashMap;
use std::path::Path;

use tch::{nn, Device};

use super::encode::ValueEncoding;
use super::net::{NetShape, PolicyNet};
use super::ops::OpSet;
use crate::domains::{domain, Domain, DomainKind};
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

    /// The domain's primitives that its kind's built-in registry lacks: the learned
    /// library the model is for (recorded in the model file).
    pub fn library(&self) -> Vec<String> {
        let built_in = self.domain.kind.domain().registry;
        self.domain
            .registry
            .iter()
            .filter(|(_, p)| built_in.id(&p.name).is_none())
            .map(|(_, p)| p.name.to_string())
            .collect()
    }

    /// The domain's ops the model has no weights for: the search leaves their actions out.
    pub fn unknown_ops(&self) -> Vec<String> {
        OpSet::new(&self.domain.registry, self.strategy.directions()).missing_from(&self.ops)
    }

    /// This model with the vocabulary of `domain` (of its kind): every op of the domain,
    /// the weights of those it knows copied by name and fresh ones, drawn with `seed`, for
    /// the rest (a learned library's abstractions), ready to be fine-tuned.
    pub fn with_vocabulary_of(&self, domain: Domain, seed: u64) -> GuideModel {
        let mut grown = GuideModel::new(domain, self.strategy, self.device(), seed);
        let shape = NetShape {
            n_ops: grown.ops.len() as i64,
            max_slots: self.net.shape.max_slots.max(grown.ops.max_slots() as i64),
            ..self.net.shape
        };
        grown.vs = nn::VarStore::new(self.device());
        grown.net = PolicyNet::new(&grown.vs.root(), shape);
        let rows: Vec<Option<usize>> = grown
            .ops
            .ops()
            .iter()
            .map(|o| self.ops.ops().iter().position(|x| x.name == o.name))
            .collect();
        copy_weights(&self.vs, &grown.vs, &rows);
        grown
    }

    fn metadata(&self) -> HashMap<String, String> {
        let s = self.net.shape;
        [
            ("format", FORMAT.to_string()),
            ("janus_version", env!("CARGO_PKG_VERSION").to_string()),
            ("domain", self.domain.name().to_string()),
            ("strategy", strategy_name(self.strategy).to_string()),
            ("ops", self.ops.names().join(",")),
            ("library", self.library().join(",")),
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
        GuideModel::load_in(path, device, &DomainKind::domain)
    }

    /// Reads a model to guide the search in `domain_of(its kind)`, which may have
    /// primitives the model was not trained with (a learned library) or lack some it was
    /// (a `--base`). Ops are matched by name: the domain's ops the model knows are scored,
    /// the others are left out (see [`GuideModel::unknown_ops`]); the model's ops the
    /// domain lacks match no action.
    pub fn load_in(
        path: &Path,
        device: Device,
        domain_of: &dyn Fn(DomainKind) -> Domain,
    ) -> Result<GuideModel, ModelError> {
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
        let kind = domain(&get("domain")?)
            .map_err(|e| mismatch(e.to_string()))?
            .kind;
        let d = domain_of(kind);
        if d.kind != kind {
            return Err(mismatch(format!(
                "a guide for the {} domain, not {}",
                kind.name(),
                d.name()
            )));
        }
        let strategy = match get("strategy")?.as_str() {
            "bidir" => Strategy::Bidir,
            "forward" => Strategy::Forward,
            other => return Err(mismatch(format!("unknown strategy `{other}`"))),
        };
        let mut model = GuideModel::new(d, strategy, device, 0);
        let ops = get("ops")?;
        let names: Vec<&str> = ops.split(',').collect();
        model.ops = model.ops.by_names(&names);
        if model.ops.ops().iter().all(|o| o.prim.is_none()) {
            return Err(mismatch(format!(
                "trained for the ops [{ops}], none of which the {} domain has",
                model.domain.name()
            )));
        }
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

/// The variables with one row per op (the op head's output and the op embedding).
const PER_OP: [&str; 3] = ["op2.weight", "op2.bias", "op_embedding.weight"];

/// Copies `from`'s weights into `to`: per-op rows by `rows` (the row of `from` for each op
/// of `to`, if any), every other variable whole, or its leading block where `to`'s is
/// larger (the pointer head of an op with more slots).
fn copy_weights(from: &nn::VarStore, to: &nn::VarStore, rows: &[Option<usize>]) {
    let old = from.variables();
    tch::no_grad(|| {
        for (name, dst) in to.variables() {
            let Some(src) = old.get(&name) else {
                continue;
            };
            if PER_OP.contains(&name.as_str()) {
                for (i, j) in rows.iter().enumerate() {
                    if let Some(j) = j {
                        dst.get(i as i64).copy_(&src.get(*j as i64));
                    }
                }
                continue;
            }
            let (mut d, mut s) = (dst.shallow_clone(), src.shallow_clone());
            for dim in 0..d.dim() as i64 {
                let n = d.size()[dim as usize].min(s.size()[dim as usize]);
                d = d.narrow(dim, 0, n);
                s = s.narrow(dim, 0, n);
            }
            d.copy_(&s);
        }
    });
}
