//! The policy network (feature `torch`): a node encoder, a set encoder over the graph's
//! nodes (mean and max pooling, so graphs of any size look alike), an op head and a
//! pointer head that scores every node for every argument slot of an op. Padding, ops
//! without a valid action and nodes that cannot fill a slot are masked.

use tch::nn::{self, Module};
use tch::{Device, Kind, Tensor};

use super::cnn::GridCnn;
use super::encode::{ActionMasks, ActionView, EncodedState};
use super::teacher::Step;
use crate::search::Values;

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
    /// Width of the CNN's embedding of one grid (0: no CNN; ARC has one).
    pub image: i64,
}

/// The widest layer a guide file may ask for: past it, the metadata is damaged (the
/// tensors' shapes are checked against the built network when they are read).
pub const MAX_WIDTH: i64 = 4096;

/// The most argument slots a guide file may ask for.
pub const MAX_NET_SLOTS: i64 = 64;

impl NetShape {
    /// Checks sizes read from a file before anything is built from them: each width from
    /// 1 to [`MAX_WIDTH`] (the CNN's may be 0, none), the slots from 1 to
    /// [`MAX_NET_SLOTS`].
    pub fn check(&self) -> Result<(), String> {
        let widths = [
            ("n_features", self.n_features, 1),
            ("n_ops", self.n_ops, 1),
            ("hidden", self.hidden, 1),
            ("state", self.state, 1),
            ("pointer", self.pointer, 1),
            ("image", self.image, 0),
        ];
        for (name, width, least) in widths {
            if !(least..=MAX_WIDTH).contains(&width) {
                return Err(format!(
                    "metadata `{name}` is {width}, outside {least}-{MAX_WIDTH}"
                ));
            }
        }
        if !(1..=MAX_NET_SLOTS).contains(&self.max_slots) {
            return Err(format!(
                "metadata `max_slots` is {}, outside 1-{MAX_NET_SLOTS}",
                self.max_slots
            ));
        }
        Ok(())
    }
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
    q1: nn::Linear,
    q2: nn::Linear,
    cnn: Option<GridCnn>,
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
        let cnn = (shape.image > 0).then(|| GridCnn::new(path, shape.image));
        let node_in = shape.n_features + cnn.as_ref().map_or(0, GridCnn::features);
        PolicyNet {
            shape,
            cnn,
            node1: lin("node1", node_in, shape.hidden),
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
            q1: lin(
                "q1",
                shape.state + shape.pointer + 2 * shape.hidden,
                shape.pointer,
            ),
            q2: lin("q2", shape.pointer, 1),
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
    fn op_log_probs(&self, state: &Tensor, op_mask: &Tensor) -> Tensor {
        self.op2
            .forward(&self.op1.forward(state).relu())
            .masked_fill(&op_mask.logical_not(), MASKED)
            .log_softmax(-1, Kind::Float)
    }

    /// Pointer logits `[B, O, K, N]` for every op at once; the layers run once per state
    /// and node, only the sum with the op's embedding is per op.
    fn all_pointer_logits(&self, h: &Tensor, state: &Tensor) -> Tensor {
        let (b, n) = (h.size()[0], h.size()[1]);
        let (o, p) = (self.shape.n_ops, self.shape.pointer);
        let z = self.op_embedding.ws.view([1, o, 1, p])
            + self.ptr_state.forward(state).view([b, 1, 1, p])
            + self.ptr_node.forward(h).view([b, 1, n, p]);
        self.ptr_out.forward(&z.relu()).permute([0, 1, 3, 2])
    }

    /// `features` `[B, R, F]` with the CNN's features of `slots` (one per row, row-major)
    /// appended along the last axis; unchanged without a CNN.
    fn with_images(&self, features: Tensor, slots: &[Values], cached: bool) -> Tensor {
        let Some(cnn) = &self.cnn else {
            return features;
        };
        let mut dims = features.size();
        let images = cnn.slot_features(slots, cached, features.device());
        *dims.last_mut().expect("a feature axis") = cnn.features();
        Tensor::cat(&[features, images.view(dims.as_slice())], -1)
    }

    /// `states` as a batch, with the CNN's features of their nodes where it has one.
    fn state_batch(&self, states: &[&EncodedState], device: Device, cached: bool) -> StateBatch {
        let mut batch = StateBatch::new(states, self.shape.n_features as usize, device);
        if self.cnn.is_some() {
            let n = batch.width() as usize;
            batch.features = self.with_images(batch.features, &node_slots(states, n), cached);
        }
        batch
    }

    /// The op head's log-probabilities in `state` over the ops `op_mask` allows (one flag
    /// per op; the others get about -1e9): which op the network would take next,
    /// whatever its arguments. One call costs the state's encoding only, no pointer or
    /// result scores.
    pub fn next_op_log_probs(
        &self,
        state: &EncodedState,
        op_mask: &[bool],
        device: Device,
    ) -> Vec<f64> {
        tch::no_grad(|| {
            let batch = self.state_batch(&[state], device, true);
            let (_, encoded) = self.encode(&batch);
            let mask = Tensor::from_slice(op_mask)
                .view([1, op_mask.len() as i64])
                .to_device(device);
            let lp = self.op_log_probs(&encoded, &mask);
            Vec::<f32>::try_from(lp.to_device(Device::Cpu).flatten(0, -1))
                .expect("float tensor")
                .into_iter()
                .map(f64::from)
                .collect()
        })
    }

    /// Log-probabilities `[B, C]` of each state's actions (padded with `-1e9`): the op
    /// head's and pointer head's log-probabilities plus a learned score of the action's
    /// result, normalised over the state's actions. `cached`: the CNN's embeddings come
    /// from its cache (inference), not from the graph (training).
    pub fn candidate_log_probs(
        &self,
        states: &[&EncodedState],
        masks: &[&ActionMasks],
        actions: &[Vec<&ActionView>],
        device: Device,
        cached: bool,
    ) -> Tensor {
        let shape = self.shape;
        let (o, k, f) = (
            shape.n_ops as usize,
            shape.max_slots as usize,
            shape.n_features as usize,
        );
        let batch = self.state_batch(states, device, cached);
        let (b, n) = (states.len(), batch.width() as usize);
        let c = actions.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut op_mask = vec![false; b * o];
        let mut arg_mask = vec![false; b * o * k * n];
        for (i, m) in masks.iter().enumerate() {
            op_mask[i * o..(i + 1) * o].copy_from_slice(&m.ops);
            for (op, slots) in m.slots.iter().enumerate() {
                for (slot, nodes) in slots.iter().enumerate() {
                    let row = ((i * o + op) * k + slot) * n;
                    arg_mask[row..row + nodes.len()].copy_from_slice(nodes);
                }
                // Slots the op lacks: one dummy entry keeps the softmax finite.
                for slot in slots.len()..k {
                    arg_mask[((i * o + op) * k + slot) * n] = true;
                }
            }
        }
        let mut valid = vec![false; b * c];
        let mut cand_op = vec![0i64; b * c];
        let mut flat_arg = vec![0i64; b * c * k];
        let mut node_arg = vec![0i64; b * c * k];
        let mut slot_used = vec![0f32; b * c * k];
        let mut results = vec![0f32; b * c * f];
        let mut row = Vec::with_capacity(f);
        for (i, acts) in actions.iter().enumerate() {
            for (j, a) in acts.iter().enumerate() {
                let at = i * c + j;
                valid[at] = true;
                cand_op[at] = a.op as i64;
                for (slot, &p) in a.args.iter().enumerate() {
                    flat_arg[at * k + slot] = (((a.op * k) + slot) * n + p) as i64;
                    node_arg[at * k + slot] = p as i64;
                    slot_used[at * k + slot] = 1.0;
                }
                row.clear();
                a.push_result_row(states[i], &mut row);
                results[at * f..(at + 1) * f].copy_from_slice(&row);
            }
        }
        let (bi, ci, ki, ni, oi) = (b as i64, c as i64, k as i64, n as i64, o as i64);
        let t = |v: Tensor, dims: &[i64]| v.view(dims).to_device(device);
        let op_mask = t(Tensor::from_slice(&op_mask), &[bi, oi]);
        let arg_mask = t(Tensor::from_slice(&arg_mask), &[bi, oi, ki, ni]);
        let valid = t(Tensor::from_slice(&valid), &[bi, ci]);
        let cand_op = t(Tensor::from_slice(&cand_op), &[bi, ci]);
        let flat_arg = t(Tensor::from_slice(&flat_arg), &[bi, ci * ki]);
        let node_arg = t(Tensor::from_slice(&node_arg), &[bi, ci * ki]);
        let slot_used = t(Tensor::from_slice(&slot_used), &[bi, ci, ki]);
        let results = t(Tensor::from_slice(&results), &[bi, ci, f as i64]);
        let results = match self.cnn {
            Some(_) => self.with_images(results, &result_slots(actions, c), cached),
            None => results,
        };

        let (h, state) = self.encode(&batch);
        let op_lp = self
            .op_log_probs(&state, &op_mask)
            .gather(1, &cand_op, false);
        let ptr_lp = self
            .all_pointer_logits(&h, &state)
            .masked_fill(&arg_mask.logical_not(), MASKED)
            .log_softmax(-1, Kind::Float)
            .view([bi, oi * ki * ni])
            .gather(1, &flat_arg, false)
            .view([bi, ci, ki]);
        let ptr_lp = (ptr_lp * &slot_used).sum_dim_intlist(-1, false, Kind::Float);
        let hidden = shape.hidden;
        let h_args = h
            .gather(
                1,
                &node_arg.unsqueeze(-1).expand([bi, ci * ki, hidden], false),
                false,
            )
            .view([bi, ci, ki, hidden]);
        let h_args = (h_args * slot_used.unsqueeze(-1)).sum_dim_intlist(2, false, Kind::Float);
        let h_result = self
            .node2
            .forward(&self.node1.forward(&results).relu())
            .relu();
        let q_in = Tensor::cat(
            &[
                state.unsqueeze(1).expand([bi, ci, shape.state], false),
                self.op_embedding.forward(&cand_op),
                h_args,
                h_result,
            ],
            -1,
        );
        let q = self
            .q2
            .forward(&self.q1.forward(&q_in).relu())
            .squeeze_dim(-1);
        (op_lp + ptr_lp + q)
            .masked_fill(&valid.logical_not(), MASKED)
            .log_softmax(-1, Kind::Float)
    }

    /// The weighted negative log-likelihood of the steps' actions taken (mean over the
    /// batch): the supervised loss with weights 1, REINFORCE's with advantages.
    pub fn loss(&self, steps: &[&Step], device: Device) -> Tensor {
        let states: Vec<&EncodedState> = steps.iter().map(|s| &s.state).collect();
        let masks: Vec<&ActionMasks> = steps.iter().map(|s| &s.masks).collect();
        let actions: Vec<Vec<&ActionView>> =
            steps.iter().map(|s| s.actions.iter().collect()).collect();
        let weights: Vec<f32> = steps.iter().map(|s| s.weight).collect();
        let weights = Tensor::from_slice(&weights).to_device(device);
        let lp = self
            .candidate_log_probs(&states, &masks, &actions, device, false)
            .select(1, 0);
        -(lp * weights).mean(Kind::Float)
    }

    /// The log-probability of each action of each state (one network call for all).
    pub fn action_log_probs(
        &self,
        states: &[&EncodedState],
        masks: &[&ActionMasks],
        actions: &[Vec<&ActionView>],
        device: Device,
    ) -> Vec<Vec<f64>> {
        tch::no_grad(|| {
            let lp = self.candidate_log_probs(states, masks, actions, device, true);
            let c = lp.size()[1] as usize;
            let flat = Vec::<f32>::try_from(lp.to_device(Device::Cpu).flatten(0, -1))
                .expect("float tensor");
            actions
                .iter()
                .enumerate()
                .map(|(i, acts)| (0..acts.len()).map(|j| flat[i * c + j] as f64).collect())
                .collect()
        })
    }
}

/// Each state's node values padded to `n` nodes (empty values for padding).
fn node_slots(states: &[&EncodedState], n: usize) -> Vec<Values> {
    let empty = Values::from(Vec::new());
    states
        .iter()
        .flat_map(|s| (0..n).map(|j| s.values.get(j).unwrap_or(&empty).clone()))
        .collect()
}

/// Each state's action results padded to `c` actions (empty values for padding).
fn result_slots(actions: &[Vec<&ActionView>], c: usize) -> Vec<Values> {
    let empty = Values::from(Vec::new());
    actions
        .iter()
        .flat_map(|acts| (0..c).map(|j| acts.get(j).map_or(empty.clone(), |a| a.result_values())))
        .collect()
}
