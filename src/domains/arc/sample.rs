//! Random ARC training tasks for the guide: sets of input grids (the train inputs of ARC
//! task files, or grids drawn at random) and random forward programs over the ARC
//! primitives, run on every input of a set, so that a task has several examples as a real
//! one does. The original drew programs of depth 3-20 on the grids of the ARC tasks
//! (bidir-search.md, section 2); the programs here chain grid-valued primitives, each
//! step applied to the value the step before made.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domains::{Domain, PrimPrior, Program, Sample, SampleSpec};
use crate::dsl::{Grid, PrimId, Registry, Type, Value};
use crate::task::{DomainKind, Example, Task};

/// Draws of an input set and a program before a depth is given up.
const ARC_DRAWS: usize = 20;

/// ARC's sampler: random programs spread evenly over the depths, run on the input grids
/// of the `grids` tasks (random grids when there are none).
pub fn sample(domain: &Domain, spec: &SampleSpec) -> Vec<Sample> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let sets = arc_input_sets(spec.grids);
    (0..spec.count)
        .filter_map(|i| {
            let depth = spec.depths[i % spec.depths.len()];
            (0..ARC_DRAWS).find_map(|_| {
                let inputs = match sets.choose(&mut rng) {
                    Some(set) => set.clone(),
                    None => random_input_set(3, &mut rng),
                };
                random_arc(domain, &inputs, depth, spec.prior, &mut rng)
            })
        })
        .collect()
}

/// Random steps tried per step of the program asked for.
const TRIES_PER_STEP: usize = 40;

/// A primitive the generator can apply: every argument a grid, a list of grids or a
/// colour, and a grid or a list of grids out.
struct Usable {
    id: PrimId,
    args: Vec<Type>,
    ret: Type,
}

fn usable(registry: &Registry) -> Vec<Usable> {
    let values = [Type::grid(), Type::list(Type::grid())];
    registry
        .iter()
        .filter(|(_, p)| p.arity > 0 && values.contains(p.ty.returns()))
        .filter_map(|(id, p)| {
            let args: Vec<Type> = p.ty.arguments().into_iter().cloned().collect();
            let ok = args
                .iter()
                .all(|t| values.contains(t) || *t == Type::colour());
            ok.then(|| Usable {
                id,
                args,
                ret: p.ty.returns().clone(),
            })
        })
        .collect()
}

/// The input grids of each ARC task in `tasks` (its train pairs' first inputs), one set
/// per task; tasks of other domains and sets with fewer than two grids are left out.
fn arc_input_sets(tasks: &[Task]) -> Vec<Vec<Value>> {
    tasks
        .iter()
        .filter(|t| t.domain == DomainKind::Arc)
        .map(|t| {
            t.examples
                .iter()
                .filter_map(|e| e.inputs.first().filter(|v| v.as_grid().is_some()))
                .cloned()
                .collect::<Vec<Value>>()
        })
        .filter(|set| set.len() >= 2)
        .collect()
}

/// `examples` random grids: sides 3-12, background 0, one to four filled rectangles of
/// random colours 1-9.
pub fn random_input_set(examples: usize, rng: &mut impl Rng) -> Vec<Value> {
    (0..examples)
        .map(|_| {
            let (h, w) = (rng.gen_range(3..=12), rng.gen_range(3..=12));
            let mut cells = vec![0u8; h * w];
            for _ in 0..rng.gen_range(1..=4) {
                let colour = rng.gen_range(1..=9u8);
                let (top, left) = (rng.gen_range(0..h), rng.gen_range(0..w));
                let (bottom, right) = (rng.gen_range(top..h), rng.gen_range(left..w));
                for r in top..=bottom {
                    cells[r * w + left..=r * w + right].fill(colour);
                }
            }
            Value::Grid(Grid::new(h, w, cells).expect("sides within 1-30"))
        })
        .collect()
}

/// A colour argument: one of the grid's colours mostly, any colour sometimes.
fn random_colour(values: &[Value], rng: &mut impl Rng) -> Value {
    let present: Vec<u8> = match values.first().and_then(Value::as_grid) {
        Some(g) => {
            let mut cs: Vec<u8> = g.cells().to_vec();
            cs.sort_unstable();
            cs.dedup();
            cs
        }
        None => Vec::new(),
    };
    match present.choose(rng) {
        Some(&c) if rng.gen_bool(0.8) => Value::Colour(c),
        _ => Value::Colour(rng.gen_range(0..10)),
    }
}

/// A random ARC task of `depth` steps on `inputs` (one grid per example): each step
/// applies a random primitive (drawn by `prior`, uniformly without one) to the value the
/// step before made (the first, to the input), its other grid arguments drawn from the
/// values made so far and its colours from the grids. Steps that fail on some example or
/// remake a value are drawn again;
/// `None` when no program of `depth` steps ending in a grid turns up.
pub fn random_arc(
    domain: &Domain,
    inputs: &[Value],
    depth: usize,
    prior: Option<&PrimPrior>,
    rng: &mut impl Rng,
) -> Option<Sample> {
    let registry = &domain.registry;
    let prims = usable(registry);
    let mut pool: Vec<(Program, Type, Vec<Value>)> =
        vec![(Program::Input(0), Type::grid(), inputs.to_vec())];
    let mut steps = 0;
    for _ in 0..TRIES_PER_STEP * depth {
        if steps == depth {
            break;
        }
        let p = match prior {
            None => prims.choose(rng)?,
            Some(prior) => prims.choose_weighted(rng, |p| prior.weight(p.id)).ok()?,
        };
        let (last, last_ty, last_values) = pool.last().expect("the input");
        let main: Vec<usize> = (0..p.args.len())
            .filter(|&i| p.args[i] == *last_ty)
            .collect();
        let Some(&main) = main.choose(rng) else {
            continue;
        };
        let kids: Option<Vec<Program>> = (0..p.args.len())
            .map(|i| match &p.args[i] {
                _ if i == main => Some(last.clone()),
                t if *t == Type::colour() => Some(Program::Const(random_colour(last_values, rng))),
                t => {
                    let same: Vec<&Program> =
                        pool.iter().filter(|e| e.1 == *t).map(|e| &e.0).collect();
                    same.choose(rng).map(|&q| q.clone())
                }
            })
            .collect();
        let Some(kids) = kids else { continue };
        let program = Program::Apply(p.id, kids);
        let Ok(values) = inputs
            .iter()
            .map(|x| program.eval(registry, std::slice::from_ref(x)))
            .collect::<Result<Vec<Value>, _>>()
        else {
            continue;
        };
        if pool.iter().any(|e| e.2 == values) || values.iter().any(empty_list) {
            continue;
        }
        pool.push((program, p.ret.clone(), values));
        steps += 1;
    }
    let (program, ty, outputs) = pool.pop()?;
    if steps < depth || ty != Type::grid() {
        return None;
    }
    let examples = inputs
        .iter()
        .zip(outputs)
        .map(|(i, o)| Example {
            inputs: vec![i.clone()],
            output: o,
        })
        .collect();
    let task = Task {
        id: format!("random-arc-depth{depth}"),
        domain: DomainKind::Arc,
        examples,
        tests: Vec::new(),
        linear: false,
    };
    Some(Sample { task, program })
}

fn empty_list(v: &Value) -> bool {
    matches!(v, Value::List(items) if items.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn random_arc_programs_compute_their_outputs_on_every_example() {
        let d = DomainKind::Arc.domain();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let mut made = 0;
        for depth in 1..=4 {
            for _ in 0..10 {
                let inputs = random_input_set(3, &mut rng);
                let Some(s) = random_arc(&d, &inputs, depth, None, &mut rng) else {
                    continue;
                };
                made += 1;
                assert!(s.program.steps() >= depth); // shared sub-programs count twice
                assert_eq!(s.task.examples.len(), 3);
                for e in &s.task.examples {
                    let out = s.program.eval(&d.registry, &e.inputs).unwrap();
                    assert_eq!(out, e.output);
                    assert!(out.as_grid().is_some());
                }
                // Every step changed something: the output is not an input.
                assert!(s.task.examples.iter().any(|e| e.inputs[0] != e.output));
            }
        }
        assert!(made >= 30, "{made} of 40 draws gave a program");
    }

    #[test]
    fn the_same_seed_draws_the_same_task() {
        let d = DomainKind::Arc.domain();
        let draw = |seed| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let inputs = random_input_set(2, &mut rng);
            random_arc(&d, &inputs, 3, None, &mut rng).map(|s| s.task)
        };
        // Some draws fail (a chain that errors on the inputs); most succeed.
        let drawn: Vec<u64> = (0..10).filter(|&s| draw(s).is_some()).collect();
        assert!(drawn.len() >= 5, "{drawn:?}");
        for s in drawn {
            assert_eq!(draw(s), draw(s));
        }
    }

    #[test]
    fn a_prior_draws_the_primitives_the_solutions_use() {
        let d = DomainKind::Arc.domain();
        let hflip = d.registry.id("hflip").unwrap();
        // A corpus of fifty one-step programs, all hflip.
        let corpus = vec![Program::Apply(hflip, vec![Program::Input(0)]); 50];
        let prior = PrimPrior::fitted(&d.registry, &corpus);
        let share = |prior: Option<&PrimPrior>| {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
            let drawn: Vec<Sample> = (0..40)
                .filter_map(|_| {
                    let inputs = random_input_set(2, &mut rng);
                    random_arc(&d, &inputs, 1, prior, &mut rng)
                })
                .collect();
            let flips = drawn
                .iter()
                .filter(|s| matches!(s.program, Program::Apply(id, _) if id == hflip))
                .count();
            flips as f64 / drawn.len() as f64
        };
        assert!(share(None) < 0.1, "{}", share(None));
        assert!(share(Some(&prior)) > 0.2, "{}", share(Some(&prior)));
    }

    #[test]
    fn input_sets_come_from_arc_tasks_with_two_or_more_pairs() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
        let grids = random_input_set(3, &mut rng);
        let arc = Task {
            id: "t".into(),
            domain: DomainKind::Arc,
            examples: grids
                .iter()
                .map(|g| Example {
                    inputs: vec![g.clone()],
                    output: g.clone(),
                })
                .collect(),
            tests: Vec::new(),
            linear: false,
        };
        let mut one = arc.clone();
        one.examples.truncate(1);
        let sets = arc_input_sets(&[arc, one]);
        assert_eq!(sets, vec![grids]);
    }
}
