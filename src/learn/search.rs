//! The search for the single most useful abstraction: a top-down branch and bound over
//! partial abstractions, the method of Stitch (Bowers et al., POPL 2023), on the
//! hash-consed corpus of [`Dag`].
//!
//! A partial abstraction is a body with holes and the corpus nodes it matches. Expanding a
//! hole tries only what occurs there at the matched nodes (an application, a lambda, a
//! bound variable, a primitive), a new parameter `#i`, or an existing parameter whose
//! argument is the same at each node. Each partial abstraction carries an upper bound on
//! the utility of everything it can still become; the search expands the highest bound
//! first and stops when no bound beats the best finished abstraction.
//!
//! Utility is Stitch's: the corpus cost saved by rewriting with the abstraction, minus the
//! cost of its body.

use std::collections::{BinaryHeap, HashMap};

use egg::{Id, RecExpr, Symbol};

use super::dag::{bound_mask, CostModel, Dag, Node};
use super::term::{Index, Lambda, Param};

/// The best abstraction of one search, with where it applies.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The body, with parameters `#0 .. #(arity-1)`.
    pub body: RecExpr<Lambda>,
    /// The number of parameters.
    pub arity: usize,
    /// Corpus cost saved minus the body's cost.
    pub utility: i64,
    /// The corpus nodes the body matches, ascending.
    pub locations: Vec<u32>,
    /// For each parameter, its argument at each location (a corpus node, before shifting).
    pub args: Vec<Vec<u32>>,
    /// For each parameter, how many of the body's lambdas enclose it: its argument's free
    /// variables are shifted down by this much.
    pub depths: Vec<u32>,
}

/// Search statistics, for reports.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct SearchStats {
    /// Partial abstractions taken from the work list and expanded.
    pub expanded: u64,
    /// Finished abstractions whose utility was computed.
    pub evaluated: u64,
    /// Partial abstractions dropped because their bound could not beat the best.
    pub pruned: u64,
}

/// A slot of a partial body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Hole,
    App(u32, u32),
    Lam(u32),
    Var(u32),
    Prim(Symbol),
    Param(u32),
}

#[derive(Debug, Clone, Copy)]
struct Hole {
    slot: u32,
    depth: u32,
    /// Whether it is an application's function.
    head: bool,
}

/// Where an abstraction's parameters may go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ParamPlaces {
    /// Anywhere, as in Stitch: `(lam (#0 $0 (vflip $0)))` takes a function.
    #[default]
    Anywhere,
    /// Only where an argument goes, never an application's function: the abstractions
    /// are first-order, of use to a search over first-order values.
    Arguments,
}

#[derive(Debug, Clone)]
struct ParamSlot {
    /// The argument at each location.
    nodes: Vec<u32>,
    depth: u32,
}

/// A partial abstraction and the corpus nodes it matches.
#[derive(Debug, Clone)]
struct Pattern {
    body: Vec<Slot>,
    /// Holes still to fill; the last is filled next.
    holes: Vec<Hole>,
    /// For each hole, the corpus node under it at each location.
    hole_nodes: Vec<Vec<u32>>,
    locations: Vec<u32>,
    params: Vec<ParamSlot>,
    body_cost: i64,
    bound: i64,
}

struct Item {
    bound: i64,
    seq: u64,
    pattern: Pattern,
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        (self.bound, self.seq) == (other.bound, other.seq)
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    /// Highest bound first; among equal bounds, the newest (depth first).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.bound, self.seq).cmp(&(other.bound, other.seq))
    }
}

/// What a hole can become at one location, syntactically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    App,
    Lam,
    Var(u32),
    Prim(Symbol),
}

/// Finds the abstraction of at most `max_arity` parameters with the highest positive
/// utility on `dag`, or `None` when none saves anything.
pub fn best_abstraction(
    dag: &Dag,
    cost: &CostModel,
    max_arity: usize,
) -> (Option<Candidate>, SearchStats) {
    best_abstraction_in(dag, cost, max_arity, ParamPlaces::Anywhere)
}

/// [`best_abstraction`] with its parameters only in `places`.
pub fn best_abstraction_in(
    dag: &Dag,
    cost: &CostModel,
    max_arity: usize,
    places: ParamPlaces,
) -> (Option<Candidate>, SearchStats) {
    let mut search = Search::new(dag, cost, max_arity);
    search.places = places;
    search.run()
}

struct Search<'a> {
    dag: &'a Dag,
    cost: &'a CostModel,
    max_arity: usize,
    places: ParamPlaces,
    initial: i64,
    /// The one task each node occurs in, or `MANY_TASKS`.
    task_of_node: Vec<u32>,
    /// Scratch for [`Search::utility`]: the corpus nodes' costs after rewriting.
    new_cost: Vec<i64>,
    /// Scratch: 1 + the location index of each node the abstraction matches, else 0.
    location_of: Vec<u32>,
    stats: SearchStats,
}

impl<'a> Search<'a> {
    fn new(dag: &'a Dag, cost: &'a CostModel, max_arity: usize) -> Self {
        Search {
            dag,
            cost,
            max_arity,
            places: ParamPlaces::Anywhere,
            initial: dag.initial_cost(),
            task_of_node: task_of_node(dag),
            new_cost: dag.cost.clone(),
            location_of: vec![0; dag.nodes.len()],
            stats: SearchStats::default(),
        }
    }

    fn run(mut self) -> (Option<Candidate>, SearchStats) {
        let all: Vec<u32> = (0..self.dag.nodes.len() as u32).collect();
        let root = Pattern {
            body: vec![Slot::Hole],
            holes: vec![Hole {
                slot: 0,
                depth: 0,
                head: false,
            }],
            hole_nodes: vec![all.clone()],
            locations: all,
            params: Vec::new(),
            body_cost: 0,
            bound: i64::MAX,
        };
        let mut best: Option<(i64, Pattern)> = self.best_closed();
        let mut heap = BinaryHeap::new();
        let mut seq = 0u64;
        heap.push(Item {
            bound: root.bound,
            seq,
            pattern: root,
        });
        let mut children = Vec::new();
        while let Some(item) = heap.pop() {
            let cutoff = best.as_ref().map_or(0, |b| b.0);
            if item.bound <= cutoff {
                break;
            }
            self.stats.expanded += 1;
            self.expand(&item.pattern, &mut children);
            for child in children.drain(..) {
                let cutoff = best.as_ref().map_or(0, |b| b.0);
                if child.bound <= cutoff {
                    self.stats.pruned += 1;
                } else if child.holes.is_empty() {
                    self.stats.evaluated += 1;
                    let utility = self.utility(&child);
                    if utility > cutoff {
                        best = Some((utility, child));
                    }
                } else {
                    seq += 1;
                    heap.push(Item {
                        bound: child.bound,
                        seq,
                        pattern: child,
                    });
                }
            }
        }
        let stats = self.stats;
        (best.map(|(u, p)| candidate(p, u)), stats)
    }

    /// The best arity-zero abstraction (a whole closed subtree used more than once, in
    /// more than one task), tried before the search so that its bound prunes from the start.
    fn best_closed(&mut self) -> Option<(i64, Pattern)> {
        let mut best: Option<(i64, u32)> = None;
        for n in 0..self.dag.nodes.len() {
            let (paths, cost) = (self.dag.paths[n], self.dag.cost[n]);
            let bound = paths * (cost - self.cost.prim) - cost;
            if paths < 2
                || self.dag.free[n] != 0
                || self.task_of_node[n] != MANY_TASKS
                || bound <= best.map_or(0, |b| b.0)
            {
                continue;
            }
            let p = self.closed(n as u32);
            self.stats.evaluated += 1;
            let utility = self.utility(&p);
            if utility > best.map_or(0, |b| b.0) {
                best = Some((utility, n as u32));
            }
        }
        best.map(|(u, n)| (u, self.closed(n)))
    }

    /// The arity-zero abstraction whose body is the subtree at `node`.
    fn closed(&self, node: u32) -> Pattern {
        let mut body = Vec::new();
        self.copy_subtree(node, &mut body);
        Pattern {
            body_cost: self.dag.cost[node as usize],
            body,
            holes: Vec::new(),
            hole_nodes: Vec::new(),
            locations: vec![node],
            params: Vec::new(),
            bound: 0,
        }
    }

    /// Appends the subtree at `node` to `body` as slots, root first; returns its slot.
    fn copy_subtree(&self, node: u32, body: &mut Vec<Slot>) -> u32 {
        let slot = body.len() as u32;
        body.push(Slot::Hole);
        let filled = match self.dag.nodes[node as usize] {
            Node::App(a, b) => {
                let a = self.copy_subtree(a, body);
                Slot::App(a, self.copy_subtree(b, body))
            }
            Node::Lam(b) => Slot::Lam(self.copy_subtree(b, body)),
            Node::Var(v) => Slot::Var(v),
            Node::Prim(s) => Slot::Prim(s),
        };
        body[slot as usize] = filled;
        slot
    }

    /// What the node under a hole is, as an expansion.
    fn kind(&self, node: u32) -> Kind {
        match self.dag.nodes[node as usize] {
            Node::App(..) => Kind::App,
            Node::Lam(_) => Kind::Lam,
            Node::Var(v) => Kind::Var(v),
            Node::Prim(s) => Kind::Prim(s),
        }
    }

    /// Fills the last hole of `p` every way the matched nodes allow; the results go to `out`.
    fn expand(&self, p: &Pattern, out: &mut Vec<Pattern>) {
        let hole = *p.holes.last().expect("a partial abstraction has a hole");
        let under = p.hole_nodes.last().expect("one node list per hole");
        let params_here = !(hole.head && self.places == ParamPlaces::Arguments);
        let same_as = |param: &ParamSlot, i: usize| {
            let (a, b) = (under[i], param.nodes[i]);
            a == b && (param.depth == hole.depth || self.dag.free[a as usize] == 0)
        };
        // Where every location has an existing parameter's argument under the hole,
        // reusing that parameter beats anything else there (Stitch's forced multi-use).
        let forced = p
            .params
            .iter()
            .position(|q| (0..under.len()).all(|i| same_as(q, i)))
            .filter(|_| params_here);
        if let Some(k) = forced {
            let all: Vec<u32> = (0..under.len() as u32).collect();
            out.push(self.with_param(p, hole, k, &all));
            return;
        }
        let mut index: HashMap<Kind, usize> = HashMap::new();
        let mut groups: Vec<(Kind, Vec<u32>)> = Vec::new();
        for (i, &node) in under.iter().enumerate() {
            let kind = self.kind(node);
            let g = *index.entry(kind).or_insert_with(|| {
                groups.push((kind, Vec::new()));
                groups.len() - 1
            });
            groups[g].1.push(i as u32);
        }
        for (kind, picks) in groups {
            if let Kind::Var(v) = kind {
                if v >= hole.depth {
                    continue; // a free variable would escape the body
                }
            }
            if self.worth(p, &picks) {
                self.keep(self.syntactic(p, hole, kind, &picks), out);
            }
        }
        if !params_here {
            return;
        }
        for (k, param) in p.params.iter().enumerate() {
            let picks: Vec<u32> = (0..under.len() as u32)
                .filter(|&i| same_as(param, i as usize))
                .collect();
            if self.worth(p, &picks) {
                self.keep(self.with_param(p, hole, k, &picks), out);
            }
        }
        if p.params.len() < self.max_arity {
            let mask = bound_mask(hole.depth);
            let picks: Vec<u32> = (0..under.len() as u32)
                .filter(|&i| self.dag.free[under[i as usize] as usize] & mask == 0)
                .collect();
            if self.worth(p, &picks) {
                self.keep(self.with_param(p, hole, p.params.len(), &picks), out);
            }
        }
    }

    /// Whether an abstraction matching the locations `picks` of `p` can be worth having
    /// (Stitch's rules): it must occur more than once, not only at one closed subtree
    /// (the arity-zero abstractions tried first cover that), and in more than one task.
    fn worth(&self, p: &Pattern, picks: &[u32]) -> bool {
        let loc = |i: &u32| p.locations[*i as usize] as usize;
        let occurrences: i64 = picks.iter().map(|i| self.dag.paths[loc(i)]).sum();
        if occurrences < 2 {
            return false;
        }
        if picks.len() == 1 && self.dag.free[loc(&picks[0])] == 0 {
            return false;
        }
        let task = self.task_of_node[loc(&picks[0])];
        !(task != MANY_TASKS && picks.iter().all(|i| self.task_of_node[loc(i)] == task))
    }

    /// Adds `child` to `out` unless a better abstraction dominates it: one of its
    /// parameters always gets the same closed argument (writing that argument into the
    /// body is better), or two parameters always get the same argument (one parameter
    /// used twice is better). Both better versions are explored elsewhere.
    fn keep(&self, child: Pattern, out: &mut Vec<Pattern>) {
        let useless = child.params.iter().any(|q| {
            let first = q.nodes[0];
            self.dag.free[first as usize] == 0 && q.nodes.iter().all(|&n| n == first)
        });
        let redundant = child.params.iter().enumerate().any(|(i, q)| {
            child.params[..i].iter().any(|r| {
                q.nodes == r.nodes
                    && (q.depth == r.depth
                        || q.nodes.iter().all(|&n| self.dag.free[n as usize] == 0))
            })
        });
        if !useless && !redundant {
            out.push(child);
        }
    }

    /// `p` restricted to the locations `picks`, its last hole removed.
    fn restrict(&self, p: &Pattern, picks: &[u32]) -> Pattern {
        let pick = |v: &Vec<u32>| picks.iter().map(|&i| v[i as usize]).collect::<Vec<u32>>();
        let holes = p.holes.len() - 1;
        Pattern {
            body: p.body.clone(),
            holes: p.holes[..holes].to_vec(),
            hole_nodes: p.hole_nodes[..holes].iter().map(pick).collect(),
            locations: pick(&p.locations),
            params: p
                .params
                .iter()
                .map(|q| ParamSlot {
                    nodes: pick(&q.nodes),
                    depth: q.depth,
                })
                .collect(),
            body_cost: p.body_cost,
            bound: 0,
        }
    }

    /// Fills `hole` with the node kind the locations `picks` share.
    fn syntactic(&self, p: &Pattern, hole: Hole, kind: Kind, picks: &[u32]) -> Pattern {
        let under = p.hole_nodes.last().expect("one node list per hole");
        let mut child = self.restrict(p, picks);
        let nodes: Vec<u32> = picks.iter().map(|&i| under[i as usize]).collect();
        let slot = hole.slot as usize;
        match kind {
            Kind::App => {
                let (f, x) = (child.body.len() as u32, child.body.len() as u32 + 1);
                child.body.extend([Slot::Hole, Slot::Hole]);
                child.body[slot] = Slot::App(f, x);
                let (fs, xs): (Vec<u32>, Vec<u32>) = nodes
                    .iter()
                    .map(|&n| match self.dag.nodes[n as usize] {
                        Node::App(a, b) => (a, b),
                        _ => unreachable!("grouped as applications"),
                    })
                    .unzip();
                // The argument is filled first: it splits the locations sooner than the
                // function, whose application spines all look alike.
                child.push_hole(f, hole.depth, true, fs);
                child.push_hole(x, hole.depth, false, xs);
                child.body_cost += self.cost.app;
            }
            Kind::Lam => {
                let b = child.body.len() as u32;
                child.body.push(Slot::Hole);
                child.body[slot] = Slot::Lam(b);
                let bodies = nodes
                    .iter()
                    .map(|&n| match self.dag.nodes[n as usize] {
                        Node::Lam(b) => b,
                        _ => unreachable!("grouped as lambdas"),
                    })
                    .collect();
                child.push_hole(b, hole.depth + 1, false, bodies);
                child.body_cost += self.cost.lam;
            }
            Kind::Var(v) => {
                child.body[slot] = Slot::Var(v);
                child.body_cost += self.cost.var;
            }
            Kind::Prim(s) => {
                child.body[slot] = Slot::Prim(s);
                child.body_cost += self.cost.prim;
            }
        }
        child.bound = self.bound(&child);
        child
    }

    /// Fills `hole` with parameter `k` (a new one when `k` is the arity).
    fn with_param(&self, p: &Pattern, hole: Hole, k: usize, picks: &[u32]) -> Pattern {
        let under = p.hole_nodes.last().expect("one node list per hole");
        let mut child = self.restrict(p, picks);
        child.body[hole.slot as usize] = Slot::Param(k as u32);
        if k == child.params.len() {
            child.params.push(ParamSlot {
                nodes: picks.iter().map(|&i| under[i as usize]).collect(),
                depth: hole.depth,
            });
        }
        child.bound = self.bound(&child);
        child
    }

    /// An upper bound on the utility of anything `p` can become: at each location the
    /// node's cost minus what the rewrite keeps (the new primitive, one application per
    /// parameter, each argument once), never below zero, times its occurrences; minus the
    /// body's cost so far.
    fn bound(&self, p: &Pattern) -> i64 {
        let apply = self.cost.prim + self.cost.app * p.params.len() as i64;
        let mut total = 0;
        for (i, &loc) in p.locations.iter().enumerate() {
            let kept: i64 = p
                .params
                .iter()
                .map(|q| self.dag.cost[q.nodes[i] as usize])
                .sum();
            let saved = self.dag.cost[loc as usize] - apply - kept;
            if saved > 0 {
                total += saved * self.dag.paths[loc as usize];
            }
        }
        total - p.body_cost
    }

    /// The exact utility of a finished abstraction: the corpus cost saved by rewriting it
    /// wherever that pays (a dynamic program over the graph, children first), minus the
    /// body's cost.
    fn utility(&mut self, p: &Pattern) -> i64 {
        let Some(&first) = p.locations.first() else {
            return 0;
        };
        for (i, &loc) in p.locations.iter().enumerate() {
            self.location_of[loc as usize] = i as u32 + 1;
        }
        let apply = self.cost.prim + self.cost.app * p.params.len() as i64;
        let dag = self.dag;
        for n in first as usize..dag.nodes.len() {
            let mut c = dag.cost_over(n, self.cost, &self.new_cost);
            let l = self.location_of[n];
            if l > 0 {
                let args: i64 = p
                    .params
                    .iter()
                    .map(|q| self.new_cost[q.nodes[l as usize - 1] as usize])
                    .sum();
                c = c.min(apply + args);
            }
            self.new_cost[n] = c;
        }
        let after = dag.objective(|r| self.new_cost[dag.roots[r] as usize]);
        for &loc in &p.locations {
            self.location_of[loc as usize] = 0;
        }
        self.new_cost[first as usize..].copy_from_slice(&dag.cost[first as usize..]);
        self.initial - after - p.body_cost
    }
}

/// Marks a node that occurs in more than one task.
const MANY_TASKS: u32 = u32::MAX;

/// The one task each node of `dag` occurs in, or [`MANY_TASKS`].
fn task_of_node(dag: &Dag) -> Vec<u32> {
    const NONE: u32 = u32::MAX - 1;
    let mut task = vec![NONE; dag.nodes.len()];
    let mark = |task: &mut Vec<u32>, n: u32, t: u32| {
        let slot = &mut task[n as usize];
        *slot = if *slot == NONE || *slot == t {
            t
        } else {
            MANY_TASKS
        };
    };
    for (r, &root) in dag.roots.iter().enumerate() {
        mark(&mut task, root, dag.task_of_root[r]);
    }
    for n in (0..dag.nodes.len()).rev() {
        let t = task[n];
        match dag.nodes[n] {
            Node::App(a, b) => {
                mark(&mut task, a, t);
                mark(&mut task, b, t);
            }
            Node::Lam(b) => mark(&mut task, b, t),
            _ => {}
        }
    }
    task
}

impl Pattern {
    fn push_hole(&mut self, slot: u32, depth: u32, head: bool, nodes: Vec<u32>) {
        self.holes.push(Hole { slot, depth, head });
        self.hole_nodes.push(nodes);
    }
}

/// The finished pattern as a candidate.
fn candidate(p: Pattern, utility: i64) -> Candidate {
    let mut body = RecExpr::default();
    emit(&p.body, 0, &mut body);
    Candidate {
        body,
        arity: p.params.len(),
        utility,
        locations: p.locations,
        depths: p.params.iter().map(|q| q.depth).collect(),
        args: p.params.into_iter().map(|q| q.nodes).collect(),
    }
}

fn emit(body: &[Slot], slot: u32, out: &mut RecExpr<Lambda>) -> Id {
    let node = match body[slot as usize] {
        Slot::App(f, x) => {
            let f = emit(body, f, out);
            let x = emit(body, x, out);
            Lambda::App([f, x])
        }
        Slot::Lam(b) => Lambda::Lam([emit(body, b, out)]),
        Slot::Var(v) => Lambda::Var(Index(v)),
        Slot::Prim(s) => Lambda::Prim(s),
        Slot::Param(k) => Lambda::Param(Param(k)),
        Slot::Hole => unreachable!("a finished abstraction has no holes"),
    };
    out.add(node)
}
