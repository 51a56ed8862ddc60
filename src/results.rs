//! What a run of many tasks adds up to: the summary of its reports and the Kaggle
//! submission of its ARC predictions. `janus solve`, `--resume`, the shards' merge and the
//! Python module all build them here, so that they agree.

use serde_json::{json, Map, Value as Json};

use crate::dsl::Value;
use crate::search::Strategy;
use crate::solve::{PrimitiveTime, SolveReport};
use crate::task::{DomainKind, Task};

/// Kaggle's `{"<task_id>": [{"attempt_1": grid, "attempt_2": grid}, ...]}`, one entry per
/// test input of each ARC task. Attempt 2 is the second program's prediction; without one
/// it repeats attempt 1; without any program, both are the test input itself (the usual
/// fallback).
pub fn submission(tasks: &[Task], reports: &[SolveReport]) -> Map<String, Json> {
    let mut out = Map::new();
    for (task, report) in tasks
        .iter()
        .zip(reports)
        .filter(|(t, _)| t.domain == DomainKind::Arc)
    {
        let attempts = task
            .tests
            .iter()
            .enumerate()
            .map(|(i, test)| {
                let fallback = test.inputs.first();
                let first =
                    attempt_grid(report.predictions.get(i).and_then(Option::as_ref), fallback);
                let second = match report.predictions_2.get(i) {
                    Some(p @ Some(_)) => attempt_grid(p.as_ref(), fallback),
                    _ => first.clone(),
                };
                json!({ "attempt_1": first, "attempt_2": second })
            })
            .collect();
        out.insert(task.id.clone(), Json::Array(attempts));
    }
    out
}

/// The rows of a predicted grid, else of the fallback (the test input), else `[[0]]`.
fn attempt_grid(prediction: Option<&Value>, fallback: Option<&Value>) -> Vec<Vec<u8>> {
    match (prediction, fallback) {
        (Some(Value::Grid(g)), _) | (None, Some(Value::Grid(g))) => g.rows(),
        _ => vec![vec![0]],
    }
}

/// The median (mean of the middle two for an even count; 0 for none).
pub fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// The summary object of `janus solve --json` (its last line, under `"summary"`): counts
/// of tasks, solved, fits and test outputs, the medians, and the times, for `reports`
/// searched with `strategy` and `policy` in `wall_ms`. Where the reports were profiled,
/// also `"primitives"`, their calls added up by name (see [`primitive_totals`]).
pub fn summary(reports: &[SolveReport], strategy: Strategy, policy: &str, wall_ms: f64) -> Json {
    let solved: Vec<&SolveReport> = reports.iter().filter(|r| r.solved).collect();
    let mut summary = json!({
        "tasks": reports.len(),
        "solved": solved.len(),
        "strategy": strategy,
        "policy": policy,
        "wall_ms": wall_ms,
        "search_ms_total": reports.iter().map(|r| r.time_ms).sum::<f64>(),
        "second_ms_total": reports.iter().map(|r| r.time_ms_2).sum::<f64>(),
        "median_ms": median(reports.iter().map(|r| r.time_ms).collect()),
        "median_expansions": median(reports.iter().map(|r| r.expansions as f64).collect()),
        "median_expansions_solved": median(solved.iter().map(|r| r.expansions as f64).collect()),
        "errors": reports.iter().filter(|r| r.error.is_some()).count(),
        "train_fit": reports.iter().filter(|r| r.train_fit).count(),
        "train_fit_only": reports.iter().filter(|r| r.train_fit && !r.solved).count(),
        "test_correct": reports.iter().map(|r| r.test_correct).sum::<usize>(),
        "test_total": reports.iter().map(|r| r.test_total).sum::<usize>(),
    });
    let primitives = primitive_totals(reports);
    if !primitives.is_empty() {
        summary["primitives"] = json!(primitives);
    }
    summary
}

/// The primitives' calls of all `reports` added up by name (a name means one primitive in
/// each domain), the most time first.
pub fn primitive_totals(reports: &[SolveReport]) -> Vec<PrimitiveTime> {
    let mut totals: Vec<PrimitiveTime> = Vec::new();
    for time in reports.iter().flat_map(|r| &r.primitives) {
        match totals.iter_mut().find(|t| t.name == time.name) {
            Some(total) => {
                total.calls += time.calls;
                total.ms += time.ms;
                total.inverse_calls += time.inverse_calls;
                total.inverse_ms += time.inverse_ms;
            }
            None => totals.push(time.clone()),
        }
    }
    totals.sort_by(|a, b| b.total_ms().total_cmp(&a.total_ms()));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profiled(task: &str, times: &[(&str, u64, f64)]) -> SolveReport {
        let mut r: SolveReport = serde_json::from_value(json!({
            "task": task, "domain": "arc", "solved": false, "train_fit": false,
            "program": null, "steps": null, "time_ms": 10.0, "expansions": 0,
            "candidates": 0, "stop": "time", "test_correct": 0, "test_total": 1,
            "time_ms_2": 0.0, "expansions_2": 0, "forward_values": 0, "forward_ms": 0.0
        }))
        .unwrap();
        r.primitives = times
            .iter()
            .map(|&(name, calls, ms)| PrimitiveTime {
                name: name.into(),
                calls,
                ms,
                inverse_calls: 1,
                inverse_ms: 0.5,
            })
            .collect();
        r
    }

    #[test]
    fn primitive_times_add_up_by_name_the_most_time_first() {
        let reports = [
            profiled("a", &[("hflip", 3, 1.0), ("crop", 1, 4.0)]),
            profiled("b", &[("hflip", 5, 6.0)]),
            profiled("c", &[]),
        ];
        let totals = primitive_totals(&reports);
        let rows: Vec<(&str, u64, f64, u64, f64)> = totals
            .iter()
            .map(|t| {
                (
                    t.name.as_str(),
                    t.calls,
                    t.ms,
                    t.inverse_calls,
                    t.inverse_ms,
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![("hflip", 8, 7.0, 2, 1.0), ("crop", 1, 4.0, 1, 0.5)]
        );
        let s = summary(&reports, Strategy::Bidir, "default", 1.0);
        assert_eq!(s["primitives"][0]["name"], "hflip");
        // Without a profile the summary has no such entry.
        let s = summary(&reports[2..], Strategy::Bidir, "default", 1.0);
        assert!(s.get("primitives").is_none());
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(Vec::new()), 0.0);
    }
}
