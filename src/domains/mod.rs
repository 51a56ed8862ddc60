//! Domains: the primitives of each problem family plus what the search needs to know
//! about its values (their type, whether inputs are used once, a distance hint).

pub mod arc;
pub mod arith;
pub mod binary;

use crate::dsl::{Registry, Type, Value};

/// A problem family: its primitives and search hints.
#[derive(Clone, Debug)]
pub struct Domain {
    /// Canonical name, as written in task files and `--json` output.
    pub name: &'static str,
    /// The primitives.
    pub registry: Registry,
    /// The type of every input.
    pub input_type: Type,
    /// The type of the output.
    pub output_type: Type,
    /// Whether, by default, a program must use every input exactly once (the 24 Game).
    pub linear: bool,
    /// The heuristic policy's estimate of the steps from a computed value to a needed one
    /// (infinite when the needed value cannot be reached); `None` when the domain has no
    /// useful estimate.
    pub distance: Option<fn(&Value, &Value) -> f64>,
    /// Types whose values an inverse may infer as constants when every example agrees
    /// (ARC colours); see [`crate::search::Role::Literal`].
    pub literal_types: Vec<Type>,
}

/// Names of the domains [`domain`] knows.
pub const DOMAIN_NAMES: &[&str] = &["24", "double-add", "arc"];

/// An unknown domain name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown domain `{0}` (known: 24, double-add, arc)")]
pub struct UnknownDomain(pub String);

/// The domain called `name` (aliases: `24game`, `double-and-add`).
pub fn domain(name: &str) -> Result<Domain, UnknownDomain> {
    match name {
        "24" | "24game" | "24-game" => Ok(Domain {
            name: "24",
            registry: arith::registry(),
            input_type: Type::rat(),
            output_type: Type::rat(),
            linear: true,
            distance: None,
            literal_types: Vec::new(),
        }),
        "double-add" | "double-and-add" => Ok(Domain {
            name: "double-add",
            registry: binary::registry(),
            input_type: Type::int(),
            output_type: Type::int(),
            linear: false,
            distance: Some(binary::steps_between),
            literal_types: Vec::new(),
        }),
        "arc" => Ok(Domain {
            name: "arc",
            registry: arc::registry(),
            input_type: Type::grid(),
            output_type: Type::grid(),
            linear: false,
            distance: None,
            literal_types: vec![Type::colour(), Type::table()],
        }),
        other => Err(UnknownDomain(other.to_string())),
    }
}
