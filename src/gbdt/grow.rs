//! Growing one tree, level by level (as XGBoost's `hist` method does by default): each
//! node's best split comes from a scan of its gradient histogram, rows are partitioned in
//! place, and only the smaller child's histogram is counted.

use rayon::prelude::*;

use super::data::BinnedMatrix;
use super::histogram::{self, GradPair, GradSum, HistLayout};
use super::tree::{Node, Tree};

/// The shape limits and regularisation of one tree.
#[derive(Clone, Debug)]
pub struct TreeParams {
    /// Deepest split level (a tree of depth d has at most 2^d leaves).
    pub max_depth: usize,
    /// At most this many leaves (0: no limit besides the depth).
    pub max_leaves: usize,
    /// Least hessian sum in a child.
    pub min_child_weight: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Least loss reduction for a split.
    pub gamma: f64,
    /// Shrinkage applied to leaf values.
    pub learning_rate: f32,
}

/// The best split of a node.
#[derive(Clone, Copy, Debug)]
struct Split {
    feature: usize,
    bin: u8,
    gain: f64,
    left: GradSum,
}

/// A node waiting to be split: its rows are `rows[start..end]` of the grower's index.
struct Open {
    node: usize,
    start: usize,
    end: usize,
    hist: Vec<GradSum>,
    sum: GradSum,
    depth: usize,
}

/// Grows a tree on `rows` (indices into `binned`) for the gradients `grads`, splitting
/// only on `features`. `parallel` counts histograms and scans features on the rayon pool
/// (for a single tree; several trees at once are better parallel over trees).
pub fn grow(
    binned: &BinnedMatrix,
    layout: &HistLayout,
    grads: &[GradPair],
    mut rows: Vec<u32>,
    features: &[usize],
    params: &TreeParams,
    parallel: bool,
) -> Tree {
    let mut tree = Tree {
        nodes: vec![Node::leaf(0.0)],
    };
    let root = Open {
        node: 0,
        start: 0,
        end: rows.len(),
        hist: histogram::build(layout, binned, grads, &rows, parallel),
        sum: GradSum::of(grads, &rows),
        depth: 0,
    };
    let mut level = vec![root];
    let mut leaves = 1;
    let mut scratch = Vec::new();
    while !level.is_empty() {
        let mut candidates: Vec<(Open, Option<Split>)> = level
            .into_iter()
            .map(|open| {
                let split = (open.depth < params.max_depth)
                    .then(|| best_split(&open, layout, features, params, parallel))
                    .flatten();
                (open, split)
            })
            .collect();
        if params.max_leaves > 0 {
            candidates.sort_by(|a, b| gain_of(&b.1).total_cmp(&gain_of(&a.1)));
        }
        let mut next = Vec::new();
        for (open, split) in candidates {
            let room = params.max_leaves == 0 || leaves < params.max_leaves;
            match split.filter(|_| room) {
                Some(split) => {
                    leaves += 1;
                    let children = apply_split(
                        &mut tree,
                        &mut rows,
                        &mut scratch,
                        open,
                        split,
                        binned,
                        layout,
                        grads,
                        parallel,
                    );
                    next.extend(children);
                }
                None => tree.nodes[open.node].value = leaf_value(open.sum, params),
            }
        }
        level = next;
    }
    tree
}

fn gain_of(split: &Option<Split>) -> f64 {
    split.map_or(f64::NEG_INFINITY, |s| s.gain)
}

fn leaf_value(sum: GradSum, params: &TreeParams) -> f32 {
    (-sum.g / (sum.h + params.lambda)) as f32 * params.learning_rate
}

/// Records `split` in the tree, partitions the node's rows and returns its two children
/// with their histograms (the smaller counted, the larger by subtraction).
#[allow(clippy::too_many_arguments)]
fn apply_split(
    tree: &mut Tree,
    rows: &mut [u32],
    scratch: &mut Vec<u32>,
    open: Open,
    split: Split,
    binned: &BinnedMatrix,
    layout: &HistLayout,
    grads: &[GradPair],
    parallel: bool,
) -> [Open; 2] {
    let mid = open.start
        + partition(
            &mut rows[open.start..open.end],
            scratch,
            binned,
            split.feature,
            split.bin,
        );
    let left = tree.nodes.len();
    tree.nodes.push(Node::leaf(0.0));
    tree.nodes.push(Node::leaf(0.0));
    tree.nodes[open.node] = Node {
        feature: split.feature as u32,
        threshold: 0.0, // set from the cuts by the booster
        split_bin: split.bin,
        left: left as u32,
        value: 0.0,
        gain: split.gain as f32,
    };
    let right_sum = open.sum.minus(split.left);
    let left_is_smaller = mid - open.start <= open.end - mid;
    let small = if left_is_smaller {
        open.start..mid
    } else {
        mid..open.end
    };
    let small_hist = histogram::build(layout, binned, grads, &rows[small], parallel);
    let mut large_hist = open.hist;
    histogram::subtract(&mut large_hist, &small_hist);
    let (left_hist, right_hist) = if left_is_smaller {
        (small_hist, large_hist)
    } else {
        (large_hist, small_hist)
    };
    let depth = open.depth + 1;
    [
        Open {
            node: left,
            start: open.start,
            end: mid,
            hist: left_hist,
            sum: split.left,
            depth,
        },
        Open {
            node: left + 1,
            start: mid,
            end: open.end,
            hist: right_hist,
            sum: right_sum,
            depth,
        },
    ]
}

/// Stable partition of `rows` into those whose `feature` bin is `<= bin` (first) and the
/// rest; returns the number of the first.
fn partition(
    rows: &mut [u32],
    scratch: &mut Vec<u32>,
    binned: &BinnedMatrix,
    feature: usize,
    bin: u8,
) -> usize {
    scratch.clear();
    let mut n_left = 0;
    for i in 0..rows.len() {
        let r = rows[i];
        if binned.row(r as usize)[feature] <= bin {
            rows[n_left] = r;
            n_left += 1;
        } else {
            scratch.push(r);
        }
    }
    rows[n_left..].copy_from_slice(scratch);
    n_left
}

/// The best split of `open` over `features`, if any reduces the loss by more than gamma.
fn best_split(
    open: &Open,
    layout: &HistLayout,
    features: &[usize],
    params: &TreeParams,
    parallel: bool,
) -> Option<Split> {
    let scan = |&f: &usize| scan_feature(&open.hist[layout.range(f)], f, open.sum, params);
    let best = if parallel {
        features.par_iter().filter_map(scan).reduce_with(better)
    } else {
        features.iter().filter_map(scan).reduce(better)
    };
    best.filter(|s| s.gain > params.gamma.max(1e-12))
}

/// The larger gain; on a tie, the lower feature (so parallel scans are deterministic).
fn better(a: Split, b: Split) -> Split {
    if b.gain > a.gain || (b.gain == a.gain && b.feature < a.feature) {
        b
    } else {
        a
    }
}

/// The best threshold of one feature from its bins.
fn scan_feature(bins: &[GradSum], feature: usize, total: GradSum, p: &TreeParams) -> Option<Split> {
    let score = |s: GradSum| s.g * s.g / (s.h + p.lambda);
    let parent = score(total);
    let mut left = GradSum::default();
    let mut best: Option<Split> = None;
    for (bin, b) in bins.iter().enumerate().take(bins.len().saturating_sub(1)) {
        left.g += b.g;
        left.h += b.h;
        let right = total.minus(left);
        if left.h < p.min_child_weight || right.h < p.min_child_weight {
            continue;
        }
        let gain = 0.5 * (score(left) + score(right) - parent);
        if best.is_none_or(|s| gain > s.gain) {
            best = Some(Split {
                feature,
                bin: bin as u8,
                gain,
                left,
            });
        }
    }
    best
}
