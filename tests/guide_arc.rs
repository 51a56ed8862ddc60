//! The ARC guide on CPU: scores from the CNN's cache equal those computed in the graph, a
//! small model trained on random ARC programs picks their steps far more often than an
//! untrained one and guides the search to a task written here, and an ARC model file
//! round-trips.
#![cfg(feature = "torch")]

use janus::dsl::Grid;
use janus::guide::{optimizer, supervision, train_epoch, training_samples};
use janus::guide::{DemoConfig, Step};
use janus::guide::{GuideModel, GuidedHeuristic, NeuralPolicy, PriorSource};
use janus::search::{valid_candidates, HeuristicPolicy, Policy};
use janus::tasks::Example;
use janus::{domain, solve_with, Budget, SearchGraph, SolveConfig, Strategy, Task, Value};
use rand::SeedableRng;
use tch::Device;

const DEMO: DemoConfig = DemoConfig {
    backward: 0.8,
    distractors: 0.3,
};

fn grid(rows: &[&[u8]]) -> Value {
    let cells = rows.concat();
    Value::Grid(Grid::new(rows.len(), rows[0].len(), cells).unwrap())
}

/// A task written here: every output is its input turned upside down.
fn upside_down_task() -> Task {
    let inputs = [
        grid(&[&[1, 0, 0], &[2, 2, 0], &[0, 0, 3]]),
        grid(&[&[0, 5, 5, 0], &[0, 0, 0, 0], &[4, 0, 0, 4]]),
        grid(&[&[7, 7], &[0, 8], &[0, 0], &[9, 9]]),
    ];
    let flip = domain("arc")
        .unwrap()
        .registry
        .by_name("vflip")
        .unwrap()
        .forward
        .clone();
    Task {
        id: "upside-down".into(),
        domain: janus::DomainKind::Arc,
        examples: inputs
            .iter()
            .map(|g| Example {
                inputs: vec![g.clone()],
                output: flip(std::slice::from_ref(g)).unwrap(),
            })
            .collect(),
        tests: Vec::new(),
        linear: false,
    }
}

/// Supervised steps of `programs` random ARC programs of depth 1 and 2 on random grids.
fn arc_steps(model: &GuideModel, programs: usize, seed: u64) -> Vec<Step> {
    let samples = training_samples(&model.domain, programs, &[1, 2], &[], &[], None, seed);
    supervision(model, &samples, DEMO, seed)
}

/// The share of steps whose taken action the model scores highest among the step's
/// actions.
fn top1(model: &GuideModel, steps: &[Step]) -> f64 {
    let hits = steps
        .iter()
        .filter(|s| {
            let acts: Vec<_> = s.actions.iter().collect();
            let lp = model
                .net
                .action_log_probs(&[&s.state], &[&s.masks], &[acts], Device::Cpu)
                .pop()
                .unwrap();
            lp.iter().all(|&x| x <= lp[0])
        })
        .count();
    hits as f64 / steps.len() as f64
}

#[test]
fn a_small_arc_guide_learns_random_programs_and_guides_the_search() {
    let d = domain("arc").unwrap();
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 0);
    let train = arc_steps(&model, 400, 0);
    let held_out = arc_steps(&model, 60, 1);
    let before = top1(&model, &held_out);
    let mut opt = optimizer(&model, 2e-3);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let losses: Vec<f64> = (0..4)
        .map(|_| train_epoch(&model, &mut opt, &train, 32, &mut rng, &mut || {}))
        .collect();
    let after = top1(&model, &held_out);
    assert!(losses[3] < losses[0] * 0.8, "{losses:?}");
    assert!(after > before + 0.2, "top-1 {before:.2} -> {after:.2}");
    let policy = NeuralPolicy::new(model);
    let config = SolveConfig {
        budget: Budget {
            max_expansions: Some(50),
            ..Budget::default()
        },
        attempts: 1,
        ..SolveConfig::default()
    };
    let r = solve_with(&upside_down_task(), &d, &policy, &config);
    assert!(r.solved, "{r:?}");
    assert_eq!(r.steps, Some(1));
}

#[test]
fn cached_scores_equal_the_scores_computed_in_the_graph() {
    let d = domain("arc").unwrap();
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 2);
    let task = upside_down_task();
    let inputs: Vec<Vec<Value>> = task.examples.iter().map(|e| e.inputs.clone()).collect();
    let outputs: Vec<Value> = task.examples.iter().map(|e| e.output.clone()).collect();
    let g = SearchGraph::new(&d.registry, &inputs, &outputs, false)
        .unwrap()
        .with_literals(d.literals.clone());
    let cands = valid_candidates(&g, &d.registry, Strategy::Bidir.directions());
    assert!(cands.len() > 20);
    // Twice through the cache (the second call reads what the first stored).
    let cached = NeuralPolicy::log_probs(&model, &g, &cands);
    assert_eq!(cached, NeuralPolicy::log_probs(&model, &g, &cands));
    let state = janus::guide::EncodedState::new(&g, model.encoding);
    let masks = janus::guide::ActionMasks::new(&model.ops, &state, cands.iter().map(|c| &c.action));
    let views: Vec<_> = cands
        .iter()
        .map(|c| janus::guide::ActionView::new(&model.ops, &state, c).unwrap())
        .collect();
    let live = model.net.candidate_log_probs(
        &[&state],
        &[&masks],
        &[views.iter().collect()],
        Device::Cpu,
        false,
    );
    let live = Vec::<f32>::try_from(live.flatten(0, -1)).unwrap();
    for (a, b) in cached.iter().zip(&live) {
        assert!((a - *b as f64).abs() < 1e-4, "{a} vs {b}");
    }
    let total: f64 = cached.iter().map(|x| x.exp()).sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");
}

#[test]
fn an_arc_model_file_round_trips() {
    let d = domain("arc").unwrap();
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 4);
    assert_eq!(model.net.shape.image, 64);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("arc.safetensors");
    model.save(&path).unwrap();
    let loaded = GuideModel::load(&path, Device::Cpu).unwrap();
    assert_eq!(loaded.net.shape, model.net.shape);
    let task = upside_down_task();
    let inputs: Vec<Vec<Value>> = task.examples.iter().map(|e| e.inputs.clone()).collect();
    let outputs: Vec<Value> = task.examples.iter().map(|e| e.output.clone()).collect();
    let g = SearchGraph::new(&d.registry, &inputs, &outputs, false).unwrap();
    let cands = valid_candidates(&g, &d.registry, Strategy::Bidir.directions());
    assert_eq!(
        NeuralPolicy::log_probs(&model, &g, &cands),
        NeuralPolicy::log_probs(&loaded, &g, &cands)
    );
}

#[test]
fn a_model_made_before_the_domain_gained_a_primitive_loads_and_leaves_it_out() {
    let d = domain("arc").unwrap();
    let older: Vec<String> = d
        .registry
        .iter()
        .map(|(_, p)| p.name.to_string())
        .filter(|n| n != "unocclude")
        .collect();
    let mut before = d.clone();
    before.registry = d.registry.restricted(&older).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("before.safetensors");
    GuideModel::new(before, Strategy::Bidir, Device::Cpu, 0)
        .save(&path)
        .unwrap();
    let model = GuideModel::load_in(&path, Device::Cpu, &|_| d.clone()).unwrap();
    assert_eq!(model.unknown_ops(), vec!["unocclude".to_string()]);
    let (g, cands) = upside_down_state(&d);
    let scores = NeuralPolicy::log_probs(&model, &g, &cands);
    for (c, s) in cands.iter().zip(&scores) {
        let name = &d.registry.get(c.action.prim).name;
        assert_eq!(s.is_finite(), name.to_string() != "unocclude", "{name}");
    }
}

#[test]
fn the_shipped_model_knows_every_primitive_and_solves_a_task() {
    let d = domain("arc").unwrap();
    let path = std::path::Path::new("models/arc-bidir.safetensors");
    let model = GuideModel::load_in(path, Device::Cpu, &|_| d.clone()).unwrap();
    assert!(model.unknown_ops().is_empty(), "{:?}", model.unknown_ops());
    let prior = GuidedHeuristic::new(NeuralPolicy::new(model), &d, PriorSource::NextOp, 1.0);
    let r = solve_with(&upside_down_task(), &d, &prior, &SolveConfig::default());
    assert!(r.solved, "{r:?}");
}

/// The upside-down task's search graph and its first candidates.
fn upside_down_state(d: &janus::Domain) -> (SearchGraph, Vec<janus::search::Candidate>) {
    let task = upside_down_task();
    let inputs: Vec<Vec<Value>> = task.examples.iter().map(|e| e.inputs.clone()).collect();
    let outputs: Vec<Value> = task.examples.iter().map(|e| e.output.clone()).collect();
    let g = SearchGraph::new(&d.registry, &inputs, &outputs, false).unwrap();
    let cands = valid_candidates(&g, &d.registry, Strategy::Bidir.directions());
    (g, cands)
}

#[test]
fn a_guide_as_a_prior_shifts_the_heuristic_by_its_log_probabilities() {
    let d = domain("arc").unwrap();
    let (g, cands) = upside_down_state(&d);
    // A model and its copy: one to read the log-probabilities, one to guide.
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 3);
    let lps = NeuralPolicy::log_probs(&model, &g, &cands);
    let guide = NeuralPolicy::new(model.with_vocabulary_of(d.clone(), 0));
    let prior = GuidedHeuristic::new(guide, &d, PriorSource::Action, 0.5);
    assert!(!prior.rescores(), "scored once, when proposed");
    let heuristic = HeuristicPolicy::for_domain(&d).score(&g, &cands);
    let scores = prior.score(&g, &cands);
    for (((c, s), h), lp) in cands.iter().zip(&scores).zip(&heuristic).zip(&lps) {
        let expected = if c.joins.is_some() { *h } else { h + 0.5 * lp };
        assert!((s - expected).abs() < 1e-9, "{s} vs {expected}");
    }
    // The shift is not uniform: the prior reorders candidates of equal cost.
    let shifts: Vec<f64> = scores.iter().zip(&heuristic).map(|(s, h)| s - h).collect();
    assert!(shifts.iter().any(|&x| (x - shifts[0]).abs() > 1e-6));
}

#[test]
fn a_guide_as_a_prior_orders_the_forward_phase_by_its_op_log_probabilities() {
    let d = domain("arc").unwrap();
    let (g, _) = upside_down_state(&d);
    let guide = NeuralPolicy::new(GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 3));
    let prior = GuidedHeuristic::new(guide, &d, PriorSource::NextOp, 0.5);
    let bonus = prior.forward_step_bonus(&g, &d.registry).unwrap();
    assert_eq!(bonus.len(), d.registry.len());
    // Half a nat's worth of each forward op's log-probability: below 0, above the floor
    // of 20 nats, and not the same for all.
    assert!(bonus.iter().all(|b| (-10.0..=0.0).contains(b)), "{bonus:?}");
    assert!(bonus.iter().any(|&b| (b - bonus[0]).abs() > 1e-6));
    let heuristic = HeuristicPolicy::for_domain(&d);
    assert_eq!(heuristic.forward_step_bonus(&g, &d.registry), None);
}

#[test]
fn the_op_prior_scores_each_op_alike_and_still_solves() {
    let d = domain("arc").unwrap();
    let (g, cands) = upside_down_state(&d);
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 0);
    let ops: Vec<Option<usize>> = cands
        .iter()
        .map(|c| model.ops.index_of(&c.action))
        .collect();
    let prior = GuidedHeuristic::new(NeuralPolicy::new(model), &d, PriorSource::NextOp, 1.0);
    let heuristic = HeuristicPolicy::for_domain(&d).score(&g, &cands);
    let shifts: Vec<f64> = prior
        .score(&g, &cands)
        .iter()
        .zip(&heuristic)
        .map(|(s, h)| s - h)
        .collect();
    // Candidates of one op get one shift, a log-probability (at most 0).
    for i in 0..cands.len() {
        for j in 0..cands.len() {
            if ops[i] == ops[j] && cands[i].joins.is_none() && cands[j].joins.is_none() {
                assert!((shifts[i] - shifts[j]).abs() < 1e-9);
            }
        }
        assert!(shifts[i] <= 1e-9);
    }
    let r = solve_with(&upside_down_task(), &d, &prior, &SolveConfig::default());
    assert!(r.solved, "{r:?}");
    assert_eq!(r.steps, Some(1));
}

#[test]
fn a_task_prior_asks_the_network_once_per_task_whatever_the_state() {
    let d = domain("arc").unwrap();
    let (mut g, cands) = upside_down_state(&d);
    let model = GuideModel::new(d.clone(), Strategy::Bidir, Device::Cpu, 5);
    let per_state = NeuralPolicy::new(model.with_vocabulary_of(d.clone(), 0));
    let per_state = GuidedHeuristic::new(per_state, &d, PriorSource::NextOp, 1.0);
    let per_task = GuidedHeuristic::new(NeuralPolicy::new(model), &d, PriorSource::TaskOp, 1.0);
    // In the task's first state the two agree.
    let first = per_task.score(&g, &cands);
    assert_eq!(first, per_state.score(&g, &cands));
    // A step later the per-state prior reads the new state; the task's prior does not.
    let step = cands.iter().find(|c| c.joins.is_none()).unwrap();
    g.apply(step, &d.registry);
    assert_eq!(per_task.score(&g, &cands), first);
    assert_ne!(per_state.score(&g, &cands), first);
    let r = solve_with(&upside_down_task(), &d, &per_task, &SolveConfig::default());
    assert!(r.solved, "{r:?}");
}
