//! Type inference for expressions (Hindley-Milner without let-polymorphism).

use super::expr::Expr;
use super::registry::Registry;
use super::types::{Type, TypeContext, TypeError};

/// The most general type of a closed expression, with variables renumbered from t0.
pub fn infer(expr: &Expr, registry: &Registry) -> Result<Type, TypeError> {
    let mut ctx = TypeContext::new();
    let t = infer_in(expr, registry, &mut ctx, &mut Vec::new())?;
    Ok(ctx.apply(&t).canonical())
}

/// Infers `expr`'s type in `ctx` with `env` holding the types of the bound variables
/// (`$0` last).
pub fn infer_in(
    expr: &Expr,
    registry: &Registry,
    ctx: &mut TypeContext,
    env: &mut Vec<Type>,
) -> Result<Type, TypeError> {
    match expr {
        Expr::Var(i) => env
            .len()
            .checked_sub(i + 1)
            .map(|k| env[k].clone())
            .ok_or(TypeError::UnboundVariable(*i)),
        Expr::Const(v) => Ok(ctx.instantiate(&v.type_of())),
        Expr::Prim(name) | Expr::Abstraction(name) => {
            let p = registry
                .by_name(name)
                .ok_or_else(|| TypeError::UnknownPrimitive(name.to_string()))?;
            Ok(ctx.instantiate(&p.ty))
        }
        Expr::App(f, x) => {
            let tf = infer_in(f, registry, ctx, env)?;
            let tx = infer_in(x, registry, ctx, env)?;
            let ret = ctx.fresh();
            ctx.unify(&tf, &Type::arrow(tx, ret.clone()))?;
            Ok(ctx.apply(&ret))
        }
        Expr::Lam(body) => {
            let arg = ctx.fresh();
            env.push(arg.clone());
            let tb = infer_in(body, registry, ctx, env);
            env.pop();
            Ok(Type::arrow(ctx.apply(&arg), tb?))
        }
    }
}
