//! Policies: what proposes and scores the next actions. The search asks a [`Policy`]; the
//! neural guide of `janus guide` implements the same trait, so the search never depends
//! on it.

use petgraph::stable_graph::NodeIndex;

use super::actions::{self, Action, Candidate, Direction, Directions};
use super::graph::{Role, SearchGraph};
use crate::domains::Domain;
use crate::dsl::{PrimId, Registry, Value};

/// Proposes actions around a new node and scores evaluated candidates (higher first).
pub trait Policy: Send + Sync {
    /// A short name for reports.
    fn name(&self) -> &str;

    /// Actions involving `node` (just created or grounded). The default proposes every
    /// type-correct action once; a policy may propose fewer.
    fn propose(
        &self,
        graph: &SearchGraph,
        registry: &Registry,
        node: NodeIndex,
        dirs: Directions,
        out: &mut Vec<Action>,
    ) {
        actions::propose(graph, registry, node, dirs, out);
    }

    /// One score per candidate, in the state `graph`; higher scores are expanded first.
    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64>;

    /// Whether a candidate's score depends on the whole state, so that the search must
    /// score every live candidate again after each expansion (a policy network's
    /// distribution over the valid actions) instead of once when it was proposed.
    fn rescores(&self) -> bool {
        false
    }

    /// For a rescoring policy: how much a candidate pays for the summed scores of the
    /// actions that made its arguments (1: best-first on the path's log-probability;
    /// more: closer to breadth-first over the policy's ranking).
    fn path_weight(&self) -> f64 {
        1.0
    }

    /// What each primitive's forward step should gain in the forward phase's order, in cost
    /// units (0 or less), for the task of `graph` before any action: a guide's prior on
    /// which steps to chain first. Indexed by primitive id; `None` (the default): the
    /// phase keeps its cheapest-first order.
    fn forward_step_bonus(&self, _graph: &SearchGraph, _registry: &Registry) -> Option<Vec<f64>> {
        None
    }
}

/// Another policy with some primitives taken out: it never proposes an action of theirs.
/// The second attempt at a task searches with the first program's outermost primitive
/// taken out, so that it finds a program of another structure.
pub struct Excluding<'a> {
    /// The policy that proposes and scores.
    pub inner: &'a dyn Policy,
    /// The primitives it may not use.
    pub excluded: Vec<PrimId>,
}

impl Policy for Excluding<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn propose(
        &self,
        graph: &SearchGraph,
        registry: &Registry,
        node: NodeIndex,
        dirs: Directions,
        out: &mut Vec<Action>,
    ) {
        let start = out.len();
        self.inner.propose(graph, registry, node, dirs, out);
        let kept: Vec<Action> = out
            .drain(start..)
            .filter(|a| !self.excluded.contains(&a.prim))
            .collect();
        out.extend(kept);
    }
    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        self.inner.score(graph, candidates)
    }
    fn rescores(&self) -> bool {
        self.inner.rescores()
    }
    fn path_weight(&self) -> f64 {
        self.inner.path_weight()
    }
    fn forward_step_bonus(&self, graph: &SearchGraph, registry: &Registry) -> Option<Vec<f64>> {
        self.inner.forward_step_bonus(graph, registry)
    }
}

/// Score bonus for a candidate that joins the fronts, among candidates of equal cost.
pub const JOIN_BONUS: f64 = 1e-3;

/// Exhaustive enumeration: smallest programs first, in the order they were found.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnumerationPolicy;

impl Policy for EnumerationPolicy {
    fn name(&self) -> &str {
        "enumerate"
    }
    fn score(&self, _graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        candidates
            .iter()
            .map(|c| -c.joins.unwrap_or(c.cost))
            .collect()
    }
}

/// The hand-written heuristic of the bidirectional search, an A*-like estimate `f` of the
/// finished program's cost (lower first, joins first among equals):
/// - a candidate that joins the fronts: the cost of the program it completes;
/// - in a linear task: its cost plus one step per input it still has to take in;
/// - with a domain distance: its cost plus the estimated steps to the other side's root
///   (the target for forward steps, the nearest input for backward steps);
/// - otherwise its cost alone (breadth-first in both directions).
#[derive(Clone, Debug)]
pub struct HeuristicPolicy {
    distance: Option<fn(&Value, &Value) -> f64>,
    min_cost: f64,
}

impl HeuristicPolicy {
    /// The heuristic with the domain's distance (in steps of the cheapest primitive).
    pub fn for_domain(domain: &Domain) -> Self {
        let min_cost = domain
            .registry
            .iter()
            .map(|(_, p)| p.cost)
            .fold(f64::INFINITY, f64::min);
        HeuristicPolicy {
            distance: domain.distance,
            min_cost: if min_cost.is_finite() { min_cost } else { 1.0 },
        }
    }

    /// The estimated cost still to pay after candidate `c`.
    pub fn remaining(&self, graph: &SearchGraph, c: &Candidate) -> f64 {
        self.remaining_from(graph, &roots(graph), c)
    }

    /// [`Self::remaining`], with the graph's `roots` (inputs and constants) found once
    /// for a whole batch of candidates.
    fn remaining_from(&self, graph: &SearchGraph, roots: &[&[Value]], c: &Candidate) -> f64 {
        let forward = c.action.direction == Direction::Forward;
        if graph.is_linear() {
            let used = c.outputs.iter().map(|(_, u)| u.total()).sum::<u32>() as f64;
            // Steps are counted at the cheapest primitive's cost, so the estimate stays a
            // lower bound.
            let steps = if forward {
                graph.full_usage().total() as f64 - used // one step per input not yet folded in
            } else {
                (used - c.outputs.len() as f64).max(0.0) // the computed inputs' own steps
            };
            return steps * self.min_cost;
        }
        let Some(distance) = self.distance else {
            return 0.0;
        };
        let target = &graph.value(graph.target()).values;
        let mean = |from: &[Value], to: &[Value]| {
            from.iter()
                .zip(to)
                .map(|(a, b)| distance(a, b))
                .sum::<f64>()
                / from.len().max(1) as f64
        };
        if forward {
            return mean(&c.outputs[0].0, target) * self.min_cost;
        }
        c.outputs
            .iter()
            .map(|(values, _)| {
                roots
                    .iter()
                    .map(|r| mean(r, values))
                    .fold(f64::INFINITY, f64::min)
            })
            .sum::<f64>()
            * self.min_cost
    }
}

/// The values of the graph's inputs and constants, where backward steps end.
fn roots(graph: &SearchGraph) -> Vec<&[Value]> {
    graph
        .value_nodes()
        .filter(|&n| matches!(graph.value(n).role, Role::Input(_) | Role::Constant(_)))
        .map(|n| &*graph.value(n).values)
        .collect()
}

impl Policy for HeuristicPolicy {
    fn name(&self) -> &str {
        "heuristic"
    }
    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        let backward = candidates
            .iter()
            .any(|c| c.action.direction != Direction::Forward);
        let roots = if backward && self.distance.is_some() {
            roots(graph)
        } else {
            Vec::new()
        };
        candidates
            .iter()
            .map(|c| match c.joins {
                Some(total) => JOIN_BONUS - total,
                None => -(c.cost + self.remaining_from(graph, &roots, c)),
            })
            .collect()
    }
}
