//! Runtime values of the DSL.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use num_bigint::BigInt;

use super::expr::Expr;
use super::grid::Grid;
use super::rational::Rational;
use super::registry::PrimId;
use super::table::Table;
use super::types::Type;

/// A value a program computes or consumes.
#[derive(Clone, Debug)]
pub enum Value {
    /// An integer of any size.
    Int(BigInt),
    /// An exact rational.
    Rat(Rational),
    /// A boolean.
    Bool(bool),
    /// An ARC colour, 0-9.
    Colour(u8),
    /// An ARC grid.
    Grid(Grid),
    /// A partial map from small keys to colours (see [`Table`]).
    Table(Table),
    /// A list of values of one type.
    List(Arc<[Value]>),
    /// A function: a lambda with its environment, or a partially applied primitive.
    Closure(Arc<Closure>),
}

/// A function value.
#[derive(Debug)]
pub enum Closure {
    /// `(lam body)` evaluated in `env` (de Bruijn: the last element is `$0`'s outer neighbour).
    Lambda {
        /// The lambda's body.
        body: Arc<Expr>,
        /// The captured environment, innermost variable last.
        env: Vec<Value>,
    },
    /// A primitive with fewer arguments than its arity.
    Partial {
        /// Which primitive.
        prim: PrimId,
        /// The arguments given so far, in order.
        args: Vec<Value>,
    },
}

impl Value {
    /// An integer value.
    pub fn int(n: impl Into<BigInt>) -> Value {
        Value::Int(n.into())
    }

    /// The rational `num / den`; panics on a zero denominator (use for literals only).
    pub fn rat(num: i64, den: i64) -> Value {
        Value::Rat(Rational::new(num.into(), den.into()).expect("nonzero denominator"))
    }

    /// The value's type; closures get a fresh-variable type `t0`.
    pub fn type_of(&self) -> Type {
        match self {
            Value::Int(_) => Type::int(),
            Value::Rat(_) => Type::rat(),
            Value::Bool(_) => Type::bool(),
            Value::Colour(_) => Type::colour(),
            Value::Grid(_) => Type::grid(),
            Value::Table(_) => Type::table(),
            Value::List(items) => Type::list(items.first().map_or(Type::Var(0), Value::type_of)),
            Value::Closure(_) => Type::Var(0),
        }
    }

    /// The integer inside, if this is one.
    pub fn as_int(&self) -> Option<&BigInt> {
        match self {
            Value::Int(n) => Some(n),
            _ => None,
        }
    }

    /// The rational inside, if this is one.
    pub fn as_rat(&self) -> Option<&Rational> {
        match self {
            Value::Rat(r) => Some(r),
            _ => None,
        }
    }

    /// The grid inside, if this is one.
    pub fn as_grid(&self) -> Option<&Grid> {
        match self {
            Value::Grid(g) => Some(g),
            _ => None,
        }
    }

    /// A rough size in bits, for the evaluator's size limit.
    pub fn size_bits(&self) -> u64 {
        match self {
            Value::Int(n) => n.bits(),
            Value::Rat(r) => r.bits(),
            Value::List(items) => items.iter().map(Value::size_bits).sum::<u64>() + 1,
            _ => 1,
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Rat(a), Value::Rat(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Colour(a), Value::Colour(b)) => a == b,
            (Value::Grid(a), Value::Grid(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Closure(a), Value::Closure(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Int(n) => n.hash(state),
            Value::Rat(r) => r.hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Colour(c) => c.hash(state),
            Value::Grid(g) => g.hash(state),
            Value::Table(t) => t.hash(state),
            Value::List(items) => items.hash(state),
            Value::Closure(c) => (Arc::as_ptr(c) as usize).hash(state),
        }
    }
}

impl fmt::Display for Value {
    /// Literal syntax: `12`, `3/4` (rationals always show a denominator), `true`,
    /// `c3` (colours), `[12|34]` (grids), `m:1=5,3=4` (tables), `{1 2 3}` (lists), `<closure>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Rat(r) => write!(f, "{r}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Colour(c) => write!(f, "c{c}"),
            Value::Grid(g) => write!(f, "{g}"),
            Value::Table(t) => write!(f, "{t}"),
            Value::List(items) => {
                write!(f, "{{")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "}}")
            }
            Value::Closure(_) => write!(f, "<closure>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_literals() {
        assert_eq!(Value::rat(6, 8).to_string(), "3/4");
        assert_eq!(Value::rat(24, 1).to_string(), "24/1");
        assert_eq!(Value::int(-5).to_string(), "-5");
        assert_eq!(Value::Colour(3).to_string(), "c3");
    }

    #[test]
    fn equal_values_hash_alike_and_kinds_differ() {
        use std::collections::HashSet;
        let set: HashSet<Value> = [Value::int(24), Value::rat(24, 1), Value::int(24)]
            .into_iter()
            .collect();
        assert_eq!(set.len(), 2);
    }
}
