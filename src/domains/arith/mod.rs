//! The 24 Game domain: `add`, `sub`, `mul`, `div` over exact rationals, each with the two
//! conditional inverses of the original (output + one input -> the other input).

pub mod sample;

use crate::domains::{Domain, DomainKind, GuideHooks, Literals, ValueEncoding};
use crate::dsl::{EvalError, Primitive, Rational, Registry, Type, Value};

/// The 24 Game: four numbers, each used once, make 24 (the default target).
pub fn domain() -> Domain {
    Domain {
        kind: DomainKind::TwentyFour,
        registry: registry(),
        input_type: Type::rat(),
        output_type: Type::rat(),
        linear: true,
        default_target: Some(Value::rat(24, 1)),
        distance: None,
        literals: Literals::none(),
        guide: GuideHooks {
            encoding: ValueEncoding::Rational,
            sampler: sample::sample,
            max_actions,
            // Chosen among 1, 2, 3, 4, 6, 8 and 16 on 300 "make 30" puzzles
            // (`tasks/24game/make30-300.json`, not the 24 Game benchmark): fewest median
            // expansions, then fewest mean expansions.
            path_weight: 16.0,
            reinforce: true,
        },
    }
}

/// The original's action limit for a random 24 Game task of `depth` operations.
pub fn max_actions(depth: usize) -> usize {
    if depth <= 1 {
        1
    } else {
        depth + 2
    }
}

fn rat(v: &Value) -> Result<&Rational, EvalError> {
    v.as_rat()
        .ok_or_else(|| EvalError::Type(format!("expected a rational, got {v}")))
}

fn binary(args: &[Value]) -> Result<(&Rational, &Rational), EvalError> {
    Ok((rat(&args[0])?, rat(&args[1])?))
}

fn quotient(a: &Rational, b: &Rational) -> Result<Value, EvalError> {
    a.checked_div(b)
        .map(Value::Rat)
        .ok_or(EvalError::DivisionByZero)
}

/// `out = known * x`: x is determined only when `known` is nonzero.
fn solve_product(out: &Rational, known: &Rational) -> Result<Vec<Value>, EvalError> {
    if known.is_zero() {
        return Err(EvalError::Domain("0 * x: x is not determined".into()));
    }
    Ok(vec![quotient(out, known)?])
}

/// The registry of the 24 Game: four operations, eight conditional inverses.
pub fn registry() -> Registry {
    let t = Type::arrows(vec![Type::rat(), Type::rat()], Type::rat());
    let add = Primitive::new("add", t.clone(), |a| {
        let (x, y) = binary(a)?;
        Ok(Value::Rat(x + y))
    })
    .commutative()
    .with_cond_inverse(&[0], |out, k| Ok(vec![Value::Rat(rat(out)? - rat(&k[0])?)]))
    .with_cond_inverse(&[1], |out, k| Ok(vec![Value::Rat(rat(out)? - rat(&k[0])?)]));
    let sub = Primitive::new("sub", t.clone(), |a| {
        let (x, y) = binary(a)?;
        Ok(Value::Rat(x - y))
    })
    .with_cond_inverse(&[0], |out, k| Ok(vec![Value::Rat(rat(&k[0])? - rat(out)?)]))
    .with_cond_inverse(&[1], |out, k| Ok(vec![Value::Rat(rat(out)? + rat(&k[0])?)]));
    let mul = Primitive::new("mul", t.clone(), |a| {
        let (x, y) = binary(a)?;
        Ok(Value::Rat(x * y))
    })
    .commutative()
    .with_cond_inverse(&[0], |out, k| solve_product(rat(out)?, rat(&k[0])?))
    .with_cond_inverse(&[1], |out, k| solve_product(rat(out)?, rat(&k[0])?));
    let div = Primitive::new("div", t, |a| {
        let (x, y) = binary(a)?;
        quotient(x, y)
    })
    // a / b = out with a known: b = a / out (with a or out zero, b is undetermined or
    // impossible: a / b is never 0 unless a is).
    .with_cond_inverse(&[0], |out, k| {
        let (out, a) = (rat(out)?, rat(&k[0])?);
        if out.is_zero() || a.is_zero() {
            return Err(EvalError::Domain(format!("{a} / b = {out}: no single b")));
        }
        Ok(vec![quotient(a, out)?])
    })
    // a / b = out with b known: a = out * b, defined only for b != 0.
    .with_cond_inverse(&[1], |out, k| {
        let b = rat(&k[0])?;
        if b.is_zero() {
            return Err(EvalError::DivisionByZero);
        }
        Ok(vec![Value::Rat(rat(out)? * b)])
    });
    let mut r = Registry::new();
    for p in [add, sub, mul, div] {
        r.add(p).expect("24 Game primitives have distinct names");
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::{parse_expr, Evaluator};

    #[test]
    fn six_over_one_minus_three_quarters_is_24() {
        let reg = registry();
        let p = parse_expr("(lam (lam (lam (lam (div $0 (sub $3 (div $2 $1)))))))").unwrap();
        let inputs = [1, 3, 4, 6].map(|n| Value::rat(n, 1));
        assert_eq!(
            Evaluator::new(&reg).run(&p, &inputs).unwrap(),
            Value::rat(24, 1)
        );
    }

    #[test]
    fn division_by_zero_is_an_error() {
        let reg = registry();
        let p = parse_expr("(div 1/1 (sub 2/1 2/1))").unwrap();
        assert_eq!(
            Evaluator::new(&reg).run(&p, &[]),
            Err(EvalError::DivisionByZero)
        );
    }
}
