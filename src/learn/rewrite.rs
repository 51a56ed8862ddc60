//! Rewriting the corpus with a learned abstraction: at every node the abstraction matches,
//! the rewrite `(fn_i arg0 arg1 ...)` is used where it makes the program cheaper (a
//! dynamic program over the hash-consed corpus, children first), and arguments are
//! rewritten too.

use std::collections::HashMap;

use egg::{Id, RecExpr, Symbol};

use super::dag::{bound_mask, CostModel, Dag, Node};
use super::search::Candidate;
use super::term::{Index, Lambda, Param};

/// The corpus's programs rewritten with `abstraction`, named `name`, one per root of `dag`.
pub fn rewrite(
    dag: &Dag,
    abstraction: &Candidate,
    name: Symbol,
    cost: &CostModel,
) -> Vec<RecExpr<Lambda>> {
    let chosen = choose(dag, abstraction, cost);
    dag.roots
        .iter()
        .map(|&root| {
            let mut writer = Writer {
                dag,
                abstraction,
                chosen: &chosen,
                name,
                out: RecExpr::default(),
                memo: HashMap::new(),
            };
            writer.node(root);
            writer.out
        })
        .collect()
}

/// Every corpus node that `body` (with `arity` parameters) matches, and its arguments
/// there, as the search would have found them: for rewriting a corpus with an abstraction
/// learned elsewhere (Stitch's `rewrite`). A parameter used twice matches equal subterms
/// only; an argument may not use a variable the body binds.
pub fn locate(dag: &Dag, body: &RecExpr<Lambda>, arity: usize) -> Candidate {
    let root = Id::from(body.as_ref().len() - 1);
    let mut depths = vec![0; arity];
    param_depths(body, root, 0, &mut depths);
    let mut found = Candidate {
        body: body.clone(),
        arity,
        utility: 0,
        locations: Vec::new(),
        args: vec![Vec::new(); arity],
        depths,
    };
    for n in 0..dag.nodes.len() as u32 {
        let mut bound = vec![None; arity];
        if matches(dag, body, root, n, 0, &mut bound) && bound.iter().all(Option::is_some) {
            found.locations.push(n);
            for (args, arg) in found.args.iter_mut().zip(bound) {
                args.push(arg.expect("checked above"));
            }
        }
    }
    found
}

/// How many lambdas of the body enclose each parameter.
fn param_depths(body: &RecExpr<Lambda>, id: Id, depth: u32, out: &mut [u32]) {
    match &body[id] {
        Lambda::App([f, x]) => {
            param_depths(body, *f, depth, out);
            param_depths(body, *x, depth, out);
        }
        Lambda::Lam([b]) => param_depths(body, *b, depth + 1, out),
        Lambda::Param(Param(k)) => {
            if let Some(d) = out.get_mut(*k as usize) {
                *d = depth;
            }
        }
        _ => {}
    }
}

/// Whether the body's subterm `id`, under `depth` of its lambdas, matches corpus node `n`,
/// binding parameters in `bound`.
fn matches(
    dag: &Dag,
    body: &RecExpr<Lambda>,
    id: Id,
    n: u32,
    depth: u32,
    bound: &mut [Option<u32>],
) -> bool {
    match (&body[id], dag.nodes[n as usize]) {
        (Lambda::App([f, x]), Node::App(a, b)) => {
            matches(dag, body, *f, a, depth, bound) && matches(dag, body, *x, b, depth, bound)
        }
        (Lambda::Lam([b]), Node::Lam(c)) => matches(dag, body, *b, c, depth + 1, bound),
        (Lambda::Var(Index(i)), Node::Var(j)) => *i == j,
        (Lambda::Prim(s), Node::Prim(t)) => *s == t,
        (Lambda::Param(Param(k)), _) => {
            if dag.free[n as usize] & bound_mask(depth) != 0 {
                return false;
            }
            match bound.get_mut(*k as usize) {
                Some(slot @ None) => {
                    *slot = Some(n);
                    true
                }
                Some(Some(m)) => *m == n,
                None => false,
            }
        }
        _ => false,
    }
}

/// For each corpus node, the location index of the abstraction's match to use there, if
/// rewriting it is cheaper.
fn choose(dag: &Dag, a: &Candidate, cost: &CostModel) -> Vec<Option<u32>> {
    let mut location_of: HashMap<u32, u32> = HashMap::new();
    for (i, &loc) in a.locations.iter().enumerate() {
        location_of.insert(loc, i as u32);
    }
    let apply = cost.prim + cost.app * a.arity as i64;
    let mut new_cost = dag.cost.clone();
    let mut chosen = vec![None; dag.nodes.len()];
    for n in 0..dag.nodes.len() {
        let mut c = dag.cost_over(n, cost, &new_cost);
        if let Some(&l) = location_of.get(&(n as u32)) {
            let with: i64 = apply
                + a.args
                    .iter()
                    .map(|args| new_cost[args[l as usize] as usize])
                    .sum::<i64>();
            if with < c {
                c = with;
                chosen[n] = Some(l);
            }
        }
        new_cost[n] = c;
    }
    chosen
}

struct Writer<'a> {
    dag: &'a Dag,
    abstraction: &'a Candidate,
    chosen: &'a [Option<u32>],
    name: Symbol,
    out: RecExpr<Lambda>,
    memo: HashMap<u32, Id>,
}

impl Writer<'_> {
    fn node(&mut self, n: u32) -> Id {
        if let Some(&id) = self.memo.get(&n) {
            return id;
        }
        let id = match (self.chosen[n as usize], self.dag.nodes[n as usize]) {
            (Some(l), _) => self.apply(l),
            (None, Node::App(f, x)) => {
                let (f, x) = (self.node(f), self.node(x));
                self.out.add(Lambda::App([f, x]))
            }
            (None, Node::Lam(b)) => {
                let b = self.node(b);
                self.out.add(Lambda::Lam([b]))
            }
            (None, Node::Var(v)) => self.out.add(Lambda::Var(Index(v))),
            (None, Node::Prim(s)) => self.out.add(Lambda::Prim(s)),
        };
        self.memo.insert(n, id);
        id
    }

    /// `(name arg0 arg1 ...)` for location `l`, each argument shifted out of the lambdas
    /// that enclose its parameter in the body.
    fn apply(&mut self, l: u32) -> Id {
        let mut head = self.out.add(Lambda::Prim(self.name));
        for k in 0..self.abstraction.arity {
            let arg = self.node(self.abstraction.args[k][l as usize]);
            let depth = self.abstraction.depths[k];
            let arg = if depth > 0 {
                shift_down(&mut self.out, arg, depth, 0)
            } else {
                arg
            };
            head = self.out.add(Lambda::App([head, arg]));
        }
        head
    }
}

/// A copy of the subterm `id` with its free variables (those at or above `cutoff` lambdas
/// deep) lowered by `by`; the caller guarantees none would go below zero.
pub fn shift_down(expr: &mut RecExpr<Lambda>, id: Id, by: u32, cutoff: u32) -> Id {
    let node = match expr[id].clone() {
        Lambda::Var(Index(v)) if v >= cutoff => Lambda::Var(Index(v - by)),
        Lambda::App([f, x]) => Lambda::App([
            shift_down(expr, f, by, cutoff),
            shift_down(expr, x, by, cutoff),
        ]),
        Lambda::Lam([b]) => Lambda::Lam([shift_down(expr, b, by, cutoff + 1)]),
        other => other,
    };
    expr.add(node)
}
