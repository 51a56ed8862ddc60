//! Gravity: every foreground cell slides as far as it can in one direction, the cells of a
//! column (or row) keeping their order. Many grids fall to one result, so there is no
//! inverse. `fall_towards` pulls whole objects towards the cells of one colour instead
//! (arc-dsl's `gravitate`); its conditional inverse finds the colour that gives the output.

use super::colour::colour_argument;
use super::objects::{components, Cells, Grouping};
use super::{same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::{given, primitive};

/// A direction cells fall in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards the last row.
    Down,
    /// Towards row 0.
    Up,
    /// Towards column 0.
    Left,
    /// Towards the last column.
    Right,
}

/// `g` after every foreground cell has fallen towards `dir`.
pub fn fall(g: &Grid, dir: Direction) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let vertical = matches!(dir, Direction::Down | Direction::Up);
    let (lines, len) = if vertical { (w, h) } else { (h, w) };
    let at = |line: usize, i: usize| if vertical { (i, line) } else { (line, i) };
    let mut cells = vec![0u8; h * w];
    for line in 0..lines {
        let lit: Vec<u8> = (0..len)
            .map(|i| {
                let (r, c) = at(line, i);
                g.get(r, c)
            })
            .filter(|&c| c != 0)
            .collect();
        let start = match dir {
            Direction::Down | Direction::Right => len - lit.len(),
            Direction::Up | Direction::Left => 0,
        };
        for (k, &colour) in lit.iter().enumerate() {
            let (r, c) = at(line, start + k);
            cells[r * w + c] = colour;
        }
    }
    Ok(Grid::new(h, w, cells)?)
}

/// The four steps `(row, column)` an object may move by, in the order that breaks ties.
const STEPS: [(i64, i64); 4] = [(1, 0), (-1, 0), (0, -1), (0, 1)];

/// `g` with every one-colour object (8-connected) not of colour `target` moved straight
/// towards the cells of `target` until it touches them, or touches an object that has
/// already landed: in order of the moves each needs with only `target` in its way, each
/// along the direction in which it lands soonest. An object that lands in no direction
/// stays. An error when `target` is not in `g` or nothing moves.
pub fn fall_towards(g: &Grid, target: u8) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let mut landed: Vec<bool> = g.cells().iter().map(|&c| c != 0 && c == target).collect();
    if !landed.contains(&true) {
        return Err(EvalError::Domain("no cell of the colour"));
    }
    let mut cells = g.cells().to_vec();
    let objects = components(g, Grouping::OneColour);
    let loose: Vec<&Cells> = objects
        .iter()
        .filter(|o| g.get(o[0].0, o[0].1) != target)
        .collect();
    // The order: by the moves each needs with only the target in its way.
    let targets_only: Vec<u8> = landed.iter().map(|&t| u8::from(t)).collect();
    let mut order: Vec<(usize, usize)> = loose
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let moves = landing(o, &targets_only, &landed, (h, w)).map_or(usize::MAX, |l| l.0);
            (moves, i)
        })
        .collect();
    order.sort_unstable();
    let mut moved = false;
    for (_, i) in order {
        let object = loose[i];
        let Some((n, step)) = landing(object, &cells, &landed, (h, w)) else {
            continue;
        };
        let colour = g.get(object[0].0, object[0].1);
        for &(r, c) in object {
            cells[r * w + c] = 0;
        }
        for &cell in object {
            let k = shifted(cell, step, n, (h, w)).expect("a landing stays in the grid");
            cells[k] = colour;
            landed[k] = true;
        }
        moved |= n > 0;
    }
    if !moved {
        return Err(EvalError::Domain("nothing moves"));
    }
    Ok(Grid::new(h, w, cells)?)
}

/// The index of `cell` moved `n` times by `step` in an `h` x `w` grid, if inside it.
fn shifted(
    cell: (usize, usize),
    step: (i64, i64),
    n: usize,
    (h, w): (usize, usize),
) -> Option<usize> {
    let r = cell.0 as i64 + step.0 * n as i64;
    let c = cell.1 as i64 + step.1 * n as i64;
    ((0..h as i64).contains(&r) && (0..w as i64).contains(&c)).then(|| r as usize * w + c as usize)
}

/// The fewest moves after which one more move of `object` (its cells, sorted) would put
/// a cell on a `landed` cell, with the step: over the four directions, each stopped by
/// the border or by another cell that has not landed.
fn landing(
    object: &[(usize, usize)],
    cells: &[u8],
    landed: &[bool],
    size: (usize, usize),
) -> Option<(usize, (i64, i64))> {
    let moves_to_land = |step: (i64, i64)| {
        (0..size.0.max(size.1)).find_map(|n| {
            let (mut lands, mut blocked) = (false, false);
            for &cell in object {
                let Some(k) = shifted(cell, step, n + 1, size) else {
                    return Some(None);
                };
                let own = object.binary_search(&(k / size.1, k % size.1)).is_ok();
                lands |= !own && landed[k];
                blocked |= !own && !landed[k] && cells[k] != 0;
            }
            (lands || blocked).then_some(lands.then_some(n))
        })?
    };
    STEPS
        .iter()
        .filter_map(|&step| moves_to_land(step).map(|n| (n, step)))
        .min_by_key(|&(n, _)| n)
}

/// `fall_down`, `fall_up`, `fall_left`, `fall_right` and `fall_towards`.
pub fn primitives() -> Vec<Primitive> {
    let mut out: Vec<Primitive> = [
        ("fall_down", "foreground cells fall down", Direction::Down),
        ("fall_up", "foreground cells fall up", Direction::Up),
        ("fall_left", "foreground cells fall left", Direction::Left),
        (
            "fall_right",
            "foreground cells fall right",
            Direction::Right,
        ),
    ]
    .into_iter()
    .map(|(name, doc, dir)| {
        primitive!(name, doc, |g: &Grid| -> Grid { fall(g, dir) }).with_cost(RARE_COST)
    })
    .collect();
    out.push(
        primitive!(
            "fall_towards",
            "each object moves towards the cells of one colour until it touches them",
            |g: &Grid, target: u8| -> Grid { fall_towards(g, target) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
            same_shape(g, out)?;
            colour_argument(g, out, fall_towards)
        }))
        .with_shapes(ShapeRule::Same)
        .with_cost(RARE_COST),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn cells_fall_in_order_until_they_land() {
        let x = g(&[&[1, 0, 3], &[0, 2, 0], &[4, 0, 0]]);
        let down = fall(&x, Direction::Down).unwrap();
        assert_eq!(down, g(&[&[0, 0, 0], &[1, 0, 0], &[4, 2, 3]]));
        let left = fall(&x, Direction::Left).unwrap();
        assert_eq!(left, g(&[&[1, 3, 0], &[2, 0, 0], &[4, 0, 0]]));
        let right = fall(&x, Direction::Right).unwrap();
        assert_eq!(right, g(&[&[0, 1, 3], &[0, 0, 2], &[0, 0, 4]]));
        let up = fall(&x, Direction::Up).unwrap();
        assert_eq!(up, g(&[&[1, 2, 3], &[4, 0, 0], &[0, 0, 0]]));
    }

    #[test]
    fn objects_move_towards_a_colour_until_they_touch_it_or_what_landed() {
        // A bar of 5; two 2s in row 0 queue up on its right, the nearer first; the 4
        // sees no 5 in any direction and stays.
        let x = g(&[
            &[0, 0, 5, 0, 2, 0, 2],
            &[0, 0, 5, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0, 0],
            &[4, 0, 0, 0, 0, 0, 0],
        ]);
        let pulled = g(&[
            &[0, 0, 5, 2, 2, 0, 0],
            &[0, 0, 5, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0, 0],
            &[4, 0, 0, 0, 0, 0, 0],
        ]);
        assert_eq!(fall_towards(&x, 5).unwrap(), pulled);
        assert_eq!(colour_argument(&x, &pulled, fall_towards).unwrap(), 5);
        assert!(fall_towards(&x, 7).is_err(), "no 7 to fall towards");
        assert!(fall_towards(&pulled, 5).is_err(), "nothing moves");
    }
}
