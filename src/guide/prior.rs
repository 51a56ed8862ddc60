//! The guide as a prior beside the heuristic: the search keeps the heuristic's best-first
//! order and its cheap queue (each candidate is scored once, when it is proposed), and the
//! network only shifts each new candidate's score by its log-probability. Unlike the
//! rescoring [`NeuralPolicy`], whose every expansion scores every live candidate again,
//! this costs one network call per expansion over what is new, or, as a task's prior
//! ([`PriorSource::TaskOp`], DreamCoder's recognition model), one call per task.

use super::encode::EncodedState;
use super::model::GuideModel;
use super::policy::NeuralPolicy;
use crate::domains::Domain;
use crate::dsl::Registry;
use crate::search::{Candidate, Direction, HeuristicPolicy, Policy, SearchGraph};
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// What the network tells a [`GuidedHeuristic`] about a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorSource {
    /// The op head's log-probability of the candidate's op in the state it was proposed
    /// in (the state's encoding only: the cheapest call).
    NextOp,
    /// The whole network's log-probability of the candidate among the expansion's new
    /// candidates (op, pointer and result heads).
    Action,
    /// The op head's log-probability of the candidate's op in the task's first state: one
    /// network call per task, as DreamCoder's recognition model gives each task its
    /// distribution over primitives. An expansion costs what the heuristic's does.
    TaskOp,
}

/// How a domain searches with a guide by default: as a prior of the domain's weight
/// beside the heuristic where it has one (`GuideHooks::prior_weight`: ARC), else
/// rescoring every live candidate (the 24 Game, double-and-add).
pub fn default_guided(guide: NeuralPolicy, domain: &Domain) -> Box<dyn Policy> {
    match domain.guide.prior_weight {
        Some(w) => Box::new(GuidedHeuristic::new(guide, domain, PriorSource::NextOp, w)),
        None => Box::new(guide),
    }
}

/// The heuristic's score plus `weight` times the guide's log-probability of each new
/// candidate. A candidate that completes the program keeps the heuristic's score; one
/// whose op the guide does not know is left out, as with the rescoring guide.
pub struct GuidedHeuristic {
    heuristic: HeuristicPolicy,
    guide: NeuralPolicy,
    source: PriorSource,
    weight: f64,
    name: String,
    /// [`PriorSource::TaskOp`]'s log-probabilities, by [`task_key`].
    task_priors: Mutex<FxHashMap<u64, Arc<Vec<f64>>>>,
}

/// How many tasks' priors a [`GuidedHeuristic`] keeps (one per task a job is on).
const TASK_PRIORS_KEPT: usize = 64;

/// A task's key: its inputs' and target's values in `graph`.
fn task_key(graph: &SearchGraph) -> u64 {
    let mut h = FxHasher::default();
    (0..)
        .map_while(|i| graph.input_node(i))
        .chain([graph.target()])
        .for_each(|n| graph.value(n).values.hash(&mut h));
    h.finish()
}

impl GuidedHeuristic {
    /// `guide`'s `source` as a prior of `weight` (in cost units per nat) beside the
    /// heuristic of `domain`.
    pub fn new(
        guide: NeuralPolicy,
        domain: &Domain,
        source: PriorSource,
        weight: f64,
    ) -> GuidedHeuristic {
        let name = format!("{}+heuristic", guide.name());
        GuidedHeuristic {
            heuristic: HeuristicPolicy::for_domain(domain),
            guide,
            source,
            weight,
            name,
            task_priors: Mutex::default(),
        }
    }

    /// The op head's log-probabilities in the first state of the task of `graph` (the
    /// state it is first asked about), computed once per task.
    fn task_op_log_probs(&self, model: &GuideModel, graph: &SearchGraph) -> Arc<Vec<f64>> {
        let key = task_key(graph);
        if let Some(ops) = self.task_priors.lock().expect("task priors").get(&key) {
            return Arc::clone(ops);
        }
        let ops = Arc::new(next_op_log_probs(model, graph));
        let mut priors = self.task_priors.lock().expect("task priors");
        if priors.len() >= TASK_PRIORS_KEPT {
            priors.clear();
        }
        priors.insert(key, Arc::clone(&ops));
        ops
    }

    /// The op head's log-probability of each of the model's ops, for `source`: in the
    /// state `graph`, or in its task's first state.
    fn op_log_probs(&self, model: &GuideModel, graph: &SearchGraph) -> Arc<Vec<f64>> {
        match self.source {
            PriorSource::TaskOp => self.task_op_log_probs(model, graph),
            _ => Arc::new(next_op_log_probs(model, graph)),
        }
    }

    /// The guide's log-probability of each candidate (minus infinity for unknown ops).
    fn log_probs(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        let model = self.guide.any_model();
        match self.source {
            PriorSource::Action => NeuralPolicy::log_probs(&model, graph, candidates),
            PriorSource::NextOp | PriorSource::TaskOp => {
                let ops = self.op_log_probs(&model, graph);
                candidates
                    .iter()
                    .map(|c| {
                        model
                            .ops
                            .index_of(&c.action)
                            .map_or(f64::NEG_INFINITY, |o| ops[o])
                    })
                    .collect()
            }
        }
    }
}

/// The op head's log-probability of each of `model`'s ops (that the domain has) in the
/// state `graph`.
fn next_op_log_probs(model: &GuideModel, graph: &SearchGraph) -> Vec<f64> {
    let state = EncodedState::new(graph, model.encoding);
    let known: Vec<bool> = model.ops.ops().iter().map(|o| o.prim.is_some()).collect();
    model.net.next_op_log_probs(&state, &known, model.device())
}

/// The lowest log-probability a forward step's order counts: an op the guide does not know
/// (or all but rules out) is chained last, not left out, since the phase is exhaustive.
const FLOOR_LOG_PROB: f64 = -20.0;

impl Policy for GuidedHeuristic {
    fn name(&self) -> &str {
        &self.name
    }

    /// The op head's log-probability of each primitive's forward op in the task's first
    /// state, times the prior's weight.
    fn forward_step_bonus(&self, graph: &SearchGraph, registry: &Registry) -> Option<Vec<f64>> {
        let model = self.guide.any_model();
        let ops = self.op_log_probs(&model, graph);
        let mut bonus = vec![self.weight * FLOOR_LOG_PROB; registry.len()];
        for (op, &lp) in model.ops.ops().iter().zip(ops.iter()) {
            if let (Some(prim), Direction::Forward) = (op.prim, op.direction) {
                bonus[prim] = self.weight * lp.max(FLOOR_LOG_PROB);
            }
        }
        Some(bonus)
    }

    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        let mut scores = self.heuristic.score(graph, candidates);
        if candidates.is_empty() {
            return scores;
        }
        let priors = self.log_probs(graph, candidates);
        for ((s, c), lp) in scores.iter_mut().zip(candidates).zip(priors) {
            if lp == f64::NEG_INFINITY {
                *s = f64::NEG_INFINITY;
            } else if c.joins.is_none() {
                *s += self.weight * lp;
            }
        }
        scores
    }
}
