//! The primitive registry: each primitive's name, type, cost, forward function and, where
//! they exist, its inverse and conditional inverses. Learned abstractions register here
//! the same way as built-ins.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::eval::EvalError;
use super::expr::Expr;
use super::shape::ShapeRule;
use super::types::Type;
use super::value::Value;

/// Index of a primitive in its [`Registry`].
pub type PrimId = usize;

/// Computes a primitive's output from all its inputs.
pub type ForwardFn = Arc<dyn Fn(&[Value]) -> Result<Value, EvalError> + Send + Sync>;
/// Computes all inputs from the output.
pub type InverseFn = Arc<dyn Fn(&Value) -> Result<Vec<Value>, EvalError> + Send + Sync>;
/// Computes the missing inputs from the output and the known inputs (in slot order).
pub type CondInverseFn =
    Arc<dyn Fn(&Value, &[Value]) -> Result<Vec<Value>, EvalError> + Send + Sync>;

/// A conditional inverse: given the output and the inputs in `known`, returns the others.
#[derive(Clone)]
pub struct CondInverse {
    /// Input slots that are supplied, ascending.
    pub known: Vec<usize>,
    /// The inverse itself; returns the missing inputs in slot order.
    pub apply: CondInverseFn,
}

impl CondInverse {
    /// The input slots this inverse computes, ascending.
    pub fn missing(&self, arity: usize) -> Vec<usize> {
        (0..arity).filter(|i| !self.known.contains(i)).collect()
    }
}

/// Where a primitive comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Written in Rust as part of a domain.
    Builtin,
    /// A learned abstraction.
    Abstraction {
        /// Its body, a closed expression.
        body: Expr,
        /// The built-in primitive calls one application makes, all abstractions inlined.
        calls: u64,
    },
}

/// A DSL primitive with its semantics in both directions.
#[derive(Clone)]
pub struct Primitive {
    /// Name used in programs.
    pub name: Arc<str>,
    /// Its (possibly polymorphic) type.
    pub ty: Type,
    /// Number of arguments (from the type).
    pub arity: usize,
    /// Cost in the search (higher is less preferred).
    pub cost: f64,
    /// Whether swapping two arguments gives the same output (lets the search skip one order).
    pub commutative: bool,
    /// How its grid arguments' and result's shapes relate (lets the search skip tuples
    /// whose shapes cannot agree).
    pub shapes: ShapeRule,
    /// The forward semantics.
    pub forward: ForwardFn,
    /// Output -> all inputs, where one exists.
    pub inverse: Option<InverseFn>,
    /// Output + some inputs -> the other inputs.
    pub cond_inverses: Vec<CondInverse>,
    /// Built-in or learned.
    pub origin: Origin,
    /// One line saying what it does (`janus dsl list` prints it).
    pub doc: Arc<str>,
}

impl fmt::Debug for Primitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Primitive")
            .field("name", &self.name)
            .field("ty", &self.ty.to_string())
            .field("cost", &self.cost)
            .field("inverse", &self.inverse.is_some())
            .field(
                "cond_inverses",
                &self
                    .cond_inverses
                    .iter()
                    .map(|c| c.known.clone())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Primitive {
    /// A primitive with cost 1 and no inverses; `forward` receives exactly `ty.arity()` inputs.
    pub fn new(
        name: &str,
        ty: Type,
        forward: impl Fn(&[Value]) -> Result<Value, EvalError> + Send + Sync + 'static,
    ) -> Primitive {
        Primitive {
            name: Arc::from(name),
            arity: ty.arity(),
            ty,
            cost: 1.0,
            commutative: false,
            shapes: ShapeRule::Free,
            forward: Arc::new(forward),
            inverse: None,
            cond_inverses: Vec::new(),
            origin: Origin::Builtin,
            doc: Arc::from(""),
        }
    }

    /// The built-in primitive calls one application makes, learned abstractions inlined:
    /// 1 for a built-in.
    pub fn inlined_calls(&self) -> u64 {
        match self.origin {
            Origin::Builtin => 1,
            Origin::Abstraction { calls, .. } => calls,
        }
    }

    /// Sets the one-line doc string.
    pub fn with_doc(mut self, doc: &str) -> Self {
        self.doc = Arc::from(doc);
        self
    }

    /// Sets the search cost.
    pub fn with_cost(mut self, cost: f64) -> Self {
        self.cost = cost;
        self
    }

    /// Marks a two-argument primitive as commutative.
    pub fn commutative(mut self) -> Self {
        self.commutative = true;
        self
    }

    /// Declares how its grid arguments' and result's shapes relate on each example.
    pub fn with_shapes(mut self, rule: ShapeRule) -> Self {
        self.shapes = rule;
        self
    }

    /// Adds the inverse (output -> all inputs).
    pub fn with_inverse(
        mut self,
        inverse: impl Fn(&Value) -> Result<Vec<Value>, EvalError> + Send + Sync + 'static,
    ) -> Self {
        self.inverse = Some(Arc::new(inverse));
        self
    }

    /// Adds a conditional inverse that knows the inputs in `known` and returns the others.
    pub fn with_cond_inverse(
        self,
        known: &[usize],
        inverse: impl Fn(&Value, &[Value]) -> Result<Vec<Value>, EvalError> + Send + Sync + 'static,
    ) -> Self {
        self.with_cond_inverse_fn(known, Arc::new(inverse))
    }

    /// [`Primitive::with_cond_inverse`] for an inverse already shared behind an `Arc`.
    pub(crate) fn with_cond_inverse_fn(mut self, known: &[usize], apply: CondInverseFn) -> Self {
        let mut known = known.to_vec();
        known.sort_unstable();
        self.cond_inverses.push(CondInverse { known, apply });
        self
    }

    /// Whether the primitive can be run backwards in any way.
    pub fn is_invertible(&self) -> bool {
        self.inverse.is_some() || !self.cond_inverses.is_empty()
    }
}

/// A registry error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// Two primitives with one name.
    #[error("primitive `{0}` is already registered")]
    Duplicate(String),
    /// A conditional inverse names a slot the primitive does not have.
    #[error("primitive `{0}`: conditional inverse knows slot {1}, but the arity is {2}")]
    BadSlot(String, usize, usize),
    /// A name that no primitive has.
    #[error("no primitive is called `{0}`")]
    Unknown(String),
}

/// The primitives a domain (and its learned library) offers, by id and by name.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    prims: Vec<Primitive>,
    by_name: HashMap<Arc<str>, PrimId>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a primitive and returns its id.
    pub fn add(&mut self, prim: Primitive) -> Result<PrimId, RegistryError> {
        if self.by_name.contains_key(&prim.name) {
            return Err(RegistryError::Duplicate(prim.name.to_string()));
        }
        for c in &prim.cond_inverses {
            if let Some(&slot) = c.known.iter().find(|&&s| s >= prim.arity) {
                return Err(RegistryError::BadSlot(
                    prim.name.to_string(),
                    slot,
                    prim.arity,
                ));
            }
        }
        let id = self.prims.len();
        self.by_name.insert(prim.name.clone(), id);
        self.prims.push(prim);
        Ok(id)
    }

    /// The primitive with this id.
    pub fn get(&self, id: PrimId) -> &Primitive {
        &self.prims[id]
    }

    /// The expression that names primitive `id`: `Prim`, or `Abstraction` for learned ones.
    pub fn expr_of(&self, id: PrimId) -> Expr {
        let p = &self.prims[id];
        match p.origin {
            Origin::Builtin => Expr::Prim(p.name.clone()),
            Origin::Abstraction { .. } => Expr::Abstraction(p.name.clone()),
        }
    }

    /// The id of the primitive called `name`.
    pub fn id(&self, name: &str) -> Option<PrimId> {
        self.by_name.get(name).copied()
    }

    /// The primitive called `name`.
    pub fn by_name(&self, name: &str) -> Option<&Primitive> {
        self.id(name).map(|id| &self.prims[id])
    }

    /// All primitives with their ids, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = (PrimId, &Primitive)> {
        self.prims.iter().enumerate()
    }

    /// The registry of only the primitives called `names`, in registration order: a
    /// restricted start for a library to grow from. Fails on a name no primitive has.
    ///
    /// ```
    /// let full = janus::DomainKind::TwentyFour.domain().registry;
    /// let small = full.restricted(&["add", "mul"]).unwrap();
    /// assert_eq!(small.len(), 2);
    /// assert!(small.id("sub").is_none());
    /// assert!(full.restricted(&["frobnicate"]).is_err());
    /// ```
    pub fn restricted<S: AsRef<str>>(&self, names: &[S]) -> Result<Registry, RegistryError> {
        if let Some(unknown) = names.iter().find(|n| self.id(n.as_ref()).is_none()) {
            return Err(RegistryError::Unknown(unknown.as_ref().to_string()));
        }
        let mut out = Registry::new();
        for p in &self.prims {
            if names.iter().any(|n| n.as_ref() == &*p.name) {
                out.add(p.clone())?;
            }
        }
        Ok(out)
    }

    /// Number of primitives.
    pub fn len(&self) -> usize {
        self.prims.len()
    }

    /// Whether no primitive is registered.
    pub fn is_empty(&self) -> bool {
        self.prims.is_empty()
    }
}

/// The primitive names of a base file (`--base`): one per line, blank lines and `;;`
/// comments skipped.
///
/// ```
/// let names = janus::dsl::base_names(";; symmetries\nrot90\n\nvflip ;; top-bottom\n");
/// assert_eq!(names, ["rot90", "vflip"]);
/// ```
pub fn base_names(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split(";;").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// What `janus dsl list` says of one primitive.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PrimitiveSummary {
    /// Name used in programs.
    pub name: String,
    /// Its type, as the parser reads it.
    pub ty: String,
    /// Search cost.
    pub cost: f64,
    /// Whether it has an inverse (output -> all inputs).
    pub inverse: bool,
    /// The known slots of each conditional inverse.
    pub cond_inverses: Vec<Vec<usize>>,
    /// Whether swapping its two arguments gives the same output.
    pub commutative: bool,
    /// One line saying what it does.
    pub doc: String,
}

impl Primitive {
    /// What `janus dsl list` says of this primitive.
    pub fn summary(&self) -> PrimitiveSummary {
        PrimitiveSummary {
            name: self.name.to_string(),
            ty: self.ty.to_string(),
            cost: self.cost,
            inverse: self.inverse.is_some(),
            cond_inverses: self.cond_inverses.iter().map(|c| c.known.clone()).collect(),
            commutative: self.commutative,
            doc: self.doc.to_string(),
        }
    }
}

impl fmt::Display for PrimitiveSummary {
    /// One line: name, type, cost, inverses, doc.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut inverses = Vec::new();
        if self.inverse {
            inverses.push("inverse".to_string());
        }
        for known in &self.cond_inverses {
            let slots: Vec<String> = known.iter().map(usize::to_string).collect();
            inverses.push(format!("given {}", slots.join(",")));
        }
        if self.commutative {
            inverses.push("commutative".to_string());
        }
        write!(f, "{} : {} | cost {}", self.name, self.ty, self.cost)?;
        if !inverses.is_empty() {
            write!(f, " | {}", inverses.join("; "))?;
        }
        if !self.doc.is_empty() {
            write!(f, " | {}", self.doc)?;
        }
        Ok(())
    }
}

impl Registry {
    /// Every primitive's summary line, in registration order: what `janus dsl list`
    /// prints and `dsl/<domain>.prims` holds.
    pub fn listing(&self) -> String {
        self.prims
            .iter()
            .map(|p| format!("{}\n", p.summary()))
            .collect()
    }
}
