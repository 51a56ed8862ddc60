//! Smearing: every foreground cell extends its colour over the background in one
//! direction, or along the four diagonals, until it meets another foreground cell or the
//! border (icecuber's `smear`). `beam` runs one cell of each object instead: the cell
//! whose colour no other cell of the object has, away from the side of the object it
//! sits on (a triangle's tip fires through its point).
//! Many grids smear to one result, so there is no inverse.

use super::gravity::Direction;
use super::objects::{components, Grouping};
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

/// `g` with a beam from each object's odd cell (the only cell of its colour in an object
/// of several colours): a line of that colour from the cell through the object's centre
/// of mass and on to the border, over the background only. The direction is one of
/// eight: a diagonal where the centre lies about as far across as down. An error where no
/// object has an odd cell off its centre.
pub fn beam(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height() as i64, g.width() as i64);
    let mut cells = g.cells().to_vec();
    let mut fired = false;
    for object in components(g, Grouping::AnyColour).iter() {
        let Some(((r, c), colour)) = odd_cell(g, object) else {
            continue;
        };
        let Some((dr, dc)) = towards_centre(object, (r, c)) else {
            continue;
        };
        fired = true;
        let (mut nr, mut nc) = (r as i64 + dr, c as i64 + dc);
        while nr >= 0 && nc >= 0 && nr < h && nc < w {
            let k = (nr * w + nc) as usize;
            if g.cells()[k] == 0 {
                cells[k] = colour;
            }
            nr += dr;
            nc += dc;
        }
    }
    if !fired {
        return Err(EvalError::Domain(
            "no object has an odd cell off its centre",
        ));
    }
    Ok(Grid::new(g.height(), g.width(), cells)?)
}

/// The one cell of `object` whose colour no other of its cells has, and that colour,
/// where the object has two colours or more and exactly one such cell.
fn odd_cell(g: &Grid, object: &[(usize, usize)]) -> Option<((usize, usize), u8)> {
    let mut counts = [0usize; 10];
    for &(r, c) in object {
        counts[g.get(r, c) as usize] += 1;
    }
    if counts.iter().filter(|&&n| n > 0).count() < 2 {
        return None;
    }
    let mut lone = object
        .iter()
        .filter(|&&(r, c)| counts[g.get(r, c) as usize] == 1);
    let cell = *lone.next()?;
    lone.next().is_none().then(|| (cell, g.get(cell.0, cell.1)))
}

/// The step (one of eight) from `cell` towards `object`'s centre of mass: along the
/// larger offset, and along the smaller too where it is at least half the larger; `None`
/// where the cell is at the centre.
fn towards_centre(object: &[(usize, usize)], cell: (usize, usize)) -> Option<(i64, i64)> {
    let n = object.len() as f64;
    let dy = object.iter().map(|&(r, _)| r as f64).sum::<f64>() / n - cell.0 as f64;
    let dx = object.iter().map(|&(_, c)| c as f64).sum::<f64>() / n - cell.1 as f64;
    let most = dy.abs().max(dx.abs());
    if most < 0.25 {
        return None;
    }
    let step = |d: f64| {
        if d.abs() * 2.0 < most {
            0
        } else {
            d.signum() as i64
        }
    };
    Some((step(dy), step(dx)))
}

/// `smear_down`, `smear_up`, `smear_left`, `smear_right`, `smear_diagonals` and `beam`,
/// at [`RARE_COST`].
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
    out.push(
        primitive!(
            "beam",
            "each object's odd cell fires a line of its colour through the object",
            |g: &Grid| -> Grid { beam(g) }
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

    #[test]
    fn an_odd_cell_fires_through_its_object_to_the_border() {
        // A triangle pointing right with a red cell in its base: the beam leaves its tip.
        let triangle = g(&[&[1, 0, 0, 0, 0], &[2, 1, 1, 0, 0], &[1, 0, 0, 0, 0]]);
        assert_eq!(
            beam(&triangle).unwrap(),
            g(&[&[1, 0, 0, 0, 0], &[2, 1, 1, 2, 2], &[1, 0, 0, 0, 0]])
        );
        // A one-colour object has no odd cell; nor has one with two lone colours.
        assert!(beam(&g(&[&[1, 1], &[0, 0]])).is_err());
        assert!(beam(&g(&[&[1, 2], &[0, 0]])).is_err());
    }
}
