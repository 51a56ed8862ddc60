//! Library learning: abstractions learned from a corpus of programs, the way Stitch does it
//! (a top-down branch and bound for the most compressive abstraction, then a rewrite of
//! the corpus, repeated), on a corpus hash-consed in an egg e-graph.
//!
//! - [`term`]: the lambda-calculus terms (Stitch and DreamCoder syntax) as an egg language;
//! - [`corpus`]: corpus files (Stitch JSON, DreamCoder frontiers, `janus solve --json`);
//! - [`dag`]: the hash-consed corpus and the cost model;
//! - [`search`]: the search for the best abstraction;
//! - [`rewrite`]: rewriting the corpus with it;
//! - [`library`]: abstractions, library files, and expansion back to the original programs;
//! - [`theory`]: domain rewrites (egg saturation) that put equal programs into one form;
//! - [`compress`]: the learning loop;
//! - [`primitives`]: learned abstractions as DSL primitives, with derived inverses.

mod compress;
mod corpus;
mod dag;
mod library;
mod primitives;
mod rewrite;
mod search;
mod term;
mod theory;

pub use compress::{learn, rewrite_corpus, LearnConfig, Learned, Sizes, Step};
pub use corpus::{Corpus, CorpusError, CorpusFormat, ProgramError};
pub use dag::{CostModel, Dag};
pub use library::{
    next_index, Abstraction, Library, LibraryError, LoadLibraryError, LIBRARY_HEADER,
    MAX_BASE_DEPTH,
};
pub use primitives::{
    abstraction_primitive, infer_types, register_library, AbstractionError, RegisterError,
    MAX_ARITY, MAX_INLINED_CALLS,
};
pub use rewrite::locate;
pub use search::{best_abstraction, best_abstraction_in, Candidate, ParamPlaces, SearchStats};
pub use term::{eta_reduced, parse_term, print_term, Lambda, ParseError};
pub use theory::{Saturation, SaturationLimits, Theory, TheoryError};
