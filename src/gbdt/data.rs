//! Dense feature matrices: raw `f32` rows, and the same rows as bin indices.

use serde::{Deserialize, Serialize};

/// A dense row-major `f32` matrix: `rows` rows of `cols` features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f32>,
}

impl Matrix {
    /// A matrix from row-major data. Panics if `data.len() != rows * cols`.
    pub fn new(rows: usize, cols: usize, data: Vec<f32>) -> Matrix {
        assert_eq!(
            data.len(),
            rows * cols,
            "matrix data does not match its shape"
        );
        Matrix { rows, cols, data }
    }

    /// An all-zero matrix.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix::new(rows, cols, vec![0.0; rows * cols])
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (features).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `r`.
    pub fn row(&self, r: usize) -> &[f32] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    /// The row-major data.
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    /// The row-major data, mutable.
    pub fn as_mut_slice(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// The value at row `r`, column `c`.
    pub fn get(&self, r: usize, c: usize) -> f32 {
        self.data[r * self.cols + c]
    }

    /// The rows `idx`, in that order, as a new matrix.
    pub fn select_rows(&self, idx: &[usize]) -> Matrix {
        let data = idx
            .iter()
            .flat_map(|&r| self.row(r).iter().copied())
            .collect();
        Matrix::new(idx.len(), self.cols, data)
    }
}

/// A matrix of bin indices (one byte per value), row-major, as the tree learner reads it.
#[derive(Clone, Debug)]
pub struct BinnedMatrix {
    rows: usize,
    cols: usize,
    bins: Vec<u8>,
}

impl BinnedMatrix {
    /// A binned matrix from row-major bin indices.
    pub fn new(rows: usize, cols: usize, bins: Vec<u8>) -> BinnedMatrix {
        assert_eq!(bins.len(), rows * cols, "bin data does not match its shape");
        BinnedMatrix { rows, cols, bins }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (features).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `r`'s bins.
    pub fn row(&self, r: usize) -> &[u8] {
        &self.bins[r * self.cols..(r + 1) * self.cols]
    }
}
