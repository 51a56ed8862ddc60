//! End-to-end tests of the `janus` binary on the task files the project ships, and on
//! bad input (the message names the file and the problem; the exit status is 2).

mod common;

use std::path::Path;
use std::process::Command;

use common::run::{janus, json_lines, stderr, write};

#[test]
fn solves_every_shipped_24_game_puzzle_with_checked_programs() {
    let out = janus(&[
        "solve",
        "tasks/24game/solvable.csv",
        "--json",
        "--jobs",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines = json_lines(&out);
    let summary = lines.pop().unwrap();
    assert_eq!(lines.len(), 1362);
    assert!(
        lines
            .iter()
            .all(|r| r["solved"] == true && r["domain"] == "24" && r["steps"] == 3),
        "every puzzle solved in 3 steps"
    );
    assert_eq!(summary["summary"]["solved"], 1362);
    assert_eq!(summary["summary"]["errors"], 0);
    let r = lines.iter().find(|r| r["task"] == "1 3 4 6").unwrap();
    assert!(r["program"].as_str().unwrap().contains("div"));
    for key in [
        "task",
        "domain",
        "solved",
        "program",
        "time_ms",
        "expansions",
    ] {
        assert!(r.get(key).is_some(), "the --json contract has `{key}`");
    }
}

#[test]
fn solves_shipped_double_and_add_targets_and_examples() {
    // An expansion budget, not a time budget, so that the result does not depend on the
    // build's or the machine's speed (the ARC quadrants example takes 1079 expansions, 9 s
    // released); one attempt, so that no second search spends the rest of it.
    let out = janus(&[
        "solve",
        "tasks/double-add",
        "tasks/examples",
        "--json",
        "--max-expansions",
        "3000",
        "--attempts",
        "1",
        "--timeout",
        "600",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines = json_lines(&out);
    let summary = lines.pop().unwrap();
    assert_eq!(summary["summary"]["tasks"], 500 + 8 + 5 + 4 + 1 + 1);
    assert_eq!(summary["summary"]["solved"], summary["summary"]["tasks"]);
    let big = lines
        .iter()
        .find(|r| r["task"] == "18446744073709551617")
        .unwrap();
    assert_eq!(big["steps"], 64, "2^64 + 1 = plus_one(double^63(2))");
}

#[test]
fn forward_strategy_and_budgets_are_reported() {
    let out = janus(&[
        "solve",
        "tasks/double-add/large.txt",
        "--strategy",
        "forward",
        "--max-expansions",
        "500",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["solved"], false);
    assert_eq!(lines[0]["stop"], "expansions");
    assert_eq!(lines[0]["expansions"], 500);
    assert_eq!(lines.last().unwrap()["summary"]["strategy"], "forward");
}

#[test]
fn table_output_has_a_row_per_task_and_a_summary() {
    let out = janus(&["solve", "tasks/examples/24-fractions.json"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let header: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "task",
            "solved",
            "fit",
            "tests",
            "steps",
            "expansions",
            "ms",
            "ms",
            "2nd",
            "program"
        ]
    );
    assert!(text.contains("1 3 4 6") && text.contains("(lam (lam (lam (lam"));
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("solved 5/5 (100.0%) with bidir"),
        "{text}"
    );
    // ARC rows say how many test outputs are right; the summary names the libraries.
    let arc = janus(&["solve", "tasks/examples/arc-flip-above.json"]);
    let text = String::from_utf8_lossy(&arc.stdout);
    let row: Vec<&str> = text.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row[..4], ["arc-flip-above", "yes", "yes", "1/1"], "{text}");
    let lib = janus(&[
        "solve",
        "tasks/double-add/large.txt",
        "--library",
        "dsl/double-add.lib",
    ]);
    let text = String::from_utf8_lossy(&lib.stdout);
    assert!(
        text.contains("with bidir, libraries dsl/double-add.lib"),
        "{text}"
    );
}

#[test]
fn generates_seeded_double_and_add_targets_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.txt");
    let f = file.to_str().unwrap();
    let gen = |seed: &str| {
        janus(&[
            "tasks",
            "gen",
            "double-add",
            "--count",
            "20",
            "--max",
            "5000000",
            "--seed",
            seed,
            "--out",
            f,
        ])
    };
    assert!(gen("3").status.success());
    let first = std::fs::read_to_string(&file).unwrap();
    assert_eq!(first.lines().count(), 20);
    assert!(gen("3").status.success());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        first,
        "same seed, same targets"
    );
    let out = janus(&["solve", f, "--json"]);
    assert_eq!(json_lines(&out).last().unwrap()["summary"]["solved"], 20);
    // A failing generation leaves the earlier file intact.
    let bad = janus(&[
        "tasks",
        "gen",
        "double-add",
        "--count",
        "20",
        "--min",
        "1",
        "--max",
        "5",
        "--out",
        f,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("cannot draw 20 distinct targets from [1, 5]"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
}

#[test]
fn generates_24_game_puzzles_matching_a_brute_force_count() {
    let out = janus(&["tasks", "gen", "24game", "--max", "6"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let puzzles: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let expected = brute_force_24(6);
    assert_eq!(puzzles.len(), expected.len());
    assert!(puzzles.contains(&"1 3 4 6"));
    assert!(!puzzles.contains(&"1 1 1 1"));
}

/// Independent check: every multiset of four numbers 1..=max whose numbers make 24 with
/// + - * / over exact fractions, each used once.
fn brute_force_24(max: i64) -> Vec<[i64; 4]> {
    type Q = (i64, i64);
    fn norm((n, d): Q) -> Q {
        fn gcd(a: i64, b: i64) -> i64 {
            if b == 0 {
                a.abs()
            } else {
                gcd(b, a % b)
            }
        }
        let g = gcd(n, d).max(1);
        let s = if d < 0 { -1 } else { 1 };
        (s * n / g, s * d / g)
    }
    fn reach(xs: &[Q]) -> bool {
        if xs.len() == 1 {
            return xs[0] == (24, 1);
        }
        for i in 0..xs.len() {
            for j in 0..xs.len() {
                if i == j {
                    continue;
                }
                let rest: Vec<Q> = (0..xs.len())
                    .filter(|&k| k != i && k != j)
                    .map(|k| xs[k])
                    .collect();
                let ((a, b), (c, d)) = (xs[i], xs[j]);
                let mut outs = vec![
                    (a * d + c * b, b * d),
                    (a * d - c * b, b * d),
                    (a * c, b * d),
                ];
                if c != 0 {
                    outs.push((a * d, b * c));
                }
                for o in outs {
                    let mut next = rest.clone();
                    next.push(norm(o));
                    if reach(&next) {
                        return true;
                    }
                }
            }
        }
        false
    }
    let mut out = Vec::new();
    for a in 1..=max {
        for b in a..=max {
            for c in b..=max {
                for d in c..=max {
                    if reach(&[(a, 1), (b, 1), (c, 1), (d, 1)]) {
                        out.push([a, b, c, d]);
                    }
                }
            }
        }
    }
    out
}

fn assert_bad_input(args: &[&str], expected: &str) {
    let out = janus(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(expected),
        "{args:?}: expected `{expected}` in: {err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_input_gets_a_clear_error_and_exit_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let csv = write(d, "bad.csv", "Rank,Puzzles\n1,1 2 3 4\n2,1 two 3 4\n");
    assert_bad_input(
        &["solve", &csv],
        "bad.csv: line 3: bad number `two` in `Puzzles`",
    );
    let nocol = write(d, "nocol.csv", "Rank,Numbers\n1,1 2 3 4\n");
    assert_bad_input(&["solve", &nocol], "nocol.csv: line 1: no `Puzzles` column");
    let json = write(
        d,
        "bad.json",
        "{\"domain\": \"24\",\n \"inputs\": [1, 2,, 3]}",
    );
    assert_bad_input(&["solve", &json], "bad.json: line 2, column");
    let domain = write(d, "domain.json", r#"{"domain": "chess", "inputs": [1]}"#);
    assert_bad_input(
        &["solve", &domain],
        "domain.json: task 1: unknown domain `chess`",
    );
    let arc = write(d, "arc.json", r#"{"train": [], "test": []}"#);
    assert_bad_input(&["solve", &arc], "arc.json: `train` is empty");
    let targets = write(d, "t.txt", "12\n-4\n");
    assert_bad_input(
        &["solve", &targets],
        "t.txt: line 2: double-and-add works on positive integers",
    );
    let other = write(d, "x.yaml", "a: 1\n");
    assert_bad_input(&["solve", &other], "x.yaml: unknown task format");
    assert_bad_input(
        &["solve", "no/such/file.csv"],
        "no/such/file.csv: cannot read",
    );
    assert_bad_input(
        &["solve", "tasks/examples", "--timeout=0"],
        "--timeout must be a positive number",
    );
    // Past what a `Duration` holds, and more threads than any machine has: refused,
    // where they panicked and spawned threads without end.
    for (flag, value) in [
        ("--timeout", "1e300"),
        ("--timeout", "nan"),
        ("--jobs", "100000"),
    ] {
        let expected = format!("{flag} must be");
        assert_bad_input(&["solve", "tasks/examples", flag, value], &expected);
        assert_bad_input(
            &["grow", "tasks/examples", "--state", "s", flag, value],
            &expected,
        );
    }
    let usage = janus(&["solve"]);
    assert_eq!(usage.status.code(), Some(2), "clap usage errors exit 2 too");
}

#[test]
fn random_24_tasks_are_seeded_solvable_and_avoid_held_out_puzzles() {
    let dir = tempfile::tempdir().unwrap();
    // Hold out every pair of cards that makes 24 (3 * 8, 12 + 12, ...).
    let mut held = String::from("Puzzles\n");
    for a in 1..=13 {
        for b in a..=13 {
            held += &format!("{a} {b}\n");
        }
    }
    let held_path = write(dir.path(), "held.csv", &held);
    let out_path = dir.path().join("r.json");
    let out = out_path.to_str().unwrap();
    let gen = || {
        let args = [
            "tasks",
            "gen",
            "24-random",
            "--depth",
            "1",
            "--count",
            "30",
            "--seed",
            "4",
            "--held-out",
            &held_path,
            "--out",
            out,
        ];
        assert!(janus(&args).status.success());
        std::fs::read_to_string(&out_path).unwrap()
    };
    let first = gen();
    assert_eq!(first, gen(), "same seed, same tasks");
    let reports = json_lines(&janus(&["solve", out, "--json"]));
    let (tasks, summary) = reports.split_at(reports.len() - 1);
    assert_eq!(tasks.len(), 30);
    assert_eq!(summary[0]["summary"]["solved"], 30);
    let tasks_json: serde_json::Value = serde_json::from_str(&first).unwrap();
    for t in tasks_json["tasks"].as_array().unwrap() {
        assert_ne!(t["target"], "24/1", "{t}");
        assert_eq!(t["inputs"].as_array().unwrap().len(), 2);
    }
}

#[cfg(feature = "torch")]
#[test]
fn a_guide_trained_from_the_command_line_solves_and_bad_models_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("g.safetensors");
    let log = dir.path().join("log.csv");
    let (m, l) = (model.to_str().unwrap(), log.to_str().unwrap());
    let args = [
        "guide",
        "train",
        "--domain",
        "double-add",
        "--device",
        "cpu",
        "--programs",
        "100",
        "--backward",
        "1",
        "--epochs",
        "1",
        "--out",
        m,
        "--log",
        l,
    ];
    let out = janus(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let curve = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        curve.lines().count(),
        1 + 2,
        "header and epochs 0-1:\n{curve}"
    );
    let targets = write(dir.path(), "t.txt", "1000\n77777\n");
    let out = janus(&["solve", &targets, "--guide", m, "--device", "cpu", "--json"]);
    let reports = json_lines(&out);
    assert_eq!(reports[2]["summary"]["solved"], 2);
    assert_eq!(reports[2]["summary"]["policy"], "guide:double-add");
    std::fs::write(&model, b"garbage").unwrap();
    assert_bad_input(
        &["solve", &targets, "--guide", m, "--device", "cpu"],
        "not a safetensors model file",
    );
}

/// An ARC task written here: every output is its input turned upside down.
#[cfg(feature = "torch")]
const UPSIDE_DOWN: &str = r#"{"train": [
    {"input": [[1, 0, 0], [2, 2, 0], [0, 0, 3]], "output": [[0, 0, 3], [2, 2, 0], [1, 0, 0]]},
    {"input": [[0, 5, 5, 0], [4, 0, 0, 4]], "output": [[4, 0, 0, 4], [0, 5, 5, 0]]},
    {"input": [[7, 7], [0, 8], [9, 9]], "output": [[9, 9], [0, 8], [7, 7]]}],
  "test": [{"input": [[6, 0], [0, 1]], "output": [[0, 1], [6, 0]]}]}"#;

/// A folder `grids` under `dir` holding [`UPSIDE_DOWN`] as `flip.json`: the folder, and
/// the task file's path.
#[cfg(feature = "torch")]
fn upside_down_grids(dir: &Path) -> (std::path::PathBuf, String) {
    let grids = dir.join("grids");
    std::fs::create_dir(&grids).unwrap();
    let flip = write(&grids, "flip.json", UPSIDE_DOWN);
    (grids, flip)
}

#[cfg(feature = "torch")]
#[test]
fn an_arc_guide_trains_on_the_grids_of_task_files_and_solves_with_them() {
    let dir = tempfile::tempdir().unwrap();
    // Two ARC tasks written here: their train inputs are the grids of the random programs.
    let (grids, flip) = upside_down_grids(dir.path());
    let swapped = UPSIDE_DOWN
        .replace("input", "tmp")
        .replace("output", "input")
        .replace("tmp", "output");
    write(&grids, "swapped.json", &swapped);
    let model = dir.path().join("arc.safetensors");
    let m = model.to_str().unwrap();
    let args = [
        "guide",
        "train",
        "--domain",
        "arc",
        "--device",
        "cpu",
        "--grids",
        grids.to_str().unwrap(),
        "--programs",
        "40",
        "--depths",
        "1,2",
        "--epochs",
        "1",
        "--rl-epochs",
        "1",
        "--rl-batch",
        "4",
        "--out",
        m,
    ];
    let out = janus(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    // ARC's default: the guide as a prior beside the heuristic; on request, rescoring.
    for (how, policy) in [
        (None, "guide:arc+heuristic"),
        (Some("rescore"), "guide:arc"),
    ] {
        let mut solve = vec!["solve", &flip, "--guide", m, "--device", "cpu", "--json"];
        solve.extend(how.map(|h| ["--guide-as", h]).into_iter().flatten());
        let reports = json_lines(&janus(&solve));
        assert_eq!(reports[0]["solved"], true, "{}", reports[0]);
        assert_eq!(reports[1]["summary"]["policy"], policy);
    }
}

#[cfg(feature = "torch")]
#[test]
fn an_arc_guide_trains_with_a_library_and_replays_and_records_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let (grids, flip) = upside_down_grids(dir.path());
    let library = write(
        dir.path(),
        "t.lib",
        ";; janus library 1\nt_0 arity=1 uses=2 utility=10 type=(-> grid grid) = (vflip (hflip (hflip #0)))\n",
    );
    // One replay of a task of --grids, one of a task it lacks (left out).
    let replays = write(
        dir.path(),
        "found.jsonl",
        "{\"task\": \"flip\", \"program\": \"(lam (#t_0 $0))\"}\n{\"task\": \"elsewhere\", \"program\": \"(lam (hflip $0))\"}\n",
    );
    let train = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "guide", "train", "--domain", "arc", "--device", "cpu", "--grids",
        ];
        args.extend([grids.to_str().unwrap(), "--programs", "20", "--depths", "1"]);
        args.extend(["--epochs", "1", "--out", out]);
        args.extend(extra);
        janus(&args)
    };
    let with = dir.path().join("with.safetensors");
    let with = with.to_str().unwrap();
    let out = train(with, &["--library", &library, "--replays", &replays]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 replays, 20 random programs"),
        "{}",
        stderr(&out)
    );
    // Solving with the library it was trained with, the guide knows every op.
    let solve = |model: &str| {
        janus(&[
            "solve",
            &flip,
            "--guide",
            model,
            "--library",
            &library,
            "--device",
            "cpu",
        ])
    };
    let out = solve(with);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("does not know"), "{}", stderr(&out));
    // A guide trained without it leaves the abstraction out, and says so.
    let without = dir.path().join("without.safetensors");
    let without = without.to_str().unwrap();
    assert!(train(without, &[]).status.success());
    let out = solve(without);
    assert!(stderr(&out).contains("does not know"), "{}", stderr(&out));
    assert!(stderr(&out).contains("t_0"), "{}", stderr(&out));
    // Replays of held-out tasks only: nothing to replay.
    let out = train(
        with,
        &[
            "--library",
            &library,
            "--replays",
            &replays,
            "--held-out",
            &flip,
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no program to replay"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dsl_list_prints_every_primitive_with_its_type_cost_and_inverses() {
    let out = janus(&["dsl", "list", "--domain", "24", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["domain"], "24");
    let prims = lines[0]["primitives"].as_array().unwrap();
    let names: Vec<&str> = prims.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["add", "sub", "mul", "div"]);
    assert_eq!(prims[0]["ty"], "(-> rat rat rat)");
    assert_eq!(prims[0]["cond_inverses"], serde_json::json!([[0], [1]]));
    assert_eq!(prims[0]["commutative"], true);
    let text = janus(&["dsl", "list"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("# arc") && text.contains("hflip : (-> grid grid) | cost 1 | inverse"));
    let bad = janus(&["dsl", "list", "--domain", "chess"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown domain `chess`"),
        "{}",
        stderr(&bad)
    );
}

/// A 6x6 grid of digits drawn from `seed`, as ARC JSON.
fn noise(seed: u32) -> String {
    let cells: Vec<String> = (0..36)
        .map(|i: u32| ((i * 7 + seed * 13).wrapping_mul(2654435761) % 10).to_string())
        .collect();
    let rows: Vec<String> = cells
        .chunks(6)
        .map(|r| format!("[{}]", r.join(",")))
        .collect();
    format!("[{}]", rows.join(","))
}

/// An ARC task no program solves: it takes its whole budget.
fn unsolvable(dir: &Path) -> String {
    let pair = |a, b| format!(r#"{{"input": {}, "output": {}}}"#, noise(a), noise(b));
    let text = format!(
        r#"{{"train": [{}, {}], "test": [{{"input": {}}}]}}"#,
        pair(1, 2),
        pair(3, 4),
        noise(5)
    );
    write(dir, "slow.json", &text)
}

/// `janus solve QUICK SLOW --jobs 1 --timeout 20 --json EXTRA...`, SLOW a task that takes
/// its whole budget (written in `dir`), with its first line read: QUICK's report.
fn solve_until_the_first_line(
    quick: &str,
    dir: &Path,
    extra: &[&str],
) -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    serde_json::Value,
) {
    use std::io::BufRead;
    let slow = unsolvable(dir);
    let mut args = vec![
        "solve",
        quick,
        &slow,
        "--jobs",
        "1",
        "--timeout",
        "20",
        "--json",
    ];
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_janus"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    (child, lines, first)
}

#[test]
fn solve_streams_each_result_as_its_task_ends() {
    let dir = tempfile::tempdir().unwrap();
    let quick = write(dir.path(), "quick.txt", "10\n");
    let (mut child, _, first) = solve_until_the_first_line(&quick, dir.path(), &[]);
    assert_eq!(first["task"], "10");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first result came before the run ended"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn ctrl_c_prints_the_summary_of_the_finished_tasks_and_keeps_their_submission() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub.json");
    let (mut child, lines, first) = solve_until_the_first_line(
        "tasks/examples/arc-flip-above.json",
        dir.path(),
        &["--submission", sub.to_str().unwrap()],
    );
    assert_eq!(first["solved"], true);
    let interrupt = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let rest: Vec<serde_json::Value> = lines
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    let summary = &rest.last().expect("a summary")["summary"];
    assert_eq!(summary["interrupted"], true);
    assert_eq!(
        (summary["tasks"].as_u64(), summary["tasks_given"].as_u64()),
        (Some(1), Some(2))
    );
    let submitted: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sub).unwrap()).unwrap();
    assert!(
        submitted.get(first["task"].as_str().unwrap()).is_some(),
        "{submitted}"
    );
    assert!(submitted.get("slow").is_none());
}

#[test]
fn libraries_of_several_domains_are_given_together_and_each_goes_where_it_registers() {
    let out = janus(&[
        "solve",
        "tasks/examples",
        "--library",
        "dsl/arc.lib",
        "--library",
        "dsl/double-add.lib",
        "--library",
        "dsl/24.lib",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["solved"], summary["tasks"]);
    // One library alone must still apply to some task's domain.
    assert_bad_input(
        &["solve", "tasks/double-add", "--library", "dsl/arc.lib"],
        "dsl/arc.lib: applies to none of the tasks' domains",
    );
}

#[test]
fn profile_says_which_primitives_the_search_called_and_for_how_long() {
    let task = "tasks/examples/arc-flip-above.json";
    let out = janus(&["solve", task, "--profile", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["program"], "(lam (vstack (vflip $0) $0))");
    let primitives = lines[0]["primitives"].as_array().expect("a profile");
    let calls = |name: &str| {
        let p = primitives.iter().find(|p| p["name"] == name);
        p.map_or(0, |p| p["calls"].as_u64().unwrap())
    };
    // The program's own primitives ran, at least when it was checked on every example.
    assert!(
        calls("vflip") >= 3 && calls("vstack") >= 3,
        "{primitives:?}"
    );
    let ms: Vec<f64> = primitives
        .iter()
        .map(|p| p["ms"].as_f64().unwrap())
        .collect();
    let inverse_ms: Vec<f64> = primitives
        .iter()
        .map(|p| p["inverse_ms"].as_f64().unwrap())
        .collect();
    let totals: Vec<f64> = ms.iter().zip(&inverse_ms).map(|(a, b)| a + b).collect();
    assert!(
        totals.windows(2).all(|w| w[0] >= w[1]),
        "the most time first"
    );
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(
        summary["primitives"].as_array().unwrap().len(),
        primitives.len()
    );
    // The table says it after the summary; without --profile nothing is timed.
    let text = janus(&["solve", task, "--profile"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("inside primitives:"), "{text}");
    let plain = json_lines(&janus(&["solve", task, "--json"]));
    assert!(plain[0].get("primitives").is_none());
    assert!(plain.last().unwrap()["summary"].get("primitives").is_none());
}

/// `janus solve tasks/examples --json` with `extra`, under an expansion budget (one
/// attempt, no time limit in effect), so that two runs give the same results.
fn solve_examples_deterministically(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "solve",
        "tasks/examples",
        "--json",
        "--max-expansions",
        "3000",
    ];
    args.extend_from_slice(&["--attempts", "1", "--timeout", "600"]);
    args.extend_from_slice(extra);
    janus(&args)
}

#[test]
fn resume_skips_the_tasks_of_an_earlier_output_and_ends_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = |name: &str| d.join(name).to_str().unwrap().to_string();
    let solve = solve_examples_deterministically;
    let full = solve(&["--submission", &file("all.json")]);
    assert!(full.status.success(), "{}", stderr(&full));
    let full_lines = json_lines(&full);
    let tasks = full_lines.len() - 1;
    // An interrupted run: three reports, then a line cut short by a kill.
    let text = String::from_utf8_lossy(&full.stdout);
    let mut earlier: Vec<&str> = text.lines().take(3).collect();
    earlier.push("{\"task\": \"arc-mir");
    std::fs::write(file("earlier.jsonl"), earlier.join("\n")).unwrap();
    let rest = solve(&[
        "--resume",
        &file("earlier.jsonl"),
        "--submission",
        &file("resumed.json"),
    ]);
    assert!(rest.status.success(), "{}", stderr(&rest));
    let mut rest_lines = json_lines(&rest);
    let summary = rest_lines.pop().unwrap();
    assert_eq!(
        rest_lines.len(),
        tasks - 3,
        "only the other tasks are solved"
    );
    let first_three: Vec<&serde_json::Value> = full_lines[..3].iter().map(|l| &l["task"]).collect();
    assert!(rest_lines
        .iter()
        .all(|l| !first_three.contains(&&l["task"])));
    let all = &full_lines[tasks]["summary"];
    assert_eq!(summary["summary"]["resumed"], 3);
    for key in ["tasks", "solved", "train_fit", "test_correct", "test_total"] {
        assert_eq!(summary["summary"][key], all[key], "{key}");
    }
    assert_eq!(
        std::fs::read_to_string(file("all.json")).unwrap(),
        std::fs::read_to_string(file("resumed.json")).unwrap(),
        "the resumed tasks' predictions are recomputed for the submission"
    );
}

#[test]
fn shards_partition_the_tasks_and_resume_merges_them_into_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let solve = solve_examples_deterministically;
    let full = solve(&["--submission", &file("all.json")]);
    assert!(full.status.success(), "{}", stderr(&full));
    let mut full_lines = json_lines(&full);
    let all = full_lines.pop().unwrap();
    let mut merged = vec![];
    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = solve(&["--shard", &shard]);
        assert!(out.status.success(), "{}", stderr(&out));
        let lines = json_lines(&out);
        let reports = &lines[..lines.len() - 1];
        let positions: Vec<usize> = reports
            .iter()
            .map(|r| {
                full_lines
                    .iter()
                    .position(|f| f["task"] == r["task"])
                    .unwrap()
            })
            .collect();
        assert!(
            positions.iter().all(|p| p % 3 == i),
            "shard {shard}: {positions:?}"
        );
        let path = file(&format!("shard-{i}.jsonl"));
        std::fs::write(&path, String::from_utf8_lossy(&out.stdout).as_bytes()).unwrap();
        merged.extend(["--resume".to_string(), path]);
    }
    merged.extend(["--submission".to_string(), file("merged.json")]);
    let merged: Vec<&str> = merged.iter().map(String::as_str).collect();
    let out = solve(&merged);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "nothing is solved again: only the summary");
    for key in ["tasks", "solved", "train_fit", "test_correct", "test_total"] {
        assert_eq!(lines[0]["summary"][key], all["summary"][key], "{key}");
    }
    assert_eq!(lines[0]["summary"]["resumed"], full_lines.len());
    assert_eq!(
        std::fs::read_to_string(file("all.json")).unwrap(),
        std::fs::read_to_string(file("merged.json")).unwrap()
    );
    let bad = janus(&["solve", "tasks/examples", "--shard", "3/3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("i must be below n"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn old_flag_spellings_are_hidden_aliases_of_the_agreed_ones() {
    let same = |new: &[&str], old: &[&str]| {
        let (a, b) = (janus(new), janus(old));
        assert!(a.status.success(), "{new:?}: {}", stderr(&a));
        assert_eq!(a.stdout, b.stdout, "{new:?} and {old:?} differ");
    };
    same(
        &["tasks", "gen", "24", "--max", "4"],
        &["tasks", "gen", "24game", "--max", "4"],
    );
    let dir = tempfile::tempdir().unwrap();
    let corpus = write(
        dir.path(),
        "c.json",
        r#"["(lam (f (g $0) 1))", "(lam (f (g $0) 2))", "(h (f (g x) 3))"]"#,
    );
    // The library each spelling learns (the printed report holds timings).
    let library = |flag: &str, name: &str| {
        let out = dir.path().join(name);
        let args = [
            "learn",
            &corpus,
            flag,
            "stitch",
            "--out",
            out.to_str().unwrap(),
        ];
        assert!(janus(&args).status.success(), "{args:?}");
        std::fs::read_to_string(out).unwrap()
    };
    assert_eq!(
        library("--corpus-format", "new.lib"),
        library("--fmt", "old.lib"),
        "--corpus-format and --fmt differ"
    );
    let help = String::from_utf8_lossy(&janus(&["learn", "--help"]).stdout).into_owned();
    assert!(
        help.contains("--corpus-format") && !help.contains("--fmt"),
        "{help}"
    );
}

#[test]
fn completion_scripts_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = janus(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = String::from_utf8_lossy(&out.stdout);
        for command in ["solve", "grow", "learn", "ardt"] {
            assert!(script.contains(command), "{shell} completes `{command}`");
        }
    }
    assert_eq!(janus(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_24_game_writes_its_programs_in_infix() {
    let out = janus(&["solve", "tasks/examples/24-fractions.json", "--json"]);
    let lines = json_lines(&out);
    let r = lines.iter().find(|r| r["task"] == "1 3 4 6").unwrap();
    assert_eq!(r["notation"], "6/(1-3/4)");
    let table = janus(&[
        "solve",
        "tasks/examples/24-fractions.json",
        "--format",
        "notation",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("6/(1-3/4)") && !text.contains("(lam"),
        "{text}"
    );
    // Domains without a notation keep the program.
    let out = janus(&["solve", "tasks/examples/double-add.json", "--json"]);
    assert!(json_lines(&out)[0].get("notation").is_none());
}

#[test]
fn quiet_and_verbose_set_how_much_is_said_besides_results() {
    let task = "tasks/examples/24-fractions.json";
    let quiet = janus(&["solve", task, "-q"]);
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert_eq!(text.lines().count(), 1, "the summary only: {text}");
    assert!(text.starts_with("solved 5/5"));
    let verbose = janus(&["-v", "solve", task]);
    let text = String::from_utf8_lossy(&verbose.stdout);
    assert_eq!(
        text.matches("stop solved, ").count(),
        5,
        "a detail line per task: {text}"
    );
    let out = janus(&["tasks", "gen", "24", "--max", "3", "-q"]);
    assert!(
        stderr(&out).is_empty(),
        "no note under -q: {}",
        stderr(&out)
    );
    let out = janus(&["tasks", "gen", "24", "--max", "3"]);
    assert!(stderr(&out).contains("solvable puzzles"));
    let both = janus(&["solve", task, "-q", "-v"]);
    assert_eq!(both.status.code(), Some(2));
}
