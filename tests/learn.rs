//! Library learning (`janus::learn`): small worked corpora, the rewrite round trip as a
//! property on random corpora, and `janus learn` end to end.

mod common;

use common::run::janus;

use janus::learn::{
    best_abstraction, best_abstraction_in, learn, parse_term, print_term, Corpus, CostModel, Dag,
    LearnConfig, ParamPlaces,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};

fn dag(programs: &[&str]) -> Dag {
    let exprs: Vec<_> = programs.iter().map(|p| parse_term(p).unwrap()).collect();
    let tasks: Vec<u32> = (0..exprs.len() as u32).collect();
    Dag::build(&exprs, &tasks, &CostModel::default())
}

fn best(programs: &[&str], arity: usize) -> (String, i64) {
    let (found, _) = best_abstraction(&dag(programs), &CostModel::default(), arity);
    let found = found.expect("something compresses");
    (print_term(&found.body), found.utility)
}

#[test]
fn two_terms_abstract_to_their_anti_unifier() {
    let (body, _) = best(&["(f (g a b) (h c))", "(f (g d b) (h c))"], 2);
    assert_eq!(body, "(f (g #0 b) (h c))");
}

#[test]
fn first_order_abstractions_keep_parameters_out_of_function_positions() {
    // The operator varies, the shape does not: Stitch abstracts the operator away.
    let programs = [
        "(lam (lam (add $1 (mul $0 $1))))",
        "(lam (lam (sub $1 (mul $0 $1))))",
        "(lam (lam (div $1 (mul $0 $1))))",
        "(lam (lam (add $0 (mul $1 $0))))",
    ];
    let (anywhere, _) = best(&programs, 2);
    assert!(
        anywhere.contains("(#0 ") || anywhere.contains("(#1 "),
        "{anywhere}"
    );
    let d = dag(&programs);
    let (found, _) = best_abstraction_in(&d, &CostModel::default(), 2, ParamPlaces::Arguments);
    let body = print_term(&found.expect("something compresses").body);
    assert!(
        !body.contains("(#"),
        "a parameter in a function position: {body}"
    );
}

#[test]
fn a_parameter_used_twice_is_one_parameter() {
    let (body, _) = best(
        &[
            "(k (m x) (m x) z)",
            "(k (m y) (m y) z)",
            "(k (m w) (m w) z)",
        ],
        2,
    );
    assert_eq!(body, "(k (m #0) (m #0) z)");
}

#[test]
fn arity_zero_keeps_the_common_closed_subtree() {
    let (body, _) = best(&["(f (big tree here) a)", "(g (big tree here) b)"], 0);
    assert_eq!(body, "(big tree here)");
}

#[test]
fn utility_is_the_cost_saved_minus_the_body() {
    // Three uses of (draw (scale 2 (rotate 90 #0))): each use keeps fn_0, one app and the
    // argument; the body costs 5 primitives and 5 applications (parameters are free).
    let programs = [
        "(draw (scale 2 (rotate 90 circle)))",
        "(draw (scale 2 (rotate 90 square)))",
        "(draw (scale 2 (rotate 90 star)))",
    ];
    let (_, utility) = best(&programs, 1);
    let before = 3 * (6 * 100 + 5);
    let after = 3 * (2 * 100 + 1);
    assert_eq!(utility, before - after - (5 * 100 + 5));
}

#[test]
fn lambda_bound_variables_stay_inside_bodies_and_arguments_are_shifted_out() {
    let programs = [
        "(map (lam (add $0 (mul 3 x))) l1)",
        "(map (lam (add $0 (mul 3 y))) l2)",
        "(map (lam (add $0 (mul 3 z))) l3)",
    ];
    let corpus = Corpus::from_strings(&programs).unwrap();
    let learned = learn(
        &corpus,
        &LearnConfig {
            arity: 2,
            iterations: 1,
            ..LearnConfig::default()
        },
    );
    // Curried: `(map f)` is an application too, and one application fewer in the body.
    assert_eq!(
        print_term(&learned.library.abstractions[0].body),
        "(map (lam (add $0 (mul 3 #0))))"
    );
    assert_eq!(print_term(&learned.rewritten[0]), "(fn_0 x l1)");
    // An argument that mentions the body's own variable cannot become a parameter.
    let programs = ["(lam (f $0 (g $0)))", "(lam (f $0 (g $0 q)))"];
    let corpus = Corpus::from_strings(&programs).unwrap();
    let learned = learn(&corpus, &LearnConfig::default());
    for program in &learned.rewritten {
        assert!(
            !print_term(program).contains("fn_0 $"),
            "{}",
            print_term(program)
        );
    }
}

#[test]
fn the_objective_counts_each_tasks_cheapest_program() {
    let text = r#"{"DSL": {"productions": []}, "frontiers": [
        {"task": "a", "programs": [{"program": "(f (g x) (g x))"}, {"program": "(h (g x))"}]},
        {"task": "b", "programs": [{"program": "(f (g y) (g y))"}]}]}"#;
    let dir = std::env::temp_dir().join(format!("janus-learn-dc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("frontiers.json");
    std::fs::write(&path, text).unwrap();
    let corpus = Corpus::load(&path, janus::learn::CorpusFormat::Auto).unwrap();
    assert_eq!(corpus.tasks, ["a", "b"]);
    let learned = learn(&corpus, &LearnConfig::default());
    // Task a's cheapest program is (h (g x)) (302); task b has one (f (g y) (g y)) (504).
    assert_eq!(learned.original_cost, 302 + 504);
}

/// A random closed term over a few primitives, lambdas and bound variables.
fn random_term(rng: &mut impl Rng, depth: u32, binders: u32) -> String {
    let leaf = |rng: &mut dyn rand::RngCore| {
        if binders > 0 && rng.gen_bool(0.4) {
            format!("${}", rng.gen_range(0..binders))
        } else {
            ["a", "b", "c", "1", "2"][rng.gen_range(0..5)].to_string()
        }
    };
    if depth == 0 || rng.gen_bool(0.25) {
        return leaf(rng);
    }
    match rng.gen_range(0..5) {
        0 => format!("(lam {})", random_term(rng, depth - 1, binders + 1)),
        1 => format!(
            "({} {})",
            random_term(rng, depth - 1, binders),
            random_term(rng, depth - 1, binders)
        ),
        _ => {
            let head = ["f", "g", "h"][rng.gen_range(0..3)];
            let args: Vec<String> = (0..rng.gen_range(1..4))
                .map(|_| random_term(rng, depth - 1, binders))
                .collect();
            format!("({head} {})", args.join(" "))
        }
    }
}

/// Programs built from a few shared random motifs, so that there is something to learn.
fn random_corpus(seed: u64) -> Vec<String> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let motifs: Vec<String> = (0..3).map(|_| random_term(&mut rng, 3, 0)).collect();
    (0..rng.gen_range(3..9))
        .map(|_| {
            let m = &motifs[rng.gen_range(0..motifs.len())];
            let other = random_term(&mut rng, 3, 0);
            match rng.gen_range(0..3) {
                0 => format!("(f {m} {other})"),
                1 => format!("(lam (g {m} $0 {other}))"),
                _ => format!("(h {other} (lam {m}))"),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rewritten_programs_expand_back_to_the_originals(seed in any::<u64>(), arity in 0usize..4) {
        let programs = random_corpus(seed);
        let corpus = Corpus::from_strings(&programs).unwrap();
        let config = LearnConfig { arity, iterations: 4, ..LearnConfig::default() };
        let learned = learn(&corpus, &config);
        let cost = CostModel::default();
        let mut total = 0;
        for (original, rewritten) in corpus.programs.iter().zip(&learned.rewritten) {
            prop_assert_eq!(print_term(&learned.library.expand(rewritten)), print_term(original));
            total += cost.of(rewritten);
        }
        prop_assert_eq!(total, learned.final_cost);
        prop_assert!(learned.final_cost <= learned.original_cost);
        // The search's utility is what rewriting saves, less the body.
        let mut before = learned.original_cost;
        for (a, step) in learned.library.abstractions.iter().zip(&learned.steps) {
            prop_assert_eq!(a.utility, before - step.cost - cost.of(&a.body) + cost.param * params(&a.body));
            prop_assert!(a.utility > 0);
            before = step.cost;
        }
    }
}

/// The number of parameter occurrences in a body (they cost nothing in the utility).
fn params(body: &egg::RecExpr<janus::learn::Lambda>) -> i64 {
    body.as_ref()
        .iter()
        .filter(|n| matches!(n, janus::learn::Lambda::Param(_)))
        .count() as i64
}

#[test]
fn janus_learn_writes_a_library_the_rewritten_corpus_and_a_report() {
    let dir = std::env::temp_dir().join(format!("janus-learn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = dir.join("corpus.json");
    std::fs::write(&corpus, r#"["(draw (scale 2 (rotate 90 circle)))", "(draw (scale 2 (rotate 90 square)))", "(draw (scale 2 (rotate 90 (star 5))))"]"#).unwrap();
    let (lib, rewritten) = (dir.join("shapes.lib"), dir.join("rewritten.json"));
    let out = janus(&[
        "learn",
        corpus.to_str().unwrap(),
        "--arity",
        "1",
        "--iterations",
        "2",
        "--json",
        "--check",
        "--out",
        lib.to_str().unwrap(),
        "--rewritten",
        rewritten.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["original_cost"], 3 * 605 + 101);
    assert_eq!(
        report["abstractions"][0]["body"],
        "(draw (scale 2 (rotate 90 #0)))"
    );
    assert_eq!(report["abstractions"][0]["uses"], 3);
    assert_eq!(report["checked"], true);
    // AstSize: programs of 11, 11 and 13 nodes; then (fn_0 x) twice and (fn_0 (star 5)).
    assert_eq!(report["ast_size"]["original"], 11 + 11 + 13);
    assert_eq!(report["ast_size"]["final"], 3 + 3 + 5);
    // The body (draw (scale 2 (rotate 90 #0))): 5 primitives, 5 applications, #0.
    assert_eq!(report["library_cost"], 500 + 5 + 100);
    assert_eq!(report["ast_size"]["library"], 11);
    let library = janus::learn::Library::parse(&std::fs::read_to_string(&lib).unwrap()).unwrap();
    assert_eq!(library.abstractions.len(), 1);
    let programs: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&rewritten).unwrap()).unwrap();
    assert_eq!(programs[2], "(fn_0 (star 5))");
}

#[test]
fn janus_learn_names_the_file_and_the_problem_and_exits_2() {
    let dir = std::env::temp_dir().join(format!("janus-learn-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"["(f a)", "(g (h b)"]"#).unwrap();
    let out = janus(&["learn", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.json") && err.contains("program 1"),
        "{err}"
    );
    let out = janus(&["learn", dir.join("missing.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json"));
}

#[test]
fn commutativity_reveals_an_abstraction_that_syntax_alone_misses() {
    use janus::learn::{SaturationLimits, Theory};
    let programs = [
        "(f (add (mul a b) (sq c)))",
        "(g (add (sq d) (mul e b)))",
        "(h (add (mul q b) (sq r)))",
        "(k (add (sq s) (mul t b)))",
    ];
    let corpus = Corpus::from_strings(&programs).unwrap();
    let config = LearnConfig {
        arity: 2,
        iterations: 1,
        ..LearnConfig::default()
    };
    let syntactic = learn(&corpus, &config);
    let theory = Theory::parse("(add ?a ?b) => (add ?b ?a)").unwrap();
    let (normal, report) = theory.normalize(&corpus, &config.cost, SaturationLimits::default());
    assert_eq!(report.stop, "Saturated");
    let modulo = learn(&normal, &config);
    assert_eq!(modulo.library.abstractions[0].uses, 4);
    assert!(
        modulo.final_cost < syntactic.final_cost,
        "{} vs {}",
        modulo.final_cost,
        syntactic.final_cost
    );
}

#[test]
fn janus_solve_uses_a_learned_library_forwards_and_backwards() {
    let dir = std::env::temp_dir().join(format!("janus-learn-solve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tasks = dir.join("tasks.json");
    // 3 -> 3 * 2^40 + 1: forty doublings, met from both ends.
    let target = (3u128 << 40) + 1;
    std::fs::write(
        &tasks,
        format!(r#"[{{"id": "far", "domain": "double-add", "inputs": [3], "target": {target}}}]"#),
    )
    .unwrap();
    let lib = dir.join("x16.lib");
    std::fs::write(
        &lib,
        ";; janus library 1\nfn_0 arity=1 = (double (double (double (double #0))))\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "solve",
            tasks.to_str().unwrap(),
            "--json",
            "--timeout",
            "20",
        ];
        args.extend_from_slice(extra);
        let out = janus(&args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let first = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .to_string();
        serde_json::from_str::<serde_json::Value>(&first).unwrap()
    };
    let plain = run(&[]);
    let with = run(&["--library", lib.to_str().unwrap()]);
    assert_eq!(with["solved"], true);
    assert!(
        with["program"].as_str().unwrap().contains("#fn_0"),
        "{}",
        with["program"]
    );
    assert!(
        with["expansions"].as_u64() < plain["expansions"].as_u64(),
        "{with} vs {plain}"
    );
    // A library of another domain's primitives is refused, naming the file.
    let bad = dir.join("bad.lib");
    std::fs::write(&bad, ";; janus library 1\nfn_0 arity=1 = (rotate_cw #0)\n").unwrap();
    let out = janus(&[
        "solve",
        tasks.to_str().unwrap(),
        "--library",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.lib") && err.contains("rotate_cw"),
        "{err}"
    );
}
