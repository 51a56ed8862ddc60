//! A small per-thread memory of what was computed from a grid, for work that several
//! primitives, or one primitive with different literals, repeat on the same grid: the
//! forward phase applies a painter to a grid once per colour (the cells it selects do not
//! depend on the colour), and every object primitive to the same grids in turn (they all
//! start from the grid's objects).
//!
//! An entry is found by what was computed (a [`Work`]) and by the grid's very cells in
//! memory, not by equal cells elsewhere: the lookup costs a few pointer comparisons, and
//! the entry keeps its grid alive, so the cells cannot be freed and their address reused.
//! The oldest of [`SLOTS`] entries makes room for a new one.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use crate::dsl::Grid;

/// Entries kept per thread: enough for one value's grids on every example and test of a
/// task, with room to spare.
pub const SLOTS: usize = 32;

/// What was computed from a grid: a name and a number that tells variants apart (a
/// grouping, a function's address).
pub type Work = (&'static str, usize);

struct Entry {
    work: Work,
    grid: Grid,
    value: Rc<dyn Any>,
}

thread_local! {
    /// The entries, and where the next one goes.
    static MEMORY: RefCell<(Vec<Entry>, usize)> = RefCell::new((Vec::with_capacity(SLOTS), 0));
}

/// `compute(g)`, or what it gave when `work` was last asked of these very cells.
pub fn remembered<T: 'static>(work: Work, g: &Grid, compute: impl FnOnce(&Grid) -> T) -> Rc<T> {
    let known = MEMORY.with(|memory| {
        let (entries, _) = &*memory.borrow();
        entries
            .iter()
            .find(|e| e.work == work && e.grid.shares_cells(g))
            .and_then(|e| e.value.clone().downcast::<T>().ok())
    });
    if let Some(value) = known {
        return value;
    }
    let value = Rc::new(compute(g));
    MEMORY.with(|memory| {
        let (entries, next) = &mut *memory.borrow_mut();
        let entry = Entry {
            work,
            grid: g.clone(),
            value: value.clone(),
        };
        if entries.len() < SLOTS {
            entries.push(entry);
        } else {
            entries[*next] = entry;
        }
        *next = (*next + 1) % SLOTS;
    });
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_same_cells_are_computed_once_and_equal_cells_elsewhere_again() {
        let calls = Cell::new(0);
        let count = |g: &Grid| {
            calls.set(calls.get() + 1);
            g.cells().iter().filter(|&&c| c != 0).count()
        };
        let g = Grid::new(1, 3, vec![1, 0, 2]).unwrap();
        assert_eq!(*remembered(("count", 0), &g, count), 2);
        assert_eq!(*remembered(("count", 0), &g.clone(), count), 2);
        assert_eq!(calls.get(), 1, "a clone shares the cells");
        let equal = Grid::new(1, 3, vec![1, 0, 2]).unwrap();
        assert_eq!(*remembered(("count", 0), &equal, count), 2);
        assert_eq!(calls.get(), 2, "equal cells elsewhere are another grid");
        assert_eq!(*remembered(("count", 1), &g, count), 2);
        assert_eq!(calls.get(), 3, "another variant of the work");
    }

    #[test]
    fn the_oldest_entry_makes_room() {
        let grids: Vec<Grid> = (0..=SLOTS)
            .map(|i| Grid::new(1, 1, vec![(i % 10) as u8]).unwrap())
            .collect();
        let calls = Cell::new(0);
        let id = |g: &Grid| {
            calls.set(calls.get() + 1);
            g.cells()[0]
        };
        for g in &grids {
            remembered(("id", 0), g, id);
        }
        assert_eq!(calls.get(), SLOTS + 1);
        remembered(("id", 0), &grids[SLOTS], id);
        assert_eq!(calls.get(), SLOTS + 1, "the newest is kept");
        remembered(("id", 0), &grids[0], id);
        assert_eq!(calls.get(), SLOTS + 2, "the oldest made room");
    }
}
