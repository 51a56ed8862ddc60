//! ARC: loading per-task and Kaggle files, and solving tasks built from the grid
//! primitives (fixtures written here, never copied from a dataset).

mod common;

use common::run::janus;

use janus::dsl::Grid;
use janus::search::Budget;
use janus::tasks::{Example, Task, Test};
use janus::{default_policy, domain, solve_with, SolveConfig, Strategy, Value};

/// A deterministic pseudo-random grid (a small LCG; no dataset involved).
fn grid(seed: u64, h: usize, w: usize) -> Grid {
    Grid::from_fn(h, w, |r, c| {
        let s = (seed * 1000 + (r * 31 + c) as u64)
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 33) % 10) as u8
    })
    .unwrap()
}

fn run(program: &str, g: &Grid) -> Grid {
    let d = domain("arc").unwrap();
    let p = janus::parse_expr(program).unwrap();
    match janus::Evaluator::new(&d.registry)
        .run(&p, &[Value::Grid(g.clone())])
        .unwrap()
    {
        Value::Grid(g) => g,
        v => panic!("{v}"),
    }
}

/// A task whose outputs are `program` run on `inputs`: all but the last are train pairs,
/// the last is the test.
fn task_of(program: &str, inputs: Vec<Grid>) -> Task {
    let mut pairs: Vec<(Value, Value)> = inputs
        .into_iter()
        .map(|g| {
            let out = run(program, &g);
            (Value::Grid(g), Value::Grid(out))
        })
        .collect();
    let (ti, to) = pairs.pop().expect("a test input");
    let examples = pairs
        .into_iter()
        .map(|(i, o)| Example {
            inputs: vec![i],
            output: o,
        })
        .collect();
    Task {
        id: program.into(),
        domain: janus::DomainKind::Arc,
        examples,
        tests: vec![Test {
            inputs: vec![ti],
            output: Some(to),
        }],
        linear: false,
    }
}

/// Three train pairs and a test from pseudo-random grids of the given shapes (cycled).
fn task_from(program: &str, shapes: &[(usize, usize)]) -> Task {
    let grids = (0..4)
        .map(|i| {
            let (h, w) = shapes[i % shapes.len()];
            grid(i as u64 + 1, h, w)
        })
        .collect();
    task_of(program, grids)
}

#[test]
fn symmetry_and_stacking_tasks_are_solved_train_and_test() {
    let d = domain("arc").unwrap();
    let config = SolveConfig {
        mode: Default::default(),
        strategy: Strategy::Bidir,
        budget: Budget {
            max_expansions: Some(20_000),
            timeout: Some(std::time::Duration::from_secs(60)),
        },
        attempts: 1,
        forward: janus::ForwardPhase::default(),
        profile: false,
    };
    for program in [
        "(lam (rot90 $0))",
        "(lam (hstack $0 (hflip $0)))",
        "(lam (vstack (hstack $0 (hflip $0)) (vflip (hstack $0 (hflip $0)))))",
        "(lam (inflate2 (transpose $0)))",
        "(lam (vstack $0 (rot180 $0)))",
    ] {
        let task = task_from(program, &[(3, 3), (2, 4), (4, 2)]);
        let r = solve_with(
            &task,
            &d,
            default_policy(Strategy::Bidir, &d).as_ref(),
            &config,
        );
        assert!(r.train_fit && r.solved, "{program}: {r:?}");
        assert_eq!((r.test_correct, r.test_total), (1, 1), "{program}");
    }
}

#[test]
fn a_train_fit_that_fails_the_test_is_not_solved() {
    let d = domain("arc").unwrap();
    let mut task = task_from("(lam (hflip $0))", &[(3, 3)]);
    task.tests[0].output = Some(Value::Grid(grid(99, 2, 2)));
    let r = solve_with(
        &task,
        &d,
        default_policy(Strategy::Bidir, &d).as_ref(),
        &SolveConfig::default(),
    );
    assert!(r.train_fit && !r.solved);
    assert_eq!((r.test_correct, r.test_total), (0, 1));
}

#[test]
fn per_task_and_kaggle_files_are_solved_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let g = |s: u64| serde_json::to_value(grid(s, 3, 3).rows()).unwrap();
    let flipped =
        |s: u64| serde_json::to_value(run("(lam (vflip $0))", &grid(s, 3, 3)).rows()).unwrap();
    let task = |with_output: bool| {
        let mut test = serde_json::json!({"input": g(4)});
        if with_output {
            test["output"] = flipped(4);
        }
        let train: Vec<serde_json::Value> = [1, 2, 3]
            .iter()
            .map(|&s| serde_json::json!({"input": g(s), "output": flipped(s)}))
            .collect();
        serde_json::json!({ "name": "extra keys are fine", "train": train, "test": [test] })
    };
    let one = dir.path().join("abcd1234.json");
    std::fs::write(&one, task(true).to_string()).unwrap();
    let challenges = dir.path().join("demo_challenges.json");
    std::fs::write(
        &challenges,
        serde_json::json!({"t1": task(false), "t2": task(false)}).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("demo_solutions.json"),
        serde_json::json!({"t1": [flipped(4)], "t2": [g(4)]}).to_string(),
    )
    .unwrap();
    let out = janus(&[
        "solve",
        one.to_str().unwrap(),
        challenges.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["task"], "abcd1234");
    assert_eq!(lines[0]["program"], "(lam (vflip $0))");
    assert_eq!(
        (
            lines[0]["solved"].as_bool(),
            lines[0]["test_correct"].as_u64()
        ),
        (Some(true), Some(1))
    );
    assert_eq!(lines[1]["task"], "t1");
    assert_eq!(lines[1]["solved"], true);
    assert_eq!(
        (
            lines[2]["train_fit"].as_bool(),
            lines[2]["solved"].as_bool()
        ),
        (Some(true), Some(false)),
        "t2's solution is wrong on purpose"
    );
    let summary = &lines[3]["summary"];
    assert_eq!(
        (
            summary["solved"].as_u64(),
            summary["train_fit_only"].as_u64()
        ),
        (Some(2), Some(1))
    );
}

#[test]
fn malformed_arc_files_exit_2_naming_the_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
    )
    .unwrap();
    let out = janus(&["solve", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.json: train[0].input: ragged rows: row 1 has 1 cells, row 0 has 2"),
        "{err}"
    );
    std::fs::write(
        &bad,
        r#"{"train": [{"input": [[1, 2], [3, 10]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
    )
    .unwrap();
    let err = janus::tasks::load_file(&bad).unwrap_err().to_string();
    assert!(
        err.contains("train[0].input") && err.contains("colour 10"),
        "{err}"
    );
}

#[test]
fn show_draws_pairs_and_predictions_and_writes_svg() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("pic.svg");
    let task = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tasks/examples/arc-mirror-quadrants.json"
    );
    let program = "(lam (vstack (hstack $0 (hflip $0)) (vflip (hstack $0 (hflip $0)))))";
    let out = janus(&[
        "show",
        task,
        "--program",
        program,
        "--svg",
        svg.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("predicted (right)").count(),
        4,
        "three train pairs and the test"
    );
    // Through a pipe: a digit per cell, no escape codes, and captions with the sizes.
    assert!(!text.contains('\x1b'), "{text}");
    assert!(text.contains("program: (lam (vstack"), "{text}");
    assert!(
        text.contains("input 3x3") && text.contains("output 6x6"),
        "{text}"
    );
    let pic = std::fs::read_to_string(&svg).unwrap();
    // Per pair: a 3x3 input, a 6x6 output and a 6x6 prediction.
    assert_eq!(pic.matches("<rect x=").count(), 4 * (9 + 36 + 36));
    let wrong = janus(&["show", task, "--program", "(lam (hflip $0))"]);
    assert!(String::from_utf8_lossy(&wrong.stdout).contains("predicted (WRONG)"));
    // A wrong prediction of the right size has its wrong cells marked (`!` after the digit).
    let tiled = "(lam (vstack (hstack $0 $0) (hstack $0 $0)))";
    let marked = janus(&["show", task, "--program", tiled]);
    let text = String::from_utf8_lossy(&marked.stdout);
    assert!(text.contains("2 3 0 2!3 0!"), "{text}");
    // Both attempts straight from a `solve --json` line.
    let report = dir.path().join("r.jsonl");
    let line = serde_json::json!({"task": "arc-mirror-quadrants", "program": program,
                                  "program_2": tiled});
    std::fs::write(&report, format!("{line}\n{{\"summary\": {{}}}}\n")).unwrap();
    let both = janus(&["show", task, "--report", report.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&both.stdout);
    assert_eq!(text.matches("attempt 1 (right)").count(), 4, "{text}");
    assert_eq!(text.matches("attempt 2 (WRONG)").count(), 4, "{text}");
    let bad = janus(&["show", task, "--program", "(lam (hflip $0)"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unclosed"));
}

#[test]
fn colours_are_inferred_from_the_pairs_not_enumerated() {
    let d = domain("arc").unwrap();
    let inputs = [
        vec![vec![0, 1, 3], vec![1, 0, 0]],
        vec![vec![3, 3, 1], vec![0, 1, 0], vec![0, 0, 0]],
        vec![vec![1, 0], vec![0, 3]],
        vec![vec![0, 0, 1, 1]],
    ];
    for (program, colour) in [
        ("(lam (recolour (hflip $0) c1 c8))", 8),
        ("(lam (fill (rot90 $0) c4))", 4),
        ("(lam (paint $0 c2))", 2),
    ] {
        let task = task_of(
            program,
            inputs
                .iter()
                .map(|rows| Grid::from_rows(rows).unwrap())
                .collect(),
        );
        let r = solve_with(
            &task,
            &d,
            default_policy(Strategy::Bidir, &d).as_ref(),
            &SolveConfig::default(),
        );
        assert!(r.solved, "{program}: {r:?}");
        // (fill x c4, recolour x c0 c4 and a colour map with 0=4 are the same program;
        // any may be found.) The colour is a literal, alone or in a table.
        let found = r.program.as_deref().unwrap();
        assert!(
            found.contains(&format!("c{colour}")) || found.contains(&format!("={colour}")),
            "the colour is a literal in the program: {r:?}"
        );
    }
}

/// Solves `program`'s task on `inputs` (the last one the test) with the default budget.
fn solves(program: &str, inputs: &[Vec<Vec<i64>>]) -> janus::SolveReport {
    let d = domain("arc").unwrap();
    let task = task_of(
        program,
        inputs
            .iter()
            .map(|rows| Grid::from_rows(rows).unwrap())
            .collect(),
    );
    // An expansion budget, not a time budget: the result must not depend on how fast
    // the machine (or a debug build) is; the timeout only guards against a hang.
    let config = SolveConfig {
        budget: Budget {
            max_expansions: Some(3000),
            timeout: Some(std::time::Duration::from_secs(120)),
        },
        attempts: 1,
        ..SolveConfig::default()
    };
    solve_with(
        &task,
        &d,
        default_policy(Strategy::Bidir, &d).as_ref(),
        &config,
    )
}

#[test]
fn a_colour_map_is_merged_from_examples_that_each_show_part_of_it() {
    let program = "(lam (colour_map $0 m:1=5,2=6,3=7,4=8))";
    let r = solves(
        program,
        &[
            vec![vec![1, 2, 0], vec![2, 1, 0]],
            vec![vec![3, 4], vec![0, 3]],
            vec![vec![1, 0], vec![4, 4]],
            vec![vec![1, 3, 0, 2, 4]],
        ],
    );
    // The table read off the examples also keeps colour 0 as it is.
    assert!(r.solved, "{r:?}");
    assert!(
        r.program.as_deref().unwrap().contains("1=5,2=6,3=7,4=8"),
        "{r:?}"
    );
}

#[test]
fn object_tasks_are_solved_train_and_test() {
    let inputs = vec![
        vec![
            vec![1, 1, 0, 0, 2],
            vec![1, 1, 0, 0, 0],
            vec![0, 0, 0, 3, 0],
            vec![4, 0, 0, 3, 3],
        ],
        vec![
            vec![5, 0, 0, 0],
            vec![0, 0, 6, 6],
            vec![0, 0, 6, 6],
            vec![0, 0, 6, 0],
        ],
        vec![
            vec![7, 7, 7, 0, 1],
            vec![0, 0, 0, 0, 0],
            vec![0, 2, 0, 8, 8],
            vec![0, 2, 0, 0, 0],
        ],
        vec![
            vec![0, 3, 0, 0],
            vec![0, 3, 3, 0],
            vec![0, 0, 0, 0],
            vec![9, 0, 4, 4],
        ],
    ];
    for program in [
        "(lam (crop (largest (colour_objects $0))))",
        "(lam (recolour_by_size $0 m:1=5,2=6,3=7,4=8,5=9))",
        "(lam (recolour_by_rank $0 m:0=1,1=2,2=3))",
    ] {
        let r = solves(program, &inputs);
        assert!(r.solved, "{program}: {r:?}");
    }
}

#[test]
fn a_masked_periodic_pattern_is_completed() {
    let program = "(lam (complete_pattern $0 c0))";
    let r = solves(
        program,
        &[
            vec![vec![1, 2, 1, 2], vec![3, 0, 3, 4], vec![1, 2, 0, 2]],
            vec![vec![5, 6, 7, 5, 6, 7], vec![0, 0, 7, 5, 6, 7]],
            vec![vec![8, 0, 8], vec![9, 9, 9], vec![8, 8, 0]],
            vec![vec![2, 4, 2, 0], vec![0, 4, 2, 4]],
        ],
    );
    assert!(r.solved, "{r:?}");
    // These small tilings are also symmetric, so restoring them by symmetry fits as well.
    let p = r.program.as_deref().unwrap();
    assert!(
        p.contains("complete_pattern") || p.contains("unocclude"),
        "{r:?}"
    );
}

#[test]
fn a_local_rule_is_read_off_the_pairs_and_generalises() {
    // Background next to a 2 (and no other colour) turns 4; the 3s get no halo, so
    // `halo` alone does not fit, and the last pair has a cell next to a 2 and a 3, so
    // neither does a halo of the 2s laid under the grid.
    let program = "(lam (rule_by_colours $0 m:2=4))";
    let r = solves(
        program,
        &[
            vec![vec![0, 0, 0, 0], vec![2, 0, 3, 0], vec![0, 0, 0, 0]],
            vec![
                vec![0, 0, 0, 0, 0],
                vec![0, 2, 0, 0, 0],
                vec![0, 0, 0, 0, 3],
            ],
            vec![vec![3, 0, 0, 0], vec![0, 0, 0, 0], vec![0, 0, 0, 2]],
            vec![
                vec![2, 0, 0, 0, 0, 0],
                vec![0, 0, 0, 0, 0, 0],
                vec![0, 0, 0, 0, 2, 0],
            ],
            vec![vec![0, 0, 0, 3], vec![0, 2, 0, 0], vec![0, 0, 0, 0]],
        ],
    );
    assert!(r.solved, "{r:?}");
    assert!(r.program.as_deref().unwrap().contains("rule_by"), "{r:?}");
}

#[test]
fn tables_merged_across_examples_are_checked_on_every_example() {
    // Each pair alone is a local rule, but the first leaves a lone 1 as it is and the
    // second turns it 2: their union would break the first pair, so no program fits.
    let g =
        |rows: &[&[u8]]| Value::Grid(Grid::new(rows.len(), rows[0].len(), rows.concat()).unwrap());
    let example = |y: &[&[u8]]| Example {
        inputs: vec![g(&[&[1, 0, 0]])],
        output: g(y),
    };
    let task = Task {
        id: "clash".into(),
        domain: janus::DomainKind::Arc,
        examples: vec![example(&[&[1, 5, 0]]), example(&[&[2, 5, 0]])],
        tests: vec![],
        linear: false,
    };
    let d = domain("arc").unwrap();
    let config = SolveConfig {
        budget: Budget {
            max_expansions: Some(300),
            ..Budget::default()
        },
        attempts: 1,
        ..SolveConfig::default()
    };
    let r = solve_with(
        &task,
        &d,
        default_policy(Strategy::Bidir, &d).as_ref(),
        &config,
    );
    assert!(r.error.is_none() && !r.train_fit, "{r:?}");
}
