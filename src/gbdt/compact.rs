//! A trained ensemble flattened for fast prediction one row at a time (generation): every
//! tree in one array, in pre-order, 8 bytes a node, so that a walk touches few cache lines.

use super::booster::Booster;
use super::tree::Tree;

/// A node: a split (`feature`, go right by `right` nodes when `x > value`, else to the next
/// node), or a leaf (`feature == LEAF`, output `value`).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Node {
    feature: u16,
    right: u16,
    value: f32,
}

const LEAF: u16 = u16::MAX;

/// The trees of a `Booster`, flattened.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactForest {
    nodes: Vec<Node>,
    /// Where each tree starts, round by round, output by output.
    roots: Vec<u32>,
    base: Vec<f32>,
}

impl CompactForest {
    /// Flattens `booster`; `None` if a tree or the feature count is too large for 16-bit
    /// offsets (then use `Booster::predict_row`).
    pub fn new(booster: &Booster) -> Option<CompactForest> {
        if booster.features >= LEAF as usize {
            return None;
        }
        let mut nodes = Vec::new();
        let mut roots = Vec::new();
        for tree in booster.rounds.iter().flatten() {
            roots.push(nodes.len() as u32);
            flatten(tree, 0, &mut nodes)?;
        }
        Some(CompactForest {
            nodes,
            roots,
            base: booster.base.clone(),
        })
    }

    /// Scores of one row of raw features, one per output (as `Booster::predict_row`).
    /// Eight trees are walked at once, so that their memory loads overlap instead of
    /// waiting for each other.
    pub fn predict_row(&self, row: &[f32], out: &mut [f32]) {
        out.copy_from_slice(&self.base);
        let k = out.len();
        const LANES: usize = 8;
        let mut chunks = self.roots.chunks_exact(LANES);
        let mut t0 = 0;
        for chunk in chunks.by_ref() {
            let mut at = [0usize; LANES];
            for (a, &r) in at.iter_mut().zip(chunk) {
                *a = r as usize;
            }
            let mut done = [false; LANES];
            let mut value = [0.0f32; LANES];
            let mut left = LANES;
            while left > 0 {
                for lane in 0..LANES {
                    if done[lane] {
                        continue;
                    }
                    let n = self.nodes[at[lane]];
                    if n.feature == LEAF {
                        value[lane] = n.value;
                        done[lane] = true;
                        left -= 1;
                    } else {
                        at[lane] += if row[n.feature as usize] > n.value {
                            n.right as usize
                        } else {
                            1
                        };
                    }
                }
            }
            // Added in tree order, as the booster does, so the sums are the same.
            for (lane, v) in value.iter().enumerate() {
                out[(t0 + lane) % k] += v;
            }
            t0 += LANES;
        }
        for (i, &root) in chunks.remainder().iter().enumerate() {
            out[(t0 + i) % k] += self.walk(root as usize, row);
        }
    }

    fn walk(&self, mut i: usize, row: &[f32]) -> f32 {
        loop {
            let n = self.nodes[i];
            if n.feature == LEAF {
                return n.value;
            }
            i += if row[n.feature as usize] > n.value {
                n.right as usize
            } else {
                1
            };
        }
    }
}

/// Appends the subtree at `at` in pre-order; `None` if a right offset overflows 16 bits.
fn flatten(tree: &Tree, at: usize, nodes: &mut Vec<Node>) -> Option<()> {
    let n = &tree.nodes[at];
    let me = nodes.len();
    if n.is_leaf() {
        nodes.push(Node {
            feature: LEAF,
            right: 0,
            value: n.value,
        });
        return Some(());
    }
    nodes.push(Node {
        feature: n.feature as u16,
        right: 0,
        value: n.threshold,
    });
    flatten(tree, n.left as usize, nodes)?;
    nodes[me].right = u16::try_from(nodes.len() - me).ok()?;
    flatten(tree, n.left as usize + 1, nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gbdt::{BoostParams, Matrix, Targets};

    #[test]
    fn predicts_exactly_as_the_booster() {
        let x = Matrix::new(
            300,
            3,
            (0..900).map(|i| ((i * 37) % 101) as f32 / 10.0).collect(),
        );
        let labels: Vec<u32> = (0..300)
            .map(|r| (x.get(r, 0) > 5.0) as u32 + (x.get(r, 2) > 3.0) as u32)
            .collect();
        let params = BoostParams {
            rounds: 10,
            max_depth: 4,
            ..BoostParams::default()
        };
        let b = Booster::train(
            &params,
            &x,
            Targets::Classes {
                labels: &labels,
                classes: 3,
            },
            None,
            &mut |_| {},
        );
        let f = CompactForest::new(&b).unwrap();
        let (mut a, mut c) = ([0.0; 3], [0.0; 3]);
        for r in 0..300 {
            b.predict_row(x.row(r), &mut a);
            f.predict_row(x.row(r), &mut c);
            assert_eq!(a, c, "row {r}");
        }
    }
}
