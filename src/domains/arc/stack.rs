//! Stacking two grids side by side or one above the other. The conditional inverses take
//! the stacked output and one part, check that the part is where it must be, and return
//! the other part (Alford et al.'s `hstack_pair_cond_inv_left/right` and the vertical ones).

use super::{geometry::transform, grid, grid_value};
use crate::dsl::{EvalError, Grid, Primitive, Type, Value};

/// `left` and `right` side by side; the heights must agree.
pub fn hstack(left: &Grid, right: &Grid) -> Result<Value, EvalError> {
    if left.height() != right.height() {
        return Err(EvalError::Domain(format!(
            "hstack: heights {} and {} differ",
            left.height(),
            right.height()
        )));
    }
    let wl = left.width();
    grid_value(Grid::from_fn(left.height(), wl + right.width(), |r, c| {
        if c < wl {
            left.get(r, c)
        } else {
            right.get(r, c - wl)
        }
    }))
}

/// `top` above `bottom`; the widths must agree. (Row-major cells: the two cell arrays
/// one after the other.)
pub fn vstack(top: &Grid, bottom: &Grid) -> Result<Value, EvalError> {
    if top.width() != bottom.width() {
        return Err(EvalError::Domain(format!(
            "vstack: widths {} and {} differ",
            top.width(),
            bottom.width()
        )));
    }
    let cells = [top.cells(), bottom.cells()].concat();
    grid_value(Grid::new(
        top.height() + bottom.height(),
        top.width(),
        cells,
    ))
}

/// `f` seen through the self-inverse symmetry `sym`: `sym(f(sym(a), sym(b)))`.
fn conjugated(
    sym: &str,
    f: fn(&Grid, &Grid) -> Result<Value, EvalError>,
    a: &Grid,
    b: &Grid,
) -> Result<Value, EvalError> {
    let s = |g: &Grid| transform(sym, g);
    match f(&s(a)?, &s(b)?)? {
        Value::Grid(g) => Ok(Value::Grid(s(&g)?)),
        _ => unreachable!("stacking returns grids"),
    }
}

/// The right part of `out` once `left` is taken off, if `out` starts with `left`.
fn hstack_right(out: &Grid, left: &Grid) -> Result<Value, EvalError> {
    let rest = out
        .width()
        .checked_sub(left.width())
        .filter(|&w| w > 0 && out.height() == left.height());
    let right = rest.and_then(|w| out.window(0, left.width(), out.height(), w));
    match (right, out.window(0, 0, out.height(), left.width())) {
        (Some(right), Some(start)) if &start == left => Ok(Value::Grid(right)),
        _ => Err(EvalError::Domain(
            "the output does not start with that part".into(),
        )),
    }
}

/// The left part of `out` once `right` is taken off, if `out` ends with `right`.
fn hstack_left(out: &Grid, right: &Grid) -> Result<Value, EvalError> {
    conjugated("hflip", hstack_right, out, right)
}

/// Runs a horizontal conditional inverse on transposed grids (the vertical one).
fn transposed(
    f: fn(&Grid, &Grid) -> Result<Value, EvalError>,
    out: &Grid,
    part: &Grid,
) -> Result<Value, EvalError> {
    conjugated("transpose", f, out, part)
}

/// `hstack` and `vstack`, each with two conditional inverses.
pub fn primitives() -> Vec<Primitive> {
    let t = Type::arrows(vec![Type::grid(), Type::grid()], Type::grid());
    let h = Primitive::new("hstack", t.clone(), |a| hstack(grid(&a[0])?, grid(&a[1])?))
        .with_cond_inverse(&[0], |out, k| {
            Ok(vec![hstack_right(grid(out)?, grid(&k[0])?)?])
        })
        .with_cond_inverse(&[1], |out, k| {
            Ok(vec![hstack_left(grid(out)?, grid(&k[0])?)?])
        });
    let v = Primitive::new("vstack", t, |a| vstack(grid(&a[0])?, grid(&a[1])?))
        .with_cond_inverse(&[0], |out, k| {
            Ok(vec![transposed(hstack_right, grid(out)?, grid(&k[0])?)?])
        })
        .with_cond_inverse(&[1], |out, k| {
            Ok(vec![transposed(hstack_left, grid(out)?, grid(&k[0])?)?])
        });
    vec![h, v]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn stacking_and_its_conditional_inverses() {
        let (a, b) = (g(&[&[1], &[2]]), g(&[&[3, 4], &[5, 6]]));
        let Value::Grid(ab) = hstack(&a, &b).unwrap() else {
            panic!()
        };
        assert_eq!(ab, g(&[&[1, 3, 4], &[2, 5, 6]]));
        assert_eq!(hstack_right(&ab, &a).unwrap(), Value::Grid(b.clone()));
        assert_eq!(hstack_left(&ab, &b).unwrap(), Value::Grid(a.clone()));
        assert!(hstack_right(&ab, &b).is_err(), "b is not the left part");
        assert!(hstack_right(&ab, &ab).is_err(), "nothing would be left");
        let Value::Grid(v) = vstack(&g(&[&[1, 2]]), &g(&[&[3, 4], &[5, 6]])).unwrap() else {
            panic!()
        };
        assert_eq!(v, g(&[&[1, 2], &[3, 4], &[5, 6]]));
        assert_eq!(
            transposed(hstack_right, &v, &g(&[&[1, 2]])).unwrap(),
            Value::Grid(g(&[&[3, 4], &[5, 6]]))
        );
        assert!(hstack(&a, &g(&[&[1]])).is_err());
    }
}
