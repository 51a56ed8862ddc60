//! The 24 Game domain: `add`, `sub`, `mul`, `div` over exact rationals, each with the two
//! conditional inverses of the original (output + one input -> the other input).

mod infix;
pub(crate) mod sample;

pub use infix::infix;

use crate::domains::{Domain, DomainKind, GuideHooks, Literals, ValueEncoding};
use crate::dsl::{EvalError, Rational, Registry, Type, Value};
use crate::{given, primitive};

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
            prior_weight: None,
            reinforce: true,
        },
        forward_literals: None,
        composition: None,
        notation: Some(infix),
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

fn quotient(a: &Rational, b: &Rational) -> Result<Rational, EvalError> {
    a.checked_div(b).ok_or(EvalError::DivisionByZero)
}

/// `out = known * x`: x is determined only when `known` is nonzero.
fn solve_product(out: &Rational, known: &Rational) -> Result<Rational, EvalError> {
    if known.is_zero() {
        return Err(EvalError::Domain("0 * x: x is not determined"));
    }
    quotient(out, known)
}

/// The registry of the 24 Game: four operations, eight conditional inverses.
pub fn registry() -> Registry {
    let add = primitive!("add", "x + y", |x: &Rational, y: &Rational| -> Rational {
        Ok(x + y)
    })
    .commutative()
    .given(given!([0], |out: &Rational, x: &Rational| -> Rational {
        Ok(out - x)
    }))
    .given(given!([1], |out: &Rational, y: &Rational| -> Rational {
        Ok(out - y)
    }));
    let sub = primitive!("sub", "x - y", |x: &Rational, y: &Rational| -> Rational {
        Ok(x - y)
    })
    .given(given!([0], |out: &Rational, x: &Rational| -> Rational {
        Ok(x - out)
    }))
    .given(given!([1], |out: &Rational, y: &Rational| -> Rational {
        Ok(out + y)
    }));
    let mul = primitive!("mul", "x * y", |x: &Rational, y: &Rational| -> Rational {
        Ok(x * y)
    })
    .commutative()
    .given(given!([0], |out: &Rational, x: &Rational| -> Rational {
        solve_product(out, x)
    }))
    .given(given!([1], |out: &Rational, y: &Rational| -> Rational {
        solve_product(out, y)
    }));
    let div = primitive!("div", "x / y (y nonzero)", |x: &Rational,
                                                      y: &Rational|
     -> Rational {
        quotient(x, y)
    })
    // a / b = out with a known: b = a / out (with a or out zero, b is undetermined or
    // impossible: a / b is never 0 unless a is).
    .given(given!([0], |out: &Rational, a: &Rational| -> Rational {
        if out.is_zero() || a.is_zero() {
            return Err(EvalError::Domain("a / b = out: no single b"));
        }
        quotient(a, out)
    }))
    // a / b = out with b known: a = out * b, defined only for b != 0.
    .given(given!([1], |out: &Rational, b: &Rational| -> Rational {
        if b.is_zero() {
            return Err(EvalError::DivisionByZero);
        }
        Ok(out * b)
    }));
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
