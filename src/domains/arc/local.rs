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

use super::{same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule, Table};
use crate::{given, primitive};

/// A neighbourhood key: `(grid, row, column) -> key`, below 2^16.
pub type KeyFn = fn(&Grid, usize, usize) -> u16;

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
fn colours_key(g: &Grid, r: usize, c: usize) -> u16 {
    let set = neighbours(g, r, c)
        .into_iter()
        .flatten()
        .filter(|&n| n != 0)
        .fold(0u16, |bits, n| bits | 1 << (n - 1));
    u16::from(g.get(r, c)) * 512 + set
}

/// The cell's colour and which neighbours are foreground (8 bits, reading order).
fn mask_key(g: &Grid, r: usize, c: usize) -> u16 {
    let bits = neighbours(g, r, c)
        .into_iter()
        .enumerate()
        .fold(0u16, |bits, (i, n)| bits | u16::from(is_foreground(n)) << i);
    u16::from(g.get(r, c)) * 256 + bits
}

/// The cell's colour, its foreground orthogonal neighbours and its diagonal ones.
fn counts_key(g: &Grid, r: usize, c: usize) -> u16 {
    let n = neighbours(g, r, c);
    let count = |slots: [usize; 4]| slots.iter().filter(|&&i| is_foreground(n[i])).count() as u16;
    u16::from(g.get(r, c)) * 25 + count([1, 3, 4, 6]) * 5 + count([0, 2, 5, 7])
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
    let outcomes: Vec<(u16, u8, bool)> = (0..g.height())
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

/// `rule_by_colours`, `rule_by_mask` and `rule_by_counts`, at [`RARE_COST`].
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
    fn keys_count_and_mask_the_neighbours() {
        let x = g(&[&[1, 0, 2], &[0, 3, 0], &[0, 4, 0]]);
        assert_eq!(counts_key(&x, 1, 1), 3 * 25 + 5 + 2);
        assert_eq!(mask_key(&x, 1, 1), 3 * 256 + 0b0100_0101);
        assert_eq!(colours_key(&x, 1, 1), 3 * 512 + 0b1011);
    }
}
