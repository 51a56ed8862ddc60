//! Colours: a colour map (a table from colours to colours), recolouring one colour,
//! keeping one colour only, painting every foreground cell one colour, and filling
//! the background. Their conditional inverses read the colours off the output, so a colour
//! that is the same in every pair is inferred rather than enumerated (it is grounded as a
//! literal by the search).

use super::{first_change, same_shape};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule, Table};
use crate::{given, inverse, primitive};

/// Every cell of colour `from` becomes `to`.
pub fn recolour(g: &Grid, from: u8, to: u8) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        if g.get(r, c) == from {
            to
        } else {
            g.get(r, c)
        }
    })?)
}

/// Every colour the table maps replaced by its image; the others kept.
pub fn colour_map(g: &Grid, t: &Table) -> Result<Grid, EvalError> {
    let image: Vec<u8> = (0..10)
        .map(|c| t.get(c as u32).unwrap_or(c as u8))
        .collect();
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        image[g.get(r, c) as usize]
    })?)
}

/// The colour map from `g` to `out`: each colour of `g` and the one colour its cells have in
/// `out` (identities included, so that examples that disagree do not merge).
fn read_colour_map(g: &Grid, out: &Grid) -> Result<Table, EvalError> {
    same_shape(g, out)?;
    let pairs = g.cells().iter().zip(out.cells());
    Table::from_pairs(pairs.map(|(&a, &b)| (u32::from(a), b)))
        .ok_or(EvalError::Domain("one colour turns into several"))
}

/// Every cell of another colour than `keep` becomes background.
fn keep_colour(g: &Grid, keep: u8) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        if g.get(r, c) == keep {
            keep
        } else {
            0
        }
    })?)
}

/// How many cells of each colour `g` has.
pub fn colour_counts(g: &Grid) -> [usize; 10] {
    let mut counts = [0; 10];
    for &c in g.cells() {
        counts[c as usize] += 1;
    }
    counts
}

/// The foreground colours present in `g`, in order.
pub fn foreground_colours(g: &Grid) -> Vec<u8> {
    foreground_in(&colour_counts(g)).collect()
}

/// The first foreground colour `c` of `g` for which `f(g, c)` is `out`: the conditional
/// inverse of a primitive whose colour argument picks what it acts on rather than what it
/// paints, so that the output shows the colour nowhere in particular.
pub fn colour_argument(
    g: &Grid,
    out: &Grid,
    f: impl Fn(&Grid, u8) -> Result<Grid, EvalError>,
) -> Result<u8, EvalError> {
    foreground_colours(g)
        .into_iter()
        .find(|&c| f(g, c).is_ok_and(|made| made == *out))
        .ok_or(EvalError::Domain("no colour gives the output"))
}

/// The foreground colours with a count in `counts`, in order.
fn foreground_in(counts: &[usize; 10]) -> impl DoubleEndedIterator<Item = u8> + '_ {
    (1..10u8).filter(|&c| counts[c as usize] > 0)
}

/// The colour with the largest count and its count (ties: the lower colour).
pub fn commonest_in(counts: &[usize; 10]) -> (u8, usize) {
    (0..10u8)
        .map(|c| (c, counts[c as usize]))
        .max_by_key(|&(c, n)| (n, std::cmp::Reverse(c)))
        .unwrap_or((0, 0))
}

/// The colour most cells have (ties: the lower colour).
pub fn commonest(g: &Grid) -> u8 {
    commonest_in(&colour_counts(g)).0
}

/// Colours `a` and `b` exchanged.
fn exchange(g: &Grid, a: u8, b: u8) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        match g.get(r, c) {
            x if x == a => b,
            x if x == b => a,
            x => x,
        }
    })?)
}

/// The two foreground colours of `g` exchanged (an error unless it has exactly two).
fn swap_colours(g: &Grid) -> Result<Grid, EvalError> {
    let present = foreground_colours(g);
    match present[..] {
        [a, b] => exchange(g, a, b),
        _ => Err(EvalError::Domain(
            "swap_colours needs two foreground colours",
        )),
    }
}

/// The commonest colour and the background exchanged, so that primitives that treat 0 as
/// background see the grid's real background as 0.
pub fn swap_background(g: &Grid) -> Result<Grid, EvalError> {
    match commonest(g) {
        0 => Err(EvalError::Domain("the background is already 0")),
        m => exchange(g, m, 0),
    }
}

/// The foreground colour with the most cells (`rarest`: the fewest), ties the lower
/// colour; an error where there is no foreground.
pub fn foreground_by_count(g: &Grid, rarest: bool) -> Result<u8, EvalError> {
    let counts = colour_counts(g);
    let present = foreground_in(&counts);
    let count = |c: &u8| counts[*c as usize];
    let pick = if rarest {
        present.min_by_key(count)
    } else {
        present.rev().max_by_key(count)
    };
    pick.ok_or(EvalError::Domain("no foreground colour"))
}

/// Every cell whose colour satisfies `select` becomes `to`.
fn paint_where(g: &Grid, select: fn(u8) -> bool, to: u8) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        if select(g.get(r, c)) {
            to
        } else {
            g.get(r, c)
        }
    })?)
}

/// The colour that the cells selected by `select` have in `out` (the first such cell);
/// the forward re-check makes sure every selected cell has it.
fn colour_where(g: &Grid, out: &Grid, select: fn(u8) -> bool) -> Result<u8, EvalError> {
    same_shape(g, out)?;
    let cell = g
        .cells()
        .iter()
        .position(|&c| select(c))
        .ok_or(EvalError::Domain("no cell to read the colour from"))?;
    Ok(out.cells()[cell])
}

/// The one colour change from `g` to `out`: `[from, to]`.
fn recolouring(g: &Grid, out: &Grid) -> Result<(u8, u8), EvalError> {
    first_change(g, out)
}

fn foreground(c: u8) -> bool {
    c != 0
}

fn background(c: u8) -> bool {
    c == 0
}

/// `colour_map`, `recolour`, `keep_colour` (its colour read off the output's first
/// foreground cell), `paint` (foreground) and `fill` (background), each with a conditional
/// inverse that infers the colours from the output; `swap_colours` (its own inverse),
/// `swap_background` and `fill_commonest` (every cell the commonest colour), at
/// [`RARE_COST`](super::RARE_COST).
pub fn primitives() -> Vec<Primitive> {
    let rare = [
        primitive!(
            "swap_colours",
            "the two foreground colours exchanged",
            |g: &Grid| -> Grid { swap_colours(g) }
        )
        .inverse(inverse!(|o: &Grid| -> Grid { swap_colours(o) })),
        primitive!(
            "swap_background",
            "the commonest colour and the background exchanged",
            |g: &Grid| -> Grid { swap_background(g) }
        ),
        primitive!(
            "keep_commonest",
            "only the foreground colour with the most cells kept",
            |g: &Grid| -> Grid { keep_colour(g, foreground_by_count(g, false)?) }
        )
        .with_shapes(ShapeRule::Same),
        primitive!(
            "keep_rarest",
            "only the foreground colour with the fewest cells kept",
            |g: &Grid| -> Grid { keep_colour(g, foreground_by_count(g, true)?) }
        )
        .with_shapes(ShapeRule::Same),
        primitive!(
            "paint_commonest",
            "every foreground cell the commonest foreground colour",
            |g: &Grid| -> Grid { paint_where(g, foreground, foreground_by_count(g, false)?) }
        )
        .with_shapes(ShapeRule::Same),
        primitive!(
            "fill_commonest",
            "every cell the commonest colour",
            |g: &Grid| -> Grid {
                Ok(Grid::new(
                    g.height(),
                    g.width(),
                    vec![commonest(g); g.cells().len()],
                )?)
            }
        ),
    ];
    mapping_primitives()
        .into_iter()
        .chain(rare.into_iter().map(|p| p.with_cost(super::RARE_COST)))
        .collect()
}

fn mapping_primitives() -> Vec<Primitive> {
    vec![
        primitive!(
            "colour_map",
            "each colour the table maps replaced by its image",
            |g: &Grid, t: &Table| -> Grid { colour_map(g, t) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> Table {
            read_colour_map(g, out)
        }))
        .with_shapes(ShapeRule::Same),
        primitive!(
            "recolour",
            "every cell of one colour made another",
            |g: &Grid, from: u8, to: u8| -> Grid { recolour(g, from, to) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> (u8, u8) {
            recolouring(g, out)
        }))
        .with_shapes(ShapeRule::Same),
        primitive!(
            "paint",
            "every foreground cell one colour",
            |g: &Grid, c: u8| -> Grid { paint_where(g, foreground, c) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
            colour_where(g, out, foreground)
        }))
        .with_shapes(ShapeRule::Same),
        primitive!(
            "keep_colour",
            "cells of other colours made background",
            |g: &Grid, c: u8| -> Grid { keep_colour(g, c) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
            same_shape(g, out)?;
            colour_where(out, out, foreground)
        }))
        .with_shapes(ShapeRule::Same),
        primitive!(
            "fill",
            "every background cell one colour",
            |g: &Grid, c: u8| -> Grid { paint_where(g, background, c) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
            colour_where(g, out, background)
        }))
        .with_shapes(ShapeRule::Same),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::Value;

    #[test]
    fn a_colour_map_is_read_off_the_output() {
        let x = g(&[&[1, 2], &[3, 1]]);
        let t = Table::from_pairs([(1, 5), (2, 6)]).unwrap();
        let y = colour_map(&x, &t).unwrap();
        assert_eq!(y, g(&[&[5, 6], &[3, 5]]));
        let back = read_colour_map(&x, &y).unwrap();
        assert_eq!(back.to_string(), "m:1=5,2=6,3=3");
        assert!(read_colour_map(&x, &g(&[&[5, 6], &[3, 4]])).is_err());
    }

    #[test]
    fn colours_are_read_off_the_output() {
        let x = g(&[&[0, 1], &[1, 2]]);
        let y = recolour(&x, 1, 5).unwrap();
        assert_eq!(y, g(&[&[0, 5], &[5, 2]]));
        assert_eq!(recolouring(&x, &y).unwrap(), (1, 5));
        assert!(recolouring(&x, &x).is_err());
        let p = paint_where(&x, foreground, 3).unwrap();
        assert_eq!(p, g(&[&[0, 3], &[3, 3]]));
        assert_eq!(colour_where(&x, &p, foreground).unwrap(), 3);
        let f = paint_where(&x, background, 7).unwrap();
        assert_eq!(colour_where(&x, &f, background).unwrap(), 7);
        assert!(colour_where(&g(&[&[1]]), &g(&[&[1]]), background).is_err());
    }

    #[test]
    fn swaps_and_filling_with_the_commonest_colour() {
        let x = g(&[&[0, 1, 2], &[2, 2, 0]]);
        assert_eq!(swap_colours(&x).unwrap(), g(&[&[0, 2, 1], &[1, 1, 0]]));
        assert!(swap_colours(&g(&[&[0, 1]])).is_err());
        let y = g(&[&[3, 3, 0], &[3, 5, 3]]);
        assert_eq!(commonest(&y), 3);
        assert_eq!(swap_background(&y).unwrap(), g(&[&[0, 0, 3], &[0, 5, 0]]));
        assert!(swap_background(&g(&[&[0, 0, 1]])).is_err());
        let reg = crate::domains::arc::registry();
        let fill = &reg.by_name("fill_commonest").unwrap().forward;
        assert_eq!(
            fill(&[Value::Grid(y)]).unwrap(),
            Value::Grid(g(&[&[3, 3, 3], &[3, 3, 3]]))
        );
    }
}
