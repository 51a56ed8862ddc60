//! The bidirectional search: the graph of value and program nodes, the actions on it,
//! the [`Policy`] that orders them, and the search loop with its strategies and budgets.

pub(crate) mod actions;
mod deadline;
mod enumerate;
mod graph;
mod policy;
pub(crate) mod rollout;
mod strategy;
mod usage;

pub use actions::{valid_candidates, Action, Candidate, Direction, Directions};
pub use enumerate::{Enumeration, EnumerationLimits, Operand, Step};
pub use graph::{Applied, GraphError, Role, SearchGraph, ValueNode, Values};
pub use policy::{EnumerationPolicy, Excluding, HeuristicPolicy, Policy};
pub use rollout::rollouts;
pub use strategy::{
    search, search_fits, still_useful, AfterFit, Budget, Fit, SearchOutcome, SearchStats, Stop,
    Strategy,
};
pub use usage::Usage;
