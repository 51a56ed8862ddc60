//! The policy network (feature `torch`): a node encoder, a set encoder over the graph's
//! nodes (mean and max pooling, so graphs of any size look alike), an op head and a
//! pointer head that scores every node for every argument slot of an op. Padding, ops
//! without a valid action and nodes that cannot fill a slot are masked.

use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

use super::encode::{ActionMasks, EncodedState};
use super::teacher::Step;
use crate::search::Action;

/// The sizes of a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetShape {
    /// Features per node.
    pub n_features: i64,
    /// Ops in the vocabulary.
    pub n_ops: i64,
    /// Most argument slots of an op.
    pub max_slots: i64,
    /// Width of the node encoder.
    pub hidden: i64,
    /// Width of the graph state.
    pub state: i64,
    /// Width of the pointer head's hidden layer.
    pub pointer: i64,
}

/// Logit given to masked entries.
const MASKED: f64 = -1e9;

/// The policy network's layers.
#[derive(Debug)]
pub struct PolicyNet {
    /// The shape it was built with.
    pub shape: NetShape,
    node1: nn::Linear,
    node2: nn::Linear,
    state: nn::Linear,
    op1: nn::Linear,
    op2: nn::Linear,
    op_embedding: nn::Embedding,
    ptr_state: nn::Linear,
    ptr_node: nn::Linear,
    ptr_out: nn::Linear,
}

/// A batch of states as tensors.
pub struct StateBatch {
    /// `[B, N, F]` node features, zero-padded.
    pub features: Tensor,
    /// `[B, N]` true for real nodes.
    pub nodes: Tensor,
}

impl StateBatch {
    /// Pads `states` to the largest and stacks them on `device`.
    pub fn new(states: &[&EncodedState], n_features: usize, device: Device) -> StateBatch {
        let b = states.len();
        let n = states
            .iter()
            .map(|s| s.nodes.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let mut features = vec![0f32; b * n * n_features];
        let mut nodes = vec![false; b * n];
        for (i, s) in states.iter().enumerate() {
            let at = i * n * n_features;
            features[at..at + s.features.len()].copy_from_slice(&s.features);
            nodes[i * n..i * n + s.nodes.len()].fill(true);
        }
        StateBatch {
            features: Tensor::from_slice(&features)
                .view([b as i64, n as i64, n_features as i64])
                .to_device(device),
            nodes: Tensor::from_slice(&nodes)
                .view([b as i64, n as i64])
                .to_device(device),
        }
    }

    /// Padded node count.
    pub fn width(&self) -> i64 {
        self.nodes.size()[1]
    }
}

impl PolicyNet {
    /// A freshly initialised network under `path`.
    pub fn new(path: &nn::Path, shape: NetShape) -> PolicyNet {
        let lin = |name: &str, i: i64, o: i64| nn::linear(path / name, i, o, Default::default());
        PolicyNet {
            shape,
            node1: lin("node1", shape.n_features, shape.hidden),
            node2: lin("node2", shape.hidden, shape.hidden),
            state: lin("state", 2 * shape.hidden, shape.state),
            op1: lin("op1", shape.state, shape.state),
            op2: lin("op2", shape.state, shape.n_ops),
            op_embedding: nn::embedding(
                path / "op_embedding",
                shape.n_ops,
                shape.pointer,
                Default::default(),
            ),
            ptr_state: lin("ptr_state", shape.state, shape.pointer),
            ptr_node: lin("ptr_node", shape.hidden, shape.pointer),
            ptr_out: lin("ptr_out", shape.pointer, shape.max_slots),
        }
    }

    /// Node encodings `[B, N, H]` and graph states `[B, S]`.
    pub fn encode(&self, batch: &StateBatch) -> (Tensor, Tensor) {
        let h = self
            .node2
            .forward(&self.node1.forward(&batch.features).relu())
            .relu();
        let mask = batch.nodes.unsqueeze(-1).to_kind(Kind::Float);
        let count = mask.sum_dim_intlist(1, false, Kind::Float).clamp_min(1.0);
        let mean = (&h * &mask).sum_dim_intlist(1, false, Kind::Float) / count;
        let max = h
            .masked_fill(&batch.nodes.logical_not().unsqueeze(-1), MASKED)
            .amax(1, false);
        let state = self.state.forward(&Tensor::cat(&[mean, max], 1)).relu();
        (h, state)
    }

    /// Op log-probabilities `[B, O]`, masked.
    pub fn op_log_probs(&self, state: &Tensor, op_mask: &Tensor) -> Tensor {
        self.op2
            .forward(&self.op1.forward(state).relu())
            .masked_fill(&op_mask.logical_not(), MASKED)
            .log_softmax(-1, Kind::Float)
    }

    /// Pointer logits `[B, K, N]` for op `ops[b]` of each state (unmasked).
    pub fn pointer_logits(&self, h: &Tensor, state: &Tensor, ops: &Tensor) -> Tensor {
        let z = self.op_embedding.forward(ops).unsqueeze(1)
            + self.ptr_state.forward(state).unsqueeze(1)
            + self.ptr_node.forward(h);
        self.ptr_out.forward(&z.relu()).permute([0, 2, 1])
    }

    /// Pointer logits `[B, O, K, N]` for every op at once; the layers run once per state
    /// and node, only the sum with the op's embedding is per op.
    pub fn all_pointer_logits(&self, h: &Tensor, state: &Tensor) -> Tensor {
        let (b, n) = (h.size()[0], h.size()[1]);
        let (o, p) = (self.shape.n_ops, self.shape.pointer);
        let z = self.op_embedding.ws.view([1, o, 1, p])
            + self.ptr_state.forward(state).view([b, 1, 1, p])
            + self.ptr_node.forward(h).view([b, 1, n, p]);
        self.ptr_out.forward(&z.relu()).permute([0, 1, 3, 2])
    }

    /// The weighted negative log-likelihood of the steps' actions (mean over the batch):
    /// the supervised loss with weights 1, REINFORCE's with advantages.
    pub fn loss(&self, steps: &[&Step], device: Device) -> Tensor {
        let shape = self.shape;
        let states: Vec<&EncodedState> = steps.iter().map(|s| &s.state).collect();
        let batch = StateBatch::new(&states, shape.n_features as usize, device);
        let (b, n, k) = (
            steps.len(),
            batch.width() as usize,
            shape.max_slots as usize,
        );
        let mut op_mask = vec![false; b * shape.n_ops as usize];
        let mut arg_mask = vec![false; b * k * n];
        let mut args = vec![0i64; b * k];
        let mut slot_used = vec![0f32; b * k];
        for (i, s) in steps.iter().enumerate() {
            let o = shape.n_ops as usize;
            op_mask[i * o..(i + 1) * o].copy_from_slice(&s.op_mask);
            for (slot, &a) in s.args.iter().enumerate() {
                args[i * k + slot] = a as i64;
                slot_used[i * k + slot] = 1.0;
                let row = (i * k + slot) * n;
                arg_mask[row..row + s.arg_masks[slot].len()].copy_from_slice(&s.arg_masks[slot]);
            }
            // Unused slots: a dummy valid entry keeps the softmax finite (weight 0).
            for slot in s.args.len()..k {
                arg_mask[(i * k + slot) * n] = true;
            }
        }
        let t = |v: Tensor, dims: &[i64]| v.view(dims).to_device(device);
        let (bi, ki, ni) = (b as i64, k as i64, n as i64);
        let op_mask = t(Tensor::from_slice(&op_mask), &[bi, shape.n_ops]);
        let arg_mask = t(Tensor::from_slice(&arg_mask), &[bi, ki, ni]);
        let args = t(Tensor::from_slice(&args), &[bi, ki]);
        let slot_used = t(Tensor::from_slice(&slot_used), &[bi, ki]);
        let ops: Vec<i64> = steps.iter().map(|s| s.op as i64).collect();
        let ops = t(Tensor::from_slice(&ops), &[bi]);
        let weights: Vec<f32> = steps.iter().map(|s| s.weight).collect();
        let weights = t(Tensor::from_slice(&weights), &[bi]);

        let (h, state) = self.encode(&batch);
        let op_lp = self
            .op_log_probs(&state, &op_mask)
            .gather(1, &ops.unsqueeze(1), false)
            .squeeze_dim(1);
        let arg_lp = self
            .pointer_logits(&h, &state, &ops)
            .masked_fill(&arg_mask.logical_not(), MASKED)
            .log_softmax(-1, Kind::Float)
            .gather(2, &args.unsqueeze(2), false)
            .squeeze_dim(2);
        let log_prob = op_lp + (arg_lp * slot_used).sum_dim_intlist(1, false, Kind::Float);
        -(log_prob * weights).mean(Kind::Float)
    }

    /// The log-probability of each action in each state (one network call for all).
    /// `actions[i]` are valid actions of `states[i]`; `masks[i]` their masks.
    pub fn action_log_probs(
        &self,
        states: &[&EncodedState],
        masks: &[&ActionMasks],
        actions: &[Vec<(usize, &Action)>],
        device: Device,
    ) -> Vec<Vec<f64>> {
        let shape = self.shape;
        let (o, k) = (shape.n_ops as usize, shape.max_slots as usize);
        tch::no_grad(|| {
            let batch = StateBatch::new(states, shape.n_features as usize, device);
            let (b, n) = (states.len(), batch.width() as usize);
            let mut op_mask = vec![false; b * o];
            let mut arg_mask = vec![false; b * o * k * n];
            for (i, m) in masks.iter().enumerate() {
                op_mask[i * o..(i + 1) * o].copy_from_slice(&m.ops);
                for (op, slots) in m.slots.iter().enumerate() {
                    for (slot, nodes) in slots.iter().enumerate() {
                        let row = ((i * o + op) * k + slot) * n;
                        arg_mask[row..row + nodes.len()].copy_from_slice(nodes);
                    }
                }
            }
            let (bi, oi, ki, ni) = (b as i64, o as i64, k as i64, n as i64);
            let op_mask = Tensor::from_slice(&op_mask)
                .view([bi, oi])
                .to_device(device);
            let arg_mask = Tensor::from_slice(&arg_mask)
                .view([bi * oi, ki, ni])
                .to_device(device);
            let (h, state) = self.encode(&batch);
            let op_lp = self.op_log_probs(&state, &op_mask);
            let ptr_lp = self
                .all_pointer_logits(&h, &state)
                .view([bi * oi, ki, ni])
                .masked_fill(&arg_mask.logical_not(), MASKED)
                .log_softmax(-1, Kind::Float);
            let op_lp = Vec::<f32>::try_from(op_lp.to_device(Device::Cpu).flatten(0, -1))
                .expect("float tensor");
            let ptr_lp = Vec::<f32>::try_from(ptr_lp.to_device(Device::Cpu).flatten(0, -1))
                .expect("float tensor");
            actions
                .iter()
                .enumerate()
                .map(|(i, acts)| {
                    acts.iter()
                        .map(|&(op, a)| {
                            let arg_lp: f64 = a
                                .args
                                .iter()
                                .enumerate()
                                .map(|(slot, &node)| {
                                    let p = states[i].position(node).expect("a node of the state");
                                    ptr_lp[((i * o + op) * k + slot) * n + p] as f64
                                })
                                .sum();
                            op_lp[i * o + op] as f64 + arg_lp
                        })
                        .collect()
                })
                .collect()
        })
    }
}
