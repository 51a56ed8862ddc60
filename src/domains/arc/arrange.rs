//! Outputs arranged from blocks: each example's output cut into the same number of rows
//! and columns of equal blocks, so that each block (one value per example) may be a
//! value the forward phase reached, and the output those values side by side
//! (`hstack`) and one row above the other (`vstack`). Mirror tilings such as
//! `[vflip h; h; vflip h]` are found this way block by block instead of by a search for
//! their seven primitives.

use crate::domains::Arrangement;
use crate::dsl::{Grid, Value};

/// The most blocks along one side of an output.
pub const MAX_SIDE: usize = 5;

/// Every way to cut all `outputs` into `rows` x `cols` equal blocks (the same counts on
/// every example; blocks of at least two cells), the fewest blocks first. Outputs that
/// are not all grids give nothing.
pub fn arrangements(outputs: &[Value]) -> Vec<Arrangement> {
    let Some(grids) = outputs
        .iter()
        .map(|v| match v {
            Value::Grid(g) => Some(g),
            _ => None,
        })
        .collect::<Option<Vec<&Grid>>>()
    else {
        return Vec::new();
    };
    let mut counts: Vec<(usize, usize)> = (1..=MAX_SIDE)
        .flat_map(|rows| (1..=MAX_SIDE).map(move |cols| (rows, cols)))
        .filter(|&(rows, cols)| rows * cols > 1)
        .filter(|&(rows, cols)| grids.iter().all(|g| divides(g, rows, cols)))
        .collect();
    counts.sort_by_key(|&(rows, cols)| (rows * cols, rows));
    counts
        .into_iter()
        .map(|(rows, cols)| Arrangement {
            rows,
            cols,
            blocks: blocks(&grids, rows, cols),
        })
        .collect()
}

/// Whether `g` cuts into `rows` x `cols` equal blocks of at least two cells.
fn divides(g: &Grid, rows: usize, cols: usize) -> bool {
    let (h, w) = (g.height(), g.width());
    h % rows == 0 && w % cols == 0 && (h / rows) * (w / cols) >= 2
}

/// The blocks of every grid, row by row, each block one value per grid.
fn blocks(grids: &[&Grid], rows: usize, cols: usize) -> Vec<Vec<Value>> {
    (0..rows * cols)
        .map(|b| {
            let (r, c) = (b / cols, b % cols);
            grids
                .iter()
                .map(|g| {
                    let (h, w) = (g.height() / rows, g.width() / cols);
                    let block = g.window(r * h, c * w, h, w).expect("the block lies inside");
                    Value::Grid(block)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid;

    fn grid(rows: &[&[i64]]) -> Value {
        Value::Grid(test_grid(rows))
    }

    #[test]
    fn outputs_cut_into_the_same_counts_of_blocks_on_every_example() {
        let a = grid(&[&[1, 2, 3, 4], &[5, 6, 7, 8]]);
        let b = grid(&[&[1, 1], &[2, 2], &[3, 3], &[4, 4]]);
        let cuts: Vec<(usize, usize)> = arrangements(&[a.clone(), b])
            .iter()
            .map(|x| (x.rows, x.cols))
            .collect();
        // Both cut into 1x2, 2x1 and 2x2 blocks of two or more cells; 1x4 blocks do not
        // divide the second's width, and 2x4 blocks of the first would be single cells.
        assert_eq!(cuts, vec![(1, 2), (2, 1), (2, 2)]);
        let halves = &arrangements(&[a])[0];
        assert_eq!((halves.rows, halves.cols), (1, 2));
        assert_eq!(halves.blocks[0], vec![grid(&[&[1, 2], &[5, 6]])]);
        assert_eq!(halves.blocks[1], vec![grid(&[&[3, 4], &[7, 8]])]);
    }
}
