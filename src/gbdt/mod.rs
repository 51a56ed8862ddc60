//! Gradient-boosted decision trees, written for the ARDT language models: histogram
//! splits on byte-binned features, level-wise growth with the histogram-subtraction
//! trick, shrinkage, depth and leaf limits, row and feature subsampling, and early
//! stopping. Several outputs (embedding dimensions, or classes of a softmax) grow their
//! trees in parallel on the rayon pool; a single output parallelises inside its tree.
//!
//! ```
//! use janus::gbdt::{Booster, BoostParams, Matrix, Targets};
//!
//! // y = 1 if x > 0.5 else 0, learnt by depth-1 trees.
//! let x = Matrix::new(100, 1, (0..100).map(|i| i as f32 / 100.0).collect());
//! let y = Matrix::new(100, 1, (0..100).map(|i| if i > 50 { 1.0 } else { 0.0 }).collect());
//! let params = BoostParams { rounds: 50, max_depth: 1, ..BoostParams::default() };
//! let booster = Booster::train(&params, &x, Targets::Values(&y), None, &mut |_| {});
//! let mut out = [0.0];
//! booster.predict_row(&[0.9], &mut out);
//! assert!((out[0] - 1.0).abs() < 0.01);
//! ```

mod bins;
mod booster;
mod compact;
mod data;
mod grow;
mod histogram;
pub mod npy;
mod objective;
mod tree;

pub use bins::{BinCuts, MAX_BINS};
pub use booster::{BoostParams, Booster, RoundLog, Rows};
pub use compact::CompactForest;
pub use data::{BinnedMatrix, Matrix};
pub use histogram::GradPair;
pub use objective::{softmax, Objective, Targets};
pub use tree::{Node, Tree};
