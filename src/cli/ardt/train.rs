//! `janus ardt train`: the settings, progress bars and the training report.

use crate::cli::verbosity::note;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::ProgressBar;

use crate::cli::args::*;
use crate::cli::bar;
use crate::cli::gbdt::BoostArgs;
use janus::ardt::TrainObserver;
use janus::ardt::{
    train, Corpus, EmbeddingChoice, FeatureConfig, HeadKind, TokenizerSource, TrainConfig,
    Word2VecParams,
};
use janus::gbdt::RoundLog;

use crate::cli::rounds::Rounds;
use janus::io::write_atomic;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Objective {
    /// Regress the next token's embedding, decode to the nearest token (the paper's).
    Regress,
    /// Softmax over the most frequent tokens (the rest one class): gives perplexity.
    Classify,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EmbeddingKind {
    /// word2vec trained on the corpus (the paper's).
    Word2vec,
    /// Hidden states of a janus decoder.
    Gpt,
    /// all-MiniLM-L6-v2's causal states.
    Minilm,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Training corpus.
    #[arg(long)]
    corpus: PathBuf,
    /// Held-out corpus for validation losses and early stopping.
    #[arg(long)]
    valid: Option<PathBuf>,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// Tokenizer to train.
    #[arg(long, value_enum, default_value_t = TokenizerArg::Word)]
    tokenizer: TokenizerArg,
    /// Use this tokenizer.json instead of training one.
    #[arg(long, conflicts_with = "tokenizer")]
    tokenizer_file: Option<PathBuf>,
    /// Vocabulary size (special tokens included).
    #[arg(value_parser = positive_count, long, default_value_t = 8000)]
    vocab_size: usize,
    /// Word-level: words seen fewer times are <unk>.
    #[arg(long, default_value_t = 2)]
    min_count: u64,
    /// Where the vectors come from.
    #[arg(long, value_enum, default_value_t = EmbeddingKind::Word2vec)]
    embeddings: EmbeddingKind,
    /// --embeddings gpt: the decoder (`janus ardt baseline --out`); its tokenizer is used.
    #[arg(long, required_if_eq("embeddings", "gpt"))]
    gpt: Option<PathBuf>,
    /// --embeddings minilm: the model folder (`make minilm` puts it in .minilm/model).
    #[arg(long, default_value = ".minilm/model")]
    minilm: PathBuf,
    /// --embeddings gpt: read the states after this many blocks (default: all).
    #[arg(long)]
    layer: Option<usize>,
    /// word2vec width.
    #[arg(value_parser = positive_count, long, default_value_t = 64)]
    dim: usize,
    /// word2vec context window.
    #[arg(long, default_value_t = 5)]
    w2v_window: usize,
    /// word2vec epochs.
    #[arg(long, default_value_t = 5)]
    w2v_epochs: usize,
    /// word2vec negative samples.
    #[arg(long, default_value_t = 5)]
    w2v_negative: usize,
    /// Directory of cached word2vec vectors.
    #[arg(long)]
    cache: Option<PathBuf>,
    /// Tokens in the feature window.
    #[arg(value_parser = positive_count, long, default_value_t = 16)]
    window: usize,
    /// Weight decay per position of age (recent tokens weigh more).
    #[arg(value_parser = non_negative::<f32>, long, default_value_t = 0.5)]
    decay: f32,
    /// Latest embeddings appended to the average (0: the paper's average only).
    #[arg(value_parser = positive_count, long, default_value_t = 1)]
    last: usize,
    /// What the trees predict.
    #[arg(long, value_enum, default_value_t = Objective::Regress)]
    objective: Objective,
    /// Classification: classes (the most frequent tokens, plus one for the rest).
    #[arg(value_parser = positive_count, long, default_value_t = 256)]
    classes: usize,
    /// Classification: the trees start from a bigram model of the classes after the
    /// previous token and learn what the rest of the context adds.
    #[arg(long)]
    prior: bool,
    #[command(flatten)]
    boost: BoostArgs,
    /// Train the trees on at most this many rows (from every k-th document, so that they
    /// span the corpus).
    #[arg(long)]
    max_rows: Option<usize>,
    /// Read at most this many tokens of the corpus (whole documents).
    #[arg(long)]
    max_tokens: Option<usize>,
    /// Worker threads (default: all cores; `--threads` is the old spelling).
    #[arg(long = "jobs", alias = "threads")]
    pub(super) threads: Option<usize>,
    /// Seed of word2vec and the row/feature samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The model file to write.
    #[arg(long)]
    out: PathBuf,
    /// Per-round losses as CSV.
    #[arg(long)]
    log: Option<PathBuf>,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

/// Progress bars and the per-round CSV log.
struct Progress {
    bar: Option<ProgressBar>,
    /// Each round's losses, printed as they come.
    rounds: Rounds,
    log: Option<String>,
}

impl TrainObserver for Progress {
    fn stage(&mut self, name: &str) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
        note!("janus ardt: {name}");
    }

    fn embedding_epoch(&mut self, epoch: usize, of: usize) {
        let b = self.bar.get_or_insert_with(|| {
            bar(of as u64, "word2vec epochs").unwrap_or_else(|_| ProgressBar::hidden())
        });
        b.set_position(epoch as u64);
    }

    fn round(&mut self, log: &RoundLog, of: usize) {
        let b = self.bar.get_or_insert_with(|| {
            bar(of as u64, "rounds").unwrap_or_else(|_| ProgressBar::hidden())
        });
        b.set_position(log.round as u64);
        let line = self.rounds.record(log);
        b.suspend(|| note!("{line}"));
        if let Some(csv) = &mut self.log {
            let valid = log.valid_loss.map_or(String::new(), |v| v.to_string());
            csv.push_str(&format!("{},{},{valid}\n", log.round, log.train_loss));
        }
    }
}

pub(super) fn run_train(a: TrainArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&a.corpus, a.doc_format.into())?;
    let valid = a
        .valid
        .as_ref()
        .map(|v| Corpus::open(v, a.doc_format.into()))
        .transpose()?;
    anyhow::ensure!(
        a.classes >= 2 || matches!(a.objective, Objective::Regress),
        "--classes must be at least 2"
    );
    anyhow::ensure!(
        a.window >= a.last && a.window > 0,
        "--window must be positive and at least --last"
    );
    let config = train_config(&a);
    let mut progress = Progress {
        bar: None,
        rounds: Rounds::default(),
        log: a
            .log
            .as_ref()
            .map(|_| "round,train_loss,valid_loss\n".to_string()),
    };
    let model = train(&corpus, valid.as_ref(), &config, &mut progress)?;
    if let Some(b) = progress.bar.take() {
        b.finish_and_clear();
    }
    if let Some(line) = progress.rounds.summary() {
        note!("{line}");
    }
    model
        .save(&a.out)
        .with_context(|| format!("{}: cannot write the model", a.out.display()))?;
    if let (Some(path), Some(csv)) = (&a.log, &progress.log) {
        write_atomic(path, csv.as_bytes())
            .with_context(|| format!("{}: cannot write the log", path.display()))?;
    }
    print_summary(&a, &model, &progress.rounds)
}

/// The library's training configuration for the arguments.
fn train_config(a: &TrainArgs) -> TrainConfig {
    TrainConfig {
        embeddings: match (a.embeddings, &a.gpt) {
            (EmbeddingKind::Gpt, Some(path)) => EmbeddingChoice::Gpt {
                path: path.clone(),
                layer: a.layer,
            },
            (EmbeddingKind::Minilm, _) => EmbeddingChoice::MiniLm {
                dir: a.minilm.clone(),
            },
            _ => EmbeddingChoice::Word2Vec,
        },
        tokenizer: match &a.tokenizer_file {
            Some(path) => TokenizerSource::File(path.clone()),
            None => TokenizerSource::Train {
                kind: a.tokenizer.into(),
                vocab_size: a.vocab_size,
                min_count: a.min_count,
            },
        },
        word2vec: Word2VecParams {
            dim: a.dim,
            window: a.w2v_window,
            negative: a.w2v_negative,
            epochs: a.w2v_epochs,
            seed: a.seed,
            ..Word2VecParams::default()
        },
        cache_dir: a
            .cache
            .clone()
            .unwrap_or_else(|| TrainConfig::default().cache_dir),
        features: FeatureConfig {
            window: a.window,
            decay: a.decay,
            last: a.last,
        },
        head: match a.objective {
            Objective::Regress => HeadKind::Regress,
            Objective::Classify => HeadKind::Classify {
                classes: a.classes,
                prior: a.prior,
            },
        },
        boost: a.boost.params(a.seed),
        max_rows: a.max_rows,
        max_tokens: a.max_tokens,
    }
}

/// What was trained: JSON with `--json`, else one line.
fn print_summary(
    a: &TrainArgs,
    model: &janus::ardt::ArdtModel,
    rounds: &Rounds,
) -> anyhow::Result<()> {
    let summary = serde_json::json!({
        "model": a.out.display().to_string(),
        "tokenizer": model.tokenizer.describe(),
        "embeddings": model.embeddings.describe(),
        "tokens": model.info.tokens,
        "rows": model.info.rows,
        "rounds": model.booster.rounds.len(),
        "trees": model.booster.trees(),
        "leaves": model.tree_parameters(),
        "embedding_parameters": model.embedding_parameters(),
        "ngram_parameters": model.ngram_parameters(),
        "embedding_seconds": model.info.embedding_seconds,
        "tree_seconds": model.info.tree_seconds,
        "total_seconds": model.info.total_seconds,
        "rounds_log": rounds.json(),
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        outln!(
            "{}: {} rounds, {} trees, {} leaves; {} rows; trained in {:.1} s (word2vec {:.1} s, trees {:.1} s)",
            a.out.display(),
            model.booster.rounds.len(),
            model.booster.trees(),
            model.tree_parameters(),
            model.info.rows,
            model.info.total_seconds,
            model.info.embedding_seconds,
            model.info.tree_seconds
        );
    }
    Ok(())
}
