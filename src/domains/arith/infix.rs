//! 24 Game programs as the arithmetic people write: `(13-9)*(2+4)`.

use crate::dsl::{Expr, Value};

/// The program as infix arithmetic on one example's `inputs`, with only the parentheses
/// it needs; `None` for a program that is not a tree of `add`, `sub`, `mul`, `div` over
/// its inputs and constants.
///
/// ```
/// use janus::domains::infix;
/// use janus::{parse_expr, Value};
/// let p = parse_expr("(lam (lam (lam (lam (mul (sub $3 $2) (add $1 $0))))))").unwrap();
/// let inputs: Vec<Value> = [13, 9, 2, 4].iter().map(|&n| Value::rat(n, 1)).collect();
/// assert_eq!(infix(&p, &inputs).as_deref(), Some("(13-9)*(2+4)"));
/// ```
pub fn infix(program: &Expr, inputs: &[Value]) -> Option<String> {
    let mut body = program;
    let mut lambdas = 0;
    while let Expr::Lam(b) = body {
        body = b;
        lambdas += 1;
    }
    if lambdas != inputs.len() {
        return None;
    }
    Some(term(body, inputs)?.0)
}

/// Binding strength: a sum 1, a product or quotient 2, a number 3.
type Precedence = u8;

/// The text of `e` and how strongly it binds.
fn term(e: &Expr, inputs: &[Value]) -> Option<(String, Precedence)> {
    match e {
        Expr::Var(i) => number(inputs.get(inputs.len().checked_sub(1 + i)?)?),
        Expr::Const(v) => number(v),
        _ => {
            let (head, args) = e.spine();
            let (Expr::Prim(name), [a, b]) = (head, args.as_slice()) else {
                return None;
            };
            let (op, strength) = match &**name {
                "add" => ('+', 1),
                "sub" => ('-', 1),
                "mul" => ('*', 2),
                "div" => ('/', 2),
                _ => return None,
            };
            let (left, l) = term(a, inputs)?;
            let (right, r) = term(b, inputs)?;
            // `-` and `/` do not associate: a right operand of the same strength keeps
            // its parentheses.
            let wrap_right = r < strength || (r == strength && matches!(op, '-' | '/'));
            Some((
                format!(
                    "{}{op}{}",
                    parenthesised(left, l < strength),
                    parenthesised(right, wrap_right)
                ),
                strength,
            ))
        }
    }
}

/// A number's text (a whole rational as an integer); a fraction or a negative number
/// binds as a quotient or sum does.
fn number(v: &Value) -> Option<(String, Precedence)> {
    let text = match v {
        Value::Rat(r) if r.denom() == 1.into() => r.numer().to_string(),
        Value::Rat(_) | Value::Int(_) => v.to_string(),
        _ => return None,
    };
    let strength = match text.as_str() {
        t if t.starts_with('-') => 1,
        t if t.contains('/') => 2,
        _ => 3,
    };
    Some((text, strength))
}

fn parenthesised(text: String, wrap: bool) -> String {
    if wrap {
        format!("({text})")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::parse_expr;

    fn read(program: &str, inputs: &[i64]) -> Option<String> {
        let inputs: Vec<Value> = inputs.iter().map(|&n| Value::rat(n, 1)).collect();
        infix(&parse_expr(program).unwrap(), &inputs)
    }

    #[test]
    fn only_the_needed_parentheses_are_written() {
        let p = "(lam (lam (lam (lam (div $0 (sub $3 (div $2 $1)))))))";
        assert_eq!(read(p, &[1, 3, 4, 6]).as_deref(), Some("6/(1-3/4)"));
        let p = "(lam (lam (lam (sub (sub $2 $1) $0))))";
        assert_eq!(read(p, &[9, 3, 2]).as_deref(), Some("9-3-2"));
        let p = "(lam (lam (lam (sub $2 (sub $1 $0)))))";
        assert_eq!(read(p, &[9, 3, 2]).as_deref(), Some("9-(3-2)"));
        let p = "(lam (lam (mul $1 3/4)))";
        assert_eq!(
            read(p, &[8, 1]).as_deref(),
            Some("8*3/4"),
            "an input left unused does not matter"
        );
        assert_eq!(
            read("(lam (lam (mul $1 3/4)))", &[8]),
            None,
            "arity differs"
        );
        assert_eq!(read("(lam (mul $0 3/4))", &[8]).as_deref(), Some("8*3/4"));
        assert_eq!(read("(lam (f $0 1))", &[8]), None);
    }
}
