//! Noise removed: `denoise` keeps a foreground cell only where a 2x2 block of its colour
//! covers it (a morphological opening by a 2x2 square), so that specks and the stray cells
//! stuck to a rectangle's side vanish and the solid shapes stay. No inverse: the noise is
//! lost.

use super::RARE_COST;
use crate::dsl::{EvalError, Grid, Primitive};
use crate::primitive;

/// `g` with every foreground cell that no 2x2 block of its own colour covers made
/// background; an error when nothing changes.
pub fn denoise(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let solid = |r: usize, c: usize| {
        let colour = g.get(r, c);
        r + 1 < h
            && c + 1 < w
            && [(0, 1), (1, 0), (1, 1)]
                .iter()
                .all(|&(dr, dc)| g.get(r + dr, c + dc) == colour)
    };
    let mut kept = vec![false; h * w];
    for r in 0..h {
        for c in 0..w {
            if g.get(r, c) != 0 && solid(r, c) {
                for (dr, dc) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                    kept[(r + dr) * w + c + dc] = true;
                }
            }
        }
    }
    let cells: Vec<u8> = g
        .cells()
        .iter()
        .zip(&kept)
        .map(|(&colour, &keep)| if keep { colour } else { 0 })
        .collect();
    if cells == g.cells() {
        return Err(EvalError::Domain("no noise"));
    }
    Ok(Grid::new(h, w, cells)?)
}

/// `denoise`, at [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    vec![primitive!(
        "denoise",
        "cells that no 2x2 block of their colour covers made background",
        |g: &Grid| -> Grid { denoise(g) }
    )
    .with_cost(RARE_COST)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn specks_and_stray_cells_vanish_and_blocks_stay() {
        let x = g(&[
            &[3, 0, 0, 0, 0],
            &[0, 0, 2, 2, 2],
            &[0, 0, 2, 2, 2],
            &[0, 4, 0, 0, 2],
            &[0, 4, 4, 0, 0],
        ]);
        let clean = g(&[
            &[0, 0, 0, 0, 0],
            &[0, 0, 2, 2, 2],
            &[0, 0, 2, 2, 2],
            &[0, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0],
        ]);
        assert_eq!(denoise(&x).unwrap(), clean);
        assert!(denoise(&clean).is_err(), "nothing to remove");
    }
}
