//! `janus ardt bigbench`: BIG-Bench's multiple-choice tasks as classification: boosted
//! trees against a linear probe and the majority class, on the same features and the same
//! seeded held-out split.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use crate::cli::args::*;
use crate::cli::gbdt::BoostArgs;
use janus::gbdt::{Booster, Matrix, Targets};
use janus::reason::{
    boolean_task, load_choice_task, majority, split, ChoiceTask, LinearProbe, ProbeConfig,
    TokenFeatures,
};

/// The tasks of issue 21, BIG-Bench-Hard's sources.
const TASKS: [&str; 8] = [
    "dyck_languages",
    "navigate",
    "word_sorting",
    "sports_understanding",
    "causal_judgment",
    "formal_fallacies_syllogisms_negation",
    "logical_deduction",
    "tracking_shuffled_objects",
];

#[derive(Debug, Args)]
pub struct BigBenchArgs {
    /// The folder of task folders (`scripts/fetch-bigbench.sh` fills ~/.cache/janus/bigbench).
    #[arg(long)]
    data: PathBuf,
    /// Tasks (folder names); all eight of issue 21 by default, and janus's Boolean
    /// expressions (`boolean`).
    #[arg(long)]
    task: Vec<String>,
    /// The share of each task held out for testing.
    #[arg(value_parser = fraction::<f64>, long, default_value_t = 0.3)]
    held_out: f64,
    /// Seed of the split and of the trees' samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The features: plain tokens, or all-MiniLM-L6-v2's states pooled over the prompt
    /// (mean and last token; needs the `torch` feature).
    #[arg(long, value_enum, default_value_t = FeatureKind::Tokens)]
    features: FeatureKind,
    /// With --features minilm: the states after this many of its 6 layers (all by default).
    #[arg(long)]
    layer: Option<usize>,
    /// With --features minilm: the model folder (`make minilm`).
    #[arg(long, default_value = ".minilm/model")]
    minilm: PathBuf,
    /// With --features decoder: a janus decoder (`janus ardt baseline --out`), whose
    /// states over the prompt are pooled the same way (after --layer of its blocks).
    #[arg(long, required_if_eq("features", "decoder"))]
    gpt: Option<PathBuf>,
    /// With --features minilm: where the encoder runs.
    #[arg(long, value_enum, default_value = "auto")]
    device: crate::cli::solve::DeviceArg,
    /// Tokens in the vocabulary of the token features.
    #[arg(value_parser = positive_count, long, default_value_t = 300)]
    vocab: usize,
    #[command(flatten)]
    boost: BoostArgs,
    /// One JSON object per task.
    #[arg(long)]
    json: bool,
}

/// Where a classifier's features come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum FeatureKind {
    /// Bags of words (whole prompt, its last tokens) and the last tokens one-hot.
    Tokens,
    /// MiniLM's states, pooled: mean and last token.
    Minilm,
    /// A janus decoder's states (`--gpt`), pooled: mean and last token.
    Decoder,
}

/// The feature rows of texts.
#[derive(Clone)]
enum Featurizer {
    Tokens(TokenFeatures),
    #[cfg(feature = "torch")]
    Minilm(std::rc::Rc<janus::lm::MiniLm>, Option<usize>),
    #[cfg(feature = "torch")]
    Decoder(std::rc::Rc<janus::lm::GptEmbeddings>),
}

impl Featurizer {
    fn name(&self) -> &'static str {
        match self {
            Featurizer::Tokens(_) => "tokens",
            #[cfg(feature = "torch")]
            Featurizer::Minilm(..) => "MiniLM",
            #[cfg(feature = "torch")]
            Featurizer::Decoder(_) => "decoder",
        }
    }

    fn matrix(&self, texts: &[&str]) -> Matrix {
        let rows: Vec<Vec<f32>> = match self {
            Featurizer::Tokens(f) => texts.iter().map(|t| f.row(t)).collect(),
            #[cfg(feature = "torch")]
            Featurizer::Minilm(m, layer) => m.pooled(texts, *layer),
            #[cfg(feature = "torch")]
            Featurizer::Decoder(d) => texts.iter().map(|t| pooled_states(d, t)).collect(),
        };
        let width = rows.first().map_or(0, Vec::len);
        Matrix::new(rows.len(), width, rows.concat())
    }
}

/// A decoder's states over a text's tokens, pooled: their mean, then the last one's.
#[cfg(feature = "torch")]
fn pooled_states(d: &janus::lm::GptEmbeddings, text: &str) -> Vec<f32> {
    use janus::ardt::EmbeddingSource;
    let ids = d.tokenizer().encode(text);
    let dim = d.dim();
    let states = d.embed_sequence(&ids);
    let n = ids.len().max(1);
    let mut out = vec![0.0; 2 * dim];
    for row in states.chunks(dim) {
        for (o, v) in out.iter_mut().zip(row) {
            *o += v / n as f32;
        }
    }
    if let Some(last) = states.chunks(dim).last() {
        out[dim..].copy_from_slice(last);
    }
    out
}

/// The encoder of `--features minilm` or `decoder`, loaded once for every task.
#[cfg(feature = "torch")]
fn encoder(a: &BigBenchArgs) -> anyhow::Result<Option<Featurizer>> {
    use std::rc::Rc;
    match (a.features, &a.gpt) {
        (FeatureKind::Minilm, _) => {
            let device = crate::cli::solve::device(a.device)?;
            let m = janus::lm::MiniLm::load(&a.minilm, device)?;
            Ok(Some(Featurizer::Minilm(Rc::new(m), a.layer)))
        }
        (FeatureKind::Decoder, Some(path)) => {
            let d = janus::lm::GptEmbeddings::open(path, a.layer)?;
            Ok(Some(Featurizer::Decoder(Rc::new(d))))
        }
        _ => Ok(None),
    }
}

#[cfg(not(feature = "torch"))]
fn encoder(a: &BigBenchArgs) -> anyhow::Result<Option<Featurizer>> {
    anyhow::ensure!(
        a.features == FeatureKind::Tokens,
        "{}",
        crate::cli::needs_torch("janus ardt bigbench --features minilm|decoder")
    );
    Ok(None)
}

/// One task's results.
#[derive(serde::Serialize)]
struct Row {
    task: String,
    features: &'static str,
    train: usize,
    test: usize,
    classes: usize,
    skipped: usize,
    chance: f64,
    majority: f64,
    trees: f64,
    linear: f64,
    seconds: f64,
}

pub fn run(a: BigBenchArgs) -> anyhow::Result<()> {
    let names: Vec<String> = if a.task.is_empty() {
        TASKS
            .iter()
            .map(|t| t.to_string())
            .chain(["boolean".to_string()])
            .collect()
    } else {
        a.task.clone()
    };
    anyhow::ensure!(
        a.data.is_dir() || names.iter().all(|n| n == "boolean"),
        "{}: not a folder of BIG-Bench tasks (scripts/fetch-bigbench.sh makes one)",
        a.data.display()
    );
    let encoder = encoder(&a)?;
    if !a.json {
        outln!("| task | features | train | test | classes | chance | majority | trees | linear probe | s |");
        outln!("|---|---|---|---|---|---|---|---|---|---|");
    }
    for name in &names {
        let task = match name.as_str() {
            "boolean" => boolean_task(1000, a.seed),
            _ => match load_choice_task(&a.data, name) {
                Ok(t) => t,
                Err(e) if e.contains("free-text") => {
                    eprintln!("janus: {e}: skipped");
                    continue;
                }
                Err(e) => anyhow::bail!(e),
            },
        };
        let train_texts = |train: &[usize]| -> Featurizer {
            if let Some(e) = &encoder {
                return e.clone();
            }
            Featurizer::Tokens(TokenFeatures::fit(
                train.iter().map(|&i| task.examples[i].0.as_str()),
                a.vocab,
            ))
        };
        let row = evaluate(&task, &a, &train_texts);
        if a.json {
            outln!("{}", serde_json::to_string(&row)?);
        } else {
            outln!(
                "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} |",
                row.task,
                row.features,
                row.train,
                row.test,
                row.classes,
                row.chance,
                row.majority,
                row.trees,
                row.linear,
                row.seconds
            );
        }
    }
    Ok(())
}

/// Held-out accuracy of the majority class, trees and a linear probe on token features.
fn evaluate(
    task: &ChoiceTask,
    a: &BigBenchArgs,
    featurizer: &dyn Fn(&[usize]) -> Featurizer,
) -> Row {
    let start = Instant::now();
    let (train, test) = split(task.examples.len(), a.held_out, a.seed);
    let features = featurizer(&train);
    let matrix = |idx: &[usize]| {
        let texts: Vec<&str> = idx.iter().map(|&i| task.examples[i].0.as_str()).collect();
        features.matrix(&texts)
    };
    let labels =
        |idx: &[usize]| -> Vec<u32> { idx.iter().map(|&i| task.examples[i].1 as u32).collect() };
    let (x, y) = (matrix(&train), labels(&train));
    let (tx, ty) = (matrix(&test), labels(&test));
    let classes = task.classes.len();
    let accuracy = |predict: &dyn Fn(usize) -> u32| {
        (0..ty.len()).filter(|&r| predict(r) == ty[r]).count() as f64 / ty.len().max(1) as f64
    };
    let m = majority(&y, classes);
    let booster = Booster::train(
        &a.boost.params(a.seed),
        &x,
        Targets::Classes {
            labels: &y,
            classes,
        },
        None,
        &mut |_| {},
    );
    let mut scores = vec![0.0; classes];
    let trees = accuracy(&|r| {
        let mut s = scores.clone();
        booster.predict_row(tx.row(r), &mut s);
        (0..classes)
            .max_by(|&i, &j| s[i].total_cmp(&s[j]))
            .unwrap_or(0) as u32
    });
    scores.clear();
    let probe = LinearProbe::fit(&x, &y, classes, &ProbeConfig::default());
    Row {
        task: task.name.clone(),
        features: features.name(),
        train: train.len(),
        test: test.len(),
        classes,
        skipped: task.skipped,
        chance: task.chance,
        majority: accuracy(&|_| m),
        trees,
        linear: accuracy(&|r| probe.predict(tx.row(r))),
        seconds: start.elapsed().as_secs_f64(),
    }
}
