//! A compact ARC grid: 1x1 to 30x30 cells holding colours 0-9, cheap to clone and hash.

use std::fmt;
use std::sync::Arc;

/// The largest side an ARC grid may have.
pub const MAX_SIDE: usize = 30;

/// A rectangular grid of colours, shared (cloning is a reference-count bump).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grid {
    height: u8,
    width: u8,
    cells: Arc<[u8]>,
}

/// Why cells do not form a valid grid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GridError {
    /// No rows, or no columns.
    #[error("empty grid")]
    Empty,
    /// A side longer than [`MAX_SIDE`].
    #[error("grid is {0}x{1}, larger than 30x30")]
    TooLarge(usize, usize),
    /// Rows of different lengths.
    #[error("ragged rows: row {row} has {len} cells, row 0 has {expected}")]
    Ragged {
        /// The first row whose length differs.
        row: usize,
        /// Its length.
        len: usize,
        /// The length of row 0.
        expected: usize,
    },
    /// A cell outside 0-9.
    #[error("colour {0} outside 0-9")]
    Colour(i64),
}

/// Whether a grid may have this shape: 1x1 to [`MAX_SIDE`] x [`MAX_SIDE`].
fn check_shape(height: usize, width: usize) -> Result<(), GridError> {
    if height == 0 || width == 0 {
        return Err(GridError::Empty);
    }
    if height > MAX_SIDE || width > MAX_SIDE {
        return Err(GridError::TooLarge(height, width));
    }
    Ok(())
}

impl Grid {
    /// A grid from row-major cells; checks the shape and the colours.
    pub fn new(height: usize, width: usize, cells: Vec<u8>) -> Result<Grid, GridError> {
        check_shape(height, width)?;
        // The largest cell first (a loop the compiler vectorizes), the culprit only then.
        if cells.iter().fold(0, |m, &c| m.max(c)) > 9 {
            let &c = cells.iter().find(|&&c| c > 9).expect("a cell over 9");
            return Err(GridError::Colour(c as i64));
        }
        assert_eq!(
            cells.len(),
            height * width,
            "cell count must match the shape"
        );
        Ok(Grid {
            height: height as u8,
            width: width as u8,
            cells: cells.into(),
        })
    }

    /// A grid from rows, as ARC files write them.
    pub fn from_rows(rows: &[Vec<i64>]) -> Result<Grid, GridError> {
        let expected = rows.first().map_or(0, Vec::len);
        let mut cells = Vec::with_capacity(rows.len() * expected);
        for (row, r) in rows.iter().enumerate() {
            if r.len() != expected {
                return Err(GridError::Ragged {
                    row,
                    len: r.len(),
                    expected,
                });
            }
            for &c in r {
                if !(0..=9).contains(&c) {
                    return Err(GridError::Colour(c));
                }
                cells.push(c as u8);
            }
        }
        Grid::new(rows.len(), expected, cells)
    }

    /// A grid whose cell (r, c) is `cell(r, c)`; checks the shape and the colours.
    pub fn from_fn(
        height: usize,
        width: usize,
        cell: impl Fn(usize, usize) -> u8,
    ) -> Result<Grid, GridError> {
        // The shape first: a grid too large is refused before any cell is computed.
        check_shape(height, width)?;
        let mut cells = Vec::with_capacity(height * width);
        for r in 0..height {
            cells.extend((0..width).map(|c| cell(r, c)));
        }
        Grid::new(height, width, cells)
    }

    /// Whether `other` is this grid's shape over the very same cells in memory (a clone
    /// of it, not an equal grid made separately).
    pub fn shares_cells(&self, other: &Grid) -> bool {
        Arc::ptr_eq(&self.cells, &other.cells) && self.width == other.width
    }

    /// The cells in row-major order.
    pub fn cells(&self) -> &[u8] {
        &self.cells
    }

    /// The sub-grid of `height` x `width` cells starting at (`top`, `left`); `None` if it
    /// does not fit or is empty.
    pub fn window(&self, top: usize, left: usize, height: usize, width: usize) -> Option<Grid> {
        if height == 0 || width == 0 || top + height > self.height() || left + width > self.width()
        {
            return None;
        }
        Grid::from_fn(height, width, |r, c| self.get(top + r, left + c)).ok()
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.height as usize
    }
    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width as usize
    }
    /// The colour at row `r`, column `c`.
    pub fn get(&self, r: usize, c: usize) -> u8 {
        self.cells[r * self.width() + c]
    }
    /// The rows, as ARC files write them.
    pub fn rows(&self) -> Vec<Vec<u8>> {
        self.cells
            .chunks(self.width())
            .map(<[u8]>::to_vec)
            .collect()
    }
}

impl fmt::Debug for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for Grid {
    /// Rows of digits separated by `|`, e.g. `[12|34]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, row) in self.cells.chunks(self.width()).enumerate() {
            if i > 0 {
                write!(f, "|")?;
            }
            for c in row {
                write!(f, "{c}")?;
            }
        }
        write!(f, "]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_fn_refuses_a_shape_before_computing_a_cell() {
        let never = |_: usize, _: usize| -> u8 { panic!("no cell may be computed") };
        assert_eq!(Grid::from_fn(31, 2, never), Err(GridError::TooLarge(31, 2)));
        assert_eq!(Grid::from_fn(0, 2, never), Err(GridError::Empty));
        assert_eq!(
            Grid::from_fn(1, 2, |_, c| c as u8).unwrap().cells(),
            &[0, 1]
        );
    }

    #[test]
    fn rows_round_trip_and_print() {
        let g = Grid::from_rows(&[vec![1, 2], vec![3, 4]]).unwrap();
        assert_eq!(g.rows(), vec![vec![1, 2], vec![3, 4]]);
        assert_eq!(g.to_string(), "[12|34]");
        assert_eq!(g.get(1, 0), 3);
    }

    #[test]
    fn malformed_grids_are_rejected() {
        assert_eq!(Grid::from_rows(&[]), Err(GridError::Empty));
        assert!(matches!(
            Grid::from_rows(&[vec![1], vec![1, 2]]),
            Err(GridError::Ragged { row: 1, .. })
        ));
        assert_eq!(Grid::from_rows(&[vec![10]]), Err(GridError::Colour(10)));
        assert!(matches!(
            Grid::new(31, 1, vec![0; 31]),
            Err(GridError::TooLarge(31, 1))
        ));
    }
}
