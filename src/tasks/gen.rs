//! Task generators: every solvable 24 Game puzzle (found by exhaustive forward search) and
//! seeded random double-and-add targets.

use std::collections::BTreeSet;

use num_bigint::{BigInt, RandBigInt};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::Task;
use crate::domains::DomainKind;
use crate::dsl::Value;
use crate::search::{Budget, Strategy};
use crate::solve::{solve_with, ForwardPhase, SolveConfig};

/// A solvable puzzle: its numbers (ascending) and one program that makes 24.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Puzzle {
    /// The numbers, ascending.
    pub numbers: Vec<u32>,
    /// A program found for it.
    pub program: String,
}

/// Every multiset of `size` numbers from 1 to `max`, ascending.
fn multisets(size: usize, max: u32) -> Vec<Vec<u32>> {
    fn go(start: u32, max: u32, size: usize, buf: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if buf.len() == size {
            out.push(buf.clone());
            return;
        }
        for n in start..=max {
            buf.push(n);
            go(n, max, size, buf, out);
            buf.pop();
        }
    }
    let mut out = Vec::new();
    go(1, max, size, &mut Vec::new(), &mut out);
    out
}

/// The puzzles of four numbers from 1 to `max` that make `target`, each decided by an
/// exhaustive forward search (no budget, so "unsolvable" is proved, not guessed).
pub fn solvable_24(max: u32, target: i64) -> Vec<Puzzle> {
    let d = DomainKind::TwentyFour.domain();
    let config = SolveConfig {
        mode: Default::default(),
        strategy: Strategy::Forward,
        budget: Budget::default(),
        attempts: 1,
        forward: ForwardPhase::OFF,
        profile: false,
    };
    let policy = crate::solve::default_policy(Strategy::Forward, &d);
    multisets(4, max)
        .into_par_iter()
        .filter_map(|numbers| {
            let values = numbers.iter().map(|&n| Value::rat(n as i64, 1)).collect();
            let task = Task::twenty_four(String::new(), values, Value::rat(target, 1));
            let report = solve_with(&task, &d, policy.as_ref(), &config);
            report.solved.then(|| Puzzle {
                numbers,
                program: report.program.unwrap_or_default(),
            })
        })
        .collect()
}

/// The CSV janus writes for puzzles: `Puzzles,Program`, readable by `janus solve`.
pub fn render_24(puzzles: &[Puzzle]) -> String {
    let mut out = String::from("Puzzles,Program\n");
    for p in puzzles {
        let numbers: Vec<String> = p.numbers.iter().map(u32::to_string).collect();
        out.push_str(&format!("{},{}\n", numbers.join(" "), p.program));
    }
    out
}

/// A range that cannot give the targets asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetRangeError {
    /// The lower bound is above the upper one.
    #[error("--min {min} is above --max {max}")]
    Empty {
        /// The lower bound.
        min: BigInt,
        /// The upper bound.
        max: BigInt,
    },
    /// The range holds fewer numbers than targets asked for.
    #[error("cannot draw {count} distinct targets from [{min}, {max}]")]
    TooSmall {
        /// Targets asked for.
        count: usize,
        /// The lower bound.
        min: BigInt,
        /// The upper bound.
        max: BigInt,
    },
}

/// `count` distinct targets drawn uniformly from `[min, max]` with `seed`, in draw order.
pub fn double_add_targets(
    count: usize,
    min: &BigInt,
    max: &BigInt,
    seed: u64,
) -> Result<Vec<BigInt>, TargetRangeError> {
    if min > max {
        return Err(TargetRangeError::Empty {
            min: min.clone(),
            max: max.clone(),
        });
    }
    let range = max - min + 1u32;
    if BigInt::from(count) > range {
        return Err(TargetRangeError::TooSmall {
            count,
            min: min.clone(),
            max: max.clone(),
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(count);
    let end = max + 1u32;
    while out.len() < count {
        let t = rng.gen_bigint_range(min, &end);
        if seen.insert(t.clone()) {
            out.push(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multisets_are_counted_by_stars_and_bars() {
        assert_eq!(multisets(4, 13).len(), 1820);
        assert_eq!(
            multisets(2, 3),
            vec![
                vec![1, 1],
                vec![1, 2],
                vec![1, 3],
                vec![2, 2],
                vec![2, 3],
                vec![3, 3]
            ]
        );
    }

    #[test]
    fn targets_are_seeded_distinct_and_in_range() {
        let (min, max) = (BigInt::from(3), BigInt::from(5_000_000));
        let a = double_add_targets(50, &min, &max, 7).unwrap();
        assert_eq!(a, double_add_targets(50, &min, &max, 7).unwrap());
        assert_ne!(a, double_add_targets(50, &min, &max, 8).unwrap());
        assert!(a.iter().all(|t| *t >= min && *t <= max));
        assert_eq!(a.iter().collect::<BTreeSet<_>>().len(), 50);
        assert!(double_add_targets(5, &BigInt::from(1), &BigInt::from(3), 0).is_err());
    }
}
