//! The policy network as a search [`Policy`]: one network call per state scores every
//! valid action by its log-probability (op, pointer and result heads). With the best-first
//! search it rescores all live candidates after each expansion, so the search always
//! takes the action the network ranks highest in the current graph and never repeats one;
//! with sampled rollouts it is the original's inference.

use std::sync::{Mutex, MutexGuard};

use super::encode::{ActionMasks, ActionView, EncodedState};
use super::model::{GuideModel, ModelError};
use crate::search::{Candidate, Policy, SearchGraph};

/// Score of a candidate that completes the program (taken before any other).
const JOIN_SCORE: f64 = 1e6;

/// A trained guide, usable by the search from many threads: each call takes a free
/// replica of the model (calls wait only when every replica is busy).
pub struct NeuralPolicy {
    replicas: Vec<Mutex<GuideModel>>,
    name: String,
    path_weight: f64,
}

impl NeuralPolicy {
    /// Wraps a model.
    pub fn new(model: GuideModel) -> NeuralPolicy {
        NeuralPolicy::with_replicas(vec![model])
    }

    /// Wraps copies of one model (at least one), one per thread that searches with it.
    pub fn with_replicas(models: Vec<GuideModel>) -> NeuralPolicy {
        assert!(!models.is_empty(), "a policy needs a model");
        let name = format!("guide:{}", models[0].domain.name());
        let path_weight = models[0].domain.guide.path_weight;
        NeuralPolicy {
            replicas: models.into_iter().map(Mutex::new).collect(),
            name,
            path_weight,
        }
    }

    /// The guide at `path` on `device`, one replica per thread that searches with it:
    /// `jobs` of them (0: one per core), at most one per core (more threads wait for a
    /// free replica rather than load thousands). The network runs on one intra-op thread:
    /// one small call per expansion gains nothing from more (measured 3x slower with two),
    /// and tasks run in parallel anyway. `domain_of` gives the domain searched
    /// (see [`GuideModel::load_in`]).
    pub fn load(
        path: &std::path::Path,
        device: tch::Device,
        jobs: usize,
        domain_of: &dyn Fn(crate::domains::DomainKind) -> crate::domains::Domain,
    ) -> Result<NeuralPolicy, ModelError> {
        tch::set_num_threads(1);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let replicas = match jobs {
            0 => cores,
            n => n.min(cores),
        };
        let models = (0..replicas)
            .map(|_| GuideModel::load_in(path, device, domain_of))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NeuralPolicy::with_replicas(models))
    }

    /// The same policy with another path weight.
    pub fn with_path_weight(mut self, weight: f64) -> NeuralPolicy {
        self.path_weight = weight;
        self
    }

    /// The (first) model, for training it in place (the search waits meanwhile).
    pub fn model(&self) -> MutexGuard<'_, GuideModel> {
        self.replicas[0].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A free replica, or the first one once it is free.
    pub(super) fn any_model(&self) -> MutexGuard<'_, GuideModel> {
        self.replicas
            .iter()
            .find_map(|m| m.try_lock().ok())
            .unwrap_or_else(|| self.model())
    }

    /// The log-probability of each candidate in `graph` under `model` (candidates of
    /// ops the model does not know get minus infinity).
    pub fn log_probs(
        model: &GuideModel,
        graph: &SearchGraph,
        candidates: &[Candidate],
    ) -> Vec<f64> {
        let state = EncodedState::new(graph, model.encoding);
        let masks = ActionMasks::new(&model.ops, &state, candidates.iter().map(|c| &c.action));
        let views: Vec<(usize, ActionView)> = candidates
            .iter()
            .enumerate()
            .filter_map(|(i, c)| ActionView::new(&model.ops, &state, c).map(|v| (i, v)))
            .collect();
        let acts: Vec<&ActionView> = views.iter().map(|(_, v)| v).collect();
        let lps = model
            .net
            .action_log_probs(&[&state], &[&masks], &[acts], model.device())
            .pop()
            .unwrap_or_default();
        let mut out = vec![f64::NEG_INFINITY; candidates.len()];
        for ((i, _), lp) in views.iter().zip(lps) {
            out[*i] = lp;
        }
        out
    }
}

impl Policy for NeuralPolicy {
    fn name(&self) -> &str {
        &self.name
    }

    fn score(&self, graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
        let model = self.any_model();
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

    fn path_weight(&self) -> f64 {
        self.path_weight
    }
}
