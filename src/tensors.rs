//! Network weights on disk: a libtorch `VarStore` as safetensors (F32) with string
//! metadata, written atomically, and read back with every tensor's name, type and shape
//! checked. The guide's and the language models' files share it.

use std::collections::HashMap;
use std::path::Path;

use tch::{nn, Device, Kind, Tensor};

use crate::io::write_atomic;

/// Writes every variable of `vs` (sorted by name) and `metadata` to `path`.
pub(crate) fn save(
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
pub(crate) struct Metadata {
    map: HashMap<String, String>,
    kind: String,
}

impl Metadata {
    /// The entry `key`, or "not a janus KIND: no `key` in its metadata".
    pub(crate) fn get(&self, key: &str) -> Result<String, String> {
        self.map
            .get(key)
            .cloned()
            .ok_or_else(|| format!("not a janus {}: no `{key}` in its metadata", self.kind))
    }
}

/// Reads a safetensors model file: its bytes and its metadata; `kind` ("guide",
/// "decoder") names what it should be in error messages.
pub(crate) fn read_model(path: &Path, kind: &str) -> Result<(Vec<u8>, Metadata), String> {
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
pub(crate) fn metadata(bytes: &[u8]) -> Result<HashMap<String, String>, String> {
    let (_, meta) = safetensors::SafeTensors::read_metadata(bytes)
        .map_err(|e| format!("not a safetensors model file ({e:?})"))?;
    Ok(meta.metadata().clone().unwrap_or_default())
}

/// Copies the tensors of a safetensors file's bytes into the variables of `vs`: the same
/// names, F32 (or F16/BF16, widened to F32), the same shapes, nothing missing and nothing extra.
pub(crate) fn load_into(vs: &mut nn::VarStore, bytes: &[u8]) -> Result<(), String> {
    load(vs, bytes, true)
}

/// Like `load_into`, but the file may hold tensors the network does not use (a pretrained
/// checkpoint's pooler, say).
pub(crate) fn load_subset(vs: &mut nn::VarStore, bytes: &[u8]) -> Result<(), String> {
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
            let kind = float_kind(view.dtype());
            if kind.is_none() || view.shape() != want {
                return Err(format!(
                    "tensor `{name}` is {:?} {:?}, expected F32, F16 or BF16 {want:?}",
                    view.dtype(),
                    view.shape()
                ));
            }
            let dims: Vec<i64> = want.iter().map(|&d| d as i64).collect();
            let stored = Tensor::f_from_data_size(view.data(), &dims, kind.unwrap())
                .map_err(|e| format!("tensor `{name}`: {e}"))?;
            // `copy_` converts half-precision weights to the variable's F32.
            var.copy_(&stored.to_device(var.device()));
        }
        Ok(())
    })
}

/// The tch kind of a floating-point safetensors dtype the loaders accept.
fn float_kind(dtype: safetensors::Dtype) -> Option<Kind> {
    match dtype {
        safetensors::Dtype::F32 => Some(Kind::Float),
        safetensors::Dtype::F16 => Some(Kind::Half),
        safetensors::Dtype::BF16 => Some(Kind::BFloat16),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A safetensors file holding one tensor `w` of `dtype` with the raw `bytes`.
    fn file_with(dtype: safetensors::Dtype, bytes: &[u8]) -> Vec<u8> {
        let view = safetensors::tensor::TensorView::new(dtype, vec![3], bytes).unwrap();
        safetensors::tensor::serialize(vec![("w".to_string(), view)], &None).unwrap()
    }

    fn loaded(file: &[u8]) -> Result<Vec<f32>, String> {
        let mut vs = nn::VarStore::new(Device::Cpu);
        let w = vs.root().zeros("w", &[3]);
        load_into(&mut vs, file)?;
        Ok(Vec::<f32>::try_from(&w).unwrap())
    }

    #[test]
    fn half_precision_weights_are_widened_to_f32() {
        // 0.5, -2.0 and 1.25 as IEEE half and as bfloat16, little-endian.
        let f16 = [0x00, 0x38, 0x00, 0xC0, 0x00, 0x3D];
        let bf16 = [0x00, 0x3F, 0x00, 0xC0, 0xA0, 0x3F];
        let want = vec![0.5, -2.0, 1.25];
        assert_eq!(
            loaded(&file_with(safetensors::Dtype::F16, &f16)),
            Ok(want.clone())
        );
        assert_eq!(
            loaded(&file_with(safetensors::Dtype::BF16, &bf16)),
            Ok(want)
        );
    }

    #[test]
    fn integer_weights_are_refused_with_their_name() {
        let err = loaded(&file_with(safetensors::Dtype::U8, &[1, 2, 3])).unwrap_err();
        assert!(err.contains("tensor `w` is U8"), "{err}");
    }
}
