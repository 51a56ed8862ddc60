//! `janus ardt`: train, sample from, evaluate and inspect auto-regressive decision-tree
//! language models, and score n-gram baselines on the same tokens.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use indicatif::ProgressBar;

use super::args::*;
use super::bar;
use super::gbdt::BoostArgs;
use janus::ardt::dataset::{model_rows, tokenize};
use janus::ardt::metrics::{generation_report, Generation, DEFAULT_PROMPTS};
use janus::ardt::ngram::NGram;
use janus::ardt::train::TargetData;
use janus::ardt::train::TrainObserver;
use janus::ardt::{
    evaluate, generate, train, ArdtModel, Corpus, EmbeddingChoice, FeatureConfig, Head, HeadKind,
    Predictor, Sampling, TokenizerSource, TrainConfig, Word2VecParams,
};
use janus::gbdt::{npy, RoundLog};
use janus::io::write_atomic;

#[derive(Debug, Subcommand)]
pub enum ArdtCommand {
    /// Train a model on a corpus (one document per line, or `<|endoftext|>`-separated).
    Train(Box<TrainArgs>),
    /// Continue a prompt.
    Generate(GenerateArgs),
    /// Next-token accuracy and perplexity on held-out text, and statistics of generations.
    Eval(EvalArgs),
    /// Trees' sizes and the most important features, labelled by the words they weigh.
    Inspect(InspectArgs),
    /// Unigram and bigram baselines on a model's tokens and scoring rules.
    Ngram(NgramArgs),
    /// The Transformer alone: a GPT-style decoder of about --params parameters trained on
    /// the corpus and scored by the same rules (needs the `torch` feature).
    #[cfg(feature = "torch")]
    Baseline(Box<super::baseline::BaselineArgs>),
    /// MiniLM sentence embeddings of a corpus's documents, in batches, with their speed
    /// (needs the `torch` feature).
    #[cfg(feature = "torch")]
    Embed(super::baseline::EmbedArgs),
    /// Write a corpus's feature rows and targets under a model as .npy files
    /// (x_NAME.npy, and y_NAME.npy or labels_NAME.npy), for other learners.
    Features(FeaturesArgs),
}

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
    #[arg(long, default_value_t = 8000)]
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
    #[arg(long, default_value_t = 64)]
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
    #[arg(long, default_value_t = 16)]
    window: usize,
    /// Weight decay per position of age (recent tokens weigh more).
    #[arg(long, default_value_t = 0.5)]
    decay: f32,
    /// Latest embeddings appended to the average (0: the paper's average only).
    #[arg(long, default_value_t = 1)]
    last: usize,
    /// What the trees predict.
    #[arg(long, value_enum, default_value_t = Objective::Regress)]
    objective: Objective,
    /// Classification: classes (the most frequent tokens, plus one for the rest).
    #[arg(long, default_value_t = 256)]
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
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
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

#[derive(Debug, Args)]
pub struct SamplingArgs {
    /// 0: greedy; else sample from softmax(score / temperature).
    #[arg(long, default_value_t = 0.0)]
    temperature: f32,
    /// Sample among the k best tokens.
    #[arg(long, default_value_t = 40)]
    top_k: usize,
    /// Seed of the samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

impl SamplingArgs {
    fn sampling(&self) -> Sampling {
        Sampling {
            temperature: self.temperature,
            top_k: self.top_k,
            seed: self.seed,
        }
    }
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// Text to continue.
    #[arg(long)]
    prompt: String,
    /// Tokens to generate (stops early at end of text).
    #[arg(long, default_value_t = 50)]
    tokens: usize,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// A model and the corpus to read through it.
#[derive(Debug, Args)]
pub struct ModelOnCorpus {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// The corpus.
    #[arg(long)]
    corpus: PathBuf,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// At most this many positions (from every k-th document).
    #[arg(long)]
    max_rows: Option<usize>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    input: ModelOnCorpus,
    /// Prompts to generate from (repeatable; three fixed ones by default).
    #[arg(long)]
    prompt: Vec<String>,
    /// Tokens per generation.
    #[arg(long, default_value_t = 200)]
    gen_tokens: usize,
    #[command(flatten)]
    sampling: SamplingArgs,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// Features to list.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct NgramArgs {
    /// A model: its tokenizer defines the tokens.
    #[arg(long)]
    model: PathBuf,
    /// Corpus to count.
    #[arg(long)]
    train: PathBuf,
    /// Held-out corpus to score.
    #[arg(long)]
    valid: PathBuf,
    /// How documents are delimited.
    #[arg(long, value_enum, default_value_t = DocFormatArg::Auto)]
    doc_format: DocFormatArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct FeaturesArgs {
    #[command(flatten)]
    input: ModelOnCorpus,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// File name suffix: x_NAME.npy...
    #[arg(long, default_value = "train")]
    name: String,
}

fn run_features(a: FeaturesArgs) -> anyhow::Result<()> {
    let i = &a.input;
    let model = ArdtModel::load(&i.model)?;
    let data = model_rows(
        &model,
        &Corpus::open(&i.corpus, i.doc_format.into())?,
        i.max_rows,
    )?;
    let x_path = a.out.join(format!("x_{}.npy", a.name));
    write_atomic(&x_path, &npy::matrix_bytes(&data.x))
        .with_context(|| format!("{}: cannot write", x_path.display()))?;
    let (path, written) = match TargetData::new(&model.head, &data) {
        TargetData::Vectors(y) => {
            let p = a.out.join(format!("y_{}.npy", a.name));
            (p.clone(), write_atomic(&p, &npy::matrix_bytes(&y)))
        }
        TargetData::Classes(labels, _) => {
            let p = a.out.join(format!("labels_{}.npy", a.name));
            (p.clone(), write_atomic(&p, &npy::labels_bytes(&labels)))
        }
    };
    written.with_context(|| format!("{}: cannot write", path.display()))?;
    outln!(
        "{} rows of {} features -> {} and {}",
        data.x.rows(),
        data.x.cols(),
        x_path.display(),
        path.display()
    );
    Ok(())
}

pub fn run(command: ArdtCommand) -> anyhow::Result<()> {
    match command {
        ArdtCommand::Train(a) => with_threads(a.threads, || run_train(*a)),
        ArdtCommand::Generate(a) => run_generate(a),
        ArdtCommand::Eval(a) => with_threads(a.threads, || run_eval(a)),
        ArdtCommand::Inspect(a) => run_inspect(a),
        ArdtCommand::Ngram(a) => run_ngram(a),
        ArdtCommand::Features(a) => with_threads(None, || run_features(a)),
        #[cfg(feature = "torch")]
        ArdtCommand::Baseline(a) => super::baseline::run(*a),
        #[cfg(feature = "torch")]
        ArdtCommand::Embed(a) => super::baseline::run_embed(a),
    }
}

fn with_threads<T>(
    threads: Option<usize>,
    f: impl FnOnce() -> anyhow::Result<T> + Send,
) -> anyhow::Result<T>
where
    T: Send,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?;
    pool.install(f)
}

fn default_cache() -> PathBuf {
    std::env::var_os("HOME").map_or_else(
        || PathBuf::from(".janus-cache"),
        |h| PathBuf::from(h).join(".cache/janus"),
    )
}

/// Progress bars and the per-round CSV log.
struct Progress {
    bar: Option<ProgressBar>,
    log: Option<String>,
}

impl TrainObserver for Progress {
    fn stage(&mut self, name: &str) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
        eprintln!("janus ardt: {name}");
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
        if let Some(csv) = &mut self.log {
            let valid = log.valid_loss.map_or(String::new(), |v| v.to_string());
            csv.push_str(&format!("{},{},{valid}\n", log.round, log.train_loss));
        }
    }
}

fn run_train(a: TrainArgs) -> anyhow::Result<()> {
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
    let config = TrainConfig {
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
        cache_dir: a.cache.clone().unwrap_or_else(default_cache),
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
    };
    let mut progress = Progress {
        bar: None,
        log: a
            .log
            .as_ref()
            .map(|_| "round,train_loss,valid_loss\n".to_string()),
    };
    let model = train(&corpus, valid.as_ref(), &config, &mut progress)?;
    if let Some(b) = progress.bar.take() {
        b.finish_and_clear();
    }
    model
        .save(&a.out)
        .with_context(|| format!("{}: cannot write the model", a.out.display()))?;
    if let (Some(path), Some(csv)) = (&a.log, &progress.log) {
        write_atomic(path, csv.as_bytes())
            .with_context(|| format!("{}: cannot write the log", path.display()))?;
    }
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

fn generation(predictor: &Predictor, prompt: &str, n: usize, sampling: &Sampling) -> Generation {
    let tokenizer = &predictor.model.tokenizer;
    Generation::timed(prompt, tokenizer, || {
        generate(predictor, &tokenizer.encode(prompt), n, sampling)
    })
}

fn run_generate(a: GenerateArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.model)?;
    let predictor = Predictor::new(&model);
    let g = generation(&predictor, &a.prompt, a.tokens, &a.sampling.sampling());
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&g)?);
    } else {
        outln!("{} {}", a.prompt, g.text);
    }
    Ok(())
}

fn run_eval(a: EvalArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.input.model)?;
    let corpus = Corpus::open(&a.input.corpus, a.input.doc_format.into())?;
    let predictor = Predictor::new(&model);
    let start = Instant::now();
    let evaluation = evaluate(&predictor, &corpus, a.input.max_rows)?;
    let eval_seconds = start.elapsed().as_secs_f64();
    let prompts: Vec<String> = if a.prompt.is_empty() {
        DEFAULT_PROMPTS.iter().map(|p| p.to_string()).collect()
    } else {
        a.prompt.clone()
    };
    let sampling = a.sampling.sampling();
    let gens: Vec<Generation> = prompts
        .iter()
        .map(|p| generation(&predictor, p, a.gen_tokens, &sampling))
        .collect();
    let generation = generation_report(&gens);
    let report = serde_json::json!({
        "model": a.input.model.display().to_string(),
        "corpus": a.input.corpus.display().to_string(),
        "tokens": evaluation.tokens,
        "top1": evaluation.top1,
        "top5": evaluation.top5,
        "perplexity": evaluation.perplexity,
        "eval_seconds": eval_seconds,
        "leaves": model.tree_parameters(),
        "ngram_parameters": model.ngram_parameters(),
        "generation": generation,
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!(
            "{} tokens: top-1 {:.4}, top-5 {:.4}, perplexity {}",
            evaluation.tokens,
            evaluation.top1,
            evaluation.top5,
            evaluation
                .perplexity
                .map_or("n/a".into(), |p| format!("{p:.2}"))
        );
        outln!(
            "generation: distinct-2 {:.3}, repetition-4 {:.3}, {:.0} tokens/s",
            report["generation"]["distinct_2"].as_f64().unwrap_or(0.0),
            report["generation"]["repetition_4"].as_f64().unwrap_or(0.0),
            report["generation"]["tokens_per_second"]
                .as_f64()
                .unwrap_or(0.0)
        );
        for g in &gens {
            outln!("> {} {}", g.prompt, g.text);
        }
    }
    Ok(())
}

/// The words that weigh most along embedding dimension `d` (among the frequent ones).
fn words_along(model: &ArdtModel, d: usize, k: usize) -> Vec<String> {
    let table = model.embeddings.targets().normalized();
    let candidates = table.len().min(2000) as u32;
    let mut ids: Vec<u32> = (0..candidates)
        .filter(|&t| Some(t) != model.tokenizer.unk() && t != model.tokenizer.eos())
        .collect();
    ids.sort_by(|&a, &b| {
        table.vector(b)[d]
            .total_cmp(&table.vector(a)[d])
            .then(a.cmp(&b))
    });
    ids.iter()
        .take(k)
        .map(|&t| model.tokenizer.token(t))
        .collect()
}

fn run_inspect(a: InspectArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.model)?;
    let b = &model.booster;
    let dim = model.source().dim();
    let names = model.features.names(dim);
    let gain = b.feature_gain();
    let total: f64 = gain.iter().sum::<f64>().max(1e-12);
    let mut order: Vec<usize> = (0..gain.len()).collect();
    order.sort_by(|&x, &y| gain[y].total_cmp(&gain[x]).then(x.cmp(&y)));
    let depths: Vec<usize> = b.rounds.iter().flatten().map(|t| t.depth()).collect();
    let features: Vec<serde_json::Value> = order
        .iter()
        .take(a.top)
        .map(|&f| {
            serde_json::json!({
                "feature": names.get(f).cloned().unwrap_or_else(|| format!("f{f}")),
                "gain_share": gain[f] / total,
                "words": words_along(&model, f % dim, 5),
            })
        })
        .collect();
    let report = serde_json::json!({
        "tokenizer": model.tokenizer.describe(),
        "embeddings": model.embeddings.describe(),
        "head": match &model.head { Head::Regress { .. } => "regress".to_string(), Head::Classify { class_tokens, .. } => format!("classify ({} classes and a bigram tail)", class_tokens.len()) },
        "features": { "window": model.features.window, "decay": model.features.decay, "last": model.features.last, "width": names.len() },
        "rounds": b.rounds.len(),
        "trees": b.trees(),
        "leaves": b.leaves(),
        "mean_depth": depths.iter().sum::<usize>() as f64 / depths.len().max(1) as f64,
        "max_depth": depths.iter().max().copied().unwrap_or(0),
        "training": model.info,
        "top_features": features,
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    outln!(
        "{} | {} | head {}",
        report["tokenizer"].as_str().unwrap_or(""),
        report["embeddings"].as_str().unwrap_or(""),
        report["head"].as_str().unwrap_or("")
    );
    outln!(
        "{} rounds, {} trees, {} leaves, depth mean {:.2} max {}; trained on {} rows in {:.1} s",
        b.rounds.len(),
        b.trees(),
        b.leaves(),
        report["mean_depth"].as_f64().unwrap_or(0.0),
        report["max_depth"],
        model.info.rows,
        model.info.total_seconds
    );
    outln!("most important features (share of total split gain; words weighing most along that dimension):");
    for f in &features {
        let words: Vec<&str> = f["words"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str())
            .collect();
        outln!(
            "  {:<12} {:>6.2}%  {}",
            f["feature"].as_str().unwrap_or(""),
            100.0 * f["gain_share"].as_f64().unwrap_or(0.0),
            words.join(" ")
        );
    }
    Ok(())
}

fn run_ngram(a: NgramArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.model)?;
    let docs = |path: &PathBuf| {
        tokenize(
            &Corpus::open(path, a.doc_format.into())?,
            &model.tokenizer,
            None,
        )
    };
    let (train_docs, valid_docs) = (docs(&a.train)?, docs(&a.valid)?);
    let start = model.tokenizer.eos();
    let vocab = model.tokenizer.vocab_size();
    let ngram = NGram::fit(&train_docs, vocab, start, Some);
    let scores = ngram.score(&valid_docs, start, model.tokenizer.unk());
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        for s in &scores {
            outln!(
                "{:<8} top-1 {:.4}, top-5 {:.4}, perplexity {:.2}, {} parameters",
                s.name,
                s.top1,
                s.top5,
                s.perplexity,
                s.parameters
            );
        }
    }
    Ok(())
}
