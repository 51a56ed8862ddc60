//! Random 24 Game tasks for the guide: random trees of operations over numbers 1-13.

use std::collections::HashSet;

use num_bigint::BigInt;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domains::{Domain, Program, Sample, SampleSpec};
use crate::dsl::{PrimId, Value};
use crate::task::Task;

/// The 24 Game's sampler: random tasks spread evenly over the depths, none of them one of
/// the held-out puzzles.
pub fn sample(domain: &Domain, spec: &SampleSpec) -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let held: HashSet<_> = spec
        .held_out
        .iter()
        .map(|t| puzzle_key(&t.examples[0].inputs, &t.examples[0].output))
        .collect();
    (0..spec.count)
        .map(|i| random_24(domain, spec.depths[i % spec.depths.len()], &held, &mut rng))
        .collect()
}

/// Largest magnitude of a value in a random 24 Game program.
const MAX_24_VALUE: i64 = 200;
/// Largest denominator in a random 24 Game program.
const MAX_24_DENOMINATOR: i64 = 12;

fn small_rational(v: &Value) -> bool {
    v.as_rat().is_some_and(|r| {
        let bound = BigInt::from(MAX_24_VALUE);
        r.denom() <= BigInt::from(MAX_24_DENOMINATOR) && r.numer() <= bound && r.numer() >= -bound
    })
}

/// A random 24 Game task of `depth` operations on `depth + 1` numbers from 1..=13: pairs
/// of numbers or partial results are combined by random operations until one value is
/// left, every value staying a small rational. Tasks in `held_out` (same numbers in any
/// order, same target) are drawn again, so that benchmark puzzles never occur in
/// training.
pub fn random_24(
    domain: &Domain,
    depth: usize,
    held_out: &HashSet<(Vec<Value>, Value)>,
    rng: &mut impl Rng,
) -> Sample {
    let registry = &domain.registry;
    let ops: Vec<PrimId> = registry
        .iter()
        .filter(|(_, p)| p.arity == 2)
        .map(|(id, _)| id)
        .collect();
    loop {
        let numbers: Vec<Value> = (0..=depth)
            .map(|_| Value::rat(rng.gen_range(1..=13), 1))
            .collect();
        let mut pool: Vec<(Program, Value)> = numbers
            .iter()
            .enumerate()
            .map(|(i, v)| (Program::Input(i), v.clone()))
            .collect();
        let mut tries = 0;
        while pool.len() > 1 && tries < 100 {
            tries += 1;
            let i = rng.gen_range(0..pool.len());
            let j = (i + rng.gen_range(1..pool.len())) % pool.len();
            let op = *ops.choose(rng).expect("binary ops");
            let args = [pool[i].1.clone(), pool[j].1.clone()];
            let Ok(v) = (registry.get(op).forward)(&args) else {
                continue;
            };
            if !small_rational(&v) {
                continue;
            }
            let program = Program::Apply(op, vec![pool[i].0.clone(), pool[j].0.clone()]);
            let (hi, lo) = (i.max(j), i.min(j));
            pool.swap_remove(hi);
            pool.swap_remove(lo);
            pool.push((program, v));
        }
        let [(program, target)] = &pool[..] else {
            continue;
        };
        if numbers.contains(target) || held_out.contains(&puzzle_key(&numbers, target)) {
            continue;
        }
        let task = Task::twenty_four(format!("random-depth{depth}"), numbers, target.clone());
        return Sample {
            task,
            program: program.clone(),
        };
    }
}

/// A 24 Game task's identity for [`random_24`]'s `held_out`: its numbers sorted, and its
/// target.
pub fn puzzle_key(numbers: &[Value], target: &Value) -> (Vec<Value>, Value) {
    let mut sorted = numbers.to_vec();
    sorted.sort_by(|a, b| {
        let (x, y) = (
            a.as_rat().map(|r| r.to_f64()),
            b.as_rat().map(|r| r.to_f64()),
        );
        x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
    });
    (sorted, target.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;

    #[test]
    fn random_24_programs_compute_their_targets_with_every_number_once() {
        let d = DomainKind::TwentyFour.domain();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        // Hold out every 2-number task that makes 24 from 2..=13 and 2 (12 * 2 etc.).
        let held: HashSet<(Vec<Value>, Value)> = (1..=13)
            .flat_map(|a| (1..=13).map(move |b| (a, b)))
            .map(|(a, b)| puzzle_key(&[Value::rat(a, 1), Value::rat(b, 1)], &Value::rat(24, 1)))
            .collect();
        for depth in 1..=4 {
            let s = random_24(&d, depth, &held, &mut rng);
            let ex = &s.task.examples[0];
            assert_eq!(ex.inputs.len(), depth + 1);
            assert_eq!(s.program.steps(), depth);
            assert_eq!(s.program.eval(&d.registry, &ex.inputs).unwrap(), ex.output);
            assert!(!held.contains(&puzzle_key(&ex.inputs, &ex.output)));
        }
        for _ in 0..200 {
            let s = random_24(&d, 1, &held, &mut rng);
            assert_ne!(s.task.examples[0].output, Value::rat(24, 1));
        }
    }

    #[test]
    fn random_24_is_reproducible_from_its_seed() {
        let d = DomainKind::TwentyFour.domain();
        let draw = |seed| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            random_24(&d, 3, &HashSet::new(), &mut rng).task
        };
        assert_eq!(draw(3), draw(3));
    }
}
