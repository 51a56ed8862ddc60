//! Double-and-add target lists: one task per line, `TARGET` (start 2, as in the paper) or
//! `START TARGET`; integers of any size; `#` starts a comment.

use std::path::Path;

use num_bigint::BigInt;

use super::{DomainKind, Example, Task, TaskError};
use crate::dsl::Value;

/// The start value when a line gives only the target.
pub const DEFAULT_START: i64 = 2;

/// A double-and-add task from `start` to `target`.
pub fn double_add_task(start: BigInt, target: BigInt) -> Task {
    Task {
        id: if start == BigInt::from(DEFAULT_START) {
            target.to_string()
        } else {
            format!("{start}->{target}")
        },
        domain: DomainKind::DoubleAdd,
        examples: vec![Example {
            inputs: vec![Value::Int(start)],
            output: Value::Int(target),
        }],
        tests: Vec::new(),
        linear: false,
    }
}

/// Parses a target list.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Task>, TaskError> {
    let mut tasks = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let place = format!("line {}", i + 1);
        let numbers: Vec<BigInt> = line
            .split_whitespace()
            .map(|w| {
                w.parse::<BigInt>()
                    .map_err(|_| TaskError::at(path, &place, format!("bad integer `{w}`")))
            })
            .collect::<Result<_, _>>()?;
        let (start, target) = match numbers.as_slice() {
            [t] => (BigInt::from(DEFAULT_START), t.clone()),
            [s, t] => (s.clone(), t.clone()),
            _ => {
                return Err(TaskError::at(
                    path,
                    &place,
                    "expected `TARGET` or `START TARGET`",
                ))
            }
        };
        if start < BigInt::from(1) || target < BigInt::from(1) {
            return Err(TaskError::at(
                path,
                &place,
                "double-and-add works on positive integers",
            ));
        }
        tasks.push(double_add_task(start, target));
    }
    if tasks.is_empty() {
        return Err(TaskError::file(path, "no targets"));
    }
    Ok(tasks)
}

/// The file text for a list of targets from the default start.
pub fn render_targets(targets: &[BigInt]) -> String {
    targets.iter().map(|t| format!("{t}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_targets_with_optional_start_and_comments() {
        let text = "# targets\n17\n3 100000000000000000000000000000 # big\n\n";
        let tasks = parse(Path::new("d.txt"), text).unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].id, "17");
        assert_eq!(tasks[0].examples[0].inputs, vec![Value::int(2)]);
        assert_eq!(tasks[1].id, "3->100000000000000000000000000000");
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = parse(Path::new("d.txt"), "5\n7x\n").unwrap_err();
        assert_eq!(err.to_string(), "d.txt: line 2: bad integer `7x`");
        let err = parse(Path::new("d.txt"), "1 2 3\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "d.txt: line 1: expected `TARGET` or `START TARGET`"
        );
        assert!(parse(Path::new("d.txt"), "0\n").is_err());
        assert_eq!(
            parse(Path::new("d.txt"), "# only\n")
                .unwrap_err()
                .to_string(),
            "d.txt: no targets"
        );
    }
}
