//! Supervision from random programs ("bidirizing", bidir-search.md section 4): a forward
//! program is replayed on a fresh search graph as a sequence of actions, where each step
//! of the program is, with some probability, taken backward (its inverse, or a conditional
//! inverse whose known inputs are first built forward) instead of forward. Every action
//! becomes one training step: the state before it, the valid actions there (the masks),
//! and the action taken.

use petgraph::stable_graph::NodeIndex;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::encode::{ActionMasks, ActionView, EncodedState, ValueEncoding};
use super::ops::OpSet;
use crate::domains::Domain;
use crate::domains::{Program, Sample};
use crate::dsl::{Limits, Value};
use crate::search::{
    actions, Action, Applied, Candidate, Direction, Directions, SearchGraph, Usage,
};

/// Most other valid actions a supervised step keeps beside the one taken (the softmax
/// over a state's actions is trained on this sample of them).
pub const NEGATIVES: usize = 31;

/// One decision: a state, the valid actions there, and which was taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The graph's nodes and their features.
    pub state: EncodedState,
    /// Which ops and which nodes per slot have a valid action (all of them).
    pub masks: ActionMasks,
    /// The action taken first, then (a sample of) the other valid actions.
    pub actions: Vec<ActionView>,
    /// The loss weight (1 in supervised training; the advantage in REINFORCE).
    pub weight: f32,
}

impl Step {
    /// The step that takes `taken` among `valid` (all valid candidates of the state),
    /// keeping at most [`NEGATIVES`] others, drawn with `rng`.
    pub fn new(
        state: EncodedState,
        ops: &OpSet,
        taken: &Candidate,
        valid: &[Candidate],
        rng: &mut impl Rng,
    ) -> Option<Step> {
        let mut masks = ActionMasks::new(ops, &state, valid.iter().map(|c| &c.action));
        masks.add(ops, &state, &taken.action);
        let mut actions = vec![ActionView::new(ops, &state, taken)?];
        let others: Vec<&Candidate> = valid.iter().filter(|c| c.action != taken.action).collect();
        for c in others.choose_multiple(rng, NEGATIVES) {
            actions.extend(ActionView::new(ops, &state, c));
        }
        Some(Step {
            state,
            masks,
            actions,
            weight: 1.0,
        })
    }
}

/// How a program is replayed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemoConfig {
    /// Probability that a program step is taken backward (where the op allows it).
    pub backward: f64,
    /// Probability of a random valid action (a distractor, not recorded) before each
    /// recorded one, repeated up to three times: the states then hold nodes that lead
    /// nowhere, as the search's states do, and the network learns to ignore them.
    pub distractors: f64,
}

/// Replays programs as actions on a search graph, recording a [`Step`] per action.
struct Replay<'a> {
    domain: &'a Domain,
    ops: &'a OpSet,
    dirs: Directions,
    encoding: ValueEncoding,
    graph: SearchGraph,
    inputs: Vec<Vec<Value>>,
    config: DemoConfig,
    rng: rand_chacha::ChaCha8Rng,
    steps: Vec<Step>,
}

impl Replay<'_> {
    /// The values (one per example) and usage of a sub-program.
    fn key(&self, p: &Program) -> Option<(crate::search::Values, Usage)> {
        let values = self
            .inputs
            .iter()
            .map(|ins| p.eval(&self.domain.registry, ins).ok())
            .collect::<Option<Vec<_>>>()?;
        Some((values.into(), self.usage(p)?))
    }

    fn usage(&self, p: &Program) -> Option<Usage> {
        match p {
            Program::Input(i) => Some(self.graph.value(self.graph.input_node(*i)?).usage),
            Program::Const(_) => Some(Usage::NONE),
            Program::Apply(_, kids) => kids.iter().try_fold(Usage::NONE, |u, k| {
                u.checked_add(self.usage(k)?, self.graph.full_usage())
            }),
        }
    }

    fn node(&self, p: &Program) -> Option<NodeIndex> {
        match p {
            Program::Input(i) => self.graph.input_node(*i),
            _ => {
                let (values, usage) = self.key(p)?;
                self.graph.lookup(&values, usage)
            }
        }
    }

    /// Applies up to three random valid actions, each with the distractor probability.
    fn distract(&mut self) {
        let registry = &self.domain.registry;
        for _ in 0..3 {
            if !self.rng.gen_bool(self.config.distractors) {
                return;
            }
            let candidates = actions::valid_candidates(&self.graph, registry, self.dirs);
            if let Some(c) = candidates.choose(&mut self.rng) {
                self.graph.apply(c, registry);
            }
        }
    }

    /// Records and applies `action`; false when it is not valid here.
    fn act(&mut self, action: Action) -> bool {
        self.distract();
        let max_bits = Limits::default().max_bits;
        let registry = &self.domain.registry;
        if !action.args.iter().all(|&n| self.graph.contains(n)) || self.graph.solved() {
            return false;
        }
        let Some(c) = actions::evaluate(&self.graph, registry, &action, max_bits) else {
            return false;
        };
        let state = EncodedState::new(&self.graph, self.encoding);
        let valid = actions::valid_candidates(&self.graph, registry, self.dirs);
        if let Some(step) = Step::new(state, self.ops, &c, &valid, &mut self.rng) {
            self.steps.push(step);
        }
        matches!(self.graph.apply(&c, registry), Applied::Changed(_))
    }

    /// Builds `p` forward from the inputs; its grounded node.
    fn build(&mut self, p: &Program) -> Option<NodeIndex> {
        if let Some(n) = self.node(p).filter(|&n| self.graph.is_grounded(n)) {
            return Some(n);
        }
        let Program::Apply(prim, kids) = p else {
            return None;
        };
        let args = kids
            .iter()
            .map(|k| self.build(k))
            .collect::<Option<Vec<_>>>()?;
        self.act(Action {
            prim: *prim,
            direction: Direction::Forward,
            args,
        });
        self.node(p).filter(|&n| self.graph.is_grounded(n))
    }

    /// Grounds `node`, which holds `p`'s values, backward where the coin says so.
    fn solve(&mut self, p: &Program, node: NodeIndex) {
        if !self.graph.contains(node) || self.graph.is_grounded(node) {
            return;
        }
        let Program::Apply(prim, _) = p else {
            return;
        };
        if self.dirs.backward
            && self.rng.gen_bool(self.config.backward)
            && self.solve_backward(p, node)
        {
            return;
        }
        if let Some(args) = self.build_kids(p) {
            self.act(Action {
                prim: *prim,
                direction: Direction::Forward,
                args,
            });
        }
    }

    fn build_kids(&mut self, p: &Program) -> Option<Vec<NodeIndex>> {
        let Program::Apply(_, kids) = p else {
            return None;
        };
        kids.iter().map(|k| self.build(k)).collect()
    }

    /// One backward step at `node`, then the computed inputs in turn; false when no
    /// backward step applies.
    fn solve_backward(&mut self, p: &Program, node: NodeIndex) -> bool {
        let Program::Apply(prim, kids) = p else {
            return false;
        };
        let primitive = self.domain.registry.get(*prim);
        let linear = self.graph.is_linear();
        let mut options: Vec<Direction> = Vec::new();
        if primitive.inverse.is_some() && (!linear || primitive.arity == 1) {
            options.push(Direction::Inverse);
        }
        for (i, ci) in primitive.cond_inverses.iter().enumerate() {
            if !linear || ci.known.len() + 1 == primitive.arity {
                options.push(Direction::CondInverse(i));
            }
        }
        let Some(&direction) = options.choose(&mut self.rng) else {
            return false;
        };
        let (known, missing) = match direction {
            Direction::CondInverse(i) => {
                let ci = &primitive.cond_inverses[i];
                (ci.known.clone(), ci.missing(primitive.arity))
            }
            _ => (Vec::new(), (0..primitive.arity).collect()),
        };
        let mut args = vec![node];
        for &s in &known {
            match self.build(&kids[s]) {
                Some(n) => args.push(n),
                None => return false,
            }
        }
        if !self.act(Action {
            prim: *prim,
            direction,
            args,
        }) {
            return false;
        }
        for s in missing {
            if let Some(n) = self.node(&kids[s]) {
                self.solve(&kids[s], n);
            }
        }
        true
    }
}

/// The steps that replay `sample`'s program on a fresh graph as `config` says (backward
/// steps only where `dirs` allows them); `None` when the replay does not ground the
/// target (a program the search cannot express, such as one that leaves an input unused
/// in a linear task).
pub fn demonstrate(
    sample: &Sample,
    domain: &Domain,
    ops: &OpSet,
    dirs: Directions,
    config: DemoConfig,
    rng: &mut impl Rng,
) -> Option<Vec<Step>> {
    let task = &sample.task;
    let inputs: Vec<Vec<Value>> = task.examples.iter().map(|e| e.inputs.clone()).collect();
    let outputs: Vec<Value> = task.examples.iter().map(|e| e.output.clone()).collect();
    let graph = SearchGraph::new(&domain.registry, &inputs, &outputs, task.linear)
        .ok()?
        .with_literals(domain.literals.clone());
    let mut replay = Replay {
        domain,
        ops,
        dirs,
        encoding: domain.guide.encoding,
        graph,
        inputs,
        config,
        rng: rand_chacha::ChaCha8Rng::seed_from_u64(rng.gen()),
        steps: Vec::new(),
    };
    let target = replay.graph.target();
    replay.solve(&sample.program, target);
    replay.graph.solved().then_some(replay.steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arith::sample::random_24;
    use crate::domains::binary::sample::double_add_sample;
    use crate::domains::DomainKind;
    use crate::search::Strategy;
    use num_bigint::BigInt;

    fn clean(backward: f64) -> DemoConfig {
        DemoConfig {
            backward,
            distractors: 0.0,
        }
    }

    #[test]
    fn distractors_add_nodes_but_the_replay_still_grounds_the_target() {
        let d = DomainKind::TwentyFour.domain();
        let dirs = Strategy::Bidir.directions();
        let ops = OpSet::new(&d.registry, dirs);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let (mut clean_nodes, mut noisy_nodes, mut replays) = (0, 0, 0);
        for _ in 0..30 {
            let s = random_24(&d, 3, &Default::default(), &mut rng);
            let noisy = DemoConfig {
                backward: 0.8,
                distractors: 0.5,
            };
            let a = demonstrate(&s, &d, &ops, dirs, clean(0.8), &mut rng).unwrap();
            if let Some(b) = demonstrate(&s, &d, &ops, dirs, noisy, &mut rng) {
                replays += 1;
                noisy_nodes += b.iter().map(|st| st.state.nodes.len()).sum::<usize>();
                clean_nodes += a.iter().map(|st| st.state.nodes.len()).sum::<usize>();
            }
        }
        assert!(replays > 20, "{replays}");
        assert!(noisy_nodes > clean_nodes, "{noisy_nodes} vs {clean_nodes}");
    }

    #[test]
    fn double_add_backward_replay_is_all_inverses() {
        let d = DomainKind::DoubleAdd.domain();
        let dirs = Strategy::Bidir.directions();
        let ops = OpSet::new(&d.registry, dirs);
        let s = double_add_sample(&d, &BigInt::from(11)); // ((2 * 2) + 1) * 2 + 1
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
        let steps = demonstrate(&s, &d, &ops, dirs, clean(1.0), &mut rng).unwrap();
        assert_eq!(steps.len(), s.program.steps());
        let op = |st: &Step| ops.names()[st.actions[0].op].clone();
        assert!(steps.iter().all(|st| op(st).ends_with(".inv")));
        // The first step inverts the target: 11 is odd, so plus_one's inverse.
        assert_eq!(op(&steps[0]), "plus_one.inv");
        for st in &steps {
            let taken = &st.actions[0];
            assert!(st.masks.ops[taken.op]);
            for (slot, &a) in taken.args.iter().enumerate() {
                assert!(st.masks.slots[taken.op][slot][a]);
            }
            // The other valid actions are kept (fewer than the cap here).
            assert!(st.actions.len() > 1 && st.actions.len() <= 1 + NEGATIVES);
        }
    }

    #[test]
    fn forward_replay_of_24_programs_uses_forward_ops_only() {
        let d = DomainKind::TwentyFour.domain();
        let dirs = Strategy::Forward.directions();
        let ops = OpSet::new(&d.registry, dirs);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for depth in 1..=3 {
            let s = random_24(&d, depth, &Default::default(), &mut rng);
            let steps = demonstrate(&s, &d, &ops, dirs, clean(0.8), &mut rng).unwrap();
            assert_eq!(steps.len(), depth);
        }
    }

    #[test]
    fn bidirized_24_replays_mix_directions_and_ground_the_target() {
        let d = DomainKind::TwentyFour.domain();
        let dirs = Strategy::Bidir.directions();
        let ops = OpSet::new(&d.registry, dirs);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let (mut backward, mut total) = (0, 0);
        for _ in 0..50 {
            let s = random_24(&d, 3, &Default::default(), &mut rng);
            let steps = demonstrate(&s, &d, &ops, dirs, clean(0.8), &mut rng).unwrap();
            assert_eq!(steps.len(), 3);
            total += steps.len();
            backward += steps
                .iter()
                .filter(|st| ops.names()[st.actions[0].op].contains(".cinv"))
                .count();
        }
        assert!(
            backward > total / 4 && backward < total,
            "{backward}/{total}"
        );
    }
}

#[cfg(test)]
mod arc_tests {
    use super::*;
    use crate::domains::arc::sample::{random_arc, random_input_set};
    use crate::domains::DomainKind;
    use crate::search::Strategy;

    #[test]
    fn random_arc_programs_replay_with_backward_steps() {
        let d = DomainKind::Arc.domain();
        let dirs = Strategy::Bidir.directions();
        let ops = OpSet::new(&d.registry, dirs);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let config = DemoConfig {
            backward: 0.8,
            distractors: 0.0,
        };
        let (mut drawn, mut replayed, mut backward, mut steps) = (0, 0, 0, 0);
        for i in 0..60 {
            let inputs = random_input_set(3, &mut rng);
            let Some(s) = random_arc(&d, &inputs, 1 + i % 3, None, &mut rng) else {
                continue;
            };
            drawn += 1;
            let Some(demo) = demonstrate(&s, &d, &ops, dirs, config, &mut rng) else {
                continue;
            };
            replayed += 1;
            steps += demo.len();
            backward += demo.iter().filter(|st| !st.actions[0].forward).count();
        }
        // Most ARC primitives have no inverse, so most steps stay forward (seed 9: 46 of
        // 58 replayed, 16 of 83 steps backward).
        assert!(replayed * 2 > drawn, "{replayed} of {drawn}");
        assert!(backward * 8 > steps, "{backward}/{steps}");
    }
}
