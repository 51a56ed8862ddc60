//! The search loop: best-first over scored candidates, within a budget of time and
//! expansions, and the two strategies that need no learning.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::time::{Duration, Instant};

use super::actions::{self, Action, Candidate, Directions};
use petgraph::stable_graph::NodeIndex;

use super::graph::{Applied, SearchGraph, Values};
use super::policy::Policy;
use super::usage::Usage;
use crate::dsl::{Expr, Limits, Registry};

/// Which search to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Best-first over forward, inverse and conditional-inverse actions.
    Bidir,
    /// Forward actions only, smallest programs first (exhaustive enumeration).
    Forward,
}

impl Strategy {
    /// The action kinds the strategy uses.
    pub fn directions(self) -> Directions {
        match self {
            Strategy::Bidir => Directions {
                forward: true,
                backward: true,
            },
            Strategy::Forward => Directions {
                forward: true,
                backward: false,
            },
        }
    }
}

/// Limits on one search.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Budget {
    /// Most actions applied.
    pub max_expansions: Option<u64>,
    /// Most wall-clock time.
    pub timeout: Option<Duration>,
}

/// Why a search stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stop {
    /// The target was grounded.
    Solved,
    /// No candidate left: no program exists within the strategy's reach.
    Exhausted,
    /// The expansion budget ran out.
    Expansions,
    /// The time budget ran out.
    Time,
}

/// Counters of one search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SearchStats {
    /// Actions applied that changed the graph.
    pub expansions: u64,
    /// Actions popped that were stale or redundant by then.
    pub wasted: u64,
    /// Candidates evaluated (valid ones, scored and queued).
    pub candidates: u64,
    /// Nodes in the graph at the end.
    pub nodes: u64,
}

/// The result of one search.
#[derive(Clone, Debug)]
pub struct SearchOutcome {
    /// The program found, as a closed expression over the inputs.
    pub program: Option<Expr>,
    /// Why it stopped.
    pub stop: Stop,
    /// Counters.
    pub stats: SearchStats,
    /// Wall-clock time.
    pub elapsed: Duration,
}

struct Entry {
    score: f64,
    seq: u64,
    queued: Queued,
}

/// What the queue keeps of a candidate.
enum Queued {
    /// All of it, for a policy that scores the live candidates again at every step.
    Whole(Box<Candidate>),
    /// Only its action, for a policy that scores a candidate once: it is evaluated again
    /// when taken. Most queued candidates are never taken, and keeping their values cost
    /// more (memory fresh from the kernel) than evaluating the taken ones twice.
    Action(Action),
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Higher score first; among equals, the earlier candidate.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Whether applying `c` could still change the graph: its arguments exist and its
/// output (forward) or its output node (backward) is not grounded yet.
pub fn still_useful(graph: &SearchGraph, c: &Candidate) -> bool {
    if !c.action.args.iter().all(|&n| graph.contains(n)) {
        return false;
    }
    match c.action.direction {
        super::Direction::Forward => {
            let (values, usage) = &c.outputs[0];
            !graph
                .lookup(values, *usage)
                .is_some_and(|n| graph.is_grounded(n))
        }
        _ => !graph.is_grounded(c.action.args[0]),
    }
}

/// The selection of a policy that rescores: every live candidate competes again under
/// the current state, and each node the search makes carries a path score, the sum of
/// the scores of the actions that made it (with log-probabilities: the log-probability
/// of its path). A candidate's priority is its score plus `weight` times its arguments'
/// path scores (weight 1: best-first on the path's probability, as in Levin tree
/// search), so the search backs off from unlikely branches.
struct Rescoring {
    live: Vec<Candidate>,
    path: HashMap<NodeIndex, f64>,
    pending: Vec<(Values, Usage, f64)>,
    weight: f64,
}

impl Rescoring {
    fn new(weight: f64) -> Rescoring {
        Rescoring {
            live: Vec::new(),
            path: HashMap::new(),
            pending: Vec::new(),
            weight,
        }
    }

    /// Takes the best live candidate (the heap's new ones included); `None` when none is
    /// left.
    fn pick(
        &mut self,
        graph: &SearchGraph,
        policy: &dyn Policy,
        heap: &mut BinaryHeap<Entry>,
    ) -> Option<Candidate> {
        self.live
            .extend(heap.drain().filter_map(|e| match e.queued {
                Queued::Whole(c) => Some(*c),
                Queued::Action(_) => None,
            }));
        self.live.retain(|c| still_useful(graph, c));
        if self.live.is_empty() {
            return None;
        }
        let scores = policy.score(graph, &self.live);
        let paths: Vec<f64> = self
            .live
            .iter()
            .map(|c| c.action.args.iter().filter_map(|a| self.path.get(a)).sum())
            .collect();
        let priority = |i: usize| scores[i] + self.weight * paths[i];
        let best = (0..self.live.len())
            .max_by(|&a, &b| priority(a).total_cmp(&priority(b)).then(b.cmp(&a)))?;
        let c = self.live.swap_remove(best);
        let path = scores[best] + paths[best];
        self.pending = c
            .outputs
            .iter()
            .filter(|(v, u)| graph.lookup(v, *u).is_none())
            .map(|(v, u)| (v.clone(), *u, path))
            .collect();
        Some(c)
    }

    /// Records the path scores of the nodes the picked candidate made.
    fn applied(&mut self, graph: &SearchGraph) {
        for (values, usage, score) in self.pending.drain(..) {
            if let Some(n) = graph.lookup(&values, usage) {
                self.path.insert(n, score);
            }
        }
    }
}

/// A program found to fit every example, as [`search_fits`] hands it over.
#[derive(Clone, Debug)]
pub struct Fit {
    /// The program, a closed expression over the inputs.
    pub program: Expr,
    /// Its cost in the search: primitives plus literals (its description length).
    pub cost: f64,
    /// Actions applied when it was found.
    pub expansions: u64,
    /// Time since the search began.
    pub elapsed: Duration,
}

/// What [`search_fits`] does after a fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFit {
    /// Stop now.
    Stop,
    /// Go on until this many actions have been applied in all (or the budget ends).
    ContinueUntil(u64),
}

/// Hands the graph's new fits to `on_fit` and keeps what it answered.
#[derive(Default)]
struct FitReader {
    /// Fits handed over so far.
    read: usize,
    /// The first fit's program.
    first: Option<Expr>,
    /// Expansions at which to stop, once a fit was found.
    until: Option<u64>,
}

impl FitReader {
    /// Reads the fits found since the last call; true when the search should stop.
    fn read(
        &mut self,
        graph: &SearchGraph,
        registry: &Registry,
        stats: &SearchStats,
        start: Instant,
        on_fit: &mut dyn FnMut(Fit) -> AfterFit,
    ) -> bool {
        for &p in &graph.fits()[self.read..] {
            let fit = Fit {
                program: graph.fit_program(p, registry),
                cost: graph.fit_cost(p),
                expansions: stats.expansions,
                elapsed: start.elapsed(),
            };
            self.first.get_or_insert_with(|| fit.program.clone());
            self.until = Some(match on_fit(fit) {
                AfterFit::Stop => 0,
                AfterFit::ContinueUntil(n) => n,
            });
        }
        self.read = graph.fits().len();
        self.until.is_some_and(|n| stats.expansions >= n)
    }
}

/// How many candidate evaluations an expansion makes between two reads of the clock.
const EVALUATIONS_PER_CLOCK_READ: usize = 8;

/// Runs a best-first search on `graph` with `policy`, until the target is grounded, no
/// candidate is left, or the budget runs out.
pub fn search(
    graph: SearchGraph,
    registry: &Registry,
    policy: &dyn Policy,
    dirs: Directions,
    budget: Budget,
) -> SearchOutcome {
    let mut first = None;
    let mut outcome = search_fits(graph, registry, policy, dirs, budget, &mut |fit| {
        first = Some(fit.program);
        AfterFit::Stop
    });
    outcome.program = first;
    outcome
}

/// Runs a best-first search on `graph` (with its target kept open, see
/// [`SearchGraph::collecting_fits`]) and hands each program that fits to `on_fit`, which
/// says whether to go on: the next programs come from the same graph and queue, not a
/// new search. Stops when `on_fit` says so, when no candidate is left, or when the
/// budget runs out; the outcome's `program` is the first fit, its `stop` `Solved` once
/// there is one.
pub fn search_fits(
    graph: SearchGraph,
    registry: &Registry,
    policy: &dyn Policy,
    dirs: Directions,
    budget: Budget,
    on_fit: &mut dyn FnMut(Fit) -> AfterFit,
) -> SearchOutcome {
    let mut graph = graph.collecting_fits();
    let start = Instant::now();
    let deadline = budget.timeout.map(|t| start + t);
    let max_bits = Limits::default().max_bits;
    let mut stats = SearchStats::default();
    let mut heap = BinaryHeap::new();
    let mut seq = 0u64;
    // Kept from one expansion to the next: a large buffer freed and grown again each time
    // costs fresh pages from the kernel.
    let mut proposed = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let keep_whole = policy.rescores();
    // Set for this thread while the search runs, and read within an expansion too (which
    // on large values or many examples may cost more than the whole budget), down to the
    // evaluation of one candidate and the argument-tuple walk (see `deadline`).
    let _deadline = super::deadline::set_deadline(deadline);
    let late = super::deadline::past_deadline;
    // Expands `nodes`; false when the deadline passed before all were expanded.
    let mut expand = |graph: &SearchGraph,
                      nodes: &[petgraph::stable_graph::NodeIndex],
                      heap: &mut BinaryHeap<Entry>,
                      stats: &mut SearchStats| {
        proposed.clear();
        for &n in nodes {
            if late() {
                return false;
            }
            if graph.contains(n) {
                policy.propose(graph, registry, n, dirs, &mut proposed);
            }
        }
        candidates.clear();
        for (i, action) in proposed.drain(..).enumerate() {
            if i % EVALUATIONS_PER_CLOCK_READ == 0 && late() {
                return false;
            }
            candidates.extend(actions::evaluate(graph, registry, &action, max_bits));
        }
        let scores = policy.score(graph, &candidates);
        stats.candidates += candidates.len() as u64;
        for (candidate, score) in candidates.drain(..).zip(scores) {
            if score == f64::NEG_INFINITY {
                continue; // the policy rules it out
            }
            let queued = if keep_whole {
                Queued::Whole(Box::new(candidate))
            } else {
                Queued::Action(candidate.action)
            };
            heap.push(Entry { score, seq, queued });
            seq += 1;
        }
        true
    };
    // The forward phase may have reached the target already.
    let target = graph.target();
    graph.meet_reached(target);
    let initial: Vec<_> = graph.value_nodes().collect();
    let mut in_time = expand(&graph, &initial, &mut heap, &mut stats);
    let mut rescoring = Rescoring::new(policy.path_weight());
    let mut fits = FitReader::default();
    let stop = loop {
        if fits.read(&graph, registry, &stats, start, on_fit) {
            break Stop::Solved;
        }
        if budget.max_expansions.is_some_and(|m| stats.expansions >= m) {
            break Stop::Expansions;
        }
        // The clock is read every 16 steps, or every step where each one costs a network
        // call anyway.
        let check = policy.rescores() || (stats.expansions + stats.wasted) % 16 == 0;
        if !in_time || (check && late()) {
            break Stop::Time;
        }
        let candidate = if policy.rescores() {
            match rescoring.pick(&graph, policy, &mut heap) {
                Some(c) => c,
                None => break Stop::Exhausted,
            }
        } else {
            let Some(entry) = heap.pop() else {
                break Stop::Exhausted;
            };
            match entry.queued {
                Queued::Whole(c) => *c,
                // An argument pruned since the action was queued makes it stale.
                Queued::Action(a) if !a.args.iter().all(|&n| graph.contains(n)) => {
                    stats.wasted += 1;
                    continue;
                }
                Queued::Action(a) => match actions::evaluate(&graph, registry, &a, max_bits) {
                    Some(c) => c,
                    None => {
                        stats.wasted += 1; // its output was grounded meanwhile
                        continue;
                    }
                },
            }
        };
        match graph.apply(&candidate, registry) {
            Applied::Changed(fresh) => {
                rescoring.applied(&graph);
                stats.expansions += 1;
                in_time = expand(&graph, &fresh, &mut heap, &mut stats);
            }
            Applied::Redundant | Applied::Stale => stats.wasted += 1,
        }
    };
    stats.nodes = graph.node_count() as u64;
    SearchOutcome {
        stop: if fits.first.is_some() {
            Stop::Solved
        } else {
            stop
        },
        program: fits.first,
        stats,
        elapsed: start.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::dsl::Value;

    /// Every action equally likely (log-probability -1), rescored each expansion.
    struct Uniform;

    impl Policy for Uniform {
        fn name(&self) -> &str {
            "uniform"
        }
        fn score(&self, _graph: &SearchGraph, candidates: &[Candidate]) -> Vec<f64> {
            vec![-1.0; candidates.len()]
        }
        fn rescores(&self) -> bool {
            true
        }
    }

    /// With equal scores the path scores alone order the search: shallow branches first,
    /// so the program found is a shortest one (2 -> 3 -> 6 -> 12 -> 13 -> 26 -> 27).
    #[test]
    fn path_scores_make_a_uniform_rescoring_policy_breadth_first() {
        let d = DomainKind::DoubleAdd.domain();
        let forward = Directions {
            forward: true,
            backward: false,
        };
        for (target, shortest) in [(8, 2), (27, 6), (100, 7)] {
            let g = SearchGraph::new(
                &d.registry,
                &[vec![Value::int(2)]],
                &[Value::int(target)],
                false,
            )
            .unwrap();
            let budget = Budget {
                max_expansions: Some(10_000),
                timeout: None,
            };
            let out = search(g, &d.registry, &Uniform, forward, budget);
            assert_eq!(out.stop, Stop::Solved);
            let program = out.program.unwrap();
            assert_eq!(program.primitive_count(), shortest, "{target}: {program}");
        }
    }
}
