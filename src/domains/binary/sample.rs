//! Random double-and-add tasks for the guide: shortest programs to random targets.

use std::collections::HashSet;

use num_bigint::BigInt;
use num_integer::Integer;
use rand::Rng;

use crate::domains::{Domain, Program, Sample, SampleSpec};
use crate::dsl::Value;
use crate::task::{DomainKind, Example, Task};

/// Largest double-and-add target of the training programs (the original's range).
pub const DOUBLE_ADD_MAX: u64 = 5_000_000;

/// Double-and-add's sampler: shortest programs to distinct targets in [3, 5,000,000],
/// none of them a held-out task's.
pub fn sample(domain: &Domain, spec: &SampleSpec) -> Vec<Sample> {
    let held: HashSet<BigInt> = spec
        .held_out
        .iter()
        .filter_map(|t| t.examples[0].output.as_int().cloned())
        .collect();
    double_add_training_targets(spec.count, DOUBLE_ADD_MAX, spec.seed, &held)
        .iter()
        .map(|t| double_add_sample(domain, t))
        .collect()
}

/// The shortest `plus_one`/`double` program from 2 to `target` (`target` >= 3), as a
/// double-and-add sample.
pub fn double_add_sample(domain: &Domain, target: &BigInt) -> Sample {
    let registry = &domain.registry;
    let (plus_one, double) = (
        registry.id("plus_one").expect("double-add has plus_one"),
        registry.id("double").expect("double-add has double"),
    );
    // Going down from the target: halve while the half stays >= 2, else subtract one.
    let mut ops = Vec::new();
    let mut n = target.clone();
    let two = BigInt::from(2);
    while n > two {
        if n.is_even() && &n / 2u32 >= two {
            ops.push(double);
            n /= 2u32;
        } else {
            ops.push(plus_one);
            n -= 1u32;
        }
    }
    let program = ops
        .iter()
        .rev()
        .fold(Program::Input(0), |p, &op| Program::Apply(op, vec![p]));
    let task = Task {
        id: target.to_string(),
        domain: DomainKind::DoubleAdd,
        examples: vec![Example {
            inputs: vec![Value::int(2)],
            output: Value::Int(target.clone()),
        }],
        tests: Vec::new(),
        linear: false,
    };
    Sample { task, program }
}

/// `count` distinct double-and-add targets from [3, `max`] drawn with `seed`, none of
/// them in `held_out`.
fn double_add_training_targets(
    count: usize,
    max: u64,
    seed: u64,
    held_out: &HashSet<BigInt>,
) -> Vec<BigInt> {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count && (seen.len() as u64) < max.saturating_sub(2) {
        let t = BigInt::from(rng.gen_range(3..=max));
        if !held_out.contains(&t) && seen.insert(t.clone()) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_add_programs_are_shortest() {
        let d = DomainKind::DoubleAdd.domain();
        for t in [3u32, 5, 7, 8, 1000, 4_999_999] {
            let s = double_add_sample(&d, &BigInt::from(t));
            let out = s.program.eval(&d.registry, &[Value::int(2)]).unwrap();
            assert_eq!(out, Value::int(t));
            let shortest = crate::domains::binary::steps_between(&Value::int(2), &Value::int(t));
            assert_eq!(s.program.steps() as f64, shortest);
        }
    }

    #[test]
    fn training_targets_avoid_the_held_out_ones() {
        let held: HashSet<BigInt> = (3..100u32).map(BigInt::from).collect();
        let t = double_add_training_targets(50, 200, 1, &held);
        assert_eq!(t.len(), 50);
        assert!(t
            .iter()
            .all(|x| !held.contains(x) && *x <= BigInt::from(200)));
    }
}
