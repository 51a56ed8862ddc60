//! The task generators: seeded examples of any length, each in two forms, the answer
//! alone and with a chain-of-thought trace that writes the intermediate states out as
//! tokens. Every example is a token sequence: a prompt, then the target the model must
//! write (the trace, `=>`, the answer, then [`END`]).

use std::fmt;
use std::str::FromStr;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::automaton::Automaton;

/// The token that ends a target.
pub const END: &str = "<end>";
/// The token between a trace and its answer.
pub const THEN: &str = "=>";
/// The tokens that end a segment (a prompt's part, a trace's step): the features read
/// the previous segments at the current index (see `features.rs`).
pub const MARKERS: [&str; 6] = ["=", THEN, "+", ";", "is", END];

/// Which task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskKind {
    /// Parity of a bit string (`1 0 1 1 =` -> `1`).
    Parity,
    /// The number of `a`s in a string of `a`s and `b`s, modulo k.
    Modcount,
    /// The state a given finite automaton ends in on a string.
    Automaton,
    /// The sum of two numbers of L digits each (L + 1 digits, most significant first).
    Addition,
    /// A Boolean expression in BIG-Bench-Hard's form (`not ( True ) and ( False ) is`).
    Boolean,
    /// The closing brackets that complete a prefix of a Dyck word.
    Dyck,
}

impl TaskKind {
    /// Every task.
    pub const ALL: [TaskKind; 6] = [
        TaskKind::Parity,
        TaskKind::Modcount,
        TaskKind::Automaton,
        TaskKind::Addition,
        TaskKind::Boolean,
        TaskKind::Dyck,
    ];

    /// The task's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            TaskKind::Parity => "parity",
            TaskKind::Modcount => "modcount",
            TaskKind::Automaton => "automaton",
            TaskKind::Addition => "addition",
            TaskKind::Boolean => "boolean",
            TaskKind::Dyck => "dyck",
        }
    }
}

impl fmt::Display for TaskKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TaskKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        TaskKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                format!("unknown task `{s}` (parity, modcount, automaton, addition, boolean, dyck)")
            })
    }
}

/// What a dataset is: its task, form, and the task's own settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The task.
    pub task: TaskKind,
    /// Whether targets carry a chain-of-thought trace.
    pub cot: bool,
    /// `modcount`'s k.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modulus: Option<usize>,
    /// `automaton`'s automaton.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automaton: Option<Automaton>,
}

/// One example: the prompt, the target to write after it, the answer inside the target,
/// and the input's length (bits, symbols, digits, operands or brackets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The prompt's tokens.
    pub prompt: Vec<String>,
    /// The tokens to generate: the trace and `=>` (with chain of thought), the answer, `<end>`.
    pub target: Vec<String>,
    /// The answer's tokens.
    pub answer: Vec<String>,
    /// The input's length.
    pub length: usize,
}

/// Settings of [`generate`].
#[derive(Clone, Debug)]
pub struct GenConfig {
    /// The task and form.
    pub spec: TaskSpec,
    /// Examples to make.
    pub count: usize,
    /// Lengths are drawn uniformly from `min_len..=max_len`.
    pub min_len: usize,
    /// The longest input.
    pub max_len: usize,
}

/// `config.count` examples drawn with `rng`.
pub fn generate(config: &GenConfig, rng: &mut ChaCha8Rng) -> Vec<Example> {
    (0..config.count)
        .map(|_| {
            let length = rng.gen_range(config.min_len.max(1)..=config.max_len.max(1));
            example(&config.spec, length, rng)
        })
        .collect()
}

/// One example of `length`.
pub fn example(spec: &TaskSpec, length: usize, rng: &mut ChaCha8Rng) -> Example {
    let (prompt, trace, answer) = match spec.task {
        TaskKind::Parity => running(rng, length, &["0", "1"], 2, "1"),
        TaskKind::Modcount => running(rng, length, &["a", "b"], spec.modulus.unwrap_or(3), "a"),
        TaskKind::Automaton => {
            let a = spec.automaton.as_ref().expect("an automaton task has one");
            automaton(a, length, rng)
        }
        TaskKind::Addition => addition(length, rng),
        TaskKind::Boolean => boolean(length, rng),
        TaskKind::Dyck => dyck(length, rng),
    };
    let mut target = Vec::new();
    if spec.cot {
        target.extend(trace);
        target.push(THEN.to_string());
    }
    target.extend(answer.iter().cloned());
    target.push(END.to_string());
    Example {
        prompt,
        target,
        answer,
        length,
    }
}

/// A prompt, a trace and an answer.
type Parts = (Vec<String>, Vec<String>, Vec<String>);

fn words(tokens: &[&str]) -> Vec<String> {
    tokens.iter().map(|t| t.to_string()).collect()
}

/// A string over `alphabet` and the running count of `counted` modulo `modulus` after each
/// symbol (parity: bits, counting 1s modulo 2).
fn running(
    rng: &mut ChaCha8Rng,
    length: usize,
    alphabet: &[&str],
    modulus: usize,
    counted: &str,
) -> Parts {
    let input: Vec<&str> = (0..length)
        .map(|_| *alphabet.choose(rng).expect("an alphabet"))
        .collect();
    let mut count = 0;
    let trace: Vec<String> = input
        .iter()
        .map(|&x| {
            count = (count + usize::from(x == counted)) % modulus.max(1);
            count.to_string()
        })
        .collect();
    let mut prompt = words(&input);
    prompt.push("=".into());
    let answer = vec![trace.last().cloned().unwrap_or_else(|| "0".into())];
    (prompt, trace, answer)
}

/// A string over the automaton's alphabet, and its state after each symbol.
fn automaton(a: &Automaton, length: usize, rng: &mut ChaCha8Rng) -> Parts {
    let input: Vec<usize> = (0..length)
        .map(|_| rng.gen_range(0..a.alphabet.len()))
        .collect();
    let mut prompt: Vec<String> = input.iter().map(|&x| a.alphabet[x].clone()).collect();
    prompt.push("=".into());
    let states = a.run(&input);
    let trace: Vec<String> = states.iter().map(|&s| a.state_name(s)).collect();
    let answer = vec![a.state_name(*states.last().unwrap_or(&a.start))];
    (prompt, trace, answer)
}

/// Two numbers of `length` digits; the answer is the sum's `length + 1` digits, most
/// significant first. The trace works a column at a time from the least significant,
/// in two parts (`;` between them): first each column's pair of digits as one token
/// (`7+5`), then each column's sum with the carry in (`12`). Each step is then a lookup
/// a tree holds: a pair token is two aligned reads of the operands, a sum is a function
/// of one pair token and whether the previous sum reached ten, and each answer digit is
/// one sum read from the end. A step that added two digits directly would ask the
/// trees for a sum of two one-hot reads, where no single split is informative.
fn addition(length: usize, rng: &mut ChaCha8Rng) -> Parts {
    let a: Vec<u8> = (0..length).map(|_| rng.gen_range(0..10)).collect();
    let b: Vec<u8> = (0..length).map(|_| rng.gen_range(0..10)).collect();
    // Each column's sum with the carry in, least significant first.
    let mut sums: Vec<u8> = Vec::new();
    for i in (0..length).rev() {
        let carry = sums.last().map_or(0, |s| s / 10);
        sums.push(a[i] + b[i] + carry);
    }
    let digit = |d: &u8| d.to_string();
    let mut prompt: Vec<String> = a.iter().map(digit).collect();
    prompt.push("+".into());
    prompt.extend(b.iter().map(digit));
    prompt.push("=".into());
    let carry_out = sums.last().map_or(0, |s| s / 10);
    let answer = std::iter::once(carry_out)
        .chain(sums.iter().rev().map(|s| s % 10))
        .map(|d| d.to_string())
        .collect();
    let pairs = (0..length).rev().map(|i| format!("{}+{}", a[i], b[i]));
    let trace = pairs
        .chain([";".to_string()])
        .chain(sums.iter().map(digit))
        .collect();
    (prompt, trace, answer)
}

/// A Boolean expression of `length` operands, BIG-Bench-Hard's way (`not`, `and`, `or`,
/// parentheses); the trace writes the expression after each reduction (`;` between
/// them) down to one literal.
fn boolean(length: usize, rng: &mut ChaCha8Rng) -> Parts {
    let expr = super::boolean::random(length, rng);
    let mut prompt = expr.clone();
    prompt.push("is".into());
    let steps = super::boolean::reductions(&expr);
    let answer = vec![steps
        .last()
        .map_or_else(|| expr[0].clone(), |s| s[0].clone())];
    let mut trace = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            trace.push(";".into());
        }
        trace.extend(step.iter().cloned());
    }
    (prompt, trace, answer)
}

/// The openers and closers of the bracket types.
pub const BRACKETS: [(&str, &str); 4] = [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")];

/// A prefix of `length` brackets of a Dyck word with at least one bracket left open; the
/// trace writes the stack of open brackets after each one (`;` between them); the
/// answer closes them, innermost first.
fn dyck(length: usize, rng: &mut ChaCha8Rng) -> Parts {
    let mut stack: Vec<usize> = Vec::new();
    let mut prompt = Vec::new();
    let mut trace = Vec::new();
    for i in 0..length {
        // Close only while another opener stays open: the prefix never closes them all.
        let close = stack.len() > 1 && rng.gen_bool(0.45);
        if close {
            let t = stack.pop().expect("checked");
            prompt.push(BRACKETS[t].1.to_string());
        } else {
            let t = rng.gen_range(0..BRACKETS.len());
            stack.push(t);
            prompt.push(BRACKETS[t].0.to_string());
        }
        if i > 0 {
            trace.push(";".into());
        }
        trace.extend(stack.iter().map(|&t| BRACKETS[t].0.to_string()));
    }
    prompt.push("=".into());
    let answer = stack
        .iter()
        .rev()
        .map(|&t| BRACKETS[t].1.to_string())
        .collect();
    (prompt, trace, answer)
}
