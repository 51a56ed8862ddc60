//! Domain rewrites: an equational theory that puts equal programs into one form before
//! learning, so that abstractions hidden behind equivalent spellings show up.
//!
//! A theory file has one rule per line, in the corpus's syntax with `?x` pattern
//! variables; `=>` rewrites one way, `<=>` both ways; `;;` starts a comment:
//!
//! ```text
//! add-comm: (add ?a ?b) => (add ?b ?a)
//! add-assoc: (add ?a (add ?b ?c)) <=> (add (add ?a ?b) ?c)
//! rotate-inverse: (rotate_cw (rotate_ccw ?x)) => ?x
//! ```
//!
//! The corpus goes into one egg e-graph, the rules run to saturation (or a limit), and each
//! program is read back as the cheapest member of its e-class, ties broken by the printed
//! form: equal programs and equal subterms then come out spelled alike.

use std::rc::Rc;
use std::str::FromStr;
use std::time::Duration;

use egg::{
    CostFunction, EGraph, ENodeOrVar, Extractor, Id, Language, Pattern, RecExpr, Rewrite, Runner,
    Var,
};

use super::corpus::Corpus;
use super::dag::CostModel;
use super::term::{parse_term, print_term, Lambda};

/// A set of rewrite rules.
pub struct Theory {
    /// The rules, both directions of a `<=>` rule counted separately.
    pub rules: Vec<Rewrite<Lambda, ()>>,
}

/// A theory file line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TheoryError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Limits of the saturation.
#[derive(Debug, Clone, Copy)]
pub struct SaturationLimits {
    /// At most this many rounds of rule application.
    pub iterations: usize,
    /// Stop when the e-graph has this many nodes.
    pub nodes: usize,
    /// Stop after this long.
    pub time: Duration,
}

impl Default for SaturationLimits {
    fn default() -> Self {
        SaturationLimits {
            iterations: 8,
            nodes: 200_000,
            time: Duration::from_secs(30),
        }
    }
}

/// What the saturation did, for reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Saturation {
    /// Rounds run.
    pub iterations: usize,
    /// E-nodes at the end.
    pub nodes: usize,
    /// E-classes at the end.
    pub classes: usize,
    /// Why it stopped (saturated, or which limit).
    pub stop: String,
}

impl Theory {
    /// Reads a theory file's text.
    pub fn parse(text: &str) -> Result<Theory, TheoryError> {
        let mut rules = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split(";;").next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let error = |message: String| TheoryError {
                line: i + 1,
                message,
            };
            let (name, rule) = match line.split_once(':') {
                Some((name, rule)) if !name.contains('(') => (name.trim().to_string(), rule),
                _ => (format!("rule-{}", i + 1), line),
            };
            let (lhs, rhs, both) = if let Some((l, r)) = rule.split_once("<=>") {
                (l, r, true)
            } else if let Some((l, r)) = rule.split_once("=>") {
                (l, r, false)
            } else {
                return Err(error("expected `LHS => RHS` or `LHS <=> RHS`".into()));
            };
            let (lhs, rhs) = (pattern(lhs).map_err(&error)?, pattern(rhs).map_err(&error)?);
            check_binders(&lhs, &rhs).map_err(&error)?;
            rules.push(rewrite(&name, &lhs, &rhs).map_err(&error)?);
            if both {
                check_binders(&rhs, &lhs).map_err(&error)?;
                rules.push(rewrite(&format!("{name}-rev"), &rhs, &lhs).map_err(&error)?);
            }
        }
        Ok(Theory { rules })
    }

    /// `corpus` with each program replaced by the canonical member of its class after
    /// saturating with the rules.
    pub fn normalize(
        &self,
        corpus: &Corpus,
        cost: &CostModel,
        limits: SaturationLimits,
    ) -> (Corpus, Saturation) {
        let mut egraph: EGraph<Lambda, ()> = EGraph::default();
        let roots: Vec<Id> = corpus.programs.iter().map(|p| egraph.add_expr(p)).collect();
        let runner = Runner::default()
            .with_egraph(egraph)
            .with_iter_limit(limits.iterations)
            .with_node_limit(limits.nodes)
            .with_time_limit(limits.time)
            .run(&self.rules);
        let report = Saturation {
            iterations: runner.iterations.len(),
            nodes: runner.egraph.total_number_of_nodes(),
            classes: runner.egraph.number_of_classes(),
            stop: runner
                .stop_reason
                .as_ref()
                .map_or_else(String::new, |r| format!("{r:?}")),
        };
        let extractor = Extractor::new(&runner.egraph, Canonical(*cost));
        let programs = roots.iter().map(|&r| extractor.find_best(r).1).collect();
        let normalized = Corpus {
            programs,
            ..corpus.clone()
        };
        (normalized, report)
    }
}

type PatternAst = RecExpr<ENodeOrVar<Lambda>>;

/// A rule side: a term whose `?x` atoms are pattern variables.
fn pattern(text: &str) -> Result<PatternAst, String> {
    let term = parse_term(text.trim()).map_err(|e| format!("`{}`: {e}", text.trim()))?;
    let mut ast = PatternAst::default();
    for node in term.as_ref() {
        let item = match node {
            Lambda::Prim(s) if s.as_str().starts_with('?') => {
                ENodeOrVar::Var(Var::from_str(s.as_str()).map_err(|e| format!("{e:?}"))?)
            }
            other => ENodeOrVar::ENode(other.clone()),
        };
        ast.add(item);
    }
    Ok(ast)
}

fn rewrite(name: &str, lhs: &PatternAst, rhs: &PatternAst) -> Result<Rewrite<Lambda, ()>, String> {
    Rewrite::new(
        name.to_string(),
        Pattern::from(lhs.clone()),
        Pattern::from(rhs.clone()),
    )
}

/// De Bruijn indices make a rule that moves a pattern variable under or out of a `lam`
/// wrong (the variable's free indices would need shifting): refuse such rules.
fn check_binders(lhs: &PatternAst, rhs: &PatternAst) -> Result<(), String> {
    let (l, r) = (var_depths(lhs), var_depths(rhs));
    for (var, depth) in &r {
        match l.iter().find(|(v, _)| v == var) {
            Some((_, d)) if d != depth => {
                return Err(format!(
                    "{var} sits under {d} lambdas on the left and {depth} on the right"
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

fn var_depths(ast: &PatternAst) -> Vec<(Var, usize)> {
    let mut out = Vec::new();
    if !ast.as_ref().is_empty() {
        walk(ast, Id::from(ast.as_ref().len() - 1), 0, &mut out);
    }
    out
}

fn walk(ast: &PatternAst, id: Id, depth: usize, out: &mut Vec<(Var, usize)>) {
    match &ast[id] {
        ENodeOrVar::Var(v) => out.push((*v, depth)),
        ENodeOrVar::ENode(node) => {
            let inner = depth + usize::from(matches!(node, Lambda::Lam(_)));
            for &c in node.children() {
                walk(ast, c, inner, out);
            }
        }
    }
}

/// Extraction cost: the corpus cost, then the printed form, so that equal-cost members of a
/// class always yield the same term.
struct Canonical(CostModel);

impl CostFunction<Lambda> for Canonical {
    type Cost = (i64, Rc<str>);

    fn cost<C>(&mut self, enode: &Lambda, mut costs: C) -> Self::Cost
    where
        C: FnMut(Id) -> Self::Cost,
    {
        let mut total = self.0.node(enode);
        let mut children = Vec::new();
        for &c in enode.children() {
            let (cost, text) = costs(c);
            total += cost;
            children.push(text);
        }
        let text = match enode {
            Lambda::App(_) => format!("({} {})", children[0], children[1]),
            Lambda::Lam(_) => format!("(lam {})", children[0]),
            leaf => print_term(&RecExpr::from(vec![leaf.clone()])),
        };
        (total, Rc::from(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(rules: &str, programs: &[&str]) -> Vec<String> {
        let theory = Theory::parse(rules).unwrap();
        let corpus = Corpus::from_strings(programs).unwrap();
        let (out, _) =
            theory.normalize(&corpus, &CostModel::default(), SaturationLimits::default());
        out.programs.iter().map(print_term).collect()
    }

    #[test]
    fn commuted_programs_come_out_spelled_alike() {
        let out = normalized(
            "add-comm: (add ?a ?b) => (add ?b ?a)",
            &["(add x (f y))", "(add (f y) x)"],
        );
        assert_eq!(out[0], out[1]);
    }

    #[test]
    fn simplifying_rules_make_programs_cheaper() {
        let out = normalized(
            "(rotate_cw (rotate_ccw ?x)) => ?x",
            &["(flip (rotate_cw (rotate_ccw g)))"],
        );
        assert_eq!(out, ["(flip g)"]);
    }

    #[test]
    fn bad_rules_say_which_line() {
        let e = Theory::parse(";; comment\n(add ?a ?b) = (add ?b ?a)")
            .err()
            .unwrap();
        assert_eq!(e.line, 2);
        let e = Theory::parse("(f ?a) => (g ?b)").err().unwrap();
        assert!(e.message.contains("?b"), "{}", e.message);
        let e = Theory::parse("(lam (f ?a)) => (f ?a)").err().unwrap();
        assert!(e.message.contains("lambdas"), "{}", e.message);
    }
}
