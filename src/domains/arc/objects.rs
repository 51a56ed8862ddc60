//! Objects: the 8-connected groups of foreground cells (of any colours). `largest_object`
//! and `smallest_object` crop the grid to one object (the other cells of its box become
//! background); ties go to the first object in reading order. No inverse.

use super::{grid, grid_value};
use crate::dsl::{EvalError, Grid, Primitive, Type, Value};

/// The objects of `g`, each as its cells, in reading order of their first cell.
pub fn objects(g: &Grid) -> Vec<Vec<(usize, usize)>> {
    let (h, w) = (g.height(), g.width());
    let mut seen = vec![false; h * w];
    let mut out = Vec::new();
    for start in 0..h * w {
        if seen[start] || g.cells()[start] == 0 {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start / w, start % w)];
        let mut cells = Vec::new();
        while let Some((r, c)) = stack.pop() {
            cells.push((r, c));
            for dr in -1i64..=1 {
                for dc in -1i64..=1 {
                    let (nr, nc) = (r as i64 + dr, c as i64 + dc);
                    if nr < 0 || nc < 0 || nr >= h as i64 || nc >= w as i64 {
                        continue;
                    }
                    let k = nr as usize * w + nc as usize;
                    if !seen[k] && g.cells()[k] != 0 {
                        seen[k] = true;
                        stack.push((nr as usize, nc as usize));
                    }
                }
            }
        }
        out.push(cells);
    }
    out
}

/// The bounding box of `cells` with only those cells kept.
fn crop_to(g: &Grid, cells: &[(usize, usize)]) -> Result<Value, EvalError> {
    let top = cells.iter().map(|p| p.0).min().unwrap_or(0);
    let bottom = cells.iter().map(|p| p.0).max().unwrap_or(0);
    let left = cells.iter().map(|p| p.1).min().unwrap_or(0);
    let right = cells.iter().map(|p| p.1).max().unwrap_or(0);
    let w = g.width();
    let mut keep = vec![false; g.height() * w];
    for &(r, c) in cells {
        keep[r * w + c] = true;
    }
    grid_value(Grid::from_fn(bottom - top + 1, right - left + 1, |r, c| {
        let (gr, gc) = (top + r, left + c);
        if keep[gr * w + gc] {
            g.get(gr, gc)
        } else {
            0
        }
    }))
}

/// The object with the most cells (`largest`) or the fewest, cropped.
pub fn pick_object(g: &Grid, largest: bool) -> Result<Value, EvalError> {
    let all = objects(g);
    // `max_by_key` keeps the last maximum, `min_by_key` the first minimum.
    let pick = if largest {
        all.iter().rev().max_by_key(|o| o.len())
    } else {
        all.iter().min_by_key(|o| o.len())
    };
    let cells = pick.ok_or_else(|| EvalError::Domain("no object".into()))?;
    crop_to(g, cells)
}

/// `largest_object` and `smallest_object`.
pub fn primitives() -> Vec<Primitive> {
    let t = Type::arrow(Type::grid(), Type::grid());
    vec![
        Primitive::new("largest_object", t.clone(), |a| {
            pick_object(grid(&a[0])?, true)
        }),
        Primitive::new("smallest_object", t, |a| pick_object(grid(&a[0])?, false)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn objects_are_8_connected_and_cropped_alone() {
        let x = g(&[&[1, 0, 0, 2], &[0, 1, 0, 0], &[0, 0, 0, 3], &[5, 0, 0, 3]]);
        assert_eq!(objects(&x).len(), 4);
        assert_eq!(
            pick_object(&x, true).unwrap(),
            Value::Grid(g(&[&[1, 0], &[0, 1]]))
        );
        // Two one-cell objects: the first in reading order wins.
        assert_eq!(pick_object(&x, false).unwrap(), Value::Grid(g(&[&[2]])));
        assert!(pick_object(&g(&[&[0]]), true).is_err());
    }
}
