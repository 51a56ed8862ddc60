//! Random forward programs: the training tasks of the policy networks. Each domain has
//! its generator (its [`Sampler`], in its own folder), all seeded; a sample is a task
//! together with a program that solves it.

use crate::domains::Domain;
use crate::dsl::{EvalError, PrimId, Registry, Value};
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

    /// Primitive applications.
    pub fn steps(&self) -> usize {
        match self {
            Program::Input(_) | Program::Const(_) => 0,
            Program::Apply(_, kids) => 1 + kids.iter().map(Program::steps).sum::<usize>(),
        }
    }
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
    /// The seed: the same seed draws the same samples.
    pub seed: u64,
}

/// A domain's generator of random training programs.
pub type Sampler = fn(&Domain, &SampleSpec) -> Vec<Sample>;
