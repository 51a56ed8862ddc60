//! A grow run's settings for the double-and-add curricula of the tests.

use janus::grow::GrowSettings;
use janus::Task;

/// 8 actions per task, abstractions of one parameter, 3 per sleep, no guide.
pub fn double_add_settings(tasks: &[Task]) -> GrowSettings {
    GrowSettings {
        domain: "double-add".into(),
        tasks: tasks.iter().map(|t| t.id.clone()).collect(),
        timeout_seconds: 10.0,
        max_expansions: Some(8),
        depth: 3,
        forward_input: false,
        arity: 1,
        abstractions: 3,
        frontier: 5,
        base: None,
        rewrites: None,
        prefix: "fn_".into(),
        guide: None,
        retrain_guide: false,
    }
}
