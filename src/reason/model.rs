//! The reasoning model: gradient-boosted trees (the ARDT's learner, [`crate::gbdt`])
//! that predict the next token of a target from the features of `features.rs`, trained
//! on the target positions of a dataset, and generating greedily until `<end>`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::data::Dataset;
use super::features::{FeatureSpec, TokenTable};
use super::tasks::{Example, TaskSpec, END, MARKERS, THEN};
use crate::gbdt::{BoostParams, Booster, Matrix, RoundLog, Targets};
use crate::io::{read_framed, write_framed};

const MAGIC: &[u8; 8] = b"JANUSRSN";
/// The model file's format version.
pub const FORMAT_VERSION: u32 = 1;
/// The vocabulary's first id: no token (before the start, past a segment's edge).
pub const NONE: &str = "<none>";

/// A trained reasoning model.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReasonModel {
    /// The task and form it was trained on (kept as JSON text in the file: bincode
    /// cannot read fields that JSON may leave out).
    #[serde(with = "as_json")]
    pub spec: TaskSpec,
    /// Token of each id; id 0 is [`NONE`].
    pub vocab: Vec<String>,
    /// The features.
    pub features: FeatureSpec,
    /// The trees: one class per token id.
    pub booster: Booster,
    /// Training rows (target positions).
    pub rows: usize,
    /// Training seconds.
    pub seconds: f64,
}

/// Settings of [`ReasonModel::train`].
#[derive(Clone, Debug, Default)]
pub struct ReasonConfig {
    /// The features.
    pub features: FeatureSpec,
    /// The trees.
    pub boost: BoostParams,
    /// Train on at most this many target positions (from every k-th example).
    pub max_rows: Option<usize>,
}

/// Accuracy on a dataset.
#[derive(Clone, Debug, Serialize)]
pub struct ReasonEval {
    /// Examples whose generated answer is exactly right.
    pub accuracy: f64,
    /// Examples whose whole target (trace included) is generated exactly.
    pub exact_target: f64,
    /// Examples.
    pub examples: usize,
    /// Per input length: length, examples, accuracy.
    pub by_length: Vec<LengthAccuracy>,
}

impl ReasonEval {
    /// The accuracy of `generated` (one target per example of `data`, in order).
    pub fn score(data: &Dataset, generated: &[Vec<String>]) -> ReasonEval {
        let results: Vec<(usize, bool, bool)> = data
            .examples
            .iter()
            .zip(generated)
            .map(|(e, g)| {
                (
                    e.length,
                    answer_of(g) == e.answer.as_slice(),
                    *g == e.target,
                )
            })
            .collect();
        let mut by_length: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for &(length, right, _) in &results {
            let entry = by_length.entry(length).or_default();
            entry.0 += 1;
            entry.1 += usize::from(right);
        }
        let n = results.len().max(1) as f64;
        ReasonEval {
            accuracy: results.iter().filter(|r| r.1).count() as f64 / n,
            exact_target: results.iter().filter(|r| r.2).count() as f64 / n,
            examples: results.len(),
            by_length: by_length
                .into_iter()
                .map(|(length, (examples, right))| LengthAccuracy {
                    length,
                    examples,
                    accuracy: right as f64 / examples as f64,
                })
                .collect(),
        }
    }
}

/// Accuracy at one input length.
#[derive(Clone, Debug, Serialize)]
pub struct LengthAccuracy {
    /// The input length.
    pub length: usize,
    /// Examples of it.
    pub examples: usize,
    /// Their accuracy.
    pub accuracy: f64,
}

/// The answer inside generated target tokens: after the last `=>`, up to `<end>`.
pub fn answer_of(target: &[String]) -> &[String] {
    let end = target.iter().position(|t| t == END).unwrap_or(target.len());
    let body = &target[..end];
    let start = body.iter().rposition(|t| t == THEN).map_or(0, |i| i + 1);
    &body[start..]
}

impl ReasonModel {
    /// Trains on the target positions of `data`.
    pub fn train(
        data: &Dataset,
        config: &ReasonConfig,
        on_round: &mut dyn FnMut(&RoundLog),
    ) -> ReasonModel {
        let start = std::time::Instant::now();
        let vocab = vocabulary(data);
        let index: HashMap<&str, u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i as u32))
            .collect();
        let table = TokenTable::new(&vocab, &MARKERS);
        let width = config.features.width(vocab.len());
        let positions: usize = data.examples.iter().map(|e| e.target.len()).sum();
        let every = config
            .max_rows
            .map_or(1, |m| positions.div_ceil(m.max(1)).max(1));
        let mut x = Vec::new();
        let mut labels = Vec::new();
        let mut row = vec![0.0; width];
        let mut k = 0usize;
        for e in &data.examples {
            let ids: Vec<u32> = e
                .prompt
                .iter()
                .chain(&e.target)
                .map(|t| index[t.as_str()])
                .collect();
            for t in e.prompt.len()..ids.len() {
                k += 1;
                if k % every != 0 {
                    continue;
                }
                config.features.row(&ids[..t], &table, &mut row);
                x.extend_from_slice(&row);
                labels.push(ids[t]);
            }
        }
        let rows = labels.len();
        let x = Matrix::new(rows, width, x);
        let targets = Targets::Classes {
            labels: &labels,
            classes: vocab.len(),
        };
        let booster = Booster::train(&config.boost, &x, targets, None, on_round);
        ReasonModel {
            spec: data.spec.clone(),
            vocab,
            features: config.features.clone(),
            booster,
            rows,
            seconds: start.elapsed().as_secs_f64(),
        }
    }

    /// The target the model writes after `prompt`: greedy, until `<end>` or `max_tokens`.
    /// Prompt tokens it has never seen read as none.
    pub fn generate(&self, prompt: &[String], max_tokens: usize) -> Vec<String> {
        let index: HashMap<&str, u32> = self
            .vocab
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i as u32))
            .collect();
        let table = TokenTable::new(&self.vocab, &MARKERS);
        let mut ids: Vec<u32> = prompt
            .iter()
            .map(|t| index.get(t.as_str()).copied().unwrap_or(0))
            .collect();
        let mut row = vec![0.0; self.features.width(self.vocab.len())];
        let mut scores = vec![0.0; self.vocab.len()];
        let mut out = Vec::new();
        for _ in 0..max_tokens {
            self.features.row(&ids, &table, &mut row);
            self.booster.predict_row(&row, &mut scores);
            scores[0] = f32::NEG_INFINITY; // never "no token"
            let next = (0..scores.len())
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                .unwrap_or(0);
            ids.push(next as u32);
            out.push(self.vocab[next].clone());
            if self.vocab[next] == END {
                break;
            }
        }
        out
    }

    /// The most tokens to generate for `e`: its target's length and half again, at least 16.
    fn budget(e: &Example) -> usize {
        (e.target.len() * 3 / 2).max(16)
    }

    /// The target generated for each example of `data`, in order.
    pub fn generations(&self, data: &Dataset) -> Vec<Vec<String>> {
        use rayon::prelude::*;
        data.examples
            .par_iter()
            .map(|e| self.generate(&e.prompt, Self::budget(e)))
            .collect()
    }

    /// Exact-match accuracy of the answers generated for `data`, overall and by length.
    pub fn evaluate(&self, data: &Dataset) -> ReasonEval {
        ReasonEval::score(data, &self.generations(data))
    }
    /// Writes the model atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let payload = bincode::serialize(self).map_err(std::io::Error::other)?;
        write_framed(path, MAGIC, FORMAT_VERSION, &payload)
    }

    /// Reads a model, checking its kind, version, checksum and indices.
    pub fn load(path: &Path) -> Result<ReasonModel, String> {
        let payload = read_framed(path, MAGIC, FORMAT_VERSION, "a janus reasoning model")?;
        let model: ReasonModel =
            bincode::deserialize(&payload).map_err(|e| format!("corrupt model data: {e}"))?;
        if model.vocab.first().map(String::as_str) != Some(NONE) || model.vocab.len() < 2 {
            return Err("inconsistent model: its vocabulary".into());
        }
        if model.booster.base.len() != model.vocab.len() {
            return Err("inconsistent model: one class per token".into());
        }
        model
            .booster
            .check(model.features.width(model.vocab.len()))
            .map_err(|m| format!("inconsistent model: {m}"))?;
        Ok(model)
    }
}

/// A field written as JSON text.
mod as_json {
    use serde::{de::Error as _, ser::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(spec: &super::TaskSpec, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(spec).map_err(S::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::TaskSpec, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

/// [`NONE`], the markers and `<end>`, then every token of the data in order of first
/// appearance.
fn vocabulary(data: &Dataset) -> Vec<String> {
    let mut vocab: Vec<String> = std::iter::once(NONE)
        .chain(MARKERS)
        .map(String::from)
        .collect();
    for e in &data.examples {
        for t in e.prompt.iter().chain(&e.target) {
            if !vocab.contains(t) {
                vocab.push(t.clone());
            }
        }
    }
    vocab
}
