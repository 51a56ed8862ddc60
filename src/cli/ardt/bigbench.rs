//! `janus ardt bigbench`: BIG-Bench's multiple-choice tasks as classification: boosted
//! trees against a linear probe and the majority class, on the same features and the same
//! seeded held-out split.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::cli::args::*;
use crate::cli::gbdt::BoostArgs;
use janus::gbdt::npy::{matrix_bytes, read_matrix};
use janus::gbdt::{BoostParams, Booster, Matrix, Targets};
use janus::io::{write_atomic, Fnv1a};
use janus::reason::{
    accuracy, boolean_task, load_choice_task, majority, split, tree_class, tune_probe, tune_trees,
    ChoiceTask, LinearProbe, ProbeConfig, TokenFeatures, Tuned,
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
    /// With --features minilm: the states after this many of its 6 layers (all by
    /// default). Several, comma-separated, with --tune: each model takes the layer its
    /// cross-validation on the training part prefers (one encoder pass per layer).
    #[arg(long, value_delimiter = ',')]
    layer: Vec<usize>,
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
    /// Choose each model's settings by k-fold cross-validation on the training part, from
    /// a fixed grid (trees: depth 2, 4 or 6 at learning rate 0.1 with early stopping,
    /// replacing --rounds, --max-depth, --learning-rate, --subsample and --colsample; the
    /// probe: its L2 penalty).
    #[arg(long)]
    tune: bool,
    /// Score each option apart, as BIG-Bench scores a language model: the input with one
    /// option is a row, the models learn right from wrong options, and an example's
    /// answer is its best-scored option (instead of predicting the class, or the letter
    /// where options differ).
    #[arg(long)]
    per_option: bool,
    /// The folds of --tune.
    #[arg(value_parser = positive_count, long, default_value_t = 3)]
    folds: usize,
    /// With --features minilm or decoder: a folder that keeps each task's feature rows
    /// (`<task>-<features>-<key>.npy`, the key a hash of the texts and the encoder), so
    /// that a later run reads them instead of running the encoder again.
    #[arg(long)]
    cache: Option<PathBuf>,
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
enum Featurizer {
    Tokens(TokenFeatures),
    #[cfg(feature = "torch")]
    Minilm(std::rc::Rc<janus::lm::MiniLm>),
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

    /// The rows of `texts`; an encoder's states after `layer` of its blocks (all: `None`).
    fn matrix(&self, texts: &[&str], layer: Option<usize>) -> Matrix {
        let _ = layer; // (read by the encoders only)
        let rows: Vec<Vec<f32>> = match self {
            Featurizer::Tokens(f) => texts.iter().map(|t| f.row(t)).collect(),
            #[cfg(feature = "torch")]
            Featurizer::Minilm(m) => m.pooled(texts, layer),
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
            Ok(Some(Featurizer::Minilm(Rc::new(m))))
        }
        (FeatureKind::Decoder, Some(path)) => {
            anyhow::ensure!(a.layer.len() <= 1, "--features decoder takes one --layer");
            let d = janus::lm::GptEmbeddings::open(path, a.layer.first().copied())?;
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
    /// The trees' depth and rounds (chosen by --tune, or given).
    tree_depth: usize,
    tree_rounds: usize,
    /// The probe's L2 penalty.
    probe_l2: f32,
    /// The encoder layer each model's features come from (`None`: the last, or tokens).
    tree_layer: Option<usize>,
    probe_layer: Option<usize>,
    /// Whether each option was scored apart (`--per-option`).
    per_option: bool,
    /// With --tune: the cross-validated accuracies the settings were chosen by.
    cv_trees: Option<f64>,
    cv_probe: Option<f64>,
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
    anyhow::ensure!(
        a.layer.len() <= 1 || a.tune,
        "several --layer values need --tune (cross-validation chooses among them)"
    );
    if !a.json {
        outln!("| task | features | train | test | classes | chance | majority | trees | linear probe | trees' depth, rounds | probe's L2 | layers (trees, probe) | s |");
        outln!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
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
        // The rows' texts: one per example, or with --per-option one per option.
        let texts: Vec<&str> = if a.per_option {
            task.option_texts
                .iter()
                .flatten()
                .map(String::as_str)
                .collect()
        } else {
            task.examples.iter().map(|e| e.0.as_str()).collect()
        };
        let features = |train: &[usize]| -> anyhow::Result<Features> {
            match &encoder {
                Some(e) => {
                    let layers = layers(e, &a.layer);
                    let rows = layers
                        .iter()
                        .map(|&layer| Ok((layer, encoded_rows(e, &texts, &task.name, &a, layer)?)));
                    Ok((rows.collect::<anyhow::Result<_>>()?, e.name()))
                }
                None => {
                    let f = TokenFeatures::fit(train.iter().map(|&i| texts[i]), a.vocab);
                    let tokens = Featurizer::Tokens(f);
                    Ok((vec![(None, tokens.matrix(&texts, None))], tokens.name()))
                }
            }
        };
        let row = if a.per_option {
            evaluate_per_option(&task, &a, &features)?
        } else {
            evaluate(&task, &a, &features)?
        };
        if a.json {
            outln!("{}", serde_json::to_string(&row)?);
        } else {
            outln!(
                "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {}, {} | {} | {}, {} | {:.1} |",
                row.task,
                row.features,
                row.train,
                row.test,
                row.classes,
                row.chance,
                row.majority,
                row.trees,
                row.linear,
                row.tree_depth,
                row.tree_rounds,
                row.probe_l2,
                layer_name(row.tree_layer),
                layer_name(row.probe_layer),
                row.seconds
            );
        }
    }
    Ok(())
}

/// A layer as the table writes it: its number, or `last`.
fn layer_name(layer: Option<usize>) -> String {
    layer.map_or("last".to_string(), |l| l.to_string())
}

/// The encoder's feature rows of `texts`: read from `--cache` where a run with the same
/// texts and encoder left them, else computed (and left there).
fn encoded_rows(
    e: &Featurizer,
    texts: &[&str],
    task: &str,
    a: &BigBenchArgs,
    layer: Option<usize>,
) -> anyhow::Result<Matrix> {
    let Some(dir) = &a.cache else {
        return Ok(e.matrix(texts, layer));
    };
    let mut key = Fnv1a::default();
    key.eat(encoder_identity(a, layer).as_bytes());
    for t in texts {
        key.eat(t.as_bytes());
        key.eat(&[0]);
    }
    let stem: String = task
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let path = dir.join(format!("{stem}-{}-{:016x}.npy", e.name(), key.finish()));
    if path.is_file() {
        let m = read_matrix(&path).with_context(|| format!("{}", path.display()))?;
        anyhow::ensure!(
            m.rows() == texts.len(),
            "{}: {} rows cached for {} texts (remove the file)",
            path.display(),
            m.rows(),
            texts.len()
        );
        return Ok(m);
    }
    let m = e.matrix(texts, layer);
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    write_atomic(&path, &matrix_bytes(&m)).with_context(|| format!("{}", path.display()))?;
    Ok(m)
}

/// The layers `--layer` asks of encoder `e`, each `None` where it is the last (so that
/// `6` and the default are one set of rows, and one cache entry).
fn layers(e: &Featurizer, asked: &[usize]) -> Vec<Option<usize>> {
    let depth = match e {
        #[cfg(feature = "torch")]
        Featurizer::Minilm(m) => m.config.num_hidden_layers as usize,
        _ => usize::MAX,
    };
    if asked.is_empty() {
        return vec![None];
    }
    let mut out: Vec<Option<usize>> = asked.iter().map(|&l| (l < depth).then_some(l)).collect();
    out.dedup();
    out
}

/// What makes one encoder's rows differ from another's: the feature kind, the layer, and
/// the model's path, size and time of change.
fn encoder_identity(a: &BigBenchArgs, layer: Option<usize>) -> String {
    let model = match a.features {
        FeatureKind::Decoder => a.gpt.clone().unwrap_or_default(),
        _ => a.minilm.clone(),
    };
    let stamp = std::fs::metadata(&model)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("{:?} {:?} {} {stamp}", a.features, layer, model.display())
}

/// Every example's feature rows, once per encoder layer asked for, and the features'
/// name.
type Features = (Vec<(Option<usize>, Matrix)>, &'static str);

/// [`Features`] fitted on the training indices given.
type FeatureRows<'a> = dyn Fn(&[usize]) -> anyhow::Result<Features> + 'a;

/// Held-out accuracy of the majority class, trees and a linear probe on the same rows:
/// `features` gives every example's row (fitted on the training indices it is given) and
/// the features' name.
fn evaluate(task: &ChoiceTask, a: &BigBenchArgs, features: &FeatureRows) -> anyhow::Result<Row> {
    let start = Instant::now();
    let (train, test) = split(task.examples.len(), a.held_out, a.seed);
    let (by_layer, name) = features(&train)?;
    let labels =
        |idx: &[usize]| -> Vec<u32> { idx.iter().map(|&i| task.examples[i].1 as u32).collect() };
    let (y, ty) = (labels(&train), labels(&test));
    let classes = task.classes.len();
    let fitted = Fitted::fit(&by_layer, &train, &y, classes, a);
    let held_out = |at: usize| by_layer[at].1.select_rows(&test);
    let scores = Scores {
        majority: majority_accuracy(task, &train, &test),
        trees: accuracy(&held_out(fitted.tree_at), &ty, |row| {
            tree_class(&fitted.booster, row, classes)
        }),
        linear: accuracy(&held_out(fitted.probe_at), &ty, |row| {
            fitted.probe.predict(row)
        }),
    };
    Ok(fitted.row(task, name, (&train, &test), scores, false, start))
}

/// The share of the `test` examples whose class is the commonest of the `train` ones.
fn majority_accuracy(task: &ChoiceTask, train: &[usize], test: &[usize]) -> f64 {
    let class = |e: &usize| task.examples[*e].1 as u32;
    let m = majority(
        &train.iter().map(class).collect::<Vec<_>>(),
        task.classes.len(),
    );
    let hits = test.iter().filter(|e| class(e) == m).count();
    hits as f64 / test.len().max(1) as f64
}

/// Trees and a linear probe fitted on the training rows of one of the layers' feature
/// rows each: with --tune, the layer and settings each one's cross-validation prefers.
struct Fitted {
    /// The index of the layer the trees read, and the layer.
    tree_at: usize,
    tree_layer: Option<usize>,
    params: BoostParams,
    cv_trees: Option<f64>,
    booster: Booster,
    probe_at: usize,
    probe_layer: Option<usize>,
    probe_config: ProbeConfig,
    cv_probe: Option<f64>,
    probe: LinearProbe,
}

/// Held-out accuracies: the majority class, the trees, the probe.
struct Scores {
    majority: f64,
    trees: f64,
    linear: f64,
}

impl Fitted {
    /// Both models on rows `train` of each layer's rows, with labels `y` of `classes`.
    fn fit(
        by_layer: &[(Option<usize>, Matrix)],
        train: &[usize],
        y: &[u32],
        classes: usize,
        a: &BigBenchArgs,
    ) -> Fitted {
        let parts: Vec<(Option<usize>, Matrix)> = by_layer
            .iter()
            .map(|(layer, all)| (*layer, all.select_rows(train)))
            .collect();
        let (tree_at, params, cv_trees) = if a.tune {
            let (at, t) = best(&parts, |x| {
                tune_trees(x, y, classes, a.folds, &a.boost.params(a.seed))
            });
            (at, t.config, Some(t.cv_accuracy))
        } else {
            (0, a.boost.params(a.seed), None)
        };
        let (probe_at, probe_config, cv_probe) = if a.tune {
            let (at, t) = best(&parts, |x| tune_probe(x, y, classes, a.folds, a.seed));
            (at, t.config, Some(t.cv_accuracy))
        } else {
            (0, ProbeConfig::default(), None)
        };
        let targets = Targets::Classes { labels: y, classes };
        let booster = Booster::train(&params, &parts[tree_at].1, targets, None, &mut |_| {});
        let probe = LinearProbe::fit(&parts[probe_at].1, y, classes, &probe_config);
        Fitted {
            tree_at,
            tree_layer: by_layer[tree_at].0,
            params,
            cv_trees,
            booster,
            probe_at,
            probe_layer: by_layer[probe_at].0,
            probe_config,
            cv_probe,
            probe,
        }
    }

    /// The table row of `task` (the training and held-out examples' indices given).
    fn row(
        &self,
        task: &ChoiceTask,
        features: &'static str,
        (train, test): (&[usize], &[usize]),
        scores: Scores,
        per_option: bool,
        start: Instant,
    ) -> Row {
        Row {
            task: task.name.clone(),
            features,
            train: train.len(),
            test: test.len(),
            classes: task.classes.len(),
            skipped: task.skipped,
            chance: task.chance,
            majority: scores.majority,
            trees: scores.trees,
            linear: scores.linear,
            tree_depth: self.params.max_depth,
            tree_rounds: self.booster.rounds.len(),
            probe_l2: self.probe_config.l2,
            tree_layer: self.tree_layer,
            probe_layer: self.probe_layer,
            per_option,
            cv_trees: self.cv_trees,
            cv_probe: self.cv_probe,
            seconds: start.elapsed().as_secs_f64(),
        }
    }
}

/// The index of the part whose tuning scores best in cross-validation (the first among
/// equals), with that tuning.
fn best<C>(
    parts: &[(Option<usize>, Matrix)],
    tune: impl Fn(&Matrix) -> Tuned<C>,
) -> (usize, Tuned<C>) {
    let mut tuned: Vec<(usize, Tuned<C>)> = parts
        .iter()
        .enumerate()
        .map(|(i, (_, x))| (i, tune(x)))
        .collect();
    let top = (0..tuned.len())
        .reduce(|b, i| {
            if tuned[i].1.cv_accuracy > tuned[b].1.cv_accuracy {
                i
            } else {
                b
            }
        })
        .expect("at least one part");
    tuned.swap_remove(top)
}

/// [`evaluate`] with each option scored apart: `features` gives one row per option of
/// every example (in [`ChoiceTask::option_texts`] order), the models learn whether an
/// option is the right one (cross-validated, where tuned, on that binary question), and
/// an example's answer is the option they score highest.
fn evaluate_per_option(
    task: &ChoiceTask,
    a: &BigBenchArgs,
    features: &FeatureRows,
) -> anyhow::Result<Row> {
    let start = Instant::now();
    let (train, test) = split(task.examples.len(), a.held_out, a.seed);
    // Each example's rows, and the rows of a set of examples with their labels.
    let mut first = vec![0];
    for options in &task.option_texts {
        first.push(first.last().expect("one") + options.len());
    }
    let rows_of = |e: usize| first[e]..first[e + 1];
    let right_row = |e: usize| first[e] + task.examples[e].1;
    let train_rows: Vec<usize> = train.iter().flat_map(|&e| rows_of(e)).collect();
    let y: Vec<u32> = train
        .iter()
        .flat_map(|&e| rows_of(e).map(move |r| u32::from(r == right_row(e))))
        .collect();
    let (by_layer, name) = features(&train_rows)?;
    let fitted = Fitted::fit(&by_layer, &train_rows, &y, 2, a);
    let tree_score = |row: &[f32]| {
        let mut out = vec![0.0; fitted.booster.outputs()];
        fitted.booster.predict_row(row, &mut out);
        right_score(&out)
    };
    let probe_score = |row: &[f32]| right_score(&fitted.probe.class_scores(row));
    // The share of held-out examples whose best-scored option is the right one.
    let held_out = |at: usize, score: &dyn Fn(&[f32]) -> f32| {
        let all = &by_layer[at].1;
        let hits = test.iter().filter(|&&e| {
            let best = rows_of(e).max_by(|&i, &j| score(all.row(i)).total_cmp(&score(all.row(j))));
            best == Some(right_row(e))
        });
        hits.count() as f64 / test.len().max(1) as f64
    };
    let scores = Scores {
        majority: majority_accuracy(task, &train, &test),
        trees: held_out(fitted.tree_at, &tree_score),
        linear: held_out(fitted.probe_at, &probe_score),
    };
    Ok(fitted.row(task, name, (&train, &test), scores, true, start))
}

/// How strongly a model's scores (one output, or one per class: wrong, right) say
/// "right".
fn right_score(out: &[f32]) -> f32 {
    match out {
        [logit] => *logit,
        [wrong, right, ..] => right - wrong,
        [] => 0.0,
    }
}
