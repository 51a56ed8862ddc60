//! How much a command says besides its results: `-q` only results, errors and warnings;
//! the default adds progress and notes (stages, each training round); `-v` adds details
//! (solve: each task's stop reason, candidates, forward phase and second program).

use std::sync::atomic::{AtomicU8, Ordering};

static LEVEL: AtomicU8 = AtomicU8::new(NOTES);

/// Results, errors and warnings only (`-q`).
pub const QUIET: u8 = 0;
/// Progress bars and notes too (the default).
pub const NOTES: u8 = 1;
/// Details too (`-v`).
pub const DETAILS: u8 = 2;

/// Sets the level from the command line's `-q` and `-v` counts.
pub fn set(quiet: bool, verbose: u8) {
    let level = if quiet { QUIET } else { NOTES + verbose.min(1) };
    LEVEL.store(level, Ordering::Relaxed);
}

/// Whether notes and progress are shown.
pub fn notes() -> bool {
    LEVEL.load(Ordering::Relaxed) >= NOTES
}

/// Whether details are shown.
pub fn details() -> bool {
    LEVEL.load(Ordering::Relaxed) >= DETAILS
}

/// Prints a note on stderr unless `-q` was given.
macro_rules! note {
    ($($arg:tt)*) => {
        if $crate::cli::verbosity::notes() {
            eprintln!($($arg)*);
        }
    };
}
pub(crate) use note;
