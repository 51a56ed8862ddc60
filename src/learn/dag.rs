//! The corpus as one hash-consed graph: every distinct subterm once, children before
//! parents, with what the search needs per subterm precomputed (cost, free variables,
//! how often it occurs).
//!
//! The programs are added to one egg [`EGraph`], which shares equal subterms; the learner
//! then reads one node per e-class into flat arrays. With domain rewrites the e-graph is
//! saturated first and [`Dag::from_egraph`] picks each class's node with a chooser.

use std::collections::HashMap;

use egg::{EGraph, Id, Language, RecExpr, Symbol};

use super::term::Lambda;

/// Stitch's cost of a term: the sum of its nodes' costs. The defaults (100 per terminal, 1
/// per `app` and `lam`) follow DreamCoder's size convention and make the figures
/// comparable with Stitch's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CostModel {
    /// Cost of an application node.
    pub app: i64,
    /// Cost of a lambda node.
    pub lam: i64,
    /// Cost of a de Bruijn variable.
    pub var: i64,
    /// Cost of an abstraction parameter `#i`.
    pub param: i64,
    /// Cost of a primitive, learned abstractions included.
    pub prim: i64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            app: 1,
            lam: 1,
            var: 100,
            param: 100,
            prim: 100,
        }
    }
}

impl CostModel {
    /// AstSize: every node costs 1 (babble's metric).
    pub fn ast_size() -> CostModel {
        CostModel {
            app: 1,
            lam: 1,
            var: 1,
            param: 1,
            prim: 1,
        }
    }

    /// The cost of `expr` (its root's subterm).
    pub fn of(&self, expr: &RecExpr<Lambda>) -> i64 {
        let mut cost = vec![0i64; expr.as_ref().len()];
        for (i, node) in expr.as_ref().iter().enumerate() {
            cost[i] = self.node(node)
                + node
                    .children()
                    .iter()
                    .map(|c| cost[usize::from(*c)])
                    .sum::<i64>();
        }
        cost.last().copied().unwrap_or(0)
    }

    /// The cost of one node, without its children.
    pub fn node(&self, node: &Lambda) -> i64 {
        match node {
            Lambda::App(_) => self.app,
            Lambda::Lam(_) => self.lam,
            Lambda::Var(_) => self.var,
            Lambda::Param(_) => self.param,
            Lambda::Prim(_) => self.prim,
        }
    }
}

/// One node of the graph, its children as indices of earlier nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    /// Application of the first child to the second.
    App(u32, u32),
    /// Lambda with this body.
    Lam(u32),
    /// De Bruijn variable `$i`.
    Var(u32),
    /// Primitive.
    Prim(Symbol),
}

/// The hash-consed corpus: node `i`'s children all have indices below `i`.
#[derive(Debug, Clone)]
pub struct Dag {
    /// The distinct subterms, children first.
    pub nodes: Vec<Node>,
    /// Each subterm's cost.
    pub cost: Vec<i64>,
    /// Each subterm's free de Bruijn variables: bit i for `$i` (bit 63 stands for 63 and up).
    pub free: Vec<u64>,
    /// How often each subterm occurs in the corpus, counting every path from a program.
    pub paths: Vec<i64>,
    /// Each program's root node.
    pub roots: Vec<u32>,
    /// Each program's task: the objective counts the cheapest program of each task.
    pub task_of_root: Vec<u32>,
    /// The number of tasks.
    pub tasks: usize,
}

/// The bit of a free variable `$i` in [`Dag::free`].
fn var_bit(i: u32) -> u64 {
    1u64 << i.min(63)
}

/// The bits of the variables `$0 .. $(depth-1)`: those a body's `depth` lambdas bind.
pub fn bound_mask(depth: u32) -> u64 {
    if depth >= 64 {
        u64::MAX
    } else {
        (1u64 << depth) - 1
    }
}

impl Dag {
    /// Hash-conses `programs` (with the task index of each) into one e-graph and reads it off.
    pub fn build(programs: &[RecExpr<Lambda>], task_of_program: &[u32], cost: &CostModel) -> Dag {
        let mut egraph: EGraph<Lambda, ()> = EGraph::default();
        let roots: Vec<Id> = programs.iter().map(|p| egraph.add_expr(p)).collect();
        egraph.rebuild();
        Dag::from_egraph(&egraph, &roots, task_of_program, cost, |class| {
            &class.nodes[0]
        })
    }

    /// Reads the graph off an e-graph: for each e-class reachable from `roots`, the node
    /// `choose` picks (after saturation a class holds several equal nodes).
    fn from_egraph<'a>(
        egraph: &'a EGraph<Lambda, ()>,
        roots: &[Id],
        task_of_root: &[u32],
        cost: &CostModel,
        choose: impl Fn(&'a egg::EClass<Lambda, ()>) -> &'a Lambda,
    ) -> Dag {
        let mut index: HashMap<Id, u32> = HashMap::new();
        let mut nodes = Vec::new();
        let mut dag_roots = Vec::with_capacity(roots.len());
        for &root in roots {
            let root = egraph.find(root);
            dag_roots.push(visit(egraph, root, &choose, &mut index, &mut nodes));
        }
        let tasks = task_of_root
            .iter()
            .map(|&t| t as usize + 1)
            .max()
            .unwrap_or(0);
        let mut dag = Dag {
            cost: Vec::new(),
            free: Vec::new(),
            paths: Vec::new(),
            nodes,
            roots: dag_roots,
            task_of_root: task_of_root.to_vec(),
            tasks,
        };
        dag.annotate(cost);
        dag
    }

    /// Fills in `cost`, `free` and `paths` from `nodes` and `roots`.
    fn annotate(&mut self, model: &CostModel) {
        let n = self.nodes.len();
        self.cost = vec![0; n];
        self.free = vec![0; n];
        for i in 0..n {
            let (c, f) = match self.nodes[i] {
                Node::App(a, b) => (
                    model.app + self.cost[a as usize] + self.cost[b as usize],
                    self.free[a as usize] | self.free[b as usize],
                ),
                Node::Lam(b) => (
                    model.lam + self.cost[b as usize],
                    self.free[b as usize] >> 1 | (self.free[b as usize] & (1 << 63)),
                ),
                Node::Var(v) => (model.var, var_bit(v)),
                Node::Prim(_) => (model.prim, 0),
            };
            self.cost[i] = c;
            self.free[i] = f;
        }
        self.paths = vec![0; n];
        for &r in &self.roots {
            self.paths[r as usize] += 1;
        }
        for i in (0..n).rev() {
            let p = self.paths[i];
            match self.nodes[i] {
                Node::App(a, b) => {
                    self.paths[a as usize] += p;
                    self.paths[b as usize] += p;
                }
                Node::Lam(b) => self.paths[b as usize] += p,
                _ => {}
            }
        }
    }

    /// The cost of node `n` when its children cost `costs` (after a rewrite, say).
    pub fn cost_over(&self, n: usize, model: &CostModel, costs: &[i64]) -> i64 {
        match self.nodes[n] {
            Node::App(a, b) => model.app + costs[a as usize] + costs[b as usize],
            Node::Lam(b) => model.lam + costs[b as usize],
            _ => self.cost[n],
        }
    }

    /// The objective: the sum over tasks of the cheapest program's cost under `cost_of_root`.
    pub fn objective(&self, cost_of_root: impl Fn(usize) -> i64) -> i64 {
        let mut best = vec![i64::MAX; self.tasks];
        for (r, &t) in self.task_of_root.iter().enumerate() {
            let c = cost_of_root(r);
            if c < best[t as usize] {
                best[t as usize] = c;
            }
        }
        best.iter().filter(|&&c| c != i64::MAX).sum()
    }

    /// The corpus's cost before any rewriting.
    pub fn initial_cost(&self) -> i64 {
        self.objective(|r| self.cost[self.roots[r] as usize])
    }

    /// The subterm at `node` as a term.
    pub fn term(&self, node: u32) -> RecExpr<Lambda> {
        let mut expr = RecExpr::default();
        let mut memo = HashMap::new();
        self.emit(node, &mut expr, &mut memo);
        expr
    }

    fn emit(&self, node: u32, expr: &mut RecExpr<Lambda>, memo: &mut HashMap<u32, Id>) -> Id {
        if let Some(&id) = memo.get(&node) {
            return id;
        }
        let n = match self.nodes[node as usize] {
            Node::App(a, b) => Lambda::App([self.emit(a, expr, memo), self.emit(b, expr, memo)]),
            Node::Lam(b) => Lambda::Lam([self.emit(b, expr, memo)]),
            Node::Var(v) => Lambda::Var(super::term::Index(v)),
            Node::Prim(s) => Lambda::Prim(s),
        };
        let id = expr.add(n);
        memo.insert(node, id);
        id
    }
}

/// Post-order visit: adds the chosen node of `class` after its children; returns its index.
fn visit<'a>(
    egraph: &'a EGraph<Lambda, ()>,
    class: Id,
    choose: &impl Fn(&'a egg::EClass<Lambda, ()>) -> &'a Lambda,
    index: &mut HashMap<Id, u32>,
    nodes: &mut Vec<Node>,
) -> u32 {
    if let Some(&i) = index.get(&class) {
        return i;
    }
    let node = choose(&egraph[class]);
    let mut kids = [0u32; 2];
    for (k, child) in node.children().iter().enumerate() {
        kids[k] = visit(egraph, egraph.find(*child), choose, index, nodes);
    }
    let flat = match node {
        Lambda::App(_) => Node::App(kids[0], kids[1]),
        Lambda::Lam(_) => Node::Lam(kids[0]),
        Lambda::Var(v) => Node::Var(v.0),
        // Corpus programs have no parameters (the loaders refuse them); a body read back
        // as a corpus keeps its parameters as atoms.
        Lambda::Param(p) => Node::Prim(Symbol::from(p.to_string())),
        Lambda::Prim(s) => Node::Prim(*s),
    };
    let i = nodes.len() as u32;
    nodes.push(flat);
    index.insert(class, i);
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::term::{parse_term, print_term};

    fn dag(programs: &[&str]) -> Dag {
        let exprs: Vec<_> = programs.iter().map(|p| parse_term(p).unwrap()).collect();
        let tasks: Vec<u32> = (0..exprs.len() as u32).collect();
        Dag::build(&exprs, &tasks, &CostModel::default())
    }

    #[test]
    fn equal_subterms_are_stored_once_and_counted_per_occurrence() {
        let d = dag(&["(f (g x) (g x))", "(h (g x))"]);
        let gx = (0..d.nodes.len())
            .find(|&i| print_term(&d.term(i as u32)) == "(g x)")
            .unwrap();
        assert_eq!(d.paths[gx], 3);
        // f, g, x, (g x), (f (g x)), (f (g x) (g x)), h, (h (g x))
        assert_eq!(d.nodes.len(), 8);
        assert_eq!(d.cost[d.roots[0] as usize], 5 * 100 + 4);
    }

    #[test]
    fn free_variables_are_shifted_by_lambdas() {
        let d = dag(&["(lam (f $0 $2))"]);
        let root = d.roots[0] as usize;
        assert_eq!(d.free[root], 0b10);
    }

    #[test]
    fn the_objective_takes_each_tasks_cheapest_program() {
        let exprs: Vec<_> = ["(f x)", "x", "(g y z)"]
            .iter()
            .map(|p| parse_term(p).unwrap())
            .collect();
        let d = Dag::build(&exprs, &[0, 0, 1], &CostModel::default());
        assert_eq!(d.initial_cost(), 100 + 302);
    }
}
