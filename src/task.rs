//! The task model: a synthesis problem is examples a program must reproduce, tests it is
//! scored on, and the domain whose primitives may solve it. Loaders are in
//! [`crate::tasks`]; the domains themselves in [`crate::domains`].

use std::fmt;
use std::str::FromStr;

use crate::dsl::Value;

/// Which domain a task belongs to. Adding a domain adds a variant here and its arm in
/// [`DomainKind::domain`] (`src/domains/mod.rs`); nothing else matches on domains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DomainKind {
    /// The 24 Game over exact rationals (`24`).
    TwentyFour,
    /// Double-and-add on integers of any size (`double-add`).
    DoubleAdd,
    /// The Abstraction and Reasoning Corpus's grids (`arc`).
    Arc,
}

impl DomainKind {
    /// Every domain, in the order `--help` lists them.
    pub const ALL: [DomainKind; 3] = [
        DomainKind::TwentyFour,
        DomainKind::DoubleAdd,
        DomainKind::Arc,
    ];

    /// The canonical name, as written in task files and `--json` output.
    pub fn name(self) -> &'static str {
        match self {
            DomainKind::TwentyFour => "24",
            DomainKind::DoubleAdd => "double-add",
            DomainKind::Arc => "arc",
        }
    }

    /// The domain called `name` or one of its aliases (`24game`, `double-and-add`).
    pub fn from_name(name: &str) -> Result<DomainKind, UnknownDomain> {
        match name {
            "24" | "24game" | "24-game" => Ok(DomainKind::TwentyFour),
            "double-add" | "double-and-add" => Ok(DomainKind::DoubleAdd),
            "arc" => Ok(DomainKind::Arc),
            other => Err(UnknownDomain(other.to_string())),
        }
    }
}

impl fmt::Display for DomainKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DomainKind {
    type Err = UnknownDomain;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DomainKind::from_name(s)
    }
}

/// An unknown domain name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown domain `{0}` (known: 24, double-add, arc)")]
pub struct UnknownDomain(pub String);

/// One input/output example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The inputs, in order.
    pub inputs: Vec<Value>,
    /// The expected output.
    pub output: Value,
}

/// A held-out test: inputs, and the expected output when it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    /// The inputs, in order.
    pub inputs: Vec<Value>,
    /// The expected output, if the file gives it.
    pub output: Option<Value>,
}

/// A synthesis task: find a program that maps every example's inputs to its output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// Identifier, unique within its file.
    pub id: String,
    /// The domain whose primitives may solve it.
    pub domain: DomainKind,
    /// The examples a program must reproduce.
    pub examples: Vec<Example>,
    /// Held-out tests a found program is run on and scored against (may be empty).
    pub tests: Vec<Test>,
    /// Whether the program must use every input exactly once.
    pub linear: bool,
}

impl Task {
    /// A 24 Game puzzle: use each number once to make `target`.
    pub fn twenty_four(id: String, numbers: Vec<Value>, target: Value) -> Task {
        Task {
            id,
            domain: DomainKind::TwentyFour,
            examples: vec![Example {
                inputs: numbers,
                output: target,
            }],
            tests: Vec::new(),
            linear: true,
        }
    }
}
