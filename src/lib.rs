//! # janus
//!
//! Program synthesis by a bidirectional search over inverse semantics: programs grow
//! forward from the inputs and backward from the goal (every primitive may have an
//! inverse, or conditional inverses that take the output and some inputs and return the
//! rest), and the two fronts meet.
//!
//! ```
//! use janus::{default_policy, parse_expr, solve_with, DomainKind, SolveConfig, Strategy, Task, Value};
//!
//! // The 24 Game puzzle 1 3 4 6 needs a fraction: 6 / (1 - 3/4).
//! let numbers = [1, 3, 4, 6].iter().map(|&n| Value::rat(n, 1)).collect();
//! let task = Task::twenty_four("1 3 4 6".into(), numbers, Value::rat(24, 1));
//! let d = DomainKind::TwentyFour.domain();
//! let config = SolveConfig::default();
//! let report = solve_with(&task, &d, default_policy(Strategy::Bidir, &d).as_ref(), &config);
//! assert!(report.solved);
//! let program = parse_expr(report.program.as_deref().unwrap()).unwrap();
//! assert_eq!(program.primitive_count(), 3);
//! ```

#![warn(missing_docs)]

pub mod ardt;
#[cfg(feature = "torch")]
mod device;
pub mod domains;
pub mod dsl;
pub mod gbdt;
pub mod grow;
pub mod guide;
pub mod io;
pub mod learn;
#[cfg(feature = "torch")]
pub mod lm;
pub mod reason;
pub mod render;
pub mod results;
pub mod search;
mod solve;
mod task;
pub mod tasks;
#[cfg(feature = "torch")]
mod tensors;
pub mod text;

#[cfg(feature = "torch")]
pub use device::{
    cpu_fallback_reason, gpu_present, load_torch_cuda, select_device, DeviceChoice, DeviceError,
};
pub use domains::{domain, Domain};
pub use dsl::{
    infer, parse_expr, parse_type, EvalError, Evaluator, Expr, Primitive, Registry, Type, Value,
};
pub use learn::{learn, Corpus, LearnConfig, Library};
pub use search::{search, Budget, Policy, SearchGraph, Stop, Strategy};
pub use solve::{
    check_program, default_policy, domain_with, domains_for, solve_all, solve_all_guided, solve_in,
    solve_in_until, solve_with, task_domains, task_kinds, CheckError, DomainsError, ForwardPhase,
    PrimitiveTime, SearchMode, SetupError, SolveConfig, SolveReport,
};
pub use task::{DomainKind, Example, Task, Test, UnknownDomain};
pub use tasks::{load_paths, load_paths_skipping, Loaded, TaskError};
