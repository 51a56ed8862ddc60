//! Sampled rollouts, the original's inference: from the task's initial graph, repeatedly
//! sample one of all valid actions in proportion to `exp(score)` (the policy's scores are
//! log-probabilities), apply it, and stop when the target is grounded or after
//! `max_actions`; then start again from the initial graph, until the budget runs out.

use std::time::Instant;

use rand::{Rng, SeedableRng};

use super::actions::{valid_candidates, Directions};
use super::graph::{Applied, SearchGraph};
use super::policy::Policy;
use super::strategy::{Budget, SearchOutcome, SearchStats, Stop};
use crate::dsl::Registry;

/// Index drawn from `weights ∝ exp(scores)`.
pub fn sample_index(scores: &[f64], rng: &mut impl Rng) -> usize {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    let mut x = rng.gen::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        x -= w;
        if x <= 0.0 {
            return i;
        }
    }
    scores.len() - 1
}

/// Runs independent sampled rollouts of at most `max_actions` each within `budget`.
pub fn rollouts(
    start: &SearchGraph,
    registry: &Registry,
    policy: &dyn Policy,
    dirs: Directions,
    budget: Budget,
    max_actions: usize,
    seed: u64,
) -> SearchOutcome {
    let clock = Instant::now();
    let deadline = budget.timeout.map(|t| clock + t);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut stats = SearchStats::default();
    let out_of_budget = |stats: &SearchStats| {
        budget.max_expansions.is_some_and(|m| stats.expansions >= m)
            || deadline.is_some_and(|d| Instant::now() >= d)
    };
    let finish = |graph: &SearchGraph, stop, mut stats: SearchStats| {
        stats.nodes = graph.node_count() as u64;
        SearchOutcome {
            program: graph.program(graph.target(), registry),
            stop,
            stats,
            elapsed: clock.elapsed(),
        }
    };
    if max_actions == 0 {
        return finish(start, Stop::Exhausted, stats);
    }
    loop {
        let mut graph = start.clone();
        for _ in 0..max_actions {
            if graph.solved() {
                return finish(&graph, Stop::Solved, stats);
            }
            if out_of_budget(&stats) {
                let stop = if deadline.is_some_and(|d| Instant::now() >= d) {
                    Stop::Time
                } else {
                    Stop::Expansions
                };
                return finish(&graph, stop, stats);
            }
            let candidates = valid_candidates(&graph, registry, dirs);
            stats.candidates += candidates.len() as u64;
            if candidates.is_empty() {
                break;
            }
            let scores = policy.score(&graph, &candidates);
            let pick = sample_index(&scores, &mut rng);
            match graph.apply(&candidates[pick], registry) {
                Applied::Changed(_) => stats.expansions += 1,
                _ => stats.wasted += 1,
            }
        }
        if graph.solved() {
            return finish(&graph, Stop::Solved, stats);
        }
        if budget.max_expansions.is_none() && budget.timeout.is_none() {
            return finish(&graph, Stop::Exhausted, stats);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::dsl::Value;
    use crate::search::{EnumerationPolicy, Strategy};

    #[test]
    fn sampling_follows_the_scores() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
        let scores = [0.0, (3.0f64).ln()]; // weights 1 : 3
        let ones = (0..4000)
            .filter(|_| sample_index(&scores, &mut rng) == 1)
            .count();
        assert!((2800..3200).contains(&ones), "{ones}");
    }

    #[test]
    fn random_rollouts_solve_a_one_step_task() {
        // Uniform scores: a random walk of one action; 2 -> 4 is double or 2+1+1.
        let d = DomainKind::DoubleAdd.domain();
        let g =
            SearchGraph::new(&d.registry, &[vec![Value::int(2)]], &[Value::int(4)], false).unwrap();
        let budget = Budget {
            max_expansions: Some(1000),
            timeout: None,
        };
        let out = rollouts(
            &g,
            &d.registry,
            &EnumerationPolicy,
            Strategy::Bidir.directions(),
            budget,
            3,
            1,
        );
        assert_eq!(out.stop, Stop::Solved);
        assert!(out.program.is_some());
    }
}
