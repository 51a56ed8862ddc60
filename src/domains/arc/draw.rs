//! Drawing: the cells a rule selects are painted one colour, which the conditional inverse
//! reads off the output. Every rule here is a [`Mask`]:
//!
//! - `connect`: background between two cells of one colour in a row or column (nothing
//!   else between them);
//! - `fill_boxes`: background inside the bounding box of an object;
//! - `halo`: background next to (8 ways) a foreground cell;
//! - `border`: the cells on the grid's edge;
//! - `interior`: foreground cells whose 8 neighbours are all foreground (painting them
//!   background hollows the objects out);
//! - `fill_enclosed` (from `regions`): background the border cannot reach.
//!
//! `connect_in_colour` draws the lines of `connect` in their ends' colour instead, and
//! `connect_diagonals_in_colour` the same along diagonals;
//! `empty_lines` selects the rows and columns that are all background; `colour_boxes`
//! fills each colour's bounding box with it.

use super::memo::remembered;
use super::objects::{components, Grouping};
use super::{bounds, cells_of_colour, same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::{given, primitive};

/// A rule that selects cells: one flag per cell, row-major.
pub type Mask = fn(&Grid) -> Vec<bool>;

/// `g` with the cells `mask` selects painted `colour`.
pub fn paint_mask(g: &Grid, mask: Mask, colour: u8) -> Result<Grid, EvalError> {
    let selected = remembered(("mask", mask as usize), g, mask);
    let w = g.width();
    Ok(Grid::from_fn(g.height(), w, |r, c| {
        if selected[r * w + c] {
            colour
        } else {
            g.get(r, c)
        }
    })?)
}

/// The colour the first selected cell has in `out`.
fn painted_colour(g: &Grid, out: &Grid, mask: Mask) -> Result<u8, EvalError> {
    same_shape(g, out)?;
    let k = remembered(("mask", mask as usize), g, mask)
        .iter()
        .position(|&s| s)
        .ok_or(EvalError::Domain("the rule selects no cell"))?;
    Ok(out.cells()[k])
}

/// The primitive `name : grid -> colour -> grid` that paints what `mask` selects (`doc`
/// says what), at [`RARE_COST`]; its conditional inverse reads the colour off the output.
pub fn painter(name: &str, doc: &str, mask: Mask) -> Primitive {
    primitive!(name, doc, |g: &Grid, colour: u8| -> Grid {
        paint_mask(g, mask, colour)
    })
    .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
        painted_colour(g, out, mask)
    }))
    .with_shapes(ShapeRule::Same)
    .with_cost(RARE_COST)
}

/// Background cells between two same-coloured cells of a row or column.
fn connect(g: &Grid) -> Vec<bool> {
    let mut out = vec![false; g.cells().len()];
    for_each_join(g, straight_lines(g.height(), g.width()), |k, _| {
        out[k] = true
    });
    out
}

/// The cell indices (row-major) of every row, then every column, of an `h` x `w` grid.
fn straight_lines(h: usize, w: usize) -> impl Iterator<Item = Vec<usize>> {
    let rows = (0..h).map(move |r| (0..w).map(|c| r * w + c).collect::<Vec<_>>());
    let cols = (0..w).map(move |c| (0..h).map(|r| r * w + c).collect::<Vec<_>>());
    rows.chain(cols)
}

/// Calls `join(cell, colour)` on each background cell between two consecutive foreground
/// cells of one colour along each of `lines` (cell indices in order), line by line.
fn for_each_join(
    g: &Grid,
    lines: impl Iterator<Item = Vec<usize>>,
    mut join: impl FnMut(usize, u8),
) {
    for line in lines {
        // Positions along the line of its foreground cells.
        let lit: Vec<usize> = (0..line.len())
            .filter(|&i| g.cells()[line[i]] != 0)
            .collect();
        for pair in lit.windows(2) {
            let colour = g.cells()[line[pair[0]]];
            if colour == g.cells()[line[pair[1]]] {
                for &k in &line[pair[0] + 1..pair[1]] {
                    join(k, colour);
                }
            }
        }
    }
}

/// Background cells inside the bounding box of an object (of any colours).
fn fill_boxes(g: &Grid) -> Vec<bool> {
    let w = g.width();
    let mut out = vec![false; g.height() * w];
    for cells in components(g, Grouping::AnyColour).iter() {
        let Some((top, left, bottom, right)) = bounds(cells) else {
            continue;
        };
        for r in top..=bottom {
            for c in left..=right {
                out[r * w + c] |= g.get(r, c) == 0;
            }
        }
    }
    out
}

/// Whether cell `(r, c)` has a neighbour (8 ways, inside the grid) for which `pred` holds,
/// and how many neighbours it has.
fn around(g: &Grid, r: usize, c: usize, pred: impl Fn(u8) -> bool) -> (usize, usize) {
    let (h, w) = (g.height() as i64, g.width() as i64);
    let (mut hits, mut all) = (0, 0);
    for dr in -1i64..=1 {
        for dc in -1i64..=1 {
            let (nr, nc) = (r as i64 + dr, c as i64 + dc);
            if (dr, dc) == (0, 0) || nr < 0 || nc < 0 || nr >= h || nc >= w {
                continue;
            }
            all += 1;
            hits += usize::from(pred(g.get(nr as usize, nc as usize)));
        }
    }
    (hits, all)
}

/// Background cells next to a foreground cell.
pub fn halo(g: &Grid) -> Vec<bool> {
    cells_where(g, |g, r, c| {
        g.get(r, c) == 0 && around(g, r, c, |n| n != 0).0 > 0
    })
}

/// Foreground cells with eight foreground neighbours.
fn interior(g: &Grid) -> Vec<bool> {
    cells_where(g, |g, r, c| {
        g.get(r, c) != 0 && around(g, r, c, |n| n != 0) == (8, 8)
    })
}

fn cells_where(g: &Grid, pred: impl Fn(&Grid, usize, usize) -> bool) -> Vec<bool> {
    (0..g.height())
        .flat_map(|r| (0..g.width()).map(move |c| (r, c)))
        .map(|(r, c)| pred(g, r, c))
        .collect()
}

/// The cells on the grid's edge.
pub fn border(g: &Grid) -> Vec<bool> {
    let (h, w) = (g.height(), g.width());
    cells_where(g, |_, r, c| r == 0 || c == 0 || r + 1 == h || c + 1 == w)
}

/// Background between two same-coloured cells of a row or column (nothing else between
/// them) painted their colour; where lines cross, the column's colour is on top.
pub fn connect_in_colour(g: &Grid) -> Result<Grid, EvalError> {
    join_in_colour(g, straight_lines(g.height(), g.width()))
}

/// Lines between two cells of one colour on a diagonal (either way) with only
/// background between them, in their colour.
pub fn connect_diagonals_in_colour(g: &Grid) -> Result<Grid, EvalError> {
    join_in_colour(g, diagonals(g.height(), g.width()))
}

/// The cell indices (row-major) of every diagonal of an `h` x `w` grid, both ways, each
/// from its top end.
fn diagonals(h: usize, w: usize) -> impl Iterator<Item = Vec<usize>> {
    let (h, w) = (h as i64, w as i64);
    let walk = move |(r, c): (i64, i64), dc: i64| {
        (0..)
            .map(move |k| (r + k, c + k * dc))
            .take_while(move |&(r, c)| r < h && (0..w).contains(&c))
            .map(move |(r, c)| (r * w + c) as usize)
            .collect::<Vec<_>>()
    };
    // Down-right diagonals start on the top row or the left column; down-left ones on
    // the top row or the right column.
    let starts = move |edge_col: i64| {
        (0..w)
            .map(|c| (0, c))
            .chain((1..h).map(move |r| (r, edge_col)))
    };
    let down_right = starts(0).map(move |s| walk(s, 1));
    let down_left = starts(w - 1).map(move |s| walk(s, -1));
    down_right.chain(down_left)
}

/// `g` with the background between consecutive foreground cells of one colour along each
/// of `lines` (cell indices in order) painted that colour.
fn join_in_colour(g: &Grid, lines: impl Iterator<Item = Vec<usize>>) -> Result<Grid, EvalError> {
    let mut out = g.cells().to_vec();
    for_each_join(g, lines, |k, colour| out[k] = colour);
    Ok(Grid::new(g.height(), g.width(), out)?)
}

/// Cells in rows or columns that are all background.
fn empty_lines(g: &Grid) -> Vec<bool> {
    let (h, w) = (g.height(), g.width());
    let empty_row: Vec<bool> = (0..h).map(|r| (0..w).all(|c| g.get(r, c) == 0)).collect();
    let empty_col: Vec<bool> = (0..w).map(|c| (0..h).all(|r| g.get(r, c) == 0)).collect();
    cells_where(g, |_, r, c| empty_row[r] || empty_col[c])
}

/// Background inside the bounding box of each colour painted that colour (lower colours
/// first, so higher ones are on top where boxes overlap).
pub fn colour_boxes(g: &Grid) -> Result<Grid, EvalError> {
    let w = g.width();
    let mut cells = g.cells().to_vec();
    for colour in 1..10u8 {
        let Some((top, left, bottom, right)) = bounds(&cells_of_colour(g, colour)) else {
            continue;
        };
        for r in top..=bottom {
            for c in left..=right {
                if g.get(r, c) == 0 {
                    cells[r * w + c] = colour;
                }
            }
        }
    }
    Ok(Grid::new(g.height(), w, cells)?)
}

/// `connect`, `fill_boxes`, `halo`, `interior`, `border` and `empty_lines`, and
/// `connect_in_colour`, `connect_diagonals_in_colour` and `colour_boxes`.
pub fn primitives() -> Vec<Primitive> {
    vec![
        painter(
            "empty_lines",
            "the all-background rows and columns painted one colour",
            empty_lines,
        ),
        primitive!(
            "colour_boxes",
            "each colour's bounding box filled with it",
            |g: &Grid| -> Grid { colour_boxes(g) }
        )
        .with_cost(RARE_COST),
        painter("border", "the grid's edge painted one colour", border),
        painter(
            "connect",
            "lines between same-coloured cells of a row or column, one colour",
            connect,
        ),
        painter(
            "fill_boxes",
            "the background in each object's bounding box painted one colour",
            fill_boxes,
        ),
        painter(
            "halo",
            "the background next to the foreground painted one colour",
            halo,
        ),
        painter(
            "interior",
            "foreground cells with eight foreground neighbours painted one colour",
            interior,
        ),
        primitive!(
            "connect_in_colour",
            "lines between same-coloured cells of a row or column, in their colour",
            |g: &Grid| -> Grid { connect_in_colour(g) }
        )
        .with_cost(RARE_COST),
        primitive!(
            "connect_diagonals_in_colour",
            "lines between same-coloured cells of a diagonal, in their colour",
            |g: &Grid| -> Grid { connect_diagonals_in_colour(g) }
        )
        .with_cost(RARE_COST),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::Value;

    fn painted(mask: Mask, x: &Grid) -> Grid {
        paint_mask(x, mask, 7).unwrap()
    }

    #[test]
    fn lines_join_same_colours_only() {
        let x = g(&[&[1, 0, 0, 1], &[0, 0, 0, 0], &[2, 0, 0, 3]]);
        assert_eq!(
            painted(connect, &x),
            g(&[&[1, 7, 7, 1], &[0, 0, 0, 0], &[2, 0, 0, 3]])
        );
        let col = g(&[&[4], &[0], &[4]]);
        assert_eq!(painted(connect, &col), g(&[&[4], &[7], &[4]]));
        let cross = g(&[&[0, 2, 0], &[3, 0, 3], &[0, 2, 1]]);
        assert_eq!(
            connect_in_colour(&cross).unwrap(),
            g(&[&[0, 2, 0], &[3, 2, 3], &[0, 2, 1]])
        );
    }

    #[test]
    fn diagonal_lines_join_same_colours_either_way() {
        let x = g(&[&[2, 0, 0, 3], &[0, 0, 0, 0], &[0, 0, 2, 0], &[3, 0, 0, 4]]);
        // 2 to 2 down-right, 3 to 3 down-left, 4 alone.
        assert_eq!(
            connect_diagonals_in_colour(&x).unwrap(),
            g(&[&[2, 0, 0, 3], &[0, 2, 3, 0], &[0, 3, 2, 0], &[3, 0, 0, 4]])
        );
        let rows: Vec<Vec<usize>> = diagonals(2, 3).collect();
        assert_eq!(rows.len(), 8);
        assert!(rows.contains(&vec![0, 4]) && rows.contains(&vec![2, 4]));
    }

    #[test]
    fn boxes_halos_and_interiors() {
        let l = g(&[&[1, 0, 0], &[1, 1, 0], &[0, 0, 0]]);
        assert_eq!(
            painted(fill_boxes, &l),
            g(&[&[1, 7, 0], &[1, 1, 0], &[0, 0, 0]])
        );
        let dot = g(&[&[0, 0, 0], &[0, 2, 0], &[0, 0, 0]]);
        assert_eq!(
            painted(halo, &dot),
            g(&[&[7, 7, 7], &[7, 2, 7], &[7, 7, 7]])
        );
        let block = Grid::new(3, 3, vec![5; 9]).unwrap();
        assert_eq!(
            painted(border, &block),
            g(&[&[7, 7, 7], &[7, 5, 7], &[7, 7, 7]])
        );
        assert_eq!(
            painted(interior, &block),
            g(&[&[5, 5, 5], &[5, 7, 5], &[5, 5, 5]])
        );
        let lines = g(&[&[1, 0, 0], &[0, 0, 0], &[0, 0, 2]]);
        assert_eq!(
            painted(empty_lines, &lines),
            g(&[&[1, 7, 0], &[7, 7, 7], &[0, 7, 2]])
        );
        let corners = g(&[&[1, 0, 0], &[0, 0, 1], &[2, 0, 2]]);
        assert_eq!(
            colour_boxes(&corners).unwrap(),
            g(&[&[1, 1, 1], &[1, 1, 1], &[2, 2, 2]])
        );
    }

    #[test]
    fn the_inverse_reads_the_colour_and_needs_a_selected_cell() {
        let p = painter("halo", "a halo", halo);
        let x = g(&[&[0, 3]]);
        let y = Value::Grid(g(&[&[6, 3]]));
        let back = (p.cond_inverses[0].apply)(&y, &[Value::Grid(x)]).unwrap();
        assert_eq!(back, vec![Value::Colour(6)]);
        let full = Value::Grid(g(&[&[3]]));
        assert!((p.cond_inverses[0].apply)(&full, std::slice::from_ref(&full)).is_err());
    }
}
