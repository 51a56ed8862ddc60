//! The policy network as a search [`Policy`]: one network call per state scores every
//! valid action by its log-probability (op head plus pointer head). With the best-first
//! search it rescores all live candidates after each expansion, so the search always
//! takes the action the network ranks highest in the current graph and never repeats one;
//! with sampled rollouts it is the original's inference.

use std::sync::Mutex;

use super::encode::{ActionMasks, EncodedState};
use super::model::GuideModel;
use crate::search::{Candidate, Policy, SearchGraph};

/// Score of a candidate that completes the program (taken before any other).
const JOIN_SCORE: f64 = 1e6;

/// A trained guide, usable by the search from many threads (network calls take turns).
pub struct NeuralPolicy {
    model: Mutex<GuideModel>,
    name: String,
}

impl NeuralPolicy {
    /// Wraps a model.
    pub fn new(model: GuideModel) -> NeuralPolicy {
        let name = format!("guide:{}", model.domain.name);
        NeuralPolicy {
            model: Mutex::new(model),
            name,
        }
    }

    /// The model, for training it in place (the search waits meanwhile).
    pub fn model(&self) -> std::sync::MutexGuard<'_, GuideModel> {
        self.model.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The log-probability of each candidate in `graph` under `model`.
    pub fn log_probs(
        model: &GuideModel,
        graph: &SearchGraph,
        candidates: &[Candidate],
    ) -> Vec<f64> {
        let state = EncodedState::new(graph, model.encoding);
        let masks = ActionMasks::new(&model.ops, &state, candidates.iter().map(|c| &c.action));
        let known: Vec<(usize, usize)> = candidates
            .iter()
            .enumerate()
            .filter_map(|(i, c)| model.ops.index_of(&c.action).map(|o| (i, o)))
            .collect();
        let acts: Vec<(usize, &crate::search::Action)> = known
            .iter()
            .map(|&(i, o)| (o, &candidates[i].action))
            .collect();
        let lps = model
            .net
            .action_log_probs(&[&state], &[&masks], &[acts], model.device())
            .pop()
            .unwrap_or_default();
        let mut out = vec![f64::NEG_INFINITY; candidates.len()];
        for (&(i, _), lp) in known.iter().zip(lps) {
            out[i] = lp;
        }
        out
    }
}

impl Policy for NeuralPolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        let model = self.model();
        let mut scores = NeuralPolicy::log_probs(&model, graph, candidates);
        for (s, c) in scores.iter_mut().zip(candidates) {
            if let Some(total) = c.joins {
                *s = JOIN_SCORE - total;
            }
        }
        scores
    }

    fn rescores(&self) -> bool {
        true
    }
}
