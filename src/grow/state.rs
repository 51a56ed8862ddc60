//! The state folder of a grow run. Every file is written atomically (a temporary file,
//! then a rename), so a run killed at any moment leaves each file whole, old or new:
//!
//! - `settings.json`: the run's [`GrowSettings`];
//! - `wake-K.json`: iteration K's wake so far (every task attempted, and its programs),
//!   rewritten after each task;
//! - `library-K.lib`, `corpus-K.json`: the library after iteration K's sleep and the
//!   frontier corpus written with it;
//! - `log.jsonl`: one [`IterationReport`] per finished iteration; an iteration counts as
//!   done once its line is there;
//! - `library.lib`, `results.json`: the latest library and each task's first solution,
//!   for reading.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::cycle::IterationReport;
use super::settings::GrowSettings;
use crate::io::write_atomic;
use crate::learn::{Corpus, Library};

/// A state file that cannot be read or written, naming it.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading or writing failed.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not what the run wrote.
    #[error("{}: damaged ({problem}); remove the state folder to start again", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
}

/// Iteration K's wake so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Wake {
    /// The iteration, from 1.
    pub iteration: usize,
    /// Every task attempted, by id.
    pub attempted: BTreeMap<String, Attempted>,
    /// Seconds spent solving so far (over the runs that made it, when resumed).
    pub seconds: f64,
}

/// One task's wake.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attempted {
    /// Whether a program solved it.
    pub solved: bool,
    /// The programs that solve it, shortest first (at most the run's frontier).
    pub frontier: Vec<String>,
    /// Milliseconds of search.
    pub ms: f64,
}

/// One task's line of `results.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// The task id.
    pub task: String,
    /// The iteration that solved it first.
    pub solved_in: Option<usize>,
    /// The program that solved it then.
    pub program: Option<String>,
}

/// The corpus as `corpus-K.json` holds it: each task's programs.
#[derive(Serialize, Deserialize)]
struct CorpusFile {
    tasks: Vec<(String, Vec<String>)>,
}

/// A run's state folder.
#[derive(Clone, Debug)]
pub struct StateDir {
    path: PathBuf,
}

impl StateDir {
    /// The folder at `path` (created if new), without the temporary files a killed run
    /// may have left.
    pub fn open(path: &Path) -> Result<StateDir, StateError> {
        let io = |error| StateError::Io {
            path: path.to_path_buf(),
            error,
        };
        std::fs::create_dir_all(path).map_err(io)?;
        for entry in std::fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.contains(".tmp.") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(StateDir {
            path: path.to_path_buf(),
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The run's settings, where it has begun.
    pub fn settings(&self) -> Result<Option<GrowSettings>, StateError> {
        self.read_json("settings.json")
    }

    /// Records the run's settings.
    pub fn write_settings(&self, settings: &GrowSettings) -> Result<(), StateError> {
        self.write_json("settings.json", settings)
    }

    /// The reports of the iterations done.
    pub fn log(&self) -> Result<Vec<IterationReport>, StateError> {
        let path = self.path.join("log.jsonl");
        let Some(text) = self.read_text(&path)? else {
            return Ok(Vec::new());
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, line)| serde_json::from_str(line).map_err(|e| self.damaged(&path, i + 1, e)))
            .collect()
    }

    /// Records iteration `report` as done: the commit point of an iteration.
    pub fn append_log(&self, report: &IterationReport) -> Result<(), StateError> {
        let mut lines = String::new();
        for r in self.log()?.iter().chain([report]) {
            lines += &serde_json::to_string(r).expect("a report serializes");
            lines.push('\n');
        }
        self.write("log.jsonl", lines.as_bytes())
    }

    /// Iteration `k`'s wake so far (empty where it has not begun).
    pub fn wake(&self, k: usize) -> Result<Wake, StateError> {
        let wake = self.read_json(&format!("wake-{k}.json"))?;
        Ok(wake.unwrap_or(Wake {
            iteration: k,
            ..Wake::default()
        }))
    }

    /// Records a wake so far.
    pub fn write_wake(&self, wake: &Wake) -> Result<(), StateError> {
        self.write_json(&format!("wake-{}.json", wake.iteration), wake)
    }

    /// The library after iteration `k` (empty for 0).
    pub fn library(&self, k: usize) -> Result<Library, StateError> {
        if k == 0 {
            return Ok(Library::default());
        }
        let path = self.path.join(format!("library-{k}.lib"));
        let text = self.read_text(&path)?.ok_or_else(|| self.missing(&path))?;
        Library::parse(&text).map_err(|e| StateError::Damaged {
            path,
            problem: e.to_string(),
        })
    }

    /// Records the library after iteration `k`, and as the latest `library.lib`.
    pub fn write_library(&self, k: usize, library: &Library) -> Result<(), StateError> {
        let text = library.to_string();
        self.write(&format!("library-{k}.lib"), text.as_bytes())?;
        self.write("library.lib", text.as_bytes())
    }

    /// The frontier corpus after iteration `k` (empty for 0).
    pub fn corpus(&self, k: usize) -> Result<Corpus, StateError> {
        if k == 0 {
            return Ok(Corpus::default());
        }
        let name = format!("corpus-{k}.json");
        let path = self.path.join(&name);
        let file: CorpusFile = self.read_json(&name)?.ok_or_else(|| self.missing(&path))?;
        let mut corpus = Corpus::default();
        for (task, programs) in &file.tasks {
            for p in programs {
                corpus.add(task, p).map_err(|e| StateError::Damaged {
                    path: path.clone(),
                    problem: e.to_string(),
                })?;
            }
        }
        Ok(corpus)
    }

    /// Records the frontier corpus after iteration `k`.
    pub fn write_corpus(&self, k: usize, corpus: &Corpus) -> Result<(), StateError> {
        let file = CorpusFile {
            tasks: corpus.by_task(),
        };
        self.write_json(&format!("corpus-{k}.json"), &file)
    }

    /// Where the guide fine-tuned after iteration `k` is kept (`--retrain-guide`; the
    /// model file is written atomically by its writer).
    pub fn guide(&self, k: usize) -> PathBuf {
        self.path.join(format!("guide-{k}.safetensors"))
    }

    /// Records each task's first solution.
    pub fn write_results(&self, results: &[TaskResult]) -> Result<(), StateError> {
        self.write_json("results.json", &results)
    }

    fn read_json<T: for<'de> Deserialize<'de>>(&self, name: &str) -> Result<Option<T>, StateError> {
        let path = self.path.join(name);
        let Some(text) = self.read_text(&path)? else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| self.damaged(&path, e.line(), e))
    }

    fn write_json<T: Serialize + ?Sized>(&self, name: &str, value: &T) -> Result<(), StateError> {
        let text = serde_json::to_string_pretty(value).expect("state serializes");
        self.write(name, text.as_bytes())
    }

    fn read_text(&self, path: &Path) -> Result<Option<String>, StateError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(StateError::Io {
                path: path.to_path_buf(),
                error,
            }),
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<(), StateError> {
        let path = self.path.join(name);
        write_atomic(&path, bytes).map_err(|error| StateError::Io { path, error })
    }

    fn damaged(&self, path: &Path, line: usize, e: impl std::fmt::Display) -> StateError {
        StateError::Damaged {
            path: path.to_path_buf(),
            problem: format!("line {line}: {e}"),
        }
    }

    fn missing(&self, path: &Path) -> StateError {
        StateError::Damaged {
            path: path.to_path_buf(),
            problem: "missing, though the log says its iteration is done".into(),
        }
    }
}
