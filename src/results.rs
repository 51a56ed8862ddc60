//! What a run of many tasks adds up to: the summary of its reports and the Kaggle
//! submission of its ARC predictions. `janus solve`, `--resume`, the shards' merge and the
//! Python module all build them here, so that they agree.

use serde_json::{json, Map, Value as Json};

use crate::dsl::Value;
use crate::search::Strategy;
use crate::solve::SolveReport;
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
/// searched with `strategy` and `policy` in `wall_ms`.
pub fn summary(reports: &[SolveReport], strategy: Strategy, policy: &str, wall_ms: f64) -> Json {
    let solved: Vec<&SolveReport> = reports.iter().filter(|r| r.solved).collect();
    json!({
        "tasks": reports.len(),
        "solved": solved.len(),
        "strategy": strategy,
        "policy": policy,
        "wall_ms": wall_ms,
        "search_ms_total": reports.iter().map(|r| r.time_ms).sum::<f64>(),
        "median_ms": median(reports.iter().map(|r| r.time_ms).collect()),
        "median_expansions": median(reports.iter().map(|r| r.expansions as f64).collect()),
        "median_expansions_solved": median(solved.iter().map(|r| r.expansions as f64).collect()),
        "errors": reports.iter().filter(|r| r.error.is_some()).count(),
        "train_fit": reports.iter().filter(|r| r.train_fit).count(),
        "train_fit_only": reports.iter().filter(|r| r.train_fit && !r.solved).count(),
        "test_correct": reports.iter().map(|r| r.test_correct).sum::<usize>(),
        "test_total": reports.iter().map(|r| r.test_total).sum::<usize>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(Vec::new()), 0.0);
    }
}
