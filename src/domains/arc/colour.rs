//! Colours: a colour map (a table from colours to colours), recolouring one colour,
//! keeping one colour only, painting every foreground cell one colour, and filling
//! the background. Their conditional inverses read the colours off the output, so a colour
//! that is the same in every pair is inferred rather than enumerated (it is grounded as a
//! literal by the search).

use super::{colour, first_change, grid, grid_value, same_shape, table};
use crate::dsl::{EvalError, Grid, Primitive, Table, Type, Value};

/// Every cell of colour `from` becomes `to`.
pub fn recolour(g: &Grid, from: u8, to: u8) -> Result<Value, EvalError> {
    grid_value(Grid::from_fn(g.height(), g.width(), |r, c| {
        if g.get(r, c) == from {
            to
        } else {
            g.get(r, c)
        }
    }))
}

/// Every colour the table maps replaced by its image; the others kept.
pub fn colour_map(g: &Grid, t: &Table) -> Result<Value, EvalError> {
    let image: Vec<u8> = (0..10).map(|c| t.get(c).unwrap_or(c as u8)).collect();
    grid_value(Grid::from_fn(g.height(), g.width(), |r, c| {
        image[g.get(r, c) as usize]
    }))
}

/// The colour map from `g` to `out`: each colour of `g` and the one colour its cells have in
/// `out` (identities included, so that examples that disagree do not merge).
fn read_colour_map(g: &Grid, out: &Grid) -> Result<Vec<Value>, EvalError> {
    same_shape(g, out)?;
    let pairs = g.cells().iter().zip(out.cells());
    Table::from_pairs(pairs.map(|(&a, &b)| (u16::from(a), b)))
        .map(|t| vec![Value::Table(t)])
        .ok_or_else(|| EvalError::Domain("one colour turns into several"))
}

/// Every cell of another colour than `keep` becomes background.
pub fn keep_colour(g: &Grid, keep: u8) -> Result<Value, EvalError> {
    grid_value(Grid::from_fn(g.height(), g.width(), |r, c| {
        if g.get(r, c) == keep {
            keep
        } else {
            0
        }
    }))
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
    let counts = colour_counts(g);
    (1..10u8).filter(|&c| counts[c as usize] > 0).collect()
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
fn exchange(g: &Grid, a: u8, b: u8) -> Result<Value, EvalError> {
    grid_value(Grid::from_fn(g.height(), g.width(), |r, c| {
        match g.get(r, c) {
            x if x == a => b,
            x if x == b => a,
            x => x,
        }
    }))
}

/// The two foreground colours of `g` exchanged (an error unless it has exactly two).
pub fn swap_colours(g: &Grid) -> Result<Value, EvalError> {
    let present = foreground_colours(g);
    match present[..] {
        [a, b] => exchange(g, a, b),
        _ => Err(EvalError::Domain("swap_colours needs two foreground colours")),
    }
}

/// The commonest colour and the background exchanged, so that primitives that treat 0 as
/// background see the grid's real background as 0.
pub fn swap_background(g: &Grid) -> Result<Value, EvalError> {
    match commonest(g) {
        0 => Err(EvalError::Domain("the background is already 0")),
        m => exchange(g, m, 0),
    }
}

/// Every cell whose colour satisfies `select` becomes `to`.
fn paint_where(g: &Grid, select: fn(u8) -> bool, to: u8) -> Result<Value, EvalError> {
    grid_value(Grid::from_fn(g.height(), g.width(), |r, c| {
        if select(g.get(r, c)) {
            to
        } else {
            g.get(r, c)
        }
    }))
}

/// The colour that the cells selected by `select` have in `out` (the first such cell);
/// the forward re-check makes sure every selected cell has it.
fn colour_where(g: &Grid, out: &Grid, select: fn(u8) -> bool) -> Result<Vec<Value>, EvalError> {
    same_shape(g, out)?;
    let cell = g
        .cells()
        .iter()
        .position(|&c| select(c))
        .ok_or_else(|| EvalError::Domain("no cell to read the colour from"))?;
    Ok(vec![Value::Colour(out.cells()[cell])])
}

/// The one colour change from `g` to `out`: `[from, to]`.
fn recolouring(g: &Grid, out: &Grid) -> Result<Vec<Value>, EvalError> {
    let (from, to) = first_change(g, out)?;
    Ok(vec![Value::Colour(from), Value::Colour(to)])
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
    let t = Type::arrow(Type::grid(), Type::grid());
    let rare = [
        Primitive::new("swap_colours", t.clone(), |a| swap_colours(grid(&a[0])?))
            .with_inverse(|o| Ok(vec![swap_colours(grid(o)?)?])),
        Primitive::new("swap_background", t.clone(), |a| {
            swap_background(grid(&a[0])?)
        }),
        Primitive::new("fill_commonest", t, |a| {
            let g = grid(&a[0])?;
            grid_value(Grid::new(
                g.height(),
                g.width(),
                vec![commonest(g); g.cells().len()],
            ))
        }),
    ];
    mapping_primitives()
        .into_iter()
        .chain(rare.into_iter().map(|p| p.with_cost(super::RARE_COST)))
        .collect()
}

fn mapping_primitives() -> Vec<Primitive> {
    let g1 = Type::arrows(vec![Type::grid(), Type::colour()], Type::grid());
    let g2 = Type::arrows(
        vec![Type::grid(), Type::colour(), Type::colour()],
        Type::grid(),
    );
    let by_table = Type::arrows(vec![Type::grid(), Type::table()], Type::grid());
    vec![
        Primitive::new("colour_map", by_table, |a| {
            colour_map(grid(&a[0])?, table(&a[1])?)
        })
        .with_cond_inverse(&[0], |out, k| read_colour_map(grid(&k[0])?, grid(out)?)),
        Primitive::new("recolour", g2, |a| {
            recolour(grid(&a[0])?, colour(&a[1])?, colour(&a[2])?)
        })
        .with_cond_inverse(&[0], |out, k| recolouring(grid(&k[0])?, grid(out)?)),
        Primitive::new("paint", g1.clone(), |a| {
            paint_where(grid(&a[0])?, foreground, colour(&a[1])?)
        })
        .with_cond_inverse(&[0], |out, k| {
            colour_where(grid(&k[0])?, grid(out)?, foreground)
        }),
        Primitive::new("keep_colour", g1.clone(), |a| {
            keep_colour(grid(&a[0])?, colour(&a[1])?)
        })
        .with_cond_inverse(&[0], |out, k| {
            let out = grid(out)?;
            same_shape(grid(&k[0])?, out)?;
            colour_where(out, out, foreground)
        }),
        Primitive::new("fill", g1, |a| {
            paint_where(grid(&a[0])?, background, colour(&a[1])?)
        })
        .with_cond_inverse(&[0], |out, k| {
            colour_where(grid(&k[0])?, grid(out)?, background)
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn a_colour_map_is_read_off_the_output() {
        let x = g(&[&[1, 2], &[3, 1]]);
        let t = Table::from_pairs([(1, 5), (2, 6)]).unwrap();
        let Value::Grid(y) = colour_map(&x, &t).unwrap() else {
            panic!()
        };
        assert_eq!(y, g(&[&[5, 6], &[3, 5]]));
        let back = read_colour_map(&x, &y).unwrap();
        assert_eq!(back[0].to_string(), "m:1=5,2=6,3=3");
        assert!(read_colour_map(&x, &g(&[&[5, 6], &[3, 4]])).is_err());
    }

    #[test]
    fn colours_are_read_off_the_output() {
        let x = g(&[&[0, 1], &[1, 2]]);
        let Value::Grid(y) = recolour(&x, 1, 5).unwrap() else {
            panic!()
        };
        assert_eq!(y, g(&[&[0, 5], &[5, 2]]));
        assert_eq!(
            recolouring(&x, &y).unwrap(),
            vec![Value::Colour(1), Value::Colour(5)]
        );
        assert!(recolouring(&x, &x).is_err());
        let Value::Grid(p) = paint_where(&x, foreground, 3).unwrap() else {
            panic!()
        };
        assert_eq!(p, g(&[&[0, 3], &[3, 3]]));
        assert_eq!(
            colour_where(&x, &p, foreground).unwrap(),
            vec![Value::Colour(3)]
        );
        let Value::Grid(f) = paint_where(&x, background, 7).unwrap() else {
            panic!()
        };
        assert_eq!(
            colour_where(&x, &f, background).unwrap(),
            vec![Value::Colour(7)]
        );
        assert!(colour_where(&g(&[&[1]]), &g(&[&[1]]), background).is_err());
    }

    #[test]
    fn swaps_and_filling_with_the_commonest_colour() {
        let x = g(&[&[0, 1, 2], &[2, 2, 0]]);
        assert_eq!(
            swap_colours(&x).unwrap(),
            Value::Grid(g(&[&[0, 2, 1], &[1, 1, 0]]))
        );
        assert!(swap_colours(&g(&[&[0, 1]])).is_err());
        let y = g(&[&[3, 3, 0], &[3, 5, 3]]);
        assert_eq!(commonest(&y), 3);
        assert_eq!(
            swap_background(&y).unwrap(),
            Value::Grid(g(&[&[0, 0, 3], &[0, 5, 0]]))
        );
        assert!(swap_background(&g(&[&[0, 0, 1]])).is_err());
        let reg = crate::domains::arc::registry();
        let fill = &reg.by_name("fill_commonest").unwrap().forward;
        assert_eq!(
            fill(&[Value::Grid(y)]).unwrap(),
            Value::Grid(g(&[&[3, 3, 3], &[3, 3, 3]]))
        );
    }
}
