//! Network weights on disk: a libtorch `VarStore` as safetensors (F32) with string
//! metadata, written atomically, and read back with every tensor's name, type and shape
//! checked. The guide's and the language models' files share it.

use std::collections::HashMap;
use std::path::Path;

use tch::{nn, Device, Kind, Tensor};

use crate::io::write_atomic;

/// Writes every variable of `vs` (sorted by name) and `metadata` to `path`.
pub fn save(
    vs: &nn::VarStore,
    metadata: HashMap<String, String>,
    path: &Path,
) -> Result<(), String> {
    let mut vars: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    let mut tensors: Vec<(String, Vec<u8>, Vec<usize>)> = Vec::new();
    for (name, t) in vars {
        let shape: Vec<usize> = t.size().iter().map(|&d| d as usize).collect();
        let data =
            Vec::<f32>::try_from(t.to_device(Device::Cpu).to_kind(Kind::Float).flatten(0, -1))
                .map_err(|e| e.to_string())?;
        tensors.push((
            name,
            data.iter().flat_map(|x| x.to_le_bytes()).collect(),
            shape,
        ));
    }
    let views: Vec<(String, safetensors::tensor::TensorView)> = tensors
        .iter()
        .map(|(name, bytes, shape)| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes)
                .map(|v| (name.clone(), v))
                .map_err(|e| format!("{e:?}"))
        })
        .collect::<Result<_, _>>()?;
    let bytes =
        safetensors::tensor::serialize(views, &Some(metadata)).map_err(|e| format!("{e:?}"))?;
    write_atomic(path, &bytes).map_err(|e| format!("cannot write: {e}"))
}

/// A model file's metadata, with errors that say what the file should have been.
pub struct Metadata {
    map: HashMap<String, String>,
    kind: String,
}

impl Metadata {
    /// The entry `key`, or "not a janus KIND: no `key` in its metadata".
    pub fn get(&self, key: &str) -> Result<String, String> {
        self.map
            .get(key)
            .cloned()
            .ok_or_else(|| format!("not a janus {}: no `{key}` in its metadata", self.kind))
    }
}

/// Reads a safetensors model file: its bytes and its metadata; `kind` ("guide",
/// "decoder") names what it should be in error messages.
pub fn read_model(path: &Path, kind: &str) -> Result<(Vec<u8>, Metadata), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let map = metadata(&bytes).map_err(|e| format!("not a janus {kind}: {e}"))?;
    Ok((
        bytes,
        Metadata {
            map,
            kind: kind.to_string(),
        },
    ))
}

/// The metadata of a safetensors file's bytes.
pub fn metadata(bytes: &[u8]) -> Result<HashMap<String, String>, String> {
    let (_, meta) = safetensors::SafeTensors::read_metadata(bytes)
        .map_err(|e| format!("not a safetensors model file ({e:?})"))?;
    Ok(meta.metadata().clone().unwrap_or_default())
}

/// Copies the tensors of a safetensors file's bytes into the variables of `vs`: the same
/// names, F32, the same shapes, nothing missing and nothing extra.
pub fn load_into(vs: &mut nn::VarStore, bytes: &[u8]) -> Result<(), String> {
    load(vs, bytes, true)
}

/// Like `load_into`, but the file may hold tensors the network does not use (a pretrained
/// checkpoint's pooler, say).
pub fn load_subset(vs: &mut nn::VarStore, bytes: &[u8]) -> Result<(), String> {
    load(vs, bytes, false)
}

fn load(vs: &mut nn::VarStore, bytes: &[u8], exact: bool) -> Result<(), String> {
    let st = safetensors::SafeTensors::deserialize(bytes)
        .map_err(|e| format!("corrupt tensors ({e:?})"))?;
    let mut vars = vs.variables();
    if exact && st.len() != vars.len() {
        return Err(format!(
            "{} tensors, the network has {}",
            st.len(),
            vars.len()
        ));
    }
    tch::no_grad(|| {
        for (name, var) in vars.iter_mut() {
            let view = st
                .tensor(name)
                .map_err(|_| format!("tensor `{name}` is missing"))?;
            let want: Vec<usize> = var.size().iter().map(|&d| d as usize).collect();
            if view.dtype() != safetensors::Dtype::F32 || view.shape() != want {
                return Err(format!(
                    "tensor `{name}` is {:?} {:?}, expected F32 {want:?}",
                    view.dtype(),
                    view.shape()
                ));
            }
            let data: Vec<f32> = view
                .data()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            let dims: Vec<i64> = want.iter().map(|&d| d as i64).collect();
            var.copy_(
                &Tensor::from_slice(&data)
                    .view(&dims[..])
                    .to_device(var.device()),
            );
        }
        Ok(())
    })
}
