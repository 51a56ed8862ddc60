//! Random forward programs: the training tasks of the policy networks. Each domain has
//! its generator (its [`Sampler`], in its own folder), all seeded; a sample is a task
//! together with a program that solves it.

use std::collections::HashMap;

use crate::domains::Domain;
use crate::dsl::{parse_expr, EvalError, Expr, PrimId, Registry, Value};
use crate::task::Task;

/// A forward program over a task's inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// Input `i` of the task.
    Input(usize),
    /// A primitive applied to sub-programs, one per argument slot.
    Apply(PrimId, Vec<Program>),
    /// A constant argument (an ARC colour): the search has no node for it until a
    /// conditional inverse reads it off, so replays reach it only backward.
    Const(Value),
}

impl Program {
    /// The program's value on one example's inputs.
    pub fn eval(&self, registry: &Registry, inputs: &[Value]) -> Result<Value, EvalError> {
        match self {
            Program::Input(i) => Ok(inputs[*i].clone()),
            Program::Const(v) => Ok(v.clone()),
            Program::Apply(p, kids) => {
                let args = kids
                    .iter()
                    .map(|k| k.eval(registry, inputs))
                    .collect::<Result<Vec<_>, _>>()?;
                (registry.get(*p).forward)(&args)
            }
        }
    }

    /// The program a search printed (`(lam (hflip $0))`; under `n_inputs` lambdas `$0`
    /// is the last input), its primitives and abstractions looked up in `registry`, or
    /// eta-reduced (`(lam (add $0))`, `add`). `None` if it is not of that shape: a name
    /// `registry` lacks, a partial application, a lambda inside.
    pub fn from_expr(expr: &Expr, registry: &Registry, n_inputs: usize) -> Option<Program> {
        let mut body = expr;
        let mut lambdas = 0;
        while let Expr::Lam(b) = body {
            body = b;
            lambdas += 1;
        }
        // The lambdas eta-reduction took away, and their variables, put back.
        let missing = n_inputs.checked_sub(lambdas)?;
        let body = Expr::apply(shifted(body, missing)?, (0..missing).rev().map(Expr::Var));
        Program::from_body(&body, registry, n_inputs)
    }

    fn from_body(e: &Expr, registry: &Registry, n_inputs: usize) -> Option<Program> {
        match e {
            Expr::Var(v) if *v < n_inputs => Some(Program::Input(n_inputs - 1 - v)),
            Expr::Const(c) => Some(Program::Const(c.clone())),
            Expr::App(..) | Expr::Prim(_) | Expr::Abstraction(_) => {
                let (head, args) = e.spine();
                let (Expr::Prim(name) | Expr::Abstraction(name)) = head else {
                    return None;
                };
                let id = registry.id(name)?;
                if registry.get(id).arity != args.len() || args.is_empty() {
                    return None;
                }
                let kids = args
                    .iter()
                    .map(|a| Program::from_body(a, registry, n_inputs))
                    .collect::<Option<Vec<_>>>()?;
                Some(Program::Apply(id, kids))
            }
            _ => None,
        }
    }

    /// Adds one to `counts[id]` for every application of primitive `id` (ids past the
    /// end are skipped).
    fn count_uses(&self, counts: &mut [f64]) {
        if let Program::Apply(id, kids) = self {
            if let Some(c) = counts.get_mut(*id) {
                *c += 1.0;
            }
            for k in kids {
                k.count_uses(counts);
            }
        }
    }

    /// Primitive applications.
    pub fn steps(&self) -> usize {
        match self {
            Program::Input(_) | Program::Const(_) => 0,
            Program::Apply(_, kids) => 1 + kids.iter().map(Program::steps).sum::<usize>(),
        }
    }
}

/// `e` with its variables `by` higher (under `by` more lambdas); `None` if it has a
/// lambda.
fn shifted(e: &Expr, by: usize) -> Option<Expr> {
    Some(match e {
        Expr::Var(v) => Expr::Var(v + by),
        Expr::App(f, x) => Expr::App(Box::new(shifted(f, by)?), Box::new(shifted(x, by)?)),
        Expr::Lam(_) => return None,
        other => other.clone(),
    })
}

/// A task with a program known to solve it.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The task (its examples are the program's outputs).
    pub task: Task,
    /// A program that solves it.
    pub program: Program,
}

/// What a sampler is asked for.
#[derive(Clone, Copy, Debug)]
pub struct SampleSpec<'a> {
    /// How many samples.
    pub count: usize,
    /// The program depths to spread them over (domains whose programs have depths).
    pub depths: &'a [usize],
    /// Tasks never to be drawn (the benchmark's).
    pub held_out: &'a [Task],
    /// Tasks whose inputs random programs may run on (ARC's grids).
    pub grids: &'a [Task],
    /// How often to draw each primitive (ARC's sampler; the 24 Game's and double-and-add's
    /// draw numbers, not primitives); `None` draws them uniformly.
    pub prior: Option<&'a PrimPrior>,
    /// The seed: the same seed draws the same samples.
    pub seed: u64,
}

/// Weights over a registry's primitives for drawing random programs: DreamCoder's dreams
/// come from the grammar fitted to the programs found, so a primitive the solutions use
/// often is drawn often. Every primitive keeps a pseudo-count of one, so none is never
/// drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimPrior {
    weights: Vec<f64>,
}

impl PrimPrior {
    /// The prior of `registry`'s primitives fitted to `programs`: one plus the number of
    /// times each is applied in them.
    pub fn fitted<'p>(
        registry: &Registry,
        programs: impl IntoIterator<Item = &'p Program>,
    ) -> PrimPrior {
        let mut weights = vec![1.0; registry.len()];
        for p in programs {
            p.count_uses(&mut weights);
        }
        PrimPrior { weights }
    }

    /// The weight of primitive `id` (one for a primitive the prior does not know).
    pub fn weight(&self, id: PrimId) -> f64 {
        self.weights.get(id).copied().unwrap_or(1.0)
    }
}

/// The programs of `by_task` (task id, programs as printed) as samples, each on its task
/// among `tasks`: how found programs are replayed to a guide. Programs of a task `tasks`
/// lacks, or that `registry` cannot spell (see [`Program::from_expr`]), are left out.
pub fn replays(
    by_task: &[(String, Vec<String>)],
    tasks: &[Task],
    registry: &Registry,
) -> Vec<Sample> {
    let by_id: HashMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut out = Vec::new();
    for (id, programs) in by_task {
        let Some(&task) = by_id.get(id.as_str()) else {
            continue;
        };
        let n_inputs = task.examples.first().map_or(0, |e| e.inputs.len());
        out.extend(
            programs
                .iter()
                .filter_map(|p| parse_expr(p).ok())
                .filter_map(|e| Program::from_expr(&e, registry, n_inputs))
                .map(|program| Sample {
                    task: task.clone(),
                    program,
                }),
        );
    }
    out
}

/// A domain's generator of random training programs.
pub type Sampler = fn(&Domain, &SampleSpec) -> Vec<Sample>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;
    use crate::dsl::parse_expr;

    #[test]
    fn a_printed_24_program_reads_back_with_its_inputs_in_order() {
        let d = DomainKind::TwentyFour.domain();
        let e = parse_expr("(lam (lam (lam (lam (mul (sub $3 $2) (add $1 $0))))))").unwrap();
        let p = Program::from_expr(&e, &d.registry, 4).unwrap();
        let ins = [5, 3, 4, 8].map(|n| Value::rat(n, 1));
        assert_eq!(p.eval(&d.registry, &ins).unwrap(), Value::rat(24, 1));
        assert_eq!(p.steps(), 3);
        let partial = parse_expr("(lam (lam (lam (lam (mul $3)))))").unwrap();
        assert_eq!(Program::from_expr(&partial, &d.registry, 4), None);
        let unknown = parse_expr("(lam (lam (lam (lam (pow $3 $2)))))").unwrap();
        assert_eq!(Program::from_expr(&unknown, &d.registry, 4), None);
        // Eta-reduced: (lam (lam (lam (lam (mul (add $3 (sub $2 $1)) $0))))) less a lambda.
        let reduced = parse_expr("(lam (lam (lam (mul (add $2 (sub $1 $0))))))").unwrap();
        let p = Program::from_expr(&reduced, &d.registry, 4).unwrap();
        let ins = [1, 3, 1, 8].map(|n| Value::rat(n, 1));
        assert_eq!(p.eval(&d.registry, &ins).unwrap(), Value::rat(24, 1));
    }

    #[test]
    fn the_prior_counts_each_application_over_a_pseudo_count_of_one() {
        let d = DomainKind::TwentyFour.domain();
        let e = parse_expr("(lam (lam (lam (lam (mul (add $3 $2) (add $1 $0))))))").unwrap();
        let p = Program::from_expr(&e, &d.registry, 4).unwrap();
        let prior = PrimPrior::fitted(&d.registry, &[p.clone(), p]);
        let id = |name: &str| d.registry.id(name).unwrap();
        assert_eq!(prior.weight(id("add")), 5.0);
        assert_eq!(prior.weight(id("mul")), 3.0);
        assert_eq!(prior.weight(id("sub")), 1.0);
        assert_eq!(prior.weight(d.registry.len() + 7), 1.0);
    }
}
