//! Random forward programs: the training tasks of the policy networks. Each domain has
//! its generator, all seeded; a sample is a task together with a program that solves it.

use std::collections::HashSet;

use num_bigint::BigInt;
use num_integer::Integer;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::domains::Domain;
use crate::dsl::{EvalError, PrimId, Registry, Value};
use crate::tasks::{Example, Task};

/// A forward program over a task's inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// Input `i` of the task.
    Input(usize),
    /// A primitive applied to sub-programs, one per argument slot.
    Apply(PrimId, Vec<Program>),
    /// A constant argument (an ARC colour): the search has no node for it until a
    /// conditional inverse reads it off, so replays reach it only backward.
    Const(Value),
}

impl Program {
    /// The program's value on one example's inputs.
    pub fn eval(&self, registry: &Registry, inputs: &[Value]) -> Result<Value, EvalError> {
        match self {
            Program::Input(i) => Ok(inputs[*i].clone()),
            Program::Const(v) => Ok(v.clone()),
            Program::Apply(p, kids) => {
                let args = kids
                    .iter()
                    .map(|k| k.eval(registry, inputs))
                    .collect::<Result<Vec<_>, _>>()?;
                (registry.get(*p).forward)(&args)
            }
        }
    }

    /// Primitive applications.
    pub fn steps(&self) -> usize {
        match self {
            Program::Input(_) | Program::Const(_) => 0,
            Program::Apply(_, kids) => 1 + kids.iter().map(Program::steps).sum::<usize>(),
        }
    }
}

/// A task with a program known to solve it.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The task (its examples are the program's outputs).
    pub task: Task,
    /// A program that solves it.
    pub program: Program,
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
        domain: "double-add".into(),
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
pub fn double_add_training_targets(
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
    use crate::domains::domain;
    use rand::SeedableRng;

    #[test]
    fn random_24_programs_compute_their_targets_with_every_number_once() {
        let d = domain("24").unwrap();
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
        let d = domain("24").unwrap();
        let draw = |seed| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            random_24(&d, 3, &HashSet::new(), &mut rng).task
        };
        assert_eq!(draw(3), draw(3));
    }

    #[test]
    fn double_add_programs_are_shortest() {
        let d = domain("double-add").unwrap();
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
