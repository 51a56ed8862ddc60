//! Local rules: every cell's new colour is a function of its 3x3 neighbourhood, given as
//! a table from a neighbourhood key to a colour (a cellular automaton's step, learned). The
//! conditional inverse reads the table off the output, keeping only the keys whose cells
//! change colour; a key the table lacks keeps its cell's colour. Three keys, from the most
//! to the least specific about the neighbours' colours:
//!
//! - `rule_by_colours`: the cell's colour and the set of colours among its 8 neighbours;
//! - `rule_by_mask`: the cell's colour and which of its 8 neighbours are foreground;
//! - `rule_by_counts`: the cell's colour and how many of its 4 orthogonal and of its 4
//!   diagonal neighbours are foreground.
//!
//! `paint_by_neighbour` is keyed by one neighbour instead of the whole neighbourhood: a
//! background cell with a neighbour of colour `k` beside it (or at a corner) takes the
//! colour the table gives `(side, k)` (or `(corner, k)`), so that a rule read where each
//! colour stands alone still holds where two meet. Its conditional inverse keeps each key
//! all of whose background cells take one new colour.

use super::{same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule, Table};
use crate::{given, primitive};

/// A neighbourhood key: `(grid, row, column) -> key`, below 2^32.
pub type KeyFn = fn(&Grid, usize, usize) -> u32;

/// The colours of the 8 neighbours of `(r, c)` in reading order, `None` outside the grid.
fn neighbours(g: &Grid, r: usize, c: usize) -> [Option<u8>; 8] {
    let mut out = [None; 8];
    let offsets = [
        (-1, -1),
        (-1, 0),
        (-1, 1),
        (0, -1),
        (0, 1),
        (1, -1),
        (1, 0),
        (1, 1),
    ];
    for (slot, (dr, dc)) in out.iter_mut().zip(offsets) {
        let (nr, nc) = (r as i64 + dr, c as i64 + dc);
        if nr >= 0 && nc >= 0 && (nr as usize) < g.height() && (nc as usize) < g.width() {
            *slot = Some(g.get(nr as usize, nc as usize));
        }
    }
    out
}

fn is_foreground(n: Option<u8>) -> bool {
    n.is_some_and(|c| c != 0)
}

/// The cell's colour and the set of its neighbours' foreground colours.
fn colours_key(g: &Grid, r: usize, c: usize) -> u32 {
    let set = neighbours(g, r, c)
        .into_iter()
        .flatten()
        .filter(|&n| n != 0)
        .fold(0u32, |bits, n| bits | 1 << (n - 1));
    u32::from(g.get(r, c)) * 512 + set
}

/// The cell's colour and which neighbours are foreground (8 bits, reading order).
fn mask_key(g: &Grid, r: usize, c: usize) -> u32 {
    let bits = neighbours(g, r, c)
        .into_iter()
        .enumerate()
        .fold(0u32, |bits, (i, n)| bits | u32::from(is_foreground(n)) << i);
    u32::from(g.get(r, c)) * 256 + bits
}

/// The cell's colour, its foreground orthogonal neighbours and its diagonal ones.
fn counts_key(g: &Grid, r: usize, c: usize) -> u32 {
    let n = neighbours(g, r, c);
    let count = |slots: [usize; 4]| slots.iter().filter(|&&i| is_foreground(n[i])).count() as u32;
    u32::from(g.get(r, c)) * 25 + count([1, 3, 4, 6]) * 5 + count([0, 2, 5, 7])
}

/// `g` with each cell whose key the table has turned that colour.
fn apply_rule(g: &Grid, rule: &Table, key: KeyFn) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        rule.get(key(g, r, c)).unwrap_or(g.get(r, c))
    })?)
}

/// The rule that turns `g` into `out`: the keys of the cells that change and their new
/// colour; an error when one key has two outcomes or nothing changes.
fn read_rule(g: &Grid, out: &Grid, key: KeyFn) -> Result<Table, EvalError> {
    same_shape(g, out)?;
    let outcomes: Vec<(u32, u8, bool)> = (0..g.height())
        .flat_map(|r| (0..g.width()).map(move |c| (r, c)))
        .map(|(r, c)| (key(g, r, c), out.get(r, c), g.get(r, c) != out.get(r, c)))
        .collect();
    Table::from_pairs(outcomes.iter().map(|&(k, colour, _)| (k, colour)))
        .ok_or(EvalError::Domain("one neighbourhood has two outcomes"))?;
    // A key includes the cell's colour, so its cells all change or all keep it.
    let changes = outcomes
        .iter()
        .filter(|o| o.2)
        .map(|&(k, colour, _)| (k, colour));
    let rule = Table::from_pairs(changes).expect("a part of a table");
    if rule.entries().is_empty() {
        return Err(EvalError::Domain("no cell changes"));
    }
    Ok(rule)
}

/// The primitive `name : grid -> table -> grid` that applies a rule keyed by `key`.
fn rule_primitive(name: &str, doc: &str, key: KeyFn) -> Primitive {
    primitive!(name, doc, |g: &Grid, rule: &Table| -> Grid {
        apply_rule(g, rule, key)
    })
    .given(given!([0], |out: &Grid, g: &Grid| -> Table {
        read_rule(g, out, key)
    }))
    .with_shapes(ShapeRule::Same)
    .with_cost(RARE_COST)
}

/// The offsets (in [`neighbours`]' order) of the 4 side neighbours, then the 4 corners.
const SIDES_THEN_CORNERS: [usize; 8] = [1, 3, 4, 6, 0, 2, 5, 7];

/// The keys of a cell's foreground neighbours, sides first: `colour` for a side
/// neighbour, `16 + colour` for a corner one.
fn neighbour_keys(g: &Grid, r: usize, c: usize) -> impl Iterator<Item = u32> {
    let n = neighbours(g, r, c);
    SIDES_THEN_CORNERS
        .into_iter()
        .enumerate()
        .filter_map(move |(place, i)| {
            let corner = if place < 4 { 0 } else { 16 };
            n[i].filter(|&k| k != 0).map(|k| corner + u32::from(k))
        })
}

/// `g` with each background cell painted by the table entry of its first neighbour key
/// (sides first, in reading order) that the table has.
fn paint_by_neighbour(g: &Grid, rule: &Table) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        match g.get(r, c) {
            0 => neighbour_keys(g, r, c)
                .find_map(|k| rule.get(k))
                .unwrap_or(0),
            colour => colour,
        }
    })?)
}

/// The table of [`paint_by_neighbour`] that `out` shows: each neighbour key all of whose
/// background cells in `g` take one colour other than background; an error unless it
/// gives `out`.
fn read_neighbour_rule(g: &Grid, out: &Grid) -> Result<Table, EvalError> {
    same_shape(g, out)?;
    // Per key: the one new colour its cells take so far, or `None` once they disagree.
    let mut seen: std::collections::BTreeMap<u32, Option<u8>> = Default::default();
    for (k, (&before, &after)) in g.cells().iter().zip(out.cells()).enumerate() {
        if before != 0 {
            if after != before {
                return Err(EvalError::Domain("a foreground cell changes"));
            }
            continue;
        }
        let (r, c) = (k / g.width(), k % g.width());
        for key in neighbour_keys(g, r, c) {
            let entry = seen.entry(key).or_insert(Some(after));
            if *entry != Some(after) {
                *entry = None;
            }
        }
    }
    let rule = Table::from_pairs(
        seen.into_iter()
            .filter_map(|(key, colour)| colour.filter(|&c| c != 0).map(|c| (key, c))),
    )
    .expect("one colour per key");
    if rule.entries().is_empty() {
        return Err(EvalError::Domain("no neighbour colour paints its cells"));
    }
    if paint_by_neighbour(g, &rule)? != *out {
        return Err(EvalError::Domain("no neighbour rule gives the output"));
    }
    Ok(rule)
}

/// `rule_by_colours`, `rule_by_mask`, `rule_by_counts` and `paint_by_neighbour`, at
/// [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    vec![
        rule_primitive(
            "rule_by_colours",
            "each cell recoloured by a table keyed by its colour and its neighbours' colours",
            colours_key,
        ),
        rule_primitive(
            "rule_by_mask",
            "each cell recoloured by a table keyed by its colour and which neighbours are foreground",
            mask_key,
        ),
        rule_primitive(
            "rule_by_counts",
            "each cell recoloured by a table keyed by its colour and its foreground neighbours' counts",
            counts_key,
        ),
        primitive!(
            "paint_by_neighbour",
            "each background cell painted by a table keyed by a colour beside it or at its corner",
            |g: &Grid, rule: &Table| -> Grid { paint_by_neighbour(g, rule) }
        )
        .given(given!([0], |out: &Grid, g: &Grid| -> Table {
            read_neighbour_rule(g, out)
        }))
        .with_shapes(ShapeRule::Same)
        .with_cost(RARE_COST),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn a_rule_read_off_one_pair_reproduces_it_and_generalises() {
        // Background cells next to a 2 (8 ways) turn 4: a halo of one colour only.
        let x = g(&[&[0, 0, 0, 0], &[0, 2, 0, 0], &[0, 0, 0, 3]]);
        let y = g(&[&[4, 4, 4, 0], &[4, 2, 4, 0], &[4, 4, 4, 3]]);
        let rule = read_rule(&x, &y, colours_key).unwrap();
        assert_eq!(apply_rule(&x, &rule, colours_key).unwrap(), y);
        let z = g(&[&[2, 0], &[0, 0]]);
        assert_eq!(
            apply_rule(&z, &rule, colours_key).unwrap(),
            g(&[&[2, 4], &[4, 4]])
        );
        assert!(read_rule(&x, &x, colours_key).is_err(), "nothing changes");
    }

    #[test]
    fn one_neighbourhood_with_two_outcomes_is_no_rule() {
        // The first and the fourth cell see a 1 on their right; only one of them changes.
        let x = g(&[&[0, 1, 0, 0, 1, 0]]);
        let y = g(&[&[5, 1, 0, 0, 1, 0]]);
        assert!(read_rule(&x, &y, counts_key).is_err());
        assert!(read_rule(&x, &y, mask_key).is_err());
    }

    #[test]
    fn a_neighbour_rule_read_where_colours_stand_alone_holds_where_they_meet() {
        // A 2 marks its corners 4; a 1 marks its sides 7.
        let x = g(&[
            &[0, 0, 0, 0, 0, 0],
            &[0, 2, 0, 0, 0, 0],
            &[0, 0, 0, 0, 1, 0],
            &[0, 0, 0, 0, 0, 0],
        ]);
        let y = g(&[
            &[4, 0, 4, 0, 0, 0],
            &[0, 2, 0, 0, 7, 0],
            &[4, 0, 4, 7, 1, 7],
            &[0, 0, 0, 0, 7, 0],
        ]);
        let rule = read_neighbour_rule(&x, &y).unwrap();
        assert_eq!(rule.get(16 + 2), Some(4));
        assert_eq!(rule.get(1), Some(7));
        assert_eq!(rule.get(2), None, "a 2's sides stay background");
        assert_eq!(paint_by_neighbour(&x, &rule).unwrap(), y);
        // A cell at a 2's corner and beside an 8 the examples never showed: still 4.
        let z = g(&[&[2, 0, 0], &[0, 0, 8]]);
        assert_eq!(
            paint_by_neighbour(&z, &rule).unwrap(),
            g(&[&[2, 0, 0], &[0, 4, 8]])
        );
        assert!(read_neighbour_rule(&x, &x).is_err(), "nothing changes");
    }

    #[test]
    fn keys_count_and_mask_the_neighbours() {
        let x = g(&[&[1, 0, 2], &[0, 3, 0], &[0, 4, 0]]);
        assert_eq!(counts_key(&x, 1, 1), 3 * 25 + 5 + 2);
        assert_eq!(mask_key(&x, 1, 1), 3 * 256 + 0b0100_0101);
        assert_eq!(colours_key(&x, 1, 1), 3 * 512 + 0b1011);
    }
}
