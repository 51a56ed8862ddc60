//! The double-and-add domain: `plus_one` and `double` on integers of any size, with their
//! inverses `x - 1` (for x > 1) and `x / 2` (for even x > 0).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed};

use crate::dsl::{EvalError, Primitive, Registry, Type, Value};

fn int(v: &Value) -> Result<&BigInt, EvalError> {
    v.as_int().ok_or_else(|| EvalError::Type(format!("expected an integer, got {v}")))
}

/// The registry of double-and-add: two operations, each with its inverse.
pub fn registry() -> Registry {
    let t = Type::arrow(Type::int(), Type::int());
    let plus_one = Primitive::new("plus_one", t.clone(), |a| Ok(Value::Int(int(&a[0])? + 1)))
        .with_inverse(|out| {
            let x = int(out)?;
            if *x <= BigInt::one() {
                return Err(EvalError::Domain(format!("plus_one_inv({x}): result must be positive")));
            }
            Ok(vec![Value::Int(x - 1)])
        });
    let double = Primitive::new("double", t, |a| Ok(Value::Int(int(&a[0])? << 1u32)))
        .with_inverse(|out| {
            let x = int(out)?;
            if !x.is_positive() || x.is_odd() {
                return Err(EvalError::Domain(format!("double_inv({x}): needs a positive even number")));
            }
            Ok(vec![Value::Int(x >> 1u32)])
        });
    let mut r = Registry::new();
    r.add(plus_one).expect("distinct names");
    r.add(double).expect("distinct names");
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverses_work_far_beyond_u64() {
        let reg = registry();
        let big = Value::Int(BigInt::from(1) << 200u32);
        let halves = (reg.by_name("double").unwrap().inverse.as_ref().unwrap())(&big).unwrap();
        assert_eq!(halves, vec![Value::Int(BigInt::from(1) << 199u32)]);
        let odd = Value::Int((BigInt::from(1) << 200u32) + 1);
        assert!((reg.by_name("double").unwrap().inverse.as_ref().unwrap())(&odd).is_err());
        assert!((reg.by_name("plus_one").unwrap().inverse.as_ref().unwrap())(&Value::int(1)).is_err());
    }
}
