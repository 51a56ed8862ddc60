//! Training a guide: supervised learning on bidirized random programs (Adam, the
//! cross-entropy of op and arguments), then REINFORCE with the original's shaped reward,
//! and the evaluations logged after each epoch.

use std::collections::HashSet;

use petgraph::stable_graph::NodeIndex;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use tch::nn::{self, OptimizerConfig};

use super::encode::{ActionMasks, ActionView, EncodedState};
use super::model::GuideModel;
use super::teacher::{demonstrate, DemoConfig, Step, NEGATIVES};
use crate::domains::{Domain, PrimPrior, Sample, SampleSpec};
use crate::search::{actions, Applied, Candidate, SearchGraph};
use crate::tasks::Task;

/// Random training programs for `domain`: `count` of them, seeded, drawn by the domain's
/// sampler (see [`crate::domains::GuideHooks::sampler`]). The 24 Game's and ARC's are
/// spread evenly over `depths`; none is a task of `held_out`; ARC's run on the input grids
/// of the tasks `grids` (random grids when it has none) and draw primitives by `prior`
/// (uniformly when there is none).
pub fn training_samples(
    domain: &Domain,
    count: usize,
    depths: &[usize],
    held_out: &[Task],
    grids: &[Task],
    prior: Option<&PrimPrior>,
    seed: u64,
) -> Vec<Sample> {
    let spec = SampleSpec {
        count,
        depths,
        held_out,
        grids,
        prior,
        seed,
    };
    (domain.guide.sampler)(domain, &spec)
}

/// The supervised steps of every sample (in parallel; sample `i` uses seed `seed + i`).
pub fn supervision(
    model: &GuideModel,
    samples: &[Sample],
    config: DemoConfig,
    seed: u64,
) -> Vec<Step> {
    let dirs = model.strategy.directions();
    let (domain, ops) = (&model.domain, &model.ops);
    samples
        .par_iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(i as u64));
            demonstrate(s, domain, ops, dirs, config, &mut rng)
        })
        .flatten()
        .collect()
}

/// An Adam optimiser over the model's weights.
pub fn optimizer(model: &GuideModel, lr: f64) -> nn::Optimizer {
    nn::Adam::default()
        .build(&model.vs, lr)
        .expect("Adam over a var store")
}

/// One pass over `steps` in shuffled batches; the mean loss, and `on_batch` after each.
pub fn train_epoch(
    model: &GuideModel,
    opt: &mut nn::Optimizer,
    steps: &[Step],
    batch: usize,
    rng: &mut impl Rng,
    on_batch: &mut dyn FnMut(),
) -> f64 {
    let mut order: Vec<usize> = (0..steps.len()).collect();
    order.shuffle(rng);
    let (mut total, mut batches) = (0.0, 0);
    for chunk in order.chunks(batch.max(1)) {
        let batch: Vec<&Step> = chunk.iter().map(|&i| &steps[i]).collect();
        let loss = model.net.loss(&batch, model.device());
        opt.backward_step_clip_norm(&loss, 1.0);
        total += loss.double_value(&[]);
        batches += 1;
        on_batch();
    }
    total / batches.max(1) as f64
}

/// One episode of sampled actions.
pub struct Episode {
    /// The decisions taken, in order.
    pub steps: Vec<Step>,
    /// For each decision, whether its step is part of the program found.
    pub used: Vec<bool>,
    /// Whether the target was grounded.
    pub solved: bool,
}

struct Env {
    graph: SearchGraph,
    steps: Vec<Step>,
    keys: Vec<Option<(usize, Vec<NodeIndex>)>>,
    done: bool,
}

/// The nodes an applied candidate connects (its arguments and outputs), as a key that
/// matches the program's steps.
fn step_key(graph: &SearchGraph, c: &Candidate) -> Option<(usize, Vec<NodeIndex>)> {
    let mut nodes = c.action.args.clone();
    for (values, usage) in &c.outputs {
        nodes.push(graph.lookup(values, *usage)?);
    }
    Some(node_set_key(c.action.prim, nodes))
}

/// A primitive with the set of nodes it connects (sorted, without repeats).
fn node_set_key(prim: usize, mut nodes: Vec<NodeIndex>) -> (usize, Vec<NodeIndex>) {
    nodes.sort();
    nodes.dedup();
    (prim, nodes)
}

/// Runs one sampled episode per task, all in lockstep so that each step is one batched
/// network call; at most `max_actions` actions each. A candidate that completes the
/// program is always taken, as in the search.
pub fn run_episodes(
    model: &GuideModel,
    tasks: &[Task],
    max_actions: usize,
    rng: &mut impl Rng,
) -> Vec<Episode> {
    let registry = &model.domain.registry;
    let dirs = model.strategy.directions();
    let mut envs: Vec<Env> = tasks
        .iter()
        .map(|t| {
            let inputs: Vec<Vec<_>> = t.examples.iter().map(|e| e.inputs.clone()).collect();
            let outputs: Vec<_> = t.examples.iter().map(|e| e.output.clone()).collect();
            let graph = SearchGraph::new(registry, &inputs, &outputs, t.linear)
                .expect("a valid random task")
                .with_literals(model.domain.literals.clone());
            Env {
                graph,
                steps: Vec::new(),
                keys: Vec::new(),
                done: false,
            }
        })
        .collect();
    let (ops, encoding) = (&model.ops, model.encoding);
    for _ in 0..max_actions {
        let active: Vec<usize> = (0..envs.len())
            .filter(|&i| !envs[i].done && !envs[i].graph.solved())
            .collect();
        if active.is_empty() {
            break;
        }
        let views: Vec<(EncodedState, ActionMasks, Vec<Candidate>, Vec<ActionView>)> = active
            .par_iter()
            .map(|&i| {
                let g = &envs[i].graph;
                let state = EncodedState::new(g, encoding);
                let cands: Vec<Candidate> = actions::valid_candidates(g, registry, dirs)
                    .into_iter()
                    .filter(|c| ops.index_of(&c.action).is_some())
                    .collect();
                let masks = ActionMasks::new(ops, &state, cands.iter().map(|c| &c.action));
                let acts = cands
                    .iter()
                    .map(|c| ActionView::new(ops, &state, c).expect("filtered"))
                    .collect();
                (state, masks, cands, acts)
            })
            .collect();
        let states: Vec<&EncodedState> = views.iter().map(|v| &v.0).collect();
        let masks: Vec<&ActionMasks> = views.iter().map(|v| &v.1).collect();
        let acts: Vec<Vec<&ActionView>> = views.iter().map(|v| v.3.iter().collect()).collect();
        let lps = model
            .net
            .action_log_probs(&states, &masks, &acts, model.device());
        for ((&i, (state, masks, cands, acts)), lp) in active.iter().zip(views).zip(lps) {
            let env = &mut envs[i];
            if cands.is_empty() {
                env.done = true;
                continue;
            }
            let pick = match cands.iter().position(|c| c.joins.is_some()) {
                Some(j) => j,
                None => crate::search::rollout::sample_index(&lp, rng),
            };
            let c = &cands[pick];
            // The step keeps the action taken first and a sample of the others.
            let mut kept = vec![acts[pick].clone()];
            let others: Vec<&ActionView> = (0..acts.len())
                .filter(|&j| j != pick)
                .map(|j| &acts[j])
                .collect();
            kept.extend(others.choose_multiple(rng, NEGATIVES).map(|&a| a.clone()));
            let step = Step {
                state,
                masks,
                actions: kept,
                weight: 1.0,
            };
            if let Applied::Changed(_) = env.graph.apply(c, registry) {
                env.keys.push(step_key(&env.graph, c));
                env.steps.push(step);
                continue;
            }
            env.done = true;
        }
    }
    envs.into_iter()
        .map(|env| {
            let solved = env.graph.solved();
            let program: HashSet<(usize, Vec<NodeIndex>)> = env
                .graph
                .program_steps(env.graph.target())
                .into_iter()
                .map(|(prim, mut nodes, out)| {
                    nodes.push(out);
                    node_set_key(prim, nodes)
                })
                .collect();
            let used = env
                .keys
                .iter()
                .map(|k| solved && k.as_ref().is_some_and(|k| program.contains(k)))
                .collect();
            Episode {
                steps: env.steps,
                used,
                solved,
            }
        })
        .collect()
}

/// The original's shaped reward per decision: `1 / |program|` for each step of the
/// program found (so a solved episode earns 1 in all), `-penalty` for each other step.
fn shaped_rewards(episode: &Episode, penalty: f32) -> Vec<f32> {
    let n_used = episode.used.iter().filter(|&&u| u).count().max(1) as f32;
    episode
        .used
        .iter()
        .map(|&u| if u { 1.0 / n_used } else { -penalty })
        .collect()
}

/// One REINFORCE update on sampled episodes of `tasks`: the loss is
/// `-mean(log p(action) * (reward - baseline))` with the batch's mean reward as the
/// baseline. Returns the loss and the fraction of episodes solved.
pub fn reinforce_epoch(
    model: &GuideModel,
    opt: &mut nn::Optimizer,
    tasks: &[Task],
    max_actions: usize,
    rng: &mut impl Rng,
) -> (f64, f64) {
    let episodes = run_episodes(model, tasks, max_actions, rng);
    let solved = episodes.iter().filter(|e| e.solved).count() as f64 / tasks.len().max(1) as f64;
    let mut steps: Vec<Step> = Vec::new();
    for e in &episodes {
        for (mut s, r) in e.steps.iter().cloned().zip(shaped_rewards(e, 0.1)) {
            s.weight = r;
            steps.push(s);
        }
    }
    if steps.is_empty() {
        return (0.0, solved);
    }
    let baseline = steps.iter().map(|s| s.weight).sum::<f32>() / steps.len() as f32;
    steps.iter_mut().for_each(|s| s.weight -= baseline);
    let batch: Vec<&Step> = steps.iter().collect();
    let loss = model.net.loss(&batch, model.device());
    opt.backward_step_clip_norm(&loss, 1.0);
    (loss.double_value(&[]), solved)
}

/// The action limit of a sampled episode on a random task of `depth` steps (the
/// domain's rule).
pub fn max_actions(domain: &Domain, depth: usize) -> usize {
    (domain.guide.max_actions)(depth)
}
