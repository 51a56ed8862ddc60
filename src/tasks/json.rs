//! janus JSON tasks, for any domain. A file holds one task, an array of tasks, or
//! `{"tasks": [...]}`. A task:
//!
//! ```json
//! {"id": "t1", "domain": "24", "examples": [{"inputs": [1, 3, 4, 6], "output": 24}]}
//! ```
//!
//! or the one-example shorthand `{"domain": "24", "inputs": [1, 3, 4, 6], "target": 24}`
//! (the 24 Game's target defaults to 24). Optional: `"tests"` (held-out examples) and
//! `"linear"` (each input used exactly once; the domain's default otherwise). Values are
//! read by the domain's type: integers as JSON integers or decimal strings of any size,
//! rationals also as `"p/q"` strings.

use std::path::Path;

use num_bigint::BigInt;
use serde_json::{Map, Value as Json};

use super::csv24::parse_rational;
use super::{arc, Example, Task, TaskError, Test};
use crate::domains::{domain, Domain};
use crate::dsl::{Type, Value};

/// `text` (of the file at `path`) as JSON, or an error naming the line and column.
pub(super) fn parse_json(path: &Path, text: &str) -> Result<Json, TaskError> {
    serde_json::from_str(text).map_err(|e| {
        TaskError::at(
            path,
            format!("line {}, column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })
}

/// Parses a janus JSON task file.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Task>, TaskError> {
    let json = parse_json(path, text)?;
    let items: Vec<&Json> = match &json {
        Json::Array(items) => items.iter().collect(),
        Json::Object(o) if o.contains_key("tasks") => match &o["tasks"] {
            Json::Array(items) => items.iter().collect(),
            _ => return Err(TaskError::file(path, "`tasks` must be an array")),
        },
        _ if arc::is_task(&json) => {
            let id = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("task")
                .to_string();
            return arc::parse_task(id, &json)
                .map(|t| vec![t])
                .map_err(|m| TaskError::file(path, m));
        }
        _ if arc::is_combined(&json) => return arc::parse_combined(path, &json),
        Json::Object(_) => vec![&json],
        _ => {
            return Err(TaskError::file(
                path,
                "expected a task object or an array of tasks",
            ))
        }
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("task");
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let place = format!("task {}", i + 1);
            let default_id = if items.len() == 1 {
                stem.to_string()
            } else {
                format!("{stem}/{}", i + 1)
            };
            parse_task(item, default_id).map_err(|m| TaskError::at(path, place, m))
        })
        .collect()
}

fn parse_task(item: &Json, default_id: String) -> Result<Task, String> {
    let o = item.as_object().ok_or("a task must be a JSON object")?;
    let name = o
        .get("domain")
        .and_then(Json::as_str)
        .ok_or("missing string field `domain`")?;
    let d = domain(name).map_err(|e| e.to_string())?;
    let id = match o.get("id") {
        None => default_id,
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let examples = match (o.get("examples"), o.get("inputs")) {
        (Some(ex), None) => parse_examples(ex, &d, "examples")?,
        (None, Some(inputs)) => vec![shorthand_example(o, inputs, &d)?],
        (Some(_), Some(_)) => return Err("give either `examples` or `inputs`, not both".into()),
        (None, None) => {
            return Err("missing `examples` (or the shorthand `inputs` + `target`)".into())
        }
    };
    if examples.is_empty() {
        return Err("`examples` is empty".into());
    }
    let tests: Vec<Test> = match o.get("tests") {
        Some(t) => parse_tests(t, &d)?,
        None => Vec::new(),
    };
    let linear = match o.get("linear") {
        None => d.linear,
        Some(Json::Bool(b)) => *b,
        Some(_) => return Err("`linear` must be true or false".into()),
    };
    let arity = examples[0].inputs.len();
    let counts = examples
        .iter()
        .map(|e| e.inputs.len())
        .chain(tests.iter().map(|t| t.inputs.len()));
    if let Some(i) = counts.into_iter().position(|n| n != arity) {
        return Err(format!(
            "example {} has a different number of inputs than example 1",
            i + 1
        ));
    }
    Ok(Task {
        id,
        domain: d.kind,
        examples,
        tests,
        linear,
    })
}

fn shorthand_example(o: &Map<String, Json>, inputs: &Json, d: &Domain) -> Result<Example, String> {
    let inputs = parse_values(inputs, &d.input_type, "inputs")?;
    let output = match (o.get("target"), &d.default_target) {
        (Some(t), _) => parse_value(t, &d.output_type).map_err(|m| format!("`target`: {m}"))?,
        (None, Some(target)) => target.clone(),
        (None, None) => return Err("missing `target`".into()),
    };
    Ok(Example { inputs, output })
}

fn parse_examples(json: &Json, d: &Domain, field: &str) -> Result<Vec<Example>, String> {
    let pairs = parse_pairs(json, d, field, true)?;
    Ok(pairs
        .into_iter()
        .map(|t| Example {
            inputs: t.inputs,
            output: t.output.expect("required above"),
        })
        .collect())
}

/// Held-out tests: examples whose `output` may be missing (a test to predict, not score).
fn parse_tests(json: &Json, d: &Domain) -> Result<Vec<Test>, String> {
    parse_pairs(json, d, "tests", false)
}

/// The `inputs` and `output` of each object in the array `field` (as tests: the output
/// may be missing), the output required where `output_required`.
fn parse_pairs(
    json: &Json,
    d: &Domain,
    field: &str,
    output_required: bool,
) -> Result<Vec<Test>, String> {
    let items = json
        .as_array()
        .ok_or_else(|| format!("`{field}` must be an array"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, ex)| {
            let place = format!("{field}[{i}]");
            let o = ex
                .as_object()
                .ok_or_else(|| format!("{place} must be an object"))?;
            let inputs = o
                .get("inputs")
                .ok_or_else(|| format!("{place}: missing `inputs`"))?;
            let output = match o.get("output") {
                Some(out) => Some(
                    parse_value(out, &d.output_type).map_err(|m| format!("{place}.output: {m}"))?,
                ),
                None if output_required => return Err(format!("{place}: missing `output`")),
                None => None,
            };
            let inputs = parse_values(inputs, &d.input_type, &format!("{place}.inputs"))?;
            Ok(Test { inputs, output })
        })
        .collect()
}

/// `task` as a janus JSON task, which [`parse`] reads back equal: integers too large for
/// JSON's numbers and rationals as strings, grids as arrays of rows.
pub fn task_json(task: &Task) -> Json {
    let values = |vs: &[Value]| Json::Array(vs.iter().map(value_json).collect());
    let examples: Vec<Json> = task
        .examples
        .iter()
        .map(|e| serde_json::json!({"inputs": values(&e.inputs), "output": value_json(&e.output)}))
        .collect();
    let tests: Vec<Json> = task
        .tests
        .iter()
        .map(|t| {
            let mut o = Map::new();
            o.insert("inputs".into(), values(&t.inputs));
            if let Some(out) = &t.output {
                o.insert("output".into(), value_json(out));
            }
            Json::Object(o)
        })
        .collect();
    serde_json::json!({"id": task.id, "domain": task.domain.name(), "examples": examples,
                       "tests": tests, "linear": task.linear})
}

/// A task value as JSON (see [`task_json`]).
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Int(n) => i64::try_from(n).map_or_else(|_| Json::String(n.to_string()), Json::from),
        Value::Bool(b) => Json::Bool(*b),
        Value::Grid(g) => serde_json::json!(g.rows()),
        other => Json::String(other.to_string()),
    }
}

fn parse_values(json: &Json, ty: &Type, place: &str) -> Result<Vec<Value>, String> {
    let items = json
        .as_array()
        .ok_or_else(|| format!("`{place}` must be an array"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| parse_value(v, ty).map_err(|m| format!("{place}[{i}]: {m}")))
        .collect()
}

/// Reads a JSON value as a DSL value of type `ty` (int, rat, bool or grid).
pub fn parse_value(json: &Json, ty: &Type) -> Result<Value, String> {
    if *ty == Type::grid() {
        return arc::parse_grid(json).map(Value::Grid);
    }
    let text = match json {
        Json::Number(n) => n.to_string(),
        Json::String(s) => s.trim().to_string(),
        Json::Bool(b) if *ty == Type::bool() => return Ok(Value::Bool(*b)),
        other => return Err(format!("expected a {ty}, got {other}")),
    };
    if *ty == Type::int() {
        text.parse::<BigInt>()
            .map(Value::Int)
            .map_err(|_| format!("expected an integer, got {text}"))
    } else if *ty == Type::rat() {
        parse_rational(&text)
            .map(Value::Rat)
            .ok_or_else(|| format!("expected a rational like 3 or 3/4, got {text}"))
    } else {
        Err(format!("values of type {ty} cannot be read from JSON yet"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::DomainKind;

    #[test]
    fn reads_full_and_shorthand_tasks() {
        let text = r#"[{"id": "a", "domain": "24", "examples": [{"inputs": [1, "3/2", 4, 6], "output": 24}]},
                      {"domain": "double-add", "inputs": [2], "target": "123456789012345678901234567890"},
                      {"domain": "24", "inputs": [4, 6]}]"#;
        let tasks = parse(Path::new("x.json"), text).unwrap();
        assert_eq!(tasks[0].id, "a");
        assert_eq!(tasks[0].examples[0].inputs[1], Value::rat(3, 2));
        assert_eq!(tasks[1].id, "x/2");
        assert_eq!(tasks[1].domain, DomainKind::DoubleAdd);
        assert!(!tasks[1].linear);
        assert_eq!(tasks[2].examples[0].output, Value::rat(24, 1));
    }

    #[test]
    fn tasks_round_trip_through_json() {
        let text = r#"[{"id": "a", "domain": "24", "examples": [{"inputs": [1, "3/2", 4, 6], "output": 24}]},
                      {"domain": "double-add", "inputs": [2], "target": "123456789012345678901234567890"},
                      {"id": "g", "domain": "arc", "examples": [{"inputs": [[[1, 2]]], "output": [[2, 1]]}],
                       "tests": [{"inputs": [[[3, 4]]]}, {"inputs": [[[5]]], "output": [[5]]}]}]"#;
        let tasks = parse(Path::new("x.json"), text).unwrap();
        assert_eq!(tasks[2].tests[0].output, None);
        let written = Json::Array(tasks.iter().map(task_json).collect()).to_string();
        assert_eq!(parse(Path::new("y.json"), &written).unwrap(), tasks);
    }

    #[test]
    fn errors_name_the_task_and_field() {
        let err = parse(Path::new("x.json"), r#"{"domain": "chess", "inputs": [1]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.json: task 1: unknown domain `chess` (known: 24, double-add, arc)"
        );
        let err = parse(
            Path::new("x.json"),
            r#"{"domain": "24", "inputs": [1, 2.5]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.json: task 1: inputs[1]: expected a rational like 3 or 3/4, got 2.5"
        );
        let err = parse(Path::new("x.json"), "{\"domain\": \n [").unwrap_err();
        assert!(
            err.to_string().starts_with("x.json: line 2, column"),
            "{err}"
        );
        let err = parse(
            Path::new("x.json"),
            r#"{"domain": "double-add", "inputs": [2]}"#,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "x.json: task 1: missing `target`");
    }
}
