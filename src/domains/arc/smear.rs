//! Smearing: every foreground cell extends its colour over the background in one
//! direction, or along the four diagonals, until it meets another foreground cell or the
//! border (icecuber's `smear`).
//! Many grids smear to one result, so there is no inverse.

use super::gravity::Direction;
use super::RARE_COST;
use crate::dsl::{EvalError, Grid, Primitive};
use crate::primitive;

/// `g` with its foreground smeared towards `dir`.
pub fn smear(g: &Grid, dir: Direction) -> Result<Grid, EvalError> {
    let step = match dir {
        Direction::Down => (1, 0),
        Direction::Up => (-1, 0),
        Direction::Left => (0, -1),
        Direction::Right => (0, 1),
    };
    smear_steps(g, &[step])
}

/// `g` with its foreground smeared along the four diagonals (rays that stop at `g`'s
/// foreground cells or the border).
pub fn smear_diagonals(g: &Grid) -> Result<Grid, EvalError> {
    smear_steps(g, &[(1, 1), (1, -1), (-1, 1), (-1, -1)])
}

/// `g` with each foreground cell's colour run over the background by each step
/// `(row, column)` in turn, stopping at `g`'s foreground or the border.
fn smear_steps(g: &Grid, steps: &[(i64, i64)]) -> Result<Grid, EvalError> {
    let (h, w) = (g.height() as i64, g.width() as i64);
    let mut cells = g.cells().to_vec();
    for r in 0..h {
        for c in 0..w {
            let colour = g.get(r as usize, c as usize);
            if colour == 0 {
                continue;
            }
            for &(dr, dc) in steps {
                let (mut nr, mut nc) = (r + dr, c + dc);
                while nr >= 0 && nc >= 0 && nr < h && nc < w && g.get(nr as usize, nc as usize) == 0
                {
                    cells[(nr * w + nc) as usize] = colour;
                    nr += dr;
                    nc += dc;
                }
            }
        }
    }
    Ok(Grid::new(g.height(), g.width(), cells)?)
}

/// `smear_down`, `smear_up`, `smear_left`, `smear_right` and `smear_diagonals`, at
/// [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    let mut out: Vec<Primitive> = [
        (
            "smear_down",
            "foreground colours run down over the background",
            Direction::Down,
        ),
        (
            "smear_up",
            "foreground colours run up over the background",
            Direction::Up,
        ),
        (
            "smear_left",
            "foreground colours run left over the background",
            Direction::Left,
        ),
        (
            "smear_right",
            "foreground colours run right over the background",
            Direction::Right,
        ),
    ]
    .into_iter()
    .map(|(name, doc, dir)| {
        primitive!(name, doc, |g: &Grid| -> Grid { smear(g, dir) }).with_cost(RARE_COST)
    })
    .collect();
    out.push(
        primitive!(
            "smear_diagonals",
            "foreground colours run along the diagonals over the background",
            |g: &Grid| -> Grid { smear_diagonals(g) }
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
    fn colours_run_until_they_meet_a_cell_or_the_border() {
        let x = g(&[&[1, 0, 0, 2, 0], &[0, 0, 0, 0, 0]]);
        assert_eq!(
            smear(&x, Direction::Right).unwrap(),
            g(&[&[1, 1, 1, 2, 2], &[0, 0, 0, 0, 0]])
        );
        assert_eq!(
            smear(&x, Direction::Down).unwrap(),
            g(&[&[1, 0, 0, 2, 0], &[1, 0, 0, 2, 0]])
        );
        assert_eq!(smear(&x, Direction::Up).unwrap(), x.clone());
        let dot = g(&[&[0, 0, 0], &[0, 3, 0], &[0, 0, 5]]);
        assert_eq!(
            smear_diagonals(&dot).unwrap(),
            g(&[&[3, 0, 3], &[0, 3, 0], &[3, 0, 5]])
        );
    }
}
