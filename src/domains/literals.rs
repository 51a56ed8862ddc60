//! Inferred literals: the types of value an inverse may read off the examples as a
//! constant (an ARC colour or table), how a domain merges the values read off each example
//! into one, and what a literal costs in the search.

use crate::dsl::{Type, Value};

/// A column of values (one per example) after a domain's merge.
#[derive(Clone, Debug, PartialEq)]
pub enum Merged {
    /// Nothing to merge: the column as it was.
    Unchanged(Vec<Value>),
    /// The values became one shared value; the caller re-checks it on every example.
    Merged(Vec<Value>),
    /// The values contradict each other: no literal can serve every example.
    Clash,
}

/// A domain's rules for inferred literals.
#[derive(Clone, Debug)]
pub struct Literals {
    /// Types whose values, when an inverse computes the same one on every example (of two
    /// or more), are grounded as literal constants.
    pub types: Vec<Type>,
    /// Merges a column of values read off each example into one (ARC: tables into their
    /// union).
    pub merge: fn(Vec<Value>) -> Merged,
    /// The search cost of a literal.
    pub cost: fn(&Value) -> f64,
}

impl Literals {
    /// No literals: nothing is inferred, merged or costed.
    pub fn none() -> Literals {
        Literals {
            types: Vec::new(),
            merge: Merged::Unchanged,
            cost: |_| 0.0,
        }
    }
}

impl Default for Literals {
    fn default() -> Self {
        Literals::none()
    }
}
