//! Quantile binning: each feature's values are cut into at most 256 bins, so a row is one
//! byte per feature and a histogram over a node's rows has a fixed, small size.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::data::{BinnedMatrix, Matrix};

/// The most bins a feature can have (bin indices are bytes).
pub const MAX_BINS: usize = 256;

/// Rows looked at per feature when choosing cuts.
const CUT_SAMPLE: usize = 200_000;

/// Per-feature bin boundaries. Bin `b` of feature `f` holds the values `x` with
/// `cuts[f][b-1] < x <= cuts[f][b]`; the last bin holds everything above the last cut.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BinCuts {
    cuts: Vec<Vec<f32>>,
}

impl BinCuts {
    /// Chooses cuts at the quantiles of each feature (at most `max_bins` bins), from an
    /// evenly spaced sample of at most 200,000 rows.
    pub fn fit(x: &Matrix, max_bins: usize) -> BinCuts {
        let max_bins = max_bins.clamp(2, MAX_BINS);
        let stride = x.rows().div_ceil(CUT_SAMPLE).max(1);
        let cuts = (0..x.cols())
            .into_par_iter()
            .map(|f| {
                let mut values: Vec<f32> = (0..x.rows())
                    .step_by(stride)
                    .map(|r| x.get(r, f))
                    .filter(|v| !v.is_nan())
                    .collect();
                values.sort_unstable_by(f32::total_cmp);
                feature_cuts(&values, max_bins)
            })
            .collect();
        BinCuts { cuts }
    }

    /// Number of features.
    pub fn features(&self) -> usize {
        self.cuts.len()
    }

    /// Number of bins feature `f` uses.
    pub fn bins_of(&self, f: usize) -> usize {
        self.cuts[f].len() + 1
    }

    /// The bin of value `x` in feature `f`.
    fn bin_value(&self, f: usize, x: f32) -> u8 {
        self.cuts[f].partition_point(|&c| c < x) as u8
    }

    /// The raw threshold of a split "bin <= `bin`" of feature `f`: left iff `x <= threshold`.
    pub fn threshold(&self, f: usize, bin: u8) -> f32 {
        self.cuts[f][bin as usize]
    }

    /// Bins every value of `x` (in parallel over rows).
    pub fn bin(&self, x: &Matrix) -> BinnedMatrix {
        assert_eq!(
            x.cols(),
            self.features(),
            "matrix width does not match the cuts"
        );
        let cols = x.cols();
        let mut bins = vec![0u8; x.rows() * cols];
        bins.par_chunks_mut(cols.max(1))
            .enumerate()
            .for_each(|(r, out)| {
                for (f, (b, &v)) in out.iter_mut().zip(x.row(r)).enumerate() {
                    *b = self.bin_value(f, v);
                }
            });
        BinnedMatrix::new(x.rows(), cols, bins)
    }
}

/// Cuts for one feature from its sorted values: between every two distinct values if there
/// are few, else at the quantiles. Each cut lies halfway to the next distinct value, so
/// that a value seen in training is never on a threshold, where rounding noise of a few
/// ulps (another batch size, another kernel) would send it the other way.
fn feature_cuts(sorted: &[f32], max_bins: usize) -> Vec<f32> {
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    let chosen: Vec<f32> = if distinct.len() <= max_bins {
        distinct[..distinct.len().saturating_sub(1)].to_vec()
    } else {
        let n = sorted.len();
        let mut q: Vec<f32> = (1..max_bins)
            .map(|i| sorted[i * n / max_bins - 1])
            .collect();
        q.dedup();
        q.retain(|v| Some(v) != distinct.last());
        q
    };
    chosen
        .iter()
        .map(|&c| {
            let next = distinct[distinct.partition_point(|&v| v <= c)];
            let mid = c + (next - c) / 2.0;
            if mid < next {
                mid
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_get_one_bin_each() {
        let x = Matrix::new(5, 1, vec![3.0, 1.0, 2.0, 1.0, 3.0]);
        let cuts = BinCuts::fit(&x, 256);
        assert_eq!(cuts.bins_of(0), 3);
        let b = cuts.bin(&x);
        let bins: Vec<u8> = (0..5).map(|r| b.row(r)[0]).collect();
        assert_eq!(bins, vec![2, 0, 1, 0, 2]);
        assert_eq!(
            cuts.threshold(0, 0),
            1.5,
            "halfway between the distinct values"
        );
    }

    #[test]
    fn many_values_are_cut_at_quantiles() {
        let x = Matrix::new(1000, 1, (0..1000).map(|i| i as f32).collect());
        let cuts = BinCuts::fit(&x, 4);
        assert_eq!(cuts.bins_of(0), 4);
        let b = cuts.bin(&x);
        let counts = (0..1000).fold([0; 4], |mut c, r| {
            c[b.row(r)[0] as usize] += 1;
            c
        });
        assert_eq!(counts, [250, 250, 250, 250]);
    }
}
