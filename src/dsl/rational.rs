//! Exact rationals that stay on the stack while they fit in 64 bits and grow to
//! arbitrary size when they do not. The representation is canonical (lowest terms,
//! positive denominator, small whenever it fits), so equality and hashing are structural.

use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};
use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

/// An exact rational number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Rational {
    /// Numerator and denominator in lowest terms, denominator > 0.
    Small(i64, i64),
    /// A value that does not fit [`Rational::Small`].
    Big(Arc<BigRational>),
}

impl Rational {
    /// The integer `n`.
    pub fn integer(n: i64) -> Rational {
        Rational::Small(n, 1)
    }

    /// `num / den`, `None` when `den` is zero.
    pub fn new(num: BigInt, den: BigInt) -> Option<Rational> {
        (!den.is_zero()).then(|| Rational::from_big(BigRational::new(num, den)))
    }

    /// From a (reduced) big rational, small when it fits.
    fn from_big(r: BigRational) -> Rational {
        match (r.numer().to_i64(), r.denom().to_i64()) {
            (Some(n), Some(d)) => Rational::Small(n, d),
            _ => Rational::Big(Arc::new(r)),
        }
    }

    /// From a reduced fraction of 128-bit parts (`den` > 0).
    fn from_i128(num: i128, den: i128) -> Rational {
        let g = gcd_u128(num.unsigned_abs(), den.unsigned_abs()) as i128;
        let (n, d) = if g > 1 {
            (num / g, den / g)
        } else {
            (num, den)
        };
        match (i64::try_from(n), i64::try_from(d)) {
            (Ok(n), Ok(d)) => Rational::Small(n, d),
            _ => Rational::Big(Arc::new(BigRational::new_raw(n.into(), d.into()))),
        }
    }

    /// As a big rational.
    fn to_big(&self) -> BigRational {
        match self {
            Rational::Small(n, d) => BigRational::new_raw((*n).into(), (*d).into()),
            Rational::Big(r) => (**r).clone(),
        }
    }

    /// The numerator (lowest terms).
    pub fn numer(&self) -> BigInt {
        match self {
            Rational::Small(n, _) => (*n).into(),
            Rational::Big(r) => r.numer().clone(),
        }
    }

    /// The denominator (lowest terms, positive).
    pub fn denom(&self) -> BigInt {
        match self {
            Rational::Small(_, d) => (*d).into(),
            Rational::Big(r) => r.denom().clone(),
        }
    }

    /// Whether the value is 0.
    pub fn is_zero(&self) -> bool {
        matches!(self, Rational::Small(0, _))
    }

    /// `self / other`, `None` when `other` is zero.
    pub fn checked_div(&self, other: &Rational) -> Option<Rational> {
        if other.is_zero() {
            return None;
        }
        match (self, other) {
            (Rational::Small(a, b), Rational::Small(c, d)) => {
                let (num, den) = (*a as i128 * *d as i128, *b as i128 * *c as i128);
                Some(if den < 0 {
                    Rational::from_i128(-num, -den)
                } else {
                    Rational::from_i128(num, den)
                })
            }
            _ => Some(Rational::from_big(self.to_big() / other.to_big())),
        }
    }

    /// Bits in numerator and denominator (a size measure for limits).
    pub fn bits(&self) -> u64 {
        match self {
            Rational::Small(n, d) => {
                (64 - n.unsigned_abs().leading_zeros() + 64 - d.leading_zeros()) as u64
            }
            Rational::Big(r) => r.numer().bits() + r.denom().bits(),
        }
    }

    /// An approximation as a float.
    pub fn to_f64(&self) -> f64 {
        match self {
            Rational::Small(n, d) => *n as f64 / *d as f64,
            Rational::Big(r) => r.to_f64().unwrap_or(if r.is_negative() {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
        }
    }
}

fn gcd_u128(a: u128, b: u128) -> u128 {
    a.gcd(&b)
}

macro_rules! arith {
    ($trait:ident, $method:ident, $small:expr, $big:expr) => {
        impl $trait<&Rational> for &Rational {
            type Output = Rational;
            fn $method(self, other: &Rational) -> Rational {
                match (self, other) {
                    (Rational::Small(a, b), Rational::Small(c, d)) => {
                        let (num, den) = $small(*a as i128, *b as i128, *c as i128, *d as i128);
                        Rational::from_i128(num, den)
                    }
                    _ => Rational::from_big($big(self.to_big(), other.to_big())),
                }
            }
        }
    };
}

arith!(
    Add,
    add,
    |a, b, c, d| (a * d + c * b, b * d),
    |x: BigRational, y| x + y
);
arith!(
    Sub,
    sub,
    |a, b, c, d| (a * d - c * b, b * d),
    |x: BigRational, y| x - y
);
arith!(
    Mul,
    mul,
    |a, _b: i128, c, _d: i128| (a * c, _b * _d),
    |x: BigRational, y| x * y
);

impl Neg for &Rational {
    type Output = Rational;
    fn neg(self) -> Rational {
        match self {
            Rational::Small(n, d) if *n != i64::MIN => Rational::Small(-n, *d),
            _ => Rational::from_big(-self.to_big()),
        }
    }
}

impl fmt::Display for Rational {
    /// Always `num/den`, so that a rational never reads back as an integer.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rational::Small(n, d) => write!(f, "{n}/{d}"),
            Rational::Big(r) => write!(f, "{}/{}", r.numer(), r.denom()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn small(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into()).unwrap()
    }

    #[test]
    fn arithmetic_is_exact_and_canonical() {
        assert_eq!(&small(1, 2) + &small(1, 3), small(5, 6));
        assert_eq!(&small(3, 4) - &small(3, 4), Rational::integer(0));
        assert_eq!(small(6, -8), Rational::Small(-3, 4));
        assert_eq!(small(1, 3).checked_div(&small(-2, 3)), Some(small(-1, 2)));
        assert_eq!(small(1, 3).checked_div(&Rational::integer(0)), None);
        assert_eq!(small(2, 4).to_string(), "1/2");
    }

    #[test]
    fn overflow_grows_and_shrinks_back() {
        let big = &Rational::integer(i64::MAX) * &Rational::integer(4);
        assert!(matches!(big, Rational::Big(_)));
        let back = big.checked_div(&Rational::integer(4)).unwrap();
        assert_eq!(back, Rational::integer(i64::MAX));
        assert!(matches!(back, Rational::Small(..)));
    }

    proptest! {
        #[test]
        fn agrees_with_big_rationals(a in -1000i64..1000, b in 1i64..1000, c in -1000i64..1000, d in 1i64..1000) {
            let (x, y) = (small(a, b), small(c, d));
            let (bx, by) = (x.to_big(), y.to_big());
            prop_assert_eq!(&x + &y, Rational::from_big(&bx + &by));
            prop_assert_eq!(&x - &y, Rational::from_big(&bx - &by));
            prop_assert_eq!(&x * &y, Rational::from_big(&bx * &by));
            if c != 0 {
                prop_assert_eq!(x.checked_div(&y).unwrap(), Rational::from_big(&bx / &by));
            }
        }
    }
}
