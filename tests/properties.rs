//! Property tests: the s-expression syntax round-trips, and every inverse and conditional
//! inverse of every domain gives back the output when run forward, and shape rules hold.

use std::cell::RefCell;
use std::collections::BTreeMap;

use janus::dsl::{shapes, Expr, Grid, Primitive, Rational, Registry, ShapeRule, Table, Value};
use janus::{domain, parse_expr};
use num_bigint::BigInt;
use proptest::prelude::*;

fn literal() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::int),
        (any::<i32>(), 1i64..1000).prop_map(|(n, d)| Value::rat(n as i64, d)),
        any::<bool>().prop_map(Value::Bool),
        (0u8..10).prop_map(Value::Colour),
        proptest::collection::vec((0u32..40, 0u8..10), 0..4).prop_map(|pairs| {
            let mut seen = std::collections::HashSet::new();
            let unique = pairs.into_iter().filter(|(k, _)| seen.insert(*k));
            Value::Table(Table::from_pairs(unique).unwrap())
        }),
        "[0-9]{1,4}".prop_map(|row| janus::dsl::parse_literal(&format!("[{row}|{row}]"))
            .unwrap()
            .unwrap()),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (0usize..5).prop_map(Expr::Var),
        "[a-z][a-z_0-9]{0,6}"
            .prop_filter("not a literal", |s| janus::dsl::is_name(s))
            .prop_map(|s| Expr::prim(&s)),
        "[a-z][a-z0-9]{0,4}"
            .prop_filter("not a literal", |s| janus::dsl::is_name(s))
            .prop_map(|s| Expr::Abstraction(s.into())),
        literal().prop_map(Expr::Const),
    ];
    leaf.prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(f, x)| Expr::App(Box::new(f), Box::new(x))),
            inner.prop_map(|b| Expr::Lam(Box::new(b))),
        ]
    })
}

proptest! {
    #[test]
    fn printing_then_parsing_gives_the_same_expression(e in expr()) {
        let text = e.to_string();
        prop_assert_eq!(parse_expr(&text).unwrap(), e, "{}", text);
    }
}

/// How many times each law (a primitive's inverse, or one of its conditional inverses)
/// was actually checked, by its name: `hflip inverse`, `add given 0`.
type Counts = RefCell<BTreeMap<String, usize>>;

/// The fewest checks every law must get: a primitive whose forward or inverse fails on
/// the generated inputs would otherwise pass without being tested.
const MIN_LAW_CHECKS: usize = 8;

/// Cases each domain's law test runs.
const CASES: u32 = 256;

/// The name of every law of `prim`.
fn laws_of(prim: &Primitive) -> Vec<String> {
    let mut laws: Vec<String> = prim
        .cond_inverses
        .iter()
        .map(|c| law_name(prim, Some(&c.known)))
        .collect();
    if prim.inverse.is_some() {
        laws.push(law_name(prim, None));
    }
    laws
}

fn law_name(prim: &Primitive, known: Option<&[usize]>) -> String {
    match known {
        None => format!("{} inverse", prim.name),
        Some(k) => format!("{} given {k:?}", prim.name),
    }
}

fn count(counts: &Counts, law: String) {
    *counts.borrow_mut().entry(law).or_default() += 1;
}

/// Checks `forward(inverse(out)) == out` for every inverse of `prim` on `args`, counting
/// each law that was checked.
fn check_laws(prim: &Primitive, args: &[Value], counts: &Counts) -> Result<(), TestCaseError> {
    let Ok(out) = (prim.forward)(args) else {
        return Ok(());
    };
    if let Some(inv) = &prim.inverse {
        if let Ok(ins) = inv(&out) {
            prop_assert_eq!(
                (prim.forward)(&ins),
                Ok(out.clone()),
                "{} inverse",
                prim.name
            );
            count(counts, law_name(prim, None));
        }
    }
    for ci in &prim.cond_inverses {
        let known: Vec<Value> = ci.known.iter().map(|&i| args[i].clone()).collect();
        let Ok(missing) = (ci.apply)(&out, &known) else {
            // Only a degenerate case may fail: the missing input is not determined (a zero
            // factor; a colour change that changes nothing, or no cell to read it from; a
            // table whose objects kept different colours under one key).
            prop_assert!(
                known
                    .iter()
                    .chain([&out])
                    .any(|v| v.as_rat().is_some_and(Rational::is_zero))
                    || ci
                        .missing(prim.arity)
                        .iter()
                        .any(|&s| matches!(args[s], Value::Colour(_) | Value::Table(_))),
                "{} inverse {:?} failed on {:?}",
                prim.name,
                ci.known,
                args
            );
            continue;
        };
        let mut full = args.to_vec();
        for (slot, v) in ci.missing(prim.arity).into_iter().zip(missing) {
            full[slot] = v;
        }
        prop_assert_eq!(
            (prim.forward)(&full),
            Ok(out.clone()),
            "{} inverse {:?}",
            prim.name,
            ci.known
        );
        count(counts, law_name(prim, Some(&ci.known)));
    }
    Ok(())
}

/// Runs `CASES` seeded cases of `strategy`, checking every law of every primitive of
/// `reg` on the arguments `args_of` makes, then asserts that each law was checked at least
/// `MIN_LAW_CHECKS` times. Returns the counts.
fn check_every_law<S: Strategy>(
    reg: &Registry,
    strategy: S,
    args_of: impl Fn(&Primitive, &S::Value) -> Vec<Value>,
    extra: impl Fn(&Registry, &S::Value, &Counts) -> Result<(), TestCaseError>,
) -> BTreeMap<String, usize> {
    let counts = Counts::default();
    let config = proptest::test_runner::Config {
        cases: CASES,
        ..Default::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(
        config,
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let result = runner.run(&strategy, |case| {
        for (_, p) in reg.iter() {
            check_laws(p, &args_of(p, &case), &counts)?;
        }
        extra(reg, &case, &counts)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let counts = counts.into_inner();
    let short: Vec<String> = reg
        .iter()
        .flat_map(|(_, p)| laws_of(p))
        .filter_map(|law| {
            let n = counts.get(&law).copied().unwrap_or(0);
            (n < MIN_LAW_CHECKS).then(|| format!("{law}: {n}"))
        })
        .collect();
    assert!(
        short.is_empty(),
        "laws checked fewer than {MIN_LAW_CHECKS} times in {CASES} cases: {short:?}"
    );
    counts
}

fn no_extra<T>(_: &Registry, _: &T, _: &Counts) -> Result<(), TestCaseError> {
    Ok(())
}

#[test]
fn arithmetic_inverses_run_forward_to_the_output() {
    let reg = domain("24").unwrap().registry;
    let rats = (-50i64..50, 1i64..12, -50i64..50, 1i64..12)
        .prop_map(|(a, b, c, d)| [Value::rat(a, b), Value::rat(c, d)]);
    let counts = check_every_law(&reg, rats, |p, args| args[..p.arity].to_vec(), no_extra);
    assert_eq!(counts.len(), 8, "{counts:?}");
}

#[test]
fn arithmetic_inverses_hold_on_random_outputs_too() {
    // Any output/known pair: whenever an inverse answers, forward gives the output.
    let reg = domain("24").unwrap().registry;
    let pairs = (-50i64..50, -50i64..50);
    let extra = |reg: &Registry, &(out, k): &(i64, i64), counts: &Counts| {
        for (_, p) in reg.iter() {
            for ci in &p.cond_inverses {
                if let Ok(missing) = (ci.apply)(&Value::rat(out, 1), &[Value::rat(k, 1)]) {
                    let mut full = vec![Value::rat(k, 1); 2];
                    full[ci.missing(2)[0]] = missing[0].clone();
                    prop_assert_eq!((p.forward)(&full).unwrap(), Value::rat(out, 1));
                    count(counts, law_name(p, Some(&ci.known)));
                }
            }
        }
        Ok(())
    };
    let args = |p: &Primitive, &(a, b): &(i64, i64)| {
        [Value::rat(a, 1), Value::rat(b, 1)][..p.arity].to_vec()
    };
    check_every_law(&reg, pairs, args, extra);
}

#[test]
fn binary_inverses_run_forward_to_the_output() {
    let reg = domain("double-add").unwrap().registry;
    let numbers = proptest::collection::vec(any::<u64>(), 1..4).prop_map(|bits| {
        bits.iter()
            .fold(BigInt::from(0), |acc, &w| (acc << 64u32) + w)
    });
    let extra = |reg: &Registry, n: &BigInt, counts: &Counts| {
        // The inverse of any output, not only of one forward made.
        for (_, p) in reg.iter() {
            if let Ok(ins) = (p.inverse.as_ref().unwrap())(&Value::Int(n.clone())) {
                prop_assert_eq!((p.forward)(&ins).unwrap(), Value::Int(n.clone()));
                count(counts, law_name(p, None));
            }
        }
        Ok(())
    };
    check_every_law(&reg, numbers, |_, n| vec![Value::Int(n.clone())], extra);
}

/// Two grids of one shape, their colours from all ten or (half the time) from three, so
/// that rules keyed by colours see repeated keys.
fn grid_pair() -> impl Strategy<Value = (Value, Value)> {
    (1usize..7, 1usize..7, prop_oneof![Just(10u8), Just(3u8)]).prop_flat_map(|(h, w, k)| {
        let cells = proptest::collection::vec(0u8..k, h * w);
        (cells.clone(), cells).prop_map(move |(a, b)| {
            let g = |c: Vec<u8>| Value::Grid(janus::dsl::Grid::new(h, w, c).unwrap());
            (g(a), g(b))
        })
    })
}

/// A primitive's arguments from two grids and two colours: grid slots take a then b,
/// colour slots c1 then c2, a table slot maps c1 to c2 and 10 + c2 to c1, a list slot
/// takes [a, b].
fn grid_args(p: &Primitive, ((a, b), c1, c2): &((Value, Value), u8, u8)) -> Vec<Value> {
    let (mut grids, mut colours) = ([a.clone(), b.clone()].into_iter(), [*c1, *c2].into_iter());
    let table = Table::from_pairs([(u32::from(*c1), *c2), (10 + u32::from(*c2), *c1)]).unwrap();
    p.ty.arguments()
        .iter()
        .map(|t| match t {
            t if **t == janus::Type::colour() => Value::Colour(colours.next().unwrap()),
            t if **t == janus::Type::table() => Value::Table(table.clone()),
            t if **t == janus::Type::list(janus::Type::grid()) => {
                Value::List(vec![a.clone(), b.clone()].into())
            }
            _ => grids.next().unwrap(),
        })
        .collect()
}

#[test]
fn grid_inverses_run_forward_to_the_output() {
    let reg = domain("arc").unwrap().registry;
    let cases = (grid_pair(), 0u8..10, 0u8..10);
    let extra = |reg: &Registry, ((a, b), c1, _): &((Value, Value), u8, u8), counts: &Counts| {
        // Inverses must also hold on outputs that no forward run made.
        for (_, p) in reg.iter() {
            if let Some(inv) = &p.inverse {
                if let Ok(ins) = inv(a) {
                    prop_assert_eq!((p.forward)(&ins), Ok(a.clone()), "{} inverse", p.name);
                }
            }
        }
        // Arguments random grids seldom give: a grid cut by separator lines, and a
        // rewrite table that changes something (read off a one-cell change).
        let fill = reg.get(reg.id("fill_cells").unwrap());
        if let Some(args) = separated_and_small(a, b, *c1) {
            check_laws(fill, &args, counts)?;
        }
        let assemble = reg.get(reg.id("assemble").unwrap());
        if let Some(args) = two_anchored_objects(a, b, *c1) {
            check_laws(assemble, &args, counts)?;
        }
        let rewrite = reg.get(reg.id("rewrite_objects").unwrap());
        if let Ok(table) =
            (rewrite.cond_inverses[0].apply)(&one_cell_changed(a), std::slice::from_ref(a))
        {
            check_laws(rewrite, &[a.clone(), table[0].clone()], counts)?;
        }
        Ok(())
    };
    let counts = check_every_law(&reg, cases, grid_args, extra);
    for (law, n) in &counts {
        eprintln!("{law}: {n}");
    }
}

/// `a` with its middle row and column painted `line`, and the top-left 2x2 of `b`: a
/// layout of four cells and one colour for each (`None` when a grid is too small).
fn separated_and_small(a: &Value, b: &Value, line: u8) -> Option<Vec<Value>> {
    let (a, b) = (a.as_grid()?, b.as_grid()?);
    let (h, w) = (a.height(), a.width());
    if h < 3 || w < 3 || b.height() < 2 || b.width() < 2 {
        return None;
    }
    let layout = Grid::from_fn(h, w, |r, c| {
        if r == h / 2 || c == w / 2 {
            line
        } else {
            a.get(r, c)
        }
    })
    .ok()?;
    let small = Grid::from_fn(2, 2, |r, c| b.get(r, c)).ok()?;
    Some(vec![Value::Grid(layout), Value::Grid(small)])
}

/// `a` with its top-left cell one colour further.
fn one_cell_changed(a: &Value) -> Value {
    let g = a.as_grid().expect("a grid");
    let changed = Grid::from_fn(g.height(), g.width(), |r, c| match (r, c) {
        (0, 0) => (g.get(0, 0) + 1) % 10,
        _ => g.get(r, c),
    });
    Value::Grid(changed.expect("a valid grid"))
}

/// A 5x5 grid holding two 2x2 blocks, `a`'s and `b`'s top-left corners with background
/// and the anchor colour made another colour, each with one cell of the anchor colour
/// (where `c` puts it), and that colour: arguments `assemble` acts on, which random grids
/// seldom give (`None` when a grid is too small).
fn two_anchored_objects(a: &Value, b: &Value, c: u8) -> Option<Vec<Value>> {
    let (a, b) = (a.as_grid()?, b.as_grid()?);
    if a.height() < 2 || a.width() < 2 || b.height() < 2 || b.width() < 2 {
        return None;
    }
    let anchor = c % 9 + 1;
    let other = anchor % 9 + 1;
    let cell = |g: &Grid, r: usize, c: usize| match g.get(r, c) {
        0 => other,
        x if x == anchor => other,
        x => x,
    };
    let spot = (usize::from(c / 2 % 2), usize::from(c % 2));
    let grid = Grid::from_fn(5, 5, |r, col| match (r, col) {
        (0..=1, 0..=1) if (r, col) == spot => anchor,
        (0..=1, 0..=1) => cell(a, r, col),
        (3..=4, 3..=4) if (r - 3, col - 3) == (1 - spot.0, spot.1) => anchor,
        (3..=4, 3..=4) => cell(b, r - 3, col - 3),
        _ => 0,
    })
    .ok()?;
    Some(vec![Value::Grid(grid), Value::Colour(anchor)])
}

/// Two grids whose shapes agree in full, in height only, in width only, or not at all.
fn grids_of_any_shapes() -> impl Strategy<Value = (Value, Value)> {
    (1usize..6, 1usize..6, 1usize..6, 1usize..6, 0u8..4).prop_flat_map(|(h, w, h2, w2, how)| {
        let (h2, w2) = match how {
            0 => (h, w),
            1 => (h, w2),
            2 => (h2, w),
            _ => (h2, w2),
        };
        let grid = move |h: usize, w: usize| {
            proptest::collection::vec(0u8..4, h * w)
                .prop_map(move |c| Value::Grid(janus::dsl::Grid::new(h, w, c).unwrap()))
        };
        (grid(h, w), grid(h2, w2))
    })
}

/// The search skips argument tuples by a primitive's shape rule, so the rule must hold
/// wherever the primitive runs: its grid arguments and its result agree.
#[test]
fn shape_rules_hold_wherever_forward_succeeds() {
    let reg = domain("arc").unwrap().registry;
    let ruled: Vec<&Primitive> = reg
        .iter()
        .map(|(_, p)| p)
        .filter(|p| p.shapes != ShapeRule::Free)
        .collect();
    assert!(ruled.len() >= 20, "{} primitives with a rule", ruled.len());
    let counts = Counts::default();
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(
        proptest::test_runner::Config::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let cases = (grids_of_any_shapes(), 0u8..4, 0u8..4);
    let result = runner.run(&cases, |case| {
        for p in &ruled {
            let args = grid_args(p, &case);
            let Ok(out) = (p.forward)(&args) else {
                continue;
            };
            let grids: Vec<Value> = args.into_iter().filter(|a| a.as_grid().is_some()).collect();
            let out_shapes = shapes(std::slice::from_ref(&out)).unwrap();
            for g in &grids {
                let arg_shapes = shapes(std::slice::from_ref(g)).unwrap();
                prop_assert!(p.shapes.agree(&arg_shapes, &out_shapes), "{}", p.name);
            }
            count(&counts, p.name.to_string());
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    for p in ruled {
        let n = counts.borrow().get(&*p.name).copied().unwrap_or(0);
        assert!(n >= MIN_LAW_CHECKS, "{} ran {n} times", p.name);
    }
}
