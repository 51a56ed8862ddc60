//! The reasoning tasks: every generator's answers against an independent evaluator, the
//! dataset format's round trip, and a small tree model with a chain of thought that
//! solves parity exactly.

mod common;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use common::run::{janus, stderr, write};
use janus::reason::{
    answer_of, boolean_reductions, generate, load_choice_task, split, Automaton, Dataset, Example,
    FeatureSpec, GenConfig, ReasonConfig, ReasonModel, TaskKind, TaskSpec, TokenFeatures, BRACKETS,
    END, THEN,
};

fn spec(task: TaskKind, cot: bool) -> TaskSpec {
    TaskSpec {
        task,
        cot,
        modulus: (task == TaskKind::Modcount).then_some(4),
        automaton: (task == TaskKind::Automaton).then(|| Automaton::random(5, 3, 7)),
    }
}

fn examples(task: TaskKind, cot: bool, n: usize, max_len: usize, seed: u64) -> Vec<Example> {
    let config = GenConfig {
        spec: spec(task, cot),
        count: n,
        min_len: 1,
        max_len,
    };
    generate(&config, &mut ChaCha8Rng::seed_from_u64(seed))
}

/// The input part of a prompt: its tokens before the final marker.
fn input(e: &Example) -> &[String] {
    &e.prompt[..e.prompt.len() - 1]
}

/// Python's reading of a Boolean expression: `or` over `and` over `not` over atoms.
fn evaluate_boolean(tokens: &[String]) -> bool {
    fn or(t: &[String], i: &mut usize) -> bool {
        let mut v = and(t, i);
        while t.get(*i).is_some_and(|x| x == "or") {
            *i += 1;
            let r = and(t, i);
            v = v || r;
        }
        v
    }
    fn and(t: &[String], i: &mut usize) -> bool {
        let mut v = not(t, i);
        while t.get(*i).is_some_and(|x| x == "and") {
            *i += 1;
            let r = not(t, i);
            v = v && r;
        }
        v
    }
    fn not(t: &[String], i: &mut usize) -> bool {
        match t[*i].as_str() {
            "not" => {
                *i += 1;
                !not(t, i)
            }
            "(" => {
                *i += 1;
                let v = or(t, i);
                assert_eq!(t[*i], ")");
                *i += 1;
                v
            }
            lit => {
                *i += 1;
                lit == "True"
            }
        }
    }
    let mut i = 0;
    let v = or(tokens, &mut i);
    assert_eq!(i, tokens.len(), "the whole expression is read");
    v
}

#[test]
fn every_generator_agrees_with_an_independent_evaluator() {
    for cot in [false, true] {
        for e in examples(TaskKind::Parity, cot, 200, 20, 1) {
            let ones = input(&e).iter().filter(|t| *t == "1").count();
            assert_eq!(e.answer, vec![(ones % 2).to_string()]);
            assert_eq!(input(&e).len(), e.length);
        }
        for e in examples(TaskKind::Modcount, cot, 200, 20, 2) {
            let a = input(&e).iter().filter(|t| *t == "a").count();
            assert_eq!(e.answer, vec![(a % 4).to_string()]);
        }
        let automaton = Automaton::random(5, 3, 7);
        for e in examples(TaskKind::Automaton, cot, 200, 20, 3) {
            let mut state = automaton.start;
            for symbol in input(&e) {
                let x = automaton.alphabet.iter().position(|a| a == symbol).unwrap();
                state = automaton.next[state][x];
            }
            assert_eq!(e.answer, vec![format!("q{state}")]);
        }
        for e in examples(TaskKind::Addition, cot, 200, 18, 4) {
            let plus = e.prompt.iter().position(|t| t == "+").unwrap();
            let number = |ts: &[String]| ts.concat().parse::<u128>().unwrap();
            let sum = number(&e.prompt[..plus]) + number(input(&e)[plus + 1..].as_ref());
            assert_eq!(e.answer.len(), e.length + 1);
            assert_eq!(number(&e.answer), sum, "{:?}", e.prompt);
        }
        for e in examples(TaskKind::Boolean, cot, 300, 8, 5) {
            assert_eq!(e.prompt.last().unwrap(), "is");
            let value = evaluate_boolean(input(&e));
            assert_eq!(
                e.answer,
                vec![if value { "True" } else { "False" }],
                "{:?}",
                e.prompt
            );
        }
        for e in examples(TaskKind::Dyck, cot, 300, 20, 6) {
            let mut stack = Vec::new();
            for t in input(&e).iter().chain(&e.answer) {
                match BRACKETS.iter().position(|(open, _)| open == t) {
                    Some(k) => stack.push(k),
                    None => {
                        let k = BRACKETS.iter().position(|(_, close)| close == t).unwrap();
                        assert_eq!(stack.pop(), Some(k), "{:?} {:?}", e.prompt, e.answer);
                    }
                }
            }
            assert!(
                stack.is_empty() && !e.answer.is_empty(),
                "the answer closes every bracket"
            );
        }
    }
}

#[test]
fn targets_hold_the_trace_then_the_answer() {
    for task in TaskKind::ALL {
        for e in examples(task, true, 50, 6, 9) {
            assert_eq!(e.target.last().unwrap(), END);
            assert!(
                e.target.contains(&THEN.to_string()),
                "{task}: {:?}",
                e.target
            );
            assert_eq!(answer_of(&e.target), e.answer.as_slice(), "{task}");
        }
        for e in examples(task, false, 50, 6, 9) {
            assert_eq!(
                e.target,
                [e.answer.clone(), vec![END.to_string()]].concat(),
                "{task}"
            );
        }
    }
    // The running parity: each step's state from the last one and the bit.
    for e in examples(TaskKind::Parity, true, 50, 10, 10) {
        let trace = &e.target[..e.length];
        let mut p = 0;
        for (bit, state) in input(&e).iter().zip(trace) {
            p ^= usize::from(bit == "1");
            assert_eq!(state, &p.to_string());
        }
    }
    // Addition's trace: each column's digit pair, least significant first, then each
    // column's sum with the carry in.
    for e in examples(TaskKind::Addition, true, 50, 10, 12) {
        let plus = e.prompt.iter().position(|t| t == "+").unwrap();
        let (a, b) = (&e.prompt[..plus], &input(&e)[plus + 1..]);
        let n = e.length;
        let (pairs, sums) = (&e.target[..n], &e.target[n + 1..2 * n + 1]);
        assert_eq!(e.target[n], ";");
        let mut carry = 0;
        for i in 0..n {
            let (x, y) = (&a[n - 1 - i], &b[n - 1 - i]);
            assert_eq!(pairs[i], format!("{x}+{y}"));
            let s = x.parse::<u32>().unwrap() + y.parse::<u32>().unwrap() + carry;
            assert_eq!(sums[i], s.to_string());
            carry = s / 10;
        }
    }
    // Each Boolean reduction step is shorter and ends in the answer.
    for e in examples(TaskKind::Boolean, true, 50, 6, 11) {
        let steps = boolean_reductions(input(&e));
        assert!(steps.windows(2).all(|w| w[1].len() < w[0].len()));
        if let Some(last) = steps.last() {
            assert_eq!(last, &e.answer);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_dataset_and_the_format_round_trips() {
    for task in TaskKind::ALL {
        let a = examples(task, true, 30, 9, 42);
        assert_eq!(a, examples(task, true, 30, 9, 42), "{task}");
        let data = Dataset {
            spec: spec(task, true),
            seed: 42,
            min_len: 1,
            max_len: 9,
            examples: a,
        };
        assert_eq!(Dataset::parse(&data.to_jsonl()).unwrap(), data, "{task}");
    }
    let bad = Dataset::parse("{\"format\": \"janus-reason\", \"version\": 1, \"spec\": {\"task\": \"parity\", \"cot\": false}, \"seed\": 0, \"min_len\": 1, \"max_len\": 2, \"count\": 1}\n{\"prompt\": \"1 =\", \"target\": \"1\", \"answer\": \"1\", \"length\": 1}\n");
    assert_eq!(bad.unwrap_err().0, 2, "the example's line is named");
}

#[test]
fn a_small_tree_model_with_a_chain_of_thought_solves_parity_exactly() {
    let data = |n, max_len, seed| Dataset {
        spec: spec(TaskKind::Parity, true),
        seed,
        min_len: 1,
        max_len,
        examples: examples(TaskKind::Parity, true, n, max_len, seed),
    };
    // The exact tokens and the aligned reads only: a decayed average over a window
    // (`window` > 1) gives the trees context statistics to latch onto that do not carry
    // over to longer inputs.
    let config = ReasonConfig {
        features: FeatureSpec {
            window: 1,
            ..FeatureSpec::default()
        },
        boost: janus::gbdt::BoostParams {
            rounds: 10,
            ..Default::default()
        },
        max_rows: None,
    };
    let model = ReasonModel::train(&data(300, 6, 1), &config, &mut |_| {});
    let eval = model.evaluate(&data(200, 6, 2));
    assert_eq!(eval.accuracy, 1.0, "{eval:?}");
    assert_eq!(eval.exact_target, 1.0, "{eval:?}");
    // Four times the trained length: the trace reads one bit and one state per step.
    let longer = model.evaluate(&data(50, 24, 3));
    assert_eq!(longer.accuracy, 1.0, "{longer:?}");
}

#[test]
fn the_reason_commands_generate_train_and_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let gen = |out: &str, n: &str, seed: &str| {
        let o = janus(&[
            "ardt",
            "reason",
            "gen",
            "automaton",
            "--n",
            n,
            "--len",
            "5",
            "--cot",
            "--seed",
            seed,
            "--out",
            out,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    gen(&path("train.jsonl"), "200", "1");
    gen(&path("test.jsonl"), "50", "2");
    let o = janus(&[
        "ardt",
        "reason",
        "train",
        "--data",
        &path("train.jsonl"),
        "--out",
        &path("m.bin"),
        "--rounds",
        "10",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(summary["leaves"].as_u64().unwrap() > 0);
    let o = janus(&[
        "ardt",
        "reason",
        "eval",
        "--model",
        &path("m.bin"),
        "--data",
        &path("test.jsonl"),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let eval: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(eval["accuracy"].as_f64().unwrap() >= 0.9, "{eval}");
    assert!(!eval["by_length"].as_array().unwrap().is_empty());
    // Another task's data, and a damaged file: exit 2 naming the file.
    let o = janus(&[
        "ardt",
        "reason",
        "gen",
        "parity",
        "--n",
        "5",
        "--len",
        "3",
        "--cot",
        "--out",
        &path("parity.jsonl"),
    ]);
    assert!(o.status.success());
    let o = janus(&[
        "ardt",
        "reason",
        "eval",
        "--model",
        &path("m.bin"),
        "--data",
        &path("parity.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("parity.jsonl"), "{}", stderr(&o));
    let broken = write(dir.path(), "broken.jsonl", "{\"format\": \"janus-reason\"");
    let o = janus(&[
        "ardt",
        "reason",
        "train",
        "--data",
        &broken,
        "--out",
        &path("x.bin"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("broken.jsonl") && stderr(&o).contains("line 1"),
        "{}",
        stderr(&o)
    );
}

/// A BIG-Bench folder the test writes: a task with the same two answers everywhere, a task
/// of subtasks whose options differ, and a free-text task.
fn bigbench_fixture(dir: &std::path::Path) {
    let write_task = |path: &str, json: serde_json::Value| {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, json.to_string()).unwrap();
    };
    let yes_no: Vec<serde_json::Value> = (0..40)
        .map(|i| {
            let yes = i % 3 != 0;
            serde_json::json!({"input": format!("Is it {} today? Answer:", if yes { "sunny" } else { "raining" }),
                               "target_scores": {"Yes": u8::from(yes), "No": u8::from(!yes)}})
        })
        .collect();
    write_task(
        "weather/task.json",
        serde_json::json!({"name": "weather", "examples": yes_no}),
    );
    write_task(
        "order/task.json",
        serde_json::json!({"name": "order", "subtasks": ["three"]}),
    );
    write_task(
        "order/three/task.json",
        serde_json::json!({"examples": [
            {"input": "A is left of B.", "target_scores": {"A is leftmost.": 1, "B is leftmost.": 0}},
            {"input": "C is left of A.", "target_scores": {"A is leftmost.": 0, "C is leftmost.": 1, "B is leftmost.": 0}},
            {"input": "Tie.", "target_scores": {"x": 1, "y": 1}}
        ]}),
    );
    write_task(
        "sorting/task.json",
        serde_json::json!({"examples": [{"input": "b a", "target": "a b"}]}),
    );
}

#[test]
fn the_bigbench_reader_parses_fixed_answers_options_and_refuses_free_text() {
    let dir = tempfile::tempdir().unwrap();
    bigbench_fixture(dir.path());
    let weather = load_choice_task(dir.path(), "weather").unwrap();
    assert_eq!(weather.classes, ["No", "Yes"]);
    assert_eq!(weather.examples.len(), 40);
    assert_eq!(
        weather.examples[0],
        ("Is it raining today? Answer:".to_string(), 0)
    );
    assert_eq!(weather.chance, 0.5);
    let order = load_choice_task(dir.path(), "order").unwrap();
    assert_eq!(order.classes, ["(A)", "(B)", "(C)"]);
    assert_eq!(order.skipped, 1, "no single best answer");
    assert_eq!(
        order.examples[1].1, 2,
        "C is leftmost: the third option in order"
    );
    assert!(order.examples[1]
        .0
        .ends_with("Options: (A) A is leftmost. (B) B is leftmost. (C) C is leftmost."));
    let err = load_choice_task(dir.path(), "sorting").unwrap_err();
    assert!(err.contains("free-text"), "{err}");
    let (train, test) = split(40, 0.25, 7);
    assert_eq!((train.len(), test.len()), (30, 10));
    assert_eq!(split(40, 0.25, 7), (train.clone(), test.clone()), "seeded");
    let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
    all.sort();
    assert_eq!(all, (0..40).collect::<Vec<_>>());
}

/// `janus ardt bigbench --data FIXTURE ARGS... --json` on the fixture's folder.
fn bigbench_on_fixture(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    bigbench_fixture(dir.path());
    let data = dir.path().to_str().unwrap();
    let all: Vec<&str> = ["ardt", "bigbench", "--data", data]
        .into_iter()
        .chain(args.iter().copied())
        .chain(["--json"])
        .collect();
    janus(&all)
}

#[test]
fn token_features_and_the_linear_probe_learn_a_word_and_trees_beat_the_majority() {
    let out = bigbench_on_fixture(&["--task", "weather", "--task", "sorting", "--rounds", "10"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("free-text"),
        "the free-text task is named as skipped"
    );
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["task"], "weather");
    assert_eq!(row["trees"], 1.0, "{row}");
    assert_eq!(row["linear"], 1.0, "{row}");
    assert!(row["majority"].as_f64().unwrap() < 1.0);
    assert_eq!(
        janus::text::words("Is it (sunny)?"),
        ["is", "it", "(", "sunny", ")", "?"]
    );
    let f = TokenFeatures::fit(["a b b", "b c c"], 10);
    assert_eq!(
        f.width(),
        5 * 3,
        "two bags and three last tokens over b, c and other"
    );
}

#[test]
fn tuning_chooses_each_model_s_settings_by_cross_validation_on_the_training_part() {
    let out = bigbench_on_fixture(&["--task", "weather", "--tune"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["trees"], 1.0, "{row}");
    assert_eq!(row["linear"], 1.0, "{row}");
    assert_eq!(row["cv_trees"], 1.0, "{row}");
    assert!(
        [2, 4, 6].contains(&row["tree_depth"].as_u64().unwrap()),
        "{row}"
    );
    let rounds = row["tree_rounds"].as_u64().unwrap();
    assert!(
        (1..janus::reason::MAX_ROUNDS as u64).contains(&rounds),
        "{row}"
    );
    assert!(row["cv_probe"].as_f64().unwrap() > 0.9, "{row}");
    assert!(
        row["tree_layer"].is_null(),
        "token features have no layer: {row}"
    );
}

#[test]
fn scored_per_option_the_trees_learn_which_answer_goes_with_which_input() {
    // Right is "sunny" with "Yes" or "raining" with "No": an interaction of two words
    // that the trees can learn and a linear probe over the bags of words cannot.
    let out = bigbench_on_fixture(&["--task", "weather", "--per-option", "--rounds", "20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["per_option"], true, "{row}");
    assert_eq!(row["test"], 12, "held-out examples, not options: {row}");
    assert_eq!(row["trees"], 1.0, "{row}");
    let dir = tempfile::tempdir().unwrap();
    bigbench_fixture(dir.path());
    let task = load_choice_task(dir.path(), "weather").unwrap();
    assert_eq!(
        task.option_texts[0],
        [
            "Is it raining today? Answer:\nAnswer: No",
            "Is it raining today? Answer:\nAnswer: Yes"
        ]
    );
}

#[test]
fn several_layers_need_cross_validation_to_choose_among_them() {
    let out = bigbench_on_fixture(&["--task", "weather", "--layer", "2,3"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("need --tune"), "{}", stderr(&out));
}
