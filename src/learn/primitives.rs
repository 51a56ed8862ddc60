//! Learned abstractions as DSL primitives: each gets its type by inference, its forward
//! semantics by evaluating its body, and, where its body is built from invertible
//! primitives, an inverse or conditional inverses derived from theirs, so that learned
//! abstractions take part in the backward search too.
//!
//! The derivation walks the body from the output down. At a primitive call whose inputs
//! are partly known (constants, known parameters, or calls on those), it uses the
//! primitive's inverse, or a conditional inverse that needs only known inputs, to get the
//! others, and goes on into them. A parameter reached twice must get the same value; the
//! inputs found are checked by running the abstraction forward.

use std::sync::Arc;

use egg::{Id, RecExpr};

use super::library::{Abstraction, Library};
use super::term::{spine, Lambda};
use crate::dsl::{
    infer, parse_expr, EvalError, Evaluator, Expr, Origin, PrimId, Primitive, Registry,
    RegistryError, TypeError, Value,
};

/// Why an abstraction cannot become a primitive.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AbstractionError {
    /// Its body names a primitive (or earlier abstraction) the registry lacks.
    #[error("unknown primitive `{0}`")]
    UnknownPrimitive(String),
    /// Its body does not type-check over the registry.
    #[error("does not type-check: {0}")]
    IllTyped(TypeError),
    /// Its type takes fewer arguments than it has parameters.
    #[error("type {ty} takes fewer than {arity} arguments")]
    TooFewArguments {
        /// The inferred type.
        ty: String,
        /// The number of parameters.
        arity: usize,
    },
    /// A parameter its body never uses.
    #[error("parameter #{0} is never used in its body")]
    UnusedParameter(usize),
    /// More parameters than [`MAX_ARITY`].
    #[error("{0} parameters, more than the {MAX_ARITY} an abstraction may take")]
    TooManyParameters(usize),
    /// A body that, abstractions inlined, makes more than [`MAX_INLINED_CALLS`] calls.
    #[error(
        "expands to {0} primitive calls, more than the {MAX_INLINED_CALLS} an abstraction may make"
    )]
    TooLarge(u64),
    /// The registry refuses it (a name taken twice).
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// A library that cannot be registered: which abstraction, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {error}")]
pub struct RegisterError {
    /// The abstraction refused.
    pub name: String,
    /// Why.
    pub error: AbstractionError,
}

/// The most parameters a learned abstraction may take: the search enumerates argument
/// tuples and derives a conditional inverse per subset of known parameters.
pub const MAX_ARITY: usize = 8;

/// The most built-in primitive calls one application of an abstraction may make with every
/// abstraction in its body inlined: abstractions that call earlier ones twice would
/// otherwise double the work of one search step at each level.
pub const MAX_INLINED_CALLS: u64 = 10_000;

/// Registers every abstraction of `library` in `registry`, in order (later bodies may use
/// earlier abstractions). Fails, naming the abstraction, when a body uses a primitive the
/// registry lacks or does not type-check.
/// Nothing is registered unless all are.
pub fn register_library(
    library: &Library,
    registry: &mut Registry,
) -> Result<Vec<PrimId>, RegisterError> {
    let mut extended = registry.clone();
    let mut ids = Vec::new();
    for a in &library.abstractions {
        let refused = |error| RegisterError {
            name: a.name.clone(),
            error,
        };
        let prim = abstraction_primitive(a, &extended).map_err(refused)?;
        ids.push(extended.add(prim).map_err(|e| refused(e.into()))?);
    }
    *registry = extended;
    Ok(ids)
}

/// Fills in the type of each abstraction of `library` over `registry`'s primitives, where
/// its body type-checks there (and those of the earlier abstractions it uses do).
pub fn infer_types(library: &mut Library, registry: &Registry) {
    let mut extended = registry.clone();
    for a in &mut library.abstractions {
        a.ty = abstraction_primitive(a, &extended).ok().and_then(|p| {
            let ty = p.ty.to_string();
            extended.add(p).ok().map(|_| ty)
        });
    }
}

/// The primitive for abstraction `a` over the primitives of `registry`.
pub fn abstraction_primitive(
    a: &Abstraction,
    registry: &Registry,
) -> Result<Primitive, AbstractionError> {
    if a.arity > MAX_ARITY {
        return Err(AbstractionError::TooManyParameters(a.arity));
    }
    let calls = inlined_calls(&a.body, registry);
    if calls > MAX_INLINED_CALLS {
        return Err(AbstractionError::TooLarge(calls));
    }
    let mut used = vec![false; a.arity];
    for node in a.body.as_ref() {
        if let Lambda::Param(p) = node {
            if let Some(u) = used.get_mut(p.0 as usize) {
                *u = true;
            }
        }
    }
    if let Some(k) = used.iter().position(|u| !u) {
        return Err(AbstractionError::UnusedParameter(k));
    }
    let body = to_expr(&a.body, a.body.root(), 0, a.arity, registry)?;
    let closed = Expr::lambdas(a.arity, body);
    let ty = infer(&closed, registry).map_err(AbstractionError::IllTyped)?;
    if ty.arity() < a.arity {
        return Err(AbstractionError::TooFewArguments {
            ty: ty.to_string(),
            arity: a.arity,
        });
    }
    let shape = Shape::of(&a.body, a.body.root(), registry);
    let compiled = Arc::new(Compiled {
        calls_only: shape.params() != u32::MAX,
        shape,
        registry: registry.clone(),
        closed: closed.clone(),
        arity: a.arity,
    });
    let forward = compiled.clone();
    let doc = format!("learned: {closed}");
    let mut prim =
        Primitive::new(&a.name, ty, move |args: &[Value]| forward.forward(args)).with_doc(&doc);
    prim.origin = Origin::Abstraction {
        body: closed,
        calls,
    };
    let arity = a.arity;
    if !ty_arity_matches(&prim, arity) {
        return Ok(prim);
    }
    if compiled.shape.derivable(0) {
        let c = compiled.clone();
        return Ok(prim.with_inverse(move |out| c.invert(out, &vec![None; arity])));
    }
    for known in 1..(1u32 << arity) - 1 {
        if !compiled.shape.derivable(known) {
            continue;
        }
        let slots: Vec<usize> = (0..arity).filter(|k| known >> k & 1 == 1).collect();
        let (c, given) = (compiled.clone(), slots.clone());
        prim = prim.with_cond_inverse(&slots, move |out, values| {
            let mut start = vec![None; arity];
            for (slot, v) in given.iter().zip(values) {
                start[*slot] = Some(v.clone());
            }
            let all = c.invert(out, &start)?;
            Ok((0..arity)
                .filter(|k| !given.contains(k))
                .map(|k| all[k].clone())
                .collect())
        });
    }
    Ok(prim)
}

/// An abstraction ready to run both ways.
struct Compiled {
    shape: Shape,
    /// Whether the body is a tree of calls, constants and parameters (nothing opaque).
    calls_only: bool,
    /// The primitives its body uses (earlier abstractions included).
    registry: Registry,
    /// The body under one lambda per parameter, for the evaluator.
    closed: Expr,
    arity: usize,
}

impl Compiled {
    /// The output for `args`: straight through the primitives' forward functions where
    /// the body is a tree of calls, else by the evaluator.
    fn forward(&self, args: &[Value]) -> Result<Value, EvalError> {
        if self.calls_only && args.len() == self.arity {
            let known: Vec<Option<Value>> = args.iter().cloned().map(Some).collect();
            if let Some(v) = value_of(&self.shape, &self.registry, &known)? {
                return Ok(v);
            }
        }
        Evaluator::new(&self.registry).run(&self.closed, args)
    }

    /// Every parameter from the output `out` and the ones known in `start`, checked by
    /// running the abstraction forward.
    fn invert(&self, out: &Value, start: &[Option<Value>]) -> Result<Vec<Value>, EvalError> {
        let mut values = start.to_vec();
        descend(&self.shape, &self.registry, out, &mut values)?;
        let values: Vec<Value> = values
            .into_iter()
            .map(|v| {
                v.ok_or(EvalError::Domain(
                    "a parameter the output does not determine",
                ))
            })
            .collect::<Result<_, _>>()?;
        if self.forward(&values)? != *out {
            return Err(EvalError::Domain("no inputs give this output"));
        }
        Ok(values)
    }
}

/// The built-in calls `body` makes with the abstractions it uses inlined (names the
/// registry lacks count one; they are refused later).
fn inlined_calls(body: &RecExpr<Lambda>, registry: &Registry) -> u64 {
    body.as_ref()
        .iter()
        .filter_map(|node| match node {
            Lambda::Prim(s) => Some(s.as_str().strip_prefix('#').unwrap_or(s.as_str())),
            _ => None,
        })
        .map(|name| {
            registry
                .id(name)
                .map_or(1, |id| registry.get(id).inlined_calls())
        })
        .fold(0u64, u64::saturating_add)
}

/// Inverses are derived only where the primitive takes exactly the abstraction's parameters.
fn ty_arity_matches(prim: &Primitive, arity: usize) -> bool {
    prim.arity == arity && arity > 0
}

/// The body as a DSL expression, parameter `#k` as the variable bound by the k-th of
/// `arity` lambdas put around it.
fn to_expr(
    body: &RecExpr<Lambda>,
    id: Id,
    depth: usize,
    arity: usize,
    registry: &Registry,
) -> Result<Expr, AbstractionError> {
    Ok(match &body[id] {
        Lambda::Param(p) => Expr::Var(depth + arity - 1 - p.0 as usize),
        Lambda::Var(i) => Expr::Var(i.0 as usize),
        Lambda::Lam([b]) => Expr::Lam(Box::new(to_expr(body, *b, depth + 1, arity, registry)?)),
        Lambda::App([f, x]) => Expr::App(
            Box::new(to_expr(body, *f, depth, arity, registry)?),
            Box::new(to_expr(body, *x, depth, arity, registry)?),
        ),
        Lambda::Prim(s) => atom(s.as_str(), registry)?,
    })
}

/// A body atom: a registered primitive or abstraction (`fn_0` or `#fn_0`), or a literal.
fn atom(s: &str, registry: &Registry) -> Result<Expr, AbstractionError> {
    let name = s.strip_prefix('#').unwrap_or(s);
    if let Some(id) = registry.id(name) {
        return Ok(registry.expr_of(id));
    }
    match parse_expr(s) {
        Ok(e @ Expr::Const(_)) => Ok(e),
        _ => Err(AbstractionError::UnknownPrimitive(s.into())),
    }
}

/// The body seen by the inverse derivation.
enum Shape {
    /// Parameter `#k`.
    Param(usize),
    /// A part without parameters: its value, computed once.
    Fixed(Value),
    /// A primitive applied to exactly its arity of arguments, with which of its inputs
    /// must be known to run it backwards: none (an inverse), or each conditional inverse's.
    Call(PrimId, Vec<Shape>, Vec<Vec<usize>>),
    /// Anything else with parameters inside (lambdas, higher-order use): not invertible.
    Opaque,
}

impl Shape {
    fn of(body: &RecExpr<Lambda>, id: Id, registry: &Registry) -> Shape {
        if !has_params(body, id) {
            return match closed_value(body, id, registry) {
                Some(v) => Shape::Fixed(v),
                None => Shape::Opaque,
            };
        }
        if let Lambda::Param(p) = &body[id] {
            return Shape::Param(p.0 as usize);
        }
        let (head, args) = spine(body, id);
        let prim = match &body[head] {
            Lambda::Prim(s) => registry.id(s.as_str().strip_prefix('#').unwrap_or(s.as_str())),
            _ => None,
        };
        match prim {
            Some(p) if registry.get(p).arity == args.len() && !args.is_empty() => {
                let prim = registry.get(p);
                let needs = if prim.inverse.is_some() {
                    vec![Vec::new()]
                } else {
                    prim.cond_inverses.iter().map(|c| c.known.clone()).collect()
                };
                let kids = args.iter().map(|&a| Shape::of(body, a, registry)).collect();
                Shape::Call(p, kids, needs)
            }
            _ => Shape::Opaque,
        }
    }

    /// The parameters inside, as a bit set.
    fn params(&self) -> u32 {
        match self {
            Shape::Param(k) => 1 << k,
            Shape::Call(_, kids, _) => kids.iter().fold(0, |m, k| m | k.params()),
            Shape::Fixed(_) => 0,
            Shape::Opaque => u32::MAX,
        }
    }

    /// Whether, knowing the parameters in `known`, the output determines all the others.
    fn derivable(&self, known: u32) -> bool {
        let all = self.params();
        all != u32::MAX && self.reach(known) | known == all
    }

    /// The parameters the walk from the output assigns, given `known`; `u32::MAX` bits
    /// never appear (an opaque part stops the walk).
    fn reach(&self, known: u32) -> u32 {
        match self {
            Shape::Param(k) => 1 << k,
            Shape::Fixed(_) | Shape::Opaque => 0,
            Shape::Call(_, kids, needs) => {
                let determined = |i: usize| kids[i].params() & !known == 0;
                if !needs.iter().any(|need| need.iter().all(|&i| determined(i))) {
                    return 0;
                }
                (0..kids.len())
                    .filter(|&i| !determined(i))
                    .fold(0, |got, i| got | kids[i].reach(known))
            }
        }
    }
}

fn has_params(body: &RecExpr<Lambda>, id: Id) -> bool {
    match &body[id] {
        Lambda::Param(_) => true,
        Lambda::App([f, x]) => has_params(body, *f) || has_params(body, *x),
        Lambda::Lam([b]) => has_params(body, *b),
        _ => false,
    }
}

fn closed_value(body: &RecExpr<Lambda>, id: Id, registry: &Registry) -> Option<Value> {
    let e = to_expr(body, id, 0, 0, registry).ok()?;
    Evaluator::new(registry).run(&e, &[]).ok()
}

fn descend(
    shape: &Shape,
    registry: &Registry,
    out: &Value,
    values: &mut [Option<Value>],
) -> Result<(), EvalError> {
    match shape {
        Shape::Param(k) => match &values[*k] {
            Some(v) if v != out => Err(EvalError::Domain("a parameter needs two values")),
            _ => {
                values[*k] = Some(out.clone());
                Ok(())
            }
        },
        Shape::Fixed(_) | Shape::Opaque => Ok(()),
        Shape::Call(p, kids, _) => {
            let prim = registry.get(*p);
            let known: Vec<Option<Value>> = kids
                .iter()
                .map(|k| value_of(k, registry, values).ok().flatten())
                .collect();
            let inputs = if let Some(inverse) = &prim.inverse {
                inverse(out)?
            } else {
                let c = prim
                    .cond_inverses
                    .iter()
                    .find(|c| c.known.iter().all(|&s| known[s].is_some()))
                    .ok_or(EvalError::Domain(
                        "this abstraction cannot be inverted here",
                    ))?;
                let given: Vec<Value> = c
                    .known
                    .iter()
                    .map(|&s| known[s].clone().expect("checked"))
                    .collect();
                let missing = (c.apply)(out, &given)?;
                let mut inputs: Vec<Value> = Vec::with_capacity(kids.len());
                let mut rest = missing.into_iter();
                for (slot, k) in known.iter().enumerate() {
                    inputs.push(match k {
                        Some(v) if c.known.contains(&slot) => v.clone(),
                        _ => rest.next().ok_or(EvalError::Domain("short inverse"))?,
                    });
                }
                inputs
            };
            for (kid, v) in kids.iter().zip(&inputs) {
                descend(kid, registry, v, values)?;
            }
            Ok(())
        }
    }
}

/// The value of a part whose parameters are all known, else `None`.
fn value_of(
    shape: &Shape,
    registry: &Registry,
    values: &[Option<Value>],
) -> Result<Option<Value>, EvalError> {
    Ok(match shape {
        Shape::Param(k) => values[*k].clone(),
        Shape::Fixed(v) => Some(v.clone()),
        Shape::Opaque => None,
        Shape::Call(p, kids, _) => {
            let mut args = Vec::with_capacity(kids.len());
            for k in kids {
                match value_of(k, registry, values)? {
                    Some(v) => args.push(v),
                    None => return Ok(None),
                }
            }
            Some((registry.get(*p).forward)(&args)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;

    fn library(lines: &str) -> Library {
        Library::parse(&format!("{}\n{lines}", super::super::LIBRARY_HEADER)).unwrap()
    }

    #[test]
    fn a_chain_of_invertible_primitives_gets_an_inverse() {
        let mut d = DomainKind::TwentyFour.domain();
        let ids = register_library(
            &library("fn_0 arity=1 = (add (mul #0 2/1) 1/1)"),
            &mut d.registry,
        )
        .unwrap();
        let p = d.registry.get(ids[0]);
        assert_eq!(p.ty.to_string(), "(-> rat rat)");
        assert_eq!((p.forward)(&[Value::rat(4, 1)]).unwrap(), Value::rat(9, 1));
        let inverse = p.inverse.as_ref().expect("derived");
        assert_eq!(inverse(&Value::rat(10, 1)).unwrap(), [Value::rat(9, 2)]);
    }

    #[test]
    fn two_parameters_under_one_sum_get_conditional_inverses() {
        let mut d = DomainKind::TwentyFour.domain();
        let ids = register_library(
            &library("fn_0 arity=2 = (mul (add #0 #1) 3/1)"),
            &mut d.registry,
        )
        .unwrap();
        let p = d.registry.get(ids[0]);
        assert!(p.inverse.is_none());
        let known: Vec<Vec<usize>> = p.cond_inverses.iter().map(|c| c.known.clone()).collect();
        assert_eq!(known, [vec![0], vec![1]]);
        // (2 + x) * 3 = 21  =>  x = 5
        assert_eq!(
            (p.cond_inverses[0].apply)(&Value::rat(21, 1), &[Value::rat(2, 1)]).unwrap(),
            [Value::rat(5, 1)]
        );
    }

    #[test]
    fn later_abstractions_invert_through_earlier_ones() {
        let mut d = DomainKind::DoubleAdd.domain();
        let lib = library("fn_0 arity=1 = (double (plus_one #0))\nfn_1 arity=1 = (fn_0 (fn_0 #0))");
        let ids = register_library(&lib, &mut d.registry).unwrap();
        let p = d.registry.get(ids[1]);
        // ((x + 1) * 2 + 1) * 2 = 30  =>  x = 6
        assert_eq!((p.forward)(&[Value::int(6)]).unwrap(), Value::int(30));
        assert_eq!(
            p.inverse.as_ref().unwrap()(&Value::int(30)).unwrap(),
            [Value::int(6)]
        );
        assert!(p.inverse.as_ref().unwrap()(&Value::int(31)).is_err());
    }

    #[test]
    fn a_parameter_used_twice_must_agree() {
        let mut d = DomainKind::TwentyFour.domain();
        let ids = register_library(
            &library("fn_0 arity=1 = (mul #0 (add #0 1/1))"),
            &mut d.registry,
        )
        .unwrap();
        let p = d.registry.get(ids[0]);
        // x * (x + 1) has no inverse by this derivation: each factor needs the other.
        assert!(p.inverse.is_none() && p.cond_inverses.is_empty());
        assert_eq!((p.forward)(&[Value::rat(3, 1)]).unwrap(), Value::rat(12, 1));
    }

    #[test]
    fn a_parameter_the_body_never_uses_is_refused() {
        let mut d = DomainKind::DoubleAdd.domain();
        let err =
            register_library(&library("fn_0 arity=8 = (double #0)"), &mut d.registry).unwrap_err();
        assert_eq!(err.error, AbstractionError::UnusedParameter(1));
    }

    #[test]
    fn unknown_primitives_and_ill_typed_bodies_are_refused() {
        let mut d = DomainKind::TwentyFour.domain();
        let err = register_library(&library("fn_0 arity=1 = (frobnicate #0)"), &mut d.registry)
            .unwrap_err();
        assert_eq!(err.name, "fn_0");
        assert_eq!(
            err.error,
            AbstractionError::UnknownPrimitive("frobnicate".into())
        );
        assert_eq!(err.to_string(), "fn_0: unknown primitive `frobnicate`");
    }
}
