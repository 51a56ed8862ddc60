//! Property tests: the s-expression syntax round-trips, and every inverse and conditional
//! inverse of every domain gives back the output when run forward.

use janus::dsl::{Expr, Primitive, Rational, Registry, Table, Value};
use janus::{domain, parse_expr};
use num_bigint::BigInt;
use proptest::prelude::*;

fn literal() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::int),
        (any::<i32>(), 1i64..1000).prop_map(|(n, d)| Value::rat(n as i64, d)),
        any::<bool>().prop_map(Value::Bool),
        (0u8..10).prop_map(Value::Colour),
        proptest::collection::vec((0u16..40, 0u8..10), 0..4).prop_map(|pairs| {
            let mut seen = std::collections::HashSet::new();
            let unique = pairs.into_iter().filter(|(k, _)| seen.insert(*k));
            Value::Table(Table::from_pairs(unique).unwrap())
        }),
        "[0-9]{1,4}".prop_map(
            |row| janus::dsl::parse::parse_literal(&format!("[{row}|{row}]"))
                .unwrap()
                .unwrap()
        ),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        (0usize..5).prop_map(Expr::Var),
        "[a-z][a-z_0-9]{0,6}"
            .prop_filter("not a literal", |s| janus::dsl::parse::is_name(s))
            .prop_map(|s| Expr::prim(&s)),
        "[a-z][a-z0-9]{0,4}"
            .prop_filter("not a literal", |s| janus::dsl::parse::is_name(s))
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

/// Checks `forward(inverse(out)) == out` for every inverse of `prim` on `args`.
fn check_laws(prim: &Primitive, args: &[Value]) -> Result<(), TestCaseError> {
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
    }
    Ok(())
}

fn for_all_primitives(reg: &Registry, args: &[Value]) -> Result<(), TestCaseError> {
    for (_, p) in reg.iter() {
        check_laws(p, &args[..p.arity])?;
    }
    Ok(())
}

proptest! {
    #[test]
    fn arithmetic_inverses_run_forward_to_the_output(a in -50i64..50, b in 1i64..12, c in -50i64..50, d in 1i64..12) {
        let reg = domain("24").unwrap().registry;
        for_all_primitives(&reg, &[Value::rat(a, b), Value::rat(c, d)])?;
    }

    #[test]
    fn inverses_hold_on_random_outputs_too(out in -50i64..50, k in -50i64..50) {
        // Any output/known pair: whenever an inverse answers, forward gives the output.
        let reg = domain("24").unwrap().registry;
        for (_, p) in reg.iter() {
            for ci in &p.cond_inverses {
                if let Ok(missing) = (ci.apply)(&Value::rat(out, 1), &[Value::rat(k, 1)]) {
                    let mut full = vec![Value::rat(k, 1); 2];
                    full[ci.missing(2)[0]] = missing[0].clone();
                    prop_assert_eq!((p.forward)(&full).unwrap(), Value::rat(out, 1));
                }
            }
        }
    }

    #[test]
    fn binary_inverses_run_forward_to_the_output(bits in proptest::collection::vec(any::<u64>(), 1..4)) {
        let reg = domain("double-add").unwrap().registry;
        let n = bits.iter().fold(BigInt::from(0), |acc, &w| (acc << 64u32) + w);
        for_all_primitives(&reg, &[Value::Int(n.clone())])?;
        for (_, p) in reg.iter() {
            if let Ok(ins) = (p.inverse.as_ref().unwrap())(&Value::Int(n.clone())) {
                prop_assert_eq!((p.forward)(&ins).unwrap(), Value::Int(n.clone()));
            }
        }
    }
}

fn grid_pair() -> impl Strategy<Value = (Value, Value)> {
    (1usize..7, 1usize..7).prop_flat_map(|(h, w)| {
        let cells = proptest::collection::vec(0u8..10, h * w);
        (cells.clone(), cells).prop_map(move |(a, b)| {
            let g = |c: Vec<u8>| Value::Grid(janus::dsl::Grid::new(h, w, c).unwrap());
            (g(a), g(b))
        })
    })
}

proptest! {
    #[test]
    fn grid_inverses_run_forward_to_the_output((a, b) in grid_pair(), c1 in 0u8..10, c2 in 0u8..10) {
        let reg = domain("arc").unwrap().registry;
        for (_, p) in reg.iter() {
            // Grid slots take a then b, colour slots c1 then c2, a table slot maps c1 to c2
            // and 10 + c2 to c1, a list slot takes [a, b].
            let (mut grids, mut colours) = ([a.clone(), b.clone()].into_iter(), [c1, c2].into_iter());
            let table = Table::from_pairs([(u16::from(c1), c2), (10 + u16::from(c2), c1)]).unwrap();
            let args: Vec<Value> = p
                .ty
                .arguments()
                .iter()
                .map(|t| match t {
                    t if **t == janus::Type::colour() => Value::Colour(colours.next().unwrap()),
                    t if **t == janus::Type::table() => Value::Table(table.clone()),
                    t if **t == janus::Type::list(janus::Type::grid()) => {
                        Value::List(vec![a.clone(), b.clone()].into())
                    }
                    _ => grids.next().unwrap(),
                })
                .collect();
            check_laws(p, &args)?;
        }
        // Inverses must also hold on outputs that no forward run made.
        for (_, p) in reg.iter() {
            if let Some(inv) = &p.inverse {
                if let Ok(ins) = inv(&a) {
                    prop_assert_eq!((p.forward)(&ins), Ok(a.clone()), "{} inverse", p.name);
                }
            }
        }
    }
}
