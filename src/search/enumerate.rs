//! The forward phase: every chain of a domain's one-argument steps up to a depth, run on
//! the input of every example and every test at once and deduplicated by those values
//! (icecuber's DAG of images). A step is a unary primitive, or a primitive whose other
//! arguments are literals of the task (an ARC colour) fixed in advance, or the task's
//! input itself (the chain's value beside the input, or laid over it).
//!
//! Deduplicating over the test inputs too keeps two chains that agree on the examples
//! but not on a test: they are different programs for the second attempt. The
//! bidirectional search then meets any value the phase reached
//! ([`SearchGraph::with_reached`](super::SearchGraph::with_reached)): a value the backward
//! front needs is grounded by replaying its chain instead of being searched for again.

use std::collections::HashMap;
use std::time::Instant;

use rustc_hash::{FxHashMap, FxHashSet};

use super::graph::Values;
use crate::dsl::profile;
use crate::dsl::types::fits;
use crate::dsl::{Expr, PrimId, Registry, Type, Value};

/// One argument of a step.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// The chain's value so far.
    Chain,
    /// The task's input, `$0`.
    Input,
    /// A literal fixed in advance (an ARC colour).
    Literal(Value),
}

/// One step of a chain: a primitive applied to the chain's value, with the task's input
/// or fixed literals for its other arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The primitive.
    pub prim: PrimId,
    /// Its arguments in order, the chain's value exactly once among them.
    pub operands: Vec<Operand>,
    /// The primitive's cost (literals and the input are free, as when the search infers
    /// them).
    pub cost: f64,
}

impl Step {
    /// The steps a registry offers: every primitive whose arguments after the first are
    /// all of a literal type, once for each choice of those arguments among `choices`
    /// (values of the literal types, e.g. the colours a task uses). Where `input` is the
    /// task's input type, also every primitive of exactly two arguments of that type, with
    /// the chain's value in one place and the input in the other (one order for a
    /// commutative primitive); those that also take literals (ARC's logic primitives, once
    /// per colour) would multiply the phase's branching for few programs. The cheapest
    /// first.
    pub fn all(registry: &Registry, choices: &[Value], input: Option<&Type>) -> Vec<Step> {
        let mut steps = Vec::new();
        for (id, p) in registry.iter().filter(|(_, p)| p.arity >= 1) {
            let args = p.ty.arguments();
            let mut heads = vec![vec![Operand::Chain]];
            if args.len() == 2 && input.is_some_and(|t| args[0] == t && args[1] == t) {
                heads = vec![vec![Operand::Chain, Operand::Input]];
                if !p.commutative {
                    heads.push(vec![Operand::Input, Operand::Chain]);
                }
            }
            for head in heads {
                let tuples = literal_tuples(&args[head.len()..], choices);
                steps.extend(tuples.into_iter().map(|literals| Step {
                    prim: id,
                    operands: head.iter().cloned().chain(literals).collect(),
                    cost: p.cost,
                }));
            }
        }
        steps.sort_by(|a, b| a.cost.total_cmp(&b.cost));
        steps
    }

    /// The place of the chain's value among the arguments.
    pub fn chain_at(&self) -> usize {
        self.operands
            .iter()
            .position(|o| *o == Operand::Chain)
            .expect("a step takes the chain's value")
    }
}

/// Every tuple of literal operands for arguments of types `types`, each chosen among the
/// `choices` of its type (none where a type has no choice).
fn literal_tuples(types: &[&Type], choices: &[Value]) -> Vec<Vec<Operand>> {
    let mut tuples: Vec<Vec<Operand>> = vec![Vec::new()];
    for ty in types {
        let options: Vec<&Value> = choices.iter().filter(|v| v.type_of() == **ty).collect();
        tuples = tuples
            .into_iter()
            .flat_map(|t| {
                options.iter().map(move |&v| {
                    let mut t = t.clone();
                    t.push(Operand::Literal(v.clone()));
                    t
                })
            })
            .collect();
    }
    tuples
}

/// When the forward phase stops: at a depth, a number of values, or a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnumerationLimits {
    /// The longest chain.
    pub max_depth: usize,
    /// The most distinct values kept.
    pub max_values: usize,
    /// The wall-clock time at which it stops, whatever it reached.
    pub deadline: Option<Instant>,
}

/// A value the phase reached: its values on every example and test, and how.
#[derive(Clone, Debug)]
struct Reached {
    /// One value per example, then one per test.
    values: Values,
    /// The value the last step was applied to (`None` for the input).
    parent: Option<u32>,
    /// The last step (an index into the step list).
    step: u32,
    /// The chain's cost.
    cost: f64,
    /// The chain's length.
    depth: u8,
}

/// The values reached forward from a one-input task's input, deduplicated on every
/// example and test input.
#[derive(Clone, Debug)]
pub struct Enumeration {
    steps: Vec<Step>,
    reached: Vec<Reached>,
    /// The reached values with these example values, in the order found (they differ on
    /// some test).
    by_examples: FxHashMap<Values, Vec<u32>>,
    n_examples: usize,
    /// Step applications run (each on every example and test).
    pub evaluated: u64,
    /// Whether every chain up to the depth was run.
    pub complete: bool,
}

impl Enumeration {
    /// Runs every chain of `steps` from `inputs` (one value per example, then one per
    /// test) breadth-first, up to `limits`. A step that fails on any example or test, or
    /// gives a value already reached, adds nothing.
    pub fn run(
        registry: &Registry,
        steps: Vec<Step>,
        inputs: Values,
        n_examples: usize,
        limits: EnumerationLimits,
    ) -> Enumeration {
        let mut e = Enumeration {
            steps,
            reached: Vec::new(),
            by_examples: FxHashMap::default(),
            n_examples,
            evaluated: 0,
            complete: false,
        };
        let mut seen: FxHashSet<Values> = FxHashSet::default();
        seen.insert(inputs.clone());
        e.push(inputs.clone(), None, 0, 0.0, 0);
        let mut applicable: HashMap<Type, Vec<u32>> = HashMap::new();
        let max_bits = crate::dsl::Limits::default().max_bits;
        let mut layer = 0..1;
        let late = || limits.deadline.is_some_and(|d| Instant::now() >= d);
        let mut args = Vec::new();
        let mut out = Vec::new();
        for depth in 1..=limits.max_depth {
            let next_start = e.reached.len();
            for parent in layer.clone() {
                let node = &e.reached[parent];
                let ty = node.values[0].type_of();
                let usable = applicable.entry(ty.clone()).or_insert_with(|| {
                    (0..e.steps.len() as u32)
                        .filter(|&s| {
                            let step = &e.steps[s as usize];
                            let prim = registry.get(step.prim);
                            fits(prim.ty.arguments()[step.chain_at()], &ty)
                        })
                        .collect()
                });
                let parent_values = node.values.clone();
                let parent_cost = node.cost;
                for (i, &s) in usable.iter().enumerate() {
                    if e.reached.len() >= limits.max_values {
                        return e;
                    }
                    // Read every few steps: one step runs on every example and test, which
                    // on large tasks costs milliseconds.
                    if i % 8 == 0 && late() {
                        return e;
                    }
                    let step = &e.steps[s as usize];
                    let prim = registry.get(step.prim);
                    e.evaluated += 1;
                    out.clear();
                    for (k, v) in parent_values.iter().enumerate() {
                        if k % 4 == 3 && late() {
                            return e;
                        }
                        args.clear();
                        args.extend(step.operands.iter().map(|o| match o {
                            Operand::Chain => v.clone(),
                            Operand::Input => inputs[k].clone(),
                            Operand::Literal(l) => l.clone(),
                        }));
                        match profile::forward(step.prim, prim, &args) {
                            Ok(r) if r.size_bits() <= max_bits => out.push(r),
                            _ => break,
                        }
                    }
                    // A value reached before (most are) is found without being copied.
                    if out.len() < parent_values.len() || seen.contains(out.as_slice()) {
                        continue;
                    }
                    let values: Values = out.drain(..).collect();
                    seen.insert(values.clone());
                    let cost = parent_cost + step.cost;
                    e.push(values, Some(parent as u32), s, cost, depth as u8);
                }
            }
            layer = next_start..e.reached.len();
            if layer.is_empty() {
                break;
            }
        }
        e.complete = true;
        e
    }

    fn push(&mut self, values: Values, parent: Option<u32>, step: u32, cost: f64, depth: u8) {
        let id = self.reached.len() as u32;
        let examples: Values = values[..self.n_examples].iter().cloned().collect();
        self.by_examples.entry(examples).or_default().push(id);
        self.reached.push(Reached {
            values,
            parent,
            step,
            cost,
            depth,
        });
    }

    /// Number of distinct values reached (the input included).
    pub fn len(&self) -> usize {
        self.reached.len()
    }

    /// Whether nothing was reached (never: the input is always there).
    pub fn is_empty(&self) -> bool {
        self.reached.is_empty()
    }

    /// The first chain found whose values on the examples are `values` (breadth-first,
    /// so one of the shortest).
    pub fn find(&self, values: &[Value]) -> Option<u32> {
        self.by_examples.get(values).map(|ids| ids[0])
    }

    /// Every chain whose values on the examples are `values` (they differ on some test),
    /// the cheapest first.
    pub fn find_all(&self, values: &[Value]) -> Vec<u32> {
        let mut ids = self.by_examples.get(values).cloned().unwrap_or_default();
        ids.sort_by(|&a, &b| self.cost(a).total_cmp(&self.cost(b)));
        ids
    }

    /// The cheapest chain whose values on the examples are `values`.
    pub fn cheapest(&self, values: &[Value]) -> Option<u32> {
        let ids = self.by_examples.get(values)?;
        ids.iter()
            .copied()
            .min_by(|&a, &b| self.cost(a).total_cmp(&self.cost(b)))
    }

    /// The cost of chain `id`: its primitives' costs.
    pub fn cost(&self, id: u32) -> f64 {
        self.reached[id as usize].cost
    }

    /// The length of chain `id`.
    pub fn depth(&self, id: u32) -> usize {
        self.reached[id as usize].depth as usize
    }

    /// The steps of chain `id`, first applied first, each with its output on the examples.
    pub fn chain(&self, id: u32) -> Vec<(&Step, Values)> {
        let mut chain = Vec::new();
        let mut at = Some(id);
        while let Some(i) = at {
            let r = &self.reached[i as usize];
            if r.parent.is_none() {
                break;
            }
            let examples: Values = r.values[..self.n_examples].iter().cloned().collect();
            chain.push((&self.steps[r.step as usize], examples));
            at = r.parent;
        }
        chain.reverse();
        chain
    }

    /// Chain `id` as a closed program of the task's one input.
    pub fn program(&self, id: u32, registry: &Registry) -> Expr {
        Expr::lambdas(1, self.body(id, registry))
    }

    /// Chain `id` as an expression of the task's one input, `$0`.
    pub fn body(&self, id: u32, registry: &Registry) -> Expr {
        let mut body = Expr::Var(0);
        for (step, _) in self.chain(id) {
            let args: Vec<Expr> = step
                .operands
                .iter()
                .map(|o| match o {
                    Operand::Chain => body.clone(),
                    Operand::Input => Expr::Var(0),
                    Operand::Literal(l) => Expr::Const(l.clone()),
                })
                .collect();
            body = Expr::apply(registry.expr_of(step.prim), args);
        }
        body
    }

    /// The values of chain `id` on the examples.
    pub fn example_values(&self, id: u32) -> &[Value] {
        &self.reached[id as usize].values[..self.n_examples]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::dsl::{Evaluator, Grid};

    fn grid(rows: &[&[u8]]) -> Value {
        let cells: Vec<u8> = rows.concat();
        Value::Grid(Grid::new(rows.len(), rows[0].len(), cells).unwrap())
    }

    fn limits(max_depth: usize) -> EnumerationLimits {
        EnumerationLimits {
            max_depth,
            max_values: 1_000_000,
            deadline: None,
        }
    }

    #[test]
    fn chains_are_deduplicated_and_read_back_as_programs_that_give_their_values() {
        let registry = DomainKind::Arc.domain().registry;
        let steps: Vec<Step> = Step::all(&registry, &[], None)
            .into_iter()
            .filter(|s| ["hflip", "vflip", "rot180"].contains(&&*registry.get(s.prim).name))
            .collect();
        let input = grid(&[&[1, 2], &[3, 4]]);
        let inputs: Values = vec![input.clone()].into();
        let e = Enumeration::run(&registry, steps, inputs, 1, limits(3));
        // The flips and the half turn generate a group of four: the input, hflip,
        // vflip and rot180, each reached once.
        assert_eq!(e.len(), 4);
        assert!(e.complete);
        let target = grid(&[&[4, 3], &[2, 1]]);
        let id = e.find(std::slice::from_ref(&target)).unwrap();
        assert_eq!(e.depth(id), 1, "the half turn, not two flips");
        let program = e.program(id, &registry);
        assert_eq!(program.to_string(), "(lam (rot180 $0))");
        let got = Evaluator::new(&registry).run(&program, &[input]).unwrap();
        assert_eq!(got, target);
    }

    #[test]
    fn values_that_agree_on_the_examples_but_not_on_a_test_are_both_kept() {
        let registry = DomainKind::Arc.domain().registry;
        let steps: Vec<Step> = Step::all(&registry, &[], None)
            .into_iter()
            .filter(|s| ["hflip", "transpose"].contains(&&*registry.get(s.prim).name))
            .collect();
        // A symmetric example (hflip and transpose agree on it), an asymmetric test.
        let example = grid(&[&[1, 1], &[2, 2]]);
        let test = grid(&[&[1, 2], &[3, 4]]);
        let inputs: Values = vec![example, test].into();
        let e = Enumeration::run(&registry, steps, inputs, 1, limits(1));
        let hflipped = grid(&[&[1, 1], &[2, 2]]);
        assert_eq!(e.find_all(&[hflipped]).len(), 2, "the input and hflip");
    }

    #[test]
    fn literal_steps_take_each_choice_and_the_limits_stop_the_phase() {
        let registry = DomainKind::Arc.domain().registry;
        let colours = [Value::Colour(3), Value::Colour(5)];
        let steps = Step::all(&registry, &colours, None);
        let paints: Vec<_> = steps
            .iter()
            .filter(|s| &*registry.get(s.prim).name == "paint")
            .collect();
        assert_eq!(paints.len(), 2);
        let inputs: Values = vec![grid(&[&[0, 1], &[2, 0]])].into();
        let e = Enumeration::run(&registry, steps.clone(), inputs.clone(), 1, limits(1));
        let painted = grid(&[&[0, 5], &[5, 0]]);
        let id = e.find(&[painted]).unwrap();
        assert_eq!(e.program(id, &registry).to_string(), "(lam (paint $0 c5))");
        let small = EnumerationLimits {
            max_values: 5,
            ..limits(3)
        };
        let e = Enumeration::run(&registry, steps, inputs, 1, small);
        assert_eq!(e.len(), 5);
        assert!(!e.complete);
    }

    #[test]
    fn a_step_may_take_the_input_beside_the_chain() {
        let registry = DomainKind::Arc.domain().registry;
        let grid_type = Type::grid();
        let steps: Vec<Step> = Step::all(&registry, &[], Some(&grid_type))
            .into_iter()
            .filter(|s| ["hflip", "hstack", "both"].contains(&&*registry.get(s.prim).name))
            .collect();
        // hflip once, hstack in both orders; `both` also takes a colour, so never the input.
        assert_eq!(steps.len(), 3);
        let input = grid(&[&[1, 2], &[3, 4]]);
        let e = Enumeration::run(&registry, steps, vec![input.clone()].into(), 1, limits(2));
        let mirrored = grid(&[&[2, 1, 1, 2], &[4, 3, 3, 4]]);
        let id = e.find(std::slice::from_ref(&mirrored)).unwrap();
        let program = e.program(id, &registry);
        assert_eq!(program.to_string(), "(lam (hstack (hflip $0) $0))");
        let got = Evaluator::new(&registry).run(&program, &[input]).unwrap();
        assert_eq!(got, mirrored);
    }
}
