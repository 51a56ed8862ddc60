//! The language: types with inference, values, expressions, the s-expression syntax,
//! the evaluator and the primitive registry with forward and inverse semantics.

mod eval;
mod expr;
mod grid;
mod infer;
mod parse;
pub mod profile;
mod rational;
mod registry;
mod shape;
mod table;
pub(crate) mod typed;
pub(crate) mod types;
mod value;

pub use eval::{EvalError, Evaluator, Limits};
pub use expr::{Expr, MAX_PROGRAM_DEPTH};
pub use grid::{Grid, GridError};
pub use infer::infer;
pub use parse::{is_name, parse_expr, parse_literal, parse_type, LiteralError, ParseError};
pub use rational::Rational;
pub use registry::{
    base_names, CondInverse, Origin, PrimId, Primitive, PrimitiveSummary, Registry, RegistryError,
};
pub use shape::{shapes, Shape, ShapeRule};
pub use table::{Lookup, Table};
pub use typed::{Arg, Grids, Ret, Rets, TypedCondInverse, TypedInverse};
// What the exported `primitive!`, `inverse!` and `given!` macros expand to.
#[doc(hidden)]
pub use typed::{arity_error, cond_inverse_fn, into_value, into_values, inverse_fn};
pub use types::{Type, TypeContext, TypeError};
pub use value::{Closure, Value};
