//! The double-and-add domain: `plus_one` and `double` on integers of any size, with their
//! inverses `x - 1` (for x > 1) and `x / 2` (for even x > 0).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive};

pub(crate) mod sample;

use crate::domains::{Domain, DomainKind, GuideHooks, Literals, ValueEncoding};
use crate::dsl::{EvalError, Registry, Type, Value};
use crate::{inverse, primitive};

/// Double-and-add: reach a target from 2 by adding one and doubling.
pub fn domain() -> Domain {
    Domain {
        kind: DomainKind::DoubleAdd,
        registry: registry(),
        input_type: Type::int(),
        output_type: Type::int(),
        linear: false,
        default_target: None,
        distance: Some(steps_between),
        literals: Literals::none(),
        guide: GuideHooks {
            encoding: ValueEncoding::Binary,
            sampler: sample::sample,
            // The 24 Game's limits (the sampler has no depths, so REINFORCE does not run).
            max_actions: crate::domains::arith::max_actions,
            path_weight: 2.0,
            prior_weight: None,
            reinforce: false,
        },
        forward_literals: None,
        composition: None,
        notation: None,
    }
}

/// The fewest `plus_one`/`double` steps from `from` up to `to` (infinite when `to` is
/// smaller or either is not a positive integer): going down from `to`, halve while the
/// half stays at or above `from`, else subtract one; the remainder is counted at once.
pub fn steps_between(from: &Value, to: &Value) -> f64 {
    let (Some(a), Some(b)) = (from.as_int(), to.as_int()) else {
        return f64::INFINITY;
    };
    if !a.is_positive() || b < a {
        return f64::INFINITY;
    }
    if let (Some(a), Some(b)) = (a.to_u64(), b.to_u64()) {
        return steps_u64(a, b) as f64;
    }
    let mut b = b.clone();
    let mut steps = 0.0;
    loop {
        let half = &b >> 1u32;
        if &half < a {
            return steps + (&b - a).to_f64().unwrap_or(f64::INFINITY);
        }
        steps += if b.is_odd() { 2.0 } else { 1.0 };
        b = half;
    }
}

fn steps_u64(a: u64, mut b: u64) -> u64 {
    let mut steps = 0;
    while b / 2 >= a {
        steps += 1 + (b & 1);
        b /= 2;
    }
    steps + (b - a)
}

/// The registry of double-and-add: two operations, each with its inverse.
pub fn registry() -> Registry {
    let plus_one = primitive!("plus_one", "x + 1", |x: &BigInt| -> BigInt { Ok(x + 1) }).inverse(
        inverse!(|out: &BigInt| -> BigInt {
            if *out <= BigInt::one() {
                return Err(EvalError::Domain(
                    "plus_one_inv: the result must be positive",
                ));
            }
            Ok(out - 1)
        }),
    );
    let double = primitive!("double", "2x", |x: &BigInt| -> BigInt { Ok(x << 1u32) }).inverse(
        inverse!(|out: &BigInt| -> BigInt {
            if !out.is_positive() || out.is_odd() {
                return Err(EvalError::Domain(
                    "double_inv: needs a positive even number",
                ));
            }
            Ok(out >> 1u32)
        }),
    );
    let mut r = Registry::new();
    r.add(plus_one).expect("distinct names");
    r.add(double).expect("distinct names");
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_between_counts_the_shortest_path() {
        let s = |a: i64, b: i64| steps_between(&Value::int(a), &Value::int(b));
        assert_eq!(s(2, 2), 0.0);
        assert_eq!(s(2, 5), 2.0); // 2 -> 4 -> 5
        assert_eq!(s(3, 8), 2.0); // 3 -> 4 -> 8
        assert_eq!(s(2, 7), 3.0); // 2 -> 3 -> 6 -> 7
        assert_eq!(s(5, 3), f64::INFINITY);
        let big = Value::Int((BigInt::from(1) << 100u32) + 1);
        assert_eq!(steps_between(&Value::int(2), &big), 100.0);
    }

    #[test]
    fn inverses_work_far_beyond_u64() {
        let reg = registry();
        let big = Value::Int(BigInt::from(1) << 200u32);
        let halves = (reg.by_name("double").unwrap().inverse.as_ref().unwrap())(&big).unwrap();
        assert_eq!(halves, vec![Value::Int(BigInt::from(1) << 199u32)]);
        let odd = Value::Int((BigInt::from(1) << 200u32) + 1);
        assert!((reg.by_name("double").unwrap().inverse.as_ref().unwrap())(&odd).is_err());
        assert!(
            (reg.by_name("plus_one").unwrap().inverse.as_ref().unwrap())(&Value::int(1)).is_err()
        );
    }
}
