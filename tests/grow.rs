//! `janus grow`: the loop learns what the budget alone cannot reach, resumes after a kill
//! as if never stopped, and libraries built on libraries load.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use janus::grow::{Grow, GrowSettings, StateDir};
use janus::tasks::double_add_task;
use janus::Task;

fn janus(args: &[&str], dir: &Path) -> Output {
    common::run::janus_in(dir, args)
}

/// Easy double-and-add targets (at most 8 steps from 2), then hard ones (15 or more).
const CURRICULUM: &str =
    "17\n23\n29\n37\n42\n45\n51\n58\n61\n19\n27\n33\n39\n47\n53\n1234\n2766\n3581\n";
const HARD: [&str; 3] = ["1234", "2766", "3581"];

fn curriculum() -> Vec<Task> {
    CURRICULUM
        .lines()
        .map(|t| double_add_task(2.into(), t.parse().unwrap()))
        .collect()
}

fn settings(tasks: &[Task]) -> GrowSettings {
    common::grow::double_add_settings(tasks)
}

#[test]
fn a_hard_task_is_solved_only_once_an_abstraction_is_learned() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = curriculum();
    let state = StateDir::open(dir.path()).unwrap();
    let grow = Grow::open(state, &tasks, settings(&tasks), 1).unwrap();
    let first = grow.iterate(&|_| {}, None).unwrap();
    assert_eq!(first.solved_new, tasks.len() - HARD.len(), "the easy ones");
    assert!(!first.abstractions.is_empty());
    let second = grow.iterate(&|_| {}, None).unwrap();
    let hard: Vec<_> = second
        .new_solutions
        .iter()
        .filter(|s| HARD.contains(&s.task.as_str()))
        .collect();
    assert!(!hard.is_empty(), "no hard task solved: {second:?}");
    assert!(hard.iter().all(|s| !s.abstractions.is_empty()), "{hard:?}");
    assert_eq!(
        grow.library().unwrap().abstractions.len(),
        second.library_size
    );
}

#[test]
fn a_state_folder_of_another_run_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = curriculum();
    let open = |s| Grow::open(StateDir::open(dir.path()).unwrap(), &tasks, s, 1);
    assert!(open(settings(&tasks)).is_ok());
    let other = GrowSettings {
        arity: 2,
        ..settings(&tasks)
    };
    let e = open(other).err().expect("refused").to_string();
    assert!(e.contains("another arity"), "{e}");
    let twice = [tasks[0].clone(), tasks[0].clone()];
    let e = Grow::open(
        StateDir::open(dir.path()).unwrap(),
        &twice,
        settings(&twice),
        1,
    );
    assert!(e.err().expect("refused").to_string().contains("`17`"));
}

/// The JSON lines of a finished run, without the times.
fn reports(out: &Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("solve_seconds");
            o.remove("learn_seconds");
            v
        })
        .collect()
}

fn grow_args(state: &str) -> Vec<&str> {
    vec![
        "grow",
        "targets.txt",
        "--state",
        state,
        "--max-expansions",
        "8",
        "--iterations",
        "3",
        "--arity",
        "1",
        "--jobs",
        "1",
        "--json",
    ]
}

#[test]
fn a_run_killed_again_and_again_ends_as_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // More targets, so that a run lasts long enough to be killed in the middle.
    let mut targets = String::from(CURRICULUM);
    for t in (101..1500).step_by(7) {
        targets += &format!("{t}\n");
    }
    std::fs::write(d.join("targets.txt"), &targets).unwrap();
    let whole = reports(&janus(&grow_args("whole"), d));
    assert_eq!(whole.len(), 3);

    std::fs::create_dir(d.join("killed")).unwrap();
    // A temporary file as a kill in the middle of a write leaves it.
    std::fs::write(
        d.join("killed/.log.jsonl.tmp.99999"),
        "{\"iteration\": 1, \"solv",
    )
    .unwrap();
    for delay_ms in [5, 10, 20, 30, 40, 60, 80, 120] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_janus"))
            .args(grow_args("killed"))
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to tidy up
        child.wait().unwrap();
    }
    let resumed = reports(&janus(&grow_args("killed"), d));
    assert_eq!(resumed, whole);
    let read = |run: &str, file: &str| std::fs::read_to_string(d.join(run).join(file)).unwrap();
    assert_eq!(read("killed", "library.lib"), read("whole", "library.lib"));
    assert_eq!(
        read("killed", "results.json"),
        read("whole", "results.json")
    );
    let leftovers: Vec<_> = std::fs::read_dir(d.join("killed"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn more_iterations_extend_a_finished_run_and_a_damaged_state_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("targets.txt"), CURRICULUM).unwrap();
    let mut args = grow_args("state");
    let two = reports(&janus(
        &{
            args[7] = "2";
            args.clone()
        },
        d,
    ));
    assert_eq!(two.len(), 2);
    let three = reports(&janus(&grow_args("state"), d));
    assert_eq!(&three[..2], &two[..]);
    assert_eq!(three.len(), 3);

    std::fs::write(
        d.join("state/corpus-2.json"),
        "{\"tasks\": [[\"17\", [\"(f\"]]]}",
    )
    .unwrap();
    std::fs::write(
        d.join("state/log.jsonl"),
        read_lines(&d.join("state/log.jsonl"), 2),
    )
    .unwrap();
    let out = janus(&grow_args("state"), d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("corpus-2.json") && err.contains("damaged"),
        "{err}"
    );
}

/// The first `n` lines of a file.
fn read_lines(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().take(n).map(|l| format!("{l}\n")).collect()
}

#[test]
fn libraries_built_on_libraries_load_and_a_missing_base_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("targets.txt"), CURRICULUM).unwrap();
    let solve = |extra: &[&str], out: &str| {
        let mut args = vec!["solve", "targets.txt", "--max-expansions", "40", "--json"];
        args.extend_from_slice(extra);
        let o = janus(&args, d);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::write(d.join(out), &o.stdout).unwrap();
    };
    let learn = |args: &[&str]| {
        let o = janus(args, d);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    solve(&[], "plain.jsonl");
    learn(&[
        "learn",
        "plain.jsonl",
        "--arity",
        "1",
        "--iterations",
        "2",
        "--out",
        "libs/a.lib",
    ]);
    solve(&["--library", "libs/a.lib"], "with-a.jsonl");
    let programs = std::fs::read_to_string(d.join("with-a.jsonl")).unwrap();
    assert!(
        programs.contains("#fn_"),
        "the programs use the first library"
    );
    learn(&[
        "learn",
        "with-a.jsonl",
        "--arity",
        "1",
        "--iterations",
        "2",
        "--library",
        "libs/a.lib",
        "--out",
        "b.lib",
        "--check",
    ]);
    let b = std::fs::read_to_string(d.join("b.lib")).unwrap();
    assert!(b.contains(";; base: libs/a.lib"), "{b}");
    assert!(
        b.contains("fn_2 ") && !b.contains("fn_0 arity"),
        "numbering goes on: {b}"
    );
    // b alone brings a along; both given at once load too.
    solve(&["--library", "b.lib"], "with-b.jsonl");
    solve(
        &["--library", "libs/a.lib", "--library", "b.lib"],
        "with-both.jsonl",
    );

    std::fs::rename(d.join("libs/a.lib"), d.join("libs/moved.lib")).unwrap();
    let out = janus(&["solve", "targets.txt", "--library", "b.lib"], d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("b.lib") && err.contains("libs/a.lib") && err.contains("missing"),
        "{err}"
    );
}

#[test]
fn the_shipped_libraries_register_in_their_domains() {
    let dsl = Path::new(env!("CARGO_MANIFEST_DIR")).join("dsl");
    let all = ["arc.lib", "24.lib", "double-add.lib"].map(|f| dsl.join(f));
    assert!(
        janus::Library::load_all(&all).is_ok(),
        "their names do not clash"
    );
    for (file, kind) in [
        ("arc.lib", janus::DomainKind::Arc),
        ("24.lib", janus::DomainKind::TwentyFour),
        ("double-add.lib", janus::DomainKind::DoubleAdd),
    ] {
        let library = janus::Library::load(&dsl.join(file)).unwrap();
        assert!(!library.abstractions.is_empty(), "{file}");
        let d = janus::domain_with(kind, None, Some(&library)).unwrap();
        for a in &library.abstractions {
            let p = d.registry.by_name(&a.name).unwrap();
            assert_eq!(Some(p.ty.to_string()), a.ty, "{file}: {}", a.name);
        }
    }
}
