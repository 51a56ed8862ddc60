//! The 24 Game CSV of Tree-of-Thoughts (`24.csv`): a header with a `Puzzles` column whose
//! cells are four numbers like `1 1 4 6`; the target is 24. Other columns are ignored.

use std::path::Path;

use num_bigint::BigInt;

use super::{Task, TaskError};
use crate::dsl::{Rational, Value};

/// The column janus reads.
pub const COLUMN: &str = "Puzzles";

/// Parses a 24 Game CSV.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Task>, TaskError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| TaskError::at(path, "line 1", format!("bad CSV header: {e}")))?;
    let column = headers
        .iter()
        .position(|h| h.trim() == COLUMN)
        .ok_or_else(|| {
            TaskError::at(
                path,
                "line 1",
                format!("no `{COLUMN}` column in the header"),
            )
        })?;
    let mut tasks = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            TaskError::at(path, format!("line {line}"), format!("bad CSV record: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = record.get(column).unwrap_or("").trim();
        let numbers =
            parse_numbers(cell).map_err(|m| TaskError::at(path, format!("line {line}"), m))?;
        tasks.push(Task::twenty_four(
            cell.to_string(),
            numbers,
            Value::rat(24, 1),
        ));
    }
    if tasks.is_empty() {
        return Err(TaskError::file(path, "no puzzles"));
    }
    Ok(tasks)
}

/// Parses `1 3 4 6` (integers or `p/q` rationals, space-separated) into rationals.
fn parse_numbers(cell: &str) -> Result<Vec<Value>, String> {
    let numbers: Vec<Value> = cell
        .split_whitespace()
        .map(|w| {
            parse_rational(w)
                .map(Value::Rat)
                .ok_or_else(|| format!("bad number `{w}` in `{COLUMN}`"))
        })
        .collect::<Result<_, _>>()?;
    if numbers.is_empty() {
        return Err(format!("empty `{COLUMN}` cell"));
    }
    Ok(numbers)
}

/// `7`, `-2` or `3/4` as an exact rational.
pub fn parse_rational(w: &str) -> Option<Rational> {
    let (n, d) = w.split_once('/').unwrap_or((w, "1"));
    Rational::new(n.parse::<BigInt>().ok()?, d.parse::<BigInt>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_puzzles_column_and_ignores_others() {
        let text = "Rank,Puzzles,AMT (s)\n1,1 1 4 6,5.2\n2,1 3 4 6,7.0";
        let tasks = parse(Path::new("t.csv"), text).unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[1].id, "1 3 4 6");
        assert_eq!(tasks[1].examples[0].inputs[3], Value::rat(6, 1));
        assert_eq!(tasks[1].examples[0].output, Value::rat(24, 1));
        assert!(tasks[0].linear);
    }

    #[test]
    fn errors_name_the_line_and_problem() {
        let err = parse(Path::new("t.csv"), "Rank,Puzzles\n1,1 2 x 4\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv: line 2: bad number `x` in `Puzzles`"
        );
        let err = parse(Path::new("t.csv"), "Rank,Numbers\n1,1 2 3 4\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv: line 1: no `Puzzles` column in the header"
        );
        let err = parse(Path::new("t.csv"), "Rank,Puzzles\n1,1 2 3 4,9\n").unwrap_err();
        assert!(
            err.to_string().starts_with("t.csv: line 2: bad CSV record"),
            "{err}"
        );
    }
}
