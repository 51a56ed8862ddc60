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
fn infer_in(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::dsl::{parse_expr, Primitive, Value};

    #[test]
    fn infers_programs_over_domain_primitives() {
        let reg = DomainKind::TwentyFour.domain().registry;
        let t = infer(
            &parse_expr("(lam (lam (add $0 (mul $1 2/1))))").unwrap(),
            &reg,
        )
        .unwrap();
        assert_eq!(t.to_string(), "(-> rat rat rat)");
        assert!(
            infer(&parse_expr("(add 1 2/1)").unwrap(), &reg).is_err(),
            "int is not rat"
        );
        assert_eq!(
            infer(&parse_expr("(lam $0)").unwrap(), &reg)
                .unwrap()
                .to_string(),
            "(-> t0 t0)"
        );
    }

    #[test]
    fn polymorphic_primitives_are_instantiated_per_use() {
        let mut reg = Registry::new();
        let a = Type::Var(0);
        let id_ty = Type::arrow(a.clone(), a);
        reg.add(Primitive::new("id", id_ty, |x| Ok(x[0].clone())))
            .unwrap();
        let list_ty = Type::arrows(vec![Type::Var(0)], Type::list(Type::Var(0)));
        reg.add(Primitive::new("single", list_ty, |x| {
            Ok(Value::List(vec![x[0].clone()].into()))
        }))
        .unwrap();
        let e = parse_expr("(single (id (id true)))").unwrap();
        assert_eq!(infer(&e, &reg).unwrap(), Type::list(Type::bool()));
        let e = parse_expr("(lam (single (id $0)))").unwrap();
        assert_eq!(infer(&e, &reg).unwrap().to_string(), "(-> t0 (list t0))");
        assert!(matches!(
            infer(&parse_expr("(lam ($0 $0))").unwrap(), &reg),
            Err(TypeError::Occurs(..))
        ));
        assert!(matches!(
            infer(&parse_expr("(nope 1)").unwrap(), &reg),
            Err(TypeError::UnknownPrimitive(_))
        ));
    }
}
