//! The ARC node encoder's image part (feature `torch`): a CNN over every example's grid of
//! a value node, pooled over the examples (mean and max), so that a node that differs
//! from the target on one pair only still looks different. The original's CNN, which saw
//! the first example only: one-hot cells padded to 32 x 32, three convolutions of kernel
//! 4 and stride 2; here narrower (16, 32, 64 channels) for CPU training.

use std::collections::HashMap;
use std::sync::Mutex;

use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

use super::encode::{push_images, IMAGE_PAD, IMAGE_SIDE};
use crate::dsl::Value;
use crate::search::Values;

/// Slots embedded per CNN call when filling the cache.
const CACHE_CHUNK: usize = 256;
/// Entries the cache holds before it starts afresh.
const CACHE_LIMIT: usize = 200_000;

/// The CNN, and a cache of pooled embeddings for inference (the weights do not change
/// while a search runs; any training step empties it).
#[derive(Debug)]
pub struct GridCnn {
    conv1: nn::Conv2D,
    conv2: nn::Conv2D,
    conv3: nn::Conv2D,
    out: nn::Linear,
    /// Width of one grid's embedding; a slot's features are twice that (mean, max).
    pub width: i64,
    cache: Mutex<HashMap<Values, Vec<f32>>>,
}

impl GridCnn {
    /// A fresh CNN under `path` whose grid embeddings have `width` numbers.
    pub fn new(path: &nn::Path, width: i64) -> GridCnn {
        let config = nn::ConvConfig {
            stride: 2,
            ..Default::default()
        };
        let channels = i64::from(IMAGE_PAD) + 1;
        let conv = |name: &str, i, o| nn::conv2d(path / name, i, o, 4, config);
        GridCnn {
            conv1: conv("conv1", channels, 16),
            conv2: conv("conv2", 16, 32),
            conv3: conv("conv3", 32, 64),
            out: nn::linear(path / "cnn_out", 64 * 2 * 2, width, Default::default()),
            width,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Features per slot: the mean and the max of its grids' embeddings.
    pub fn features(&self) -> i64 {
        2 * self.width
    }

    /// `[G, width]` embeddings of `g` grids given as cell codes (`g * 32 * 32`).
    fn embed(&self, codes: &[u8], g: i64, device: Device) -> Tensor {
        let side = IMAGE_SIDE as i64;
        let x = Tensor::from_slice(codes)
            .to_device(device)
            .to_kind(Kind::Int64)
            .view([g, side, side])
            .one_hot(i64::from(IMAGE_PAD) + 1)
            .permute([0, 3, 1, 2])
            .to_kind(Kind::Float);
        let x = self.conv1.forward(&x).relu();
        let x = self.conv2.forward(&x).relu();
        let x = self.conv3.forward(&x).relu().flatten(1, -1);
        self.out.forward(&x).relu()
    }

    /// `[S, 2 * width]`: for each slot (the values of a node or of an action's result),
    /// the mean and max of its grids' embeddings; zeros for a slot without grids.
    fn pooled(&self, slots: &[&[Value]], device: Device) -> Tensor {
        let mut codes = Vec::new();
        let mut owner: Vec<i64> = Vec::new();
        for (s, values) in slots.iter().enumerate() {
            let n = push_images(values, &mut codes);
            owner.extend(std::iter::repeat_n(s as i64, n));
        }
        let (s, w) = (slots.len() as i64, self.width);
        let zeros = || Tensor::zeros([s, w], (Kind::Float, device));
        if owner.is_empty() {
            return Tensor::zeros([s, 2 * w], (Kind::Float, device));
        }
        let g = owner.len() as i64;
        let emb = self.embed(&codes, g, device);
        let idx = Tensor::from_slice(&owner).to_device(device);
        let sum = zeros().index_add(0, &idx, &emb);
        let count = Tensor::zeros([s], (Kind::Float, device))
            .index_add(0, &idx, &Tensor::ones([g], (Kind::Float, device)))
            .clamp_min(1.0)
            .unsqueeze(1);
        // Embeddings are non-negative (ReLU), so a zero start does not change the max.
        // (`internal_scatter_reduce` is torch's `scatter_reduce` with `include_self`.)
        let at = idx.unsqueeze(1).expand([g, w], false);
        let max = zeros().internal_scatter_reduce(0, &at, &emb, "amax", true);
        Tensor::cat(&[sum / count, max], 1)
    }

    /// `[S, 2 * width]` features of `slots`, each distinct slot embedded once: in the
    /// graph (training), or from the cache, filling it without gradients (inference).
    pub fn slot_features(&self, slots: &[Values], cached: bool, device: Device) -> Tensor {
        match cached {
            true => self.cached_features(slots, device),
            false => self.live_features(slots, device),
        }
    }

    /// Features computed in the graph (gradients flow; the weights are about to change, so
    /// the cache is emptied).
    fn live_features(&self, slots: &[Values], device: Device) -> Tensor {
        self.clear_cache();
        let mut unique: HashMap<&Values, i64> = HashMap::new();
        let mut distinct: Vec<&[Value]> = Vec::new();
        let index: Vec<i64> = slots
            .iter()
            .map(|v| {
                *unique.entry(v).or_insert_with(|| {
                    distinct.push(v);
                    distinct.len() as i64 - 1
                })
            })
            .collect();
        let pooled = self.pooled(&distinct, device);
        pooled.index_select(0, &Tensor::from_slice(&index).to_device(device))
    }

    /// Features read from the cache, after embedding the slots it lacks.
    fn cached_features(&self, slots: &[Values], device: Device) -> Tensor {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > CACHE_LIMIT {
            cache.clear();
        }
        let mut seen = std::collections::HashSet::new();
        let missing: Vec<&Values> = slots
            .iter()
            .filter(|v| !cache.contains_key(*v) && seen.insert(*v))
            .collect();
        let f = self.features() as usize;
        for chunk in missing.chunks(CACHE_CHUNK) {
            let values: Vec<&[Value]> = chunk.iter().map(|v| &v[..]).collect();
            let pooled = tch::no_grad(|| self.pooled(&values, device));
            let flat = Vec::<f32>::try_from(pooled.to_device(Device::Cpu).flatten(0, -1))
                .expect("float tensor");
            for (k, v) in chunk.iter().enumerate() {
                cache.insert((*v).clone(), flat[k * f..(k + 1) * f].to_vec());
            }
        }
        let flat: Vec<f32> = slots
            .iter()
            .flat_map(|v| cache[v].iter().copied())
            .collect();
        Tensor::from_slice(&flat)
            .view([slots.len() as i64, self.features()])
            .to_device(device)
    }

    /// Forgets the cached embeddings (after the weights change).
    fn clear_cache(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::Grid;

    #[test]
    fn every_example_counts_and_equal_slots_get_equal_features() {
        tch::manual_seed(0);
        let vs = nn::VarStore::new(Device::Cpu);
        let cnn = GridCnn::new(&vs.root(), 8);
        let g = |c: u8| Value::Grid(Grid::new(3, 2, vec![c, 0, 0, c, c, c]).unwrap());
        // Two nodes alike in their first example only, the first again, and a node
        // without grids.
        let slots: Vec<Values> = vec![
            vec![g(1), g(2)].into(),
            vec![g(1), g(7)].into(),
            vec![g(1), g(2)].into(),
            Vec::new().into(),
        ];
        let live = cnn.slot_features(&slots, false, Device::Cpu);
        assert_eq!(live.size(), [4, 16]);
        let row = |t: &Tensor, i: i64| Vec::<f32>::try_from(t.get(i)).unwrap();
        assert_ne!(row(&live, 0), row(&live, 1));
        assert_eq!(row(&live, 0), row(&live, 2));
        assert!(row(&live, 3).iter().all(|&x| x == 0.0));
        let cached = cnn.slot_features(&slots, true, Device::Cpu);
        assert!(live.allclose(&cached, 1e-6, 1e-6, false));
    }
}
