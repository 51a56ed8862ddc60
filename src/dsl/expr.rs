//! Program expressions: primitives, learned abstractions, constants, de Bruijn variables,
//! curried application and lambda.

use std::fmt;
use std::sync::Arc;

use super::value::Value;

/// The deepest program the readers accept: the height of its curried tree, counting each
/// application node (`(f a b)` is two deep above `f`) and each lambda.
///
/// Evaluation, type inference and printing recurse over a program, so the readers refuse
/// deeper input with an error rather than let it overflow the stack. Programs people and
/// the search write are a few dozen deep.
pub const MAX_PROGRAM_DEPTH: usize = 1000;

/// A DSL program or sub-program.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// A de Bruijn variable: `$0` is bound by the innermost lambda.
    Var(usize),
    /// A built-in primitive, by name.
    Prim(Arc<str>),
    /// A learned abstraction, by name (written `#name`).
    Abstraction(Arc<str>),
    /// A literal value.
    Const(Value),
    /// Curried application `(f x)`.
    App(Box<Expr>, Box<Expr>),
    /// `(lam body)`.
    Lam(Box<Expr>),
}

impl Expr {
    /// The primitive named `name`.
    pub fn prim(name: &str) -> Expr {
        Expr::Prim(Arc::from(name))
    }

    /// `(f a1 a2 ...)` as nested curried applications.
    pub fn apply(f: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
        args.into_iter()
            .fold(f, |acc, a| Expr::App(Box::new(acc), Box::new(a)))
    }

    /// `(lam (lam ... body))` with `n` lambdas.
    pub fn lambdas(n: usize, body: Expr) -> Expr {
        (0..n).fold(body, |acc, _| Expr::Lam(Box::new(acc)))
    }

    /// The head of an application chain and its arguments in order.
    pub fn spine(&self) -> (&Expr, Vec<&Expr>) {
        let mut args = Vec::new();
        let mut e = self;
        while let Expr::App(f, x) = e {
            args.push(&**x);
            e = f;
        }
        args.reverse();
        (e, args)
    }

    /// Number of nodes (AstSize: 1 per primitive, variable, constant, application, lambda).
    pub fn size(&self) -> usize {
        match self {
            Expr::App(f, x) => 1 + f.size() + x.size(),
            Expr::Lam(b) => 1 + b.size(),
            _ => 1,
        }
    }

    /// Number of primitive and abstraction occurrences (the "steps" of a program).
    pub fn primitive_count(&self) -> usize {
        match self {
            Expr::App(f, x) => f.primitive_count() + x.primitive_count(),
            Expr::Lam(b) => b.primitive_count(),
            Expr::Prim(_) | Expr::Abstraction(_) => 1,
            _ => 0,
        }
    }

    /// How often each variable free at this level occurs: `counts[i]` for `$i`.
    pub fn free_var_counts(&self, counts: &mut Vec<usize>) {
        fn go(e: &Expr, depth: usize, counts: &mut Vec<usize>) {
            match e {
                Expr::Var(i) if *i >= depth => {
                    let k = i - depth;
                    if counts.len() <= k {
                        counts.resize(k + 1, 0);
                    }
                    counts[k] += 1;
                }
                Expr::App(f, x) => {
                    go(f, depth, counts);
                    go(x, depth, counts);
                }
                Expr::Lam(b) => go(b, depth + 1, counts),
                _ => {}
            }
        }
        go(self, 0, counts)
    }
}

impl fmt::Display for Expr {
    /// The s-expression syntax that [`crate::dsl::parse_expr`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Var(i) => write!(f, "${i}"),
            Expr::Prim(name) => write!(f, "{name}"),
            Expr::Abstraction(name) => write!(f, "#{name}"),
            Expr::Const(v) => write!(f, "{v}"),
            Expr::Lam(b) => write!(f, "(lam {b})"),
            Expr::App(..) => {
                let (head, args) = self.spine();
                write!(f, "({head}")?;
                for a in args {
                    write!(f, " {a}")?;
                }
                write!(f, ")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_prints_flat_and_measures() {
        let e = Expr::lambdas(
            2,
            Expr::apply(
                Expr::prim("add"),
                [Expr::Var(1), Expr::Const(Value::int(3))],
            ),
        );
        assert_eq!(e.to_string(), "(lam (lam (add $1 3)))");
        assert_eq!(e.size(), 7);
        assert_eq!(e.primitive_count(), 1);
        let (head, args) = match &e {
            Expr::Lam(b) => match &**b {
                Expr::Lam(b) => b.spine(),
                _ => unreachable!(),
            },
            _ => unreachable!(),
        };
        assert_eq!(head, &Expr::prim("add"));
        assert_eq!(args.len(), 2);
    }

    #[test]
    fn free_variables_are_counted_outside_binders() {
        let e = Expr::apply(
            Expr::prim("f"),
            [
                Expr::Var(0),
                Expr::Lam(Box::new(Expr::Var(1))),
                Expr::Var(2),
            ],
        );
        let mut counts = Vec::new();
        e.free_var_counts(&mut counts);
        assert_eq!(counts, vec![2, 0, 1]);
    }
}
