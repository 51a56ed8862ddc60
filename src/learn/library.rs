//! Learned abstractions and the library file that holds them.
//!
//! A library file is text, one abstraction per line after a header:
//!
//! ```text
//! ;; janus library 1
//! ;; source: janus learn solutions.jsonl (500 programs in 500 tasks), arity 2, 10 iterations
//! fn_0 arity=1 uses=3084 utility=622665 type=(-> int int) = (double (plus_one (double #0)))
//! ```
//!
//! Bodies use `#i` for the parameters and may use earlier abstractions by name. `type=` is
//! present when the corpus's domain was known (its primitives' types).
//! `;;` lines are comments, except the `;; source:` line, which says what the library was
//! learned from, and `;; base: FILE` lines, which name the libraries it builds on (a path
//! relative to the library file's folder): its bodies and the programs written with it
//! may use their abstractions, and [`Library::load`] loads them first.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use egg::{Id, RecExpr, Symbol};

use super::primitives::MAX_ARITY;
use super::term::{parse_term, print_term, spine, Index, Lambda};

/// The first line of every library file; the number is the format version.
pub const LIBRARY_HEADER: &str = ";; janus library 1";

/// One learned abstraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Abstraction {
    /// Its name, a new primitive of the corpus (`fn_0`, ...).
    pub name: String,
    /// Its number of parameters.
    pub arity: usize,
    /// Its body, parameters written `#0 .. #(arity-1)`.
    pub body: RecExpr<Lambda>,
    /// How often the rewritten corpus uses it (when learned).
    pub uses: i64,
    /// The search's utility: corpus cost saved minus the body's cost (when learned).
    pub utility: i64,
    /// Its type over a janus domain's primitives, when known.
    pub ty: Option<String>,
}

/// An ordered list of abstractions: each body may use those before it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// The abstractions, in the order they were learned.
    pub abstractions: Vec<Abstraction>,
    /// What the library was learned from (the `;; source:` line).
    pub source: String,
    /// The libraries it builds on (`;; base:` lines), as written: relative to its folder.
    pub bases: Vec<String>,
}

impl Abstraction {
    /// The abstraction with the lambdas around its body made parameters: `(lam (f $0 #0))`
    /// of arity 1 becomes `(f #1 #0)` of arity 2. It computes the same function, and a
    /// primitive made from it can have an inverse, which one returning a function cannot.
    ///
    /// ```
    /// use janus::learn::{parse_term, print_term, Abstraction};
    /// let a = Abstraction {
    ///     name: "fn_0".into(), arity: 0, body: parse_term("(lam (rot90 (vflip $0)))").unwrap(),
    ///     uses: 2, utility: 1, ty: None,
    /// };
    /// let b = a.uncurried();
    /// assert_eq!((b.arity, print_term(&b.body)), (1, "(rot90 (vflip #0))".to_string()));
    /// assert_eq!(b.alias_of(), None);
    /// let swapped = Abstraction { arity: 2, body: parse_term("(overlay #1 #0)").unwrap(), ..b };
    /// assert_eq!(swapped.alias_of().unwrap().as_str(), "overlay");
    /// ```
    pub fn uncurried(&self) -> Abstraction {
        let mut body = self.body.clone();
        let mut arity = self.arity;
        while let Lambda::Lam([inner]) = body[body.root()] {
            let mut out = RecExpr::default();
            bind_to_param(&body, inner, 0, arity as u32, &mut out);
            body = out;
            arity += 1;
        }
        Abstraction {
            arity,
            body,
            ..self.clone()
        }
    }

    /// The primitive this abstraction only renames, when its body is one applied to its
    /// parameters, each once, in any order (`(f #0 #1)`, `(f #1 #0)`).
    pub fn alias_of(&self) -> Option<Symbol> {
        let (head, args) = spine(&self.body, self.body.root());
        let mut seen = vec![false; self.arity];
        let each_once = args.len() == self.arity
            && args.iter().all(|&a| match self.body[a] {
                Lambda::Param(p) => !std::mem::replace(&mut seen[p.0 as usize], true),
                _ => false,
            });
        match &self.body[head] {
            Lambda::Prim(p) if each_once => Some(*p),
            _ => None,
        }
    }
}

/// Copies subterm `id` (under `depth` lambdas inside the one removed) into `out`, the
/// removed lambda's variable made parameter `#param` and the variables bound outside it
/// lowered by one.
fn bind_to_param(
    term: &RecExpr<Lambda>,
    id: Id,
    depth: u32,
    param: u32,
    out: &mut RecExpr<Lambda>,
) -> Id {
    let node = match &term[id] {
        Lambda::Var(Index(v)) if *v == depth => Lambda::Param(super::term::Param(param)),
        Lambda::Var(Index(v)) if *v > depth => Lambda::Var(Index(v - 1)),
        Lambda::App([f, x]) => Lambda::App([
            bind_to_param(term, *f, depth, param, out),
            bind_to_param(term, *x, depth, param, out),
        ]),
        Lambda::Lam([b]) => Lambda::Lam([bind_to_param(term, *b, depth + 1, param, out)]),
        leaf => leaf.clone(),
    };
    out.add(node)
}

/// A library file that cannot be loaded with its bases, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadLibraryError {
    /// The file cannot be read.
    #[error("{}: cannot read: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not a library.
    #[error("{}: {error}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and why.
        error: LibraryError,
    },
    /// A base it names is not there.
    #[error("{}: its base library {} is missing", path.display(), base.display())]
    MissingBase {
        /// The library that names the base.
        path: PathBuf,
        /// The base, resolved against the library's folder.
        base: PathBuf,
    },
    /// Two libraries define one name differently.
    #[error("{}: `{name}` is already defined by another library, with another body", path.display())]
    Clash {
        /// The library whose definition clashes.
        path: PathBuf,
        /// The name.
        name: String,
    },
    /// Bases nest deeper than [`MAX_BASE_DEPTH`] (a cycle, most likely).
    #[error("{}: bases nest more than {MAX_BASE_DEPTH} deep (a library that builds on itself?)", path.display())]
    TooDeep {
        /// The library at the limit.
        path: PathBuf,
    },
}

/// How deep `;; base:` lines may nest.
pub const MAX_BASE_DEPTH: usize = 64;

/// A library file that could not be read: the line and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LibraryError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Library {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "{LIBRARY_HEADER}")?;
        if !self.source.is_empty() {
            writeln!(f, ";; source: {}", self.source)?;
        }
        for base in &self.bases {
            writeln!(f, ";; base: {base}")?;
        }
        for a in &self.abstractions {
            write!(
                f,
                "{} arity={} uses={} utility={}",
                a.name, a.arity, a.uses, a.utility
            )?;
            if let Some(ty) = &a.ty {
                write!(f, " type={ty}")?;
            }
            writeln!(f, " = {}", print_term(&a.body))?;
        }
        Ok(())
    }
}

impl Library {
    /// Reads a library file's text (the inverse of `Display`).
    pub fn parse(text: &str) -> Result<Library, LibraryError> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, first)) if first.trim() == LIBRARY_HEADER => {}
            _ => {
                return Err(LibraryError {
                    line: 1,
                    message: format!(
                        "not a janus library (the first line must be `{LIBRARY_HEADER}`)"
                    ),
                })
            }
        }
        let mut library = Library::default();
        for (i, line) in lines {
            let line = line.trim();
            if let Some(source) = line.strip_prefix(";; source:") {
                library.source = source.trim().to_string();
                continue;
            }
            if let Some(base) = line.strip_prefix(";; base:") {
                library.bases.push(base.trim().to_string());
                continue;
            }
            if line.is_empty() || line.starts_with(";;") {
                continue;
            }
            let a = parse_line(line, &library).map_err(|message| LibraryError {
                line: i + 1,
                message,
            })?;
            library.abstractions.push(a);
        }
        Ok(library)
    }

    /// Reads the library file at `path` with the libraries it builds on: one library with
    /// the bases' abstractions first (each once), then its own, and no `bases` left to load.
    pub fn load(path: &Path) -> Result<Library, LoadLibraryError> {
        let mut all = Library::default();
        load_into(path, &mut all, 0)?;
        Ok(all)
    }

    /// The libraries at `paths`, each loaded with its bases, merged in order (see
    /// [`Library::merge`]); two that define one name differently are refused.
    pub fn load_all<P: AsRef<Path>>(paths: &[P]) -> Result<Library, LoadLibraryError> {
        let mut all = Library::default();
        for path in paths {
            let path = path.as_ref();
            all.merge(&Library::load(path)?)
                .map_err(|name| LoadLibraryError::Clash {
                    path: path.to_path_buf(),
                    name,
                })?;
        }
        Ok(all)
    }

    /// Adds `other`'s abstractions after this library's; one already here with the same
    /// body is skipped. Fails with the name that two libraries define differently.
    pub fn merge(&mut self, other: &Library) -> Result<(), String> {
        for a in &other.abstractions {
            match self.get(&a.name) {
                Some(mine) if mine.body == a.body => {}
                Some(_) => return Err(a.name.clone()),
                None => self.abstractions.push(a.clone()),
            }
        }
        Ok(())
    }

    /// The first number `n` such that no abstraction here is called `{prefix}{m}` for any
    /// `m >= n`: new abstractions numbered from it keep names unique.
    pub fn next_index(&self, prefix: &str) -> usize {
        next_index(self.abstractions.iter().map(|a| a.name.as_str()), prefix)
    }

    /// The abstraction called `name`.
    pub fn get(&self, name: &str) -> Option<&Abstraction> {
        self.abstractions.iter().find(|a| a.name == name)
    }

    /// `term` with every use of an abstraction (applied to at least its arity of
    /// arguments) replaced by its body, recursively: the program the rewritten one stands for.
    pub fn expand(&self, term: &RecExpr<Lambda>) -> RecExpr<Lambda> {
        let names: HashMap<Symbol, &Abstraction> = self
            .abstractions
            .iter()
            .map(|a| (Symbol::from(a.name.as_str()), a))
            .collect();
        let mut out = RecExpr::default();
        if !term.as_ref().is_empty() {
            expand_into(term, term.root(), &names, &mut out);
        }
        out
    }
}

/// The first number `n` such that none of `names` is `{prefix}{m}` for any `m >= n`.
pub fn next_index<'a>(names: impl IntoIterator<Item = &'a str>, prefix: &str) -> usize {
    names
        .into_iter()
        .filter_map(|name| name.strip_prefix(prefix)?.parse::<usize>().ok())
        .map(|n| n + 1)
        .max()
        .unwrap_or(0)
}

/// Adds the library at `path`, after its bases, to `all`.
fn load_into(path: &Path, all: &mut Library, depth: usize) -> Result<(), LoadLibraryError> {
    let at = || path.to_path_buf();
    if depth > MAX_BASE_DEPTH {
        return Err(LoadLibraryError::TooDeep { path: at() });
    }
    let text = std::fs::read_to_string(path)
        .map_err(|error| LoadLibraryError::Read { path: at(), error })?;
    let library =
        Library::parse(&text).map_err(|error| LoadLibraryError::Parse { path: at(), error })?;
    let folder = path.parent().unwrap_or(Path::new(""));
    for base in &library.bases {
        let base = folder.join(base);
        if !base.is_file() {
            return Err(LoadLibraryError::MissingBase { path: at(), base });
        }
        load_into(&base, all, depth + 1)?;
    }
    if depth == 0 {
        all.source = library.source.clone();
    }
    all.merge(&library)
        .map_err(|name| LoadLibraryError::Clash { path: at(), name })
}

fn parse_line(line: &str, before: &Library) -> Result<Abstraction, String> {
    let (head, body) = line
        .split_once(" = ")
        .ok_or("expected `NAME arity=N uses=N utility=N = BODY`")?;
    let (name, fields) = head.trim().split_once(' ').unwrap_or((head.trim(), ""));
    let name = name.to_string();
    if name.is_empty() {
        return Err("no name".into());
    }
    if before.get(&name).is_some() {
        return Err(format!("`{name}` is defined twice"));
    }
    let mut numbers: HashMap<&str, i64> = HashMap::new();
    let mut ty = None;
    for (key, value) in fields_of(fields)? {
        if key == "type" {
            ty = Some(value.to_string());
            continue;
        }
        let n = value
            .parse()
            .map_err(|_| format!("`{key}={value}`: not a number"))?;
        numbers.insert(key, n);
    }
    let arity = *numbers.get("arity").ok_or("no arity=N")?;
    if arity > MAX_ARITY as i64 {
        return Err(format!(
            "arity={arity}: an abstraction may take at most {MAX_ARITY} parameters"
        ));
    }
    let body = parse_term(body).map_err(|e| format!("body: {e}"))?;
    for node in body.as_ref() {
        if let Lambda::Param(p) = node {
            if i64::from(p.0) >= arity {
                return Err(format!("body uses {p} but arity is {arity}"));
            }
        }
    }
    Ok(Abstraction {
        name,
        arity: usize::try_from(arity).map_err(|_| "negative arity")?,
        body,
        uses: numbers.get("uses").copied().unwrap_or(0),
        utility: numbers.get("utility").copied().unwrap_or(0),
        ty,
    })
}

/// `KEY=VALUE` fields separated by spaces; a value may be a parenthesised type with spaces.
fn fields_of(text: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("`{rest}` is not KEY=VALUE"))?;
        if key.contains(' ') || key.is_empty() {
            return Err(format!("`{key}` is not a field name"));
        }
        let mut depth = 0i32;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                c == ' ' && depth == 0
            })
            .map_or(after.len(), |(i, _)| i);
        out.push((key, &after[..end]));
        rest = after[end..].trim_start();
    }
    Ok(out)
}

fn expand_into(
    term: &RecExpr<Lambda>,
    id: Id,
    names: &HashMap<Symbol, &Abstraction>,
    out: &mut RecExpr<Lambda>,
) -> Id {
    let (head, args) = spine(term, id);
    if let Lambda::Prim(s) = &term[head] {
        if let Some(a) = names.get(s).filter(|a| args.len() >= a.arity) {
            // The body with the arguments substituted, applied to any further arguments,
            // is expanded again: it may use earlier abstractions, or be one partly applied.
            let mut inlined = RecExpr::default();
            let copies: Vec<Id> = args
                .iter()
                .map(|&x| copy_into(term, x, &mut inlined))
                .collect();
            let mut chain = substitute(&a.body, a.body.root(), &copies[..a.arity], 0, &mut inlined);
            for &x in &copies[a.arity..] {
                chain = inlined.add(Lambda::App([chain, x]));
            }
            return expand_into(&inlined, chain, names, out);
        }
    }
    let node = match &term[id] {
        Lambda::App([f, x]) => Lambda::App([
            expand_into(term, *f, names, out),
            expand_into(term, *x, names, out),
        ]),
        Lambda::Lam([b]) => Lambda::Lam([expand_into(term, *b, names, out)]),
        leaf => leaf.clone(),
    };
    out.add(node)
}

/// Copies the subterm `id` of `from` into `to`.
fn copy_into(from: &RecExpr<Lambda>, id: Id, to: &mut RecExpr<Lambda>) -> Id {
    let node = match &from[id] {
        Lambda::App([f, x]) => Lambda::App([copy_into(from, *f, to), copy_into(from, *x, to)]),
        Lambda::Lam([b]) => Lambda::Lam([copy_into(from, *b, to)]),
        leaf => leaf.clone(),
    };
    to.add(node)
}

/// The body with parameter `#k` replaced by `args[k]` (a subterm of `out`), shifted up by
/// the number of the body's lambdas around it.
fn substitute(
    body: &RecExpr<Lambda>,
    id: Id,
    args: &[Id],
    depth: u32,
    out: &mut RecExpr<Lambda>,
) -> Id {
    let node = match &body[id] {
        Lambda::Param(p) => {
            let arg = args[p.0 as usize];
            return if depth == 0 {
                arg
            } else {
                shift_up(out, arg, depth, 0)
            };
        }
        Lambda::App([f, x]) => Lambda::App([
            substitute(body, *f, args, depth, out),
            substitute(body, *x, args, depth, out),
        ]),
        Lambda::Lam([b]) => Lambda::Lam([substitute(body, *b, args, depth + 1, out)]),
        leaf => leaf.clone(),
    };
    out.add(node)
}

/// A copy of subterm `id` with its free variables (at or above `cutoff`) raised by `by`.
fn shift_up(expr: &mut RecExpr<Lambda>, id: Id, by: u32, cutoff: u32) -> Id {
    let node = match expr[id].clone() {
        Lambda::Var(Index(v)) if v >= cutoff => Lambda::Var(Index(v + by)),
        Lambda::App([f, x]) => {
            Lambda::App([shift_up(expr, f, by, cutoff), shift_up(expr, x, by, cutoff)])
        }
        Lambda::Lam([b]) => Lambda::Lam([shift_up(expr, b, by, cutoff + 1)]),
        other => other,
    };
    expr.add(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Library {
        Library::parse(
            ";; janus library 1\n\
             ;; source: a test\n\
             fn_0 arity=1 uses=3 utility=10 type=(-> t0 t1) = (f #0 x)\n\
             fn_1 arity=2 uses=2 utility=5 = (lam (fn_0 (g #0 #1)))\n",
        )
        .unwrap()
    }

    #[test]
    fn a_library_prints_as_it_was_read() {
        let lib = library();
        assert_eq!(lib.abstractions.len(), 2);
        assert_eq!(lib.source, "a test");
        assert_eq!(lib.abstractions[0].ty.as_deref(), Some("(-> t0 t1)"));
        assert_eq!(Library::parse(&lib.to_string()).unwrap(), lib);
    }

    #[test]
    fn expansion_inlines_nested_abstractions_and_shifts_arguments_under_lambdas() {
        let lib = library();
        let t = parse_term("(lam (fn_1 $0 y z))").unwrap();
        // #0 := $0 sits under fn_1's lambda, so it becomes $1 there.
        assert_eq!(
            print_term(&lib.expand(&t)),
            "(lam ((lam (f (g $1 y) x)) z))"
        );
    }

    #[test]
    fn a_partly_applied_abstraction_inside_another_expands_once_complete() {
        let lib = Library::parse(
            ";; janus library 1\n\
             fn_0 arity=2 = (lam (g #1 $0 #0))\n\
             fn_1 arity=0 = (fn_0 2)\n",
        )
        .unwrap();
        let t = parse_term("(fn_1 x)").unwrap();
        assert_eq!(print_term(&lib.expand(&t)), "(lam (g x $0 2))");
    }

    #[test]
    fn a_library_loads_with_its_bases_and_a_missing_base_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let base = ";; janus library 1\nfn_0 arity=1 = (f #0)\n";
        let top = ";; janus library 1\n;; base: sub/first.lib\nfn_1 arity=1 = (fn_0 (fn_0 #0))\n";
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/first.lib"), base).unwrap();
        std::fs::write(dir.path().join("top.lib"), top).unwrap();
        let all = Library::load(&dir.path().join("top.lib")).unwrap();
        let names: Vec<&str> = all.abstractions.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["fn_0", "fn_1"]);
        assert_eq!(all.next_index("fn_"), 2);
        let t = parse_term("(fn_1 x)").unwrap();
        assert_eq!(print_term(&all.expand(&t)), "(f (f x))");

        std::fs::remove_file(dir.path().join("sub/first.lib")).unwrap();
        let e = Library::load(&dir.path().join("top.lib")).unwrap_err();
        assert!(matches!(e, LoadLibraryError::MissingBase { .. }));
        assert!(e.to_string().contains("first.lib"), "{e}");
    }

    #[test]
    fn a_library_that_builds_on_itself_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let me = ";; janus library 1\n;; base: me.lib\nfn_0 arity=1 = (f #0)\n";
        std::fs::write(dir.path().join("me.lib"), me).unwrap();
        let e = Library::load(&dir.path().join("me.lib")).unwrap_err();
        assert!(matches!(e, LoadLibraryError::TooDeep { .. }), "{e}");
    }

    #[test]
    fn merging_skips_equal_definitions_and_refuses_different_ones() {
        let mut lib = library();
        assert_eq!(lib.merge(&library()), Ok(()));
        assert_eq!(lib.abstractions.len(), 2);
        let other = Library::parse(";; janus library 1\nfn_0 arity=1 = (h #0)\n").unwrap();
        assert_eq!(lib.merge(&other), Err("fn_0".to_string()));
    }

    #[test]
    fn malformed_libraries_say_which_line() {
        let e = Library::parse("fn_0 arity=1 = #0").unwrap_err();
        assert_eq!(e.line, 1);
        let e = Library::parse(";; janus library 1\nfn_0 arity=1 = (f #1)").unwrap_err();
        assert_eq!((e.line, e.message.contains("#1")), (2, true));
        let e = Library::parse(";; janus library 1\nfn_0 arity=x = #0").unwrap_err();
        assert!(e.message.contains("not a number"));
        let e = Library::parse(";; janus library 1\nfn_0 arity=1 = (f #0)\nfn_0 arity=1 = #0")
            .unwrap_err();
        assert!(e.message.contains("twice"));
    }
}
