//! Domains: everything that is particular to one problem family lives here, in one
//! folder per domain, and reaches the rest of janus through [`Domain`]: the primitives,
//! the types of inputs and outputs, which literals the search may infer and how they merge
//! and cost, the guide's node encoding and random-program sampler, and the defaults.
//! Nothing outside this module matches on a domain's name.
//!
//! Adding a domain: a folder `src/domains/NAME/` whose `mod.rs` returns its `Domain`,
//! a variant of [`DomainKind`] (`src/task.rs`) and its arm in [`DomainKind::domain`].

pub(crate) mod arc;
pub(crate) mod arith;
pub use arith::infix;
pub(crate) mod binary;
mod literals;
mod sample;

pub use crate::task::{DomainKind, UnknownDomain};
pub use arith::sample::{puzzle_key, random_24};
pub use literals::{Literals, Merged};
pub use sample::{replays, PrimPrior, Program, Sample, SampleSpec, Sampler};

use crate::dsl::{Expr, Registry, Type, Value};

/// How the guide encodes a domain's values as a node's features (see
/// `crate::guide::encode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueEncoding {
    /// Exact rationals (24 Game): integers 0..=100 one-hot, sign, fraction, magnitude,
    /// small denominators one-hot.
    Rational,
    /// Integers (double-and-add): the low 32 binary digits and the bit length.
    Binary,
    /// ARC: per value its kind, size, colour shares and list length; the network adds a
    /// CNN over each example's grid.
    Grid,
    /// Anything else: the value's kind only.
    Kind,
}

/// What the neural guide needs to know about a domain.
#[derive(Clone, Debug)]
pub struct GuideHooks {
    /// How a value node is encoded.
    pub encoding: ValueEncoding,
    /// Draws seeded random training programs.
    pub sampler: Sampler,
    /// The action limit of a sampled episode on a random task of `depth` steps.
    pub max_actions: fn(usize) -> usize,
    /// The default weight of a candidate's path score in a guided search.
    pub path_weight: f64,
    /// By default a guide of this domain serves as a prior of this weight (cost units per
    /// nat of its op's log-probability) beside the heuristic (`solve --guide-as op-prior`);
    /// `None`: it orders the search itself, rescoring every live candidate.
    pub prior_weight: Option<f64>,
    /// Whether REINFORCE can run on the sampler's random tasks (they have depths).
    pub reinforce: bool,
}

/// A problem family: its primitives, its types, and what the search and guide need to
/// know about its values.
#[derive(Clone, Debug)]
pub struct Domain {
    /// Which domain this is.
    pub kind: DomainKind,
    /// The primitives.
    pub registry: Registry,
    /// The type of every input.
    pub input_type: Type,
    /// The type of the output.
    pub output_type: Type,
    /// Whether, by default, a program must use every input exactly once (the 24 Game).
    pub linear: bool,
    /// The output a task file may leave out (the 24 Game's 24).
    pub default_target: Option<Value>,
    /// The heuristic policy's estimate of the steps from a computed value to a needed one
    /// (infinite when the needed value cannot be reached); `None` when the domain has no
    /// useful estimate.
    pub distance: Option<fn(&Value, &Value) -> f64>,
    /// The literals an inverse may infer (ARC colours and tables), how they merge across
    /// examples and what they cost.
    pub literals: Literals,
    /// The neural guide's hooks.
    pub guide: GuideHooks,
    /// Where the domain has a forward phase (see `crate::search::Enumeration`): the
    /// literals its steps take, chosen from a task's inputs (examples' and tests') and
    /// outputs (ARC: the colours they use).
    pub forward_literals: Option<LiteralChoices>,
    /// Where the domain composes an output from pieces: how it picks them among the
    /// forward phase's values (see [`Composition`]).
    pub composition: Option<Composition>,
    /// How a program reads in the field's own notation on one example's inputs (the 24
    /// Game: infix arithmetic, `(13-9)*(2+4)`), where the domain has one.
    pub notation: Option<Notation>,
}

/// A program in a domain's own notation, on one example's inputs (see [`Domain::notation`]).
pub type Notation = fn(&Expr, &[Value]) -> Option<String>;

/// Chooses a task's literals from its inputs (examples' and tests') and outputs.
pub type LiteralChoices = fn(&[Value], &[Value]) -> Vec<Value>;

/// How a domain builds an output that no single value equals from several values, each
/// right on part of it (ARC: icecuber's greedy stacking of pieces).
#[derive(Clone, Copy, Debug)]
pub struct Composition {
    /// The stacks of candidates (one value per example each, the cheapest first) that
    /// give every output, the likeliest first, looking at candidates only until the
    /// deadline (if any).
    pub stack: StackFn,
    /// The primitive `(lay under over)` that lays one piece over the rest.
    pub lay: &'static str,
    /// The primitive `(meet a b colour)` that paints `colour` where two values both have
    /// foreground: a piece of two candidates (see [`Layer::Meet`]).
    pub meet: &'static str,
    /// Cuts the outputs into blocks, each of which may be a value of its own (see
    /// [`Arrangement`]), the fewest blocks first.
    pub arrange: ArrangeFn,
    /// The primitive `(beside left right)` that sets two blocks side by side.
    pub beside: &'static str,
    /// The primitive `(above top bottom)` that sets one row of blocks above another.
    pub above: &'static str,
}

/// Cuts the outputs (one per example) into arrangements of blocks.
pub type ArrangeFn = fn(&[Value]) -> Vec<Arrangement>;

/// The outputs cut into `rows` x `cols` blocks, the same counts on every example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrangement {
    /// Blocks from top to bottom.
    pub rows: usize,
    /// Blocks from left to right.
    pub cols: usize,
    /// Block `(r, c)` at `r * cols + c`, one value per example.
    pub blocks: Vec<Vec<Value>>,
}

/// Picks stacks: candidates (one value per example each), the outputs, the deadline.
pub type StackFn = fn(&[&[Value]], &[Value], Option<std::time::Instant>) -> Vec<Stack>;

/// A base with pieces laid over it, as indices of the candidates it was picked from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stack {
    /// The value at the bottom.
    pub base: usize,
    /// The pieces, the first on top (laid last).
    pub pieces: Vec<Layer>,
}

/// One piece of a [`Stack`], made of the candidates it was picked from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// A candidate as it is.
    Value(usize),
    /// One colour where two candidates both have foreground (the composition's `meet`).
    Meet {
        /// The first candidate.
        a: usize,
        /// The second candidate.
        b: usize,
        /// The colour painted.
        colour: u8,
    },
}

impl Domain {
    /// The canonical name, as written in task files and `--json` output.
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }
}

impl DomainKind {
    /// This domain with its built-in primitives.
    pub fn domain(self) -> Domain {
        match self {
            DomainKind::TwentyFour => arith::domain(),
            DomainKind::DoubleAdd => binary::domain(),
            DomainKind::Arc => arc::domain(),
        }
    }
}

/// The domain called `name` (aliases: `24game`, `double-and-add`).
pub fn domain(name: &str) -> Result<Domain, UnknownDomain> {
    DomainKind::from_name(name).map(DomainKind::domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_builds_its_own_domain_and_names_round_trip() {
        for kind in DomainKind::ALL {
            let d = kind.domain();
            assert_eq!(d.kind, kind);
            assert_eq!(DomainKind::from_name(d.name()), Ok(kind));
            assert!(!d.registry.is_empty());
        }
        assert_eq!(DomainKind::from_name("24game"), Ok(DomainKind::TwentyFour));
        assert!(DomainKind::from_name("chess").is_err());
    }
}
