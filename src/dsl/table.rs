//! Tables: partial maps from small keys to ARC colours (a colour map, or a colour per
//! object size or rank). An inverse reads one table off each example; tables that agree
//! where their keys overlap merge into one, which the search grounds as a literal.
//!
//! ```
//! use janus::dsl::Table;
//! let a = Table::from_pairs([(1, 5), (2, 6)]).unwrap();
//! let b = Table::from_pairs([(2, 6), (3, 4)]).unwrap();
//! let ab = a.merge(&b).unwrap();
//! assert_eq!(ab.to_string(), "m:1=5,2=6,3=4");
//! assert_eq!(ab.get(3), Some(4));
//! assert!(a.merge(&Table::from_pairs([(1, 7)]).unwrap()).is_none());
//! // What a table was asked, found or not:
//! let ((), asked) = Table::lookups_in(|| {
//!     ab.get(2);
//!     ab.get(9);
//! });
//! assert_eq!(asked.len(), 2);
//! ```

use super::parse::LiteralError;
use rustc_hash::FxHashSet;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::sync::Arc;

/// A key asked of a table: the table (by the address of its entries) and the key.
pub type Lookup = (usize, u32);

thread_local! {
    /// Whether [`Table::lookups_in`] is recording on this thread (checked first: the
    /// search's lookups pay one flag read).
    static RECORDING: Cell<bool> = const { Cell::new(false) };
    /// The keys asked while recording.
    static LOOKUPS: RefCell<FxHashSet<Lookup>> = RefCell::new(FxHashSet::default());
}

/// A partial map from keys (colours, sizes, ranks) to colours 0-9, sorted by key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Table(Arc<[(u32, u8)]>);

impl Table {
    /// The table of `pairs`; `None` when a key has two colours or a colour is over 9.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u32, u8)>) -> Option<Table> {
        let mut v: Vec<(u32, u8)> = pairs.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        let clash = v.windows(2).any(|w| w[0].0 == w[1].0);
        (!clash && v.iter().all(|&(_, c)| c <= 9)).then(|| Table(v.into()))
    }

    /// The colour of `key`, if the table has one.
    pub fn get(&self, key: u32) -> Option<u8> {
        if RECORDING.with(Cell::get) {
            let asked = (self.0.as_ptr() as usize, key);
            LOOKUPS.with(|l| l.borrow_mut().insert(asked));
        }
        self.0
            .binary_search_by_key(&key, |&(k, _)| k)
            .ok()
            .map(|i| self.0[i].1)
    }

    /// Runs `f` and returns what it returns with every key that [`Table::get`] was asked
    /// on this thread meanwhile, whether the table had it or not: what a program's tables
    /// were asked on some inputs. Tables are told apart by their entries' address, so the
    /// keys of one program's literal tables compare across runs of that program.
    pub fn lookups_in<R>(f: impl FnOnce() -> R) -> (R, FxHashSet<Lookup>) {
        let outer = RECORDING.with(|r| r.replace(true));
        let before = LOOKUPS.with(|l| std::mem::take(&mut *l.borrow_mut()));
        let result = f();
        let asked = LOOKUPS.with(|l| std::mem::replace(&mut *l.borrow_mut(), before));
        RECORDING.with(|r| r.set(outer));
        if outer {
            LOOKUPS.with(|l| l.borrow_mut().extend(asked.iter().copied()));
        }
        (result, asked)
    }

    /// The union of two tables, or `None` when they give one key two colours.
    pub fn merge(&self, other: &Table) -> Option<Table> {
        Table::from_pairs(self.0.iter().chain(other.0.iter()).copied())
    }

    /// The colour most entries have, if one colour has more than any other and at least
    /// two entries: the natural guess for a key the table has not seen.
    pub fn commonest(&self) -> Option<u8> {
        let mut counts = [0usize; 10];
        for &(_, c) in self.0.iter() {
            counts[c as usize] += 1;
        }
        let best = *counts.iter().max()?;
        let winners = counts.iter().filter(|&&n| n == best).count();
        let colour = counts.iter().position(|&n| n == best)?;
        (best >= 2 && winners == 1).then_some(colour as u8)
    }

    /// The entries, by key.
    pub fn entries(&self) -> &[(u32, u8)] {
        &self.0
    }

    /// The entries whose keys lie in `keys`, by key.
    pub fn entries_in(&self, keys: std::ops::Range<u32>) -> &[(u32, u8)] {
        let start = self.0.partition_point(|&(k, _)| k < keys.start);
        let end = self.0.partition_point(|&(k, _)| k < keys.end);
        &self.0[start..end.max(start)]
    }

    /// Parses the literal syntax `m:KEY=COLOUR,...` (`m:` alone is the empty table).
    pub fn parse(text: &str) -> Result<Table, LiteralError> {
        let bad = |problem| LiteralError::Table {
            text: text.into(),
            problem,
        };
        let body = text
            .strip_prefix("m:")
            .ok_or_else(|| bad("it starts with `m:`"))?;
        let pairs = body
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, c) = p.split_once('=')?;
                Some((k.parse().ok()?, c.parse().ok()?))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("entries are KEY=COLOUR"))?;
        Table::from_pairs(pairs).ok_or_else(|| bad("a key twice or a colour over 9"))
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m:")?;
        for (i, (k, c)) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, ",")?;
            }
            write!(f, "{k}={c}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_print_and_parse_back() {
        let t = Table::from_pairs([(3, 4), (1, 5)]).unwrap();
        assert_eq!(t.to_string(), "m:1=5,3=4");
        assert_eq!(Table::parse("m:1=5,3=4").unwrap(), t);
        assert_eq!(Table::parse("m:").unwrap().entries(), &[]);
        assert!(Table::parse("m:1=12").is_err());
        assert!(Table::parse("m:1=2,1=3").is_err());
        assert!(Table::parse("m:x").is_err());
        assert_eq!(t.get(2), None);
        assert_eq!(t.commonest(), None);
        let mostly_one = Table::parse("m:2=1,3=1,6=2").unwrap();
        assert_eq!(mostly_one.commonest(), Some(1));
    }
}
