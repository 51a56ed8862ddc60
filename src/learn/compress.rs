//! The learning loop: find the most useful abstraction, rewrite the corpus with it, and
//! repeat, each abstraction free to build on the ones before (Stitch's multistep
//! compression).

use std::time::Instant;

use egg::{RecExpr, Symbol};

use super::corpus::Corpus;
use super::dag::{CostModel, Dag, Node};
use super::library::{Abstraction, Library};
use super::rewrite::{locate, rewrite};
use super::search::{best_abstraction_in, ParamPlaces, SearchStats};
use super::term::Lambda;

/// Settings of [`learn`].
#[derive(Debug, Clone)]
pub struct LearnConfig {
    /// The most parameters an abstraction may take.
    pub arity: usize,
    /// The most abstractions to learn (fewer when nothing more compresses).
    pub iterations: usize,
    /// The cost of terms.
    pub cost: CostModel,
    /// Abstractions are named this plus a number: `fn_0`, `fn_1`, ...
    pub prefix: String,
    /// Where parameters may go: [`ParamPlaces::Arguments`] learns only first-order
    /// abstractions.
    pub places: ParamPlaces,
    /// The first abstraction's number: learning on top of a library goes on from its
    /// [`Library::next_index`], so that names stay unique.
    pub first_index: usize,
}

impl Default for LearnConfig {
    fn default() -> Self {
        LearnConfig {
            arity: 2,
            iterations: 3,
            cost: CostModel::default(),
            prefix: "fn_".into(),
            first_index: 0,
            places: ParamPlaces::Anywhere,
        }
    }
}

/// One iteration of the loop.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    /// The abstraction's name.
    pub name: String,
    /// The corpus cost after rewriting with it.
    pub cost: i64,
    /// Distinct subterms of the corpus this search ran on.
    pub nodes: usize,
    /// The search's work.
    pub search: SearchStats,
    /// Seconds for the search and the rewrite.
    pub seconds: f64,
}

/// What [`learn`] found: the library, the corpus rewritten with it, and the costs.
#[derive(Debug, Clone)]
pub struct Learned {
    /// The abstractions, in the order learned.
    pub library: Library,
    /// The programs rewritten with the library, in corpus order.
    pub rewritten: Vec<RecExpr<Lambda>>,
    /// The corpus cost before (each task's cheapest program).
    pub original_cost: i64,
    /// The corpus cost after.
    pub final_cost: i64,
    /// The iterations.
    pub steps: Vec<Step>,
}

impl Learned {
    /// `original_cost / final_cost`, Stitch's compression ratio.
    pub fn compression_ratio(&self) -> f64 {
        self.original_cost as f64 / self.final_cost.max(1) as f64
    }

    /// The sizes of `original` (the corpus as given) and of the rewritten corpus and the
    /// library under `model`.
    pub fn sizes(&self, original: &Corpus, model: &CostModel) -> Sizes {
        let rewritten = Corpus {
            programs: self.rewritten.clone(),
            ..original.clone()
        };
        Sizes {
            original: original.cost(model),
            rewritten: rewritten.cost(model),
            library: self
                .library
                .abstractions
                .iter()
                .map(|a| model.of(&a.body))
                .sum(),
        }
    }
}

/// Corpus sizes under one cost model (each task's cheapest program counted).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Sizes {
    /// The corpus as given.
    pub original: i64,
    /// The rewritten corpus.
    pub rewritten: i64,
    /// The library's bodies.
    pub library: i64,
}

impl Sizes {
    /// `original / rewritten`.
    pub fn ratio(&self) -> f64 {
        self.original as f64 / self.rewritten.max(1) as f64
    }

    /// `original / (rewritten + library)`: the library's own size counted.
    pub fn ratio_with_library(&self) -> f64 {
        self.original as f64 / (self.rewritten + self.library).max(1) as f64
    }
}

/// Learns up to `config.iterations` abstractions from `corpus`.
///
/// ```
/// use janus::learn::{learn, Corpus, LearnConfig};
/// let corpus = Corpus::from_strings(&[
///     "(draw (scale 2 (rotate 90 circle)))",
///     "(draw (scale 2 (rotate 90 square)))",
///     "(draw (scale 2 (rotate 90 (star 5))))",
/// ]).unwrap();
/// let learned = learn(&corpus, &LearnConfig::default());
/// let fn_0 = &learned.library.abstractions[0];
/// assert_eq!(janus::learn::print_term(&fn_0.body), "(draw (scale 2 (rotate 90 #0)))");
/// assert!(learned.compression_ratio() > 2.0);
/// ```
pub fn learn(corpus: &Corpus, config: &LearnConfig) -> Learned {
    let mut programs = corpus.programs.clone();
    let mut dag = Dag::build(&programs, &corpus.task_of_program, &config.cost);
    let original_cost = dag.initial_cost();
    let mut library = Library::default();
    let mut steps = Vec::new();
    for i in 0..config.iterations {
        let start = Instant::now();
        let (found, search) = best_abstraction_in(&dag, &config.cost, config.arity, config.places);
        let Some(found) = found else { break };
        let name = format!("{}{}", config.prefix, config.first_index + i);
        programs = rewrite(&dag, &found, Symbol::from(name.as_str()), &config.cost);
        let nodes = dag.nodes.len();
        dag = Dag::build(&programs, &corpus.task_of_program, &config.cost);
        library.abstractions.push(Abstraction {
            uses: uses(&dag, &name),
            name: name.clone(),
            arity: found.arity,
            body: found.body,
            utility: found.utility,
            ty: None,
        });
        steps.push(Step {
            name,
            cost: dag.initial_cost(),
            nodes,
            search,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    Learned {
        final_cost: dag.initial_cost(),
        library,
        rewritten: programs,
        original_cost,
        steps,
    }
}

/// `corpus` rewritten with the abstractions of `library`, in order, each where it makes a
/// program cheaper: the counterpart of Stitch's `rewrite`. The library's abstractions come
/// back with their uses in the rewritten corpus; the steps record the cost after each.
pub fn rewrite_corpus(corpus: &Corpus, library: &Library, cost: &CostModel) -> Learned {
    let mut programs = corpus.programs.clone();
    let mut dag = Dag::build(&programs, &corpus.task_of_program, cost);
    let original_cost = dag.initial_cost();
    let mut done = Library::default();
    let mut steps = Vec::new();
    for abstraction in &library.abstractions {
        let start = Instant::now();
        let found = locate(&dag, &abstraction.body, abstraction.arity);
        let nodes = dag.nodes.len();
        programs = rewrite(&dag, &found, Symbol::from(abstraction.name.as_str()), cost);
        dag = Dag::build(&programs, &corpus.task_of_program, cost);
        done.abstractions.push(Abstraction {
            uses: uses(&dag, &abstraction.name),
            ..abstraction.clone()
        });
        steps.push(Step {
            name: abstraction.name.clone(),
            cost: dag.initial_cost(),
            nodes,
            search: SearchStats::default(),
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    Learned {
        final_cost: dag.initial_cost(),
        library: done,
        rewritten: programs,
        original_cost,
        steps,
    }
}

/// How often the primitive `name` occurs in the corpus.
fn uses(dag: &Dag, name: &str) -> i64 {
    let symbol = Symbol::from(name);
    dag.nodes
        .iter()
        .zip(&dag.paths)
        .filter(|(n, _)| **n == Node::Prim(symbol))
        .map(|(_, &p)| p)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::print_term;

    #[test]
    fn rewriting_with_a_learned_library_gives_the_learned_corpus() {
        let corpus = Corpus::from_strings(&[
            "(draw (scale 2 (rotate 90 circle)))",
            "(draw (scale 2 (rotate 90 square)))",
            "(lam (draw (scale 2 (rotate 90 (f $0)))))",
            "(draw (scale 3 (rotate 90 square)))",
        ])
        .unwrap();
        let learned = learn(&corpus, &LearnConfig::default());
        let again = rewrite_corpus(&corpus, &learned.library, &CostModel::default());
        let print = |l: &Learned| l.rewritten.iter().map(print_term).collect::<Vec<_>>();
        assert_eq!(print(&again), print(&learned));
        assert_eq!(again.final_cost, learned.final_cost);
        let uses = |l: &Learned| {
            l.library
                .abstractions
                .iter()
                .map(|a| a.uses)
                .collect::<Vec<_>>()
        };
        assert_eq!(uses(&again), uses(&learned));
        assert!(again.final_cost < again.original_cost);
    }
}
