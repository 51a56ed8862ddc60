//! The language: types with inference, values, expressions, the s-expression syntax,
//! the evaluator and the primitive registry with forward and inverse semantics.

pub mod eval;
pub mod expr;
pub mod grid;
pub mod infer;
pub mod parse;
pub mod rational;
pub mod registry;
pub mod table;
pub mod typed;
pub mod types;
pub mod value;

pub use eval::{EvalError, Evaluator, Limits};
pub use expr::Expr;
pub use grid::{Grid, GridError};
pub use infer::infer;
pub use parse::{parse_expr, parse_type, ParseError};
pub use rational::Rational;
pub use registry::{
    CondInverse, Origin, PrimId, Primitive, PrimitiveSummary, Registry, RegistryError,
};
pub use table::Table;
pub use typed::{Arg, Grids, Ret};
pub use types::{Type, TypeContext, TypeError};
pub use value::{Closure, Value};
