//! Shifting: the whole grid moved one cell up, down, left or right; background enters on
//! one side and the cells pushed over the other edge are lost, so there is no inverse.

use super::RARE_COST;
use crate::dsl::{EvalError, Grid, Primitive};
use crate::primitive;

/// `g` moved by `(dr, dc)` cells (each -1, 0 or 1), background filling the vacated side.
pub fn shift(g: &Grid, dr: i64, dc: i64) -> Result<Grid, EvalError> {
    let (h, w) = (g.height() as i64, g.width() as i64);
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        let (sr, sc) = (r as i64 - dr, c as i64 - dc);
        if (0..h).contains(&sr) && (0..w).contains(&sc) {
            g.get(sr as usize, sc as usize)
        } else {
            0
        }
    })?)
}

/// `shift_up`, `shift_down`, `shift_left` and `shift_right`, at [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    [
        ("shift_up", "moved one cell up", -1, 0),
        ("shift_down", "moved one cell down", 1, 0),
        ("shift_left", "moved one cell left", 0, -1),
        ("shift_right", "moved one cell right", 0, 1),
    ]
    .into_iter()
    .map(|(name, doc, dr, dc)| {
        primitive!(name, doc, |g: &Grid| -> Grid { shift(g, dr, dc) }).with_cost(RARE_COST)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn shifting_drops_the_far_edge_and_brings_in_background() {
        let x = g(&[&[1, 2], &[3, 4]]);
        assert_eq!(shift(&x, 1, 0).unwrap(), g(&[&[0, 0], &[1, 2]]));
        assert_eq!(shift(&x, 0, -1).unwrap(), g(&[&[2, 0], &[4, 0]]));
        assert_eq!(shift(&x, 0, 0).unwrap(), x);
    }
}
