//! The dataset file: JSON lines. The first line says what the dataset is:
//!
//! ```json
//! {"format": "janus-reason", "version": 1, "spec": {"task": "parity", "cot": true},
//!  "seed": 0, "min_len": 1, "max_len": 8, "count": 1000}
//! ```
//!
//! (`spec` holds `modulus` for `modcount` and the `automaton` for `automaton`). Each
//! further line is one example, its tokens separated by spaces:
//!
//! ```json
//! {"prompt": "1 0 1 =", "target": "1 1 0 => 0 <end>", "answer": "0", "length": 3}
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::tasks::{Example, TaskKind, TaskSpec, END};
use crate::io::{excerpt, write_atomic, QUOTED_CHARS};

/// The `format` of the first line.
pub const FORMAT: &str = "janus-reason";
/// The format's version.
pub const VERSION: u32 = 1;
/// The most tokens an example may have (prompt and target).
pub const MAX_TOKENS: usize = 100_000;

/// A dataset: what it is, and its examples.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// The task and form.
    pub spec: TaskSpec,
    /// The generator's seed, and the lengths drawn (for the record).
    pub seed: u64,
    /// The shortest length drawn.
    pub min_len: usize,
    /// The longest length drawn.
    pub max_len: usize,
    /// The examples.
    pub examples: Vec<Example>,
}

/// A dataset file that cannot be read: the file, the line, the problem.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {place}{message}")]
pub struct DataError {
    /// The file.
    pub path: String,
    /// `line N: `, where known.
    pub place: String,
    /// What is wrong.
    pub message: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    spec: TaskSpec,
    seed: u64,
    min_len: usize,
    max_len: usize,
    count: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    prompt: String,
    target: String,
    answer: String,
    length: usize,
}

fn tokens(text: &str) -> Vec<String> {
    text.split_whitespace().map(String::from).collect()
}

impl Dataset {
    /// The file's text.
    pub fn to_jsonl(&self) -> String {
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            spec: self.spec.clone(),
            seed: self.seed,
            min_len: self.min_len,
            max_len: self.max_len,
            count: self.examples.len(),
        };
        let mut out = json!(header).to_string();
        out.push('\n');
        for e in &self.examples {
            let line = Line {
                prompt: e.prompt.join(" "),
                target: e.target.join(" "),
                answer: e.answer.join(" "),
                length: e.length,
            };
            out += &json!(line).to_string();
            out.push('\n');
        }
        out
    }

    /// Writes the file atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        write_atomic(path, self.to_jsonl().as_bytes())
    }

    /// Reads a dataset file, checking its header and every example.
    pub fn load(path: &Path) -> Result<Dataset, DataError> {
        let err = |place: String, message: String| DataError {
            path: path.display().to_string(),
            place,
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(String::new(), e.to_string()))?;
        Dataset::parse(&text).map_err(|(line, message)| match line {
            0 => err(String::new(), message),
            n => err(format!("line {n}: "), message),
        })
    }

    /// Parses a dataset's text; an error gives the line (1-based; 0 for the whole file).
    pub fn parse(text: &str) -> Result<Dataset, (usize, String)> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, first) = lines
            .next()
            .ok_or((0, "empty: no header line".to_string()))?;
        let header: Header = serde_json::from_str(first)
            .map_err(|e| (1, format!("not a janus-reason header: {e}")))?;
        if header.format != FORMAT || header.version != VERSION {
            return Err((
                1,
                format!(
                    "format {} version {}, this janus reads {FORMAT} version {VERSION}",
                    header.format, header.version
                ),
            ));
        }
        if let Some(a) = &header.spec.automaton {
            a.check().map_err(|m| (1, m))?;
        }
        if header.spec.task == TaskKind::Automaton && header.spec.automaton.is_none() {
            return Err((1, "an automaton dataset must give its automaton".into()));
        }
        let mut examples = Vec::new();
        for (i, line) in lines {
            let at = i + 1;
            let l: Line = serde_json::from_str(line).map_err(|e| {
                (
                    at,
                    format!("not an example ({e}): {}", excerpt(line, QUOTED_CHARS)),
                )
            })?;
            let e = Example {
                prompt: tokens(&l.prompt),
                target: tokens(&l.target),
                answer: tokens(&l.answer),
                length: l.length,
            };
            if e.prompt.is_empty() || e.target.last().map(String::as_str) != Some(END) {
                return Err((at, format!("a prompt, and a target that ends with {END}")));
            }
            if e.prompt.len() + e.target.len() > MAX_TOKENS {
                return Err((at, format!("more than {MAX_TOKENS} tokens")));
            }
            examples.push(e);
        }
        Ok(Dataset {
            spec: header.spec,
            seed: header.seed,
            min_len: header.min_len,
            max_len: header.max_len,
            examples,
        })
    }
}
