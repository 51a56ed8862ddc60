//! Gravity: every foreground cell slides as far as it can in one direction, the cells of a
//! column (or row) keeping their order. Many grids fall to one result, so there is no
//! inverse.

use super::RARE_COST;
use crate::dsl::{EvalError, Grid, Primitive};
use crate::primitive;

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

/// `fall_down`, `fall_up`, `fall_left`, `fall_right`.
pub fn primitives() -> Vec<Primitive> {
    [
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
    .collect()
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
}
