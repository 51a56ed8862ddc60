//! Symmetry completion: every background cell takes the colour of its mirror image, so a
//! pattern with a missing part becomes symmetric; `complete_box` does it inside the
//! foreground's box, under the box's rotations too where it is square;
//! `reflect_about_rarest` reflects every shape about a centre piece. A completed grid has
//! many incomplete originals, so there is no inverse.

use super::colour::foreground_by_count;
use super::{bounds, cells_of_colour, foreground_cells, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::primitive;

/// A mirror that a grid can be completed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mirror {
    /// Left-right.
    LeftRight,
    /// Top-bottom.
    TopBottom,
    /// The main diagonal (square grids).
    Diagonal,
}

fn image(g: &Grid, m: Mirror, r: usize, c: usize) -> u8 {
    match m {
        Mirror::LeftRight => g.get(r, g.width() - 1 - c),
        Mirror::TopBottom => g.get(g.height() - 1 - r, c),
        Mirror::Diagonal => g.get(c, r),
    }
}

/// Whether every cell of `g` equals its image under `m` (a diagonal mirror needs a square
/// grid).
pub fn is_symmetric(g: &Grid, m: Mirror) -> bool {
    (m != Mirror::Diagonal || g.height() == g.width())
        && (0..g.height()).all(|r| (0..g.width()).all(|c| g.get(r, c) == image(g, m, r, c)))
}

/// Which mirrors `g` equals, as bits: 1 left-right, 2 top-bottom, 4 the main diagonal.
pub fn mirrors(g: &Grid) -> u8 {
    [Mirror::LeftRight, Mirror::TopBottom, Mirror::Diagonal]
        .iter()
        .enumerate()
        .map(|(bit, &m)| u8::from(is_symmetric(g, m)) << bit)
        .sum()
}

/// `g` with each background cell filled from its image under `m`.
pub fn complete(g: &Grid, m: Mirror) -> Result<Grid, EvalError> {
    if m == Mirror::Diagonal && g.height() != g.width() {
        return Err(EvalError::Domain("a diagonal mirror needs a square grid"));
    }
    Grid::from_fn(g.height(), g.width(), |r, c| match g.get(r, c) {
        0 => image(g, m, r, c),
        colour => colour,
    })
    .map_err(EvalError::from)
}

/// Completion under both axes (and so the half turn too).
fn complete_both(g: &Grid) -> Result<Grid, EvalError> {
    let once = complete(&complete(g, Mirror::LeftRight)?, Mirror::TopBottom)?;
    complete(&once, Mirror::LeftRight)
}

/// `g` with each background cell in the foreground's bounding box filled from the first
/// foreground image of the cell under the box's symmetries: both mirrors, and where the
/// box is square its rotations and diagonals too (a pattern completed where it stands,
/// wherever that is in the grid). An error when nothing changes.
pub fn complete_box(g: &Grid) -> Result<Grid, EvalError> {
    let (top, left, bottom, right) =
        bounds(&foreground_cells(g)).ok_or(EvalError::Domain("the grid is all background"))?;
    let (bh, bw) = (bottom - top, right - left);
    let image_colour = |r: usize, c: usize| {
        let mut images = vec![(r, bw - c), (bh - r, c), (bh - r, bw - c)];
        if bh == bw {
            images.extend([(c, r), (c, bh - r), (bh - c, r), (bh - c, bh - r)]);
        }
        images
            .into_iter()
            .map(|(ir, ic)| g.get(top + ir, left + ic))
            .find(|&colour| colour != 0)
    };
    let out = Grid::from_fn(g.height(), g.width(), |r, c| {
        let inside = (top..=bottom).contains(&r) && (left..=right).contains(&c);
        match g.get(r, c) {
            0 if inside => image_colour(r - top, c - left).unwrap_or(0),
            colour => colour,
        }
    })?;
    if out == *g {
        return Err(EvalError::Domain("the pattern is complete"));
    }
    Ok(out)
}

/// `g` with every foreground cell also painted at its images under the left-right and the
/// top-bottom mirror through the centre of the cells of its rarest foreground colour (the
/// pivot), where those images are background and in the grid: shapes reflected four ways
/// about a centre piece. An error when the grid has fewer than two foreground colours.
pub fn reflect_about_rarest(g: &Grid) -> Result<Grid, EvalError> {
    let pivot = cells_of_colour(g, foreground_by_count(g, true)?);
    let foreground = foreground_cells(g);
    if pivot.len() == foreground.len() {
        return Err(EvalError::Domain("no second colour to reflect"));
    }
    let (top, left, bottom, right) = bounds(&pivot).expect("the rarest colour has cells");
    // Twice the centre, so that a centre between two cells stays whole.
    let (rows, cols) = ((top + bottom) as isize, (left + right) as isize);
    let (h, w) = (g.height() as isize, g.width() as isize);
    let mut cells = g.cells().to_vec();
    for (r, c) in foreground {
        let colour = g.get(r, c);
        let (r, c) = (r as isize, c as isize);
        for (ir, ic) in [(rows - r, c), (r, cols - c), (rows - r, cols - c)] {
            if (0..h).contains(&ir) && (0..w).contains(&ic) {
                let at = (ir * w + ic) as usize;
                if cells[at] == 0 {
                    cells[at] = colour;
                }
            }
        }
    }
    Ok(Grid::new(g.height(), g.width(), cells)?)
}

/// `mirror_lr`, `mirror_tb`, `mirror_diag`, `mirror_both`, `complete_box` and
/// `reflect_about_rarest`.
pub fn primitives() -> Vec<Primitive> {
    let mut out: Vec<Primitive> = [
        (
            "mirror_lr",
            "background cells completed from their left-right mirror",
            Mirror::LeftRight,
        ),
        (
            "mirror_tb",
            "background cells completed from their top-bottom mirror",
            Mirror::TopBottom,
        ),
        (
            "mirror_diag",
            "background cells completed from their diagonal mirror",
            Mirror::Diagonal,
        ),
    ]
    .into_iter()
    .map(|(name, doc, m)| {
        primitive!(name, doc, |g: &Grid| -> Grid { complete(g, m) }).with_cost(RARE_COST)
    })
    .collect();
    out.push(
        primitive!(
            "mirror_both",
            "background cells completed from both mirrors",
            |g: &Grid| -> Grid { complete_both(g) }
        )
        .with_cost(RARE_COST),
    );
    out.push(
        primitive!(
            "reflect_about_rarest",
            "each shape reflected both ways about the centre of the rarest colour",
            |g: &Grid| -> Grid { reflect_about_rarest(g) }
        )
        .with_shapes(ShapeRule::Same)
        .with_cost(RARE_COST),
    );
    out.push(
        primitive!(
            "complete_box",
            "the foreground's box completed from its mirrors and, if square, its rotations",
            |g: &Grid| -> Grid { complete_box(g) }
        )
        .with_cost(RARE_COST),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn shapes_are_reflected_about_the_centre_of_the_rarest_colour() {
        // The pivot (colour 3, four cells against five) is a 2x2 block, whose centre lies
        // between cells.
        let x = g(&[
            &[1, 1, 1, 0, 0, 0],
            &[1, 1, 0, 0, 0, 0],
            &[0, 0, 3, 3, 0, 0],
            &[0, 0, 3, 3, 0, 0],
            &[0, 0, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0],
        ]);
        let out = g(&[
            &[1, 1, 1, 1, 1, 1],
            &[1, 1, 0, 0, 1, 1],
            &[0, 0, 3, 3, 0, 0],
            &[0, 0, 3, 3, 0, 0],
            &[1, 1, 0, 0, 1, 1],
            &[1, 1, 1, 1, 1, 1],
        ]);
        assert_eq!(reflect_about_rarest(&x).unwrap(), out);
        assert_eq!(
            reflect_about_rarest(&out).unwrap(),
            out,
            "already reflected"
        );
        assert!(reflect_about_rarest(&g(&[&[1, 0], &[0, 1]])).is_err());
    }

    #[test]
    fn missing_cells_come_from_the_mirror_image() {
        let x = g(&[&[1, 2, 0], &[0, 5, 0]]);
        assert_eq!(
            complete(&x, Mirror::LeftRight).unwrap(),
            g(&[&[1, 2, 1], &[0, 5, 0]])
        );
        assert_eq!(
            complete(&x, Mirror::TopBottom).unwrap(),
            g(&[&[1, 2, 0], &[1, 5, 0]])
        );
        assert!(complete(&x, Mirror::Diagonal).is_err());
        let quarter = g(&[&[3, 0], &[0, 0]]);
        assert_eq!(complete_both(&quarter).unwrap(), g(&[&[3, 3], &[3, 3]]));
        assert_eq!(mirrors(&quarter), 4);
        assert_eq!(mirrors(&g(&[&[3, 0], &[1, 0]])), 0);
        assert_eq!(mirrors(&g(&[&[1, 2, 1]])), 1 | 2);
        assert_eq!(mirrors(&g(&[&[1, 2], &[2, 3]])), 4);
        let d = g(&[&[1, 2], &[0, 4]]);
        assert_eq!(
            complete(&d, Mirror::Diagonal).unwrap(),
            g(&[&[1, 2], &[2, 4]])
        );
    }

    #[test]
    fn the_foreground_box_is_completed_where_it_stands() {
        // A ring of corners and arms, off the grid's centre, missing two arms and its
        // bottom: no mirror of the left arm's cell is foreground, a diagonal's is.
        let x = g(&[&[0, 1, 4, 1, 0], &[0, 0, 2, 0, 0], &[0, 1, 0, 1, 0]]);
        let done = g(&[&[0, 1, 4, 1, 0], &[0, 4, 2, 4, 0], &[0, 1, 4, 1, 0]]);
        assert_eq!(complete_box(&x).unwrap(), done);
        assert!(complete_box(&done).is_err());
    }
}
