//! A regression tree: binary splits "feature <= threshold" and a value at each leaf.

use serde::{Deserialize, Serialize};

/// One node. A split has `left != 0` (its children are `left` and `left + 1`; the root is
/// node 0, so no child is); a leaf has `left == 0` and its output in `value`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The feature a split tests.
    pub feature: u32,
    /// A split sends `x <= threshold` left.
    pub threshold: f32,
    /// The same test on bins: `bin <= split_bin` goes left.
    pub split_bin: u8,
    /// The left child, or 0 for a leaf.
    pub left: u32,
    /// A leaf's output (learning rate included).
    pub value: f32,
    /// A split's loss reduction (for feature importance).
    pub gain: f32,
}

impl Node {
    /// A leaf with output `value`.
    pub fn leaf(value: f32) -> Node {
        Node {
            feature: 0,
            threshold: 0.0,
            split_bin: 0,
            left: 0,
            value,
            gain: 0.0,
        }
    }

    /// Whether this node is a leaf.
    pub fn is_leaf(&self) -> bool {
        self.left == 0
    }
}

/// A regression tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Nodes; node 0 is the root.
    pub nodes: Vec<Node>,
}

impl Tree {
    /// Checks a tree read from a file: every split's children exist and come after it (so
    /// that every path ends at a leaf), and it tests one of `features` features.
    pub fn check(&self, features: usize) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("a tree without nodes".into());
        }
        for (i, n) in self.nodes.iter().enumerate() {
            if n.is_leaf() {
                continue;
            }
            let left = n.left as usize;
            if left <= i || left + 1 >= self.nodes.len() {
                return Err(format!(
                    "node {i}: children {left} and {} out of order or range",
                    left + 1
                ));
            }
            if n.feature as usize >= features {
                return Err(format!("node {i}: feature {} of {features}", n.feature));
            }
        }
        Ok(())
    }

    /// The output for a row of raw feature values.
    pub fn predict(&self, row: &[f32]) -> f32 {
        let mut n = &self.nodes[0];
        while !n.is_leaf() {
            let right = row[n.feature as usize] > n.threshold;
            n = &self.nodes[n.left as usize + right as usize];
        }
        n.value
    }

    /// The output for a row of bins (from the cuts the tree was trained with).
    pub fn predict_binned(&self, row: &[u8]) -> f32 {
        let mut n = &self.nodes[0];
        while !n.is_leaf() {
            let right = row[n.feature as usize] > n.split_bin;
            n = &self.nodes[n.left as usize + right as usize];
        }
        n.value
    }

    /// Number of leaves (the tree's parameters).
    pub fn leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.is_leaf()).count()
    }

    /// Length of the longest root-to-leaf path.
    pub fn depth(&self) -> usize {
        fn depth_of(t: &Tree, i: usize) -> usize {
            let n = &t.nodes[i];
            if n.is_leaf() {
                0
            } else {
                1 + depth_of(t, n.left as usize).max(depth_of(t, n.left as usize + 1))
            }
        }
        depth_of(self, 0)
    }
}
