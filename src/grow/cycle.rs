//! One iteration of the loop: wake, sleep, register, and its report.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::settings::GrowSettings;
use super::state::{Attempted, StateDir, StateError, TaskResult, Wake};
use crate::domains::{replays, Domain, DomainKind, Sample};
use crate::dsl::Type;
use crate::learn::{
    abstraction_primitive, eta_reduced, learn, print_term, Corpus, CostModel, Library,
    SaturationLimits, Theory,
};
use crate::search::Policy;
use crate::solve::{domain_with, solve_in, task_kinds, SetupError, SolveReport};
use crate::task::Task;

/// Why a grow run cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum GrowError {
    /// A state file.
    #[error(transparent)]
    State(#[from] StateError),
    /// The state folder holds a run with other settings.
    #[error("{}: holds a run with another {setting}; give the same settings, or another --state", path.display())]
    OtherRun {
        /// The state folder.
        path: std::path::PathBuf,
        /// The first setting that differs.
        setting: &'static str,
    },
    /// Two tasks have one id (the state keys results by id).
    #[error("two tasks have the id `{0}`; grow needs each task once")]
    DuplicateTask(String),
    /// The tasks span several domains, or none.
    #[error("grow one domain at a time (the tasks are of {0})")]
    Domains(String),
    /// The base or the library does not fit the domain.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// The rewrites cannot be read.
    #[error("the rewrites: {0}")]
    Rewrites(String),
}

/// An abstraction a sleep added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddedAbstraction {
    /// Its name.
    pub name: String,
    /// Its parameters.
    pub arity: usize,
    /// Its body, printed.
    pub body: String,
    /// Its type.
    pub ty: Option<String>,
    /// Its uses in the corpus rewritten with it.
    pub uses: i64,
}

/// A task a wake solved for the first time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewSolution {
    /// The task id.
    pub task: String,
    /// Its shortest program.
    pub program: String,
    /// The learned abstractions that program uses.
    pub abstractions: Vec<String>,
}

/// What one iteration did (a line of `log.jsonl`, and of `janus grow --json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IterationReport {
    /// The iteration, from 1.
    pub iteration: usize,
    /// Tasks the wake attempted (those unsolved before it).
    pub attempted: usize,
    /// Tasks it solved.
    pub solved_new: usize,
    /// Tasks solved so far.
    pub solved_total: usize,
    /// Tasks in all.
    pub tasks: usize,
    /// Learned abstractions in the library after the sleep.
    pub library_size: usize,
    /// The sleep's compression: the corpus's cost before over its cost after (each
    /// task's cheapest program counted).
    pub compression: f64,
    /// Seconds the wake spent solving.
    pub solve_seconds: f64,
    /// Seconds the sleep spent learning.
    pub learn_seconds: f64,
    /// The abstractions the sleep added.
    pub abstractions: Vec<AddedAbstraction>,
    /// Abstractions learned but left out: the search cannot use them (their bodies do not
    /// type-check, they take or give functions, or they only rename a primitive).
    pub dropped: Vec<AddedAbstraction>,
    /// The tasks solved, with the abstractions their programs use.
    pub new_solutions: Vec<NewSolution>,
}

/// A grow run over a state folder: [`Grow::iterate`] does the next iteration.
pub struct Grow<'a> {
    tasks: &'a [Task],
    kind: DomainKind,
    settings: GrowSettings,
    /// The settings' rewrites, read once.
    theory: Option<Theory>,
    state: StateDir,
    jobs: usize,
}

impl<'a> Grow<'a> {
    /// The run of `settings` over `tasks` in the folder `state`: a new one, or the one
    /// there, which must have the same settings.
    pub fn open(
        state: StateDir,
        tasks: &'a [Task],
        settings: GrowSettings,
        jobs: usize,
    ) -> Result<Grow<'a>, GrowError> {
        let kind = one_domain(tasks)?;
        let mut ids = HashSet::new();
        if let Some(t) = tasks.iter().find(|t| !ids.insert(t.id.as_str())) {
            return Err(GrowError::DuplicateTask(t.id.clone()));
        }
        // Checked before the settings are written: a fixed command must not find them taken.
        domain_with(kind, settings.base.as_deref(), None)?;
        let theory = settings.rewrites.as_deref().map(Theory::parse).transpose();
        let theory = theory.map_err(|e| GrowError::Rewrites(e.to_string()))?;
        match state.settings()? {
            Some(old) => {
                if let Some(setting) = old.difference(&settings) {
                    let path = state.path().to_path_buf();
                    return Err(GrowError::OtherRun { path, setting });
                }
            }
            None => state.write_settings(&settings)?,
        }
        Ok(Grow {
            tasks,
            kind,
            settings,
            theory,
            state,
            jobs,
        })
    }

    /// The reports of the iterations done.
    pub fn reports(&self) -> Result<Vec<IterationReport>, GrowError> {
        Ok(self.state.log()?)
    }

    /// The library after the iterations done.
    pub fn library(&self) -> Result<Library, GrowError> {
        let done = self.state.log()?.len();
        Ok(self.state.library(done)?)
    }

    /// The state folder.
    pub fn state(&self) -> &StateDir {
        &self.state
    }

    /// The tasks.
    pub fn tasks(&self) -> &[Task] {
        self.tasks
    }

    /// The settings.
    pub fn settings(&self) -> &GrowSettings {
        &self.settings
    }

    /// The domain the wake after `k` iterations searches: the base with the library
    /// learned by then.
    pub fn domain_after(&self, k: usize) -> Result<Domain, GrowError> {
        self.domain_with(&self.state.library(k)?)
    }

    /// The base with `library` registered.
    fn domain_with(&self, library: &Library) -> Result<Domain, GrowError> {
        Ok(domain_with(
            self.kind,
            self.settings.base.as_deref(),
            Some(library),
        )?)
    }

    /// The programs found in the first `k` iterations, written with the library learned
    /// by then (the corpus after sleep `k`, as DreamCoder replays them), as samples of
    /// `domain` (programs it cannot spell are left out): what a guide is fine-tuned on.
    pub fn replays(&self, k: usize, domain: &Domain) -> Result<Vec<Sample>, GrowError> {
        let by_task = self.state.corpus(k)?.by_task();
        Ok(replays(&by_task, self.tasks, &domain.registry))
    }

    /// Runs the next iteration (resuming its wake where one was interrupted), calling
    /// `progress` after each task solved or not, and records it in the state folder. The
    /// wake searches with `guide` where given (a policy for [`Grow::domain_after`] the
    /// iterations done).
    pub fn iterate(
        &self,
        progress: &(dyn Fn(&SolveReport) + Sync),
        guide: Option<&dyn Policy>,
    ) -> Result<IterationReport, GrowError> {
        let log = self.state.log()?;
        let k = log.len() + 1;
        let library = self.state.library(k - 1)?;
        let corpus = self.state.corpus(k - 1)?;
        let domain = self.domain_with(&library)?;
        let solved: HashSet<&str> = log
            .iter()
            .flat_map(|r| r.new_solutions.iter().map(|s| s.task.as_str()))
            .collect();
        let wake = self.wake(k, &domain, &solved, progress, guide)?;
        let start = Instant::now();
        let first = next_index(&log, &self.settings.prefix);
        let slept = self.sleep(&corpus, &wake, &library, &domain, first)?;
        let new_solutions = self.new_solutions(&wake, &library);
        let report = IterationReport {
            iteration: k,
            attempted: wake.attempted.len(),
            solved_new: new_solutions.len(),
            solved_total: solved.len() + new_solutions.len(),
            tasks: self.tasks.len(),
            library_size: slept.library.abstractions.len(),
            compression: slept.compression,
            solve_seconds: wake.seconds,
            learn_seconds: start.elapsed().as_secs_f64(),
            abstractions: slept.added,
            dropped: slept.dropped,
            new_solutions,
        };
        self.state.write_library(k, &slept.library)?;
        self.state.write_corpus(k, &slept.corpus)?;
        self.state.append_log(&report)?;
        self.state
            .write_results(&results(self.tasks, &log, &report))?;
        Ok(report)
    }

    /// Whether another iteration would repeat the last: its sleep added nothing, and the
    /// budget does not depend on time, so the next wake would search as the last did.
    pub fn converged(&self) -> Result<bool, GrowError> {
        let log = self.state.log()?;
        Ok(self.settings.max_expansions.is_some()
            && log.last().is_some_and(|r| r.abstractions.is_empty()))
    }

    /// Iteration `k`'s wake: the tasks not `solved` before that the wake so far has not
    /// attempted, each recorded as it ends.
    fn wake(
        &self,
        k: usize,
        domain: &Domain,
        solved: &HashSet<&str>,
        progress: &(dyn Fn(&SolveReport) + Sync),
        guide: Option<&dyn Policy>,
    ) -> Result<Wake, GrowError> {
        let wake = self.state.wake(k)?;
        let todo: Vec<Task> = self
            .tasks
            .iter()
            .filter(|t| !solved.contains(t.id.as_str()) && !wake.attempted.contains_key(&t.id))
            .cloned()
            .collect();
        let domains = HashMap::from([(self.kind, domain.clone())]);
        let config = self.settings.solve_config();
        let shared = Mutex::new((wake, None::<StateError>, Instant::now()));
        let record = |_: usize, r: &SolveReport| {
            let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
            let (wake, error, since) = &mut *guard;
            wake.attempted.insert(r.task.clone(), self.attempted(r));
            wake.seconds += since.elapsed().as_secs_f64();
            *since = Instant::now();
            if let Err(e) = self.state.write_wake(wake) {
                error.get_or_insert(e);
            }
            progress(r);
        };
        let guide = guide.map(|g| (self.kind, g));
        solve_in(&todo, &domains, &config, self.jobs, &record, guide);
        let (wake, error, _) = shared.into_inner().unwrap_or_else(|e| e.into_inner());
        match error {
            Some(e) => Err(e.into()),
            None => Ok(wake),
        }
    }

    /// A task's wake as the state keeps it: its frontier cut to the run's.
    fn attempted(&self, r: &SolveReport) -> Attempted {
        Attempted {
            solved: r.solved,
            frontier: r
                .frontier
                .iter()
                .take(self.settings.frontier)
                .cloned()
                .collect(),
            ms: r.time_ms + r.time_ms_2,
        }
    }

    /// Learns from `corpus` and the wake's programs: the library grown and the corpus
    /// written with it.
    fn sleep(
        &self,
        corpus: &Corpus,
        wake: &Wake,
        library: &Library,
        domain: &Domain,
        first: usize,
    ) -> Result<Slept, GrowError> {
        let mut corpus = corpus.clone();
        for t in self.tasks {
            let Some(a) = wake.attempted.get(&t.id).filter(|a| a.solved) else {
                continue;
            };
            for p in &a.frontier {
                // A program the learner's terms cannot spell is left out of the corpus.
                let _ = corpus.add(&t.id, p);
            }
        }
        let corpus = self.normalized(corpus);
        let corpus = Corpus {
            programs: corpus.programs.iter().map(eta_reduced).collect(),
            ..corpus
        };
        // Twice as many as kept: some may not be of use to the search.
        let config = self
            .settings
            .learn_config(first, 2 * self.settings.abstractions);
        let learned = learn(&corpus, &config);
        let mut registry = domain.registry.clone();
        let (mut kept, mut dropped) = (Library::default(), Library::default());
        let mut unusable = Vec::new();
        for a in &learned.library.abstractions {
            // Its body spelled without the abstractions left out before it.
            let mut a = a.clone();
            a.body = dropped.expand(&a.body);
            if kept.abstractions.len() == self.settings.abstractions {
                dropped.abstractions.push(a);
                continue;
            }
            // A whole program abstracted (`(lam ...)`) is kept as the function it is.
            let mut usable = a.uncurried();
            let primitive = abstraction_primitive(&usable, &registry).ok();
            match primitive.filter(|p| searchable(p) && usable.alias_of().is_none()) {
                Some(p) => {
                    usable.ty = Some(p.ty.to_string());
                    registry.add(p).expect("a fresh name");
                    kept.abstractions.push(usable);
                }
                None => {
                    unusable.push(added(&a));
                    dropped.abstractions.push(a);
                }
            }
        }
        // The corpus spells out what the library leaves out.
        let programs: Vec<_> = learned
            .rewritten
            .iter()
            .map(|p| dropped.expand(p))
            .collect();
        let grown_corpus = Corpus {
            programs,
            ..corpus.clone()
        };
        let model = CostModel::default();
        let mut grown = library.clone();
        grown.abstractions.extend(kept.abstractions.iter().cloned());
        grown.source = format!(
            "janus grow, {} tasks of {}, iteration {}",
            self.tasks.len(),
            self.settings.domain,
            wake.iteration
        );
        Ok(Slept {
            added: kept.abstractions.iter().map(added).collect(),
            dropped: unusable,
            library: grown,
            compression: corpus.cost(&model) as f64 / grown_corpus.cost(&model).max(1) as f64,
            corpus: grown_corpus,
        })
    }

    /// `corpus` in the rewrites' canonical form, where the run has rewrites.
    fn normalized(&self, corpus: Corpus) -> Corpus {
        match &self.theory {
            Some(theory) => {
                theory
                    .normalize(&corpus, &CostModel::default(), SaturationLimits::default())
                    .0
            }
            None => corpus,
        }
    }

    /// The wake's solved tasks, in task order, with the abstractions of `library` their
    /// programs use.
    fn new_solutions(&self, wake: &Wake, library: &Library) -> Vec<NewSolution> {
        self.tasks
            .iter()
            .filter_map(|t| {
                let a = wake.attempted.get(&t.id).filter(|a| a.solved)?;
                let program = a.frontier.first()?.clone();
                let abstractions = library
                    .abstractions
                    .iter()
                    .filter(|x| uses_name(&program, &x.name))
                    .map(|x| x.name.clone())
                    .collect();
                Some(NewSolution {
                    task: t.id.clone(),
                    program,
                    abstractions,
                })
            })
            .collect()
    }
}

/// What a sleep made.
struct Slept {
    library: Library,
    corpus: Corpus,
    compression: f64,
    added: Vec<AddedAbstraction>,
    dropped: Vec<AddedAbstraction>,
}

/// The number after every abstraction's that the iterations of `log` learned, kept or
/// left out: names stay unique across the run.
fn next_index(log: &[IterationReport], prefix: &str) -> usize {
    let learned = log
        .iter()
        .flat_map(|r| r.abstractions.iter().chain(&r.dropped));
    crate::learn::next_index(learned.map(|a| a.name.as_str()), prefix)
}

/// Whether the search can apply `p`: its parameters and result are first-order values
/// (no function), and it takes all of them at once.
fn searchable(p: &crate::dsl::Primitive) -> bool {
    let first_order = |t: &Type| t.as_arrow().is_none();
    p.ty.arguments().into_iter().all(first_order) && !matches!(p.ty.returns(), Type::Var(_))
}

fn added(a: &crate::learn::Abstraction) -> AddedAbstraction {
    AddedAbstraction {
        name: a.name.clone(),
        arity: a.arity,
        body: print_term(&a.body),
        ty: a.ty.clone(),
        uses: a.uses,
    }
}

/// Whether `program` (as `janus solve` prints it) calls the abstraction `name`.
fn uses_name(program: &str, name: &str) -> bool {
    program
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .any(|atom| atom.strip_prefix('#').unwrap_or(atom) == name)
}

/// The one domain of `tasks`.
fn one_domain(tasks: &[Task]) -> Result<DomainKind, GrowError> {
    match task_kinds(tasks).as_slice() {
        [one] => Ok(*one),
        kinds => Err(GrowError::Domains(
            kinds
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

/// Each task's first solution after the iterations of `log` and `last`.
fn results(tasks: &[Task], log: &[IterationReport], last: &IterationReport) -> Vec<TaskResult> {
    let mut first: HashMap<&str, (usize, &str)> = HashMap::new();
    for r in log.iter().chain([last]) {
        for s in &r.new_solutions {
            first.entry(&s.task).or_insert((r.iteration, &s.program));
        }
    }
    tasks
        .iter()
        .map(|t| {
            let found = first.get(t.id.as_str());
            TaskResult {
                task: t.id.clone(),
                solved_in: found.map(|f| f.0),
                program: found.map(|f| f.1.to_string()),
            }
        })
        .collect()
}
