//! One-cell answers: the whole grid classified by a property, the class turned into a
//! colour by a table read off the outputs ("1 if the picture is symmetric, else 7";
//! "the colour that names this pattern").
//!
//! - `answer_by_symmetry`: the key is which mirrors the grid equals (bit 0 left-right,
//!   bit 1 top-bottom).
//! - `answer_by_pattern`: the key is a digest of the foreground's shape (colours ignored,
//!   position ignored).
//!
//! Each conditional inverse reads the one entry an example gives: the input's key and the
//! output's colour. The search merges the entries of all the examples into one table, and a
//! key the examples never showed takes the table's commonest colour.

use super::objects::shape_digest;
use super::symmetry::mirrors;
use super::{foreground_cells, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, Table};
use crate::{given, primitive};

/// Gives a grid its class.
type ClassOf = fn(&Grid) -> u32;

/// Which mirrors `g` equals: bit 0 left-right, bit 1 top-bottom.
fn symmetry_class(g: &Grid) -> u32 {
    u32::from(mirrors(g) & 3)
}

/// The digest of the foreground's shape (the one objects are keyed by); two patterns may
/// collide, rarely, and the search then fails to fit rather than fitting wrongly.
fn pattern_class(g: &Grid) -> u32 {
    u32::from(shape_digest(&foreground_cells(g)))
}

/// The one-cell grid of the colour `table` gives `g`'s class; a class the table lacks
/// takes its commonest colour.
fn answer(g: &Grid, table: &Table, class_of: ClassOf) -> Result<Grid, EvalError> {
    let colour = table
        .get(class_of(g))
        .or(table.commonest())
        .ok_or(EvalError::Domain("an empty table"))?;
    Ok(Grid::new(1, 1, vec![colour])?)
}

/// The table entry that makes [`answer`] turn `g` into `out`.
fn read_answer(g: &Grid, out: &Grid, class_of: ClassOf) -> Result<Table, EvalError> {
    if (out.height(), out.width()) != (1, 1) {
        return Err(EvalError::Domain("the answer is not one cell"));
    }
    Table::from_pairs([(class_of(g), out.get(0, 0))])
        .ok_or(EvalError::Domain("no table for the answer"))
}

/// `name : grid -> table -> grid`, the table read off the output.
fn classifier(name: &str, doc: &str, class_of: ClassOf) -> Primitive {
    primitive!(name, doc, |g: &Grid, t: &Table| -> Grid {
        answer(g, t, class_of)
    })
    .given(given!([0], |out: &Grid, g: &Grid| -> Table {
        read_answer(g, out, class_of)
    }))
    .with_cost(RARE_COST)
}

/// `answer_by_symmetry` and `answer_by_pattern`.
pub fn primitives() -> Vec<Primitive> {
    vec![
        classifier(
            "answer_by_symmetry",
            "one cell, its colour given by a table keyed by the mirrors the grid equals",
            symmetry_class,
        ),
        classifier(
            "answer_by_pattern",
            "one cell, its colour given by a table keyed by the foreground's shape",
            pattern_class,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::Value;

    #[test]
    fn symmetry_classes_name_the_mirrors_a_grid_equals() {
        assert_eq!(symmetry_class(&g(&[&[2, 0, 2], &[0, 2, 0], &[2, 0, 2]])), 3);
        assert_eq!(symmetry_class(&g(&[&[2, 0, 2], &[2, 2, 2], &[0, 0, 0]])), 1);
        assert_eq!(symmetry_class(&g(&[&[2, 0, 0], &[2, 0, 0], &[2, 0, 0]])), 2);
        assert_eq!(symmetry_class(&g(&[&[2, 2, 0], &[0, 2, 0], &[0, 0, 0]])), 0);
    }

    #[test]
    fn patterns_ignore_colour_and_position() {
        let cross = g(&[&[0, 5, 0], &[5, 5, 5], &[0, 5, 0]]);
        let other_colour = g(&[&[0, 8, 0], &[8, 8, 8], &[0, 8, 0]]);
        let corner = g(&[&[1, 1, 0], &[1, 0, 0], &[0, 0, 0]]);
        let moved = g(&[&[0, 0, 0], &[0, 3, 3], &[0, 3, 0]]);
        assert_eq!(pattern_class(&cross), pattern_class(&other_colour));
        assert_eq!(pattern_class(&corner), pattern_class(&moved));
        assert_ne!(pattern_class(&cross), pattern_class(&corner));
    }

    #[test]
    fn the_inverse_reads_one_entry_and_the_answer_uses_the_merged_table() {
        let p = &primitives()[0];
        let symmetric = g(&[&[2, 0, 2], &[0, 2, 0], &[2, 0, 2]]);
        let lopsided = g(&[&[2, 2, 0], &[0, 2, 0], &[0, 0, 0]]);
        let read = |x: &Grid, colour: u8| {
            let out = Value::Grid(Grid::new(1, 1, vec![colour]).unwrap());
            match &(p.cond_inverses[0].apply)(&out, &[Value::Grid(x.clone())]).unwrap()[..] {
                [Value::Table(t)] => t.clone(),
                other => panic!("expected one table, got {other:?}"),
            }
        };
        let table = read(&symmetric, 1).merge(&read(&lopsided, 7)).unwrap();
        assert_eq!(table.to_string(), "m:0=7,3=1");
        assert_eq!(
            answer(&lopsided, &table, symmetry_class).unwrap().get(0, 0),
            7
        );
        assert_eq!(
            answer(&symmetric, &table, symmetry_class)
                .unwrap()
                .get(0, 0),
            1
        );
        // A two-cell output is no answer.
        let wide = Value::Grid(Grid::new(1, 2, vec![1, 1]).unwrap());
        assert!((p.cond_inverses[0].apply)(&wide, &[Value::Grid(symmetric)]).is_err());
    }
}
