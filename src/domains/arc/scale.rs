//! Changing scale: inflating every cell to a k x k block (inverse: deflate, when every
//! block is one colour), and tiling a grid 2 x 2 (inverse: the tile, when all four agree).

use super::{grid, grid_value};
use crate::dsl::{EvalError, Grid, Primitive, Type, Value};

/// Every cell becomes a `k` x `k` block.
pub fn inflate(g: &Grid, k: usize) -> Result<Value, EvalError> {
    grid_value(Grid::from_fn(g.height() * k, g.width() * k, |r, c| {
        g.get(r / k, c / k)
    }))
}

/// The grid whose inflation by `k` is `g`, if `g` is made of uniform `k` x `k` blocks.
pub fn deflate(g: &Grid, k: usize) -> Result<Value, EvalError> {
    if g.height() % k != 0 || g.width() % k != 0 {
        return Err(EvalError::Domain(format!(
            "{}x{} is not a multiple of {k}",
            g.height(),
            g.width()
        )));
    }
    let small = Grid::from_fn(g.height() / k, g.width() / k, |r, c| g.get(r * k, c * k))
        .map_err(|e| EvalError::Domain(e.to_string()))?;
    if (0..g.height()).any(|r| (0..g.width()).any(|c| g.get(r, c) != small.get(r / k, c / k))) {
        return Err(EvalError::Domain(format!(
            "not made of uniform {k}x{k} blocks"
        )));
    }
    Ok(Value::Grid(small))
}

/// The grid repeated 2 x 2.
pub fn tile2(g: &Grid) -> Result<Value, EvalError> {
    let (h, w) = (g.height(), g.width());
    grid_value(Grid::from_fn(2 * h, 2 * w, |r, c| g.get(r % h, c % w)))
}

/// The tile of a 2 x 2 tiling, if `g` is one.
pub fn untile2(g: &Grid) -> Result<Value, EvalError> {
    let (h, w) = (g.height(), g.width());
    if h % 2 != 0 || w % 2 != 0 {
        return Err(EvalError::Domain("a 2x2 tiling has even sides".into()));
    }
    let tile = g
        .window(0, 0, h / 2, w / 2)
        .ok_or_else(|| EvalError::Domain("empty tile".into()))?;
    if (0..h).any(|r| (0..w).any(|c| g.get(r, c) != tile.get(r % (h / 2), c % (w / 2)))) {
        return Err(EvalError::Domain("the four quadrants differ".into()));
    }
    Ok(Value::Grid(tile))
}

/// `inflate2`, `inflate3` and `tile2x2`, each with its inverse.
pub fn primitives() -> Vec<Primitive> {
    let t = Type::arrow(Type::grid(), Type::grid());
    let mut out: Vec<Primitive> = [2, 3]
        .into_iter()
        .map(|k| {
            Primitive::new(&format!("inflate{k}"), t.clone(), move |a| {
                inflate(grid(&a[0])?, k)
            })
            .with_inverse(move |o| Ok(vec![deflate(grid(o)?, k)?]))
        })
        .collect();
    out.push(
        Primitive::new("tile2x2", t, |a| tile2(grid(&a[0])?))
            .with_inverse(|o| Ok(vec![untile2(grid(o)?)?])),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflate_and_deflate_invert_each_other() {
        let g = Grid::from_rows(&[vec![1, 2], vec![3, 4]]).unwrap();
        let Value::Grid(big) = inflate(&g, 3).unwrap() else {
            panic!()
        };
        assert_eq!(
            (big.height(), big.width(), big.get(5, 2), big.get(5, 3)),
            (6, 6, 3, 4)
        );
        assert_eq!(deflate(&big, 3).unwrap(), Value::Grid(g.clone()));
        assert!(deflate(&big, 2).is_err(), "blocks of 2 are not uniform");
        assert!(
            inflate(&Grid::new(11, 11, vec![0; 121]).unwrap(), 3).is_err(),
            "33x33 is too large"
        );
    }

    #[test]
    fn tiling_repeats_and_untiling_checks_every_quadrant() {
        let g = Grid::from_rows(&[vec![1, 2, 3]]).unwrap();
        let Value::Grid(t) = tile2(&g).unwrap() else {
            panic!()
        };
        assert_eq!(
            t.rows(),
            vec![vec![1, 2, 3, 1, 2, 3], vec![1, 2, 3, 1, 2, 3]]
        );
        assert_eq!(untile2(&t).unwrap(), Value::Grid(g));
        let odd = Grid::from_rows(&[vec![1, 2], vec![2, 2]]).unwrap();
        assert!(untile2(&odd).is_err());
    }
}
