//! ARC tasks: one task per file (`{"train": [...], "test": [...]}`, ARC-AGI-1 and -2
//! layout, extra keys such as `name` tolerated, several test inputs), and the Kaggle
//! combined files (`*_challenges.json`: id -> task without test outputs, with the outputs
//! read from the `*_solutions.json` beside it when present: id -> list of grids).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use super::{DomainKind, Example, Task, TaskError, Test};
use crate::dsl::{Grid, Value};

/// Whether a parsed JSON file is one ARC task (or means to be: it has `train` or `test`).
pub fn is_task(json: &Json) -> bool {
    json.as_object()
        .is_some_and(|o| o.contains_key("train") || o.contains_key("test"))
}

/// Whether a parsed JSON file is a Kaggle combined file (id -> ARC task).
pub fn is_combined(json: &Json) -> bool {
    json.as_object()
        .is_some_and(|o| !o.is_empty() && o.values().all(is_task))
}

/// Reads a grid: a non-empty list of equally long rows of colours 0-9, at most 30x30.
pub(crate) fn parse_grid(json: &Json) -> Result<Grid, String> {
    let rows = json.as_array().ok_or("a grid must be a list of rows")?;
    let rows: Vec<Vec<i64>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = r
                .as_array()
                .ok_or_else(|| format!("row {i} is not a list"))?;
            cells
                .iter()
                .map(|c| {
                    c.as_i64()
                        .ok_or_else(|| format!("row {i}: {c} is not a colour"))
                })
                .collect()
        })
        .collect::<Result<_, String>>()?;
    Grid::from_rows(&rows).map_err(|e| e.to_string())
}

fn field<'a>(o: &'a Map<String, Json>, key: &str, place: &str) -> Result<&'a Json, String> {
    o.get(key)
        .ok_or_else(|| format!("{place}: missing key `{key}`"))
}

fn pairs(
    task: &Map<String, Json>,
    key: &str,
    need_output: bool,
) -> Result<Vec<(Grid, Option<Grid>)>, String> {
    let list = field(task, key, "task")?
        .as_array()
        .ok_or_else(|| format!("`{key}` must be a list"))?;
    list.iter()
        .enumerate()
        .map(|(i, pair)| {
            let place = format!("{key}[{i}]");
            let o = pair
                .as_object()
                .ok_or_else(|| format!("{place} must be an object"))?;
            let input = parse_grid(field(o, "input", &place)?)
                .map_err(|m| format!("{place}.input: {m}"))?;
            let output = match o.get("output") {
                Some(g) => Some(parse_grid(g).map_err(|m| format!("{place}.output: {m}"))?),
                None if need_output => return Err(format!("{place}: missing key `output`")),
                None => None,
            };
            Ok((input, output))
        })
        .collect()
}

/// One ARC task from its JSON object.
pub(crate) fn parse_task(id: String, json: &Json) -> Result<Task, String> {
    let o = json.as_object().ok_or("an ARC task must be an object")?;
    let train = pairs(o, "train", true)?;
    if train.is_empty() {
        return Err("`train` is empty".into());
    }
    let test = pairs(o, "test", false)?;
    if test.is_empty() {
        return Err("`test` is empty".into());
    }
    let tests = test
        .into_iter()
        .map(|(input, output)| Test {
            inputs: vec![Value::Grid(input)],
            output: output.map(Value::Grid),
        })
        .collect();
    let examples = train
        .into_iter()
        .map(|(i, o)| Example {
            inputs: vec![Value::Grid(i)],
            output: Value::Grid(o.expect("train outputs are required")),
        })
        .collect();
    Ok(Task {
        id,
        domain: DomainKind::Arc,
        examples,
        tests,
        linear: false,
    })
}

/// Fills in `task`'s test outputs from its entry in a solutions file: a list of grids, one
/// per test input.
fn add_solutions(task: &mut Task, solutions: &Json) -> Result<(), String> {
    let grids = solutions
        .as_array()
        .ok_or("the solutions must be a list of grids")?;
    if grids.len() != task.tests.len() {
        return Err(format!(
            "{} solutions for {} test inputs",
            grids.len(),
            task.tests.len()
        ));
    }
    for (i, (test, grid)) in task.tests.iter_mut().zip(grids).enumerate() {
        let grid = parse_grid(grid).map_err(|m| format!("solution {i}: {m}"))?;
        test.output = Some(Value::Grid(grid));
    }
    Ok(())
}

/// The `*_solutions.json` beside a `*_challenges.json`, if there is one.
fn solutions_path(challenges: &Path) -> Option<PathBuf> {
    let name = challenges.file_name()?.to_str()?;
    let stem = name.strip_suffix("_challenges.json")?;
    let p = challenges.with_file_name(format!("{stem}_solutions.json"));
    p.exists().then_some(p)
}

/// Whether `path` is a `*_solutions.json` with its `*_challenges.json` beside it (read
/// together with that file, not as tasks).
pub fn is_paired_solutions(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("_solutions.json"))
        .is_some_and(|stem| {
            path.with_file_name(format!("{stem}_challenges.json"))
                .is_file()
        })
}

/// Reads a Kaggle combined challenges file, with the test outputs from the solutions file
/// beside it when there is one (every task must then have one solution per test input).
pub fn parse_combined(path: &Path, json: &Json) -> Result<Vec<Task>, TaskError> {
    let solutions = match solutions_path(path) {
        Some(p) => Some((super::json::parse_json(&p, &super::read_text(&p)?)?, p)),
        None => None,
    };
    let tasks = json.as_object().expect("checked by is_combined");
    tasks
        .iter()
        .map(|(id, task)| {
            let mut task = parse_task(id.clone(), task)
                .map_err(|m| TaskError::at(path, format!("task {id}"), m))?;
            if let Some((all, p)) = &solutions {
                let place = format!("task {id}");
                let known = all
                    .get(id)
                    .ok_or_else(|| TaskError::at(p, place.clone(), "no solutions"))?;
                add_solutions(&mut task, known).map_err(|m| TaskError::at(p, place, m))?;
            }
            Ok(task)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Task, String> {
        parse_task("t".into(), &serde_json::from_str(text).unwrap())
    }

    #[test]
    fn reads_pairs_extra_keys_and_several_tests() {
        let t = parse(
            r#"{"name": "x", "train": [{"input": [[1, 2]], "output": [[2, 1]]}],
                          "test": [{"input": [[3, 4]], "output": [[4, 3]]}, {"input": [[5]]}]}"#,
        )
        .unwrap();
        assert_eq!(t.examples.len(), 1);
        assert_eq!(t.tests.len(), 2);
        assert_eq!(t.tests[0].output.as_ref().unwrap().to_string(), "[43]");
        assert_eq!(t.tests[1].output, None);
    }

    #[test]
    fn malformed_grids_and_keys_are_named() {
        let e = |text: &str| parse(text).unwrap_err();
        assert_eq!(
            e(
                r#"{"train": [{"input": [[1], [1, 2]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#
            ),
            "train[0].input: ragged rows: row 1 has 2 cells, row 0 has 1"
        );
        assert_eq!(
            e(r#"{"train": [{"input": [[12]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#),
            "train[0].input: colour 12 outside 0-9"
        );
        assert_eq!(
            e(r#"{"train": [{"input": [], "output": [[1]]}], "test": [{"input": [[1]]}]}"#),
            "train[0].input: empty grid"
        );
        assert_eq!(
            e(r#"{"train": [{"input": [[1]]}], "test": [{"input": [[1]]}]}"#),
            "train[0]: missing key `output`"
        );
        assert_eq!(
            e(r#"{"train": [{"input": [[1]], "output": [[1]]}]}"#),
            "task: missing key `test`"
        );
    }
}
