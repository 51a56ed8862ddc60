//! Where a search's time goes, primitive by primitive: the calls of each primitive's
//! forward semantics and of its inverses, and the time spent inside them. Every caller
//! (the evaluator, the search's forward phase, its actions and inverses) goes through
//! [`forward`] and [`inverse`]. Everything else a search does (walking argument tuples,
//! hashing and storing values, ordering the frontier) is its overhead over these calls.
//!
//! A profile is taken on one thread, around one closure ([`profiled`]); outside one, a
//! call pays one flag read. `janus solve --profile` takes one per task.
//!
//! ```
//! use janus::dsl::Value;
//! use janus::dsl::profile::{self, Calls};
//! let domain = janus::domain("arc").unwrap();
//! let id = domain.registry.id("hflip").unwrap();
//! let hflip = domain.registry.get(id);
//! let grid = Value::Grid(janus::dsl::Grid::new(1, 2, vec![1, 2]).unwrap());
//! let (flipped, times) = profile::profiled(|| {
//!     profile::forward(id, hflip, &[grid.clone()]).unwrap()
//! });
//! assert_eq!(flipped, Value::Grid(janus::dsl::Grid::new(1, 2, vec![2, 1]).unwrap()));
//! assert_eq!(times.len(), 1);
//! assert_eq!((times[0].prim, times[0].forward.calls), (id, 1));
//! assert_eq!(times[0].inverse, Calls::default());
//! ```

use std::cell::{Cell, RefCell};
use std::time::Instant;

use super::{EvalError, PrimId, Primitive, Value};

/// Calls of one kind and the time inside them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Calls {
    /// How many.
    pub calls: u64,
    /// Nanoseconds inside them, in all.
    pub nanos: u64,
}

impl Calls {
    fn add(&mut self, nanos: u64) {
        self.calls += 1;
        self.nanos += nanos;
    }

    /// Milliseconds inside the calls.
    pub fn ms(&self) -> f64 {
        self.nanos as f64 / 1e6
    }
}

/// One primitive's calls during a profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrimitiveCalls {
    /// The primitive.
    pub prim: PrimId,
    /// Its forward semantics.
    pub forward: Calls,
    /// Its inverse and conditional inverses.
    pub inverse: Calls,
}

thread_local! {
    /// Whether a profile is being taken on this thread (read first: outside a profile a
    /// call pays this one read).
    static ON: Cell<bool> = const { Cell::new(false) };
    /// The calls so far, by primitive id.
    static CALLS: RefCell<Vec<(Calls, Calls)>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` and returns what it returns with the calls that [`forward`] and [`inverse`]
/// made on this thread meanwhile, by primitive, the primitives never called left out.
/// Profiles do not nest: an inner one takes the calls made inside it.
pub fn profiled<R>(f: impl FnOnce() -> R) -> (R, Vec<PrimitiveCalls>) {
    let outer = ON.with(|on| on.replace(true));
    let before = CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()));
    let result = f();
    let taken = CALLS.with(|c| std::mem::replace(&mut *c.borrow_mut(), before));
    ON.with(|on| on.set(outer));
    let calls = taken
        .into_iter()
        .enumerate()
        .filter(|(_, (f, i))| f.calls + i.calls > 0)
        .map(|(prim, (forward, inverse))| PrimitiveCalls {
            prim,
            forward,
            inverse,
        })
        .collect();
    (result, calls)
}

/// Adds a call of `prim` that took `nanos`, to its forward calls or its inverse calls.
fn record(prim: PrimId, nanos: u64, is_inverse: bool) {
    CALLS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() <= prim {
            c.resize(prim + 1, Default::default());
        }
        let (forward, inverse) = &mut c[prim];
        if is_inverse {
            inverse.add(nanos);
        } else {
            forward.add(nanos);
        }
    });
}

/// `f()`, timed as a call of `prim` where a profile is being taken.
#[inline]
fn timed<R>(prim: PrimId, is_inverse: bool, f: impl FnOnce() -> R) -> R {
    if !ON.with(Cell::get) {
        return f();
    }
    let start = Instant::now();
    let out = f();
    record(prim, start.elapsed().as_nanos() as u64, is_inverse);
    out
}

/// `primitive`'s forward semantics on `args` (`primitive` is the registry's `id`).
#[inline]
pub fn forward(id: PrimId, primitive: &Primitive, args: &[Value]) -> Result<Value, EvalError> {
    timed(id, false, || (primitive.forward)(args))
}

/// `f()`, an inverse or a conditional inverse of primitive `id`.
#[inline]
pub fn inverse<R>(id: PrimId, f: impl FnOnce() -> R) -> R {
    timed(id, true, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_counted_only_inside_a_profile_and_by_kind() {
        record_outside_is_ignored();
        let ((), calls) = profiled(|| {
            timed(3, false, || ());
            timed(3, false, || ());
            timed(3, true, || ());
            timed(1, true, || ());
        });
        let summary: Vec<(PrimId, u64, u64)> = calls
            .iter()
            .map(|c| (c.prim, c.forward.calls, c.inverse.calls))
            .collect();
        assert_eq!(summary, vec![(1, 0, 1), (3, 2, 1)]);
        // The next profile starts from nothing.
        let ((), calls) = profiled(|| ());
        assert!(calls.is_empty());
    }

    fn record_outside_is_ignored() {
        timed(5, false, || ());
        let ((), calls) = profiled(|| ());
        assert!(calls.is_empty());
    }

    #[test]
    fn an_inner_profile_takes_the_calls_made_inside_it() {
        let ((), outer) = profiled(|| {
            timed(0, false, || ());
            let ((), inner) = profiled(|| timed(2, false, || ()));
            assert_eq!(inner.len(), 1);
            assert_eq!(inner[0].prim, 2);
        });
        assert_eq!(outer.len(), 1);
        assert_eq!(outer[0].prim, 0);
    }
}
