//! The forward phase before the bidirectional search: chains it reached meet the backward
//! front, and outputs composed of pieces it reached (fixtures written here).

use janus::dsl::Grid;
use janus::search::Budget;
use janus::tasks::{Example, Task, Test};
use janus::{default_policy, domain, solve_with, ForwardPhase, SolveConfig, Strategy, Value};

/// A sparse pseudo-random grid: about a third of the cells foreground (a small LCG).
fn sparse(seed: u64, h: usize, w: usize) -> Grid {
    Grid::from_fn(h, w, |r, c| {
        let s = (seed * 7919 + (r * 37 + c) as u64)
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = (s >> 33) % 9;
        if k < 3 {
            k as u8 + 1
        } else {
            0
        }
    })
    .unwrap()
}

/// Three train pairs and a test: `program` run on sparse grids of a few shapes.
fn task_of(program: &str) -> Task {
    let d = domain("arc").unwrap();
    let p = janus::parse_expr(program).unwrap();
    let eval = janus::Evaluator::new(&d.registry);
    let shapes = [(4, 5), (5, 3), (6, 6), (3, 4)];
    let mut pairs: Vec<(Value, Value)> = shapes
        .iter()
        .enumerate()
        .map(|(i, &(h, w))| {
            let g = Value::Grid(sparse(i as u64 + 1, h, w));
            let out = eval.run(&p, std::slice::from_ref(&g)).unwrap();
            (g, out)
        })
        .collect();
    let (input, output) = pairs.pop().unwrap();
    Task {
        id: program.into(),
        domain: janus::DomainKind::Arc,
        examples: pairs
            .into_iter()
            .map(|(i, o)| Example {
                inputs: vec![i],
                output: o,
            })
            .collect(),
        tests: vec![Test {
            inputs: vec![input],
            output: Some(output),
        }],
        linear: false,
    }
}

/// Solves `task` within 20 expansions, with or without the forward phase.
fn solve(task: &Task, forward: ForwardPhase) -> janus::SolveReport {
    let d = domain("arc").unwrap();
    let config = SolveConfig {
        budget: Budget {
            max_expansions: Some(20),
            timeout: None,
        },
        attempts: 1,
        forward,
        ..SolveConfig::default()
    };
    solve_with(
        task,
        &d,
        default_policy(Strategy::Bidir, &d).as_ref(),
        &config,
    )
}

#[test]
fn the_backward_front_meets_a_chain_the_forward_phase_reached() {
    // Three steps under the stack (the turn of the transpose is a flip): the search
    // alone needs 191 expansions; with the phase, vstack's conditional inverse (given
    // the input) asks for a value it reached, and the chain is replayed.
    let program = "(lam (vstack $0 (shift_left (rot90 (transpose $0)))))";
    let task = task_of(program);
    assert!(!solve(&task, ForwardPhase::OFF).solved);
    let r = solve(&task, ForwardPhase::default());
    assert!(r.solved, "{r:?}");
    assert!(r.forward_values > 100, "{r:?}");
    assert!(r.program.unwrap().contains("vstack"));
}

#[test]
fn an_output_no_value_equals_is_stacked_from_pieces() {
    // The half turn laid over the input: the input is the base, right wherever the
    // turned grid is background, and the turned grid a piece, right wherever it lies.
    let program = "(lam (overlay $0 (rot180 $0)))";
    let task = task_of(program);
    let r = solve(&task, ForwardPhase::default());
    assert!(r.solved, "{r:?}");
    assert_eq!(r.expansions, 0, "found by the forward phase: {r:?}");
    assert_eq!(r.program.as_deref(), Some(program));
}

#[test]
fn a_chain_through_the_open_target_records_a_fit_and_goes_no_further() {
    // Every cell the commonest colour: the phase reaches the output in one step and
    // chains that run on from it (turns of a uniform grid); replaying one of those must
    // not build on the target, which stays open while the search collects fits.
    let program = "(lam (fill_commonest $0))";
    let r = solve(&task_of(program), ForwardPhase::default());
    assert_eq!(r.error, None);
    assert!(r.solved, "{r:?}");
}
