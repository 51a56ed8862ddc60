//! Tasks and their file formats: the 24 Game CSV (`Puzzles` column), janus JSON tasks
//! for any domain, and double-and-add target lists; plus the generators of `janus tasks gen`.

mod arc;
mod csv24;
mod gen;
mod json;
mod targets;

use std::fs;
use std::path::{Path, PathBuf};

pub use crate::task::{DomainKind, Example, Task, Test};
pub use gen::{double_add_targets, render_24, solvable_24, Puzzle, TargetRangeError};
pub use targets::{double_add_task, render_targets, DEFAULT_START};

/// A task file that cannot be read: the file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}{message}", path.display(), place.as_ref().map(|p| format!("{p}: ")).unwrap_or_default())]
pub struct TaskError {
    /// The file.
    pub path: PathBuf,
    /// Where in it (`line 3`, `task 2`), if known.
    pub place: Option<String>,
    /// The problem.
    pub message: String,
}

impl TaskError {
    /// An error about the whole file.
    pub fn file(path: &Path, message: impl Into<String>) -> TaskError {
        TaskError {
            path: path.to_path_buf(),
            place: None,
            message: message.into(),
        }
    }
    /// An error at a place in the file.
    pub fn at(path: &Path, place: impl Into<String>, message: impl Into<String>) -> TaskError {
        TaskError {
            path: path.to_path_buf(),
            place: Some(place.into()),
            message: message.into(),
        }
    }
}

/// Task files inside a directory, by the extensions janus reads, sorted.
fn task_files(dir: &Path) -> Result<Vec<PathBuf>, TaskError> {
    let entries = fs::read_dir(dir)
        .map_err(|e| TaskError::file(dir, format!("cannot read directory: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("csv" | "json" | "txt")
                )
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads the tasks of one file, choosing the format by extension: `.csv` (24 Game),
/// `.json` (janus tasks, an ARC task, or a Kaggle ARC challenges file), `.txt`
/// (double-and-add targets).
pub fn load_file(path: &Path) -> Result<Vec<Task>, TaskError> {
    let text =
        fs::read_to_string(path).map_err(|e| TaskError::file(path, format!("cannot read: {e}")))?;
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => csv24::parse(path, &text),
        Some("json") => json::parse(path, &text),
        Some("txt") => targets::parse(path, &text),
        _ => Err(TaskError::file(path, "unknown task format: expected .csv (24 Game), .json (janus tasks) or .txt (double-and-add targets)")),
    }
}

/// Reads every task under the given files and directories, in order.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<Task>, TaskError> {
    let mut tasks = Vec::new();
    for p in paths {
        if p.is_dir() {
            for f in task_files(p)? {
                tasks.extend(load_file(&f)?);
            }
        } else {
            tasks.extend(load_file(p)?);
        }
    }
    Ok(tasks)
}
