//! The neural guide on CPU: training lowers the loss, a trained double-and-add guide
//! takes only the program's own steps, model files round-trip and bad ones are refused.
#![cfg(feature = "torch")]

use std::collections::HashMap;

use janus::guide::{optimizer, run_episodes, supervision, train_epoch, training_samples};
use janus::guide::{GuideModel, ModelError, NeuralPolicy};
use janus::search::valid_candidates;
use janus::{domain, solve_with, SearchGraph, SolveConfig, Strategy, Task, Value};
use rand::SeedableRng;
use tch::Device;

fn double_add_guide(programs: usize, epochs: usize) -> (GuideModel, Vec<f64>) {
    let d = domain("double-add").unwrap();
    let model = GuideModel::new(d, Strategy::Bidir, Device::Cpu, 0);
    let samples = training_samples(&model.domain, programs, &[1], &[], &[], None, 0);
    let demo = janus::guide::DemoConfig {
        backward: 1.0,
        distractors: 0.0,
    };
    let steps = supervision(&model, &samples, demo, 0);
    let mut opt = optimizer(&model, 2e-3);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let losses = (0..epochs)
        .map(|_| train_epoch(&model, &mut opt, &steps, 64, &mut rng, &mut || {}))
        .collect();
    (model, losses)
}

fn double_add_task(target: i64) -> Task {
    janus::tasks::double_add_task(2.into(), target.into())
}

#[test]
fn supervised_training_lowers_the_loss_and_the_guide_follows_parity() {
    let (model, losses) = double_add_guide(300, 3);
    assert!(losses[2] < losses[0] / 2.0, "{losses:?}");
    let d = model.domain.clone();
    let policy = NeuralPolicy::new(model);
    let config = SolveConfig::default();
    for target in [1_234_567, 4_999_999, 3_000_001] {
        let r = solve_with(&double_add_task(target), &d, &policy, &config);
        assert!(r.solved, "{target}");
        // Every expansion is a step of the (shortest) program: no detour.
        assert_eq!(r.expansions as usize, r.steps.unwrap(), "{target}");
    }
}

#[test]
fn valid_actions_share_the_probability_when_each_op_has_one() {
    // Start 2, target 8: each of the four ops has exactly one valid argument.
    let d = domain("double-add").unwrap();
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 3);
    let g = SearchGraph::new(&d.registry, &[vec![Value::int(2)]], &[Value::int(8)], false).unwrap();
    let cands = valid_candidates(&g, &d.registry, Strategy::Bidir.directions());
    assert_eq!(cands.len(), 4);
    let lps = NeuralPolicy::log_probs(&model, &g, &cands);
    let total: f64 = lps.iter().map(|lp| lp.exp()).sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");
}

#[test]
fn a_saved_model_loads_with_the_same_outputs() {
    let (model, _) = double_add_guide(50, 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.safetensors");
    model.save(&path).unwrap();
    let loaded = GuideModel::load(&path, Device::Cpu).unwrap();
    assert_eq!(loaded.ops.names(), model.ops.names());
    let d = &model.domain;
    let g = SearchGraph::new(
        &d.registry,
        &[vec![Value::int(2)]],
        &[Value::int(12)],
        false,
    )
    .unwrap();
    let cands = valid_candidates(&g, &d.registry, Strategy::Bidir.directions());
    let a = NeuralPolicy::log_probs(&model, &g, &cands);
    let b = NeuralPolicy::log_probs(&loaded, &g, &cands);
    assert_eq!(a, b);
}

fn rewrite_metadata(path: &std::path::Path, key: &str, value: &str) {
    let bytes = std::fs::read(path).unwrap();
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let mut meta: HashMap<String, String> = meta.metadata().clone().unwrap();
    meta.insert(key.into(), value.into());
    let tensors = st.tensors();
    let out = safetensors::tensor::serialize(tensors, &Some(meta)).unwrap();
    std::fs::write(path, out).unwrap();
}

#[test]
fn models_for_other_ops_versions_or_corrupt_files_are_refused() {
    let d = domain("24").unwrap();
    let model = GuideModel::new(d, Strategy::Bidir, Device::Cpu, 0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.safetensors");
    let check = |key: &str, value: &str, expect: &str| {
        model.save(&path).unwrap();
        rewrite_metadata(&path, key, value);
        let err = GuideModel::load(&path, Device::Cpu).err().expect("refused");
        assert!(matches!(err, ModelError::Mismatch { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("m.safetensors") && text.contains(expect),
            "{text}"
        );
    };
    check(
        "ops",
        "pow,root",
        "trained for the ops [pow,root], none of which",
    );
    check("janus_version", "0.0.1", "trained with janus 0.0.1");
    // An op the domain lacks keeps its place and matches nothing; the op it replaced is
    // one the model does not know.
    let mut names = model.ops.names();
    let first = std::mem::replace(&mut names[0], "pow".to_string());
    model.save(&path).unwrap();
    rewrite_metadata(&path, "ops", &names.join(","));
    let loaded = GuideModel::load(&path, Device::Cpu).unwrap();
    assert_eq!(loaded.ops.names(), names);
    assert_eq!(loaded.unknown_ops(), [first]);
    check("format", "other", "model format `other`");
    std::fs::write(&path, b"not a model at all").unwrap();
    let err = GuideModel::load(&path, Device::Cpu).err().expect("refused");
    assert!(
        err.to_string().contains("not a safetensors model file"),
        "{err}"
    );
}

#[test]
fn episodes_are_reproducible_from_their_seed() {
    let d = domain("24").unwrap();
    let model = GuideModel::new(d, Strategy::Bidir, Device::Cpu, 0);
    let tasks: Vec<Task> = training_samples(&model.domain, 20, &[2], &[], &[], None, 5)
        .into_iter()
        .map(|s| s.task)
        .collect();
    let run = || {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        run_episodes(&model, &tasks, 4, &mut rng)
            .iter()
            .map(|e| {
                (
                    e.solved,
                    e.steps
                        .iter()
                        .map(|s| (s.actions[0].op, s.actions[0].args.clone()))
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    assert!(first.iter().any(|(solved, _)| *solved));
}
