//! BIG-Bench's multiple-choice tasks (the `task.json` files of the PyPI package `bigbench`
//! 1.0.0, which `scripts/fetch-bigbench.sh` puts in a cache folder), as classification:
//! each example's input text and the index of its right answer among the task's classes.
//!
//! Where every example offers the same answers (`True`/`False`, `valid`/`invalid`, the
//! closing brackets of `dyck_languages`), the classes are those answers. Where the options
//! differ from example to example (`logical_deduction`, `tracking_shuffled_objects`), the
//! options are written after the input as `(A) ... (B) ...`, BIG-Bench-Hard's way, and the
//! class is the letter. Examples with a free-text `target` and no `target_scores`
//! (`word_sorting`) are not classification and are left out.

use std::collections::BTreeSet;
use std::path::Path;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value as Json;

/// A task as classification.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceTask {
    /// Its name (the folder's).
    pub name: String,
    /// The class names: the answers, or the letters `(A)`, `(B)`...
    pub classes: Vec<String>,
    /// The examples: input text and right class.
    pub examples: Vec<(String, usize)>,
    /// The mean over examples of 1 / the number of options: the chance level.
    pub chance: f64,
    /// Examples left out: free-text targets, or no single best answer.
    pub skipped: usize,
    /// Each example's options in class order, each written after the input alone
    /// (`input`, a line break, `Answer: option`): the texts that scoring each option apart
    /// reads.
    pub option_texts: Vec<Vec<String>>,
}

/// An input with one of its options, as [`ChoiceTask::option_texts`] writes it.
fn with_answer(input: &str, option: &str) -> String {
    format!("{input}\nAnswer: {option}")
}

/// The multiple-choice examples of task `name` under `dir` (`dir/name/task.json` and
/// every `dir/name/*/task.json` of its subtasks).
pub fn load_choice_task(dir: &Path, name: &str) -> Result<ChoiceTask, String> {
    let root = dir.join(name);
    let mut files = vec![root.join("task.json")];
    if let Ok(entries) = std::fs::read_dir(&root) {
        let mut subtasks: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path().join("task.json")))
            .filter(|p| p.is_file())
            .collect();
        subtasks.sort();
        files.extend(subtasks);
    }
    let mut raw: Vec<(String, Vec<(String, f64)>)> = Vec::new();
    let mut skipped = 0;
    for file in files.iter().filter(|f| f.is_file()) {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let json: Json =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        // A task of subtasks has a task.json of its own without examples.
        let Some(examples) = json["examples"].as_array() else {
            continue;
        };
        for e in examples {
            match (e["input"].as_str(), e["target_scores"].as_object()) {
                (Some(input), Some(scores)) if !scores.is_empty() => {
                    let options = scores
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                        .collect();
                    raw.push((input.to_string(), options));
                }
                _ => skipped += 1,
            }
        }
    }
    if raw.is_empty() && skipped == 0 {
        return Err(format!("{}: no task.json with examples", root.display()));
    }
    if raw.is_empty() {
        return Err(format!(
            "{}: no multiple-choice examples (target_scores) in {} file(s): a free-text task",
            root.display(),
            files.iter().filter(|f| f.is_file()).count()
        ));
    }
    Ok(classify(name, raw, skipped))
}

/// The examples as classes: the shared answers, or letters with the options written out.
fn classify(name: &str, raw: Vec<(String, Vec<(String, f64)>)>, mut skipped: usize) -> ChoiceTask {
    let sets: BTreeSet<Vec<String>> = raw
        .iter()
        .map(|(_, o)| {
            let mut names: Vec<String> = o.iter().map(|(k, _)| k.clone()).collect();
            names.sort();
            names
        })
        .collect();
    let fixed = sets.len() == 1;
    let classes: Vec<String> = if fixed {
        sets.into_iter().next().expect("one set")
    } else {
        let most = raw.iter().map(|(_, o)| o.len()).max().unwrap_or(0);
        (0..most)
            .map(|i| format!("({})", char::from(b'A' + (i % 26) as u8)))
            .collect()
    };
    let mut examples = Vec::new();
    let mut option_texts = Vec::new();
    let mut chance = 0.0;
    for (input, mut options) in raw {
        options.sort_by(|a, b| a.0.cmp(&b.0));
        let best = options
            .iter()
            .map(|o| o.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let right: Vec<usize> = (0..options.len())
            .filter(|&i| options[i].1 == best)
            .collect();
        if right.len() != 1 {
            skipped += 1;
            continue;
        }
        chance += 1.0 / options.len() as f64;
        let answers: Vec<&String> = if fixed {
            classes.iter().collect()
        } else {
            options.iter().map(|(text, _)| text).collect()
        };
        option_texts.push(answers.iter().map(|a| with_answer(&input, a)).collect());
        if fixed {
            let class = classes
                .iter()
                .position(|c| *c == options[right[0]].0)
                .expect("shared");
            examples.push((input, class));
        } else {
            let listed: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, (text, _))| format!("{} {text}", classes[i]))
                .collect();
            examples.push((format!("{input}\nOptions: {}", listed.join(" ")), right[0]));
        }
    }
    let chance = chance / examples.len().max(1) as f64;
    ChoiceTask {
        name: name.to_string(),
        classes,
        examples,
        chance,
        skipped,
        option_texts,
    }
}

/// A seeded split: the examples' indices for training and for held-out testing (a
/// `held_out` share of them, at least one each where there are two).
pub fn split(n: usize, held_out: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let test =
        ((n as f64 * held_out).round() as usize).clamp(usize::from(n > 1), n.saturating_sub(1));
    let train = order.split_off(test);
    (train, order)
}

/// BIG-Bench-Hard's own Boolean expressions, made by janus's generator: `count` examples
/// of 2 to 5 operands, answers `False` and `True`.
pub fn boolean_task(count: usize, seed: u64) -> ChoiceTask {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let spec = super::TaskSpec {
        task: super::TaskKind::Boolean,
        cot: false,
        modulus: None,
        automaton: None,
    };
    let examples: Vec<(String, usize)> = (0..count)
        .map(|_| {
            let length = rand::Rng::gen_range(&mut rng, 2..=5);
            let e = super::example(&spec, length, &mut rng);
            (e.prompt.join(" "), usize::from(e.answer[0] == "True"))
        })
        .collect();
    let classes: Vec<String> = vec!["False".into(), "True".into()];
    let option_texts = examples
        .iter()
        .map(|(input, _)| classes.iter().map(|c| with_answer(input, c)).collect())
        .collect();
    ChoiceTask {
        name: "boolean_expressions (janus)".into(),
        classes,
        examples,
        chance: 0.5,
        skipped: 0,
        option_texts,
    }
}
