//! The op vocabulary of a policy network: every way a primitive can be applied (forward,
//! inverse, each conditional inverse) gets one index, and each op has a fixed number of
//! argument slots for the pointer head.

use crate::dsl::{PrimId, Registry};
use crate::search::{Action, Direction, Directions};

/// One op: a primitive applied in one direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    /// The primitive; `None` for an op of a model that the domain in use lacks (a
    /// primitive a `--base` leaves out): it keeps its place in the network and matches no
    /// action.
    pub prim: Option<PrimId>,
    /// Forward, inverse or which conditional inverse.
    pub direction: Direction,
    /// Argument slots of the action (see [`Action::args`]).
    pub slots: usize,
    /// A stable name: `add`, `double.inv`, `mul.cinv1`.
    pub name: String,
}

/// The ops of a registry in a fixed order, restricted to some directions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpSet {
    ops: Vec<Op>,
}

impl OpSet {
    /// Every op of `registry` that `dirs` allows, in registry order.
    pub fn new(registry: &Registry, dirs: Directions) -> OpSet {
        let mut ops = Vec::new();
        for (id, p) in registry.iter().filter(|(_, p)| p.arity > 0) {
            if dirs.forward {
                ops.push(Op {
                    prim: Some(id),
                    direction: Direction::Forward,
                    slots: p.arity,
                    name: p.name.to_string(),
                });
            }
            if !dirs.backward {
                continue;
            }
            if p.inverse.is_some() {
                ops.push(Op {
                    prim: Some(id),
                    direction: Direction::Inverse,
                    slots: 1,
                    name: format!("{}.inv", p.name),
                });
            }
            for (i, ci) in p.cond_inverses.iter().enumerate() {
                ops.push(Op {
                    prim: Some(id),
                    direction: Direction::CondInverse(i),
                    slots: 1 + ci.known.len(),
                    name: format!("{}.cinv{i}", p.name),
                });
            }
        }
        OpSet { ops }
    }

    /// The ops, by index.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Number of ops.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The most argument slots of any op.
    pub fn max_slots(&self) -> usize {
        self.ops.iter().map(|o| o.slots).max().unwrap_or(0)
    }

    /// The names, in order (what a model file records).
    pub fn names(&self) -> Vec<String> {
        self.ops.iter().map(|o| o.name.clone()).collect()
    }

    /// The ops named `names`, in that order: the vocabulary of a model trained on another
    /// version of the domain (fewer primitives, or a learned library). A name this set
    /// lacks becomes an op that matches no action; ops of this set that `names` lacks get
    /// no score, so the search leaves them out.
    pub fn by_names<S: AsRef<str>>(&self, names: &[S]) -> OpSet {
        let ops = names
            .iter()
            .map(|n| {
                let n = n.as_ref();
                self.ops
                    .iter()
                    .find(|o| o.name == n)
                    .cloned()
                    .unwrap_or_else(|| Op {
                        prim: None,
                        direction: Direction::Forward,
                        slots: 0,
                        name: n.to_string(),
                    })
            })
            .collect();
        OpSet { ops }
    }

    /// The names of this set's ops that `other` lacks.
    pub fn missing_from(&self, other: &OpSet) -> Vec<String> {
        self.ops
            .iter()
            .filter(|o| {
                !other
                    .ops
                    .iter()
                    .any(|x| x.name == o.name && x.prim.is_some())
            })
            .map(|o| o.name.clone())
            .collect()
    }

    /// The index of the op an action uses, if it is in the set.
    pub fn index_of(&self, action: &Action) -> Option<usize> {
        self.ops
            .iter()
            .position(|o| o.prim == Some(action.prim) && o.direction == action.direction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::DomainKind;

    #[test]
    fn the_24_game_has_the_originals_twelve_ops() {
        let d = DomainKind::TwentyFour.domain();
        let all = OpSet::new(
            &d.registry,
            Directions {
                forward: true,
                backward: true,
            },
        );
        assert_eq!(all.len(), 12);
        assert_eq!(all.max_slots(), 2);
        assert!(all.names().contains(&"sub.cinv1".to_string()));
        let fw = OpSet::new(
            &d.registry,
            Directions {
                forward: true,
                backward: false,
            },
        );
        assert_eq!(fw.names(), ["add", "sub", "mul", "div"]);
        let some = all.by_names(&["mul", "add", "pow"]);
        assert_eq!(some.names(), ["mul", "add", "pow"]);
        assert_eq!(all.missing_from(&some).len(), 10);
        assert_eq!(some.missing_from(&all), ["pow"]);
        assert_eq!(some.ops()[2].prim, None);
    }

    #[test]
    fn double_add_has_two_ops_and_two_inverses() {
        let d = DomainKind::DoubleAdd.domain();
        let all = OpSet::new(
            &d.registry,
            Directions {
                forward: true,
                backward: true,
            },
        );
        assert_eq!(
            all.names(),
            ["plus_one", "plus_one.inv", "double", "double.inv"]
        );
        assert_eq!(all.max_slots(), 1);
    }
}
