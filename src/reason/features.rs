//! The features a tree reads to predict the next token of a reasoning sequence, beside
//! the ARDT's decayed average of the window (over one-hot token vectors here):
//!
//! - the exact tokens at offsets 1..=`last` from the end, as the theory's construction
//!   reads them (Gan et al. 2024, Thm. 3: a tree that sees the last tokens and the
//!   previous state simulates an automaton step);
//! - *aligned* tokens: the sequence is cut into segments by marker tokens (`=`, `=>`,
//!   `+`, `;`, `is`), and for the `segments` segments before the current one, the
//!   tokens at the current segment's index `j` (and `j-1`, `j+1`, `j+2`) from their start
//!   and at `j-1`, `j` from their end; and the first segment's token at the index of the
//!   current step (the number of segments so far, less one), and optionally the one
//!   after it (whether input remains, where each step of a trace is a segment). These
//!   are fixed positions *relative to the segments*, the tree's counterpart of the
//!   positional attention a Transformer learns, and what lets a trace of any length read
//!   the input it is at;
//! - the marker that opened the current segment, and as numbers `j`, the number of
//!   segments so far, the previous segments' lengths, and the position.
//!
//! Every token feature is one-hot over the vocabulary (id 0: none, past an edge).

use serde::{Deserialize, Serialize};

/// Which features, and how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Exact tokens at offsets 1..=last from the end.
    pub last: usize,
    /// Tokens in the decayed average.
    pub window: usize,
    /// Decay per position of the average (weight `exp(-decay * age)`).
    pub decay: f32,
    /// Previous segments read at the aligned indices.
    pub segments: usize,
    /// Also the absolute numbers (index in the segment, segments so far, their lengths,
    /// the position): they help within the trained lengths and mislead beyond them, where
    /// a tree's thresholds on them were never tested.
    #[serde(default)]
    pub positions: bool,
    /// Also the first segment's token after the current step's: whether input remains
    /// once this step is written, for traces whose steps are segments (a stack after
    /// each bracket, an expression after each reduction).
    #[serde(default)]
    pub next_input: bool,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        FeatureSpec {
            last: 4,
            window: 16,
            decay: 0.5,
            segments: 2,
            positions: false,
            next_input: false,
        }
    }
}

/// Aligned reads of one previous segment: from its start at `j + d` for these `d`...
const FROM_START: [isize; 4] = [-1, 0, 1, 2];
/// ... and from its end at `j + d` for these.
const FROM_END: [isize; 2] = [-1, 0];
/// Numbers at the end of a row: j, segments so far, two previous lengths, j less the
/// previous length, the position.
const NUMBERS: usize = 6;

/// The segments of a context: where each starts and ends (markers excluded), and the
/// marker that opened the last one.
struct Segments {
    bounds: Vec<(usize, usize)>,
    opener: u32,
}

fn segments(context: &[u32], is_marker: &[bool]) -> Segments {
    let mut bounds = Vec::new();
    let mut start = 0;
    let mut opener = 0;
    for (i, &t) in context.iter().enumerate() {
        if is_marker[t as usize] {
            bounds.push((start, i));
            start = i + 1;
            opener = t;
        }
    }
    bounds.push((start, context.len()));
    Segments { bounds, opener }
}

impl FeatureSpec {
    /// Row width for a vocabulary of `vocab` ids (none included).
    pub fn width(&self, vocab: usize) -> usize {
        let blocks = self.blocks();
        blocks * vocab + (blocks - 1) + NUMBERS
    }

    /// One-hot blocks in a row (the average among them).
    fn blocks(&self) -> usize {
        self.last
            + 1
            + self.segments * (FROM_START.len() + FROM_END.len())
            + 2
            + usize::from(self.next_input)
    }

    /// Names of the features, for inspection.
    pub fn names(&self, vocab: &[String]) -> Vec<String> {
        let block =
            |what: &str| -> Vec<String> { vocab.iter().map(|t| format!("{what}={t}")).collect() };
        let mut names = Vec::new();
        for k in 1..=self.last {
            names.extend(block(&format!("last{k}")));
        }
        names.extend(block("avg"));
        for r in 1..=self.segments {
            for d in FROM_START {
                names.extend(block(&format!("seg{r}.start[j{d:+}]")));
            }
            for d in FROM_END {
                names.extend(block(&format!("seg{r}.end[j{d:+}]")));
            }
        }
        names.extend(block("input[step]"));
        if self.next_input {
            names.extend(block("input[step+1]"));
        }
        names.extend(block("opener"));
        let reads = self.blocks() - 1;
        names.extend((0..reads).map(|i| format!("value[{i}]")));
        names.extend(["j", "segments", "len1", "len2", "j-len1", "position"].map(String::from));
        names
    }

    /// Writes into `out` (of [`FeatureSpec::width`]) the features for predicting the token
    /// after `context`; `tokens` says which ids cut segments and what numbers they write.
    pub fn row(&self, context: &[u32], tokens: &TokenTable, out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        let (vocab, is_marker) = (tokens.value.len(), &tokens.is_marker[..]);
        let (blocks, numbers) = out.split_at_mut(out.len() - NUMBERS);
        let (blocks, values) = blocks.split_at_mut(self.blocks() * vocab);
        let mut w = Blocks {
            out: blocks,
            vocab,
            next: 0,
            values,
            value: &tokens.value,
            read: 0,
        };
        let n = context.len();
        for k in 1..=self.last {
            w.one_hot(n.checked_sub(k).map(|p| context[p]));
        }
        let avg = w.take();
        let weight = |age: usize| (-self.decay * age as f32).exp();
        let sum: f32 = (0..n.max(1).min(self.window)).map(weight).sum();
        for age in 0..n.min(self.window) {
            avg[context[n - 1 - age] as usize] += weight(age) / sum;
        }
        let segs = segments(context, is_marker);
        let (current, previous) = segs.bounds.split_last().expect("one segment at least");
        let j = (current.1 - current.0) as isize;
        let at = |(s, e): (usize, usize), i: isize| -> Option<u32> {
            (i >= 0 && (i as usize) < e - s).then(|| context[s + i as usize])
        };
        for r in 1..=self.segments {
            let seg = previous.len().checked_sub(r).map(|i| previous[i]);
            for d in FROM_START {
                w.one_hot(seg.and_then(|b| at(b, j + d)));
            }
            for d in FROM_END {
                w.one_hot(seg.and_then(|b| at(b, (b.1 - b.0) as isize - 1 - (j + d))));
            }
        }
        let step = previous.len() as isize - 1;
        w.one_hot(previous.first().and_then(|&b| at(b, step)));
        if self.next_input {
            w.one_hot(previous.first().and_then(|&b| at(b, step + 1)));
        }
        w.one_hot((!previous.is_empty()).then_some(segs.opener));
        let len = |r: usize| {
            previous
                .len()
                .checked_sub(r)
                .map_or(0, |i| previous[i].1 - previous[i].0)
        };
        if !self.positions {
            return;
        }
        numbers.copy_from_slice(&[
            j as f32,
            previous.len() as f32,
            len(1) as f32,
            len(2) as f32,
            (j - len(1) as isize) as f32,
            n as f32,
        ]);
    }
}

/// What the features need to know of each token id: whether it cuts segments, and its
/// value as a number (digits; -1 for other tokens and for none).
#[derive(Clone, Debug)]
pub struct TokenTable {
    /// Per id: a marker?
    pub is_marker: Vec<bool>,
    /// Per id: the number it writes, or -1.
    pub value: Vec<f32>,
}

impl TokenTable {
    /// The table of a vocabulary whose id 0 is none.
    pub fn new(vocab: &[String], markers: &[&str]) -> TokenTable {
        TokenTable {
            is_marker: vocab
                .iter()
                .map(|t| markers.contains(&t.as_str()))
                .collect(),
            value: vocab
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    if i == 0 {
                        -1.0
                    } else {
                        t.parse::<u32>().map_or(-1.0, |v| v as f32)
                    }
                })
                .collect(),
        }
    }
}

/// The one-hot blocks of a row, written in order, with each token read's value as a
/// number after them (the trees can then compare digits with one threshold).
struct Blocks<'a> {
    out: &'a mut [f32],
    vocab: usize,
    next: usize,
    values: &'a mut [f32],
    value: &'a [f32],
    read: usize,
}

impl Blocks<'_> {
    /// The next block, to write as it will.
    fn take(&mut self) -> &mut [f32] {
        let at = self.next * self.vocab;
        self.next += 1;
        &mut self.out[at..at + self.vocab]
    }

    /// The next block, one-hot at `id` (none: id 0).
    fn one_hot(&mut self, id: Option<u32>) {
        let id = id.unwrap_or(0) as usize;
        self.take()[id] = 1.0;
        self.values[self.read] = self.value[id];
        self.read += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_input_read_says_whether_input_remains_after_the_step() {
        let vocab: Vec<String> = ["<none>", "=", ";", "a", "b"].map(String::from).into();
        let tokens = TokenTable::new(&vocab, &["=", ";"]);
        let spec = FeatureSpec {
            next_input: true,
            ..FeatureSpec::default()
        };
        let names = spec.names(&vocab);
        assert_eq!(names.len(), spec.width(vocab.len()));
        let at = |name: &str| names.iter().position(|n| n == name).unwrap();
        let mut row = vec![0.0; spec.width(vocab.len())];
        // Input `a b`, one step written: the step after it reads `b`...
        spec.row(&[3, 4, 1, 3, 2], &tokens, &mut row);
        assert_eq!(row[at("input[step]=b")], 1.0);
        assert_eq!(row[at("input[step+1]=<none>")], 1.0);
        // ... and in the first step, `a`, with `b` still to come.
        spec.row(&[3, 4, 1], &tokens, &mut row);
        assert_eq!(row[at("input[step]=a")], 1.0);
        assert_eq!(row[at("input[step+1]=b")], 1.0);
        let plain = FeatureSpec::default();
        assert_eq!(plain.width(5) + 5 + 1, spec.width(5));
    }
}
