//! Pieces put where they fit:
//!
//! - `fit_pieces`: a jigsaw. Each hole (a region of background the border cannot reach)
//!   takes a loose one-colour object of its exact shape, which moves into it (one of a
//!   colour no other object has first).
//! - `fit_in_frame`: the largest frame, cropped, with the rest of the foreground scaled up
//!   by the whole factor that makes it fill the frame's inside.
//! - `assemble`: the objects laid over one another with their cells of one colour (each
//!   object's anchor) on one spot, cropped; the conditional inverse finds the colour.
//!
//! The first two have no inverse: many inputs fit to one output.

use super::colour::colour_argument;
use super::objects::{components, normalised, Cells, Grouping};
use super::parts::largest_frame;
use super::regions::background_regions;
use super::scale::inflate;
use super::{bounds, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive};
use crate::{given, primitive};

/// `g` with each hole filled by a one-colour object of the hole's shape, not yet used and
/// not on the hole's edge, taken from where it was: an object whose colour no other object
/// has before one whose colour others share (the loose piece, not the scenery), then the
/// first in reading order. An error when no hole takes an object.
pub fn fit_pieces(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let on_border = |&(r, c): &(usize, usize)| r == 0 || c == 0 || r == h - 1 || c == w - 1;
    let holes: Vec<Cells> = background_regions(g)
        .into_iter()
        .filter(|region| !region.iter().any(on_border))
        .collect();
    let pieces = components(g, Grouping::OneColour);
    let colour_of = |i: usize| usize::from(g.get(pieces[i][0].0, pieces[i][0].1));
    let mut objects_of_colour = [0usize; 10];
    for i in 0..pieces.len() {
        objects_of_colour[colour_of(i)] += 1;
    }
    let shapes: Vec<Cells> = pieces.iter().map(|p| normalised(p)).collect();
    let mut used = vec![false; pieces.len()];
    let mut cells = g.cells().to_vec();
    for hole in &holes {
        let shape = normalised(hole);
        let fits = |i: &usize| !used[*i] && shapes[*i] == shape && !touches(&pieces[*i], hole);
        let Some(i) = (0..pieces.len())
            .filter(fits)
            .min_by_key(|&i| (objects_of_colour[colour_of(i)] > 1, i))
        else {
            continue;
        };
        used[i] = true;
        let colour = colour_of(i) as u8;
        for &(r, c) in &pieces[i] {
            cells[r * w + c] = 0;
        }
        for &(r, c) in hole {
            cells[r * w + c] = colour;
        }
    }
    if !used.contains(&true) {
        return Err(EvalError::Domain("no piece fits a hole"));
    }
    Ok(Grid::new(h, w, cells)?)
}

/// Whether a cell of `a` is next to (sides or corners) a cell of `b`.
fn touches(a: &[(usize, usize)], b: &[(usize, usize)]) -> bool {
    a.iter().any(|&(r, c)| {
        b.iter()
            .any(|&(s, d)| r.abs_diff(s) <= 1 && c.abs_diff(d) <= 1)
    })
}

/// The largest frame of `g` (see [`largest_frame`]), its outline only, with its inside replaced by the rest
/// of `g`'s foreground, cropped and inflated by the whole factor that makes it the
/// inside's size; an error when there is no frame, nothing else, or no such factor.
pub fn fit_in_frame(g: &Grid) -> Result<Grid, EvalError> {
    let (frame, [_, _, h, w]) = largest_frame(g)?;
    let objects = components(g, Grouping::OneColour);
    let rest: Cells = objects
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != frame)
        .flat_map(|(_, cells)| cells.iter().copied())
        .collect();
    let (r0, c0, r1, c1) = bounds(&rest).ok_or(EvalError::Domain("nothing to fit"))?;
    let (ph, pw) = (r1 - r0 + 1, c1 - c0 + 1);
    if h % ph != 0 || h / ph != w / pw || w % pw != 0 {
        return Err(EvalError::Domain("the piece does not scale to the frame"));
    }
    let mut piece = vec![0; ph * pw];
    for &(r, c) in &rest {
        piece[(r - r0) * pw + c - c0] = g.get(r, c);
    }
    let scaled = inflate(&Grid::new(ph, pw, piece)?, h / ph)?;
    let colour = {
        let (r, c) = objects[frame][0];
        g.get(r, c)
    };
    Ok(Grid::from_fn(h + 2, w + 2, |r, c| {
        let inside = (1..=h).contains(&r) && (1..=w).contains(&c);
        if inside {
            scaled.get(r - 1, c - 1)
        } else {
            colour
        }
    })?)
}

/// The objects of `g` (8-connected, any colours) with exactly one cell of colour
/// `anchor`, laid over one another in reading order with their anchors on one spot, and
/// cropped to what they cover; an error when fewer than two objects have an anchor.
pub fn assemble(g: &Grid, anchor: u8) -> Result<Grid, EvalError> {
    // Each anchored object's cells as (row, column, colour) relative to its anchor.
    let relative: Vec<Vec<(i64, i64, u8)>> = components(g, Grouping::AnyColour)
        .iter()
        .filter_map(|cells| {
            let mut anchors = cells.iter().filter(|&&(r, c)| g.get(r, c) == anchor);
            let (ar, ac) = *anchors.next()?;
            if anchors.next().is_some() {
                return None;
            }
            let at = |&(r, c): &(usize, usize)| {
                (r as i64 - ar as i64, c as i64 - ac as i64, g.get(r, c))
            };
            Some(cells.iter().map(at).collect())
        })
        .collect();
    if relative.len() < 2 {
        return Err(EvalError::Domain("fewer than two anchored objects"));
    }
    let all = relative.iter().flatten();
    let top = all.clone().map(|p| p.0).min().unwrap_or(0);
    let left = all.clone().map(|p| p.1).min().unwrap_or(0);
    let h = (all.clone().map(|p| p.0).max().unwrap_or(0) - top + 1) as usize;
    let w = (all.clone().map(|p| p.1).max().unwrap_or(0) - left + 1) as usize;
    let mut cells = vec![0; h * w];
    for &(r, c, colour) in all {
        cells[(r - top) as usize * w + (c - left) as usize] = colour;
    }
    Ok(Grid::new(h, w, cells)?)
}

/// `fit_pieces`, `fit_in_frame` and `assemble`, at [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    vec![
        primitive!(
            "fit_pieces",
            "each hole filled by the loose object of its shape, moved there",
            |g: &Grid| -> Grid { fit_pieces(g) }
        )
        .with_cost(RARE_COST),
        primitive!(
            "fit_in_frame",
            "the largest frame with the rest scaled up to fill its inside",
            |g: &Grid| -> Grid { fit_in_frame(g) }
        )
        .with_cost(RARE_COST),
        primitive!(
            "assemble",
            "the objects laid over one another with their cells of one colour on one spot",
            |g: &Grid, anchor: u8| -> Grid { assemble(g, anchor) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
            colour_argument(g, out, assemble)
        }))
        .with_cost(RARE_COST),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn a_loose_piece_moves_into_the_hole_of_its_shape() {
        // Two pieces fit the hole; the 4s come first in reading order, but 4 is also the
        // colour of another object, so the 2s move.
        let x = g(&[
            &[5, 5, 5, 5, 0, 4, 4, 0],
            &[5, 0, 0, 5, 0, 0, 4, 0],
            &[5, 5, 0, 5, 0, 0, 0, 0],
            &[5, 5, 5, 5, 0, 0, 0, 4],
            &[0, 0, 0, 0, 0, 0, 0, 0],
            &[0, 2, 2, 0, 0, 0, 0, 0],
            &[0, 0, 2, 0, 0, 0, 0, 0],
        ]);
        let fitted = g(&[
            &[5, 5, 5, 5, 0, 4, 4, 0],
            &[5, 2, 2, 5, 0, 0, 4, 0],
            &[5, 5, 2, 5, 0, 0, 0, 0],
            &[5, 5, 5, 5, 0, 0, 0, 4],
            &[0, 0, 0, 0, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0, 0, 0],
        ]);
        assert_eq!(fit_pieces(&x).unwrap(), fitted);
        assert!(fit_pieces(&g(&[&[5, 5, 5], &[5, 0, 5], &[5, 5, 5], &[0, 4, 4]])).is_err());
    }

    #[test]
    fn the_rest_is_scaled_to_fill_the_frame() {
        let x = g(&[
            &[0, 3, 0, 0, 0, 0, 0],
            &[3, 3, 0, 0, 0, 0, 0],
            &[0, 0, 2, 2, 2, 2, 2],
            &[0, 0, 2, 0, 0, 0, 2],
            &[0, 0, 2, 0, 0, 0, 2],
            &[0, 0, 2, 0, 0, 0, 2],
            &[0, 0, 2, 2, 2, 2, 2],
        ]);
        assert!(fit_in_frame(&x).is_err(), "2x2 does not scale to 3x3");
        let on_frame =
            |i: usize, j: usize| i >= 2 && j >= 2 && (i == 2 || i == 7 || j == 2 || j == 7);
        let seed = |i: usize, j: usize| (i, j) == (0, 1) || (i == 1 && j < 2);
        let rows: Vec<Vec<i64>> = (0..8)
            .map(|i| {
                (0..8)
                    .map(|j| {
                        if on_frame(i, j) {
                            2
                        } else if seed(i, j) {
                            3
                        } else {
                            0
                        }
                    })
                    .collect()
            })
            .collect();
        let x = Grid::from_rows(&rows).unwrap();
        let fitted = g(&[
            &[2, 2, 2, 2, 2, 2],
            &[2, 0, 0, 3, 3, 2],
            &[2, 0, 0, 3, 3, 2],
            &[2, 3, 3, 3, 3, 2],
            &[2, 3, 3, 3, 3, 2],
            &[2, 2, 2, 2, 2, 2],
        ]);
        assert_eq!(fit_in_frame(&x).unwrap(), fitted);
    }

    #[test]
    fn objects_are_assembled_on_their_anchors() {
        let x = g(&[
            &[6, 6, 0, 0, 0, 0],
            &[0, 5, 0, 0, 0, 0],
            &[0, 0, 0, 0, 5, 7],
            &[0, 0, 0, 0, 0, 7],
            &[0, 0, 0, 0, 0, 0],
            &[4, 5, 0, 0, 0, 0],
        ]);
        let made = g(&[&[6, 6, 0], &[4, 5, 7], &[0, 0, 7]]);
        assert_eq!(assemble(&x, 5).unwrap(), made);
        assert_eq!(colour_argument(&x, &made, assemble).unwrap(), 5);
        assert!(assemble(&x, 6).is_err(), "no object holds exactly one 6");
    }
}
