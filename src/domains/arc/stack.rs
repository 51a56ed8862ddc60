//! Stacking two grids side by side or one above the other. The conditional inverses take
//! the stacked output and one part, check that the part is where it must be, and return
//! the other part (Alford et al.'s `hstack_pair_cond_inv_left/right` and the vertical ones).

use super::geometry::transform;
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::{given, primitive};

/// `left` and `right` side by side; the heights must agree.
pub fn hstack(left: &Grid, right: &Grid) -> Result<Grid, EvalError> {
    if left.height() != right.height() {
        return Err(EvalError::Domain("hstack: the heights differ"));
    }
    let (wl, wr) = (left.width(), right.width());
    let mut cells = Vec::with_capacity(left.height() * (wl + wr));
    for (l, r) in left
        .cells()
        .chunks_exact(wl)
        .zip(right.cells().chunks_exact(wr))
    {
        cells.extend_from_slice(l);
        cells.extend_from_slice(r);
    }
    Ok(Grid::new(left.height(), wl + wr, cells)?)
}

/// `top` above `bottom`; the widths must agree. (Row-major cells: the two cell arrays
/// one after the other.)
pub fn vstack(top: &Grid, bottom: &Grid) -> Result<Grid, EvalError> {
    if top.width() != bottom.width() {
        return Err(EvalError::Domain("vstack: the widths differ"));
    }
    let cells = [top.cells(), bottom.cells()].concat();
    Ok(Grid::new(
        top.height() + bottom.height(),
        top.width(),
        cells,
    )?)
}

/// `f` seen through the self-inverse symmetry `sym`: `sym(f(sym(a), sym(b)))`.
fn conjugated(
    sym: &str,
    f: fn(&Grid, &Grid) -> Result<Grid, EvalError>,
    a: &Grid,
    b: &Grid,
) -> Result<Grid, EvalError> {
    let s = |g: &Grid| transform(sym, g);
    s(&f(&s(a)?, &s(b)?)?)
}

/// The right part of `out` once `left` is taken off, if `out` starts with `left`.
fn hstack_right(out: &Grid, left: &Grid) -> Result<Grid, EvalError> {
    let rest = out
        .width()
        .checked_sub(left.width())
        .filter(|&w| w > 0 && out.height() == left.height());
    let right = rest.and_then(|w| out.window(0, left.width(), out.height(), w));
    match (right, out.window(0, 0, out.height(), left.width())) {
        (Some(right), Some(start)) if &start == left => Ok(right),
        _ => Err(EvalError::Domain(
            "the output does not start with that part",
        )),
    }
}

/// The left part of `out` once `right` is taken off, if `out` ends with `right`.
fn hstack_left(out: &Grid, right: &Grid) -> Result<Grid, EvalError> {
    conjugated("hflip", hstack_right, out, right)
}

/// Runs a horizontal conditional inverse on transposed grids (the vertical one).
fn transposed(
    f: fn(&Grid, &Grid) -> Result<Grid, EvalError>,
    out: &Grid,
    part: &Grid,
) -> Result<Grid, EvalError> {
    conjugated("transpose", f, out, part)
}

/// `hstack` and `vstack`, each with two conditional inverses.
pub fn primitives() -> Vec<Primitive> {
    let h = primitive!(
        "hstack",
        "two grids side by side (heights agree)",
        |left: &Grid, right: &Grid| -> Grid { hstack(left, right) }
    )
    .given(given!([0], |out: &Grid, left: &Grid| -> Grid {
        hstack_right(out, left)
    }))
    .given(given!([1], |out: &Grid, right: &Grid| -> Grid {
        hstack_left(out, right)
    }))
    .with_shapes(ShapeRule::SameHeight);
    let v = primitive!(
        "vstack",
        "one grid above the other (widths agree)",
        |top: &Grid, bottom: &Grid| -> Grid { vstack(top, bottom) }
    )
    .given(given!([0], |out: &Grid, top: &Grid| -> Grid {
        transposed(hstack_right, out, top)
    }))
    .given(given!([1], |out: &Grid, bottom: &Grid| -> Grid {
        transposed(hstack_left, out, bottom)
    }))
    .with_shapes(ShapeRule::SameWidth);
    vec![h, v]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn stacking_and_its_conditional_inverses() {
        let (a, b) = (g(&[&[1], &[2]]), g(&[&[3, 4], &[5, 6]]));
        let ab = hstack(&a, &b).unwrap();
        assert_eq!(ab, g(&[&[1, 3, 4], &[2, 5, 6]]));
        assert_eq!(hstack_right(&ab, &a).unwrap(), b);
        assert_eq!(hstack_left(&ab, &b).unwrap(), a);
        assert!(hstack_right(&ab, &b).is_err(), "b is not the left part");
        assert!(hstack_right(&ab, &ab).is_err(), "nothing would be left");
        let v = vstack(&g(&[&[1, 2]]), &g(&[&[3, 4], &[5, 6]])).unwrap();
        assert_eq!(v, g(&[&[1, 2], &[3, 4], &[5, 6]]));
        assert_eq!(
            transposed(hstack_right, &v, &g(&[&[1, 2]])).unwrap(),
            g(&[&[3, 4], &[5, 6]])
        );
        assert!(hstack(&a, &g(&[&[1]])).is_err());
    }
}
