//! Primitives from typed Rust functions. A primitive is written once, as a plain function
//! of Rust types; [`primitive!`](crate::primitive) derives its DSL type from the
//! signature and unpacks its arguments, and [`inverse!`](crate::inverse) and
//! [`given!`](crate::given) do the same for its inverse and conditional inverses, whose
//! types [`Primitive::inverse`] and [`Primitive::given`] check against the primitive's.
//!
//! ```
//! use janus::dsl::{EvalError, Grid, Primitive, Type, Value};
//! use janus::{given, primitive};
//!
//! // Two grids side by side; given the output and the left part, the right part.
//! let hstack = primitive!("hstack", "two grids side by side", |l: &Grid, r: &Grid| -> Grid {
//!     Grid::from_fn(l.height(), l.width() + r.width(), |row, c| {
//!         if c < l.width() { l.get(row, c) } else { r.get(row, c - l.width()) }
//!     })
//!     .map_err(|_| EvalError::Domain("too large"))
//! })
//! .given(given!([0], |out: &Grid, l: &Grid| -> Grid {
//!     out.window(0, l.width(), out.height(), out.width() - l.width())
//!         .ok_or(EvalError::Domain("no right part"))
//! }));
//! assert_eq!(hstack.ty, Type::arrows(vec![Type::grid(), Type::grid()], Type::grid()));
//! let (a, b) = (Grid::new(1, 1, vec![1]).unwrap(), Grid::new(1, 2, vec![2, 3]).unwrap());
//! let ab = (hstack.forward)(&[Value::Grid(a.clone()), Value::Grid(b.clone())]).unwrap();
//! let right = (hstack.cond_inverses[0].apply)(&ab, &[Value::Grid(a)]).unwrap();
//! assert_eq!(right, vec![Value::Grid(b)]);
//! ```

use std::sync::Arc;

use num_bigint::BigInt;

use super::eval::EvalError;
use super::grid::Grid;
use super::rational::Rational;
use super::registry::{CondInverseFn, InverseFn, Primitive};
use super::table::Table;
use super::types::Type;
use super::value::Value;

/// A Rust type a primitive's argument is read as: `&Grid`, `u8` (a colour), `&Table`,
/// `&Rational`, `&BigInt`, `bool` or [`Grids`].
pub trait Arg<'a>: Sized {
    /// Its DSL type.
    fn ty() -> Type;
    /// The argument inside a value, or a type error (which allocates nothing).
    fn from_value(v: &'a Value) -> Result<Self, EvalError>;
}

/// A Rust type a primitive returns: `Grid`, `u8` (a colour), `Table`, `Rational`,
/// `BigInt`, `bool` or `Vec<Grid>` (a list of grids).
pub trait Ret {
    /// Its DSL type.
    fn ty() -> Type;
    /// As a value.
    fn into_value(self) -> Value;
}

/// What an inverse returns: one [`Ret`] value, or a tuple of them (one per input).
pub trait Rets {
    /// Their DSL types, in order.
    fn types() -> Vec<Type>;
    /// As values, in order.
    fn into_values(self) -> Vec<Value>;
}

impl<T: Ret> Rets for T {
    fn types() -> Vec<Type> {
        vec![T::ty()]
    }
    fn into_values(self) -> Vec<Value> {
        vec![self.into_value()]
    }
}

impl<A: Ret, B: Ret> Rets for (A, B) {
    fn types() -> Vec<Type> {
        vec![A::ty(), B::ty()]
    }
    fn into_values(self) -> Vec<Value> {
        vec![self.0.into_value(), self.1.into_value()]
    }
}

/// Implements [`Arg`] for a reference to what a `Value` variant holds.
macro_rules! borrowed_arg {
    ($rust:ty, $variant:ident, $ty:expr, $what:literal) => {
        impl<'a> Arg<'a> for &'a $rust {
            fn ty() -> Type {
                $ty
            }
            fn from_value(v: &'a Value) -> Result<Self, EvalError> {
                match v {
                    Value::$variant(x) => Ok(x),
                    _ => Err(EvalError::Type(concat!("expected ", $what))),
                }
            }
        }
    };
}

borrowed_arg!(Grid, Grid, Type::grid(), "a grid");
borrowed_arg!(Table, Table, Type::table(), "a table");
borrowed_arg!(Rational, Rat, Type::rat(), "a rational");
borrowed_arg!(BigInt, Int, Type::int(), "an integer");

/// Implements [`Ret`] for what a `Value` variant holds.
macro_rules! owned_ret {
    ($rust:ty, $variant:ident, $ty:expr) => {
        impl Ret for $rust {
            fn ty() -> Type {
                $ty
            }
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
        }
    };
}

owned_ret!(Grid, Grid, Type::grid());
owned_ret!(Table, Table, Type::table());
owned_ret!(Rational, Rat, Type::rat());
owned_ret!(BigInt, Int, Type::int());
owned_ret!(bool, Bool, Type::bool());
owned_ret!(u8, Colour, Type::colour());

/// A colour is the only `u8` of the DSL.
impl<'a> Arg<'a> for u8 {
    fn ty() -> Type {
        Type::colour()
    }
    fn from_value(v: &'a Value) -> Result<Self, EvalError> {
        match v {
            Value::Colour(c) => Ok(*c),
            _ => Err(EvalError::Type("expected a colour")),
        }
    }
}

impl<'a> Arg<'a> for bool {
    fn ty() -> Type {
        Type::bool()
    }
    fn from_value(v: &'a Value) -> Result<Self, EvalError> {
        match v {
            Value::Bool(b) => Ok(*b),
            _ => Err(EvalError::Type("expected a boolean")),
        }
    }
}

/// A list of grids as an argument (checked to hold grids only).
#[derive(Clone, Copy, Debug)]
pub struct Grids<'a>(&'a [Value]);

impl<'a> Grids<'a> {
    /// The grids, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a Grid> + 'a {
        self.0.iter().map(|v| match v {
            Value::Grid(g) => g,
            _ => unreachable!("checked by from_value"),
        })
    }

    /// How many grids.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> Arg<'a> for Grids<'a> {
    fn ty() -> Type {
        Type::list(Type::grid())
    }
    fn from_value(v: &'a Value) -> Result<Self, EvalError> {
        match v {
            Value::List(items) if items.iter().all(|i| matches!(i, Value::Grid(_))) => {
                Ok(Grids(items))
            }
            _ => Err(EvalError::Type("expected a list of grids")),
        }
    }
}

impl Ret for Vec<Grid> {
    fn ty() -> Type {
        Type::list(Type::grid())
    }
    fn into_value(self) -> Value {
        Value::List(self.into_iter().map(Value::Grid).collect())
    }
}

/// An inverse with the types [`inverse!`](crate::inverse) read off its signature.
pub struct TypedInverse {
    /// The type of the output it reads.
    pub output: Type,
    /// The types of the inputs it returns.
    pub inputs: Vec<Type>,
    /// The inverse.
    pub apply: InverseFn,
}

/// A conditional inverse with the types [`given!`](crate::given) read off its signature.
pub struct TypedCondInverse {
    /// The input slots it is given.
    pub known: Vec<usize>,
    /// The type of the output it reads.
    pub output: Type,
    /// The types of the known inputs, in slot order.
    pub known_types: Vec<Type>,
    /// The types of the inputs it returns, in slot order.
    pub missing_types: Vec<Type>,
    /// The conditional inverse.
    pub apply: CondInverseFn,
}

impl Primitive {
    /// Adds an inverse made by [`inverse!`](crate::inverse). Panics when its types are not
    /// the primitive's: a programming error, which the registry tests catch.
    pub fn inverse(self, inv: TypedInverse) -> Self {
        let args: Vec<Type> = self.ty.arguments().into_iter().cloned().collect();
        assert!(
            inv.output == *self.ty.returns() && inv.inputs == args,
            "{}: the inverse's types do not match {}",
            self.name,
            self.ty
        );
        let mut prim = self;
        prim.inverse = Some(inv.apply);
        prim
    }

    /// Adds a conditional inverse made by [`given!`](crate::given). Panics when its types
    /// are not the primitive's.
    pub fn given(self, ci: TypedCondInverse) -> Self {
        let args: Vec<Type> = self.ty.arguments().into_iter().cloned().collect();
        let slots_ok = ci.known.iter().all(|&k| k < args.len());
        let (known, missing): (Vec<Type>, Vec<Type>) = if slots_ok {
            let known = ci.known.iter().map(|&k| args[k].clone()).collect();
            let missing = (0..args.len())
                .filter(|i| !ci.known.contains(i))
                .map(|i| args[i].clone())
                .collect();
            (known, missing)
        } else {
            (Vec::new(), Vec::new())
        };
        assert!(
            slots_ok
                && ci.output == *self.ty.returns()
                && ci.known_types == known
                && ci.missing_types == missing,
            "{}: the conditional inverse given {:?} does not match {}",
            self.name,
            ci.known,
            self.ty
        );
        self.with_cond_inverse_fn(&ci.known, ci.apply)
    }
}

/// The error of a typed closure called with the wrong number of arguments; for the macros.
#[doc(hidden)]
pub fn arity_error() -> EvalError {
    EvalError::Type("wrong number of arguments")
}

/// Wraps a closure's result for the macros: `Ok` values become DSL values.
#[doc(hidden)]
pub fn into_value<R: Ret>(r: Result<R, EvalError>) -> Result<Value, EvalError> {
    r.map(Ret::into_value)
}

/// Wraps an inverse's result for the macros.
#[doc(hidden)]
pub fn into_values<R: Rets>(r: Result<R, EvalError>) -> Result<Vec<Value>, EvalError> {
    r.map(Rets::into_values)
}

/// Shared for the macros: an `Arc` of an inverse closure.
#[doc(hidden)]
pub fn inverse_fn(
    f: impl Fn(&Value) -> Result<Vec<Value>, EvalError> + Send + Sync + 'static,
) -> InverseFn {
    Arc::new(f)
}

/// Shared for the macros: an `Arc` of a conditional-inverse closure.
#[doc(hidden)]
pub fn cond_inverse_fn(
    f: impl Fn(&Value, &[Value]) -> Result<Vec<Value>, EvalError> + Send + Sync + 'static,
) -> CondInverseFn {
    Arc::new(f)
}

/// A primitive from a typed closure: `primitive!(name, doc, |a: A, b: B| -> R { body })`,
/// where the body returns `Result<R, EvalError>`. The DSL type is `(-> A B R)`; the
/// arguments are unpacked and checked before the body runs.
#[macro_export]
macro_rules! primitive {
    ($name:expr, $doc:expr, |$($arg:ident : $aty:ty),+| -> $ret:ty $body:block) => {{
        let ty = $crate::dsl::Type::arrows(
            vec![$(<$aty as $crate::dsl::Arg>::ty()),+],
            <$ret as $crate::dsl::Ret>::ty(),
        );
        $crate::dsl::Primitive::new($name, ty, move |args: &[$crate::dsl::Value]| {
            let [$($arg),+] = args else {
                return Err($crate::dsl::arity_error());
            };
            $(let $arg: $aty = $crate::dsl::Arg::from_value($arg)?;)+
            let body = || -> Result<$ret, $crate::dsl::EvalError> { $body };
            $crate::dsl::into_value(body())
        })
        .with_doc($doc)
    }};
}

/// An inverse from a typed closure: `inverse!(|out: O| -> R { body })`, `R` one input's
/// type or a tuple of all of them; for [`Primitive::inverse`].
#[macro_export]
macro_rules! inverse {
    (|$out:ident : $oty:ty| -> $ret:ty $body:block) => {{
        $crate::dsl::TypedInverse {
            output: <$oty as $crate::dsl::Arg>::ty(),
            inputs: <$ret as $crate::dsl::Rets>::types(),
            apply: $crate::dsl::inverse_fn(move |out: &$crate::dsl::Value| {
                let $out: $oty = $crate::dsl::Arg::from_value(out)?;
                let body = || -> Result<$ret, $crate::dsl::EvalError> { $body };
                $crate::dsl::into_values(body())
            }),
        }
    }};
}

/// A conditional inverse from a typed closure: `given!([slots], |out: O, k: K| -> R {
/// body })` takes the output and the known inputs (in slot order) and returns the missing
/// ones (`R`, or a tuple in slot order); for [`Primitive::given`].
#[macro_export]
macro_rules! given {
    ([$($slot:expr),+], |$out:ident : $oty:ty, $($k:ident : $kty:ty),+| -> $ret:ty $body:block) => {{
        $crate::dsl::TypedCondInverse {
            known: vec![$($slot),+],
            output: <$oty as $crate::dsl::Arg>::ty(),
            known_types: vec![$(<$kty as $crate::dsl::Arg>::ty()),+],
            missing_types: <$ret as $crate::dsl::Rets>::types(),
            apply: $crate::dsl::cond_inverse_fn(
                move |out: &$crate::dsl::Value, known: &[$crate::dsl::Value]| {
                    let $out: $oty = $crate::dsl::Arg::from_value(out)?;
                    let [$($k),+] = known else {
                        return Err($crate::dsl::arity_error());
                    };
                    $(let $k: $kty = $crate::dsl::Arg::from_value($k)?;)+
                    let body = || -> Result<$ret, $crate::dsl::EvalError> { $body };
                    $crate::dsl::into_values(body())
                },
            ),
        }
    }};
}
