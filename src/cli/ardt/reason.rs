//! `janus ardt reason`: chain-of-thought reasoning tasks for the trees: generate a
//! dataset, train on it, measure exact-match accuracy by input length.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::cli::args::*;
use crate::cli::gbdt::BoostArgs;
use crate::cli::rounds::Rounds;
use crate::cli::verbosity::note;
use janus::reason::{
    generate, Automaton, Dataset, FeatureSpec, GenConfig, ReasonConfig, ReasonEval, ReasonModel,
    TaskKind, TaskSpec,
};

#[derive(Debug, Subcommand)]
pub enum ReasonCommand {
    /// Write a dataset: N examples of a task, lengths drawn from --min-len..=--len.
    Gen(GenArgs),
    /// Train trees on a dataset's target positions.
    Train(Box<ReasonTrainArgs>),
    /// Generate each example's target greedily and report exact-match accuracy of the
    /// answer, by input length.
    Eval(ReasonEvalArgs),
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// parity, modcount, automaton, addition, boolean or dyck.
    #[arg(value_parser = |s: &str| s.parse::<TaskKind>())]
    task: TaskKind,
    /// Examples.
    #[arg(long, value_parser = positive_count)]
    n: usize,
    /// The longest input (bits, symbols, digits, operands, brackets).
    #[arg(long, value_parser = positive_count)]
    len: usize,
    /// The shortest input.
    #[arg(long, value_parser = positive_count, default_value_t = 1)]
    min_len: usize,
    /// Targets with a chain-of-thought trace.
    #[arg(long)]
    cot: bool,
    /// Seed of the examples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// modcount's k.
    #[arg(long, value_parser = positive_count, default_value_t = 3)]
    modulus: usize,
    /// automaton: states of the automaton.
    #[arg(long, value_parser = positive_count, default_value_t = 5)]
    states: usize,
    /// automaton: input symbols.
    #[arg(long, value_parser = positive_count, default_value_t = 3)]
    symbols: usize,
    /// automaton: the seed the automaton is drawn from (the same for a training and a
    /// test set, unlike --seed).
    #[arg(long, default_value_t = 0)]
    automaton_seed: u64,
    /// The dataset file (JSON lines).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReasonTrainArgs {
    /// The training dataset.
    #[arg(long)]
    data: PathBuf,
    /// Where to write the model.
    #[arg(long)]
    out: PathBuf,
    /// Exact tokens read at offsets 1..=K from the end.
    #[arg(long, default_value_t = FeatureSpec::default().last)]
    last: usize,
    /// Tokens in the decayed average.
    #[arg(long, value_parser = positive_count, default_value_t = FeatureSpec::default().window)]
    window: usize,
    /// Decay per position of the average.
    #[arg(long, value_parser = non_negative::<f32>, default_value_t = FeatureSpec::default().decay)]
    decay: f32,
    /// Previous segments read at aligned indices (0: none, the offsets and average only).
    #[arg(long, default_value_t = FeatureSpec::default().segments)]
    segments: usize,
    /// Also absolute positions as features (the index in the segment, the position...):
    /// off by default, since they do not carry over to longer inputs.
    #[arg(long)]
    positions: bool,
    /// Also read the input symbol after the current step's: whether input remains, for
    /// traces whose steps are segments (`dyck`, `boolean`).
    #[arg(long)]
    next_input: bool,
    #[command(flatten)]
    boost: BoostArgs,
    /// Train on at most this many target positions.
    #[arg(long, value_parser = positive_count)]
    max_rows: Option<usize>,
    /// Seed of the trees' samples.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print a JSON summary.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ReasonEvalArgs {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// The dataset.
    #[arg(long)]
    data: PathBuf,
    /// Print JSON (`accuracy`, `exact_target`, `by_length`).
    #[arg(long)]
    json: bool,
    /// Also print the first N examples whose answer is wrong: prompt, expected target,
    /// generated target (on stderr).
    #[arg(long, default_value_t = 0)]
    show_errors: usize,
}

pub fn run(command: ReasonCommand) -> anyhow::Result<()> {
    match command {
        ReasonCommand::Gen(a) => run_gen(a),
        ReasonCommand::Train(a) => run_train(*a),
        ReasonCommand::Eval(a) => run_eval(a),
    }
}

fn run_gen(a: GenArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        a.min_len <= a.len,
        "--min-len {} is above --len {}",
        a.min_len,
        a.len
    );
    anyhow::ensure!(a.len <= 10_000, "--len is at most 10000");
    let spec = TaskSpec {
        task: a.task,
        cot: a.cot,
        modulus: (a.task == TaskKind::Modcount).then_some(a.modulus),
        automaton: (a.task == TaskKind::Automaton)
            .then(|| Automaton::random(a.states, a.symbols, a.automaton_seed)),
    };
    let config = GenConfig {
        spec: spec.clone(),
        count: a.n,
        min_len: a.min_len,
        max_len: a.len,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
    let data = Dataset {
        spec,
        seed: a.seed,
        min_len: a.min_len,
        max_len: a.len,
        examples: generate(&config, &mut rng),
    };
    data.save(&a.out)
        .with_context(|| format!("{}: cannot write", a.out.display()))?;
    note!(
        "{}: {} {} examples",
        a.out.display(),
        data.examples.len(),
        a.task
    );
    Ok(())
}

fn run_train(a: ReasonTrainArgs) -> anyhow::Result<()> {
    let data = Dataset::load(&a.data)?;
    anyhow::ensure!(
        !data.examples.is_empty(),
        "{}: no examples",
        a.data.display()
    );
    let config = ReasonConfig {
        features: FeatureSpec {
            last: a.last,
            window: a.window,
            decay: a.decay,
            segments: a.segments,
            positions: a.positions,
            next_input: a.next_input,
        },
        boost: a.boost.params(a.seed),
        max_rows: a.max_rows,
    };
    let mut rounds = Rounds::default();
    let model = ReasonModel::train(&data, &config, &mut |log| {
        let line = rounds.record(log);
        note!("{line}");
    });
    model
        .save(&a.out)
        .with_context(|| format!("{}: cannot write the model", a.out.display()))?;
    let depth = model
        .booster
        .rounds
        .iter()
        .flatten()
        .map(|t| t.depth())
        .max()
        .unwrap_or(0);
    let summary = serde_json::json!({
        "model": a.out.display().to_string(),
        "task": data.spec.task,
        "cot": data.spec.cot,
        "rows": model.rows,
        "vocab": model.vocab.len(),
        "features": model.features.width(model.vocab.len()),
        "trees": model.booster.trees(),
        "leaves": model.booster.leaves(),
        "depth": depth,
        "seconds": model.seconds,
        "rounds_log": rounds.json(),
    });
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        outln!(
            "{}: {} trees, {} leaves, depth {depth}, {} rows; trained in {:.1} s",
            a.out.display(),
            model.booster.trees(),
            model.booster.leaves(),
            model.rows,
            model.seconds
        );
    }
    Ok(())
}

fn run_eval(a: ReasonEvalArgs) -> anyhow::Result<()> {
    let model =
        ReasonModel::load(&a.model).map_err(|m| anyhow::anyhow!("{}: {m}", a.model.display()))?;
    let data = Dataset::load(&a.data)?;
    anyhow::ensure!(
        model.spec == data.spec,
        "{}: a dataset of {} (cot {}), and the model was trained on {} (cot {}){}",
        a.data.display(),
        data.spec.task,
        data.spec.cot,
        model.spec.task,
        model.spec.cot,
        if model.spec.task == data.spec.task {
            " or another automaton or modulus"
        } else {
            ""
        }
    );
    let generated = model.generations(&data);
    let eval = ReasonEval::score(&data, &generated);
    let wrong = data
        .examples
        .iter()
        .zip(&generated)
        .filter(|(e, g)| janus::reason::answer_of(g) != e.answer.as_slice());
    for (e, g) in wrong.take(a.show_errors) {
        eprintln!(
            "prompt:    {}\nexpected:  {}\ngenerated: {}\n",
            e.prompt.join(" "),
            e.target.join(" "),
            g.join(" ")
        );
    }
    if a.json {
        let mut json = serde_json::to_value(&eval)?;
        json["model"] = a.model.display().to_string().into();
        json["data"] = a.data.display().to_string().into();
        outln!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        outln!(
            "accuracy {:.4} ({} examples), whole target exact {:.4}",
            eval.accuracy,
            eval.examples,
            eval.exact_target
        );
        for l in &eval.by_length {
            outln!(
                "  length {:>5}: {:.4} of {}",
                l.length,
                l.accuracy,
                l.examples
            );
        }
    }
    Ok(())
}
