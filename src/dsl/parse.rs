//! The s-expression reader: programs and types, with errors that give line and column.
//!
//! Syntax: `(f a b)` curried application, `(lam body)` (also `lambda`), `$i` de Bruijn
//! variables, `#name` learned abstractions, literals `12`, `-3`, `3/4`, `true`, `false`,
//! `c0`-`c9` (colours), `[12|34]` (grids); `;` starts a comment.

use std::sync::Arc;

use num_bigint::BigInt;

use super::expr::{Expr, MAX_PROGRAM_DEPTH};
use super::grid::Grid;
use super::rational::Rational;
use super::table::Table;
use super::types::Type;
use super::value::Value;

/// A syntax error at a line and column (both from 1).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {col}: {message}")]
pub struct ParseError {
    /// Line of the offending token.
    pub line: usize,
    /// Column of the offending token.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// A malformed literal: text that starts like a number, grid or table and is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LiteralError {
    /// An integer that does not parse.
    #[error("bad integer `{0}`")]
    Integer(String),
    /// A rational `N/D` whose parts do not parse, or whose denominator is zero.
    #[error("bad rational `{text}`: {problem}")]
    Rational {
        /// The literal as written.
        text: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A grid `[ROW|ROW...]` that is not one.
    #[error("bad grid `{text}`: {problem}")]
    Grid {
        /// The literal as written.
        text: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A table `m:KEY=COLOUR,...` that is not one.
    #[error("bad table `{text}`: {problem}")]
    Table {
        /// The literal as written.
        text: String,
        /// What is wrong with it.
        problem: &'static str,
    },
}

/// A read s-expression with the position where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sexp {
    /// An atom.
    Atom(String, Pos),
    /// A parenthesised list.
    List(Vec<Sexp>, Pos),
}

/// A line and column, both from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl Sexp {
    /// Where this s-expression starts.
    pub fn pos(&self) -> Pos {
        match self {
            Sexp::Atom(_, p) | Sexp::List(_, p) => *p,
        }
    }
}

fn error(pos: Pos, message: impl Into<String>) -> ParseError {
    ParseError {
        line: pos.line,
        col: pos.col,
        message: message.into(),
    }
}

/// A list being read: its items so far, each item's height, and where it opened.
struct OpenList {
    items: Vec<Sexp>,
    heights: Vec<usize>,
    start: Pos,
}

impl OpenList {
    fn new(start: Pos) -> OpenList {
        OpenList {
            items: Vec::new(),
            heights: Vec::new(),
            start,
        }
    }

    fn push(&mut self, item: Sexp, height: usize) {
        self.items.push(item);
        self.heights.push(height);
    }

    /// The height of this list read as a program: `(f a b)` is `App(App(f, a), b)`.
    fn height(&self) -> usize {
        let mut heights = self.heights.iter();
        let head = heights.next().copied().unwrap_or(1);
        heights.fold(head, |acc, &h| 1 + acc.max(h))
    }
}

/// Reads every s-expression in `text`, refusing any deeper than [`MAX_PROGRAM_DEPTH`] read
/// as a program (reading is iterative, so depth never overflows the stack).
fn read_sexps(text: &str) -> Result<Vec<Sexp>, ParseError> {
    let mut stack = vec![OpenList::new(Pos { line: 1, col: 1 })];
    let (mut line, mut col) = (1, 1);
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        let pos = Pos { line, col };
        match c {
            '\n' => {
                chars.next();
                line += 1;
                col = 1;
            }
            c if c.is_whitespace() => {
                chars.next();
                col += 1;
            }
            ';' => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            '(' => {
                chars.next();
                col += 1;
                if stack.len() > MAX_PROGRAM_DEPTH {
                    return Err(too_deep(pos));
                }
                stack.push(OpenList::new(pos));
            }
            ')' => {
                chars.next();
                col += 1;
                if stack.len() == 1 {
                    return Err(error(pos, "unexpected `)`"));
                }
                let list = stack.pop().expect("stack has an open list");
                let height = list.height();
                if height > MAX_PROGRAM_DEPTH {
                    return Err(too_deep(list.start));
                }
                let outer = stack.last_mut().expect("outer level");
                outer.push(Sexp::List(list.items, list.start), height);
            }
            _ => {
                let mut atom = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == ';' {
                        break;
                    }
                    atom.push(c);
                    chars.next();
                    col += 1;
                }
                let outer = stack.last_mut().expect("outer level");
                outer.push(Sexp::Atom(atom, pos), 1);
            }
        }
    }
    if stack.len() > 1 {
        let list = stack.pop().expect("open list");
        return Err(error(list.start, "unclosed `(`"));
    }
    Ok(stack.pop().expect("outer level").items)
}

fn too_deep(pos: Pos) -> ParseError {
    error(
        pos,
        format!("nested too deeply: programs may be at most {MAX_PROGRAM_DEPTH} deep"),
    )
}

fn read_one(text: &str, what: &str) -> Result<Sexp, ParseError> {
    let mut all = read_sexps(text)?;
    match all.len() {
        1 => Ok(all.pop().expect("one item")),
        0 => Err(error(
            Pos { line: 1, col: 1 },
            format!("empty input: expected one {what}"),
        )),
        _ => Err(error(
            all[1].pos(),
            format!("expected one {what}, found more"),
        )),
    }
}

/// Parses one program.
pub fn parse_expr(text: &str) -> Result<Expr, ParseError> {
    sexp_to_expr(&read_one(text, "expression")?)
}

/// Turns a read s-expression into a program.
fn sexp_to_expr(s: &Sexp) -> Result<Expr, ParseError> {
    match s {
        Sexp::Atom(a, pos) => atom_to_expr(a, *pos),
        Sexp::List(items, pos) => {
            let Some(head) = items.first() else {
                return Err(error(*pos, "empty application `()`"));
            };
            if let Sexp::Atom(h, _) = head {
                if h == "lam" || h == "lambda" {
                    if items.len() != 2 {
                        return Err(error(*pos, format!("`{h}` takes exactly one body")));
                    }
                    return Ok(Expr::Lam(Box::new(sexp_to_expr(&items[1])?)));
                }
            }
            if items.len() < 2 {
                return Err(error(*pos, "an application needs at least one argument"));
            }
            let f = sexp_to_expr(head)?;
            let args = items[1..]
                .iter()
                .map(sexp_to_expr)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Expr::apply(f, args))
        }
    }
}

fn atom_to_expr(a: &str, pos: Pos) -> Result<Expr, ParseError> {
    if let Some(rest) = a.strip_prefix('$') {
        return rest.parse::<usize>().map(Expr::Var).map_err(|_| {
            error(
                pos,
                format!("bad variable `{a}`: expected `$` and a number"),
            )
        });
    }
    if let Some(rest) = a.strip_prefix('#') {
        if !is_name(rest) {
            return Err(error(pos, format!("bad abstraction name `{a}`")));
        }
        return Ok(Expr::Abstraction(Arc::from(rest)));
    }
    if let Some(v) = parse_literal(a).map_err(|e| error(pos, e.to_string()))? {
        return Ok(Expr::Const(v));
    }
    if !is_name(a) {
        return Err(error(pos, format!("bad name `{a}`")));
    }
    Ok(Expr::Prim(Arc::from(a)))
}

/// Whether `s` can name a primitive or abstraction.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || "_+-*/<>=!?".contains(c))
        && s.chars()
            .all(|c| c.is_alphanumeric() || "_+-*/<>=!?.'".contains(c))
        && parse_literal(s).ok().flatten().is_none()
}

/// A literal value, `Ok(None)` when `a` is not literal syntax, `Err` when it is malformed.
pub fn parse_literal(a: &str) -> Result<Option<Value>, LiteralError> {
    match a {
        "true" => return Ok(Some(Value::Bool(true))),
        "false" => return Ok(Some(Value::Bool(false))),
        _ => {}
    }
    let digits = a.strip_prefix('-').unwrap_or(a);
    if digits.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_number(a).map(Some);
    }
    if let Some(d) = a.strip_prefix('c') {
        if d.len() == 1 && d.as_bytes()[0].is_ascii_digit() {
            return Ok(Some(Value::Colour(d.as_bytes()[0] - b'0')));
        }
    }
    if a.starts_with("m:") {
        return Table::parse(a).map(|t| Some(Value::Table(t)));
    }
    if let Some(body) = a.strip_prefix('[') {
        return parse_grid(a, body).map(|g| Some(Value::Grid(g)));
    }
    Ok(None)
}

/// An integer or a rational `N/D`.
fn parse_number(a: &str) -> Result<Value, LiteralError> {
    let Some((n, d)) = a.split_once('/') else {
        return a
            .parse::<BigInt>()
            .map(Value::Int)
            .map_err(|_| LiteralError::Integer(a.into()));
    };
    let rational = |problem| LiteralError::Rational {
        text: a.into(),
        problem,
    };
    let n: BigInt = n.parse().map_err(|_| rational("not N/D"))?;
    let d: BigInt = d.parse().map_err(|_| rational("not N/D"))?;
    Rational::new(n, d)
        .map(Value::Rat)
        .ok_or_else(|| rational("a zero denominator"))
}

/// A grid literal `[ROW|ROW...]`, `body` being `a` without its `[`.
fn parse_grid(a: &str, body: &str) -> Result<Grid, LiteralError> {
    let grid = |problem: String| LiteralError::Grid {
        text: a.into(),
        problem,
    };
    let body = body
        .strip_suffix(']')
        .ok_or_else(|| grid("missing `]`".into()))?;
    let rows: Vec<Vec<i64>> = body
        .split('|')
        .map(|r| r.bytes().map(|b| b as i64 - b'0' as i64).collect())
        .collect();
    Grid::from_rows(&rows).map_err(|e| grid(e.to_string()))
}

/// Parses one type: `int`, `t0`, `(list int)`, `(-> int int int)`.
pub fn parse_type(text: &str) -> Result<Type, ParseError> {
    sexp_to_type(&read_one(text, "type")?)
}

/// Turns a read s-expression into a type.
fn sexp_to_type(s: &Sexp) -> Result<Type, ParseError> {
    match s {
        Sexp::Atom(a, pos) => {
            if let Some(n) = a.strip_prefix('t').and_then(|n| n.parse::<u32>().ok()) {
                return Ok(Type::Var(n));
            }
            if !is_name(a) {
                return Err(error(*pos, format!("bad type name `{a}`")));
            }
            Ok(Type::con(a))
        }
        Sexp::List(items, pos) => {
            let Some(Sexp::Atom(head, _)) = items.first() else {
                return Err(error(*pos, "a type constructor must start with a name"));
            };
            let args = items[1..]
                .iter()
                .map(sexp_to_type)
                .collect::<Result<Vec<_>, _>>()?;
            if head == super::types::ARROW {
                let Some((ret, params)) = args.split_last() else {
                    return Err(error(*pos, "`->` needs at least one type"));
                };
                if params.is_empty() {
                    return Err(error(*pos, "`->` needs an argument and a result"));
                }
                return Ok(Type::arrows(params.to_vec(), ret.clone()));
            }
            Ok(Type::Con(Arc::from(head.as_str()), args))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lambdas_variables_literals_and_abstractions() {
        let e = parse_expr("(lam (div (sub $0 3/4) (#f c2 [1|2] true -7)))").unwrap();
        assert_eq!(
            e.to_string(),
            "(lam (div (sub $0 3/4) (#f c2 [1|2] true -7)))"
        );
        assert_eq!(
            parse_expr("(lambda $0)").unwrap(),
            Expr::Lam(Box::new(Expr::Var(0)))
        );
    }

    #[test]
    fn errors_give_line_and_column() {
        let err = parse_expr("(add 1\n   (mul 2 $x))").unwrap_err();
        assert_eq!((err.line, err.col), (2, 11));
        assert!(err.message.contains("$x"), "{err}");
        let err = parse_expr("(add 1 2").unwrap_err();
        assert_eq!(
            (err.line, err.col, err.message.as_str()),
            (1, 1, "unclosed `(`")
        );
        let err = parse_expr("(add 1 2))").unwrap_err();
        assert_eq!((err.line, err.col), (1, 10));
        assert!(parse_expr("(f 1/0)")
            .unwrap_err()
            .message
            .contains("zero denominator"));
        assert!(parse_expr("()").is_err());
        assert!(parse_expr("").is_err());
        assert!(parse_expr("(lam)").is_err());
    }

    #[test]
    fn programs_deeper_than_the_limit_are_refused() {
        let nested = |n: usize| "(f ".repeat(n) + "x" + &")".repeat(n);
        assert!(parse_expr(&nested(MAX_PROGRAM_DEPTH - 1)).is_ok());
        let err = parse_expr(&nested(MAX_PROGRAM_DEPTH + 1)).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{err}");
        let err = parse_expr(&nested(1_000_000)).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{err}");
        // A wide call is as deep as its curried applications.
        let wide = format!("(f{})", " 1".repeat(MAX_PROGRAM_DEPTH + 1));
        assert!(parse_expr(&wide).is_err());
        assert!(parse_type(&nested(MAX_PROGRAM_DEPTH + 1)).is_err());
    }

    #[test]
    fn types_parse_and_print_back() {
        for text in [
            "int",
            "t3",
            "(list (list colour))",
            "(-> int (-> t0 t1) (list t0))",
        ] {
            assert_eq!(parse_type(text).unwrap().to_string(), text);
        }
        assert!(parse_type("(->)").is_err());
    }
}
