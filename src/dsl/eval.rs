//! The evaluator: runs programs on values and reports errors instead of panicking.

use std::cell::Cell;
use std::sync::Arc;

use super::expr::Expr;
use super::registry::Registry;
use super::value::{Closure, Value};

/// Why an evaluation (or an inverse) failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// Division (or an inverse that divides) by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// An argument outside the primitive's domain.
    #[error("domain error: {0}")]
    Domain(&'static str),
    /// An argument of the wrong kind of value.
    #[error("type error: {0}")]
    Type(&'static str),
    /// A name the registry does not know.
    #[error("unknown primitive `{0}`")]
    UnknownPrimitive(String),
    /// A variable not bound by an enclosing lambda.
    #[error("unbound variable ${0}")]
    UnboundVariable(usize),
    /// Nesting deeper than the limit.
    #[error("recursion deeper than {0}")]
    DepthLimit(usize),
    /// More evaluation steps than the limit.
    #[error("more than {0} evaluation steps")]
    StepLimit(u64),
    /// A value larger than the limit.
    #[error("value larger than {0} bits")]
    SizeLimit(u64),
}

impl From<super::grid::GridError> for EvalError {
    /// A grid outside 1x1..30x30 (or ragged) as a domain error, without allocating.
    fn from(e: super::grid::GridError) -> Self {
        use super::grid::GridError;
        EvalError::Domain(match e {
            GridError::Empty => "empty grid",
            GridError::TooLarge(..) => "grid larger than 30x30",
            _ => "not a valid grid",
        })
    }
}

/// Bounds that keep an evaluation finite and small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of evaluation calls.
    pub max_depth: usize,
    /// Most evaluation steps (each application or variable lookup is one).
    pub max_steps: u64,
    /// Largest value, in bits (see [`Value::size_bits`]).
    pub max_bits: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 512,
            max_steps: 1_000_000,
            max_bits: 1 << 16,
        }
    }
}

/// Evaluates expressions against a registry within [`Limits`].
pub struct Evaluator<'r> {
    registry: &'r Registry,
    limits: Limits,
    steps: Cell<u64>,
}

impl<'r> Evaluator<'r> {
    /// An evaluator with default limits.
    pub fn new(registry: &'r Registry) -> Self {
        Self::with_limits(registry, Limits::default())
    }

    /// An evaluator with the given limits.
    fn with_limits(registry: &'r Registry, limits: Limits) -> Self {
        Evaluator {
            registry,
            limits,
            steps: Cell::new(0),
        }
    }

    /// Applies a closed program to `inputs` in order: `(program x0 x1 ...)`.
    pub fn run(&self, program: &Expr, inputs: &[Value]) -> Result<Value, EvalError> {
        self.steps.set(0);
        let mut v = self.eval(program, &[], 0)?;
        for x in inputs {
            v = self.apply(v, x.clone(), 0)?;
        }
        Ok(v)
    }

    /// Evaluates `expr` in an environment whose last element is `$0`.
    pub fn eval(&self, expr: &Expr, env: &[Value], depth: usize) -> Result<Value, EvalError> {
        self.tick(depth)?;
        match expr {
            Expr::Var(i) => env
                .len()
                .checked_sub(i + 1)
                .map(|k| env[k].clone())
                .ok_or(EvalError::UnboundVariable(*i)),
            Expr::Const(v) => Ok(v.clone()),
            Expr::Prim(name) | Expr::Abstraction(name) => {
                let id = self
                    .registry
                    .id(name)
                    .ok_or_else(|| EvalError::UnknownPrimitive(name.to_string()))?;
                self.saturate(id, Vec::new())
            }
            Expr::Lam(body) => Ok(Value::Closure(Arc::new(Closure::Lambda {
                body: Arc::new((**body).clone()),
                env: env.to_vec(),
            }))),
            Expr::App(f, x) => {
                let f = self.eval(f, env, depth + 1)?;
                let x = self.eval(x, env, depth + 1)?;
                self.apply(f, x, depth + 1)
            }
        }
    }

    /// Applies a function value to one argument.
    pub fn apply(&self, f: Value, x: Value, depth: usize) -> Result<Value, EvalError> {
        self.tick(depth)?;
        let Value::Closure(c) = f else {
            return Err(EvalError::Type(
                "cannot apply a non-function to an argument",
            ));
        };
        match &*c {
            Closure::Lambda { body, env } => {
                let mut env = env.clone();
                env.push(x);
                self.eval(body, &env, depth + 1)
            }
            Closure::Partial { prim, args } => {
                let mut args = args.clone();
                args.push(x);
                self.saturate(*prim, args)
            }
        }
    }

    /// Calls the primitive once it has all its arguments, else returns a partial application.
    fn saturate(&self, prim: usize, args: Vec<Value>) -> Result<Value, EvalError> {
        let p = self.registry.get(prim);
        if args.len() < p.arity {
            return Ok(Value::Closure(Arc::new(Closure::Partial { prim, args })));
        }
        let out = super::profile::forward(prim, p, &args)?;
        self.check_size(&out)?;
        Ok(out)
    }

    fn check_size(&self, v: &Value) -> Result<(), EvalError> {
        if v.size_bits() > self.limits.max_bits {
            return Err(EvalError::SizeLimit(self.limits.max_bits));
        }
        Ok(())
    }

    fn tick(&self, depth: usize) -> Result<(), EvalError> {
        if depth > self.limits.max_depth {
            return Err(EvalError::DepthLimit(self.limits.max_depth));
        }
        let s = self.steps.get() + 1;
        self.steps.set(s);
        if s > self.limits.max_steps {
            return Err(EvalError::StepLimit(self.limits.max_steps));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::{parse_expr, Primitive, Type};

    fn registry() -> Registry {
        let mut r = Registry::new();
        let int = |v: &Value| v.as_int().cloned().ok_or(EvalError::Type("not an integer"));
        r.add(Primitive::new(
            "inc",
            Type::arrow(Type::int(), Type::int()),
            move |a| Ok(Value::Int(int(&a[0])? + 1)),
        ))
        .unwrap();
        r.add(Primitive::new(
            "square",
            Type::arrow(Type::int(), Type::int()),
            move |a| {
                let x = int(&a[0])?;
                Ok(Value::Int(&x * &x))
            },
        ))
        .unwrap();
        r
    }

    fn run(text: &str, inputs: &[Value]) -> Result<Value, EvalError> {
        let reg = registry();
        let eval = Evaluator::with_limits(
            &reg,
            Limits {
                max_depth: 64,
                max_steps: 10_000,
                max_bits: 256,
            },
        );
        eval.run(&parse_expr(text).unwrap(), inputs)
    }

    #[test]
    fn applies_lambdas_and_partial_primitives() {
        assert_eq!(
            run("(lam (inc (inc $0)))", &[Value::int(3)]),
            Ok(Value::int(5))
        );
        // A lambda returning a partially applied primitive, applied later.
        assert_eq!(run("((lam (lam ($1 $0))) inc 41)", &[]), Ok(Value::int(42)));
        assert_eq!(
            run("(lam (lam $1))", &[Value::int(1), Value::int(2)]),
            Ok(Value::int(1))
        );
    }

    #[test]
    fn errors_are_returned_not_panicked() {
        assert_eq!(
            run("(lam $1)", &[Value::int(0)]),
            Err(EvalError::UnboundVariable(1))
        );
        assert_eq!(
            run("(nope 1)", &[]),
            Err(EvalError::UnknownPrimitive("nope".into()))
        );
        assert!(matches!(run("(inc true)", &[]), Err(EvalError::Type(_))));
        assert!(matches!(run("(3 4)", &[]), Err(EvalError::Type(_))));
        let deep = (0..100).fold("1".to_string(), |acc, _| format!("(inc {acc})"));
        assert_eq!(run(&deep, &[]), Err(EvalError::DepthLimit(64)));
        let huge = (0..10).fold("3".to_string(), |acc, _| format!("(square {acc})"));
        assert_eq!(run(&huge, &[]), Err(EvalError::SizeLimit(256)));
    }

    #[test]
    fn step_limit_stops_long_evaluations() {
        let reg = registry();
        let eval = Evaluator::with_limits(
            &reg,
            Limits {
                max_depth: 1000,
                max_steps: 10,
                max_bits: 256,
            },
        );
        let e = parse_expr("(inc (inc (inc (inc (inc (inc 0))))))").unwrap();
        assert_eq!(eval.run(&e, &[]), Err(EvalError::StepLimit(10)));
    }
}
