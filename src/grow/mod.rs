//! Growing a library, DreamCoder's loop: solve the tasks still unsolved (wake), learn
//! abstractions from every program found so far (sleep), add them to the DSL with derived
//! inverses (register), and solve again, with every step kept in a state folder so that
//! an interrupted run resumes where it stopped.
//!
//! - [`settings`]: what a run is (its tasks, budget and learner settings), fixed at its start;
//! - [`state`]: the state folder and its files, each written atomically;
//! - [`cycle`]: one iteration, and its report.

mod cycle;
mod settings;
mod state;

pub use cycle::{AddedAbstraction, Grow, GrowError, IterationReport, NewSolution};
pub use settings::GrowSettings;
pub use state::{Attempted, StateDir, StateError, Wake};
