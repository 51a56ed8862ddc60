//! Solving tasks: build the graph for a task's domain, search, check the program on every
//! example, and report; many tasks in parallel with rayon.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::domains::{Domain, DomainKind, Layer, Stack};
use crate::dsl::profile::{self, PrimitiveCalls};
use crate::dsl::{
    EvalError, Evaluator, Expr, Lookup, PrimId, Registry, RegistryError, Table, Value,
};
use crate::learn::{register_library, Library, RegisterError};
use crate::search::{
    rollouts, search, search_fits, AfterFit, Budget, Enumeration, EnumerationLimits,
    EnumerationPolicy, Excluding, Fit, HeuristicPolicy, Policy, SearchGraph, SearchOutcome, Step,
    Stop, Strategy,
};
use crate::task::{Example, Task};

/// How to solve: the strategy and the budget per task.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SolveConfig {
    /// Bidirectional or forward-only.
    pub strategy: Strategy,
    /// Limits per task.
    pub budget: Budget,
    /// Best-first search or sampled rollouts.
    pub mode: SearchMode,
    /// Programs per task with test inputs (ARC scores two attempts). Best-first, a task
    /// with tests goes on after the first fit and ranks the fits (see [`solve_with`]),
    /// with one attempt too; with
    /// rollouts, a second run within what is left of the budget leaves out the first
    /// program's outermost primitive. The second program counts if it predicts something
    /// else.
    pub attempts: usize,
    /// The forward phase before the best-first search (one-input tasks of a domain that
    /// has one): see [`ForwardPhase`].
    pub forward: ForwardPhase,
    /// Whether each report says where its time went, primitive by primitive
    /// ([`SolveReport::primitives`]).
    pub profile: bool,
}

/// The forward phase's limits: every chain of the domain's one-argument steps up to
/// `max_depth`, run on the examples' and the tests' inputs and deduplicated by value (see
/// [`Enumeration`]), before the bidirectional search, which then meets what it reached.
///
/// The budget rule: the phase stops at `max_depth`, at `max_values` distinct values, or
/// when it has used `time_share` of the task's time budget, whichever comes first; the
/// bidirectional search gets the rest of the time. Under an expansion budget alone, the
/// values limit bounds the phase, so the result does not depend on the machine's speed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForwardPhase {
    /// The longest chain (0: no forward phase).
    pub max_depth: usize,
    /// The most distinct values kept.
    pub max_values: usize,
    /// The share of the task's time budget the phase may take.
    pub time_share: f64,
    /// Whether a step may take the task's input for a primitive's second argument
    /// (`(hstack (hflip $0) $0)` at depth 2; see [`Step::all`]). Off by default: on the
    /// 400 ARC training tasks at 10 s it solved 150 against 153 without (the phase
    /// branches more and reaches less of depth 3), though it finds mirror compositions
    /// as a person writes them (8d5021e8 as `[vflip h; h; vflip h]`).
    pub input_operands: bool,
}

impl ForwardPhase {
    /// No forward phase.
    pub const OFF: ForwardPhase = ForwardPhase {
        max_depth: 0,
        max_values: 0,
        time_share: 0.0,
        input_operands: false,
    };
}

impl Default for ForwardPhase {
    /// Depth 3, at most 200,000 values, a quarter of the time, no input operands.
    fn default() -> Self {
        ForwardPhase {
            max_depth: 3,
            max_values: 200_000,
            time_share: 0.25,
            input_operands: false,
        }
    }
}

/// How the search uses its policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SearchMode {
    /// Best-first over scored candidates; one graph that keeps growing.
    #[default]
    BestFirst,
    /// Independent sampled rollouts of at most `max_actions` actions (the original's
    /// inference), drawn with `seed`.
    Rollouts {
        /// Actions per rollout.
        max_actions: usize,
        /// Seed of the draws.
        seed: u64,
    },
}

impl Default for SolveConfig {
    fn default() -> Self {
        SolveConfig {
            strategy: Strategy::Bidir,
            budget: Budget {
                max_expansions: None,
                timeout: Some(Duration::from_secs(10)),
            },
            mode: SearchMode::BestFirst,
            attempts: 2,
            forward: ForwardPhase::default(),
            profile: false,
        }
    }
}

/// The result of one task, as `janus solve --json` writes it (and [`SolveReport::read_back`]
/// reads it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SolveReport {
    /// Task id.
    pub task: String,
    /// Domain name.
    pub domain: String,
    /// Whether a program was found that fits every example and gets every test output
    /// that the file gives right.
    pub solved: bool,
    /// Whether a program was found and checked on every example (train pairs in ARC).
    pub train_fit: bool,
    /// The program, in DSL syntax.
    pub program: Option<String>,
    /// Primitive applications in the program.
    pub steps: Option<usize>,
    /// Wall-clock milliseconds of the search until its first fit (all of it without one).
    pub time_ms: f64,
    /// Actions applied until then.
    pub expansions: u64,
    /// Candidates evaluated.
    pub candidates: u64,
    /// Why the search stopped.
    pub stop: Stop,
    /// Test outputs the program gets right.
    pub test_correct: usize,
    /// Test outputs the file gives.
    pub test_total: usize,
    /// The program's output on each test input (`None` where it fails or none was found).
    #[serde(skip)]
    pub predictions: Vec<Option<Value>>,
    /// Why the task could not be searched or the program failed its check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The second attempt's program, when it predicts something else on a test input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program_2: Option<String>,
    /// Its outputs on the test inputs (empty without a second program).
    #[serde(skip)]
    pub predictions_2: Vec<Option<Value>>,
    /// Milliseconds the search went on for the second attempt after the first fit (0
    /// without one).
    pub time_ms_2: f64,
    /// Actions applied in that time.
    pub expansions_2: u64,
    /// Every program found that fits every example and gets every test output the file
    /// gives right, the shortest first (DreamCoder's frontier, for learning from).
    #[serde(skip)]
    pub frontier: Vec<String>,
    /// The program in the domain's own notation on the first example's inputs (the 24
    /// Game: infix, `(13-9)*(2+4)`), where the domain has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notation: Option<String>,
    /// Distinct values the forward phase reached (0 without one).
    pub forward_values: usize,
    /// Milliseconds the forward phase took (part of `time_ms`).
    pub forward_ms: f64,
    /// With [`SolveConfig::profile`]: each primitive the task's solving called (searches,
    /// checks and predictions), the most time first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primitives: Vec<PrimitiveTime>,
}

/// The calls of one primitive while a task was solved, and the time inside them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrimitiveTime {
    /// The primitive's name.
    pub name: String,
    /// Calls of its forward semantics.
    pub calls: u64,
    /// Milliseconds inside them.
    pub ms: f64,
    /// Calls of its inverse and conditional inverses.
    pub inverse_calls: u64,
    /// Milliseconds inside them.
    pub inverse_ms: f64,
}

impl PrimitiveTime {
    /// The profile's calls named by `registry`, the most time first.
    fn named(calls: &[PrimitiveCalls], registry: &Registry) -> Vec<PrimitiveTime> {
        let mut times: Vec<PrimitiveTime> = calls
            .iter()
            .map(|c| PrimitiveTime {
                name: registry.get(c.prim).name.to_string(),
                calls: c.forward.calls,
                ms: c.forward.ms(),
                inverse_calls: c.inverse.calls,
                inverse_ms: c.inverse.ms(),
            })
            .collect();
        times.sort_by(|a, b| b.total_ms().total_cmp(&a.total_ms()));
        times
    }

    /// Milliseconds inside its calls of both kinds.
    pub fn total_ms(&self) -> f64 {
        self.ms + self.inverse_ms
    }
}

impl SolveReport {
    /// The report of `task` that `janus solve --json` wrote as `line`, with what the JSON
    /// leaves out computed again: the programs' predictions on the test inputs (over
    /// `domain`'s primitives, learned ones included) and the frontier of its program.
    pub fn read_back(line: &str, task: &Task, domain: &Domain) -> Result<SolveReport, String> {
        let mut report: SolveReport = serde_json::from_str(line).map_err(|e| e.to_string())?;
        if report.task != task.id || report.domain != domain.name() {
            return Err(format!(
                "a report of {} task `{}`, not {} task `{}`",
                report.domain,
                report.task,
                domain.name(),
                task.id
            ));
        }
        let program = |text: &Option<String>| -> Result<Option<Expr>, String> {
            text.as_deref()
                .map(|t| crate::dsl::parse_expr(t).map_err(|e| format!("its program: {e}")))
                .transpose()
        };
        report.predictions = match program(&report.program)? {
            Some(p) => predict(&p, task, &domain.registry),
            None => vec![None; task.tests.len()],
        };
        if let Some(p) = program(&report.program_2)? {
            report.predictions_2 = predict(&p, task, &domain.registry);
        }
        if report.train_fit {
            report.frontier = report.program.iter().cloned().collect();
        }
        Ok(report)
    }

    /// The report of a task before (or without) a program.
    fn unsolved(task: &Task, domain: &Domain) -> SolveReport {
        SolveReport {
            task: task.id.clone(),
            domain: domain.name().to_string(),
            solved: false,
            train_fit: false,
            program: None,
            steps: None,
            time_ms: 0.0,
            expansions: 0,
            candidates: 0,
            stop: Stop::Exhausted,
            test_correct: 0,
            test_total: task.tests.iter().filter(|t| t.output.is_some()).count(),
            predictions: vec![None; task.tests.len()],
            error: None,
            program_2: None,
            predictions_2: Vec::new(),
            time_ms_2: 0.0,
            expansions_2: 0,
            frontier: Vec::new(),
            notation: None,
            forward_values: 0,
            forward_ms: 0.0,
            primitives: Vec::new(),
        }
    }
}

/// Why a program does not solve a task's examples.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// It fails on example `example` (from 1).
    #[error("example {example}: {error}")]
    Fails {
        /// The example, from 1.
        example: usize,
        /// The evaluation error.
        error: EvalError,
    },
    /// It gives the wrong output on example `example` (from 1).
    #[error("example {example}: gives {got}, expected {expected}")]
    Wrong {
        /// The example, from 1.
        example: usize,
        /// What it gives, printed.
        got: String,
        /// What was expected, printed.
        expected: String,
    },
    /// A linear task's program does not take every input.
    #[error("program does not take every input")]
    TooFewInputs,
    /// A linear task's program uses an input other than once.
    #[error("input {input} is used {uses} times, not once")]
    NotLinear {
        /// The input, from 0.
        input: usize,
        /// How many times it is used.
        uses: usize,
    },
}

/// Checks `program` on examples: it must give each output and, for a linear task, use
/// every input exactly once.
pub fn check_program(
    program: &Expr,
    examples: &[Example],
    linear: bool,
    registry: &Registry,
) -> Result<(), CheckError> {
    let eval = Evaluator::new(registry);
    for (i, ex) in examples.iter().enumerate() {
        let example = i + 1;
        let got = eval
            .run(program, &ex.inputs)
            .map_err(|error| CheckError::Fails { example, error })?;
        if got != ex.output {
            return Err(CheckError::Wrong {
                example,
                got: got.to_string(),
                expected: ex.output.to_string(),
            });
        }
    }
    if linear {
        check_linear(program, examples.first().map_or(0, |e| e.inputs.len()))?;
    }
    Ok(())
}

/// Whether the program, a function of `n` inputs, uses each exactly once.
fn check_linear(program: &Expr, n: usize) -> Result<(), CheckError> {
    let mut body = program;
    for _ in 0..n {
        match body {
            Expr::Lam(b) => body = b,
            _ => return Err(CheckError::TooFewInputs),
        }
    }
    let mut counts = Vec::new();
    body.free_var_counts(&mut counts);
    counts.resize(n, 0);
    match counts.iter().position(|&c| c != 1) {
        Some(i) => Err(CheckError::NotLinear {
            input: n - 1 - i,
            uses: counts[i],
        }),
        None => Ok(()),
    }
}

/// The policy a strategy searches with when no learned guide is given.
pub fn default_policy(strategy: Strategy, domain: &Domain) -> Box<dyn Policy> {
    match strategy {
        Strategy::Bidir => Box::new(HeuristicPolicy::for_domain(domain)),
        Strategy::Forward => Box::new(EnumerationPolicy),
    }
}

/// After the first fit, the search goes on through the same graph for the second attempt
/// for as many actions again as the first fit took, and at least this many, within the
/// task's budget: a task solved in 10 actions spends 100 more, not the rest of its time.
/// A task the forward phase solves (in no action) gives the search this many.
pub const MIN_CONTINUATION: u64 = 100;

/// The search stops once it has this many fits to rank.
pub const MAX_FITS: usize = 8;

/// A program that fits every example, and what it predicts on the tests.
struct Attempt {
    fit: Fit,
    predictions: Vec<Option<Value>>,
    /// Whether the attempt is doubtful: its predictions are [inert](Attempt::is_inert), or
    /// its program [guesses](Attempt::guesses) on some test input. A doubtful fit ranks
    /// after every other and does not count as a first fit.
    doubtful: bool,
}

impl Attempt {
    /// The attempt of `fit`, with its predictions on the task's tests.
    fn of(fit: Fit, task: &Task, registry: &Registry) -> Attempt {
        let (predictions, asked) = Table::lookups_in(|| predict(&fit.program, task, registry));
        Attempt {
            doubtful: Attempt::is_inert(&predictions, task)
                || Attempt::guesses(&asked, &fit.program, task, registry),
            predictions,
            fit,
        }
    }

    /// Whether `program`'s tables were `asked`, on the test inputs, a key that they are
    /// asked on no example: a neighbourhood, an object's size or shape, a pattern that
    /// the examples never showed. What the table says there (its default, or nothing) is
    /// a guess the examples did not check, as with a table that memorized them.
    fn guesses(
        asked: &FxHashSet<Lookup>,
        program: &Expr,
        task: &Task,
        registry: &Registry,
    ) -> bool {
        if asked.is_empty() {
            return false;
        }
        let eval = Evaluator::new(registry);
        let ((), seen) = Table::lookups_in(|| {
            for e in &task.examples {
                drop(eval.run(program, &e.inputs));
            }
        });
        !asked.is_subset(&seen)
    }

    /// Whether `predictions` leave some test input as it is although every example
    /// changes its input: a fit that memorized the examples (a table of their objects, say)
    /// and does nothing to a test they did not show. Such a fit ranks after every other,
    /// and the search does not take it for a first fit (it goes on looking as if it had
    /// none).
    fn is_inert(predictions: &[Option<Value>], task: &Task) -> bool {
        let changes = |inputs: &[Value], output: &Value| inputs.len() != 1 || inputs[0] != *output;
        task.examples.iter().all(|e| changes(&e.inputs, &e.output))
            && task
                .tests
                .iter()
                .zip(predictions)
                .any(|(t, p)| p.as_ref().is_some_and(|p| !changes(&t.inputs, p)))
    }

    /// `program` (of description length `cost`, found before the search's first action,
    /// `elapsed` into the task) as an attempt, if it fits every example.
    fn checked(
        program: Expr,
        cost: f64,
        task: &Task,
        registry: &Registry,
        elapsed: Duration,
    ) -> Option<Attempt> {
        check_program(&program, &task.examples, task.linear, registry).ok()?;
        let fit = Fit {
            program,
            cost,
            expansions: 0,
            elapsed,
        };
        Some(Attempt::of(fit, task, registry))
    }
}

/// Solves one task of `domain` with `policy`. A task with test inputs gets a second
/// attempt when `config.attempts` is 2: see [`SolveConfig::attempts`].
///
/// Best-first, the attempts come from one search: after the first fit it goes on (see
/// [`MIN_CONTINUATION`]) and collects up to [`MAX_FITS`] programs that fit every example.
/// They are ranked by Occam's razor, the description length being the search's own cost
/// of a program (its primitives' costs plus its literals': a colour 0, a table 0.1 per
/// entry), the earlier found first among equals. Attempt 1 is the shortest; attempt 2
/// the next one that predicts something else on some test input. A fit that leaves a test
/// input unchanged although every example changes its input ranks last and does not
/// count as a first fit, and so does a fit whose tables guess on a test input (see
/// `Attempt::is_inert` and `Attempt::guesses`).
pub fn solve_with(
    task: &Task,
    domain: &Domain,
    policy: &dyn Policy,
    config: &SolveConfig,
) -> SolveReport {
    let mut report = match config.mode {
        SearchMode::BestFirst => solve_best_first(task, domain, policy, config),
        SearchMode::Rollouts { .. } => solve_by_rollouts(task, domain, policy, config),
    };
    report.test_correct = task
        .tests
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            t.output.is_some()
                && (t.output == report.predictions[*i]
                    || report.predictions_2.get(*i).is_some_and(|p| *p == t.output))
        })
        .count();
    report.solved = report.train_fit && report.test_correct == report.test_total;
    if !report.solved {
        report.frontier.clear();
    }
    report.notation = notation(&report, task, domain);
    report
}

/// The report's program in the domain's notation, on the first example's inputs.
fn notation(report: &SolveReport, task: &Task, domain: &Domain) -> Option<String> {
    let write = domain.notation?;
    let program = crate::dsl::parse_expr(report.program.as_deref()?).ok()?;
    write(&program, &task.examples.first()?.inputs)
}

/// One best-first search whose fits become the attempts, after the forward phase (whose
/// own fits come first among equals). Where neither fits, a stack of pieces the phase
/// reached (the domain's [`Composition`](crate::domains::Composition)) may; where their
/// fits leave attempt 2 empty, a stack may take it.
fn solve_best_first(
    task: &Task,
    domain: &Domain,
    policy: &dyn Policy,
    config: &SolveConfig,
) -> SolveReport {
    let start = Instant::now();
    let mut report = SolveReport::unsolved(task, domain);
    let mut graph = match task_graph(task, domain) {
        Ok(graph) => graph,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    // A task with tests ranks its fits (Occam's razor), whether it scores one attempt or
    // two: a fit found early through the forward phase's values may be a long one.
    let rank = !task.tests.is_empty();
    let registry = &domain.registry;
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut budget = config.budget;
    let mut offset = Duration::ZERO;
    // A stack of pieces overfits more easily than a chain: it counts only where nothing
    // else fits (nothing but doubtful fits).
    let mut fallback = Vec::new();
    let outputs: Vec<Value> = task.examples.iter().map(|e| e.output.clone()).collect();
    let bonus = policy.forward_step_bonus(&graph, registry);
    if let Some(phase) = forward_phase(task, &outputs, domain, config, bonus.as_deref()) {
        report.forward_values = phase.len();
        report.candidates = phase.evaluated;
        attempts = phase_fits(&phase, task, &outputs, registry, start.elapsed());
        attempts.extend(arranged(&phase, task, &outputs, domain, start.elapsed()));
        if attempts.iter().all(|a| a.doubtful) {
            let deadline = config.budget.timeout.map(|t| start + t);
            fallback = stacked(&phase, task, &outputs, domain, start.elapsed(), deadline);
        }
        graph = graph.with_reached(Arc::new(phase));
        offset = start.elapsed();
        report.forward_ms = offset.as_secs_f64() * 1e3;
        budget.timeout = budget.timeout.map(|t| t.saturating_sub(offset));
        if attempts.iter().any(|a| !a.doubtful) {
            // The phase's fits took no action: the search looks for others for
            // MIN_CONTINUATION actions, as after a fit of its own.
            let cap = budget.max_expansions.unwrap_or(u64::MAX);
            budget.max_expansions = Some(cap.min(MIN_CONTINUATION));
        }
    }
    let mut failed: Option<(Expr, CheckError)> = None;
    let mut first_at = None;
    let dirs = config.strategy.directions();
    if attempts.iter().any(|a| !a.doubtful) {
        first_at = Some(0);
    }
    let outcome = search_fits(graph, registry, policy, dirs, budget, &mut |mut fit| {
        let expansions = fit.expansions;
        fit.elapsed += offset;
        // A program the forward phase found already is not checked again.
        if !attempts.iter().any(|a| a.fit.program == fit.program) {
            match check_program(&fit.program, &task.examples, task.linear, registry) {
                Ok(()) => {
                    let attempt = Attempt::of(fit, task, registry);
                    if !attempt.doubtful {
                        first_at.get_or_insert(expansions);
                    }
                    attempts.push(attempt);
                }
                Err(e) => {
                    failed.get_or_insert((fit.program.clone(), e));
                }
            }
        }
        if !rank || attempts.len() >= MAX_FITS {
            return AfterFit::Stop;
        }
        match first_at {
            Some(first) => AfterFit::ContinueUntil(first + first.max(MIN_CONTINUATION)),
            None => AfterFit::ContinueUntil(u64::MAX),
        }
    });
    report.candidates += outcome.stats.candidates;
    if attempts.iter().all(|a| a.doubtful) {
        attempts.extend(std::mem::take(&mut fallback));
    }
    report.stop = if attempts.is_empty() {
        outcome.stop
    } else {
        Stop::Solved
    };
    report.time_ms = start.elapsed().as_secs_f64() * 1e3;
    report.expansions = outcome.stats.expansions;
    if attempts.is_empty() {
        if let Some((program, e)) = failed {
            report.program = Some(program.to_string());
            report.steps = Some(program.primitive_count());
            report.error = Some(format!("program failed its check: {e}"));
            report.predictions = predict(&program, task, registry);
        }
        return report;
    }
    // The first found sets attempt 1's time; the rest is the second attempt's.
    let first = &attempts[0].fit;
    report.time_ms_2 = report.time_ms - first.elapsed.as_secs_f64() * 1e3;
    report.expansions_2 = report.expansions - first.expansions;
    report.time_ms = first.elapsed.as_secs_f64() * 1e3;
    report.expansions = first.expansions;
    rank_attempts(&mut report, attempts, config.attempts, task);
    if config.attempts >= 2 {
        second_from_stacks(&mut report, fallback);
    }
    report
}

/// Where the fits leave attempt 2 empty (they all predict the same), the cheapest of the
/// `stacks` that predicts something else takes it: a stack ranks after every fit the
/// search found, but a second guess costs nothing.
fn second_from_stacks(report: &mut SolveReport, mut stacks: Vec<Attempt>) {
    if report.program_2.is_some() {
        return;
    }
    stacks.sort_by(|a, b| a.fit.cost.total_cmp(&b.fit.cost));
    let other = stacks
        .into_iter()
        .find(|a| !a.doubtful && a.predictions != report.predictions);
    if let Some(stack) = other {
        report.program_2 = Some(stack.fit.program.to_string());
        report.predictions_2 = stack.predictions;
    }
}

/// Ranks the fits by description length (the earlier found first among equals), the
/// doubtful ones (see `Attempt::doubtful`) after the others: attempt 1 is the shortest,
/// attempt 2 (where `n` allows it) the next that predicts something else.
fn rank_attempts(report: &mut SolveReport, mut attempts: Vec<Attempt>, n: usize, task: &Task) {
    attempts.sort_by(|a, b| {
        a.doubtful
            .cmp(&b.doubtful)
            .then(a.fit.cost.total_cmp(&b.fit.cost))
    });
    report.frontier = attempts
        .iter()
        .filter(|a| predicts_every_test(&a.predictions, task))
        .map(|a| a.fit.program.to_string())
        .collect();
    let mut ranked = attempts.into_iter();
    let Some(best) = ranked.next() else { return };
    report.train_fit = true;
    report.program = Some(best.fit.program.to_string());
    report.steps = Some(best.fit.program.primitive_count());
    let second = ranked.find(|a| a.predictions != best.predictions);
    if let Some(second) = second.filter(|_| n >= 2) {
        report.program_2 = Some(second.fit.program.to_string());
        report.predictions_2 = second.predictions;
    }
    report.predictions = best.predictions;
}

/// Whether `predictions` give every test output that `task` gives.
fn predicts_every_test(predictions: &[Option<Value>], task: &Task) -> bool {
    task.tests
        .iter()
        .zip(predictions)
        .all(|(t, p)| t.output.is_none() || t.output == *p)
}

/// The forward phase of a one-input task (with its examples' `outputs`) whose domain has
/// one, within the config's limits (see [`ForwardPhase`]); `None` where there is none.
/// A policy's `bonus` per primitive (see [`Policy::forward_step_bonus`]) orders the steps.
fn forward_phase(
    task: &Task,
    outputs: &[Value],
    domain: &Domain,
    config: &SolveConfig,
    bonus: Option<&[f64]>,
) -> Option<Enumeration> {
    let phase = config.forward;
    let choices = domain.forward_literals?;
    let one_input = |inputs: &[Value]| inputs.len() == 1;
    if phase.max_depth == 0
        || task.linear
        || !task.examples.iter().all(|e| one_input(&e.inputs))
        || !task.tests.iter().all(|t| one_input(&t.inputs))
    {
        return None;
    }
    let inputs: Vec<Value> = task
        .examples
        .iter()
        .map(|e| e.inputs[0].clone())
        .chain(task.tests.iter().map(|t| t.inputs[0].clone()))
        .collect();
    let mut steps = Step::all(
        &domain.registry,
        &choices(&inputs, outputs),
        phase.input_operands.then_some(&domain.input_type),
    );
    if let Some(bonus) = bonus {
        // A guide's prior reorders the steps (stably: among equals, the cheapest first);
        // their costs, the programs' description lengths, stay.
        let key = |s: &Step| s.cost - bonus[s.prim];
        steps.sort_by(|a, b| key(a).total_cmp(&key(b)));
    }
    let limits = EnumerationLimits {
        max_depth: phase.max_depth,
        max_values: phase.max_values,
        deadline: config
            .budget
            .timeout
            .map(|t| Instant::now() + t.mul_f64(phase.time_share)),
    };
    let n = task.examples.len();
    Some(Enumeration::run(
        &domain.registry,
        steps,
        inputs.into(),
        n,
        limits,
    ))
}

/// The outputs composed of pieces the forward phase reached (the domain's
/// [`Composition`](crate::domains::Composition)), each stack checked, as attempts: the
/// ranking by description length picks among them, and a second stack is a second
/// attempt.
fn stacked(
    phase: &Enumeration,
    task: &Task,
    outputs: &[Value],
    domain: &Domain,
    elapsed: Duration,
    deadline: Option<Instant>,
) -> Vec<Attempt> {
    let Some(composition) = domain.composition else {
        return Vec::new();
    };
    let registry = &domain.registry;
    let Some(lay) = registry.id(composition.lay) else {
        return Vec::new();
    };
    let candidates: Vec<&[Value]> = (0..phase.len() as u32)
        .map(|id| phase.example_values(id))
        .collect();
    let meet = registry.id(composition.meet);
    let value = |id: usize| (phase.body(id as u32, registry), phase.cost(id as u32));
    // A meet's program where the DSL has its primitive (a restricted one may not).
    let layer = |layer: &Layer| match *layer {
        Layer::Value(id) => Some(value(id)),
        Layer::Meet { a, b, colour } => {
            let meet = meet?;
            let ((a, cost_a), (b, cost_b)) = (value(a), value(b));
            let colour = Expr::Const(Value::Colour(colour));
            let expr = Expr::apply(registry.expr_of(meet), [a, b, colour]);
            Some((expr, cost_a + cost_b + registry.get(meet).cost))
        }
    };
    let program = |stack: &Stack| {
        let (mut body, mut cost) = value(stack.base);
        for piece in stack.pieces.iter().rev() {
            let (over, over_cost) = layer(piece)?;
            body = Expr::apply(registry.expr_of(lay), [body, over]);
            cost += over_cost + registry.get(lay).cost;
        }
        Some((Expr::lambdas(1, body), cost))
    };
    (composition.stack)(&candidates, outputs, deadline)
        .iter()
        .filter_map(|stack| {
            let (program, cost) = program(stack)?;
            Attempt::checked(program, cost, task, registry, elapsed)
        })
        .collect()
}

/// The outputs arranged from blocks the forward phase reached (the domain's
/// [`Composition::arrange`](crate::domains::Composition)), as one attempt: of the
/// arrangements whose every block it reached, the one of the least description length
/// (its blocks' cheapest chains and the stacks that join them).
fn arranged(
    phase: &Enumeration,
    task: &Task,
    outputs: &[Value],
    domain: &Domain,
    elapsed: Duration,
) -> Option<Attempt> {
    let composition = domain.composition?;
    let registry = &domain.registry;
    let beside = registry.id(composition.beside);
    let above = registry.id(composition.above);
    // Joins two or more parts with `prim` (which the caller made sure the DSL has).
    let join = |prim: Option<PrimId>, parts: Vec<(Expr, f64)>| {
        parts
            .into_iter()
            .rev()
            .reduce(|(right, c_right), (left, c_left)| {
                let prim = prim.expect("the DSL has the joining primitive");
                let expr = Expr::apply(registry.expr_of(prim), [left, right]);
                (expr, c_left + c_right + registry.get(prim).cost)
            })
            .expect("an arrangement has blocks")
    };
    let mut best: Option<(Expr, f64)> = None;
    for a in (composition.arrange)(outputs) {
        // A restricted DSL (`--base`) may lack one of the joins.
        if (a.cols > 1 && beside.is_none()) || (a.rows > 1 && above.is_none()) {
            continue;
        }
        let chains: Option<Vec<u32>> = a.blocks.iter().map(|block| phase.cheapest(block)).collect();
        let Some(chains) = chains else { continue };
        let rows = chains
            .chunks(a.cols)
            .map(|row| {
                let blocks = row
                    .iter()
                    .map(|&id| (phase.body(id, registry), phase.cost(id)));
                join(beside, blocks.collect())
            })
            .collect();
        let (body, cost) = join(above, rows);
        if best.as_ref().is_none_or(|(_, c)| cost < *c) {
            best = Some((body, cost));
        }
    }
    let (body, cost) = best?;
    Attempt::checked(Expr::lambdas(1, body), cost, task, registry, elapsed)
}

/// The forward phase's chains that give every example's output, checked, as attempts.
fn phase_fits(
    phase: &Enumeration,
    task: &Task,
    outputs: &[Value],
    registry: &Registry,
    elapsed: Duration,
) -> Vec<Attempt> {
    phase
        .find_all(outputs)
        .into_iter()
        .take(MAX_FITS)
        .filter_map(|id| {
            let program = phase.program(id, registry);
            Attempt::checked(program, phase.cost(id), task, registry, elapsed)
        })
        .collect()
}

/// Rollouts, checked; the second attempt is a second run without the first program's
/// outermost primitive.
fn solve_by_rollouts(
    task: &Task,
    domain: &Domain,
    policy: &dyn Policy,
    config: &SolveConfig,
) -> SolveReport {
    let mut report = SolveReport::unsolved(task, domain);
    let first = match run_search(task, domain, policy, config, config.budget) {
        Ok(outcome) => outcome,
        Err(e) => {
            report.error = Some(e);
            return report;
        }
    };
    report.time_ms = first.elapsed.as_secs_f64() * 1e3;
    report.expansions = first.stats.expansions;
    report.candidates = first.stats.candidates;
    report.stop = first.stop;
    if let Some(p) = first.program {
        report.program = Some(p.to_string());
        report.steps = Some(p.primitive_count());
        match check_program(&p, &task.examples, task.linear, &domain.registry) {
            Ok(()) => report.train_fit = true,
            Err(e) => report.error = Some(format!("program failed its check: {e}")),
        }
        report.predictions = predict(&p, task, &domain.registry);
        if report.train_fit {
            report.frontier = vec![p.to_string()];
        }
        if report.train_fit && config.attempts >= 2 && !task.tests.is_empty() {
            second_attempt(&mut report, &p, task, domain, policy, config, first.elapsed);
        }
    }
    report
}

/// The task's search graph: its examples, the domain's literal rules.
fn task_graph(task: &Task, domain: &Domain) -> Result<SearchGraph, String> {
    let inputs: Vec<Vec<_>> = task.examples.iter().map(|e| e.inputs.clone()).collect();
    let outputs: Vec<_> = task.examples.iter().map(|e| e.output.clone()).collect();
    Ok(
        SearchGraph::new(&domain.registry, &inputs, &outputs, task.linear)
            .map_err(|e| e.to_string())?
            .with_literals(domain.literals.clone()),
    )
}

/// Builds the task's graph and searches it with `policy` within `budget`.
fn run_search(
    task: &Task,
    domain: &Domain,
    policy: &dyn Policy,
    config: &SolveConfig,
    budget: Budget,
) -> Result<SearchOutcome, String> {
    let graph = task_graph(task, domain)?;
    let dirs = config.strategy.directions();
    Ok(match config.mode {
        SearchMode::BestFirst => search(graph, &domain.registry, policy, dirs, budget),
        SearchMode::Rollouts { max_actions, seed } => rollouts(
            &graph,
            &domain.registry,
            policy,
            dirs,
            budget,
            max_actions,
            seed,
        ),
    })
}

/// `program`'s output on each test input (`None` where it fails).
fn predict(program: &Expr, task: &Task, registry: &Registry) -> Vec<Option<Value>> {
    let eval = Evaluator::new(registry);
    task.tests
        .iter()
        .map(|t| eval.run(program, &t.inputs).ok())
        .collect()
}

/// The primitive applied last by a program: the head of its body under the lambdas.
fn outermost(program: &Expr) -> Option<&str> {
    let mut body = program;
    while let Expr::Lam(b) = body {
        body = b;
    }
    match body.spine().0 {
        Expr::Prim(name) | Expr::Abstraction(name) => Some(name),
        _ => None,
    }
}

/// Searches again, within what is left of the budget, without the first program's
/// outermost primitive, and keeps the program found if it fits every example and predicts
/// something else on some test input.
fn second_attempt(
    report: &mut SolveReport,
    first: &Expr,
    task: &Task,
    domain: &Domain,
    policy: &dyn Policy,
    config: &SolveConfig,
    spent: Duration,
) {
    let Some(excluded) = outermost(first).and_then(|name| domain.registry.id(name)) else {
        return;
    };
    let left = Budget {
        max_expansions: config
            .budget
            .max_expansions
            .map(|m| m.saturating_sub(report.expansions)),
        timeout: config.budget.timeout.map(|t| t.saturating_sub(spent)),
    };
    if left.max_expansions == Some(0) || left.timeout == Some(Duration::ZERO) {
        return;
    }
    let without = Excluding {
        inner: policy,
        excluded: vec![excluded],
    };
    let Ok(second) = run_search(task, domain, &without, config, left) else {
        return;
    };
    report.time_ms_2 = second.elapsed.as_secs_f64() * 1e3;
    report.expansions_2 = second.stats.expansions;
    let Some(p) = second.program else { return };
    if check_program(&p, &task.examples, task.linear, &domain.registry).is_err() {
        return;
    }
    let predictions = predict(&p, task, &domain.registry);
    if predictions != report.predictions {
        report.program_2 = Some(p.to_string());
        report.predictions_2 = predictions;
    }
}

fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Solves every task with the strategy's default policy on `jobs` threads (0: all
/// cores), calling `progress` with each report as it comes; reports come back in task
/// order.
pub fn solve_all(
    tasks: &[Task],
    config: &SolveConfig,
    jobs: usize,
    progress: &(dyn Fn(&SolveReport) + Sync),
) -> Vec<SolveReport> {
    solve_all_guided(tasks, config, jobs, progress, None, None)
}

/// [`solve_all`], with `guide` as the policy for the tasks of its domain (a trained
/// policy network: `(its domain, policy)`), and `library`'s learned abstractions as
/// primitives of every task domain whose primitives their bodies use.
pub fn solve_all_guided(
    tasks: &[Task],
    config: &SolveConfig,
    jobs: usize,
    progress: &(dyn Fn(&SolveReport) + Sync),
    guide: Option<(DomainKind, &dyn Policy)>,
    library: Option<&Library>,
) -> Vec<SolveReport> {
    let domains = task_domains(tasks, |kind| {
        let mut d = kind.domain();
        if let Some(library) = library {
            // A library learned in another domain does not apply here.
            let _ = register_library(library, &mut d.registry);
        }
        d
    });
    solve_in(tasks, &domains, config, jobs, &|_, r| progress(r), guide)
}

/// Why a domain cannot be set up with a base and a library.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// The base names a primitive the domain lacks.
    #[error("the base: {0}")]
    Base(RegistryError),
    /// The library does not register over the domain's primitives.
    #[error("the library: {0}")]
    Library(RegisterError),
}

/// The domain of `kind`, its primitives restricted to `base` where given (see
/// [`Registry::restricted`]), with `library`'s abstractions registered on top.
pub fn domain_with(
    kind: DomainKind,
    base: Option<&[String]>,
    library: Option<&Library>,
) -> Result<Domain, SetupError> {
    let mut d = kind.domain();
    if let Some(names) = base {
        d.registry = d.registry.restricted(names).map_err(SetupError::Base)?;
    }
    if let Some(library) = library {
        register_library(library, &mut d.registry).map_err(SetupError::Library)?;
    }
    Ok(d)
}

/// The kinds of `tasks`' domains, each once, in `DomainKind` order.
pub fn task_kinds(tasks: &[Task]) -> Vec<DomainKind> {
    let mut kinds: Vec<DomainKind> = tasks.iter().map(|t| t.domain).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// The domain of every kind among `tasks`' domains, each made once by `make`.
pub fn task_domains(
    tasks: &[Task],
    mut make: impl FnMut(DomainKind) -> Domain,
) -> HashMap<DomainKind, Domain> {
    task_kinds(tasks)
        .into_iter()
        .map(|k| (k, make(k)))
        .collect()
}

/// Why [`domains_for`] cannot prepare the tasks' domains.
#[derive(Debug, thiserror::Error)]
pub enum DomainsError {
    /// The base list names a primitive a domain lacks.
    #[error("{error} in the {domain} domain")]
    Base {
        /// The domain.
        domain: DomainKind,
        /// What is wrong.
        error: RegistryError,
    },
    /// A library registers in none of the tasks' domains (why, per domain).
    #[error("applies to none of the tasks' domains ({})", reasons.join("; "))]
    Library {
        /// The library's index in the list given.
        index: usize,
        /// Why each domain refused it.
        reasons: Vec<String>,
    },
}

/// The domain of every kind among `tasks`, its primitives restricted to `base` where
/// given, with `libraries` on top. A library goes into every domain where it registers (a
/// library of another domain does not, and is never registered in part); each must go
/// somewhere. Libraries merge first, so that a base two of them share counts once.
pub fn domains_for(
    tasks: &[Task],
    base: Option<&[String]>,
    libraries: &[Library],
) -> Result<HashMap<DomainKind, Domain>, DomainsError> {
    let mut domains = HashMap::new();
    let mut refusals: Vec<Vec<String>> = vec![Vec::new(); libraries.len()];
    for kind in task_kinds(tasks) {
        let mut d = domain_with(kind, base, None).map_err(|e| match e {
            SetupError::Base(error) => DomainsError::Base {
                domain: kind,
                error,
            },
            SetupError::Library(_) => unreachable!("no library given"),
        })?;
        let mut applied = Library::default();
        for (library, refused) in libraries.iter().zip(&mut refusals) {
            let mut with = applied.clone();
            let registered = with
                .merge(library)
                .map_err(|name| format!("`{name}` is defined differently by another library"))
                .and_then(|()| {
                    register_library(&with, &mut d.registry.clone()).map_err(|e| e.to_string())
                });
            match registered {
                Ok(_) => applied = with,
                Err(e) => refused.push(format!("{}: {e}", kind.name())),
            }
        }
        register_library(&applied, &mut d.registry).expect("checked above");
        domains.insert(kind, d);
    }
    if let Some(index) = refusals
        .iter()
        .position(|r| r.len() == domains.len() && !r.is_empty())
    {
        return Err(DomainsError::Library {
            index,
            reasons: refusals.swap_remove(index),
        });
    }
    Ok(domains)
}

/// Solves every task in its domain among `domains` (which must hold each task's kind: see
/// [`task_domains`]), as [`solve_all_guided`] does: the domains may be restricted or
/// extended by the caller. Tasks are taken in order, and `progress` gets each report, with
/// its task's index, as it ends.
pub fn solve_in(
    tasks: &[Task],
    domains: &HashMap<DomainKind, Domain>,
    config: &SolveConfig,
    jobs: usize,
    progress: &(dyn Fn(usize, &SolveReport) + Sync),
    guide: Option<(DomainKind, &dyn Policy)>,
) -> Vec<SolveReport> {
    let never = AtomicBool::new(false);
    solve_in_until(tasks, domains, config, jobs, progress, guide, &never)
        .into_iter()
        .map(|r| r.expect("no stop was asked for"))
        .collect()
}

/// [`solve_with`], with where its time went where `config` asks for a profile.
fn solve_profiled(
    task: &Task,
    domain: &Domain,
    policy: &dyn Policy,
    config: &SolveConfig,
) -> SolveReport {
    if !config.profile {
        return solve_with(task, domain, policy, config);
    }
    let (mut report, calls) = profile::profiled(|| solve_with(task, domain, policy, config));
    report.primitives = PrimitiveTime::named(&calls, &domain.registry);
    report
}

/// [`solve_in`] that starts no new task once `stop` is set (by a Ctrl-C handler, say):
/// the tasks under way end within their budgets, and the tasks never started have no
/// report (`None`).
pub fn solve_in_until(
    tasks: &[Task],
    domains: &HashMap<DomainKind, Domain>,
    config: &SolveConfig,
    jobs: usize,
    progress: &(dyn Fn(usize, &SolveReport) + Sync),
    guide: Option<(DomainKind, &dyn Policy)>,
    stop: &AtomicBool,
) -> Vec<Option<SolveReport>> {
    let policies: HashMap<DomainKind, Box<dyn Policy>> = domains
        .iter()
        .map(|(kind, d)| (*kind, default_policy(config.strategy, d)))
        .collect();
    let run = || {
        // Taken from the iterator one by one, so that reports come about in task order
        // (a split in halves would start the second half at once).
        let mut done: Vec<(usize, Option<SolveReport>)> = tasks
            .iter()
            .enumerate()
            .par_bridge()
            .map(|(i, t)| {
                if stop.load(Ordering::Relaxed) {
                    return (i, None);
                }
                let d = &domains[&t.domain];
                let policy = match guide {
                    Some((kind, g)) if kind == d.kind => g,
                    _ => policies[&t.domain].as_ref(),
                };
                // A bug in one task must not take the others down with it.
                let run = std::panic::AssertUnwindSafe(|| solve_profiled(t, d, policy, config));
                let r = std::panic::catch_unwind(run).unwrap_or_else(|e| SolveReport {
                    error: Some(format!(
                        "internal error (please report): {}",
                        panic_message(&e)
                    )),
                    ..SolveReport::unsolved(t, d)
                });
                progress(i, &r);
                (i, Some(r))
            })
            .collect();
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build();
    match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::Test;

    fn grid(cells: &[&[i64]]) -> Value {
        let rows: Vec<Vec<i64>> = cells.iter().map(|r| r.to_vec()).collect();
        Value::Grid(crate::dsl::Grid::from_rows(&rows).unwrap())
    }

    /// Its inputs turned into its outputs, and one test of input `[[3]]`.
    fn task(pairs: &[(i64, i64)]) -> Task {
        let examples = pairs
            .iter()
            .map(|&(a, b)| Example {
                inputs: vec![grid(&[&[a]])],
                output: grid(&[&[b]]),
            })
            .collect();
        let tests = vec![Test {
            inputs: vec![grid(&[&[3]])],
            output: None,
        }];
        Task {
            id: "t".into(),
            domain: DomainKind::Arc,
            examples,
            tests,
            linear: false,
        }
    }

    /// Whether a fit predicting `[[prediction]]` on the test is inert in `task`.
    fn inert(prediction: i64, task: &Task) -> bool {
        Attempt::is_inert(&[Some(grid(&[&[prediction]]))], task)
    }

    #[test]
    fn a_fit_that_leaves_a_test_as_it_is_is_inert_where_every_example_changes() {
        let changing = task(&[(1, 2), (2, 4)]);
        assert!(inert(3, &changing));
        assert!(!inert(6, &changing));
        // Where an example keeps its input, an unchanged test is a fair prediction.
        let keeping = task(&[(1, 2), (2, 2)]);
        assert!(!inert(3, &keeping));
    }

    /// An attempt of `program` (of description length `cost`) predicting `[[prediction]]`.
    fn attempt(program: &str, cost: f64, prediction: i64) -> Attempt {
        let fit = Fit {
            program: crate::dsl::parse_expr(program).unwrap(),
            cost,
            expansions: 0,
            elapsed: Duration::ZERO,
        };
        Attempt {
            fit,
            predictions: vec![Some(grid(&[&[prediction]]))],
            doubtful: false,
        }
    }

    #[test]
    fn the_cheapest_stack_that_predicts_something_else_takes_an_empty_attempt_2() {
        let task = task(&[(1, 2), (2, 4)]);
        let domain = crate::domains::arc::domain();
        let mut report = SolveReport::unsolved(&task, &domain);
        rank_attempts(&mut report, vec![attempt("(lam $0)", 1.0, 6)], 2, &task);
        assert_eq!(report.program_2, None);
        let stacks = vec![
            attempt("(lam (hflip $0))", 3.0, 5),
            attempt("(lam (vflip $0))", 2.0, 6),
            attempt("(lam (rot90 $0))", 2.5, 7),
        ];
        second_from_stacks(&mut report, stacks);
        // The cheapest stack predicts what attempt 1 does.
        assert_eq!(report.program_2.as_deref(), Some("(lam (rot90 $0))"));
        assert_eq!(report.predictions_2, vec![Some(grid(&[&[7]]))]);
        // A second attempt the fits gave stays.
        second_from_stacks(&mut report, vec![attempt("(lam (hflip $0))", 0.5, 5)]);
        assert_eq!(report.program_2.as_deref(), Some("(lam (rot90 $0))"));
    }

    /// Whether `program`'s tables guess on `task`'s test.
    fn guesses(program: &Expr, task: &Task, registry: &Registry) -> bool {
        let (_, asked) = Table::lookups_in(|| predict(program, task, registry));
        Attempt::guesses(&asked, program, task, registry)
    }

    #[test]
    fn a_program_whose_table_meets_a_key_no_example_showed_guesses() {
        let registry = crate::domains::arc::registry();
        let program = |table: &str| {
            crate::dsl::parse_expr(&format!("(lam (rule_by_colours $0 {table}))")).unwrap()
        };
        // A lone cell's key is its colour times 512: the test's colour 3 (key 1536) is
        // asked of the table on no example.
        let unseen = task(&[(1, 2), (2, 4)]);
        assert!(guesses(&program("m:512=2,1024=4"), &unseen, &registry));
        // Where an example shows colour 3 (kept as it is), the table knows it.
        let seen = task(&[(1, 2), (3, 3)]);
        assert!(!guesses(&program("m:512=2"), &seen, &registry));
        // A colour map is asked every colour on every grid; no table, no guess.
        let mapped = crate::dsl::parse_expr("(lam (colour_map $0 m:1=2,2=4))").unwrap();
        assert!(!guesses(&mapped, &unseen, &registry));
        let turned = crate::dsl::parse_expr("(lam (hflip $0))").unwrap();
        assert!(!guesses(&turned, &unseen, &registry));
    }
}
