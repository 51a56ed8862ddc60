//! The learner's term language: the lambda calculus of Stitch and DreamCoder, as an egg
//! [`Language`](egg::Language).
//!
//! Programs are curried: `(f a b)` is `(app (app f a) b)`. `(lam body)` (or DreamCoder's
//! `(lambda body)`) binds a de Bruijn variable `$0`; `#i` is the i-th parameter of an
//! abstraction body; every other atom is a primitive.

use std::fmt;
use std::str::FromStr;

use egg::{define_language, Id, Language, RecExpr, Symbol};

use crate::dsl::MAX_PROGRAM_DEPTH;

/// A de Bruijn variable `$i`: bound by the i-th enclosing `lam`, counting outwards from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Index(pub u32);

/// An abstraction parameter `#i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Param(pub u32);

fn numbered(s: &str, sigil: char) -> Result<u32, String> {
    s.strip_prefix(sigil)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("`{s}` is not {sigil}N"))
}

impl FromStr for Index {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        numbered(s, '$').map(Index)
    }
}

impl FromStr for Param {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        numbered(s, '#').map(Param)
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "${}", self.0)
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The language's node type, in a module of its own: egg's `define_language!` writes
/// its variants without doc comments (they are documented on `Lambda`).
#[allow(missing_docs)]
mod language {
    use super::*;

    define_language! {
        /// One node of a learner term: curried application, lambda, de Bruijn variable,
        /// abstraction parameter or primitive.
        pub enum Lambda {
            "app" = App([Id; 2]),
            "lam" = Lam([Id; 1]),
            Var(Index),
            Param(Param),
            Prim(Symbol),
        }
    }
}
pub use language::Lambda;

/// A term that could not be read: what is wrong and where (a byte offset).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at byte {offset}")]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Where, in bytes from the start of the text.
    pub offset: usize,
}

/// Reads one term in Stitch syntax (`lambda` is accepted for `lam`).
///
/// ```
/// use janus::learn::{parse_term, print_term};
/// let t = parse_term("(lambda (+ $0 (f 1 2)))").unwrap();
/// assert_eq!(print_term(&t), "(lam (+ $0 (f 1 2)))");
/// ```
pub fn parse_term(text: &str) -> Result<RecExpr<Lambda>, ParseError> {
    let mut parser = Parser {
        text,
        pos: 0,
        open: 0,
        expr: RecExpr::default(),
    };
    parser.term()?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(parser.error("text after the term"));
    }
    if height(&parser.expr) > MAX_PROGRAM_DEPTH {
        return Err(ParseError {
            message: too_deep(),
            offset: 0,
        });
    }
    Ok(parser.expr)
}

fn too_deep() -> String {
    format!("nested too deeply: terms may be at most {MAX_PROGRAM_DEPTH} deep")
}

/// The height of a term's tree (a leaf is 1), computed without recursion.
pub(crate) fn height(expr: &RecExpr<Lambda>) -> usize {
    let nodes = expr.as_ref();
    let mut heights = vec![1usize; nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        heights[i] = 1 + node
            .children()
            .iter()
            .map(|&c| heights[usize::from(c)])
            .max()
            .unwrap_or(0);
    }
    heights.last().copied().unwrap_or(0)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    /// Lists open around `pos`: bounded, so the descent cannot overflow the stack.
    open: usize,
    expr: RecExpr<Lambda>,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            message: message.to_string(),
            offset: self.pos,
        }
    }

    fn skip_space(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn term(&mut self) -> Result<Id, ParseError> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("unexpected end of text")),
            Some(')') => Err(self.error("unexpected `)`")),
            Some('(') => {
                if self.open >= MAX_PROGRAM_DEPTH {
                    return Err(self.error(&too_deep()));
                }
                self.pos += 1;
                self.open += 1;
                let list = self.list();
                self.open -= 1;
                list
            }
            Some(_) => {
                let atom = self.atom();
                Ok(self.expr.add(leaf(atom)))
            }
        }
    }

    fn atom(&mut self) -> &'a str {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest
            .find(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .unwrap_or(rest.len());
        self.pos += len;
        &self.text[start..start + len]
    }

    /// The inside of a parenthesised list, after its `(`.
    fn list(&mut self) -> Result<Id, ParseError> {
        self.skip_space();
        let start = self.pos;
        let is_lambda = matches!(self.peek(), Some(c) if c != '(' && c != ')')
            && matches!(self.atom(), "lam" | "lambda");
        if is_lambda {
            let body = self.term()?;
            self.close()?;
            return Ok(self.expr.add(Lambda::Lam([body])));
        }
        self.pos = start;
        let mut head = self.term()?;
        let mut args = 0;
        loop {
            self.skip_space();
            if self.peek() == Some(')') {
                self.pos += 1;
                break;
            }
            let arg = self.term()?;
            head = self.expr.add(Lambda::App([head, arg]));
            args += 1;
        }
        if args == 0 {
            return Err(self.error("an application needs at least one argument"));
        }
        Ok(head)
    }

    fn close(&mut self) -> Result<(), ParseError> {
        self.skip_space();
        if self.peek() != Some(')') {
            return Err(self.error("`lam` takes one body; expected `)`"));
        }
        self.pos += 1;
        Ok(())
    }
}

/// The leaf node an atom stands for.
fn leaf(atom: &str) -> Lambda {
    if let Ok(i) = atom.parse::<Index>() {
        Lambda::Var(i)
    } else if let Ok(p) = atom.parse::<Param>() {
        Lambda::Param(p)
    } else {
        Lambda::Prim(Symbol::from(atom))
    }
}

/// The head of the application chain at `id` and its arguments in order: `(f a b)` gives
/// `f` and `[a, b]`.
pub fn spine(expr: &RecExpr<Lambda>, id: Id) -> (Id, Vec<Id>) {
    let mut args = Vec::new();
    let mut head = id;
    while let Lambda::App([f, x]) = &expr[head] {
        args.push(*x);
        head = *f;
    }
    args.reverse();
    (head, args)
}

/// The term with an outer `(lam (f $0))` written `f`, where `f` does not use that
/// variable (eta-reduction), repeatedly: `(lam (rot90 $0))` is `rot90`. A learner then
/// does not take a whole program's eta-expansion for an abstraction.
///
/// ```
/// use janus::learn::{eta_reduced, parse_term, print_term};
/// let t = |s| print_term(&eta_reduced(&parse_term(s).unwrap()));
/// assert_eq!(t("(lam (f (g x) $0))"), "(f (g x))");
/// assert_eq!(t("(lam (f $0 $0))"), "(lam (f $0 $0))");
/// ```
pub fn eta_reduced(term: &RecExpr<Lambda>) -> RecExpr<Lambda> {
    let mut t = term.clone();
    while let Some(f) = eta_body(&t) {
        let mut out = RecExpr::default();
        lower_free(&t, f, 0, &mut out);
        t = out;
    }
    t
}

/// `f` of an outer `(lam (f $0))` whose `f` does not use the lambda's variable.
fn eta_body(t: &RecExpr<Lambda>) -> Option<Id> {
    let Lambda::Lam([body]) = t[t.root()] else {
        return None;
    };
    let Lambda::App([f, x]) = t[body] else {
        return None;
    };
    (t[x] == Lambda::Var(Index(0)) && !uses_var(t, f, 0)).then_some(f)
}

/// Whether subterm `id` uses the variable bound `depth` lambdas out.
fn uses_var(t: &RecExpr<Lambda>, id: Id, depth: u32) -> bool {
    match &t[id] {
        Lambda::Var(Index(v)) => *v == depth,
        Lambda::App([f, x]) => uses_var(t, *f, depth) || uses_var(t, *x, depth),
        Lambda::Lam([b]) => uses_var(t, *b, depth + 1),
        _ => false,
    }
}

/// Copies subterm `id` into `out` with the variables bound outside `depth` lambdas
/// lowered by one (the lambda around them removed).
fn lower_free(t: &RecExpr<Lambda>, id: Id, depth: u32, out: &mut RecExpr<Lambda>) -> Id {
    let node = match &t[id] {
        Lambda::Var(Index(v)) if *v > depth => Lambda::Var(Index(v - 1)),
        Lambda::App([f, x]) => {
            Lambda::App([lower_free(t, *f, depth, out), lower_free(t, *x, depth, out)])
        }
        Lambda::Lam([b]) => Lambda::Lam([lower_free(t, *b, depth + 1, out)]),
        leaf => leaf.clone(),
    };
    out.add(node)
}

/// Writes a term in Stitch syntax, application chains uncurried: `(f a b)`.
pub fn print_term(expr: &RecExpr<Lambda>) -> String {
    let mut out = String::new();
    if !expr.as_ref().is_empty() {
        write_node(expr, expr.root(), &mut out);
    }
    out
}

fn write_node(expr: &RecExpr<Lambda>, id: Id, out: &mut String) {
    match &expr[id] {
        Lambda::Lam([body]) => {
            out.push_str("(lam ");
            write_node(expr, *body, out);
            out.push(')');
        }
        Lambda::App(_) => {
            let (head, args) = spine(expr, id);
            out.push('(');
            write_node(expr, head, out);
            for arg in &args {
                out.push(' ');
                write_node(expr, *arg, out);
            }
            out.push(')');
        }
        Lambda::Var(i) => out.push_str(&i.to_string()),
        Lambda::Param(p) => out.push_str(&p.to_string()),
        Lambda::Prim(s) => out.push_str(s.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applications_are_curried_and_printed_uncurried() {
        let t = parse_term("(f a (g b) c)").unwrap();
        // f, a, (f a), g, b, (g b), (f a (g b)), c, ((f a (g b)) c)
        assert_eq!(t.as_ref().len(), 9);
        assert!(matches!(t[t.root()], Lambda::App(_)));
        assert_eq!(print_term(&t), "(f a (g b) c)");
    }

    #[test]
    fn variables_parameters_and_numbers_are_told_apart() {
        let t = parse_term("(lam (#1 $0 -0.5 $x))").unwrap();
        let leaves: Vec<String> = t
            .as_ref()
            .iter()
            .filter(|n| !matches!(n, Lambda::App(_) | Lambda::Lam(_)))
            .map(|n| format!("{n:?}"))
            .collect();
        assert_eq!(
            leaves,
            [
                "Param(Param(1))",
                "Var(Index(0))",
                "Prim(\"-0.5\")",
                "Prim(\"$x\")"
            ]
        );
    }

    #[test]
    fn an_application_head_may_itself_be_a_term() {
        let t = parse_term("((lam $0) x)").unwrap();
        assert_eq!(print_term(&t), "((lam $0) x)");
    }

    #[test]
    fn malformed_terms_say_where() {
        assert_eq!(
            parse_term("(f a").unwrap_err().message,
            "unexpected end of text"
        );
        assert_eq!(parse_term("(f)").unwrap_err().offset, 3);
        assert!(parse_term("(lam a b)").is_err());
        assert!(parse_term("f)").unwrap_err().message.contains("after"));
        assert!(parse_term("").is_err());
    }
}
