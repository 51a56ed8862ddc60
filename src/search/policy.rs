//! Policies: what proposes and scores the next actions. The search asks a [`Policy`]; the
//! neural guide of `janus guide` implements the same trait, so the search never depends
//! on it.

use petgraph::stable_graph::NodeIndex;

use super::actions::{self, Action, Candidate, Direction, Directions};
use super::graph::SearchGraph;
use crate::domains::Domain;
use crate::dsl::{Registry, Value};

/// Proposes actions around a new node and scores evaluated candidates (higher first).
pub trait Policy: Send + Sync {
    /// A short name for reports.
    fn name(&self) -> &str;

    /// Actions involving `node` (just created or grounded). The default proposes every
    /// type-correct action once; a policy may propose fewer.
    fn propose(&self, graph: &SearchGraph, registry: &Registry, node: NodeIndex, dirs: Directions, out: &mut Vec<Action>) {
        actions::propose(graph, registry, node, dirs, out);
    }

    /// One score per candidate, in the state `graph`; higher scores are expanded first.
    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64>;
}

/// Score bonus for a candidate that joins the fronts: it is always taken first.
pub const MEET_BONUS: f64 = 1e9;

/// Exhaustive enumeration: smallest programs first, in the order they were found.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnumerationPolicy;

impl Policy for EnumerationPolicy {
    fn name(&self) -> &str {
        "enumerate"
    }
    fn score(&self, _graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        candidates.iter().map(|c| if c.meets { MEET_BONUS } else { 0.0 } - c.cost).collect()
    }
}

/// The hand-written heuristic of the bidirectional search: joins first, then the lowest
/// estimate of the finished program's cost, `cost + weight * h`, where `h` is the number
/// of inputs still to use (linear tasks) or the domain's distance to the other front.
#[derive(Clone, Debug)]
pub struct HeuristicPolicy {
    distance: Option<fn(&Value, &Value) -> f64>,
    weight: f64,
}

impl HeuristicPolicy {
    /// The heuristic with the domain's distance and weight.
    pub fn for_domain(domain: &Domain) -> Self {
        HeuristicPolicy { distance: domain.distance, weight: domain.distance_weight }
    }

    fn remaining(&self, graph: &SearchGraph, c: &Candidate) -> f64 {
        let total = graph.full_usage().total() as f64;
        let used = c.outputs[0].1.total() as f64;
        match c.action.direction {
            // Inputs not yet folded in: one step each at least.
            Direction::Forward => total - used,
            // Inputs the computed node must combine: one step fewer than their number.
            _ => (used - 1.0).max(0.0),
        }
    }

    fn distance(&self, graph: &SearchGraph, c: &Candidate, distance: fn(&Value, &Value) -> f64) -> f64 {
        let forward = c.action.direction == Direction::Forward;
        let others: Vec<NodeIndex> = if forward {
            graph.ungrounded_nodes().collect()
        } else {
            graph.grounded_nodes().iter().copied().filter(|&n| graph.contains(n)).collect()
        };
        let mut best = f64::INFINITY;
        for (values, _) in &c.outputs {
            let mut nearest = f64::INFINITY;
            for &o in &others {
                let ov = &graph.value(o).values;
                let d = values.iter().zip(ov.iter()).map(|(a, b)| distance(a, b)).sum::<f64>() / values.len() as f64;
                nearest = nearest.min(d);
            }
            best = best.min(nearest);
        }
        if best.is_finite() {
            best
        } else {
            0.0
        }
    }
}

impl Policy for HeuristicPolicy {
    fn name(&self) -> &str {
        "heuristic"
    }
    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        candidates
            .iter()
            .map(|c| {
                if c.meets {
                    return MEET_BONUS - c.cost;
                }
                let h = match (graph.is_linear(), self.distance) {
                    (true, _) => self.remaining(graph, c),
                    (false, Some(d)) => self.weight * self.distance(graph, c, d),
                    (false, None) => 0.0,
                };
                -(c.cost + h)
            })
            .collect()
    }
}
