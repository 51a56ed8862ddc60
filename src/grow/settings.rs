//! What a grow run is: fixed at its start and checked when it resumes.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::learn::{LearnConfig, ParamPlaces};
use crate::search::Budget;
use crate::solve::{ForwardPhase, SolveConfig};

/// The settings of a grow run. A resumed run must give the same ones (`--iterations`
/// and `--jobs` may change: they say how far and how fast, not what).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrowSettings {
    /// The tasks' domain (one per run).
    pub domain: String,
    /// The task ids, in the order they are solved.
    pub tasks: Vec<String>,
    /// Seconds per task in every wake.
    pub timeout_seconds: f64,
    /// Actions per task in every wake, where given (a budget that does not depend on the
    /// machine's speed).
    pub max_expansions: Option<u64>,
    /// The forward phase's depth in every wake (see [`ForwardPhase`]).
    pub depth: usize,
    /// Whether the forward phase's steps may take the task's input as a second argument
    /// (see [`ForwardPhase::input_operands`]).
    #[serde(default)]
    pub forward_input: bool,
    /// The most parameters an abstraction may take.
    pub arity: usize,
    /// The most abstractions learned per sleep.
    pub abstractions: usize,
    /// The most programs kept per task (DreamCoder's frontier).
    pub frontier: usize,
    /// The primitives the loop starts from (all of the domain's when absent).
    pub base: Option<Vec<String>>,
    /// The domain rewrites' text (`LHS => RHS` per line), where given.
    pub rewrites: Option<String>,
    /// Learned abstractions are named this plus a number.
    pub prefix: String,
    /// The guide (a policy network's file) every wake searches with, where given.
    #[serde(default)]
    pub guide: Option<String>,
    /// Whether the guide is fine-tuned after each iteration on the programs found, with
    /// the library's ops in its vocabulary (the next wake searches with that one).
    #[serde(default)]
    pub retrain_guide: bool,
}

impl GrowSettings {
    /// The solver's configuration for every wake.
    pub fn solve_config(&self) -> SolveConfig {
        SolveConfig {
            budget: Budget {
                max_expansions: self.max_expansions,
                timeout: Some(Duration::from_secs_f64(self.timeout_seconds)),
            },
            forward: ForwardPhase {
                max_depth: self.depth,
                input_operands: self.forward_input,
                ..ForwardPhase::default()
            },
            ..SolveConfig::default()
        }
    }

    /// The learner's configuration for a sleep of `iterations` abstractions, the first
    /// numbered `first_index`.
    pub fn learn_config(&self, first_index: usize, iterations: usize) -> LearnConfig {
        LearnConfig {
            arity: self.arity,
            iterations,
            prefix: self.prefix.clone(),
            first_index,
            // The search applies first-order primitives only.
            places: ParamPlaces::Arguments,
            ..LearnConfig::default()
        }
    }

    /// The first setting in which `self` and `other` differ, by name.
    pub fn difference(&self, other: &GrowSettings) -> Option<&'static str> {
        let fields: [(&str, bool); 14] = [
            ("domain", self.domain == other.domain),
            ("tasks", self.tasks == other.tasks),
            ("timeout", self.timeout_seconds == other.timeout_seconds),
            (
                "max-expansions",
                self.max_expansions == other.max_expansions,
            ),
            ("depth", self.depth == other.depth),
            ("forward-input", self.forward_input == other.forward_input),
            ("arity", self.arity == other.arity),
            ("abstractions", self.abstractions == other.abstractions),
            ("frontier", self.frontier == other.frontier),
            ("base", self.base == other.base),
            ("rewrites", self.rewrites == other.rewrites),
            ("prefix", self.prefix == other.prefix),
            ("guide", self.guide == other.guide),
            ("retrain-guide", self.retrain_guide == other.retrain_guide),
        ];
        fields.iter().find(|(_, same)| !same).map(|(name, _)| *name)
    }
}
