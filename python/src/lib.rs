//! `janus._janus`: the extension module behind the Python package `janus`.
//!
//! It is a thin layer over the `janus` crate: each function takes plain Python values (and
//! JSON text for nested records), releases the GIL while janus works, and returns JSON
//! text that `janus/__init__.py` turns into Python objects. Errors are `JanusError`, a
//! `ValueError` whose message names the file and the problem, as the CLI's do.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value as Json};

use janus::ardt::{
    evaluate, generate, ArdtModel, Corpus as TextCorpus, DocFormat, EmbeddingChoice, Generation,
    HeadKind, Predictor, Sampling, Silent, TokenizerKind, TokenizerSource, TrainConfig,
};
use janus::dsl::{infer, parse_expr, Evaluator};
use janus::learn::{
    learn as learn_library, parse_term, print_term, rewrite_corpus, Abstraction, Corpus, CostModel,
    LearnConfig, Learned, Library,
};
use janus::render::{svg, task_rows, text_row, TextStyle};
use janus::search::{Budget, Policy, Strategy};
use janus::tasks::{load_paths, parse_json_tasks, task_json, value_from_json};
use janus::{
    domains_for, solve_in_until, Domain, DomainKind, ForwardPhase, SearchMode, SolveConfig,
    SolveReport, Task,
};

create_exception!(
    _janus,
    JanusError,
    PyValueError,
    "A janus error: bad input (the message names the file and the problem) or a failed run."
);

/// Any displayable error as a `JanusError`.
fn error(e: impl std::fmt::Display) -> PyErr {
    JanusError::new_err(e.to_string())
}

/// Tasks from their janus JSON text (as `load_tasks` gives them).
fn read_tasks(texts: &[String]) -> PyResult<Vec<Task>> {
    let mut tasks = Vec::with_capacity(texts.len());
    for text in texts {
        tasks.extend(parse_json_tasks(Path::new("<task>"), text).map_err(error)?);
    }
    Ok(tasks)
}

/// The libraries at `paths`, each loaded with the libraries it builds on.
fn read_libraries(paths: &[String]) -> PyResult<Vec<Library>> {
    paths
        .iter()
        .map(|p| Library::load(Path::new(p)).map_err(error))
        .collect()
}

/// The domains of `tasks` with `libraries` (paths) on top.
fn prepared(tasks: &[Task], libraries: &[String]) -> PyResult<HashMap<DomainKind, Domain>> {
    let loaded = read_libraries(libraries)?;
    domains_for(tasks, None, &loaded).map_err(|e| match &e {
        janus::DomainsError::Library { index, .. } => error(format!("{}: {e}", libraries[*index])),
        _ => error(e),
    })
}

/// Every task in the files and directories at `path` (ARC files and folders, Kaggle
/// challenge files, 24 Game CSV, double-and-add lists, janus JSON), each as janus JSON.
#[pyfunction]
fn load_tasks(py: Python<'_>, path: PathBuf) -> PyResult<Vec<String>> {
    let tasks = py.detach(|| load_paths(&[path])).map_err(error)?;
    Ok(tasks.iter().map(|t| task_json(t).to_string()).collect())
}

/// `solve`'s options, as `janus.solve` passes them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SolveOptions {
    timeout: f64,
    strategy: Strategy,
    attempts: usize,
    max_expansions: Option<u64>,
    depth: Option<usize>,
    jobs: usize,
    library: Vec<String>,
    guide: Option<String>,
    device: String,
}

impl SolveOptions {
    fn config(&self, strategy: Strategy) -> PyResult<SolveConfig> {
        if !(self.timeout.is_finite() && self.timeout > 0.0) {
            return Err(error(format!(
                "timeout must be a positive number of seconds, not {}",
                self.timeout
            )));
        }
        if !(1..=2).contains(&self.attempts) {
            return Err(error(format!(
                "attempts must be 1 or 2, not {}",
                self.attempts
            )));
        }
        let mut forward = ForwardPhase::default();
        if let Some(depth) = self.depth {
            forward.max_depth = depth;
        }
        Ok(SolveConfig {
            mode: SearchMode::BestFirst,
            strategy,
            budget: Budget {
                max_expansions: self.max_expansions,
                timeout: Some(Duration::from_secs_f64(self.timeout)),
            },
            attempts: self.attempts,
            forward,
            profile: false,
        })
    }
}

/// A guide's domain, strategy and policy (`--guide`).
#[cfg(feature = "torch")]
fn load_guide(
    path: &str,
    device: &str,
    jobs: usize,
    domains: &HashMap<DomainKind, Domain>,
) -> PyResult<(DomainKind, Strategy, Box<dyn Policy>)> {
    let choice = match device {
        "auto" => janus::DeviceChoice::Auto,
        "cpu" => janus::DeviceChoice::Cpu,
        "cuda" => janus::DeviceChoice::Cuda,
        other => {
            return Err(error(format!(
                "device must be auto, cpu or cuda, not {other}"
            )))
        }
    };
    let device = janus::select_device(choice).map_err(error)?;
    // The guide scores the ops of the domain searched (a library's too, if it knows them).
    let domain_of = |k: DomainKind| domains.get(&k).cloned().unwrap_or_else(|| k.domain());
    let policy = janus::guide::NeuralPolicy::load(Path::new(path), device, jobs, &domain_of)
        .map_err(|e| error(format!("{path}: {e}")))?;
    let (kind, strategy) = {
        let model = policy.model();
        (model.domain.kind, model.strategy)
    };
    let policy = janus::guide::default_guided(policy, &domain_of(kind));
    Ok((kind, strategy, policy))
}

#[cfg(not(feature = "torch"))]
fn load_guide(
    path: &str,
    _device: &str,
    _jobs: usize,
    _domains: &HashMap<DomainKind, Domain>,
) -> PyResult<(DomainKind, Strategy, Box<dyn Policy>)> {
    Err(error(format!(
        "{path}: guides need libtorch, and this janus module was built without the `torch` feature"
    )))
}

/// Solves tasks (janus JSON) with `options` (JSON), the GIL released; returns each task's
/// report as `janus solve --json` writes it, in task order. `on_report(index, report)` is
/// called as each task ends (from the thread that solved it, the GIL taken for the call).
#[pyfunction]
#[pyo3(signature = (tasks, options, on_report=None))]
fn solve(
    py: Python<'_>,
    tasks: Vec<String>,
    options: &str,
    on_report: Option<Py<PyAny>>,
) -> PyResult<Vec<String>> {
    let options: SolveOptions =
        serde_json::from_str(options).map_err(|e| error(format!("solve options: {e}")))?;
    let tasks = read_tasks(&tasks)?;
    let domains = prepared(&tasks, &options.library)?;
    let guide = options
        .guide
        .as_deref()
        .map(|path| load_guide(path, &options.device, options.jobs, &domains))
        .transpose()?;
    if let (Some((kind, ..)), Some(path)) = (&guide, &options.guide) {
        if !tasks.iter().any(|t| t.domain == *kind) {
            return Err(error(format!(
                "{path}: a guide for the {} domain, and no task is of it",
                kind.name()
            )));
        }
    }
    let strategy = guide.as_ref().map_or(options.strategy, |g| g.1);
    let config = options.config(strategy)?;
    let guide_ref = guide.as_ref().map(|(kind, _, p)| (*kind, p.as_ref()));
    let progress = |i: usize, r: &SolveReport| {
        if let Some(callback) = &on_report {
            let line = serde_json::to_string(r).unwrap_or_default();
            Python::attach(|py| {
                if let Err(e) = callback.call1(py, (i, line)) {
                    e.print(py);
                }
            });
        }
    };
    let stop = AtomicBool::new(false);
    let finished = (Mutex::new(false), Condvar::new());
    let mut interrupt = None;
    let reports = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let reports = solve_in_until(
                &tasks,
                &domains,
                &config,
                options.jobs,
                &progress,
                guide_ref,
                &stop,
            );
            *finished.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
            finished.1.notify_all();
            reports
        });
        // The GIL is let go while waiting, and taken ten times a second to see a Ctrl-C:
        // then no new task starts, and those under way end within their budgets.
        while !py.detach(|| wait_for(&finished, Duration::from_millis(100))) {
            if let Err(e) = py.check_signals() {
                stop.store(true, Ordering::Relaxed);
                interrupt = Some(e);
                break;
            }
        }
        py.detach(|| worker.join())
    });
    if let Some(e) = interrupt {
        return Err(e);
    }
    let reports: Vec<SolveReport> = reports
        .map_err(|_| error("the search panicked"))?
        .into_iter()
        .flatten()
        .collect();
    reports
        .iter()
        .map(|r| serde_json::to_string(r).map_err(error))
        .collect()
}

/// Whether `flag` is set, waiting at most `timeout` for it.
fn wait_for(flag: &(Mutex<bool>, Condvar), timeout: Duration) -> bool {
    let set = flag.0.lock().unwrap_or_else(|e| e.into_inner());
    let (set, _) = flag
        .1
        .wait_timeout_while(set, timeout, |set| !*set)
        .unwrap_or_else(|e| e.into_inner());
    *set
}

/// The Kaggle submission (JSON) of `reports` (`solve`'s JSON lines) of `tasks`, their
/// programs run again over the domains with `library` to predict the tests.
#[pyfunction]
fn submission(tasks: Vec<String>, reports: Vec<String>, library: Vec<String>) -> PyResult<String> {
    let tasks = read_tasks(&tasks)?;
    let domains = prepared(&tasks, &library)?;
    let by_id: HashMap<String, SolveReport> = reports
        .iter()
        .map(|line| {
            let json: Json = serde_json::from_str(line).map_err(error)?;
            let id = json["task"].as_str().unwrap_or_default();
            let task = tasks.iter().find(|t| t.id == id).ok_or_else(|| {
                error(format!(
                    "a report of task `{id}`, which is not among the tasks"
                ))
            })?;
            let report =
                SolveReport::read_back(line, task, &domains[&task.domain]).map_err(error)?;
            Ok((task.id.clone(), report))
        })
        .collect::<PyResult<_>>()?;
    let (done, reports): (Vec<Task>, Vec<SolveReport>) = tasks
        .iter()
        .filter_map(|t| Some((t.clone(), by_id.get(&t.id)?.clone())))
        .unzip();
    Ok(Json::Object(janus::results::submission(&done, &reports)).to_string())
}

/// The summary (JSON) of `reports` (`solve`'s JSON lines) searched with `strategy` in
/// `wall_ms`, as `janus solve --json` ends with.
#[pyfunction]
fn summary(reports: Vec<String>, strategy: &str, policy: &str, wall_ms: f64) -> PyResult<String> {
    let strategy: Strategy = serde_json::from_value(json!(strategy)).map_err(error)?;
    let reports = reports
        .iter()
        .map(|line| serde_json::from_str::<SolveReport>(line).map_err(error))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(janus::results::summary(&reports, strategy, policy, wall_ms).to_string())
}

/// A program of `domain` (with `library`) run on `inputs` (JSON, read by the domain's
/// input type); the result as JSON.
#[pyfunction]
fn run_program(
    program: &str,
    domain: &str,
    library: Vec<String>,
    inputs: &str,
) -> PyResult<String> {
    let kind: DomainKind = domain.parse().map_err(error)?;
    let library = Library::load_all(&library).map_err(error)?;
    let d = janus::domain_with(kind, None, Some(&library)).map_err(error)?;
    let expr = parse_expr(program).map_err(|e| error(format!("program `{program}`: {e}")))?;
    infer(&expr, &d.registry)
        .map_err(|e| error(format!("program `{program}` does not type-check: {e}")))?;
    let args: Vec<Json> = serde_json::from_str(inputs).map_err(error)?;
    let values = args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            value_from_json(a, &d.input_type).map_err(|e| error(format!("argument {}: {e}", i + 1)))
        })
        .collect::<PyResult<Vec<_>>>()?;
    let out = Evaluator::new(&d.registry)
        .run(&expr, &values)
        .map_err(|e| error(format!("program `{program}`: {e}")))?;
    Ok(janus::tasks::value_json(&out).to_string())
}

/// An ARC task (janus JSON) drawn as SVG: a row per pair.
#[pyfunction]
fn task_svg(task: &str) -> PyResult<String> {
    let tasks = read_tasks(&[task.to_string()])?;
    let rows: Vec<_> = tasks
        .iter()
        .flat_map(|t| task_rows(t).into_iter().map(|r| r.0))
        .collect();
    Ok(svg(&rows))
}

/// An ARC task (janus JSON) drawn as text: coloured cells when `colour`, else digits.
#[pyfunction]
fn task_text(task: &str, colour: bool) -> PyResult<String> {
    let tasks = read_tasks(&[task.to_string()])?;
    let style = if colour {
        TextStyle::Colour
    } else {
        TextStyle::Digits
    };
    let lines: Vec<String> = tasks
        .iter()
        .flat_map(|t| task_rows(t).into_iter().map(|r| text_row(&r.0, style)))
        .collect();
    Ok(lines.join("\n"))
}

/// Stitch's `compress` options janus takes, with Stitch's names.
#[derive(Deserialize)]
struct LearnOptions {
    iterations: usize,
    max_arity: usize,
    abstraction_prefix: String,
    previous_abstractions: usize,
    tasks: Option<Vec<String>>,
}

/// The corpus of `programs`, grouped by `tasks` (one task each where absent).
fn corpus_of(programs: &[String], tasks: Option<&[String]>) -> PyResult<Corpus> {
    let mut corpus = Corpus::default();
    for (i, p) in programs.iter().enumerate() {
        let task = match tasks {
            Some(t) => t
                .get(i)
                .cloned()
                .ok_or_else(|| error("`tasks` must have one entry per program"))?,
            None => i.to_string(),
        };
        corpus
            .add(&task, p)
            .map_err(|e| error(format!("program {}: {e}", i + 1)))?;
    }
    Ok(corpus)
}

/// The result in the shape of Stitch's `CompressionResult.json`.
fn stitch_json(programs: &[String], learned: &Learned, args: Json) -> Json {
    let mut cost = learned.original_cost;
    let abstractions: Vec<Json> = learned
        .library
        .abstractions
        .iter()
        .zip(&learned.steps)
        .map(|(a, step)| {
            let step_ratio = cost as f64 / step.cost.max(1) as f64;
            cost = step.cost;
            json!({
                "name": a.name, "arity": a.arity, "body": print_term(&a.body),
                "utility": a.utility, "num_uses": a.uses, "final_cost": step.cost,
                "compression_ratio": step_ratio,
                "cumulative_compression_ratio": learned.original_cost as f64 / step.cost.max(1) as f64,
                "rewritten": Json::Null,
                "type": a.ty,
            })
        })
        .collect();
    json!({
        "args": args,
        "original_cost": learned.original_cost,
        "final_cost": learned.final_cost,
        "compression_ratio": learned.compression_ratio(),
        "num_abstractions": abstractions.len(),
        "original": programs,
        "rewritten": learned.rewritten.iter().map(print_term).collect::<Vec<_>>(),
        "abstractions": abstractions,
    })
}

/// Learns abstractions from `programs` (Stitch's `compress`), the GIL released; the result
/// as Stitch's JSON.
#[pyfunction]
fn learn(py: Python<'_>, programs: Vec<String>, options: &str) -> PyResult<String> {
    let o: LearnOptions =
        serde_json::from_str(options).map_err(|e| error(format!("learn options: {e}")))?;
    if o.max_arity > janus::learn::MAX_ARITY {
        return Err(error(format!(
            "max_arity must be at most {}",
            janus::learn::MAX_ARITY
        )));
    }
    let corpus = corpus_of(&programs, o.tasks.as_deref())?;
    let config = LearnConfig {
        arity: o.max_arity,
        iterations: o.iterations,
        prefix: o.abstraction_prefix.clone(),
        first_index: o.previous_abstractions,
        ..LearnConfig::default()
    };
    let learned = py.detach(|| learn_library(&corpus, &config));
    let args = json!({"iterations": o.iterations, "max_arity": o.max_arity,
                      "abstraction_prefix": o.abstraction_prefix, "previous_abstractions": o.previous_abstractions});
    Ok(stitch_json(&programs, &learned, args).to_string())
}

/// One abstraction as `rewrite` takes it.
#[derive(Deserialize)]
struct GivenAbstraction {
    name: String,
    arity: usize,
    body: String,
}

/// Rewrites `programs` with `abstractions` (JSON: name, arity, body), in order (Stitch's
/// `rewrite`); the result as Stitch's JSON.
#[pyfunction]
#[pyo3(signature = (programs, abstractions, tasks=None))]
fn rewrite(
    py: Python<'_>,
    programs: Vec<String>,
    abstractions: &str,
    tasks: Option<Vec<String>>,
) -> PyResult<String> {
    let given: Vec<GivenAbstraction> =
        serde_json::from_str(abstractions).map_err(|e| error(format!("abstractions: {e}")))?;
    let mut library = Library::default();
    for a in given {
        let body =
            parse_term(&a.body).map_err(|e| error(format!("abstraction {}: {e}", a.name)))?;
        library.abstractions.push(Abstraction {
            name: a.name,
            arity: a.arity,
            body,
            uses: 0,
            utility: 0,
            ty: None,
        });
    }
    let corpus = corpus_of(&programs, tasks.as_deref())?;
    let learned = py.detach(|| rewrite_corpus(&corpus, &library, &CostModel::default()));
    Ok(stitch_json(&programs, &learned, json!({})).to_string())
}

/// A trained ARDT language model.
#[pyclass(module = "janus._janus", frozen)]
struct ArdtLm {
    model: ArdtModel,
}

/// `janus.ardt.train`'s options.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArdtOptions {
    rounds: Option<usize>,
    learning_rate: Option<f32>,
    max_depth: Option<usize>,
    dim: Option<usize>,
    window: Option<usize>,
    decay: Option<f32>,
    vocab_size: Option<usize>,
    min_count: Option<u64>,
    tokenizer: Option<String>,
    objective: Option<String>,
    classes: Option<usize>,
    embeddings: Option<String>,
    minilm: Option<String>,
    max_rows: Option<usize>,
    max_tokens: Option<usize>,
    cache: Option<String>,
    seed: Option<u64>,
}

impl ArdtOptions {
    fn config(self) -> PyResult<TrainConfig> {
        let mut c = TrainConfig::default();
        let kind = match self.tokenizer.as_deref() {
            None | Some("word") => TokenizerKind::Word,
            Some("bpe") => TokenizerKind::Bpe,
            Some("wordpiece") => TokenizerKind::Wordpiece,
            Some(other) => {
                return Err(error(format!(
                    "tokenizer must be word, bpe or wordpiece, not {other}"
                )))
            }
        };
        c.tokenizer = TokenizerSource::Train {
            kind,
            vocab_size: self.vocab_size.unwrap_or(8000),
            min_count: self.min_count.unwrap_or(2),
        };
        c.embeddings = match self.embeddings.as_deref() {
            None | Some("word2vec") => EmbeddingChoice::Word2Vec,
            Some("minilm") if cfg!(feature = "torch") => EmbeddingChoice::MiniLm {
                dir: PathBuf::from(self.minilm.unwrap_or_else(|| ".minilm/model".into())),
            },
            Some("minilm") => {
                return Err(error(
                    "MiniLM embeddings need libtorch, and this janus module was built without the `torch` feature",
                ))
            }
            Some(other) => return Err(error(format!("embeddings must be word2vec or minilm, not {other}"))),
        };
        c.head = match self.objective.as_deref() {
            None | Some("regress") => HeadKind::Regress,
            Some("classify") => HeadKind::Classify {
                classes: self.classes.unwrap_or(256),
                prior: false,
            },
            Some(other) => {
                return Err(error(format!(
                    "objective must be regress or classify, not {other}"
                )))
            }
        };
        let seed = self.seed.unwrap_or(0);
        c.word2vec.seed = seed;
        c.boost.seed = seed;
        set(&mut c.boost.rounds, self.rounds);
        set(&mut c.boost.learning_rate, self.learning_rate);
        set(&mut c.boost.max_depth, self.max_depth);
        set(&mut c.word2vec.dim, self.dim);
        set(&mut c.features.window, self.window);
        set(&mut c.features.decay, self.decay);
        c.max_rows = self.max_rows;
        c.max_tokens = self.max_tokens;
        if let Some(cache) = self.cache {
            c.cache_dir = PathBuf::from(cache);
        }
        Ok(c)
    }
}

/// `*field = value` where a value is given.
fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// Trains an ARDT on the corpus at `corpus` (documents by blank lines or `<|endoftext|>`),
/// the GIL released.
#[pyfunction]
fn ardt_train(py: Python<'_>, corpus: PathBuf, options: &str) -> PyResult<ArdtLm> {
    let options: ArdtOptions =
        serde_json::from_str(options).map_err(|e| error(format!("ardt options: {e}")))?;
    let config = options.config()?;
    let text = TextCorpus::open(&corpus, DocFormat::Auto).map_err(error)?;
    let model = py
        .detach(|| janus::ardt::train(&text, None, &config, &mut Silent))
        .map_err(|e| error(format!("{}: {e}", corpus.display())))?;
    Ok(ArdtLm { model })
}

#[pymethods]
impl ArdtLm {
    /// A model saved by `save` or `janus ardt train`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<ArdtLm> {
        let model = py
            .detach(|| ArdtModel::load(&path))
            .map_err(|e| error(format!("{}: {e}", path.display())))?;
        Ok(ArdtLm { model })
    }

    /// Writes the model (atomically) to `path`.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| self.model.save(&path))
            .map_err(|e| error(format!("{}: {e}", path.display())))
    }

    /// `tokens` more tokens after `prompt` (greedy at temperature 0), as JSON: the text and
    /// its measures.
    fn generate(
        &self,
        py: Python<'_>,
        prompt: &str,
        tokens: usize,
        temperature: f32,
        top_k: usize,
        seed: u64,
    ) -> String {
        let sampling = Sampling {
            temperature,
            top_k: top_k.max(1),
            seed,
        };
        let g = py.detach(|| {
            let predictor = Predictor::new(&self.model);
            let tokenizer = &self.model.tokenizer;
            Generation::timed(prompt, tokenizer, || {
                generate(&predictor, &tokenizer.encode(prompt), tokens, &sampling)
            })
        });
        serde_json::to_string(&g).unwrap_or_default()
    }

    /// Next-token accuracy (and perplexity, for the classification head) on the corpus at
    /// `path`, as JSON.
    #[pyo3(signature = (path, max_rows=None))]
    fn evaluate(&self, py: Python<'_>, path: PathBuf, max_rows: Option<usize>) -> PyResult<String> {
        let corpus = TextCorpus::open(&path, DocFormat::Auto).map_err(error)?;
        let e = py
            .detach(|| evaluate(&Predictor::new(&self.model), &corpus, max_rows))
            .map_err(|e| error(format!("{}: {e}", path.display())))?;
        Ok(
            json!({"tokens": e.tokens, "top1": e.top1, "top5": e.top5, "perplexity": e.perplexity,
                  "leaves": self.model.tree_parameters()})
            .to_string(),
        )
    }

    /// What the model is made of, as JSON.
    fn info(&self) -> String {
        let m = &self.model;
        json!({"tokenizer": m.tokenizer.describe(), "embeddings": m.embeddings.describe(),
               "tokens": m.info.tokens, "rows": m.info.rows, "rounds": m.booster.rounds.len(),
               "trees": m.booster.trees(), "leaves": m.tree_parameters(),
               "total_seconds": m.info.total_seconds})
        .to_string()
    }
}

/// The extension module.
#[pymodule]
fn _janus(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("JanusError", m.py().get_type::<JanusError>())?;
    m.add("HAS_TORCH", cfg!(feature = "torch"))?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<ArdtLm>()?;
    m.add_function(wrap_pyfunction!(load_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add_function(wrap_pyfunction!(submission, m)?)?;
    m.add_function(wrap_pyfunction!(summary, m)?)?;
    m.add_function(wrap_pyfunction!(run_program, m)?)?;
    m.add_function(wrap_pyfunction!(task_svg, m)?)?;
    m.add_function(wrap_pyfunction!(task_text, m)?)?;
    m.add_function(wrap_pyfunction!(learn, m)?)?;
    m.add_function(wrap_pyfunction!(rewrite, m)?)?;
    m.add_function(wrap_pyfunction!(ardt_train, m)?)?;
    Ok(())
}
