//! Grids divided into cells: by separator lines (full rows and columns of one colour) or
//! into equal squares along the longer side. Each gives the list of cells in reading order,
//! for the object layer's pickers (`odd_shape`, `largest`, ...) and `merge`-free logic;
//! `cell_colours` shrinks each cell between separator lines to one cell of its colour, and
//! `fill_cells` does the opposite: it paints each cell of a grid's layout whole in the
//! colour a small grid has at the cell's place (its conditional inverse, given the layout,
//! reads the small grid off the output).

use std::rc::Rc;

use super::colour::{colour_counts, commonest_in};
use super::memo::remembered;
use super::{same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive};
use crate::{given, primitive};

/// The runs of indices in `0..n` that are not separators, as `(start, length)`.
fn runs(n: usize, separator: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (i < n && !separator(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The cells between full lines of one colour: the runs of rows and of columns that are
/// not separators, each `(start, length)`.
struct Layout {
    rows: Vec<(usize, usize)>,
    cols: Vec<(usize, usize)>,
}

/// The colour of each row and of each column that is all one colour (`None` for the
/// others).
struct UniformLines {
    rows: Vec<Option<u8>>,
    cols: Vec<Option<u8>>,
}

impl UniformLines {
    fn of(g: &Grid) -> UniformLines {
        let (h, w) = (g.height(), g.width());
        let cells = g.cells();
        let rows = cells
            .chunks_exact(w)
            .map(|row| row.iter().all(|&c| c == row[0]).then_some(row[0]))
            .collect();
        let cols = (0..w)
            .map(|c| {
                let top = cells[c];
                (0..h).all(|r| cells[r * w + c] == top).then_some(top)
            })
            .collect();
        UniformLines { rows, cols }
    }
}

impl Layout {
    /// The layout of the cells between full lines of colour `line`, given the colour of
    /// each row and each column that is one colour.
    fn between(lines: &UniformLines, line: u8) -> Layout {
        Layout {
            rows: runs(lines.rows.len(), |r| lines.rows[r] == Some(line)),
            cols: runs(lines.cols.len(), |c| lines.cols[c] == Some(line)),
        }
    }

    /// The separator layout of `g`: the colour whose full lines cut it into the most cells
    /// (two or more); ties go to smaller first cells, then to the higher colour. Found once
    /// per grid (see [`memo`](super::memo)).
    fn of(g: &Grid) -> Result<Rc<Layout>, EvalError> {
        let found = remembered(("layout", 0), g, |g| Layout::find(g).map(Rc::new));
        (*found)
            .clone()
            .ok_or(EvalError::Domain("no separator lines"))
    }

    /// [`Layout::of`], computed: only colours with a full line can separate.
    fn find(g: &Grid) -> Option<Layout> {
        let lines = UniformLines::of(g);
        let colours = lines.rows.iter().chain(&lines.cols).flatten();
        let present = colours.fold(0u16, |m, &c| m | 1 << c);
        (0..10u8)
            .filter(|&line| present & 1 << line != 0)
            .map(|line| Layout::between(&lines, line))
            .filter(|l| l.count() >= 2)
            .max_by_key(|l| (l.count(), std::cmp::Reverse(l.rows[0].1 * l.cols[0].1)))
    }

    fn count(&self) -> usize {
        self.rows.len() * self.cols.len()
    }

    /// The cells, in reading order.
    fn cells(&self, g: &Grid) -> Vec<Grid> {
        self.rows
            .iter()
            .flat_map(|&(top, h)| self.cols.iter().map(move |&(left, w)| (top, h, left, w)))
            .filter_map(|(top, h, left, w)| g.window(top, left, h, w))
            .collect()
    }
}

/// The cells between separator lines. The separator colour is the one whose full lines
/// cut the grid into the most cells (of two or more).
pub fn split_lines(g: &Grid) -> Result<Vec<Grid>, EvalError> {
    Ok(Layout::of(g)?.cells(g))
}

/// One cell per cell between separator lines, coloured with the cell's commonest
/// foreground colour (background when it has none): the grid of cells, shrunk.
pub fn cell_colours(g: &Grid) -> Result<Grid, EvalError> {
    let layout = Layout::of(g)?;
    let cells = layout.cells(g);
    let width = layout.cols.len();
    Ok(Grid::from_fn(layout.rows.len(), width, |r, c| {
        let mut counts = colour_counts(&cells[r * width + c]);
        counts[0] = 0;
        match commonest_in(&counts) {
            (_, 0) => 0,
            (colour, _) => colour,
        }
    })?)
}

/// `layout` with each cell between its separator lines painted whole in the colour `small`
/// has at the cell's place (`small` has one cell per cell); the separators stay.
pub fn fill_cells(layout: &Grid, small: &Grid) -> Result<Grid, EvalError> {
    // k cells in a row take k - 1 separators: a quick test before the layout's.
    let room = |cells: usize, side: usize| 2 * cells - 1 <= side;
    if !room(small.height(), layout.height()) || !room(small.width(), layout.width()) {
        return Err(EvalError::Domain("the small grid is not one cell per cell"));
    }
    let cells = Layout::of(layout)?;
    if (small.height(), small.width()) != (cells.rows.len(), cells.cols.len()) {
        return Err(EvalError::Domain("the small grid is not one cell per cell"));
    }
    let width = layout.width();
    let mut out = layout.cells().to_vec();
    for (i, &(top, h)) in cells.rows.iter().enumerate() {
        for (j, &(left, w)) in cells.cols.iter().enumerate() {
            for r in top..top + h {
                out[r * width + left..r * width + left + w].fill(small.get(i, j));
            }
        }
    }
    Ok(Grid::new(layout.height(), width, out)?)
}

/// The small grid [`fill_cells`] needs to turn `layout` into `out`: each cell's colour in
/// `out`; an error unless every cell is one colour there and that gives `out`.
fn read_cell_fill(out: &Grid, layout: &Grid) -> Result<Grid, EvalError> {
    same_shape(out, layout)?;
    // The layout's separator lines stay in `out`: without a full line of one colour, no
    // layout gives it (a quick test, remembered for the search's target).
    let full_line = |g: &Grid| {
        let lines = UniformLines::of(g);
        lines.rows.iter().chain(&lines.cols).any(Option::is_some)
    };
    if !*remembered(("full_line", 0), out, full_line) {
        return Err(EvalError::Domain("no separator lines"));
    }
    let cells = Layout::of(layout)?;
    let small = Grid::from_fn(cells.rows.len(), cells.cols.len(), |i, j| {
        out.get(cells.rows[i].0, cells.cols[j].0)
    })?;
    if fill_cells(layout, &small)? != *out {
        return Err(EvalError::Domain("the cells are not painted whole"));
    }
    Ok(small)
}

/// The grid cut into squares of its shorter side (the longer side a multiple of it, two
/// or more squares).
pub fn split_squares(g: &Grid) -> Result<Vec<Grid>, EvalError> {
    let (h, w) = (g.height(), g.width());
    let side = h.min(w);
    let n = h.max(w) / side;
    if n < 2 || h.max(w) % side != 0 {
        return Err(EvalError::Domain("not a row of squares"));
    }
    let cells = (0..n)
        .filter_map(|i| {
            if w > h {
                g.window(0, i * side, side, side)
            } else {
                g.window(i * side, 0, side, side)
            }
        })
        .collect();
    Ok(cells)
}

/// `split_lines`, `split_squares`, `cell_colours` and `fill_cells`, all at [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    vec![
        primitive!(
            "split_lines",
            "the cells between separator lines, in reading order",
            |g: &Grid| -> Vec<Grid> { split_lines(g) }
        ),
        primitive!(
            "split_squares",
            "the grid cut into squares of its shorter side",
            |g: &Grid| -> Vec<Grid> { split_squares(g) }
        ),
        primitive!(
            "cell_colours",
            "each cell between separator lines shrunk to one cell of its commonest colour",
            |g: &Grid| -> Grid { cell_colours(g) }
        ),
        primitive!(
            "fill_cells",
            "each cell between the first grid's separator lines painted whole in the second's colour at its place",
            |layout: &Grid, small: &Grid| -> Grid { fill_cells(layout, small) }
        )
        .given(given!([0], |out: &Grid, layout: &Grid| -> Grid {
            read_cell_fill(out, layout)
        })),
    ]
    .into_iter()
    .map(|p| p.with_cost(RARE_COST))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn separator_lines_cut_the_grid_into_cells() {
        let x = g(&[&[1, 5, 2, 2], &[5, 5, 5, 5], &[3, 5, 4, 0]]);
        let cells = split_lines(&x).unwrap();
        let shown: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        assert_eq!(shown, ["[1]", "[22]", "[3]", "[40]"]);
        assert!(split_lines(&g(&[&[1, 2], &[3, 4]])).is_err());
        let shrunk = cell_colours(&g(&[
            &[1, 1, 5, 0],
            &[0, 1, 5, 0],
            &[5, 5, 5, 5],
            &[2, 0, 5, 3],
        ]));
        assert_eq!(shrunk.unwrap(), g(&[&[1, 0], &[2, 3]]));
    }

    #[test]
    fn cells_are_painted_from_a_small_grid_and_read_back() {
        let layout = g(&[&[1, 5, 2, 2], &[5, 5, 5, 5], &[3, 5, 4, 0]]);
        let small = g(&[&[7, 0], &[0, 8]]);
        let out = g(&[&[7, 5, 0, 0], &[5, 5, 5, 5], &[0, 5, 8, 8]]);
        assert_eq!(fill_cells(&layout, &small).unwrap(), out);
        assert_eq!(read_cell_fill(&out, &layout).unwrap(), small);
        assert!(fill_cells(&layout, &g(&[&[7]])).is_err());
        assert!(
            read_cell_fill(&layout, &layout).is_err(),
            "cells of two colours"
        );
        assert!(read_cell_fill(&small, &layout).is_err(), "shapes differ");
    }

    #[test]
    fn a_row_of_squares_is_cut_into_them() {
        let x = g(&[&[1, 1, 2, 2, 3, 3], &[1, 1, 2, 2, 3, 3]]);
        let cells = split_squares(&x).unwrap();
        assert_eq!(cells.len(), 3);
        assert_eq!(cells[2].to_string(), "[33|33]");
        assert!(split_squares(&g(&[&[1, 2, 3]])).is_ok());
        assert!(split_squares(&g(&[&[1, 2], &[3, 4], &[5, 6]])).is_err());
    }
}
