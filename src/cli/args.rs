//! Command-line spellings of library enums: each mirrors a library type variant for
//! variant, derives clap's `ValueEnum`, and converts into the library type, so that no
//! library type depends on clap.

use janus::ardt::{DocFormat, TokenizerKind};
use janus::learn::CorpusFormat;
use janus::search::Strategy;

/// Defines `$arg`, a `ValueEnum` with the variants (and docs) of the library enum `$lib`,
/// and `From<$arg> for $lib`.
macro_rules! value_enum {
    ($(#[$m:meta])* $arg:ident => $lib:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
        pub enum $arg {
            $($(#[$vm])* $v),+
        }

        impl From<$arg> for $lib {
            fn from(a: $arg) -> $lib {
                match a {
                    $($arg::$v => $lib::$v),+
                }
            }
        }
    };
}

value_enum! {
    /// Which search to run.
    StrategyArg => Strategy {
        /// Best-first over forward, inverse and conditional-inverse actions.
        Bidir,
        /// Forward actions only, smallest programs first (exhaustive enumeration).
        Forward,
    }
}

value_enum! {
    /// How documents are delimited.
    DocFormatArg => DocFormat {
        /// `<|endoftext|>` if the first megabyte contains it, else lines.
        Auto,
        /// One document per non-empty line.
        Lines,
        /// Documents separated by `<|endoftext|>`.
        EndOfText,
    }
}

value_enum! {
    /// Which kind of tokenizer to train.
    TokenizerArg => TokenizerKind {
        /// Lowercased words and punctuation; the rest `<unk>`.
        Word,
        /// Byte-level BPE (GPT-2 style).
        Bpe,
        /// WordPiece (BERT style, lowercased).
        Wordpiece,
    }
}

value_enum! {
    /// The format of a corpus file.
    CorpusFormatArg => CorpusFormat {
        /// Guess from the contents.
        Auto,
        /// A JSON array of program strings.
        Stitch,
        /// A DreamCoder frontier file.
        Dreamcoder,
        /// `janus solve --json` output.
        Janus,
    }
}

/// The longest `--timeout` accepted: a year, far past any run and far inside what a
/// `Duration` holds.
pub const MAX_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

/// The most worker threads `--jobs` accepts.
pub const MAX_JOBS: usize = 1024;

/// Checks `--timeout` (a positive number of seconds, at most [`MAX_SECONDS`]) and `--jobs`
/// (at most [`MAX_JOBS`]).
pub fn check_timeout_and_jobs(timeout: f64, jobs: usize) -> anyhow::Result<()> {
    anyhow::ensure!(
        timeout > 0.0 && timeout <= MAX_SECONDS,
        "--timeout must be a positive number of seconds, at most {MAX_SECONDS} (a year)"
    );
    anyhow::ensure!(jobs <= MAX_JOBS, "--jobs must be at most {MAX_JOBS}");
    Ok(())
}

/// A whole number of at least 1, for counts where zero means nothing would run (a clap
/// value parser).
pub fn positive_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// `--shard i/n`: the `i`-th of `n` parts of a task list (0 <= i < n), for job arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This part, from 0.
    pub index: usize,
    /// The number of parts.
    pub count: usize,
}

impl Shard {
    /// Whether the task at `position` of the list belongs to this part: every n-th task
    /// from the i-th, so that the parts' sizes differ by one at most.
    pub fn holds(self, position: usize) -> bool {
        position % self.count == self.index
    }
}

/// `i/n` with `0 <= i < n` (a clap value parser).
pub fn shard(text: &str) -> Result<Shard, String> {
    let (i, n) = text
        .split_once('/')
        .ok_or("expected i/n, as 0/4 for the first of four parts")?;
    let index: usize = i.trim().parse().map_err(|e| format!("i: {e}"))?;
    let count = positive_count(n.trim()).map_err(|e| format!("n: {e}"))?;
    if index >= count {
        return Err(format!(
            "i must be below n (parts are numbered 0 to {})",
            count - 1
        ));
    }
    Ok(Shard { index, count })
}

/// A floating-point flag value (`f32` or `f64`).
pub trait Number: std::str::FromStr<Err = std::num::ParseFloatError> + Into<f64> + Copy {}

impl Number for f32 {}
impl Number for f64 {}

/// A finite number (not NaN, not infinite) for which `ok` holds, else an error saying it
/// must be `need`.
fn number_where<T: Number>(text: &str, ok: fn(f64) -> bool, need: &str) -> Result<T, String> {
    let x: T = text
        .parse()
        .map_err(|e: std::num::ParseFloatError| e.to_string())?;
    match x.into() {
        v if !v.is_finite() => Err("must be a finite number".into()),
        v if ok(v) => Ok(x),
        _ => Err(format!("must be {need}")),
    }
}

/// A finite number above zero (a clap value parser).
pub fn positive<T: Number>(text: &str) -> Result<T, String> {
    number_where(text, |x| x > 0.0, "above zero")
}

/// A finite number of zero or more (a clap value parser).
pub fn non_negative<T: Number>(text: &str) -> Result<T, String> {
    number_where(text, |x| x >= 0.0, "zero or more")
}

/// A fraction: a number from 0 to 1 (a clap value parser).
pub fn fraction<T: Number>(text: &str) -> Result<T, String> {
    number_where(text, |x| (0.0..=1.0).contains(&x), "from 0 to 1")
}

/// A fraction above zero: a number in (0, 1] (a clap value parser).
pub fn share<T: Number>(text: &str) -> Result<T, String> {
    number_where(text, |x| x > 0.0 && x <= 1.0, "above 0 and at most 1")
}

/// An abstraction's most parameters: from 1 to [`janus::learn::MAX_ARITY`] (a clap value
/// parser).
pub fn arity(text: &str) -> Result<usize, String> {
    let n = positive_count(text)?;
    if n > janus::learn::MAX_ARITY {
        return Err(format!(
            "an abstraction may take at most {} parameters",
            janus::learn::MAX_ARITY
        ));
    }
    Ok(n)
}
