//! Reasoning with auto-regressive decision trees: the tasks with which Gan, Galanti,
//! Poggio and Malach (NeurIPS 2024) show that trees with a chain of thought can simulate
//! automata and circuits, made runnable and measurable.
//!
//! - `tasks`: seeded generators of parity, counting modulo k, a given automaton,
//!   multi-digit addition, BIG-Bench-Hard's Boolean expressions and Dyck completion,
//!   each with the answer alone or with a trace of the intermediate states;
//! - `automaton`, `boolean`: the automata and the expressions;
//! - `data`: the JSON-lines dataset file;
//! - `features`: what a tree reads (exact tokens at offsets, the decayed average,
//!   tokens aligned with the previous segments);
//! - `model`: training on the target positions, greedy generation, accuracy by length;
//! - `bigbench`: BIG-Bench's multiple-choice tasks as classification, with `words`
//!   (plain token features) and `probe` (the majority class and a linear probe) to set
//!   beside trees, and `tune` (settings for both chosen by cross-validation on the
//!   training rows).

mod automaton;
mod bigbench;
mod boolean;
mod data;
mod features;
mod model;
mod probe;
mod tasks;
mod tune;
mod words;

pub use automaton::{Automaton, MAX_STATES};
pub use bigbench::{boolean_task, load_choice_task, split, ChoiceTask};
pub use boolean::{random as random_boolean, reductions as boolean_reductions};
pub use data::{DataError, Dataset, FORMAT, MAX_TOKENS, VERSION};
pub use features::FeatureSpec;
pub use model::{answer_of, LengthAccuracy, ReasonConfig, ReasonEval, ReasonModel, NONE};
pub use probe::{majority, LinearProbe, ProbeConfig};
pub use tasks::{
    example, generate, Example, GenConfig, TaskKind, TaskSpec, BRACKETS, END, MARKERS, THEN,
};
pub use tune::{accuracy, folds, tree_class, tune_probe, tune_trees, Tuned, MAX_ROUNDS};
pub use words::TokenFeatures;
