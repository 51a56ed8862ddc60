//! What a policy network sees: a feature vector per live value node of the search graph
//! (its role, groundedness, place in the graph and an encoding of its values), the ops
//! that have at least one valid action, and for each op and argument slot the nodes that
//! can fill it.

use std::collections::HashMap;

use petgraph::stable_graph::NodeIndex;

use super::ops::OpSet;
use crate::dsl::Value;
use crate::search::{Action, Candidate, Role, SearchGraph, Usage, Values};

/// Input slots of a linear task the features describe (more are folded into the last).
pub const USAGE_SLOTS: usize = 6;
/// Features every node has, whatever its domain.
pub const COMMON_FEATURES: usize = 8 + USAGE_SLOTS;

pub use crate::domains::ValueEncoding;

/// Side of the square a grid is padded (or cropped) to for the network's CNN.
#[cfg(feature = "torch")]
pub const IMAGE_SIDE: usize = 32;
/// The code of a cell outside the grid; colours are 0-9.
#[cfg(feature = "torch")]
pub const IMAGE_PAD: u8 = 10;

const RATIONAL_FEATURES: usize = 101 + 3 + 2 + 9 + DIVISORS.len() + 8;
/// Divisibility of an integer's magnitude by these: the multiplicative structure that a
/// one-hot code hides (what 24 = 4 * 6 = 3 * 8 shares with 12 and 48).
const DIVISORS: [u64; 11] = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const BINARY_FEATURES: usize = 34;
const KIND_FEATURES: usize = 6;
const GRID_STATS: usize = 14;
/// How a grid node relates to the task's target and to its input, per anchor: same
/// shape, share of equal cells, shared colours, area ratio (means over the examples).
const RELATIONS: usize = 8;

impl ValueEncoding {
    /// Length of a node's feature vector (common features included).
    pub fn n_features(self) -> usize {
        COMMON_FEATURES
            + match self {
                ValueEncoding::Rational => RATIONAL_FEATURES,
                ValueEncoding::Binary => BINARY_FEATURES,
                ValueEncoding::Grid => KIND_FEATURES + GRID_STATS + RELATIONS,
                ValueEncoding::Kind => KIND_FEATURES,
            }
    }

    /// Whether the network also sees each example's grid as an image.
    pub fn has_images(self) -> bool {
        self == ValueEncoding::Grid
    }

    /// Appends the encoding of one value.
    fn push_value(self, v: &Value, out: &mut Vec<f32>) {
        match self {
            ValueEncoding::Rational => push_rational(v, out),
            ValueEncoding::Binary => push_binary(v, out),
            ValueEncoding::Grid => push_grid(v, out),
            ValueEncoding::Kind => push_kind(v, out),
        }
    }
}

fn push_grid(v: &Value, out: &mut Vec<f32>) {
    push_kind(v, out);
    let start = out.len();
    out.resize(start + GRID_STATS, 0.0);
    let f = &mut out[start..];
    match v {
        Value::Grid(g) => {
            f[0] = g.height() as f32 / 30.0;
            f[1] = g.width() as f32 / 30.0;
            let share = 1.0 / g.cells().len() as f32;
            for &c in g.cells() {
                f[2 + c as usize] += share;
            }
            f[12] = f[2..12].iter().filter(|&&x| x > 0.0).count() as f32 / 10.0;
        }
        Value::Colour(c) => f[2 + *c as usize % 10] = 1.0,
        Value::List(items) => f[13] = (items.len() as f32 / 10.0).min(1.0),
        _ => {}
    }
}

/// Appends each grid of `values` as an [`IMAGE_SIDE`] x [`IMAGE_SIDE`] square of cell
/// codes (colours, [`IMAGE_PAD`] outside the grid); returns how many it appended.
#[cfg(feature = "torch")]
pub fn push_images(values: &[Value], out: &mut Vec<u8>) -> usize {
    let mut n = 0;
    for g in values.iter().filter_map(Value::as_grid) {
        let start = out.len();
        out.resize(start + IMAGE_SIDE * IMAGE_SIDE, IMAGE_PAD);
        for r in 0..g.height().min(IMAGE_SIDE) {
            for c in 0..g.width().min(IMAGE_SIDE) {
                out[start + r * IMAGE_SIDE + c] = g.get(r, c);
            }
        }
        n += 1;
    }
    n
}

fn push_rational(v: &Value, out: &mut Vec<f32>) {
    let start = out.len();
    out.resize(start + RATIONAL_FEATURES, 0.0);
    let f = &mut out[start..];
    let Some(r) = v.as_rat() else { return };
    let x = r.to_f64();
    let (num, den) = (r.numer(), r.denom());
    let integer = den == 1.into();
    if integer && (0.0..=100.0).contains(&x) {
        f[x as usize] = 1.0;
    }
    f[101] = (x < 0.0) as u8 as f32;
    f[102] = (!integer) as u8 as f32;
    f[103] = (x > 100.0) as u8 as f32;
    f[104] = (x / 10.0).tanh() as f32;
    f[105] = (x / 100.0).tanh() as f32;
    let d = usize::try_from(&den).unwrap_or(usize::MAX);
    f[106 + d.clamp(1, 9) - 1] = 1.0;
    // The numerator's magnitude: divisibility, then its low binary digits.
    let m = u64::try_from(num.magnitude()).unwrap_or(0);
    let at = 115;
    for (i, k) in DIVISORS.iter().enumerate() {
        f[at + i] = (m != 0 && m % k == 0) as u8 as f32;
    }
    let at = at + DIVISORS.len();
    for i in 0..8 {
        f[at + i] = ((m.min(255) >> i) & 1) as f32;
    }
}

fn push_binary(v: &Value, out: &mut Vec<f32>) {
    let start = out.len();
    out.resize(start + BINARY_FEATURES, 0.0);
    let f = &mut out[start..];
    let Some(n) = v.as_int() else { return };
    let bits = n.bits();
    let (_, digits) = n.to_u64_digits();
    let low = digits.first().copied().unwrap_or(0);
    for (i, x) in f.iter_mut().take(32).enumerate() {
        *x = ((low >> i) & 1) as f32;
    }
    f[32] = bits as f32 / 32.0;
    f[33] = (bits > 32) as u8 as f32;
}

fn push_kind(v: &Value, out: &mut Vec<f32>) {
    let kind = match v {
        Value::Int(_) => 0,
        Value::Rat(_) => 1,
        Value::Bool(_) => 2,
        Value::Colour(_) => 3,
        Value::Grid(_) => 4,
        _ => 5,
    };
    let start = out.len();
    out.resize(start + KIND_FEATURES, 0.0);
    out[start + kind] = 1.0;
}

/// The live value nodes of a graph and their features (row-major, `n_features` each).
#[derive(Clone, Debug, PartialEq)]
pub struct EncodedState {
    /// The nodes, in graph insertion order; pointer indices refer to this order.
    pub nodes: Vec<NodeIndex>,
    /// `nodes.len() * n_features` numbers.
    pub features: Vec<f32>,
    /// Features per node.
    pub n_features: usize,
    /// How values are encoded.
    pub encoding: ValueEncoding,
    /// All the task's inputs, as usage (linear tasks).
    pub full_usage: Usage,
    /// Whether the task is linear.
    pub linear: bool,
    /// Each node's values, where the encoding has images (else empty).
    pub values: Vec<Values>,
    /// The target's and the first input's values, where the encoding relates nodes to
    /// them.
    pub anchors: Option<Anchors>,
    positions: HashMap<NodeIndex, usize>,
}

impl EncodedState {
    /// Encodes every live value node of `graph`.
    pub fn new(graph: &SearchGraph, encoding: ValueEncoding) -> EncodedState {
        let nodes: Vec<NodeIndex> = graph.value_nodes().collect();
        let n_features = encoding.n_features();
        let anchors = encoding.has_images().then(|| Anchors::of(graph));
        let mut features = Vec::with_capacity(nodes.len() * n_features);
        for &n in &nodes {
            let v = graph.value(n);
            let flags = NodeFlags::of(graph, n);
            push_node_row(
                flags,
                v.usage,
                &v.values,
                encoding,
                anchors.as_ref(),
                &mut features,
            );
        }
        let positions = nodes.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        let values = match encoding.has_images() {
            true => nodes
                .iter()
                .map(|&n| graph.value(n).values.clone())
                .collect(),
            false => Vec::new(),
        };
        EncodedState {
            values,
            anchors,
            nodes,
            features,
            n_features,
            encoding,
            full_usage: graph.full_usage(),
            linear: graph.is_linear(),
            positions,
        }
    }

    /// The position of `node` in [`Self::nodes`].
    pub fn position(&self, node: NodeIndex) -> Option<usize> {
        self.positions.get(&node).copied()
    }
}

/// A valid action as the network sees it: its op, its argument positions, and its
/// result (the forward output, or the inputs an inverse computed).
#[derive(Clone, Debug, PartialEq)]
pub struct ActionView {
    /// The op's index in the [`OpSet`].
    pub op: usize,
    /// Argument positions in the state's nodes, one per slot.
    pub args: Vec<usize>,
    /// The values it makes, with their usage.
    pub outputs: Vec<(Values, Usage)>,
    /// Forward (the outputs are grounded) or backward.
    pub forward: bool,
}

impl ActionView {
    /// The view of candidate `c` in `state`; `None` when its op is not in `ops`.
    pub fn new(ops: &OpSet, state: &EncodedState, c: &Candidate) -> Option<ActionView> {
        Some(ActionView {
            op: ops.index_of(&c.action)?,
            args: c
                .action
                .args
                .iter()
                .map(|&n| state.position(n))
                .collect::<Option<_>>()?,
            outputs: c.outputs.clone(),
            forward: c.action.direction == crate::search::Direction::Forward,
        })
    }

    /// The values of its result (of all its outputs, one after the other).
    pub fn result_values(&self) -> Values {
        match &self.outputs[..] {
            [(values, _)] => values.clone(),
            many => many.iter().flat_map(|(v, _)| v.iter().cloned()).collect(),
        }
    }

    /// The feature row of its result (the mean row of several outputs).
    pub fn push_result_row(&self, state: &EncodedState, out: &mut Vec<f32>) {
        let start = out.len();
        let mut sum = vec![0f32; state.n_features];
        for (values, usage) in &self.outputs {
            let complete = state.linear && *usage == state.full_usage;
            let flags = NodeFlags::made(self.forward, complete);
            let anchors = state.anchors.as_ref();
            push_node_row(flags, *usage, values, state.encoding, anchors, out);
            sum.iter_mut().zip(&out[start..]).for_each(|(s, x)| *s += x);
            out.truncate(start);
        }
        let k = self.outputs.len().max(1) as f32;
        out.extend(sum.iter().map(|s| s / k));
    }
}

/// What a node's feature row says besides its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeFlags {
    /// Grounded.
    pub grounded: bool,
    /// A task input.
    pub input: bool,
    /// The target.
    pub target: bool,
    /// A constant or an inferred literal.
    pub constant: bool,
    /// Made by an action.
    pub derived: bool,
    /// Some program node computes it.
    pub produced: bool,
    /// It is an argument of some program node.
    pub consumed: bool,
    /// It uses every input (linear tasks).
    pub complete: bool,
}

impl NodeFlags {
    /// The flags of graph node `n`.
    pub fn of(graph: &SearchGraph, n: NodeIndex) -> NodeFlags {
        let v = graph.value(n);
        NodeFlags {
            grounded: v.grounded,
            input: matches!(v.role, Role::Input(_)),
            target: v.role == Role::Target,
            constant: matches!(v.role, Role::Constant(_) | Role::Literal),
            derived: v.role == Role::Derived,
            produced: graph.has_producer(n),
            consumed: graph.has_consumer(n),
            complete: graph.is_linear() && v.usage == graph.full_usage(),
        }
    }

    /// The flags a node made by an action would have: forward outputs are grounded and
    /// produced, computed inputs ungrounded and consumed.
    pub fn made(forward: bool, complete: bool) -> NodeFlags {
        NodeFlags {
            grounded: forward,
            input: false,
            target: false,
            constant: false,
            derived: true,
            produced: forward,
            consumed: !forward,
            complete,
        }
    }
}

/// Appends the feature row of a node with these flags, usage and values (several
/// examples, as in ARC: the mean of their encodings), and with `anchors`, how its values
/// relate to theirs.
fn push_node_row(
    flags: NodeFlags,
    usage: Usage,
    values: &[Value],
    encoding: ValueEncoding,
    anchors: Option<&Anchors>,
    out: &mut Vec<f32>,
) {
    push_own_row(flags, usage, values, encoding, out);
    if encoding.has_images() {
        push_relations(values, anchors, out);
    }
}

fn push_own_row(
    flags: NodeFlags,
    usage: Usage,
    values: &[Value],
    encoding: ValueEncoding,
    out: &mut Vec<f32>,
) {
    let flag = |b: bool| b as u8 as f32;
    out.extend([
        flag(flags.grounded),
        flag(flags.input),
        flag(flags.target),
        flag(flags.constant),
        flag(flags.derived),
        flag(flags.produced),
        flag(flags.consumed),
        flag(flags.complete),
    ]);
    for slot in 0..USAGE_SLOTS {
        out.push(usage.count(slot) as f32);
    }
    let start = out.len();
    let mut sum: Vec<f32> = Vec::new();
    for value in values {
        out.truncate(start);
        encoding.push_value(value, out);
        if sum.is_empty() {
            sum = out[start..].to_vec();
        } else {
            sum.iter_mut().zip(&out[start..]).for_each(|(s, x)| *s += x);
        }
    }
    out.truncate(start);
    if sum.is_empty() {
        encoding.push_value(&Value::Bool(false), out);
        return;
    }
    let k = values.len() as f32;
    out.extend(sum.iter().map(|s| s / k));
}

/// The values a grid node is compared with: what the search must reach and where it
/// starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchors {
    /// The target's values.
    pub target: Values,
    /// The first input's values (the target's where the task has no input).
    pub input: Values,
}

impl Anchors {
    /// The anchors of `graph`.
    pub fn of(graph: &SearchGraph) -> Anchors {
        let target = graph.value(graph.target()).values.clone();
        let input = graph
            .input_node(0)
            .map_or(target.clone(), |n| graph.value(n).values.clone());
        Anchors { target, input }
    }
}

/// Appends [`RELATIONS`] numbers: for the target, then the input, the means over the
/// examples of (same shape, share of equal cells where the shapes agree, shared colours
/// over all colours, smaller area over larger); zeros for values that are not grids.
fn push_relations(values: &[Value], anchors: Option<&Anchors>, out: &mut Vec<f32>) {
    let start = out.len();
    out.resize(start + RELATIONS, 0.0);
    let Some(anchors) = anchors else { return };
    let f = &mut out[start..];
    for (k, anchor) in [&anchors.target, &anchors.input].into_iter().enumerate() {
        let pairs: Vec<(&crate::dsl::Grid, &crate::dsl::Grid)> = values
            .iter()
            .zip(anchor.iter())
            .filter_map(|(v, a)| Some((v.as_grid()?, a.as_grid()?)))
            .collect();
        let n = pairs.len().max(1) as f32;
        for (v, a) in pairs {
            let rel = grid_relation(v, a);
            for (x, r) in f[4 * k..4 * k + 4].iter_mut().zip(rel) {
                *x += r / n;
            }
        }
    }
}

/// Same shape, share of equal cells, shared colours, area ratio of two grids.
fn grid_relation(v: &crate::dsl::Grid, a: &crate::dsl::Grid) -> [f32; 4] {
    let same = v.height() == a.height() && v.width() == a.width();
    let equal = match same {
        true => {
            let eq = v
                .cells()
                .iter()
                .zip(a.cells())
                .filter(|(x, y)| x == y)
                .count();
            eq as f32 / v.cells().len() as f32
        }
        false => 0.0,
    };
    let colours = |g: &crate::dsl::Grid| g.cells().iter().fold(0u16, |m, &c| m | 1 << c);
    let (cv, ca) = (colours(v), colours(a));
    let shared = (cv & ca).count_ones() as f32 / (cv | ca).count_ones().max(1) as f32;
    let (av, aa) = (v.cells().len() as f32, a.cells().len() as f32);
    [same as u8 as f32, equal, shared, av.min(aa) / av.max(aa)]
}

/// Which ops can apply, and which nodes can fill each slot of each op, given the valid
/// actions of a state: the masks of the op and pointer heads.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionMasks {
    /// One flag per op.
    pub ops: Vec<bool>,
    /// `[op][slot][node]` flags.
    pub slots: Vec<Vec<Vec<bool>>>,
}

impl ActionMasks {
    /// The masks of `actions` over `state`'s nodes (actions outside `ops` are ignored).
    pub fn new<'a>(
        ops: &OpSet,
        state: &EncodedState,
        actions: impl IntoIterator<Item = &'a Action>,
    ) -> ActionMasks {
        let n = state.nodes.len();
        let mut masks = ActionMasks {
            ops: vec![false; ops.len()],
            slots: ops
                .ops()
                .iter()
                .map(|o| vec![vec![false; n]; o.slots])
                .collect(),
        };
        for a in actions {
            masks.add(ops, state, a);
        }
        masks
    }

    /// Marks `action` as valid.
    pub fn add(&mut self, ops: &OpSet, state: &EncodedState, action: &Action) {
        let Some(o) = ops.index_of(action) else {
            return;
        };
        self.ops[o] = true;
        for (slot, &node) in action.args.iter().enumerate() {
            if let Some(p) = state.position(node) {
                self.slots[o][slot][p] = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::search::Strategy;

    #[test]
    fn a_24_state_has_one_row_per_node_and_masks_only_valid_ops() {
        let d = DomainKind::TwentyFour.domain();
        let inputs = vec![[1, 3, 5, 7].map(|n| Value::rat(n, 1)).to_vec()];
        let g = SearchGraph::new(&d.registry, &inputs, &[Value::rat(24, 1)], true).unwrap();
        let enc = DomainKind::TwentyFour.domain().guide.encoding;
        let state = EncodedState::new(&g, enc);
        assert_eq!(state.nodes.len(), 5); // four inputs and the target
        assert_eq!(state.features.len(), 5 * enc.n_features());
        // The target's row: ungrounded, role target, value 24 one-hot.
        let t = state.position(g.target()).unwrap();
        let row = &state.features[t * enc.n_features()..(t + 1) * enc.n_features()];
        assert_eq!(row[0], 0.0);
        assert_eq!(row[2], 1.0);
        assert_eq!(row[COMMON_FEATURES + 24], 1.0);
        let dirs = Strategy::Bidir.directions();
        let ops = OpSet::new(&d.registry, dirs);
        let cands = crate::search::actions::valid_candidates(&g, &d.registry, dirs);
        let masks = ActionMasks::new(&ops, &state, cands.iter().map(|c| &c.action));
        // Every op can apply somewhere at the start, and an inverse's first slot is
        // always the target (the only ungrounded node).
        assert!(masks.ops.iter().all(|&m| m));
        let inv = ops.names().iter().position(|n| n == "mul.cinv0").unwrap();
        let first: Vec<usize> = (0..5).filter(|&p| masks.slots[inv][0][p]).collect();
        assert_eq!(first, vec![t]);
    }

    #[test]
    fn grid_relations_compare_shape_cells_colours_and_area() {
        let g =
            |h: usize, w: usize, cells: &[u8]| crate::dsl::Grid::new(h, w, cells.to_vec()).unwrap();
        let a = g(2, 2, &[1, 0, 0, 2]);
        assert_eq!(grid_relation(&a, &a), [1.0, 1.0, 1.0, 1.0]);
        // Same shape, one cell of four differs, colours {0,1,2} vs {0,1,3}: 2 of 4 shared.
        assert_eq!(
            grid_relation(&a, &g(2, 2, &[1, 0, 0, 3])),
            [1.0, 0.75, 0.5, 1.0]
        );
        // Another shape: no cell comparison; area 4 of 8.
        assert_eq!(
            grid_relation(&a, &g(2, 4, &[1; 8])),
            [0.0, 0.0, 1.0 / 3.0, 0.5]
        );
        // Means over the examples, target first, then input; zeros without anchors.
        let anchors = Anchors {
            target: vec![Value::Grid(a.clone()), Value::Grid(a.clone())].into(),
            input: vec![Value::Grid(a.clone()), Value::Grid(g(2, 4, &[1; 8]))].into(),
        };
        let values = [Value::Grid(a.clone()), Value::Grid(a.clone())];
        let mut out = Vec::new();
        push_relations(&values, Some(&anchors), &mut out);
        assert_eq!(
            out,
            [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, (1.0 + 1.0 / 3.0) / 2.0, 0.75]
        );
        out.clear();
        push_relations(&values, None, &mut out);
        assert_eq!(out, [0.0; RELATIONS]);
    }

    #[test]
    fn binary_encoding_spells_the_low_bits() {
        let mut out = Vec::new();
        push_binary(&Value::int(0b1011), &mut out);
        assert_eq!(&out[..5], &[1.0, 1.0, 0.0, 1.0, 0.0]);
        assert_eq!(out[32], 4.0 / 32.0);
    }
}
