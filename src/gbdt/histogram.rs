//! Gradient histograms: per feature and bin, the sums of the gradients and hessians of a
//! node's rows. A split is found by one scan over a node's histogram, and a child's
//! histogram is its parent's minus its sibling's, so only the smaller child is counted.

use rayon::prelude::*;

use super::bins::{BinCuts, MAX_BINS};
use super::data::BinnedMatrix;

/// The first and second derivative of the loss at one row's prediction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GradPair {
    /// Gradient.
    pub g: f32,
    /// Hessian.
    pub h: f32,
}

/// A sum of gradient pairs, in `f64` so that sums over a million rows stay exact enough.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GradSum {
    /// Sum of gradients.
    pub g: f64,
    /// Sum of hessians.
    pub h: f64,
}

impl GradSum {
    /// The sum of `rows`' pairs.
    pub fn of(grads: &[GradPair], rows: &[u32]) -> GradSum {
        rows.iter().fold(GradSum::default(), |s, &r| {
            let p = grads[r as usize];
            GradSum {
                g: s.g + p.g as f64,
                h: s.h + p.h as f64,
            }
        })
    }

    /// `self - other`.
    pub fn minus(self, other: GradSum) -> GradSum {
        GradSum {
            g: self.g - other.g,
            h: self.h - other.h,
        }
    }
}

/// Where each feature's bins start in a flat histogram.
#[derive(Clone, Debug)]
pub struct HistLayout {
    offsets: Vec<usize>,
}

impl HistLayout {
    /// The layout for features binned by `cuts`.
    pub fn new(cuts: &BinCuts) -> HistLayout {
        let mut offsets = Vec::with_capacity(cuts.features() + 1);
        let mut total = 0;
        for f in 0..cuts.features() {
            offsets.push(total);
            total += cuts.bins_of(f);
        }
        offsets.push(total);
        HistLayout { offsets }
    }

    /// Total number of bins over all features.
    fn total_bins(&self) -> usize {
        *self.offsets.last().unwrap()
    }

    /// Length of a histogram: all bins, plus padding so that a bin index out of its
    /// feature's range can never reach past the end.
    fn histogram_len(&self) -> usize {
        self.total_bins() + MAX_BINS
    }

    /// The bins of feature `f` in a flat histogram.
    pub fn range(&self, f: usize) -> std::ops::Range<usize> {
        self.offsets[f]..self.offsets[f + 1]
    }
}

/// Rows above which a histogram is counted in parallel chunks.
const PARALLEL_ROWS: usize = 32_768;
/// Chunks a large node is cut into: fixed, so the sums do not depend on the thread count.
const CHUNKS: usize = 8;

/// Counts the histogram of `rows` over all features; in fixed chunks on the rayon pool
/// when `parallel` and the node is large.
pub fn build(
    layout: &HistLayout,
    binned: &BinnedMatrix,
    grads: &[GradPair],
    rows: &[u32],
    parallel: bool,
) -> Vec<GradSum> {
    if !parallel || rows.len() < PARALLEL_ROWS {
        let mut hist = vec![GradSum::default(); layout.histogram_len()];
        accumulate(&mut hist, layout, binned, grads, rows);
        return hist;
    }
    let parts: Vec<Vec<GradSum>> = rows
        .par_chunks(rows.len().div_ceil(CHUNKS))
        .map(|chunk| {
            let mut hist = vec![GradSum::default(); layout.histogram_len()];
            accumulate(&mut hist, layout, binned, grads, chunk);
            hist
        })
        .collect();
    let mut parts = parts.into_iter();
    let mut hist = parts
        .next()
        .unwrap_or_else(|| vec![GradSum::default(); layout.histogram_len()]);
    for part in parts {
        for (a, b) in hist.iter_mut().zip(&part) {
            a.g += b.g;
            a.h += b.h;
        }
    }
    hist
}

fn accumulate(
    hist: &mut [GradSum],
    layout: &HistLayout,
    binned: &BinnedMatrix,
    grads: &[GradPair],
    rows: &[u32],
) {
    let cols = binned.cols();
    let offsets = &layout.offsets[..cols];
    // Histograms have MAX_BINS entries of padding after the last feature, so any byte
    // added to any feature's offset is inside. Checked once here instead of per value.
    assert!(hist.len() >= layout.total_bins() + MAX_BINS - 1);
    assert!(offsets.iter().all(|&o| o < layout.total_bins()));
    for &r in rows {
        let p = grads[r as usize];
        let (g, h) = (p.g as f64, p.h as f64);
        for (&offset, &bin) in offsets.iter().zip(binned.row(r as usize)) {
            debug_assert!(offset + (bin as usize) < hist.len());
            // SAFETY: offset < total_bins and bin <= 255, and the histogram has
            // total_bins + 255 entries or more (asserted above).
            let e = unsafe { hist.get_unchecked_mut(offset + bin as usize) };
            e.g += g;
            e.h += h;
        }
    }
}

/// Turns a parent's histogram into its other child's: `parent -= child`.
pub fn subtract(parent: &mut [GradSum], child: &[GradSum]) {
    for (a, b) in parent.iter_mut().zip(child) {
        a.g -= b.g;
        a.h -= b.h;
    }
}
