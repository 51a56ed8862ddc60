//! The bidirectional search graph (Alford et al.): a bipartite DAG of value nodes and
//! program nodes (hyperedges), built on petgraph.
//!
//! A value node holds one value per example and is identified by those values (plus the
//! input usage in linear tasks), so a value reached from both sides is one node: that is
//! where the forward and backward fronts meet. Inputs start grounded and the target
//! ungrounded; forward actions add grounded outputs, inverse actions add ungrounded inputs.
//! Grounding propagates forward; once a node is grounded, the other ungrounded branches
//! into it are pruned. The program is read off the grounding edges.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use rustc_hash::{FxHashMap, FxHashSet};

use super::actions::{Action, Candidate, Direction};
use super::enumerate::{Enumeration, Operand};
use super::usage::{Usage, MAX_COUNT, MAX_SLOTS};
use crate::domains::Literals;
use crate::dsl::{shapes, Expr, PrimId, Registry, Shape, Type, Value};

/// One value per example.
pub type Values = Arc<[Value]>;

/// What a value node stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A task input; the indices of the inputs with these values.
    Input(Vec<usize>),
    /// The value of a constant (arity-0) primitive.
    Constant(PrimId),
    /// A value an inverse computed that is the same on every example, of a type the
    /// domain allows as a literal (an ARC colour): grounded as that constant.
    Literal,
    /// The task's output.
    Target,
    /// Made by an action.
    Derived,
}

/// A node holding one value per example.
#[derive(Clone, Debug)]
pub struct ValueNode {
    /// The values, one per example.
    pub values: Values,
    /// Their type.
    pub ty: Type,
    /// Each example's grid shape, when the values are grids (see [`crate::dsl::ShapeRule`]).
    pub shapes: Option<Box<[Shape]>>,
    /// Input uses (linear tasks; [`Usage::NONE`] otherwise).
    pub usage: Usage,
    /// Whether a program from the inputs computes it.
    pub grounded: bool,
    /// Input, constant, target or derived.
    pub role: Role,
    /// Grounded: the cost of its program. Ungrounded: the cost of the partial program
    /// from the target down to it.
    pub cost: f64,
    /// The program node that grounded it (for reading the program off).
    pub grounded_by: Option<NodeIndex>,
    /// Its position among the grounded nodes, in the order they were grounded.
    pub rank: Option<usize>,
}

/// A hyperedge: a primitive applied to its argument nodes, giving its output node.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramNode {
    /// The primitive.
    pub prim: PrimId,
    /// The action kind that added it.
    pub direction: Direction,
    /// The primitive's cost.
    pub cost: f64,
}

/// A node of the search graph.
#[derive(Clone, Debug)]
pub enum Node {
    /// A value node.
    Value(ValueNode),
    /// A program node.
    Program(ProgramNode),
    /// A pruned node, kept (without edges) so that its index is never given to a new
    /// node: candidates and orders that still name it must not find something else.
    Pruned,
}

/// An edge: value -> program (argument slot) or program -> value (output).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    /// The source value is argument `slot` of the target program node.
    Arg(usize),
    /// The target value is the source program node's output.
    Out,
}

/// What applying a candidate did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The graph changed; these value nodes are new or newly grounded.
    Changed(Vec<NodeIndex>),
    /// Nothing new: the output was already grounded or the hyperedge exists.
    Redundant,
    /// The candidate no longer fits the graph (a node was pruned or grounded meanwhile).
    Stale,
}

/// Input layout of a task: the value node of each input and, for linear tasks, its slot.
#[derive(Clone, Debug)]
struct Resources {
    /// All inputs, as usage (the target's usage in a linear task).
    full: Usage,
    linear: bool,
}

/// A graph error: the task cannot be searched as given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// No examples.
    #[error("the task has no examples")]
    NoExamples,
    /// Examples with different numbers of inputs.
    #[error("example {0} has {1} inputs, example 0 has {2}")]
    InputCount(usize, usize, usize),
    /// A linear task with too many inputs.
    #[error("a linear task may have at most {MAX_SLOTS} distinct inputs, each at most {MAX_COUNT} times")]
    TooManyInputs,
}

/// The search state: value and program nodes, with an index from values to nodes.
#[derive(Clone, Debug)]
pub struct SearchGraph {
    graph: StableDiGraph<Node, Edge>,
    index: FxHashMap<(Values, Usage), NodeIndex>,
    hyperedges: FxHashSet<(PrimId, Vec<NodeIndex>, NodeIndex)>,
    /// Value nodes in insertion order (pruned ones included; check [`Self::contains`]).
    value_order: Vec<NodeIndex>,
    /// Grounded value nodes in the order they were grounded.
    grounded_order: Vec<NodeIndex>,
    /// Value nodes created ungrounded, in order (some grounded or pruned since).
    ungrounded_order: Vec<NodeIndex>,
    target: NodeIndex,
    n_inputs: usize,
    resources: Resources,
    /// Which computed values may be grounded as literals (see [`Role::Literal`]), how
    /// they merge and cost.
    literals: Literals,
    /// Tombstones in `graph`.
    pruned: usize,
    /// Whether the target stays open: see [`Self::collecting_fits`].
    collect_fits: bool,
    /// The program nodes that would have grounded the target, in the order found.
    fits: Vec<NodeIndex>,
    /// The values the forward phase reached, which a node can be grounded by: see
    /// [`Self::with_reached`].
    reached: Option<Arc<Enumeration>>,
}

impl SearchGraph {
    /// The initial graph of a task: grounded inputs and constants, the ungrounded target.
    /// `inputs[e]` and `outputs[e]` are example `e`.
    pub fn new(
        registry: &Registry,
        inputs: &[Vec<Value>],
        outputs: &[Value],
        linear: bool,
    ) -> Result<SearchGraph, GraphError> {
        let n_inputs = inputs.first().ok_or(GraphError::NoExamples)?.len();
        if let Some((e, ins)) = inputs.iter().enumerate().find(|(_, i)| i.len() != n_inputs) {
            return Err(GraphError::InputCount(e, ins.len(), n_inputs));
        }
        let columns: Vec<Values> = (0..n_inputs)
            .map(|i| inputs.iter().map(|ex| ex[i].clone()).collect())
            .collect();
        let mut g = SearchGraph {
            graph: StableDiGraph::new(),
            index: FxHashMap::default(),
            hyperedges: FxHashSet::default(),
            value_order: Vec::new(),
            grounded_order: Vec::new(),
            ungrounded_order: Vec::new(),
            target: NodeIndex::end(),
            literals: Literals::none(),
            pruned: 0,
            collect_fits: false,
            fits: Vec::new(),
            reached: None,
            n_inputs,
            resources: Resources {
                full: Usage::NONE,
                linear,
            },
        };
        let mut slots: Vec<Values> = Vec::new();
        for (i, col) in columns.iter().enumerate() {
            let usage = if linear {
                let slot = slots.iter().position(|s| s == col).unwrap_or_else(|| {
                    slots.push(col.clone());
                    slots.len() - 1
                });
                if slot >= MAX_SLOTS {
                    return Err(GraphError::TooManyInputs);
                }
                let u = Usage::unit(slot);
                if g.resources.full.count(slot) >= MAX_COUNT {
                    return Err(GraphError::TooManyInputs);
                }
                g.resources.full = g
                    .resources
                    .full
                    .checked_add(u, Usage::UNLIMITED)
                    .expect("below limit");
                u
            } else {
                Usage::NONE
            };
            match g.index.get(&(col.clone(), usage)) {
                Some(&n) => match &mut g.value_mut(n).role {
                    Role::Input(ids) => ids.push(i),
                    _ => unreachable!("only inputs exist yet"),
                },
                None => {
                    g.add_value(col.clone(), usage, true, Role::Input(vec![i]), 0.0);
                }
            }
        }
        for (id, p) in registry.iter().filter(|(_, p)| p.arity == 0) {
            if let Ok(v) = (p.forward)(&[]) {
                let values: Values = std::iter::repeat_n(v, inputs.len()).collect();
                if !g.index.contains_key(&(values.clone(), Usage::NONE)) {
                    g.add_value(values, Usage::NONE, true, Role::Constant(id), p.cost);
                }
            }
        }
        let target_values: Values = outputs.iter().cloned().collect();
        let key = (target_values.clone(), g.resources.full);
        g.target = match g.index.get(&key) {
            Some(&n) => n,
            None => g.add_value(target_values, g.resources.full, false, Role::Target, 0.0),
        };
        Ok(g)
    }

    /// Lets values of the domain's literal types, when an inverse computes the same one on
    /// every example (of two or more), be grounded as literal constants: how a parameter
    /// such as a colour is inferred from the examples instead of enumerated.
    pub fn with_literals(mut self, literals: Literals) -> Self {
        self.literals = literals;
        self
    }

    /// Lets the search meet the values the forward phase reached (a one-input task's
    /// [`Enumeration`]): a node an inverse needs whose values the phase reached is
    /// grounded at once by replaying the phase's chain as forward steps. (Such a
    /// candidate is not scored as a join: a join is scored by its whole program's cost,
    /// which would put it behind the partial programs it completes.)
    pub fn with_reached(mut self, reached: Arc<Enumeration>) -> Self {
        if self.n_inputs == 1 && !self.resources.linear {
            self.reached = Some(reached);
        }
        self
    }

    /// Grounds the ungrounded node `n` by the forward phase's chain to its values, if the
    /// phase reached them; returns the nodes grounded (an open target records a fit).
    pub fn meet_reached(&mut self, n: NodeIndex) -> Vec<NodeIndex> {
        let v = self.value(n);
        if v.grounded {
            return Vec::new();
        }
        let Some(id) = self.reached_id(&v.values.clone(), v.usage) else {
            return Vec::new();
        };
        let mut grounded = Vec::new();
        self.replay(id, &mut grounded);
        grounded
    }

    fn reached_id(&self, values: &Values, usage: Usage) -> Option<u32> {
        let e = self.reached.as_ref().filter(|_| usage == Usage::NONE)?;
        e.find(values)
    }

    /// Adds the forward phase's chain `id` as grounded forward steps from the input;
    /// returns the node of its last value and appends the nodes it grounded to
    /// `grounded`. A chain through the open target (collecting fits) records a fit and
    /// stops there, ungrounded.
    fn replay(&mut self, id: u32, grounded: &mut Vec<NodeIndex>) -> NodeIndex {
        let reached = self
            .reached
            .clone()
            .expect("replay needs the forward phase");
        let input = self.input_node(0).expect("a one-input task has its input");
        let mut at = input;
        for (step, values) in reached.chain(id) {
            let mut args = Vec::with_capacity(step.operands.len());
            for operand in &step.operands {
                let node = match operand {
                    Operand::Chain => at,
                    Operand::Input => input,
                    Operand::Literal(literal) => self.literal_node(literal, values.len(), grounded),
                };
                args.push(node);
            }
            let out = match self.lookup(&values, Usage::NONE) {
                Some(n) if self.value(n).grounded => {
                    at = n;
                    continue;
                }
                Some(n) => n,
                None => self.add_value(values, Usage::NONE, false, Role::Derived, 0.0),
            };
            if !self.hyperedges.contains(&(step.prim, args.clone(), out)) {
                let p = self.add_program(step.prim, Direction::Forward, step.cost, &args, out);
                grounded.extend(self.ground(out, p));
            }
            at = out;
            if !self.value(out).grounded {
                break; // the open target: a fit, and nothing after it can build on it
            }
        }
        at
    }

    /// The grounded node of `literal` on each of `n` examples, added (and appended to
    /// `grounded`) if the graph lacks it.
    fn literal_node(
        &mut self,
        literal: &Value,
        n: usize,
        grounded: &mut Vec<NodeIndex>,
    ) -> NodeIndex {
        let column: Values = std::iter::repeat_n(literal.clone(), n).collect();
        if let Some(node) = self.lookup(&column, Usage::NONE) {
            return node;
        }
        let cost = self.literal_cost(&column);
        let node = self.add_value(column, Usage::NONE, true, Role::Literal, cost);
        grounded.push(node);
        node
    }

    /// Keeps the target open: each hyperedge that would ground it is recorded as a fit
    /// ([`Self::fits`]) and the target stays ungrounded, so a search can go on to the next
    /// program that fits, through the same graph.
    pub fn collecting_fits(mut self) -> Self {
        self.collect_fits = true;
        self
    }

    /// The program nodes that would have grounded the target, in the order found (only
    /// while [`Self::collecting_fits`]); read one with [`Self::fit_program`].
    pub fn fits(&self) -> &[NodeIndex] {
        &self.fits
    }

    /// The program that fit `p` (one of [`Self::fits`]) computes, as a closed expression.
    pub fn fit_program(&self, p: NodeIndex, registry: &Registry) -> Expr {
        let mut next_use = HashMap::new();
        Expr::lambdas(self.n_inputs, self.apply_body(p, registry, &mut next_use))
    }

    /// The search's cost of the program fit `p` computes: its primitives' costs plus its
    /// literals' (the description length the search orders by).
    pub fn fit_cost(&self, p: NodeIndex) -> f64 {
        self.program_cost(p)
    }

    /// The domain's literal rules.
    pub fn literals(&self) -> &Literals {
        &self.literals
    }

    /// What a literal costs in the search (the domain's rule; nothing without values).
    pub fn literal_cost(&self, values: &Values) -> f64 {
        values.first().map_or(0.0, |v| (self.literals.cost)(v))
    }

    /// Whether `values` may become a literal constant.
    pub fn is_literal(&self, values: &Values) -> bool {
        values.len() >= 2
            && values.windows(2).all(|w| w[0] == w[1])
            && self.literals.types.contains(&values[0].type_of())
    }

    fn add_value(
        &mut self,
        values: Values,
        usage: Usage,
        grounded: bool,
        role: Role,
        cost: f64,
    ) -> NodeIndex {
        let ty = values.first().map_or(Type::Var(0), Value::type_of);
        let rank = grounded.then_some(self.grounded_order.len());
        let node = ValueNode {
            shapes: shapes(&values),
            values: values.clone(),
            ty,
            usage,
            grounded,
            role,
            cost,
            grounded_by: None,
            rank,
        };
        let n = self.graph.add_node(Node::Value(node));
        self.index.insert((values, usage), n);
        if grounded {
            self.grounded_order.push(n);
        } else {
            self.ungrounded_order.push(n);
        }
        self.value_order.push(n);
        n
    }

    /// The value node `n`; panics if `n` is a program node or was pruned.
    pub fn value(&self, n: NodeIndex) -> &ValueNode {
        match &self.graph[n] {
            Node::Value(v) => v,
            _ => panic!("{n:?} is not a live value node"),
        }
    }

    fn value_mut(&mut self, n: NodeIndex) -> &mut ValueNode {
        match &mut self.graph[n] {
            Node::Value(v) => v,
            _ => panic!("{n:?} is not a live value node"),
        }
    }

    /// Whether `n` is still in the graph (not pruned).
    pub fn contains(&self, n: NodeIndex) -> bool {
        matches!(
            self.graph.node_weight(n),
            Some(Node::Value(_) | Node::Program(_))
        )
    }

    /// Whether `n` is a live, grounded value node.
    pub fn is_grounded(&self, n: NodeIndex) -> bool {
        self.contains(n) && self.value(n).grounded
    }

    /// The target node.
    pub fn target(&self) -> NodeIndex {
        self.target
    }

    /// The node of input `i` (inputs with equal values share one node).
    pub fn input_node(&self, i: usize) -> Option<NodeIndex> {
        self.value_nodes()
            .find(|&n| matches!(&self.value(n).role, Role::Input(ids) if ids.contains(&i)))
    }

    /// Whether the target is grounded: a program has been found.
    pub fn solved(&self) -> bool {
        self.value(self.target).grounded
    }

    /// Whether programs must use each input exactly once.
    pub fn is_linear(&self) -> bool {
        self.resources.linear
    }

    /// The usage of all inputs together (the target's usage in a linear task).
    pub fn full_usage(&self) -> Usage {
        self.resources.full
    }

    /// The live value nodes in insertion order.
    pub fn value_nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.value_order
            .iter()
            .copied()
            .filter(|&n| self.contains(n))
    }

    /// The grounded value nodes in the order they were grounded.
    pub fn grounded_nodes(&self) -> &[NodeIndex] {
        &self.grounded_order
    }

    /// The live ungrounded value nodes in insertion order.
    pub fn ungrounded_nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.ungrounded_order
            .iter()
            .copied()
            .filter(|&n| self.contains(n) && !self.value(n).grounded)
    }

    /// The node with these values and usage, if any.
    pub fn lookup(&self, values: &Values, usage: Usage) -> Option<NodeIndex> {
        self.index.get(&(values.clone(), usage)).copied()
    }

    /// Number of live nodes (value and program).
    pub fn node_count(&self) -> usize {
        self.graph.node_count() - self.pruned
    }

    /// The argument nodes of program node `p`, by slot.
    fn program_args(&self, p: NodeIndex) -> Vec<NodeIndex> {
        let mut args: Vec<(usize, NodeIndex)> = self
            .graph
            .edges_directed(p, Incoming)
            .map(|e| match e.weight() {
                Edge::Arg(slot) => (*slot, e.source()),
                Edge::Out => unreachable!("outputs leave program nodes"),
            })
            .collect();
        args.sort_unstable();
        args.into_iter().map(|(_, n)| n).collect()
    }

    /// Whether some program node computes `n` (an action produced it or was inverted
    /// from it).
    pub fn has_producer(&self, n: NodeIndex) -> bool {
        self.graph.neighbors_directed(n, Incoming).next().is_some()
    }

    /// Whether `n` is an argument of some program node.
    pub fn has_consumer(&self, n: NodeIndex) -> bool {
        self.graph.neighbors_directed(n, Outgoing).next().is_some()
    }

    /// The steps of the program that grounds `n`: each as (primitive, argument nodes by
    /// slot, output node). Empty when `n` is not grounded.
    pub fn program_steps(&self, n: NodeIndex) -> HashSet<(PrimId, Vec<NodeIndex>, NodeIndex)> {
        let mut steps = HashSet::new();
        let mut stack = vec![n];
        while let Some(n) = stack.pop() {
            let Some(p) = self.value(n).grounded_by.filter(|_| self.is_grounded(n)) else {
                continue;
            };
            let Node::Program(prog) = &self.graph[p] else {
                unreachable!("program node")
            };
            let args = self.program_args(p);
            stack.extend(args.iter().copied());
            steps.insert((prog.prim, args, n));
        }
        steps
    }

    /// The program nodes whose output is `n`.
    fn producers(&self, n: NodeIndex) -> Vec<NodeIndex> {
        self.graph.neighbors_directed(n, Incoming).collect()
    }

    fn output_of(&self, p: NodeIndex) -> NodeIndex {
        self.graph
            .neighbors_directed(p, Outgoing)
            .next()
            .expect("a program node has an output")
    }

    /// Applies an evaluated candidate.
    pub fn apply(&mut self, c: &Candidate, registry: &Registry) -> Applied {
        let a = &c.action;
        if a.args.iter().any(|&n| !self.contains(n)) {
            return Applied::Stale;
        }
        match a.direction {
            Direction::Forward => {
                if !a.args.iter().all(|&n| self.value(n).grounded) {
                    return Applied::Stale;
                }
                self.apply_forward(a, &c.outputs[0], c.cost, registry.get(a.prim).cost)
            }
            Direction::Inverse | Direction::CondInverse(_) => {
                let out = a.args[0];
                if self.value(out).grounded || !a.args[1..].iter().all(|&n| self.value(n).grounded)
                {
                    return Applied::Stale;
                }
                self.apply_inverse(a, &c.outputs, c.cost, registry)
            }
        }
    }

    fn apply_forward(
        &mut self,
        a: &Action,
        out: &(Values, Usage),
        cost: f64,
        step: f64,
    ) -> Applied {
        let existing = self.lookup(&out.0, out.1);
        if existing.is_some_and(|n| self.value(n).grounded) {
            return Applied::Redundant;
        }
        // An open target (collecting fits) is the only ungrounded node a forward action
        // can reach twice by the same hyperedge.
        if existing.is_some_and(|n| self.hyperedges.contains(&(a.prim, a.args.clone(), n))) {
            return Applied::Redundant;
        }
        let output = existing
            .unwrap_or_else(|| self.add_value(out.0.clone(), out.1, false, Role::Derived, cost));
        let p = self.add_program(a.prim, a.direction, step, &a.args, output);
        Applied::Changed(self.ground(output, p))
    }

    fn apply_inverse(
        &mut self,
        a: &Action,
        missing: &[(Values, Usage)],
        cost: f64,
        registry: &Registry,
    ) -> Applied {
        let prim = registry.get(a.prim);
        let out = a.args[0];
        let missing_slots = match a.direction {
            Direction::CondInverse(i) => prim.cond_inverses[i].missing(prim.arity),
            _ => (0..prim.arity).collect(),
        };
        let mut fresh = Vec::new();
        let mut args = vec![NodeIndex::end(); prim.arity];
        let mut known = a.args[1..].iter();
        for (slot, arg) in args.iter_mut().enumerate() {
            if let Some(k) = missing_slots.iter().position(|&s| s == slot) {
                let (values, usage) = &missing[k];
                *arg = match self.lookup(values, *usage) {
                    Some(n) => n,
                    None => match self.reached_id(values, *usage) {
                        Some(id) => self.replay(id, &mut fresh),
                        None => {
                            // A literal is free: the examples determine it.
                            let (grounded, role, cost) = if self.is_literal(values) {
                                (true, Role::Literal, self.literal_cost(values))
                            } else {
                                (false, Role::Derived, cost)
                            };
                            let n = self.add_value(values.clone(), *usage, grounded, role, cost);
                            fresh.push(n);
                            n
                        }
                    },
                };
            } else {
                *arg = *known.next().expect("one known argument per known slot");
            }
        }
        if self.hyperedges.contains(&(a.prim, args.clone(), out)) {
            return Applied::Redundant;
        }
        let p = self.add_program(a.prim, a.direction, prim.cost, &args, out);
        if args.iter().all(|&n| self.value(n).grounded) {
            fresh.extend(self.ground(out, p));
        }
        Applied::Changed(fresh)
    }

    fn add_program(
        &mut self,
        prim: PrimId,
        direction: Direction,
        cost: f64,
        args: &[NodeIndex],
        out: NodeIndex,
    ) -> NodeIndex {
        let p = self.graph.add_node(Node::Program(ProgramNode {
            prim,
            direction,
            cost,
        }));
        for (slot, &n) in args.iter().enumerate() {
            self.graph.add_edge(n, p, Edge::Arg(slot));
        }
        self.graph.add_edge(p, out, Edge::Out);
        self.hyperedges.insert((prim, args.to_vec(), out));
        p
    }

    /// Grounds `n` through program node `by`, propagates forward and prunes the branches
    /// that grounding made useless. Returns the nodes grounded, in order.
    fn ground(&mut self, n: NodeIndex, by: NodeIndex) -> Vec<NodeIndex> {
        let mut grounded = Vec::new();
        let mut stack = vec![(n, by)];
        while let Some((n, by)) = stack.pop() {
            // Pruning while grounding may have removed a node (and its producer) queued
            // here: it lost its only consumer, so nothing needs it any more.
            if !self.contains(n) || !self.contains(by) || self.value(n).grounded {
                continue;
            }
            if n == self.target && self.collect_fits {
                if !self.fits.contains(&by) {
                    self.fits.push(by);
                }
                continue;
            }
            let cost = self.program_cost(by);
            let rank = self.grounded_order.len();
            let v = self.value_mut(n);
            v.grounded = true;
            v.grounded_by = Some(by);
            v.cost = cost;
            v.rank = Some(rank);
            self.grounded_order.push(n);
            grounded.push(n);
            self.prune_producers(n, by);
            let consumers: Vec<NodeIndex> = self.graph.neighbors_directed(n, Outgoing).collect();
            for q in consumers.into_iter().filter(|&q| self.contains(q)) {
                let out = self.output_of(q);
                if !self.value(out).grounded
                    && self.program_args(q).iter().all(|&a| self.value(a).grounded)
                {
                    stack.push((out, q));
                }
            }
        }
        grounded
    }

    /// The cost of the program rooted at program node `p` (its arguments grounded).
    fn program_cost(&self, p: NodeIndex) -> f64 {
        let Node::Program(prog) = &self.graph[p] else {
            unreachable!("a program node")
        };
        prog.cost
            + self
                .program_args(p)
                .iter()
                .map(|&a| self.value(a).cost)
                .sum::<f64>()
    }

    /// Removes the hyperedges into the newly grounded `n` other than `keep`, and the
    /// ungrounded nodes that only they needed.
    fn prune_producers(&mut self, n: NodeIndex, keep: NodeIndex) {
        for p in self.producers(n) {
            if p != keep && self.contains(p) {
                self.remove_program(p);
            }
        }
    }

    fn remove_program(&mut self, p: NodeIndex) {
        let args = self.program_args(p);
        let out = self.output_of(p);
        let prim = match &self.graph[p] {
            Node::Program(prog) => prog.prim,
            _ => unreachable!("program node"),
        };
        self.hyperedges.remove(&(prim, args.clone(), out));
        self.tombstone(p);
        for a in args {
            if self.contains(a)
                && !self.value(a).grounded
                && a != self.target
                && self.graph.neighbors_directed(a, Outgoing).next().is_none()
            {
                self.remove_value(a);
            }
        }
    }

    fn remove_value(&mut self, n: NodeIndex) {
        for p in self.producers(n) {
            if self.contains(p) {
                self.remove_program(p);
            }
        }
        if self.contains(n) {
            let v = self.value(n);
            let key = (v.values.clone(), v.usage);
            self.index.remove(&key);
            self.tombstone(n);
        }
    }

    /// Removes `n`'s edges and leaves a tombstone in its place.
    fn tombstone(&mut self, n: NodeIndex) {
        let edges: Vec<_> = self
            .graph
            .edges_directed(n, Incoming)
            .chain(self.graph.edges_directed(n, Outgoing))
            .map(|e| e.id())
            .collect();
        for e in edges {
            self.graph.remove_edge(e);
        }
        self.graph[n] = Node::Pruned;
        self.pruned += 1;
    }

    /// The program that computes grounded node `n` from the inputs, as a closed expression
    /// `(lam ... (lam body))` with one lambda per input (input `i` is `$(n_inputs-1-i)`).
    pub fn program(&self, n: NodeIndex, registry: &Registry) -> Option<Expr> {
        if !self.is_grounded(n) {
            return None;
        }
        let mut next_use: HashMap<NodeIndex, usize> = HashMap::new();
        let body = self.body(n, registry, &mut next_use);
        Some(Expr::lambdas(self.n_inputs, body))
    }

    fn body(
        &self,
        n: NodeIndex,
        registry: &Registry,
        next_use: &mut HashMap<NodeIndex, usize>,
    ) -> Expr {
        let v = self.value(n);
        match (&v.role, v.grounded_by) {
            (Role::Input(ids), _) => {
                // In a linear task each copy of a repeated input is used once, in order.
                let k = next_use.entry(n).or_insert(0);
                let i = ids[(*k).min(ids.len() - 1)];
                *k += 1;
                Expr::Var(self.n_inputs - 1 - i)
            }
            (Role::Constant(id), _) => registry.expr_of(*id),
            (Role::Literal, _) => Expr::Const(v.values[0].clone()),
            (_, Some(p)) => self.apply_body(p, registry, next_use),
            (_, None) => unreachable!("a grounded derived node records what grounded it"),
        }
    }

    /// The expression program node `p` computes, its arguments grounded.
    fn apply_body(
        &self,
        p: NodeIndex,
        registry: &Registry,
        next_use: &mut HashMap<NodeIndex, usize>,
    ) -> Expr {
        let Node::Program(prog) = &self.graph[p] else {
            unreachable!("program node")
        };
        let args: Vec<Expr> = self
            .program_args(p)
            .into_iter()
            .map(|a| self.body(a, registry, next_use))
            .collect();
        Expr::apply(registry.expr_of(prog.prim), args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::search::actions::evaluate;

    fn rats(ns: &[i64]) -> Vec<Value> {
        ns.iter().map(|&n| Value::rat(n, 1)).collect()
    }

    fn node(g: &SearchGraph, n: i64, usage_of: &[NodeIndex]) -> NodeIndex {
        let mut u = Usage::NONE;
        for &i in usage_of {
            u = u.checked_add(g.value(i).usage, g.full_usage()).unwrap();
        }
        let u = if usage_of.is_empty() {
            g.value_nodes()
                .find(|&i| g.value(i).values[0] == Value::rat(n, 1))
                .map(|i| g.value(i).usage)
                .unwrap()
        } else {
            u
        };
        g.lookup(&Values::from(vec![Value::rat(n, 1)]), u)
            .expect("node exists")
    }

    fn act(
        g: &mut SearchGraph,
        reg: &Registry,
        prim: &str,
        direction: Direction,
        args: Vec<NodeIndex>,
    ) -> Applied {
        let action = Action {
            prim: reg.id(prim).unwrap(),
            direction,
            args,
        };
        let c = evaluate(g, reg, &action, 1 << 16).expect("valid action");
        g.apply(&c, reg)
    }

    /// An open target records each hyperedge that would ground it as a fit, stays
    /// ungrounded, and refuses a hyperedge it already has.
    #[test]
    fn collecting_fits_keeps_the_target_open() {
        let d = DomainKind::DoubleAdd.domain();
        let reg = &d.registry;
        let ints = |n: i64| Values::from(vec![Value::int(n)]);
        let mut g = SearchGraph::new(reg, &[vec![Value::int(3)]], &[Value::int(6)], false)
            .unwrap()
            .collecting_fits();
        let input = g.input_node(0).unwrap();
        act(&mut g, reg, "double", Direction::Forward, vec![input]);
        assert_eq!(g.fits().len(), 1);
        assert!(!g.solved(), "the target stays open");
        let mut n = input;
        for k in 4..=6 {
            act(&mut g, reg, "plus_one", Direction::Forward, vec![n]);
            n = g.lookup(&ints(k), Usage::NONE).unwrap();
        }
        let programs: Vec<String> = g
            .fits()
            .iter()
            .map(|&p| g.fit_program(p, reg).to_string())
            .collect();
        assert_eq!(
            programs,
            [
                "(lam (double $0))",
                "(lam (plus_one (plus_one (plus_one $0))))"
            ]
        );
        assert!(g.fit_cost(g.fits()[0]) < g.fit_cost(g.fits()[1]));
        let again = act(&mut g, reg, "double", Direction::Forward, vec![input]);
        assert_eq!(again, Applied::Redundant);
        assert_eq!(g.fits().len(), 2);
    }

    /// The worked example of the original's tests: inputs 1 3 5 7, target 24.
    #[test]
    fn fronts_meet_and_grounding_propagates_to_the_target() {
        let d = DomainKind::TwentyFour.domain();
        let reg = &d.registry;
        let mut g = SearchGraph::new(reg, &[rats(&[1, 3, 5, 7])], &rats(&[24]), true).unwrap();
        let [three, five, seven] = [3, 5, 7].map(|n| node(&g, n, &[]));
        act(&mut g, reg, "add", Direction::Forward, vec![five, seven]);
        let twelve = node(&g, 12, &[five, seven]);
        assert!(g.value(twelve).grounded);
        // 24 = mul(12, x): x = 2 must be made from 1 and 3, ungrounded for now.
        let target = g.target();
        let Applied::Changed(fresh) = act(
            &mut g,
            reg,
            "mul",
            Direction::CondInverse(0),
            vec![target, twelve],
        ) else {
            panic!("mul's inverse adds a node")
        };
        let two = fresh[0];
        assert_eq!(g.value(two).values[0], Value::rat(2, 1));
        assert!(!g.value(two).grounded && !g.solved());
        // 2 = sub(3, y): y = 1 is an input, so 2, then 24 ground.
        act(
            &mut g,
            reg,
            "sub",
            Direction::CondInverse(0),
            vec![two, three],
        );
        assert!(g.value(two).grounded);
        assert!(g.solved());
        let program = g.program(g.target(), reg).unwrap();
        assert_eq!(
            program.to_string(),
            "(lam (lam (lam (lam (mul (add $1 $0) (sub $2 $3))))))"
        );
    }

    #[test]
    fn grounding_prunes_the_other_ungrounded_branches() {
        let d = DomainKind::DoubleAdd.domain();
        let reg = &d.registry;
        let mut g = SearchGraph::new(reg, &[vec![Value::int(2)]], &[Value::int(8)], false).unwrap();
        let target = g.target();
        // Two backward branches into 8: 8 = 7 + 1 and 8 = 2 * 4.
        let Applied::Changed(seven) =
            act(&mut g, reg, "plus_one", Direction::Inverse, vec![target])
        else {
            panic!()
        };
        let Applied::Changed(four) = act(&mut g, reg, "double", Direction::Inverse, vec![target])
        else {
            panic!()
        };
        // 7 = 6 + 1, deeper into the branch that will die.
        let Applied::Changed(six) =
            act(&mut g, reg, "plus_one", Direction::Inverse, vec![seven[0]])
        else {
            panic!()
        };
        assert_eq!(g.producers(target).len(), 2);
        // Forward: 2 -> 4 meets the ungrounded 4, which grounds 8.
        let start = g.value_nodes().next().unwrap();
        act(&mut g, reg, "double", Direction::Forward, vec![start]);
        assert!(g.is_grounded(four[0]) && g.solved());
        assert_eq!(g.producers(target).len(), 1, "the 7 + 1 branch is pruned");
        assert!(
            !g.contains(seven[0]) && !g.contains(six[0]),
            "and its ungrounded nodes with it"
        );
        assert!(g
            .lookup(&Values::from(vec![Value::int(7)]), Usage::NONE)
            .is_none());
        assert_eq!(
            g.program(target, reg).unwrap().to_string(),
            "(lam (double (double $0)))"
        );
    }

    /// Grounding 3 queues both 6 (= double 3) and 4 (= plus_one 3); grounding 6 first
    /// prunes the 6 <- 5 <- 4 branch, so the queued 4 is gone when its turn comes.
    #[test]
    fn grounding_skips_nodes_pruned_while_it_runs() {
        let d = DomainKind::DoubleAdd.domain();
        let reg = &d.registry;
        let mut g = SearchGraph::new(reg, &[vec![Value::int(2)]], &[Value::int(6)], false).unwrap();
        let target = g.target();
        let Applied::Changed(three) = act(&mut g, reg, "double", Direction::Inverse, vec![target])
        else {
            panic!()
        };
        let Applied::Changed(five) = act(&mut g, reg, "plus_one", Direction::Inverse, vec![target])
        else {
            panic!()
        };
        let Applied::Changed(four) =
            act(&mut g, reg, "plus_one", Direction::Inverse, vec![five[0]])
        else {
            panic!()
        };
        assert_eq!(
            act(&mut g, reg, "plus_one", Direction::Inverse, vec![four[0]]),
            Applied::Changed(vec![]),
            "4 <- 3 joins the 3 that exists"
        );
        let start = g.value_nodes().next().unwrap();
        act(&mut g, reg, "plus_one", Direction::Forward, vec![start]);
        assert!(g.is_grounded(three[0]) && g.solved());
        assert!(
            !g.contains(five[0]) && !g.contains(four[0]),
            "the longer branch is pruned"
        );
        assert_eq!(
            g.program(target, reg).unwrap().to_string(),
            "(lam (double (plus_one $0)))"
        );
    }

    #[test]
    fn redundant_and_stale_actions_change_nothing() {
        let d = DomainKind::DoubleAdd.domain();
        let reg = &d.registry;
        let mut g = SearchGraph::new(reg, &[vec![Value::int(2)]], &[Value::int(5)], false).unwrap();
        let start = g.value_nodes().next().unwrap();
        let action = Action {
            prim: reg.id("double").unwrap(),
            direction: Direction::Forward,
            args: vec![start],
        };
        let c = evaluate(&g, reg, &action, 1 << 16).unwrap();
        assert!(matches!(g.apply(&c, reg), Applied::Changed(_)));
        assert_eq!(g.apply(&c, reg), Applied::Redundant);
        assert!(
            evaluate(&g, reg, &action, 1 << 16).is_none(),
            "a known grounded output is not proposed again"
        );
        let target = g.target();
        let inv = Action {
            prim: reg.id("plus_one").unwrap(),
            direction: Direction::Inverse,
            args: vec![target],
        };
        let c = evaluate(&g, reg, &inv, 1 << 16).unwrap();
        assert_eq!(c.joins, Some(2.0), "4 is grounded: 5 = plus_one(double(2))");
        assert!(matches!(g.apply(&c, reg), Applied::Changed(_)));
        assert!(g.solved());
        assert_eq!(
            g.apply(&c, reg),
            Applied::Stale,
            "the output is grounded now"
        );
    }

    #[test]
    fn repeated_inputs_share_a_node_and_are_each_used_once() {
        let d = DomainKind::TwentyFour.domain();
        let g = SearchGraph::new(&d.registry, &[rats(&[1, 1, 4, 6])], &rats(&[24]), true).unwrap();
        assert_eq!(
            g.value_nodes().count(),
            4,
            "three input nodes and the target"
        );
        assert_eq!(g.full_usage().total(), 4);
        assert!(SearchGraph::new(&d.registry, &[], &[], true).is_err());
    }
}
