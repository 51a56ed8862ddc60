//! Rewriting objects by shape: `rewrite_objects` replaces each object (cells of any colours
//! side by side) whose pattern the table knows by the patch the table gives it, drawn over
//! the object's box and one cell around it. "Every hollow square becomes a plus", "every small
//! cross grows diagonal arms": a person names such a rule by the shape it rewrites.
//!
//! Colours are read by role, so that a rule learned on a blue shape holds for a green one:
//! an object's colours are numbered in reading order of their first cell (role 1, 2, ...),
//! its pattern is the grid of roles over its box, and a patch cell either takes the
//! object's colour of some role or one fixed colour. The table holds one entry per cell the
//! rule changes, keyed by the pattern's digest, the cell's place in the patch and whether
//! the entry is a role or a colour. Its conditional inverse reads the table off the output:
//! a colour the object has is read as its role, any other as itself. A table read off
//! several examples must show each of its patterns in two of them or more
//! ([`patterns_seen_twice`]): a rewrite one example alone shows is a memory of that
//! example's objects, not a rule.

use std::collections::HashMap;
use std::rc::Rc;

use super::memo::remembered;
use super::objects::{components, Grouping};
use super::{bounds, same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule, Table};
use crate::io::Fnv1a;
use crate::{given, primitive};

/// The widest and tallest box an object may have to be rewritten.
const MAX_SIDE: usize = 9;

/// The cells drawn around an object's box on each side.
const MARGIN: usize = 1;

/// A patch's side: the largest box and its margins.
const PATCH_SIDE: usize = MAX_SIDE + 2 * MARGIN;

/// The bit every key of a rewrite table has, above a pattern's digest (16 bits), a cell's
/// place in the patch (7) and the role flag (1): no other table's keys reach it, so that
/// [`is_rewrite_key`] tells a rewrite table's entries apart.
const REWRITE_KEY_BIT: u32 = 1 << 24;

/// Whether `key` is an entry of a rewrite table.
pub fn is_rewrite_key(key: u32) -> bool {
    key & REWRITE_KEY_BIT != 0
}

/// The pattern a rewrite table's key belongs to.
fn pattern_of_key(key: u32) -> u32 {
    key >> 8
}

/// One object as a rewrite sees it: its box, its colours by role and its pattern's digest.
struct Shape {
    top: usize,
    left: usize,
    height: usize,
    width: usize,
    palette: Vec<u8>,
    digest: u32,
}

impl Shape {
    /// The object of `cells` in `g`, or `None` when its box is too large to rewrite.
    fn of(g: &Grid, cells: &[(usize, usize)]) -> Option<Shape> {
        let (top, left, bottom, right) = bounds(cells)?;
        let (h, w) = (bottom - top + 1, right - left + 1);
        if h > MAX_SIDE || w > MAX_SIDE {
            return None;
        }
        let mut roles = vec![0u8; h * w];
        let mut palette = Vec::new();
        let mut sorted = cells.to_vec();
        sorted.sort_unstable();
        for (r, c) in sorted {
            let colour = g.get(r, c);
            let role = match palette.iter().position(|&p| p == colour) {
                Some(i) => i + 1,
                None => {
                    palette.push(colour);
                    palette.len()
                }
            };
            roles[(r - top) * w + c - left] = role as u8;
        }
        let mut hash = Fnv1a::default();
        hash.eat(&[h as u8, w as u8]);
        hash.eat(&roles);
        let digest = fold_to_16_bits(hash.finish());
        Some(Shape {
            top,
            left,
            height: h,
            width: w,
            palette,
            digest,
        })
    }

    /// The first key of this shape's entries; they all lie below `first_key + 2^8`.
    fn first_key(&self) -> u32 {
        REWRITE_KEY_BIT | self.digest << 8
    }

    /// The grid cells of the patch (the box and its margin, within `g`'s bounds), each with
    /// its place in a frame of [`PATCH_SIDE`] columns.
    fn patch_cells(&self, g: &Grid) -> impl Iterator<Item = ((usize, usize), u32)> {
        let (top, left) = (
            self.top as i64 - MARGIN as i64,
            self.left as i64 - MARGIN as i64,
        );
        let (h, w) = (g.height() as i64, g.width() as i64);
        let (rows, cols) = (self.height + 2 * MARGIN, self.width + 2 * MARGIN);
        (0..rows * cols).filter_map(move |i| {
            let (dr, dc) = (i / cols, i % cols);
            let (r, c) = (top + dr as i64, left + dc as i64);
            let inside = r >= 0 && c >= 0 && r < h && c < w;
            let place = (dr * PATCH_SIDE + dc) as u32;
            inside.then_some(((r as usize, c as usize), place))
        })
    }

    /// The grid cell at `place` of the patch, if the patch and `g` hold it.
    fn cell_at(&self, g: &Grid, place: u32) -> Option<(usize, usize)> {
        let (dr, dc) = (place as usize / PATCH_SIDE, place as usize % PATCH_SIDE);
        if dr >= self.height + 2 * MARGIN || dc >= self.width + 2 * MARGIN {
            return None;
        }
        let r = (self.top + dr).checked_sub(MARGIN)?;
        let c = (self.left + dc).checked_sub(MARGIN)?;
        (r < g.height() && c < g.width()).then_some((r, c))
    }

    /// Whether the object's box holds the cell `(r, c)`.
    fn boxes(&self, r: usize, c: usize) -> bool {
        (self.top..self.top + self.height).contains(&r)
            && (self.left..self.left + self.width).contains(&c)
    }

    /// The table entry that paints `colour` at `place`: its role if the object has the
    /// colour, the colour itself otherwise.
    fn entry(&self, place: u32, colour: u8) -> (u32, u8) {
        match self.palette.iter().position(|&p| p == colour) {
            Some(i) => (self.first_key() | place << 1 | 1, i as u8 + 1),
            None => (self.first_key() | place << 1, colour),
        }
    }

    /// The colour an entry paints, or `None` for a role the object lacks.
    fn colour_of(&self, key: u32, value: u8) -> Option<u8> {
        if key & 1 == 0 {
            return Some(value);
        }
        self.palette
            .get(usize::from(value).checked_sub(1)?)
            .copied()
    }
}

/// Whether every rewrite pattern of the `tables` (one read off each example) is in two of
/// them or more; true for a single table, where there is nothing to compare.
pub fn patterns_seen_twice(tables: &[&Table]) -> bool {
    if tables.len() < 2 {
        return true;
    }
    let mut seen: HashMap<u32, usize> = HashMap::new();
    for p in tables.iter().flat_map(|t| rewrite_patterns(t)) {
        *seen.entry(p).or_default() += 1;
    }
    seen.values().all(|&n| n >= 2)
}

/// The rewrite patterns a table has entries for, each once.
pub fn rewrite_patterns(t: &Table) -> Vec<u32> {
    let mut patterns: Vec<u32> = t
        .entries()
        .iter()
        .filter(|(k, _)| is_rewrite_key(*k))
        .map(|&(k, _)| pattern_of_key(k))
        .collect();
    patterns.dedup(); // keys are sorted, so one pattern's cells are together
    patterns
}

/// A 64-bit hash folded to the 16 bits a table key leaves a pattern's digest.
fn fold_to_16_bits(hash: u64) -> u32 {
    let folded = hash ^ hash >> 16 ^ hash >> 32 ^ hash >> 48;
    (folded & 0xffff) as u32
}

/// The objects of `g` that a rewrite may replace (found once per grid; see
/// [`memo`](super::memo)).
fn shapes(g: &Grid) -> Rc<Vec<Shape>> {
    remembered(("rewrite_shapes", 0), g, |g| {
        components(g, Grouping::AnyColourSides)
            .iter()
            .filter_map(|cells| Shape::of(g, cells))
            .collect()
    })
}

/// `g` with every object whose pattern the table knows replaced by its patch (objects in
/// reading order; a later patch overwrites an earlier one where they overlap).
pub fn rewrite_objects(g: &Grid, table: &Table) -> Result<Grid, EvalError> {
    let w = g.width();
    let mut cells = g.cells().to_vec();
    for shape in shapes(g).iter() {
        let first = shape.first_key();
        for &(key, value) in table.entries_in(first..first + (1 << 8)) {
            let cell = shape.cell_at(g, (key >> 1) & 0x7f);
            if let (Some((r, c)), Some(colour)) = (cell, shape.colour_of(key, value)) {
                cells[r * w + c] = colour;
            }
        }
    }
    Ok(Grid::new(g.height(), w, cells)?)
}

/// The table that turns `g` into `out`: for each object, the cells of its patch that
/// change; an error when nothing changes, a change lies outside every patch, two objects
/// of one pattern disagree, or the table does not give `out`.
fn read_rewrites(g: &Grid, out: &Grid) -> Result<Table, EvalError> {
    same_shape(g, out)?;
    if g == out {
        return Err(EvalError::Domain("nothing changes"));
    }
    let w = g.width();
    let changed = |r: usize, c: usize| g.get(r, c) != out.get(r, c);
    let shapes = shapes(g);
    // A change in an object's box is that object's, not its neighbours' (whose margins
    // may reach it).
    let mut boxed = vec![false; g.cells().len()];
    for shape in shapes.iter() {
        for r in shape.top..shape.top + shape.height {
            boxed[r * w + shape.left..r * w + shape.left + shape.width].fill(true);
        }
    }
    let mut covered = vec![false; g.cells().len()];
    let mut pairs = Vec::new();
    for shape in shapes.iter() {
        for ((r, c), place) in shape.patch_cells(g) {
            covered[r * w + c] = true;
            let others = boxed[r * w + c] && !shape.boxes(r, c);
            if changed(r, c) && !others {
                pairs.push(shape.entry(place, out.get(r, c)));
            }
        }
    }
    let every_change_covered = (0..g.height())
        .flat_map(|r| (0..w).map(move |c| (r, c)))
        .all(|(r, c)| covered[r * w + c] || !changed(r, c));
    if pairs.is_empty() || !every_change_covered {
        return Err(EvalError::Domain("the changes are not objects' patches"));
    }
    let table = Table::from_pairs(pairs).ok_or(EvalError::Domain(
        "objects of one pattern are rewritten differently",
    ))?;
    if rewrite_objects(g, &table)? != *out {
        return Err(EvalError::Domain("the rewrites do not give the output"));
    }
    Ok(table)
}

/// The rewriting primitive (see the module documentation).
pub fn primitives() -> Vec<Primitive> {
    vec![primitive!(
        "rewrite_objects",
        "each object of a pattern the table knows replaced by its patch",
        |g: &Grid, table: &Table| -> Grid { rewrite_objects(g, table) }
    )
    .given(given!([0], |out: &Grid, g: &Grid| -> Table {
        read_rewrites(g, out)
    }))
    .with_shapes(ShapeRule::Same)
    .with_cost(RARE_COST)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    /// A hollow square of `c` at the top left, a lone cell of `c` at the bottom right.
    fn square_and_dot(c: i64) -> Grid {
        g(&[
            &[c, c, c, 0, 0, 0],
            &[c, 0, c, 0, 0, 0],
            &[c, c, c, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, c],
        ])
    }

    #[test]
    fn a_rule_read_off_one_colour_rewrites_the_shape_in_another() {
        // Hollow squares become crosses of their own colour; the dot stays.
        let plus = |c: i64| {
            g(&[
                &[0, c, 0, 0, 0, 0],
                &[c, c, c, 0, 0, 0],
                &[0, c, 0, 0, 0, 0],
                &[0, 0, 0, 0, 0, 0],
                &[0, 0, 0, 0, 0, c],
            ])
        };
        let table = read_rewrites(&square_and_dot(1), &plus(1)).unwrap();
        assert_eq!(
            rewrite_objects(&square_and_dot(3), &table).unwrap(),
            plus(3)
        );
    }

    #[test]
    fn a_patch_reaches_one_cell_around_the_box_in_a_fixed_colour() {
        // The dot grows a red halo; the square, unchanged, takes no entries.
        let haloed = g(&[
            &[1, 1, 1, 0, 0, 0],
            &[1, 0, 1, 0, 0, 0],
            &[1, 1, 1, 0, 0, 0],
            &[0, 0, 0, 0, 2, 2],
            &[0, 0, 0, 0, 2, 1],
        ]);
        let table = read_rewrites(&square_and_dot(1), &haloed).unwrap();
        assert_eq!(table.entries().len(), 3);
        assert_eq!(rewrite_objects(&square_and_dot(1), &table).unwrap(), haloed);
    }

    #[test]
    fn a_pattern_one_example_alone_rewrites_is_not_a_rule() {
        let plus = g(&[&[0, 1, 0], &[1, 1, 1], &[0, 1, 0]]);
        let cross = g(&[&[1, 0, 1], &[0, 1, 0], &[1, 0, 1]]);
        let turned = read_rewrites(&plus, &cross).unwrap();
        let dot = read_rewrites(&g(&[&[1, 0]]), &g(&[&[2, 0]])).unwrap();
        assert!(patterns_seen_twice(&[&turned, &turned]));
        assert!(patterns_seen_twice(&[&turned]));
        assert!(!patterns_seen_twice(&[
            &turned,
            &turned.merge(&dot).unwrap()
        ]));
    }

    #[test]
    fn two_objects_of_one_pattern_must_agree() {
        let two_dots = g(&[&[1, 0, 0], &[0, 0, 0], &[0, 0, 1]]);
        let one_changed = g(&[&[2, 0, 0], &[0, 0, 0], &[0, 0, 1]]);
        assert!(read_rewrites(&two_dots, &one_changed).is_err());
        assert!(read_rewrites(&two_dots, &two_dots).is_err());
    }
}
