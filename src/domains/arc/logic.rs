//! Cell-wise arithmetic on two grids of one shape (often the two halves of an input split
//! by a line).
//!
//! - Logic: where the condition on the two cells' being foreground holds, the output has
//!   the given colour, elsewhere background. The conditional inverse reads that colour off
//!   the output, so it is inferred rather than enumerated.
//! - `overlay`: the second grid's foreground laid over the first. Its conditional
//!   inverses return either grid from the output and the other: what the top one must
//!   have added, or what shows of the bottom one (background under the top's cells).

use super::{same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::{given, primitive};

/// A condition on two cells being foreground.
pub type Condition = fn(bool, bool) -> bool;

/// `colour` where `cond` holds of the two cells, background elsewhere.
fn combine(a: &Grid, b: &Grid, cond: Condition, colour: u8) -> Result<Grid, EvalError> {
    same_shape(a, b)?;
    // The condition as a table of its four cases: no call per cell.
    let case = |x: bool, y: bool| if cond(x, y) { colour } else { 0 };
    let table = [
        case(false, false),
        case(false, true),
        case(true, false),
        case(true, true),
    ];
    let cells = a.cells().iter().zip(b.cells());
    let out = cells
        .map(|(&x, &y)| table[(usize::from(x != 0) << 1) | usize::from(y != 0)])
        .collect();
    Ok(Grid::new(a.height(), a.width(), out)?)
}

/// The colour `out` has where `cond` holds of `a` and `b` (the forward re-check makes sure
/// it is the same everywhere).
fn colour_of(a: &Grid, b: &Grid, out: &Grid, cond: Condition) -> Result<u8, EvalError> {
    same_shape(a, b)?;
    same_shape(a, out)?;
    let k = (0..a.cells().len())
        .find(|&k| cond(a.cells()[k] != 0, b.cells()[k] != 0))
        .ok_or(EvalError::Domain("the condition holds nowhere"))?;
    Ok(out.cells()[k])
}

/// `over`'s foreground cells laid over `under`.
fn overlay(under: &Grid, over: &Grid) -> Result<Grid, EvalError> {
    same_shape(under, over)?;
    let cells = under.cells().iter().zip(over.cells());
    let out = cells.map(|(&u, &t)| if t == 0 { u } else { t }).collect();
    Ok(Grid::new(under.height(), under.width(), out)?)
}

/// The top grid that turns `under` into `out`: `out`'s cells where they differ from
/// `under`, background elsewhere (the forward re-check rejects an `out` that erased one of
/// `under`'s cells).
fn overlay_top(out: &Grid, under: &Grid) -> Result<Grid, EvalError> {
    same_shape(out, under)?;
    let cells = out.cells().iter().zip(under.cells());
    let top = cells.map(|(&o, &u)| if o == u { 0 } else { o }).collect();
    Ok(Grid::new(out.height(), out.width(), top)?)
}

/// The bottom grid under `over` that gives `out`: `out`'s cells where `over` is
/// background, background under `over`'s cells.
fn overlay_bottom(out: &Grid, over: &Grid) -> Result<Grid, EvalError> {
    same_shape(out, over)?;
    let cells = out.cells().iter().zip(over.cells());
    let bottom = cells.map(|(&o, &t)| if t == 0 { o } else { 0 }).collect();
    Ok(Grid::new(out.height(), out.width(), bottom)?)
}

/// `both`, `either`, `exactly_one` and `neither`, each `grid -> grid -> colour -> grid`,
/// and `overlay : grid -> grid -> grid` (at [`RARE_COST`]) with its two conditional
/// inverses.
pub fn primitives() -> Vec<Primitive> {
    let mut all = conditions();
    all.push(
        primitive!(
            "overlay",
            "the second grid's foreground laid over the first",
            |under: &Grid, over: &Grid| -> Grid { overlay(under, over) }
        )
        .given(given!([0], |out: &Grid, under: &Grid| -> Grid {
            overlay_top(out, under)
        }))
        .given(given!([1], |out: &Grid, over: &Grid| -> Grid {
            overlay_bottom(out, over)
        }))
        .with_shapes(ShapeRule::Same)
        .with_cost(RARE_COST),
    );
    all
}

fn conditions() -> Vec<Primitive> {
    let conditions: [(&str, &str, Condition); 4] = [
        (
            "both",
            "one colour where both grids have foreground",
            |x, y| x && y,
        ),
        (
            "either",
            "one colour where either grid has foreground",
            |x, y| x || y,
        ),
        (
            "exactly_one",
            "one colour where exactly one grid has foreground",
            |x, y| x != y,
        ),
        (
            "neither",
            "one colour where neither grid has foreground",
            |x, y| !x && !y,
        ),
    ];
    conditions
        .into_iter()
        .map(|(name, doc, cond)| {
            // Every condition here is symmetric in the two cells.
            primitive!(name, doc, |a: &Grid, b: &Grid, colour: u8| -> Grid {
                combine(a, b, cond, colour)
            })
            .commutative()
            .with_shapes(ShapeRule::Same)
            .given(given!([0, 1], |out: &Grid, a: &Grid, b: &Grid| -> u8 {
                colour_of(a, b, out, cond)
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::Value;

    #[test]
    fn conditions_paint_one_colour_and_the_inverse_reads_it() {
        let a = g(&[&[1, 1], &[0, 0]]);
        let b = g(&[&[2, 0], &[2, 0]]);
        let reg = crate::domains::arc::registry();
        let run = |name: &str| {
            let p = reg.by_name(name).unwrap();
            let args = [
                Value::Grid(a.clone()),
                Value::Grid(b.clone()),
                Value::Colour(6),
            ];
            let out = (p.forward)(&args).unwrap();
            let back = (p.cond_inverses[0].apply)(&out, &args[..2]).unwrap();
            assert_eq!(back, [Value::Colour(6)]);
            out
        };
        assert_eq!(run("both"), Value::Grid(g(&[&[6, 0], &[0, 0]])));
        assert_eq!(run("either"), Value::Grid(g(&[&[6, 6], &[6, 0]])));
        assert_eq!(run("exactly_one"), Value::Grid(g(&[&[0, 6], &[6, 0]])));
        assert_eq!(run("neither"), Value::Grid(g(&[&[0, 0], &[0, 6]])));
        assert!(combine(&a, &g(&[&[1]]), |x, y| x && y, 1).is_err());
    }

    #[test]
    fn overlay_lays_the_top_foreground_over_and_inverts_from_either_side() {
        let under = g(&[&[1, 1], &[0, 3]]);
        let over = g(&[&[0, 2], &[2, 0]]);
        let out = overlay(&under, &over).unwrap();
        assert_eq!(out, g(&[&[1, 2], &[2, 3]]));
        assert_eq!(overlay_top(&out, &under).unwrap(), over.clone());
        assert_eq!(overlay_bottom(&out, &over).unwrap(), g(&[&[1, 0], &[0, 3]]));
    }
}
