//! Domains: the primitives of each problem family plus what the search needs to know
//! about its values (their type, whether inputs are used once, a distance hint).

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
    /// A distance between two values that the heuristic policy uses to steer one front
    /// towards the other; `None` when the domain has no useful one.
    pub distance: Option<fn(&Value, &Value) -> f64>,
    /// How strongly the heuristic policy weighs `distance` against program cost.
    pub distance_weight: f64,
}

/// Names and aliases of the domains [`domain`] knows.
pub const DOMAIN_NAMES: &[&str] = &["24", "double-add"];

/// An unknown domain name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown domain `{0}` (known: 24, double-add)")]
pub struct UnknownDomain(pub String);

/// Distance on a log scale: |log2(1+|a|) - log2(1+|b|)|.
pub fn log_distance(a: &Value, b: &Value) -> f64 {
    match (a.log_magnitude(), b.log_magnitude()) {
        (Some(x), Some(y)) => (x - y).abs(),
        _ => 0.0,
    }
}

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
            distance_weight: 0.0,
        }),
        "double-add" | "double-and-add" => Ok(Domain {
            name: "double-add",
            registry: binary::registry(),
            input_type: Type::int(),
            output_type: Type::int(),
            linear: false,
            distance: Some(log_distance),
            distance_weight: 4.0,
        }),
        other => Err(UnknownDomain(other.to_string())),
    }
}
