//! `janus tasks gen`: write task files.

use crate::cli::verbosity::note;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use num_bigint::BigInt;

use janus::domains::DomainKind;
use janus::domains::{puzzle_key, random_24};
use janus::io::write_atomic;
use janus::tasks::render_targets;
use janus::tasks::{double_add_targets, render_24, solvable_24};

#[derive(Debug, Subcommand)]
pub enum TasksCommand {
    /// Generate task files.
    Gen {
        #[command(subcommand)]
        kind: GenKind,
    },
}

#[derive(Debug, Subcommand)]
pub enum GenKind {
    /// Every solvable 24 Game puzzle of four numbers from 1 to --max (exhaustive search).
    #[command(name = "24", alias = "24game")]
    TwentyFour {
        /// Largest number on a card.
        #[arg(long, default_value_t = 13)]
        max: u32,
        /// The number to make.
        #[arg(long, default_value_t = 24)]
        target: i64,
        /// Output CSV (stdout if absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Random 24 Game tasks: --depth operations on --depth + 1 numbers from 1 to 13 and
    /// the random target they make (janus JSON), seeded; tasks of --held-out files are
    /// never drawn.
    #[command(name = "24-random")]
    TwentyFourRandom {
        /// Operations per task.
        #[arg(long)]
        depth: usize,
        /// How many tasks.
        #[arg(long)]
        count: usize,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Task files whose puzzles must not be drawn.
        #[arg(long)]
        held_out: Vec<PathBuf>,
        /// Output file (stdout if absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Distinct random double-and-add targets in [--min, --max], seeded.
    DoubleAdd {
        /// How many targets.
        #[arg(long)]
        count: usize,
        /// Smallest target.
        #[arg(long, default_value = "3")]
        min: BigInt,
        /// Largest target (any size).
        #[arg(long)]
        max: BigInt,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output file (stdout if absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn emit(out: Option<PathBuf>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => write_atomic(&path, text.as_bytes())
            .with_context(|| format!("{}: cannot write", path.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub fn run(command: TasksCommand) -> anyhow::Result<()> {
    let TasksCommand::Gen { kind } = command;
    match kind {
        GenKind::TwentyFour { max, target, out } => {
            anyhow::ensure!((1..=100).contains(&max), "--max must be between 1 and 100");
            let puzzles = solvable_24(max, target);
            note!(
                "{} solvable puzzles of four numbers from 1 to {max} (target {target})",
                puzzles.len()
            );
            emit(out, &render_24(&puzzles))
        }
        GenKind::TwentyFourRandom {
            depth,
            count,
            seed,
            held_out,
            out,
        } => {
            anyhow::ensure!((1..=8).contains(&depth), "--depth must be between 1 and 8");
            let d = DomainKind::TwentyFour.domain();
            let held: std::collections::HashSet<_> = janus::tasks::load_paths(&held_out)?
                .iter()
                .map(|t| puzzle_key(&t.examples[0].inputs, &t.examples[0].output))
                .collect();
            let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(seed);
            let tasks: Vec<serde_json::Value> = (0..count)
                .map(|i| {
                    let s = random_24(&d, depth, &held, &mut rng);
                    let ex = &s.task.examples[0];
                    let inputs: Vec<String> = ex.inputs.iter().map(|v| v.to_string()).collect();
                    serde_json::json!({
                        "id": format!("d{depth}-{i}"),
                        "domain": DomainKind::TwentyFour.name(),
                        "inputs": inputs,
                        "target": ex.output.to_string(),
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&serde_json::json!({ "tasks": tasks }))?;
            emit(out, &(text + "\n"))
        }
        GenKind::DoubleAdd {
            count,
            min,
            max,
            seed,
            out,
        } => {
            anyhow::ensure!(min >= BigInt::from(1), "--min must be a positive integer");
            let targets = double_add_targets(count, &min, &max, seed)?;
            emit(out, &render_targets(&targets))
        }
    }
}
