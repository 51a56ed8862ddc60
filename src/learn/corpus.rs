//! Corpora of programs to learn from, in three formats:
//!
//! - `stitch`: a JSON array of program strings in Stitch syntax (each program its own task);
//! - `dreamcoder`: a DreamCoder frontier file (`frontiers[].programs[].program`, tasks from
//!   `frontiers[].task`), its `#(lambda ...)` inventions renamed `dreamcoder_abstraction_N`
//!   as Stitch's `from_dreamcoder` does;
//! - `janus`: the newline-delimited JSON of `janus solve --json`, the `program` of each
//!   solved task.

use std::path::{Path, PathBuf};

use egg::RecExpr;
use serde_json::Value;

use super::term::{parse_term, Lambda};
use crate::io::{excerpt, QUOTED_CHARS};

/// The format of a corpus file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFormat {
    /// Guess from the contents: a JSON array is `stitch`, an object with `frontiers` is
    /// `dreamcoder`, JSON lines are `janus`.
    Auto,
    /// A JSON array of program strings.
    Stitch,
    /// A DreamCoder frontier file.
    Dreamcoder,
    /// `janus solve --json` output.
    Janus,
}

/// A corpus file that could not be read, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct CorpusError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

/// A program of a corpus that cannot be read: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("program {index}: {problem}")]
pub struct ProgramError {
    /// Its position in the corpus, from 0.
    pub index: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// Programs grouped into tasks: the learner's objective counts each task's cheapest program.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The programs.
    pub programs: Vec<RecExpr<Lambda>>,
    /// The task of each program (an index into `tasks`).
    pub task_of_program: Vec<u32>,
    /// Task names.
    pub tasks: Vec<String>,
    /// The janus domain of the programs, when the corpus says (`janus solve --json`).
    pub domain: Option<String>,
}

impl Corpus {
    /// A corpus of program strings, each its own task.
    pub fn from_strings<S: AsRef<str>>(programs: &[S]) -> Result<Corpus, ProgramError> {
        let mut corpus = Corpus::default();
        for (i, p) in programs.iter().enumerate() {
            corpus.push(p.as_ref(), &i.to_string(), i)?;
        }
        Ok(corpus)
    }

    /// Adds `program` to the task called `task` (a new task if none is).
    pub fn add(&mut self, task: &str, program: &str) -> Result<(), ProgramError> {
        self.push(program, task, self.programs.len())
    }

    /// The programs of each task, in task order, printed.
    pub fn by_task(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> =
            self.tasks.iter().map(|t| (t.clone(), Vec::new())).collect();
        for (p, &t) in self.programs.iter().zip(&self.task_of_program) {
            out[t as usize].1.push(super::term::print_term(p));
        }
        out
    }

    /// Reads a corpus file.
    pub fn load(path: &Path, format: CorpusFormat) -> Result<Corpus, CorpusError> {
        let error = |message: String| CorpusError {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
        let format = match format {
            CorpusFormat::Auto => guess(&text),
            f => f,
        };
        match format {
            CorpusFormat::Stitch | CorpusFormat::Auto => stitch(&text),
            CorpusFormat::Dreamcoder => dreamcoder(&text),
            CorpusFormat::Janus => janus(&text),
        }
        .map_err(error)
        .and_then(|c| {
            if c.programs.is_empty() {
                Err(error("no programs".into()))
            } else {
                Ok(c)
            }
        })
    }

    /// The corpus cost under `model`: the sum over tasks of the cheapest program's cost.
    pub fn cost(&self, model: &super::dag::CostModel) -> i64 {
        let mut best = vec![i64::MAX; self.tasks.len()];
        for (p, &t) in self.programs.iter().zip(&self.task_of_program) {
            best[t as usize] = best[t as usize].min(model.of(p));
        }
        best.iter().filter(|&&c| c != i64::MAX).sum()
    }

    /// Adds a program to the task named `task` (created if new); `what` names it in errors.
    fn push(&mut self, program: &str, task: &str, index: usize) -> Result<(), ProgramError> {
        let error = |problem| ProgramError { index, problem };
        let program = &unmarked(program);
        let expr = parse_term(program)
            .map_err(|e| error(format!("{e}: `{}`", excerpt(program, QUOTED_CHARS))))?;
        if expr.as_ref().iter().any(|n| matches!(n, Lambda::Param(_))) {
            return Err(error(
                "`#i` parameters belong in abstraction bodies, not programs".into(),
            ));
        }
        let t = match self.tasks.iter().rposition(|name| name == task) {
            Some(t) => t,
            None => {
                self.tasks.push(task.to_string());
                self.tasks.len() - 1
            }
        };
        self.programs.push(expr);
        self.task_of_program.push(t as u32);
        Ok(())
    }
}

/// `program` with the `#` that `janus solve` writes before a learned abstraction's name
/// (`#fn_0`) dropped: the learner and the library name abstractions plainly. `#` before a
/// digit (a parameter) stays.
fn unmarked(program: &str) -> String {
    let mut out = String::with_capacity(program.len());
    let mut chars = program.chars().peekable();
    while let Some(c) = chars.next() {
        let names_abstraction = chars.peek().is_some_and(|n| n.is_alphabetic() || *n == '_');
        if !(c == '#' && names_abstraction) {
            out.push(c);
        }
    }
    out
}

fn guess(text: &str) -> CorpusFormat {
    let start = text.trim_start();
    if start.starts_with('[') {
        CorpusFormat::Stitch
    } else if start.starts_with('{')
        && serde_json::from_str::<Value>(text).is_ok_and(|v| v.get("frontiers").is_some())
    {
        CorpusFormat::Dreamcoder
    } else {
        CorpusFormat::Janus
    }
}

fn json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

fn stitch(text: &str) -> Result<Corpus, String> {
    let programs: Vec<String> = serde_json::from_value(json(text)?)
        .map_err(|_| "expected a JSON array of program strings".to_string())?;
    Corpus::from_strings(&programs).map_err(|e| e.to_string())
}

fn dreamcoder(text: &str) -> Result<Corpus, String> {
    let v = json(text)?;
    let frontiers = v["frontiers"]
        .as_array()
        .ok_or("a DreamCoder file needs a `frontiers` array")?;
    let mut inventions: Vec<&str> = v["DSL"]["productions"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["expression"].as_str())
                .filter(|e| e.starts_with('#'))
                .collect()
        })
        .unwrap_or_default();
    inventions.sort_by_key(|e| e.len());
    let mut corpus = Corpus::default();
    let mut count = 0;
    for (i, frontier) in frontiers.iter().enumerate() {
        let task = frontier["task"]
            .as_str()
            .map_or_else(|| i.to_string(), str::to_string);
        let programs = frontier["programs"]
            .as_array()
            .ok_or_else(|| format!("frontier {i} has no `programs` array"))?;
        for p in programs {
            let mut program = p["program"]
                .as_str()
                .ok_or_else(|| format!("frontier {i}: a program without a `program` string"))?
                .to_string();
            // Longest first, so that no invention's text is mangled inside a longer one.
            for (n, invention) in inventions.iter().enumerate().rev() {
                program = program.replace(invention, &format!("dreamcoder_abstraction_{n}"));
            }
            if program.contains('#') {
                return Err(format!(
                    "frontier {i}: an invention not in the DSL: `{program}`"
                ));
            }
            corpus
                .push(&program, &task, count)
                .map_err(|e| e.to_string())?;
            count += 1;
        }
    }
    Ok(corpus)
}

fn janus(text: &str) -> Result<Corpus, String> {
    let mut corpus = Corpus::default();
    let mut domains: Vec<String> = Vec::new();
    for (line_no, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("line {}: not JSON: {e}", line_no + 1))?;
        if let Some(program) = v["program"].as_str() {
            let task = v["task"].as_str().unwrap_or("").to_string();
            let task = if task.is_empty() {
                line_no.to_string()
            } else {
                task
            };
            if let Some(d) = v["domain"].as_str() {
                if !domains.iter().any(|x| x == d) {
                    domains.push(d.to_string());
                }
            }
            corpus
                .push(program, &task, line_no + 1)
                .map_err(|e| format!("line {}: {e}", line_no + 1))?;
        }
    }
    if domains.len() == 1 {
        corpus.domain = domains.pop();
    }
    Ok(corpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dreamcoder_inventions_are_renamed_longest_first() {
        let text = r##"{"DSL": {"productions": [{"expression": "#(lambda (f $0))"},
            {"expression": "#(lambda (g #(lambda (f $0))))"}, {"expression": "car"}]},
            "frontiers": [{"task": "t", "programs": [{"program": "(lambda (#(lambda (g #(lambda (f $0)))) $0))"},
                                                    {"program": "(#(lambda (f $0)) car)"}]}]}"##;
        let c = dreamcoder(text).unwrap();
        assert_eq!(c.programs.len(), 2);
        assert_eq!(c.task_of_program, [0, 0]);
        assert_eq!(
            crate::learn::print_term(&c.programs[0]),
            "(lam (dreamcoder_abstraction_1 $0))"
        );
    }

    #[test]
    fn janus_solutions_skip_unsolved_tasks_and_the_summary() {
        let text = "{\"task\":\"a\",\"program\":\"(lam (add $0 1))\"}\n{\"task\":\"b\",\"program\":null}\n{\"summary\":{}}\n";
        let c = janus(text).unwrap();
        assert_eq!(c.programs.len(), 1);
        assert_eq!(c.tasks, ["a"]);
        assert_eq!(c.domain, None);
        let c = janus("{\"task\":\"a\",\"domain\":\"24\",\"program\":\"(lam $0)\"}").unwrap();
        assert_eq!(c.domain.as_deref(), Some("24"));
    }

    #[test]
    fn abstractions_lose_the_mark_janus_solve_gives_them() {
        let c = janus("{\"task\":\"a\",\"program\":\"(lam (#fn_10 (#fn_2 $0)))\"}").unwrap();
        assert_eq!(
            crate::learn::print_term(&c.programs[0]),
            "(lam (fn_10 (fn_2 $0)))"
        );
        assert!(stitch("[\"(f #0)\"]").unwrap_err().contains("parameters"));
    }

    #[test]
    fn bad_corpora_are_refused_with_the_reason() {
        assert!(stitch("{\"a\": 1}").unwrap_err().contains("JSON array"));
        assert!(stitch("[\"(f a\"]").unwrap_err().contains("program 0"));
        assert!(stitch("[\"(f #0)\"]").unwrap_err().contains("parameters"));
        assert!(janus("{\"program\": \"(f\"}")
            .unwrap_err()
            .starts_with("line 1"));
        assert!(dreamcoder("{\"frontiers\": 3}").is_err());
    }
}
