//! Boolean expressions in BIG-Bench-Hard's form: `True`, `False`, `not`, `and`, `or` and
//! parentheses, read with Python's precedence (`not` over `and` over `or`), and their
//! step-by-step reduction for the chain-of-thought trace.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

fn literal(t: &str) -> bool {
    t == "True" || t == "False"
}

fn name(b: bool) -> String {
    if b { "True" } else { "False" }.to_string()
}

/// A random expression of `operands` literals (at least 1).
pub fn random(operands: usize, rng: &mut ChaCha8Rng) -> Vec<String> {
    let mut out = Vec::new();
    grow(operands.max(1), rng, &mut out);
    out
}

fn grow(n: usize, rng: &mut ChaCha8Rng, out: &mut Vec<String>) {
    let wrap = rng.gen_range(0..10);
    let (not, parens) = (wrap < 2, (2..4).contains(&wrap));
    if not {
        out.push("not".into());
    }
    if parens || (not && n > 1) {
        out.push("(".into());
    }
    if n == 1 {
        out.push(name(rng.gen_bool(0.5)));
    } else {
        let left = rng.gen_range(1..n);
        grow(left, rng, out);
        out.push(if rng.gen_bool(0.5) { "and" } else { "or" }.into());
        grow(n - left, rng, out);
    }
    if parens || (not && n > 1) {
        out.push(")".into());
    }
}

/// Where the next reduction applies and how many tokens it replaces: `not L`, then
/// `( L )`, then `L and L`, then `L or L` whose literals no `and` binds tighter; the
/// leftmost of the first kind that occurs.
fn redex(t: &[String]) -> Option<(usize, usize, bool)> {
    let lit = |i: usize| t.get(i).is_some_and(|x| literal(x));
    let is = |i: usize, s: &str| t.get(i).is_some_and(|x| x == s);
    let value = |i: usize| t[i] == "True";
    if let Some(i) = (0..t.len()).find(|&i| is(i, "not") && lit(i + 1)) {
        return Some((i, 2, !value(i + 1)));
    }
    if let Some(i) = (0..t.len()).find(|&i| is(i, "(") && lit(i + 1) && is(i + 2, ")")) {
        return Some((i, 3, value(i + 1)));
    }
    if let Some(i) = (0..t.len()).find(|&i| lit(i) && is(i + 1, "and") && lit(i + 2)) {
        return Some((i, 3, value(i) && value(i + 2)));
    }
    let free = |i: usize| lit(i) && is(i + 1, "or") && lit(i + 2);
    let bound = |i: usize| (i > 0 && is(i - 1, "and")) || is(i + 3, "and");
    (0..t.len())
        .find(|&i| free(i) && !bound(i))
        .map(|i| (i, 3, value(i) || value(i + 2)))
}

/// The expression after each reduction, down to one literal (empty for a literal).
pub fn reductions(expr: &[String]) -> Vec<Vec<String>> {
    let mut steps = Vec::new();
    let mut current = expr.to_vec();
    while current.len() > 1 {
        let Some((at, len, value)) = redex(&current) else {
            break; // not an expression of this grammar
        };
        current.splice(at..at + len, [name(value)]);
        steps.push(current.clone());
    }
    steps
}
