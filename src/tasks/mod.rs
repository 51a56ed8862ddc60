//! Tasks and their file formats: the 24 Game CSV (`Puzzles` column), janus JSON tasks
//! for any domain, and double-and-add target lists; plus the generators of `janus tasks gen`.

mod arc;
mod csv24;
mod gen;
mod json;
mod targets;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::io::{excerpt, QUOTED_CHARS};
pub use crate::task::{DomainKind, Example, Task, Test};
pub use gen::{double_add_targets, render_24, solvable_24, Puzzle, TargetRangeError};
pub use json::{parse as parse_json_tasks, parse_value as value_from_json, task_json, value_json};
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

/// Task files inside a directory, by the extensions janus reads, sorted. A Kaggle
/// `*_solutions.json` beside its `*_challenges.json` is read with it, not as tasks.
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
                && !arc::is_paired_solutions(p)
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The most bits a task's value may take (see [`Value::size_bits`](crate::dsl::Value)):
/// the evaluator's own limit, past which no search step could compute with it.
pub const MAX_VALUE_BITS: u64 = 1 << 16;

/// Reads the tasks of one file, choosing the format by extension: `.csv` (24 Game),
/// `.json` (janus tasks, an ARC task, or a Kaggle ARC challenges file), `.txt`
/// (double-and-add targets). A UTF-8 byte-order mark is skipped.
pub fn load_file(path: &Path) -> Result<Vec<Task>, TaskError> {
    let text = read_text(path)?;
    let tasks = match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => csv24::parse(path, &text),
        Some("json") => json::parse(path, &text),
        Some("txt") => targets::parse(path, &text),
        _ => Err(TaskError::file(path, "unknown task format: expected .csv (24 Game), .json (janus tasks) or .txt (double-and-add targets)")),
    }?;
    for task in &tasks {
        check_sizes(path, task)?;
    }
    Ok(tasks)
}

/// The text of a task file, without a UTF-8 byte-order mark.
fn read_text(path: &Path) -> Result<String, TaskError> {
    let text =
        fs::read_to_string(path).map_err(|e| TaskError::file(path, format!("cannot read: {e}")))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Refuses a task with a value past [`MAX_VALUE_BITS`].
fn check_sizes(path: &Path, task: &Task) -> Result<(), TaskError> {
    let values = task
        .examples
        .iter()
        .flat_map(|e| e.inputs.iter().chain([&e.output]));
    let tests = task
        .tests
        .iter()
        .flat_map(|t| t.inputs.iter().chain(t.output.as_ref()));
    match values.chain(tests).map(|v| v.size_bits()).max() {
        Some(bits) if bits > MAX_VALUE_BITS => Err(TaskError::at(
            path,
            format!("task {}", excerpt(&task.id, QUOTED_CHARS)),
            format!("a value of {bits} bits, more than the {MAX_VALUE_BITS} a task value may take"),
        )),
        _ => Ok(()),
    }
}

/// Tasks read from files and directories, and the files inside directories that could not
/// be read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every task read, in order.
    pub tasks: Vec<Task>,
    /// Why each unreadable file inside a directory was skipped.
    pub skipped: Vec<TaskError>,
}

/// Reads every task under the given files and directories, in order. A file named
/// directly must be read; a bad file inside a directory is skipped and reported in
/// [`Loaded::skipped`]. Two tasks with one id are refused: their results would be
/// indistinguishable.
pub fn load_paths_skipping(paths: &[PathBuf]) -> Result<Loaded, TaskError> {
    let mut loaded = Loaded::default();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for p in paths {
        let (files, named) = if p.is_dir() {
            (task_files(p)?, false)
        } else {
            (vec![p.clone()], true)
        };
        for f in files {
            let tasks = match load_file(&f) {
                Ok(tasks) => tasks,
                Err(e) if !named => {
                    loaded.skipped.push(e);
                    continue;
                }
                Err(e) => return Err(e),
            };
            for task in &tasks {
                if let Some(first) = seen.insert(task.id.clone(), f.clone()) {
                    return Err(TaskError::file(
                        &f,
                        format!(
                            "task `{}` is given twice (also in {})",
                            task.id,
                            first.display()
                        ),
                    ));
                }
            }
            loaded.tasks.extend(tasks);
        }
    }
    Ok(loaded)
}

/// Reads every task under the given files and directories, in order; any file that cannot
/// be read, or a task id given twice, is an error.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<Task>, TaskError> {
    let loaded = load_paths_skipping(paths)?;
    match loaded.skipped.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(loaded.tasks),
    }
}
