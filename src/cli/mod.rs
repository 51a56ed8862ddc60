//! The command line: one file per command. Exit status 0 when a command ran, 2 for bad
//! usage or unreadable input (one line on stderr naming the file and the problem).

/// `println!` that returns a write error (the reader closed the pipe) instead of
/// panicking; `main` treats a broken pipe as a normal end.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

mod ardt;
mod args;
#[cfg(feature = "torch")]
mod baseline;
mod dsl;
mod gbdt;
mod grow;
#[cfg(feature = "torch")]
mod guide;
mod learn;
mod rounds;
mod show;
mod solve;
mod stream;
mod tasks;
mod verbosity;

use clap::{Parser, Subcommand};

/// janus: program synthesis by bidirectional search over inverse semantics.
#[derive(Debug, Parser)]
#[command(name = "janus", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only results, errors and warnings: no progress, no notes (`solve`: the
    /// summary without the table).
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print details too (`solve`: each task's stop reason, candidates, forward phase
    /// and second program).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Solve task files (24 Game CSV, janus JSON, double-and-add target lists).
    Solve(solve::SolveArgs),
    /// Draw an ARC task's pairs (and a program's predictions) in the terminal or as SVG.
    Show(show::ShowArgs),
    /// Generate task files.
    Tasks {
        #[command(subcommand)]
        command: tasks::TasksCommand,
    },
    /// Auto-regressive decision-tree language models: train, generate, evaluate, inspect.
    Ardt {
        #[command(subcommand)]
        command: ardt::ArdtCommand,
    },
    /// The DSL's primitives: `janus dsl list [--domain D] [--json]`.
    Dsl {
        #[command(subcommand)]
        command: dsl::DslCommand,
    },
    /// Learn a library of abstractions from a corpus of programs (Stitch-style compression).
    Learn(learn::LearnArgs),
    /// Grow a library, DreamCoder's loop: solve, learn abstractions from the programs
    /// found, solve again with them; resumable from its --state folder.
    Grow(grow::GrowArgs),
    /// Gradient-boosted trees on `.npy` arrays (the ARDT's learner on its own).
    Gbdt {
        #[command(subcommand)]
        command: gbdt::GbdtCommand,
    },
    /// Print a completion script for a shell: `janus completions bash >
    /// ~/.local/share/bash-completion/completions/janus` (zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Train policy networks that guide the search (needs the `torch` feature).
    #[cfg(feature = "torch")]
    Guide {
        #[command(subcommand)]
        command: guide::GuideCommand,
    },
    /// Train policy networks that guide the search (needs the `torch` feature, which this
    /// build lacks).
    #[cfg(not(feature = "torch"))]
    Guide(WithoutTorch),
}

/// The arguments of a command this build cannot run, taken as they come, so that it can
/// say why instead of "unrecognized subcommand".
#[cfg(not(feature = "torch"))]
#[derive(Debug, clap::Args)]
pub struct WithoutTorch {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

/// The error of a command that needs libtorch, on a build without it: one line.
#[cfg(not(feature = "torch"))]
pub fn needs_torch(command: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`{command}` needs libtorch, and this janus was built without the `torch` feature \
         (build with default features: `cargo install --path .`)"
    )
}

/// A progress bar on stderr, hidden when stderr is not a terminal.
fn bar(len: u64, what: &str) -> anyhow::Result<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || !verbosity::notes() {
        return Ok(indicatif::ProgressBar::hidden());
    }
    let bar = indicatif::ProgressBar::new(len);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what} {{elapsed}}");
    bar.set_style(indicatif::ProgressStyle::with_template(&template)?);
    Ok(bar)
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    verbosity::set(cli.quiet, cli.verbose);
    let result = match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Show(args) => show::run(args),
        Command::Tasks { command } => tasks::run(command),
        Command::Gbdt { command } => gbdt::run(command),
        Command::Learn(args) => learn::run(args),
        Command::Grow(args) => grow::run(args),
        Command::Dsl { command } => dsl::run(command),
        Command::Ardt { command } => ardt::run(command),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Into a buffer first: the generator panics when its writer fails (`| head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "janus", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script).map_err(Into::into)
        }
        #[cfg(feature = "torch")]
        Command::Guide { command } => guide::run(command),
        #[cfg(not(feature = "torch"))]
        Command::Guide(_) => Err(needs_torch("janus guide")),
    };
    match result {
        Ok(()) => 0,
        // The reader went away (`janus solve ... | head`): not an error of ours.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            0
        }
        Err(e) => {
            eprintln!("janus: error: {e:#}");
            2
        }
    }
}
