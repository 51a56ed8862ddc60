//! Types of the DSL and their unification, Hindley-Milner style as in DreamCoder.
//!
//! A type is a variable or a constructor applied to arguments: `int`, `rat`, `bool`,
//! `colour`, `grid`, `(list t)` and the arrow `(-> a b)`. Primitives carry polymorphic
//! types; [`TypeContext`] instantiates them with fresh variables and unifies.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A DSL type: a type variable or a constructor with arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// A type variable, numbered.
    Var(u32),
    /// A constructor (`int`, `list`, `->`, ...) applied to its arguments.
    Con(Arc<str>, Vec<Type>),
}

/// The name of the arrow constructor.
pub const ARROW: &str = "->";

/// Why two types do not unify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypeError {
    /// Two constructors differ, or differ in arity.
    #[error("type mismatch: {0} vs {1}")]
    Mismatch(Type, Type),
    /// A variable would have to contain itself.
    #[error("infinite type: t{0} occurs in {1}")]
    Occurs(u32, Type),
    /// An expression names a primitive the registry does not know.
    #[error("unknown primitive `{0}`")]
    UnknownPrimitive(String),
    /// A de Bruijn variable points past the enclosing lambdas.
    #[error("unbound variable ${0}")]
    UnboundVariable(usize),
}

impl Type {
    /// A constructor without arguments, such as `int`.
    pub fn con(name: &str) -> Type {
        Type::Con(Arc::from(name), Vec::new())
    }
    /// Arbitrary-size integers.
    pub fn int() -> Type {
        Type::con("int")
    }
    /// Exact rationals.
    pub fn rat() -> Type {
        Type::con("rat")
    }
    /// Booleans.
    pub fn bool() -> Type {
        Type::con("bool")
    }
    /// ARC colours 0-9.
    pub fn colour() -> Type {
        Type::con("colour")
    }
    /// ARC grids.
    pub fn grid() -> Type {
        Type::con("grid")
    }
    /// Tables: partial maps from small keys to colours.
    pub fn table() -> Type {
        Type::con("table")
    }
    /// Lists of `elem`.
    pub fn list(elem: Type) -> Type {
        Type::Con(Arc::from("list"), vec![elem])
    }
    /// The function type `arg -> ret`.
    pub fn arrow(arg: Type, ret: Type) -> Type {
        Type::Con(Arc::from(ARROW), vec![arg, ret])
    }
    /// The curried function type `a1 -> a2 -> ... -> ret`.
    pub fn arrows(args: Vec<Type>, ret: Type) -> Type {
        args.into_iter()
            .rev()
            .fold(ret, |acc, a| Type::arrow(a, acc))
    }

    /// `Some((arg, ret))` when this is an arrow type.
    pub fn as_arrow(&self) -> Option<(&Type, &Type)> {
        match self {
            Type::Con(name, args) if &**name == ARROW && args.len() == 2 => {
                Some((&args[0], &args[1]))
            }
            _ => None,
        }
    }

    /// The argument types of a curried function type, in order.
    pub fn arguments(&self) -> Vec<&Type> {
        let mut out = Vec::new();
        let mut t = self;
        while let Some((a, r)) = t.as_arrow() {
            out.push(a);
            t = r;
        }
        out
    }

    /// The type left after all arguments are applied.
    pub fn returns(&self) -> &Type {
        let mut t = self;
        while let Some((_, r)) = t.as_arrow() {
            t = r;
        }
        t
    }

    /// The number of curried arguments.
    pub fn arity(&self) -> usize {
        self.arguments().len()
    }

    /// Whether the type contains no variables.
    fn is_monomorphic(&self) -> bool {
        match self {
            Type::Var(_) => false,
            Type::Con(_, args) => args.iter().all(Type::is_monomorphic),
        }
    }

    fn occurs(&self, v: u32) -> bool {
        match self {
            Type::Var(w) => *w == v,
            Type::Con(_, args) => args.iter().any(|a| a.occurs(v)),
        }
    }

    fn max_var(&self) -> Option<u32> {
        match self {
            Type::Var(v) => Some(*v),
            Type::Con(_, args) => args.iter().filter_map(Type::max_var).max(),
        }
    }

    /// The same type with variables renumbered t0, t1, ... in order of appearance.
    pub fn canonical(&self) -> Type {
        fn go(t: &Type, map: &mut HashMap<u32, u32>) -> Type {
            match t {
                Type::Var(v) => {
                    let n = map.len() as u32;
                    Type::Var(*map.entry(*v).or_insert(n))
                }
                Type::Con(name, args) => {
                    Type::Con(name.clone(), args.iter().map(|a| go(a, map)).collect())
                }
            }
        }
        go(self, &mut HashMap::new())
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Var(v) => write!(f, "t{v}"),
            Type::Con(name, args) if args.is_empty() => write!(f, "{name}"),
            Type::Con(name, _) if &**name == ARROW => {
                write!(f, "(->")?;
                let mut t = self;
                while let Some((a, r)) = t.as_arrow() {
                    write!(f, " {a}")?;
                    t = r;
                }
                write!(f, " {t})")
            }
            Type::Con(name, args) => {
                write!(f, "({name}")?;
                for a in args {
                    write!(f, " {a}")?;
                }
                write!(f, ")")
            }
        }
    }
}

/// A substitution of type variables plus a supply of fresh ones.
#[derive(Clone, Debug, Default)]
pub struct TypeContext {
    next: u32,
    subst: HashMap<u32, Type>,
}

impl TypeContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// A variable not used before in this context.
    pub fn fresh(&mut self) -> Type {
        self.next += 1;
        Type::Var(self.next - 1)
    }

    /// A copy of `t` whose variables are all fresh (instantiating a polymorphic type).
    pub fn instantiate(&mut self, t: &Type) -> Type {
        let Some(max) = t.max_var() else {
            return t.clone();
        };
        let base = self.next;
        self.next += max + 1;
        fn shift(t: &Type, base: u32) -> Type {
            match t {
                Type::Var(v) => Type::Var(v + base),
                Type::Con(n, args) => {
                    Type::Con(n.clone(), args.iter().map(|a| shift(a, base)).collect())
                }
            }
        }
        shift(t, base)
    }

    /// `t` with the substitution applied throughout.
    pub fn apply(&self, t: &Type) -> Type {
        match t {
            Type::Var(v) => match self.subst.get(v) {
                Some(bound) => self.apply(bound),
                None => t.clone(),
            },
            Type::Con(n, args) => {
                Type::Con(n.clone(), args.iter().map(|a| self.apply(a)).collect())
            }
        }
    }

    /// Extends the substitution so that `a` and `b` become equal.
    pub fn unify(&mut self, a: &Type, b: &Type) -> Result<(), TypeError> {
        let a = self.apply(a);
        let b = self.apply(b);
        match (&a, &b) {
            (Type::Var(x), Type::Var(y)) if x == y => Ok(()),
            (Type::Var(x), t) | (t, Type::Var(x)) => {
                if t.occurs(*x) {
                    return Err(TypeError::Occurs(*x, t.clone()));
                }
                self.subst.insert(*x, t.clone());
                Ok(())
            }
            (Type::Con(n1, a1), Type::Con(n2, a2)) => {
                if n1 != n2 || a1.len() != a2.len() {
                    return Err(TypeError::Mismatch(a.clone(), b.clone()));
                }
                for (x, y) in a1.iter().zip(a2) {
                    self.unify(x, y)?;
                }
                Ok(())
            }
        }
    }
}

/// Whether a value of type `actual` can fill a slot of (possibly polymorphic) type `expected`.
pub fn fits(expected: &Type, actual: &Type) -> bool {
    if expected.is_monomorphic() {
        return expected == actual;
    }
    let mut ctx = TypeContext::new();
    let e = ctx.instantiate(expected);
    let a = ctx.instantiate(actual);
    ctx.unify(&e, &a).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_are_curried_and_printed_flat() {
        let t = Type::arrows(vec![Type::int(), Type::list(Type::int())], Type::bool());
        assert_eq!(t.to_string(), "(-> int (list int) bool)");
        assert_eq!(t.arity(), 2);
        assert_eq!(t.returns(), &Type::bool());
    }

    #[test]
    fn unification_binds_variables_through_constructors() {
        let mut ctx = TypeContext::new();
        let a = ctx.fresh();
        let list_a = Type::list(a.clone());
        ctx.unify(&list_a, &Type::list(Type::grid())).unwrap();
        assert_eq!(ctx.apply(&a), Type::grid());
        assert!(ctx.unify(&a, &Type::int()).is_err());
    }

    #[test]
    fn occurs_check_rejects_infinite_types() {
        let mut ctx = TypeContext::new();
        let a = ctx.fresh();
        let err = ctx.unify(&a, &Type::list(a.clone())).unwrap_err();
        assert!(matches!(err, TypeError::Occurs(..)));
    }

    #[test]
    fn fits_accepts_instances_of_polymorphic_slots() {
        assert!(fits(&Type::list(Type::Var(0)), &Type::list(Type::int())));
        assert!(!fits(&Type::list(Type::Var(0)), &Type::int()));
        assert!(fits(&Type::int(), &Type::int()));
        assert!(!fits(&Type::int(), &Type::rat()));
    }
}
