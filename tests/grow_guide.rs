//! `janus grow --guide --retrain-guide`: the guide takes a library's abstractions into its
//! vocabulary without forgetting the ops it knew, each iteration's guide is kept in the
//! state folder, and a guided wake solves the curriculum's tasks.
#![cfg(feature = "torch")]

mod common;

use std::path::Path;

use common::run::{self, janus_in};
use janus::grow::{Grow, GrowSettings, StateDir};
use janus::guide::{
    optimizer, supervision, train_epoch, training_samples, DemoConfig, GrowGuide, GuideModel,
    NeuralPolicy, RetrainConfig,
};
use janus::search::valid_candidates;
use janus::tasks::double_add_task;
use janus::{domain, SearchGraph, Strategy, Task, Value};
use rand::SeedableRng;
use tch::Device;

/// A double-and-add guide trained a little on random one-step programs.
fn small_guide(path: &Path) -> GuideModel {
    let model = GuideModel::new(
        domain("double-add").unwrap(),
        Strategy::Bidir,
        Device::Cpu,
        0,
    );
    let samples = training_samples(&model.domain, 100, &[1], &[], &[], None, 0);
    let demo = DemoConfig {
        backward: 1.0,
        distractors: 0.0,
    };
    let steps = supervision(&model, &samples, demo, 0);
    let mut opt = optimizer(&model, 2e-3);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    train_epoch(&model, &mut opt, &steps, 64, &mut rng, &mut || {});
    model.save(path).unwrap();
    model
}

/// Easy targets (at most 8 steps from 2), then hard ones.
const CURRICULUM: [i64; 12] = [17, 23, 29, 37, 42, 45, 51, 58, 61, 1234, 2766, 3581];

fn curriculum() -> Vec<Task> {
    CURRICULUM
        .iter()
        .map(|&t| double_add_task(2.into(), t.into()))
        .collect()
}

fn settings(tasks: &[Task], guide: &Path) -> GrowSettings {
    GrowSettings {
        guide: Some(guide.display().to_string()),
        retrain_guide: true,
        ..common::grow::double_add_settings(tasks)
    }
}

#[test]
fn a_grown_vocabulary_keeps_the_scores_of_the_ops_it_knew() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_guide(&dir.path().join("m.safetensors"));
    let tasks = curriculum();
    let state = StateDir::open(&dir.path().join("state")).unwrap();
    let grow = Grow::open(state, &tasks, settings(&tasks, Path::new("m")), 1).unwrap();
    grow.iterate(&|_| {}, None).unwrap();
    let grown_domain = grow.domain_after(1).unwrap();
    let grown = model.with_vocabulary_of(grown_domain.clone(), 7);
    assert!(grown.ops.len() > model.ops.len(), "{:?}", grown.ops.names());
    assert!(grown.ops.names().iter().any(|n| n.starts_with("fn_")));
    assert!(grown.unknown_ops().is_empty());

    let r = &grown_domain.registry;
    let g = SearchGraph::new(r, &[vec![Value::int(2)]], &[Value::int(22)], false).unwrap();
    let known: Vec<_> = valid_candidates(&g, r, Strategy::Bidir.directions())
        .into_iter()
        .filter(|c| !r.get(c.action.prim).name.starts_with("fn_"))
        .collect();
    assert!(known.len() >= 3);
    let before = NeuralPolicy::log_probs(&model, &g, &known);
    let after = NeuralPolicy::log_probs(&grown, &g, &known);
    for (b, a) in before.iter().zip(&after) {
        assert!((b - a).abs() < 1e-5, "{before:?} {after:?}");
    }
}

#[test]
fn each_iteration_fine_tunes_the_guide_with_the_library_in_its_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let initial = dir.path().join("m.safetensors");
    small_guide(&initial);
    let tasks = curriculum();
    let state = StateDir::open(&dir.path().join("state")).unwrap();
    let grow = Grow::open(state, &tasks, settings(&tasks, &initial), 1).unwrap();
    let config = RetrainConfig {
        batches: 5,
        dreams: 40,
        ..RetrainConfig::default()
    };
    let guide = GrowGuide::new(&grow, &initial, Device::Cpu, config);
    let (_, policy) = guide.policy_after(0, 1).unwrap();
    let first = grow.iterate(&|_| {}, Some(&policy)).unwrap();
    assert_eq!(first.solved_new, 9, "the easy ones");
    assert!(!first.abstractions.is_empty());

    // The first guide does not know the library; the one fine-tuned after it does.
    let domain = grow.domain_after(1).unwrap();
    let old = GuideModel::load_in(&initial, Device::Cpu, &|_| domain.clone()).unwrap();
    assert!(old.unknown_ops().iter().any(|n| n.starts_with("fn_")));
    let (path, report) = guide.model_after(1).unwrap();
    let report = report.expect("fine-tuned now");
    assert_eq!(path, grow.state().guide(1));
    assert_eq!((report.iteration, report.replays > 0), (1, true));
    assert_eq!(report.new_ops, old.unknown_ops().len());
    assert!(report.loss.is_finite());
    let tuned = GuideModel::load_in(&path, Device::Cpu, &|_| domain.clone()).unwrap();
    assert!(tuned.unknown_ops().is_empty());
    assert!(tuned.library().iter().all(|n| n.starts_with("fn_")));
    assert!(!tuned.library().is_empty());
    // Kept: asked again, it is read back, not trained again.
    assert_eq!(guide.model_after(1).unwrap(), (path, None));

    let (_, policy) = guide.policy_after(1, 1).unwrap();
    let second = grow.iterate(&|_| {}, Some(&policy)).unwrap();
    assert_eq!(second.solved_total, first.solved_total + second.solved_new);
}

#[test]
fn the_command_keeps_a_guide_per_iteration_and_says_what_it_learned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_guide(&d.join("m.safetensors"));
    let targets: Vec<String> = CURRICULUM.iter().map(i64::to_string).collect();
    std::fs::write(d.join("targets.txt"), targets.join("\n")).unwrap();
    let args = [
        "grow",
        "targets.txt",
        "--state",
        "s",
        "--max-expansions",
        "8",
        "--iterations",
        "2",
        "--arity",
        "1",
        "--jobs",
        "1",
        "--guide",
        "m.safetensors",
        "--retrain-guide",
        "--guide-batches",
        "5",
        "--guide-dreams",
        "20",
        "--device",
        "cpu",
    ];
    let out = janus_in(d, &args);
    let stderr = run::stderr(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("guide fine-tuned after iteration 1"),
        "{stderr}"
    );
    assert!(d.join("s/guide-1.safetensors").exists());
    assert!(d.join("s/guide-2.safetensors").exists());
    // A guide that cannot be read is refused before the state folder takes the settings.
    let nope = [
        "grow",
        "targets.txt",
        "--state",
        "t",
        "--guide",
        "nope.safetensors",
    ];
    let out = janus_in(d, &nope);
    let stderr = run::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nope.safetensors"), "{stderr}");
    assert!(!d.join("t/settings.json").exists());
    // Without fine-tuning it is another run.
    let other: Vec<&str> = args
        .iter()
        .copied()
        .take_while(|a| *a != "--retrain-guide")
        .collect();
    let out = janus_in(d, &other);
    let stderr = run::stderr(&out);
    assert!(!out.status.success());
    assert!(stderr.contains("another retrain-guide"), "{stderr}");
}
