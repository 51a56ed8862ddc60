//! Actions on the search graph: forward steps, inverses and conditional inverses, their
//! enumeration around a new node, and their evaluation on every example.

use std::borrow::Cow;
use std::cell::OnceCell;

use petgraph::stable_graph::NodeIndex;
use rustc_hash::FxHashMap;

use super::graph::{SearchGraph, Values};
use super::usage::Usage;
use crate::domains::Merged;
use crate::dsl::profile;
use crate::dsl::types::fits;
use crate::dsl::{PrimId, Primitive, Registry, Shape, ShapeRule, Type, Value};

/// How a primitive is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Inputs (grounded) -> output (grounded).
    Forward,
    /// Output (ungrounded) -> all inputs (ungrounded).
    Inverse,
    /// Output (ungrounded) + the known inputs (grounded) -> the other inputs; the index of
    /// the primitive's conditional inverse.
    CondInverse(usize),
}

/// An action: an op and its argument nodes. Forward: the inputs in slot order. Inverse:
/// `[output]`. Conditional inverse: `[output, known inputs in slot order...]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Action {
    /// The primitive.
    pub prim: PrimId,
    /// How it is applied.
    pub direction: Direction,
    /// The argument nodes.
    pub args: Vec<NodeIndex>,
}

/// An action with its result computed on every example, ready to be scored and applied.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The action.
    pub action: Action,
    /// Forward: the output's values and usage. Inverses: those of each computed input, in
    /// slot order.
    pub outputs: Vec<(Values, Usage)>,
    /// Cost of the (partial) program this action builds: grounded steps below, or the
    /// steps from the target down.
    pub cost: f64,
    /// When applying it joins the two fronts (its output, or all its computed inputs,
    /// exist on the other side already): the cost of the complete program it gives.
    pub joins: Option<f64>,
}

/// Which kinds of action a strategy uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Directions {
    /// Forward steps.
    pub forward: bool,
    /// Inverses and conditional inverses.
    pub backward: bool,
}

/// All actions that involve `node` (just created, or just grounded) and nodes before it.
/// Each action of the whole search is proposed once, when its last argument appears.
pub fn propose(
    graph: &SearchGraph,
    registry: &Registry,
    node: NodeIndex,
    dirs: Directions,
    out: &mut Vec<Action>,
) {
    let v = graph.value(node);
    let grounded = graph.grounded_nodes();
    if v.grounded {
        let rank = v.rank.expect("grounded nodes are ranked");
        let pool = &grounded[..=rank];
        let with_partners = dirs.forward && registry.iter().any(|(_, p)| p.arity > 1);
        let as_known = dirs.backward && registry.iter().any(|(_, p)| !p.cond_inverses.is_empty());
        // In a linear task, partners must leave room for the new node's inputs.
        let full = graph.full_usage();
        let partners = TypedPool::new(
            graph,
            if with_partners {
                // (`node` itself always stays: it is the argument every proposal must contain.)
                pool.iter()
                    .copied()
                    .filter(|&n| {
                        n == node || graph.value(n).usage.checked_add(v.usage, full).is_some()
                    })
                    .collect()
            } else {
                Cow::Owned(vec![node])
            },
        );
        // Outside linear tasks every target's known inputs come from the one pool.
        let shared = (as_known && !graph.is_linear()).then(|| TypedPool::new(graph, pool.into()));
        let targets: Vec<(NodeIndex, Option<TypedPool>)> = if as_known {
            graph
                .ungrounded_nodes()
                .filter(|&t| graph.value(t).usage.checked_sub(v.usage).is_some())
                .map(|t| {
                    let own = shared
                        .is_none()
                        .then(|| TypedPool::new(graph, known_pool(graph, t, pool)));
                    (t, own)
                })
                .collect()
        } else {
            Vec::new()
        };
        for (id, prim) in registry.iter().filter(|(_, p)| p.arity > 0) {
            if dirs.forward {
                let slots: Vec<usize> = (0..prim.arity).collect();
                let mut left = MAX_TUPLES;
                tuples(
                    graph,
                    prim,
                    &slots,
                    &mut left,
                    &partners,
                    Some(node),
                    prim.commutative,
                    None,
                    &mut |args| {
                        out.push(Action {
                            prim: id,
                            direction: Direction::Forward,
                            args: args.to_vec(),
                        })
                    },
                );
            }
            if dirs.backward {
                for (target, own) in &targets {
                    let known = own.as_ref().or(shared.as_ref()).expect("a pool");
                    propose_cond_inverses(graph, id, prim, *target, known, Some(node), out);
                }
            }
        }
    } else if dirs.backward {
        let known = TypedPool::new(graph, known_pool(graph, node, grounded));
        for (id, prim) in registry.iter().filter(|(_, p)| p.arity > 0) {
            if !fits(prim.ty.returns(), &v.ty) {
                continue;
            }
            if prim.inverse.is_some() && (!graph.is_linear() || prim.arity == 1) {
                out.push(Action {
                    prim: id,
                    direction: Direction::Inverse,
                    args: vec![node],
                });
            }
            propose_cond_inverses(graph, id, prim, node, &known, None, out);
        }
    }
}

/// The nodes of `pool` that may be known inputs of a conditional inverse at `target`: they
/// must use part of what the target uses (always true in non-linear tasks).
fn known_pool<'a>(
    graph: &SearchGraph,
    target: NodeIndex,
    pool: &'a [NodeIndex],
) -> Cow<'a, [NodeIndex]> {
    if !graph.is_linear() {
        return Cow::Borrowed(pool);
    }
    let need = graph.value(target).usage;
    pool.iter()
        .copied()
        .filter(|&n| need.checked_sub(graph.value(n).usage).is_some())
        .collect()
}

/// Argument nodes grouped by type, so that the nodes fitting a slot are found with one
/// type check per group rather than one per node; and within a type by the values'
/// shapes, so that the nodes whose shapes agree with an output's are found with one shape
/// check per group.
struct TypedPool<'a> {
    graph: &'a SearchGraph,
    nodes: Cow<'a, [NodeIndex]>,
    /// Each type with the positions in `nodes` of the live nodes of that type, ascending.
    groups: Vec<(&'a Type, Vec<usize>)>,
    /// Each group's positions split by their values' shapes (built on first use).
    by_shape: OnceCell<Vec<ShapeGroups<'a>>>,
}

/// Positions of one type's nodes, by their values' shapes (`None`: not all grids).
type ShapeGroups<'a> = Vec<(Option<&'a [Shape]>, Vec<usize>)>;

impl<'a> TypedPool<'a> {
    fn new(graph: &'a SearchGraph, nodes: Cow<'a, [NodeIndex]>) -> Self {
        let mut groups: Vec<(&Type, Vec<usize>)> = Vec::new();
        for (i, &n) in nodes.iter().enumerate() {
            if !graph.contains(n) {
                continue;
            }
            let ty = &graph.value(n).ty;
            match groups.iter_mut().find(|(t, _)| *t == ty) {
                Some((_, members)) => members.push(i),
                None => groups.push((ty, vec![i])),
            }
        }
        TypedPool {
            graph,
            nodes,
            groups,
            by_shape: OnceCell::new(),
        }
    }

    /// The positions of the nodes that fit a slot of type `slot`, ascending; with
    /// `shapes`, only those whose shapes agree with the given ones by the rule.
    fn fitting(&self, slot: &Type, shapes: Option<(ShapeRule, &[Shape])>) -> Vec<usize> {
        let mut fitting = Vec::new();
        let mut parts = 0;
        for (g, (ty, members)) in self.groups.iter().enumerate() {
            if !fits(slot, ty) {
                continue;
            }
            let Some((rule, anchor)) = shapes else {
                fitting.extend_from_slice(members);
                parts += 1;
                continue;
            };
            for (own, part) in &self.shape_groups()[g] {
                if own.is_none_or(|own| rule.agree(own, anchor)) {
                    fitting.extend_from_slice(part);
                    parts += 1;
                }
            }
        }
        if parts > 1 {
            fitting.sort_unstable();
        }
        fitting
    }

    /// Each type group's positions by shape.
    fn shape_groups(&self) -> &[ShapeGroups<'a>] {
        self.by_shape.get_or_init(|| {
            let graph = self.graph;
            self.groups
                .iter()
                .map(|(_, members)| {
                    let mut index: FxHashMap<Option<&[Shape]>, usize> = FxHashMap::default();
                    let mut parts: ShapeGroups = Vec::new();
                    for &i in members {
                        let own = graph.value(self.nodes[i]).shapes.as_deref();
                        let at = *index.entry(own).or_insert_with(|| {
                            parts.push((own, Vec::new()));
                            parts.len() - 1
                        });
                        parts[at].1.push(i);
                    }
                    parts
                })
                .collect()
        })
    }

    /// The position of `n`, searched from the end (where a new node is).
    fn position(&self, n: NodeIndex) -> Option<usize> {
        self.nodes.iter().rposition(|&m| m == n)
    }
}

/// The conditional-inverse actions of `prim` at `target`, with known inputs from `pool`
/// (already filtered by [`known_pool`]) that include `must`.
fn propose_cond_inverses(
    graph: &SearchGraph,
    id: PrimId,
    prim: &Primitive,
    target: NodeIndex,
    pool: &TypedPool,
    must: Option<NodeIndex>,
    out: &mut Vec<Action>,
) {
    if !fits(prim.ty.returns(), &graph.value(target).ty) || prim.cond_inverses.is_empty() {
        return;
    }
    // One budget for all of them: an abstraction of arity 8 has 254.
    let mut left = MAX_TUPLES;
    for (i, ci) in prim.cond_inverses.iter().enumerate() {
        if graph.is_linear() && ci.known.len() + 1 != prim.arity {
            continue; // a linear task cannot split the remaining inputs between two slots
        }
        let anchor = graph.value(target).shapes.as_deref();
        tuples(
            graph,
            prim,
            &ci.known,
            &mut left,
            pool,
            must,
            false,
            anchor,
            &mut |known| {
                let mut args = Vec::with_capacity(known.len() + 1);
                args.push(target);
                args.extend_from_slice(known);
                out.push(Action {
                    prim: id,
                    direction: Direction::CondInverse(i),
                    args,
                });
            },
        );
    }
}

/// The most argument tuples one primitive proposes around one node in one direction
/// (forward, or all its conditional inverses at one target together): past it the rest
/// are not proposed. A primitive with many parameters of any type (a library abstraction
/// of arity 6) would otherwise ask for every combination of the graph's nodes at once.
pub const MAX_TUPLES: usize = 1 << 18;

/// How many argument tuples a walk hands over between two reads of the search's clock.
const TUPLES_PER_CLOCK_READ: usize = 4096;

/// Calls `f` with every tuple of nodes from `pool` that fits `slots` of `prim` and contains
/// `must` (if given), at most `left` of them (counted down); with `ordered`, only tuples in pool order (for commutative ops). With
/// an `anchor` (the output's shapes), every grid must agree with it by the primitive's
/// shape rule; without one, the tuple's grids must agree with each other.
#[allow(clippy::too_many_arguments)]
fn tuples(
    graph: &SearchGraph,
    prim: &Primitive,
    slots: &[usize],
    left: &mut usize,
    pool: &TypedPool,
    must: Option<NodeIndex>,
    ordered: bool,
    anchor: Option<&[Shape]>,
    f: &mut dyn FnMut(&[NodeIndex]),
) {
    let arg_types = prim.ty.arguments();
    let agree = |a: NodeIndex, b: Option<&[Shape]>| match (graph.value(a).shapes.as_deref(), b) {
        (Some(a), Some(b)) => prim.shapes.agree(a, b),
        _ => true,
    };
    let must = match must {
        Some(m) => match pool.position(m) {
            Some(i) => Some(i),
            None => return,
        },
        None => None,
    };
    if let ([slot], Some(i)) = (slots, must) {
        // One slot that must hold `must`: nothing to enumerate.
        let m = pool.nodes[i];
        if *left > 0
            && graph.contains(m)
            && fits(arg_types[*slot], &graph.value(m).ty)
            && agree(m, anchor)
        {
            *left -= 1;
            f(&[m]);
        }
        return;
    }
    let shapes = anchor
        .filter(|_| prim.shapes != ShapeRule::Free)
        .map(|a| (prim.shapes, a));
    let fitting: Vec<Vec<usize>> = slots
        .iter()
        .map(|&s| pool.fitting(arg_types[s], shapes))
        .collect();
    if fitting.iter().any(Vec::is_empty) {
        return; // a slot nothing fits (say, a colour before any colour exists)
    }
    // Without an anchor, the tuple's grids must agree with each other.
    let pairwise = |a: NodeIndex, b: NodeIndex| agree(a, graph.value(b).shapes.as_deref());
    let mut walk = TupleWalk {
        fitting: &fitting,
        pool: &pool.nodes,
        must,
        ordered,
        agree: (anchor.is_none() && prim.shapes != ShapeRule::Free).then_some(&pairwise),
        picked: Vec::new(),
        nodes: Vec::new(),
        left: *left,
    };
    walk.go(must.is_none(), f);
    *left = walk.left;
}

/// Depth-first walk over argument tuples; `must` is placed at its first position
/// directly, so that only tuples containing it are visited.
struct TupleWalk<'a> {
    fitting: &'a [Vec<usize>],
    pool: &'a [NodeIndex],
    must: Option<usize>,
    ordered: bool,
    /// Whether two nodes' shapes agree under the primitive's rule (checked against every
    /// node picked before), where that needs checking.
    agree: Option<&'a dyn Fn(NodeIndex, NodeIndex) -> bool>,
    picked: Vec<usize>,
    nodes: Vec<NodeIndex>,
    /// Tuples still to hand over (see [`MAX_TUPLES`]).
    left: usize,
}

impl TupleWalk<'_> {
    /// Whether pool node `i` may join the nodes picked so far.
    fn agrees(&self, i: usize) -> bool {
        let Some(agree) = self.agree else {
            return true;
        };
        let n = self.pool[i];
        self.picked.iter().all(|&j| agree(n, self.pool[j]))
    }

    fn go(&mut self, placed: bool, f: &mut dyn FnMut(&[NodeIndex])) {
        let depth = self.picked.len();
        if self.left == 0 {
            return;
        }
        if depth == self.fitting.len() {
            // Thousands of tuples take milliseconds: past the search's deadline the rest
            // are not proposed (the search stops before it would use them).
            if self.left % TUPLES_PER_CLOCK_READ == 0 && super::deadline::past_deadline() {
                self.left = 0;
                return;
            }
            self.left -= 1;
            self.nodes.clear();
            self.nodes.extend(self.picked.iter().map(|&i| self.pool[i]));
            f(&self.nodes);
            return;
        }
        let floor = if self.ordered {
            self.picked.last().copied().unwrap_or(0)
        } else {
            0
        };
        if !placed {
            let m = self.must.expect("unplaced implies a must");
            if m >= floor && self.fitting[depth].binary_search(&m).is_ok() && self.agrees(m) {
                self.picked.push(m);
                self.go(true, f);
                self.picked.pop();
            }
            if depth + 1 == self.fitting.len() {
                return; // the last slot had to take `must`
            }
        }
        let fitting = self.fitting;
        for &i in &fitting[depth] {
            if i < floor || (!placed && Some(i) == self.must) || !self.agrees(i) {
                continue;
            }
            self.picked.push(i);
            self.go(placed, f);
            self.picked.pop();
        }
    }
}

/// Every valid action of the state (proposed around every node, evaluated on every
/// example, without duplicates).
pub fn valid_candidates(
    graph: &SearchGraph,
    registry: &Registry,
    dirs: Directions,
) -> Vec<Candidate> {
    let mut proposed = Vec::new();
    for n in graph.value_nodes() {
        propose(graph, registry, n, dirs, &mut proposed);
    }
    let mut seen = std::collections::HashSet::new();
    let max_bits = crate::dsl::Limits::default().max_bits;
    proposed
        .into_iter()
        .filter(|a| seen.insert(a.clone()))
        .filter_map(|a| evaluate(graph, registry, &a, max_bits))
        .collect()
}

/// The computed input columns as value sets, after the domain's literal merge; `None`
/// when two examples' literals clash. The flag says whether any column was merged.
fn merge_columns(
    graph: &SearchGraph,
    columns: Vec<Vec<Value>>,
    rest: Usage,
) -> Option<(Vec<(Values, Usage)>, bool)> {
    let mut merged = false;
    let mut outputs = Vec::with_capacity(columns.len());
    for column in columns {
        let column = match (graph.literals().merge)(column) {
            Merged::Unchanged(c) => c,
            Merged::Merged(c) => {
                merged = true;
                c
            }
            Merged::Clash => return None,
        };
        outputs.push((Values::from(column), rest));
    }
    Some((outputs, merged))
}

/// Computes `action`'s result on every example; `None` when it fails on one (a domain
/// error, an inverse that does not check out forward, a linear-usage violation), would
/// add nothing new, or the running search's deadline passes between two examples (a
/// primitive may take milliseconds on each of hundreds of large grids).
pub fn evaluate(
    graph: &SearchGraph,
    registry: &Registry,
    action: &Action,
    max_bits: u64,
) -> Option<Candidate> {
    let prim = registry.get(action.prim);
    let n_examples = graph.value(action.args[0]).values.len();
    match action.direction {
        Direction::Forward => {
            let mut usage = Usage::NONE;
            for &a in &action.args {
                usage = usage.checked_add(graph.value(a).usage, graph.full_usage())?;
            }
            let mut out = Vec::with_capacity(n_examples);
            let mut args = Vec::with_capacity(prim.arity);
            for e in 0..n_examples {
                if late(e) {
                    return None;
                }
                args.clear();
                args.extend(
                    action
                        .args
                        .iter()
                        .map(|&a| graph.value(a).values[e].clone()),
                );
                let v = profile::forward(action.prim, prim, &args).ok()?;
                if v.size_bits() > max_bits {
                    return None;
                }
                out.push(v);
            }
            let values: Values = out.into();
            let existing = graph.lookup(&values, usage);
            if existing.is_some_and(|n| graph.value(n).grounded) {
                return None;
            }
            let cost = prim.cost
                + action
                    .args
                    .iter()
                    .map(|&a| graph.value(a).cost)
                    .sum::<f64>();
            let joins = existing.map(|n| cost + graph.value(n).cost);
            Some(Candidate {
                action: action.clone(),
                outputs: vec![(values, usage)],
                cost,
                joins,
            })
        }
        Direction::Inverse | Direction::CondInverse(_) => {
            evaluate_backward(graph, prim, action, n_examples, max_bits)
        }
    }
}

/// Whether the running search's deadline has passed, read before every fourth example
/// after the first.
fn late(example: usize) -> bool {
    example > 0 && example % 4 == 0 && super::deadline::past_deadline()
}

fn evaluate_backward(
    graph: &SearchGraph,
    prim: &Primitive,
    action: &Action,
    n_examples: usize,
    max_bits: u64,
) -> Option<Candidate> {
    let out_node = graph.value(action.args[0]);
    let known = &action.args[1..];
    let (known_slots, missing_slots) = match action.direction {
        Direction::CondInverse(i) => (
            prim.cond_inverses[i].known.clone(),
            prim.cond_inverses[i].missing(prim.arity),
        ),
        _ => (Vec::new(), (0..prim.arity).collect()),
    };
    // Usage left for the computed inputs (linear tasks: exactly what the output needs).
    let mut rest = out_node.usage;
    for &k in known {
        rest = rest.checked_sub(graph.value(k).usage)?;
    }
    if graph.is_linear() && rest.is_none() {
        return None;
    }
    let mut columns: Vec<Vec<Value>> = vec![Vec::with_capacity(n_examples); missing_slots.len()];
    // Re-check: running the primitive forward must give the output back.
    let gives_output = |e: usize, computed: &mut dyn Iterator<Item = &Value>| {
        let mut full = vec![Value::Bool(false); prim.arity];
        for (&s, &k) in known_slots.iter().zip(known) {
            full[s] = graph.value(k).values[e].clone();
        }
        for (&s, v) in missing_slots.iter().zip(computed) {
            full[s] = v.clone();
        }
        profile::forward(action.prim, prim, &full).ok().as_ref() == Some(&out_node.values[e])
    };
    for e in 0..n_examples {
        if late(e) {
            return None;
        }
        let out = &out_node.values[e];
        let known_values: Vec<Value> = known
            .iter()
            .map(|&k| graph.value(k).values[e].clone())
            .collect();
        let computed = profile::inverse(action.prim, || match action.direction {
            Direction::CondInverse(i) => (prim.cond_inverses[i].apply)(out, &known_values).ok(),
            _ => (prim.inverse.as_ref()?)(out).ok(),
        })?;
        if computed.len() != missing_slots.len() || !gives_output(e, &mut computed.iter()) {
            return None;
        }
        for (col, v) in columns.iter_mut().zip(computed) {
            if v.size_bits() > max_bits {
                return None;
            }
            col.push(v);
        }
    }
    let (outputs, merged) = merge_columns(graph, columns, rest)?;
    // A merged literal must still give every example's output (see `Literals::merge`).
    if merged && !(0..n_examples).all(|e| gives_output(e, &mut outputs.iter().map(|o| &o.0[e]))) {
        return None;
    }
    if outputs
        .iter()
        .any(|(v, u)| *v == out_node.values && *u == out_node.usage)
    {
        return None; // the output would need itself
    }
    let cost = out_node.cost + prim.cost + known.iter().map(|&k| graph.value(k).cost).sum::<f64>();
    let joins = outputs
        .iter()
        .map(|(v, u)| match graph.lookup(v, *u) {
            Some(n) => graph.value(n).grounded.then(|| graph.value(n).cost),
            None => graph.is_literal(v).then(|| graph.literal_cost(v)),
        })
        .sum::<Option<f64>>()
        .map(|c| c + cost);
    Some(Candidate {
        action: action.clone(),
        outputs,
        cost,
        joins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::learn::{register_library, Library};

    #[test]
    fn a_primitive_with_many_parameters_proposes_at_most_max_tuples() {
        let mut d = DomainKind::TwentyFour.domain();
        let lib = Library::parse(
            ";; janus library 1\nfn_0 arity=6 = (add #0 (add #1 (add #2 (add #3 (add #4 #5)))))\n",
        )
        .unwrap();
        let ids = register_library(&lib, &mut d.registry).unwrap();
        // 20 inputs: 6 * 20^5 tuples hold the last one.
        let inputs = vec![(1..=20).map(|i| Value::rat(i, 1)).collect::<Vec<_>>()];
        let graph = SearchGraph::new(&d.registry, &inputs, &[Value::rat(1000, 1)], false).unwrap();
        let inputs = graph.value_nodes().filter(|&n| graph.value(n).grounded);
        let last = inputs.last().unwrap();
        let mut proposed = Vec::new();
        let forward = Directions {
            forward: true,
            backward: false,
        };
        propose(&graph, &d.registry, last, forward, &mut proposed);
        let mine = proposed.iter().filter(|a| a.prim == ids[0]).count();
        assert_eq!(mine, MAX_TUPLES);
        let add = d.registry.id("add").unwrap();
        assert!(
            proposed.iter().any(|a| a.prim == add),
            "other primitives still propose"
        );
    }
}
