//! ARC's inferred literals: colours, free, and tables (partial maps from small keys to
//! colours) at a little per entry; tables read off each pair merge into their union.

use super::rewrite::{is_rewrite_key, patterns_seen_twice, rewrite_patterns};
use crate::domains::{Literals, Merged};
use crate::dsl::{Table, Type, Value};

/// The search cost of one entry of a literal table, so that a short program beats one
/// that memorizes each object of the examples in a large table.
pub const TABLE_ENTRY_COST: f64 = 0.1;

/// The search cost of one changed cell of a rewrite table's patch (see
/// [`rewrite`](super::rewrite)), whose patterns cost [`TABLE_ENTRY_COST`] each: a patch
/// of a dozen cells is one rule, not a dozen.
pub const PATCH_CELL_COST: f64 = 0.02;

/// ARC's literal rules: colours and tables.
pub fn literals() -> Literals {
    Literals {
        types: vec![Type::colour(), Type::table()],
        merge: merge_tables,
        cost: literal_cost,
    }
}

/// The colours the forward phase's steps take, in order: those used by every output, those
/// used by every input (examples' and tests'), and those that only outputs use (a colour
/// the program draws with, though an example may leave nothing to draw).
pub fn task_colours(inputs: &[Value], outputs: &[Value]) -> Vec<Value> {
    let colour_set = |v: &Value| -> u16 {
        match v {
            Value::Grid(g) => g.cells().iter().fold(0, |m, &c| m | 1 << c),
            _ => 0,
        }
    };
    let in_every = |values: &[Value]| values.iter().fold(0x3ff, |acc, v| acc & colour_set(v));
    let in_any = |values: &[Value]| values.iter().fold(0, |acc, v| acc | colour_set(v));
    let used = in_every(inputs) | in_every(outputs) | (in_any(outputs) & !in_any(inputs));
    (0..10u8)
        .filter(|&c| used & 1 << c != 0)
        .map(Value::Colour)
        .collect()
}

/// What a literal costs: nothing for a colour (the examples chose it), a little per entry
/// for a table (for a rewrite table, per pattern and less per patch cell).
pub fn literal_cost(value: &Value) -> f64 {
    match value {
        Value::Table(t) => table_cost(t),
        _ => 0.0,
    }
}

/// [`literal_cost`] of a table.
fn table_cost(t: &Table) -> f64 {
    let cells = t
        .entries()
        .iter()
        .filter(|(k, _)| is_rewrite_key(*k))
        .count();
    let others = t.entries().len() - cells;
    let patterns = rewrite_patterns(t).len();
    TABLE_ENTRY_COST * (others + patterns) as f64 + PATCH_CELL_COST * cells as f64
}

/// A column of tables (one per example, each read off its own example) as their union on
/// every example, so that one literal serves them all; a clash when two of them give a
/// key different colours, or when a rewrite pattern is in only one of them. Other columns
/// are returned as they are. The caller re-checks the union on every example: an inverse
/// may leave out keys whose cells its example leaves unchanged (a local rule's), and
/// another example's table may change them.
fn merge_tables(column: Vec<Value>) -> Merged {
    let tables: Vec<&Table> = column
        .iter()
        .map_while(|v| match v {
            Value::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    if tables.len() != column.len() || tables.is_empty() {
        return Merged::Unchanged(column);
    }
    if !patterns_seen_twice(&tables) {
        return Merged::Clash;
    }
    match tables[1..]
        .iter()
        .try_fold(tables[0].clone(), |acc, t| acc.merge(t))
    {
        Some(union) => Merged::Merged(vec![Value::Table(union); column.len()]),
        None => Merged::Clash,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn the_forward_colours_are_the_shared_ones_and_those_only_outputs_draw() {
        let inputs = [Value::Grid(g(&[&[0, 8, 1]])), Value::Grid(g(&[&[0, 8, 2]]))];
        // 3 is drawn in one output only; 5 in every output; 1 and 2 are each one
        // input's.
        let outputs = [Value::Grid(g(&[&[5, 8, 3]])), Value::Grid(g(&[&[5, 8, 2]]))];
        let colours = task_colours(&inputs, &outputs);
        let expected: Vec<Value> = [0, 3, 5, 8].into_iter().map(Value::Colour).collect();
        assert_eq!(colours, expected);
    }
}
