//! Deterministic finite automata for the `automaton` task: drawn at random from a seed,
//! written into the dataset file, and run on strings.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// A complete deterministic automaton: `next[state][symbol]`, states `q0..`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Automaton {
    /// The input symbols, as tokens.
    pub alphabet: Vec<String>,
    /// The transition table.
    pub next: Vec<Vec<usize>>,
    /// The start state.
    pub start: usize,
}

/// The most states and symbols an automaton may have.
pub const MAX_STATES: usize = 64;

impl Automaton {
    /// A random automaton of `states` states over `symbols` symbols (`a`, `b`, ...),
    /// drawn from `seed`, whose every state is reachable from the start (redrawn up to
    /// 100 times; then a cycle through all states on `a` is forced).
    pub fn random(states: usize, symbols: usize, seed: u64) -> Automaton {
        let states = states.clamp(1, MAX_STATES);
        let symbols = symbols.clamp(1, 26);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let alphabet: Vec<String> = (0..symbols)
            .map(|i| char::from(b'a' + i as u8).to_string())
            .collect();
        let draw = |rng: &mut ChaCha8Rng| Automaton {
            alphabet: alphabet.clone(),
            next: (0..states)
                .map(|_| (0..symbols).map(|_| rng.gen_range(0..states)).collect())
                .collect(),
            start: 0,
        };
        for _ in 0..100 {
            let a = draw(&mut rng);
            if a.reachable() == states {
                return a;
            }
        }
        let mut a = draw(&mut rng);
        for (s, row) in a.next.iter_mut().enumerate() {
            row[0] = (s + 1) % states;
        }
        a
    }

    /// How many states the start reaches.
    fn reachable(&self) -> usize {
        let mut seen = vec![false; self.next.len()];
        let mut todo = vec![self.start];
        seen[self.start] = true;
        while let Some(s) = todo.pop() {
            for &t in &self.next[s] {
                if !seen[t] {
                    seen[t] = true;
                    todo.push(t);
                }
            }
        }
        seen.iter().filter(|&&s| s).count()
    }

    /// The state after each symbol of `input` (indices into the alphabet).
    pub fn run(&self, input: &[usize]) -> Vec<usize> {
        let mut state = self.start;
        input
            .iter()
            .map(|&x| {
                state = self.next[state][x];
                state
            })
            .collect()
    }

    /// A state's token: `q3`.
    pub fn state_name(&self, state: usize) -> String {
        format!("q{state}")
    }

    /// Why this automaton cannot be used (read from a file), if it cannot.
    pub fn check(&self) -> Result<(), String> {
        let states = self.next.len();
        if states == 0 || states > MAX_STATES {
            return Err(format!(
                "an automaton has 1 to {MAX_STATES} states, not {states}"
            ));
        }
        if self.alphabet.is_empty() || self.alphabet.len() > 26 {
            return Err("an automaton's alphabet has 1 to 26 symbols".into());
        }
        if self.start >= states {
            return Err(format!("start state {} of {states}", self.start));
        }
        for (s, row) in self.next.iter().enumerate() {
            if row.len() != self.alphabet.len() || row.iter().any(|&t| t >= states) {
                return Err(format!(
                    "state q{s}: one next state per symbol, each below {states}"
                ));
            }
        }
        Ok(())
    }
}
