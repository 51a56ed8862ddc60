//! Objects: 8-connected groups of foreground cells, either of any colours (`objects`,
//! grouped by adjacency) or of one colour (`colour_objects`). An object is a grid of the
//! source's shape holding only its own cells, so painting objects back is overlaying them
//! and `crop` cuts one out.
//!
//! - Lists: `objects`, `colour_objects`; `sort_by_size` (largest first), `sort_by_colour`,
//!   `sort_by_position` (reading order of the top-left corner); `drop_singletons`.
//! - Picking one: `first`, `last`, `largest`, `smallest`, `odd_colour` (the only object with
//!   its colours), `odd_shape` (the only object with its shape), `odd_symmetry` (the only
//!   object whose box has its mirror symmetries), `common_shape` (the first of the most
//!   common shape).
//! - Back to a grid: `merge` paints a list of objects onto one background.
//! - On a grid directly: `largest_object`, `smallest_object`, `richest_object` (the most
//!   colours; each cropped), and
//!   `recolour_by_size` / `recolour_by_rank` / `recolour_by_shape` / `recolour_by_holes`,
//!   which map each one-colour object through a table keyed by its cell count, its size
//!   rank (0 = largest), a digest of its shape or the number of holes it encloses; their
//!   conditional inverses read the table off the output.
//!
//! None of the object functions has an inverse.

use std::collections::HashMap;
use std::rc::Rc;

use super::memo::remembered;
use super::regions::flood;
use super::symmetry::mirrors;
use super::{bounds, foreground_cells, same_shape, RARE_COST};
use crate::dsl::{EvalError, Grid, Grids, Primitive, ShapeRule, Table};
use crate::{given, primitive};

/// How cells are grouped into objects (background 0 excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// Foreground cells of any colours next to each other, corners included, form one
    /// object.
    AnyColour,
    /// Cells of one colour next to each other, corners included, form one object.
    OneColour,
    /// Foreground cells of any colours side by side (not by a corner) form one object.
    AnyColourSides,
}

/// The objects of `g`, each as its cells, in reading order of their first cell (found
/// once per grid and grouping however many primitives ask; see [`memo`](super::memo)).
pub fn components(g: &Grid, grouping: Grouping) -> Rc<Vec<Vec<(usize, usize)>>> {
    remembered(("components", grouping as usize), g, |g| {
        find_components(g, grouping)
    })
}

/// [`components`], computed.
fn find_components(g: &Grid, grouping: Grouping) -> Vec<Vec<(usize, usize)>> {
    let (h, w) = (g.height(), g.width());
    let cells = g.cells();
    let joins = |a: usize, b: usize| match grouping {
        Grouping::AnyColour => cells[b] != 0,
        Grouping::OneColour => cells[b] == cells[a],
        Grouping::AnyColourSides => cells[b] != 0 && (a / w == b / w || a % w == b % w),
    };
    let mut seen = vec![false; h * w];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..h * w {
        if seen[start] || cells[start] == 0 {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut group = Vec::new();
        while let Some(k) = stack.pop() {
            let (r, c) = (k / w, k % w);
            group.push((r, c));
            for nr in r.saturating_sub(1)..(r + 2).min(h) {
                let first = nr * w + c.saturating_sub(1);
                let row = &mut seen[first..nr * w + (c + 2).min(w)];
                for (n, seen) in (first..).zip(row) {
                    if !*seen && joins(k, n) {
                        *seen = true;
                        stack.push(n);
                    }
                }
            }
        }
        group.sort_unstable();
        out.push(group);
    }
    out
}

/// A grid of `g`'s shape with only `cells` kept.
pub(super) fn isolate(g: &Grid, cells: &[(usize, usize)]) -> Grid {
    let w = g.width();
    let mut out = vec![0; g.height() * w];
    for &(r, c) in cells {
        out[r * w + c] = g.get(r, c);
    }
    Grid::new(g.height(), w, out).expect("the source's shape is valid")
}

/// The objects of `g` as a list of grids; an error when there are none.
fn object_list(g: &Grid, grouping: Grouping) -> Result<Vec<Grid>, EvalError> {
    let all: Vec<Grid> = components(g, grouping)
        .iter()
        .map(|cells| isolate(g, cells))
        .collect();
    non_empty(all)
}

fn non_empty(items: Vec<Grid>) -> Result<Vec<Grid>, EvalError> {
    if items.is_empty() {
        return Err(EvalError::Domain("no object"));
    }
    Ok(items)
}

/// The number of foreground cells.
fn size(g: &Grid) -> usize {
    g.cells().iter().filter(|&&c| c != 0).count()
}

/// The foreground colours, sorted.
fn colours(g: &Grid) -> Vec<u8> {
    let mut seen: Vec<u8> = g.cells().iter().copied().filter(|&c| c != 0).collect();
    seen.sort_unstable();
    seen.dedup();
    seen
}

/// The foreground cells relative to the top-left corner of their box, colours ignored.
fn shape(g: &Grid) -> Cells {
    normalised(&foreground_cells(g))
}

/// `cells` relative to the top-left corner of their box.
pub(super) fn normalised(cells: &[(usize, usize)]) -> Cells {
    let (top, left, _, _) = bounds(cells).unwrap_or_default();
    cells.iter().map(|&(r, c)| (r - top, c - left)).collect()
}

/// The top-left corner of the foreground's box, for sorting by position.
fn corner(g: &Grid) -> (usize, usize) {
    let (top, left, _, _) = bounds(&foreground_cells(g)).unwrap_or_default();
    (top, left)
}

/// The list sorted (stably) by `key`.
fn sorted_by<K: Ord>(list: Grids, key: impl Fn(&Grid) -> K) -> Result<Vec<Grid>, EvalError> {
    let mut all: Vec<&Grid> = list.iter().collect();
    all.sort_by_key(|g| key(g));
    non_empty(all.into_iter().cloned().collect())
}

/// The objects of a list, each with the number of objects (itself included) whose `key`
/// equals its own.
fn with_key_counts<'a, K: Eq + std::hash::Hash>(
    list: Grids<'a>,
    key: impl Fn(&Grid) -> K,
) -> (Vec<&'a Grid>, Vec<usize>) {
    let all: Vec<&Grid> = list.iter().collect();
    let keys: Vec<K> = all.iter().map(|g| key(g)).collect();
    let mut counts: HashMap<&K, usize> = HashMap::new();
    for k in &keys {
        *counts.entry(k).or_default() += 1;
    }
    let per_object = keys.iter().map(|k| counts[k]).collect();
    (all, per_object)
}

/// The only object whose `key` no other object shares (of three or more objects).
fn odd_one<K: Eq + std::hash::Hash>(
    list: Grids,
    key: impl Fn(&Grid) -> K,
) -> Result<Grid, EvalError> {
    let (all, counts) = with_key_counts(list, key);
    let unique: Vec<usize> = (0..all.len()).filter(|&i| counts[i] == 1).collect();
    match unique[..] {
        [i] if all.len() >= 3 => Ok(all[i].clone()),
        _ => Err(EvalError::Domain("no single odd object")),
    }
}

/// The first object whose `key` the most objects share (of two or more sharing it).
fn most_common<K: Eq + std::hash::Hash>(
    list: Grids,
    key: impl Fn(&Grid) -> K,
) -> Result<Grid, EvalError> {
    let (all, counts) = with_key_counts(list, key);
    let best = (0..all.len())
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .ok_or(EvalError::Domain("no object"))?;
    if counts[best] < 2 {
        return Err(EvalError::Domain("no two objects alike"));
    }
    Ok(all[best].clone())
}

/// The objects painted in list order onto an empty background of their (common) shape.
pub fn merge(list: Grids) -> Result<Grid, EvalError> {
    let all: Vec<&Grid> = list.iter().collect();
    let first = all.first().ok_or(EvalError::Domain("nothing to merge"))?;
    let mut cells = vec![0u8; first.cells().len()];
    for g in &all {
        same_shape(first, g)?;
        for (out, &c) in cells.iter_mut().zip(g.cells()) {
            if c != 0 {
                *out = c;
            }
        }
    }
    Ok(Grid::new(first.height(), first.width(), cells)?)
}

/// The cells of one object.
pub(super) type Cells = Vec<(usize, usize)>;

/// Gives each object of a list its table key.
pub(super) type KeyOf = fn(&[Cells]) -> Vec<u32>;

/// Finds the parts of a grid that a table recolours (objects, or regions of background).
pub(super) type PartsOf = fn(&Grid) -> Vec<Cells>;

/// The one-colour objects of `g`, each as its cells.
fn one_colour_objects(g: &Grid) -> Vec<Cells> {
    components(g, Grouping::OneColour).to_vec()
}

/// The parts `parts` finds in `g` with the key `key_of` gives each (in their order).
fn keyed_parts(g: &Grid, parts: PartsOf, key_of: KeyOf) -> (Vec<Cells>, Vec<u32>) {
    let all = parts(g);
    let keys = key_of(&all);
    (all, keys)
}

/// Each part's cell count.
pub(super) fn size_keys(all: &[Vec<(usize, usize)>]) -> Vec<u32> {
    all.iter().map(|o| o.len() as u32).collect()
}

/// A 16-bit digest of each object's shape (its cells relative to its box), so that objects
/// of one shape share a key. Two shapes may collide, rarely; the search then fails to fit
/// the table rather than fitting a wrong one, since every example is re-checked.
fn shape_keys(all: &[Cells]) -> Vec<u32> {
    all.iter()
        .map(|cells| u32::from(shape_digest(cells)))
        .collect()
}

/// A 16-bit digest (FNV-1a) of `cells` relative to the top-left corner of their box, in
/// the order given: cells of one shape, listed in reading order, share it.
pub(super) fn shape_digest(cells: &[(usize, usize)]) -> u16 {
    let mut hash: u32 = 0x811c_9dc5;
    for (r, c) in normalised(cells) {
        for byte in [r as u8, c as u8] {
            hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
        }
    }
    (hash ^ (hash >> 16)) as u16
}

/// The number of holes each object encloses: the groups of cells (4-connected) inside its
/// box that are not its own and cannot reach the box's edge without crossing it.
fn hole_keys(all: &[Cells]) -> Vec<u32> {
    all.iter().map(|cells| holes(cells) as u32).collect()
}

/// The number of holes in one object (see [`hole_keys`]).
fn holes(cells: &[(usize, usize)]) -> usize {
    let Some((top, left, bottom, right)) = bounds(cells) else {
        return 0;
    };
    // The box with a one-cell margin, so that everything outside is one region.
    let (h, w) = (bottom - top + 3, right - left + 3);
    let mut open = vec![true; h * w];
    for &(r, c) in cells {
        open[(r - top + 1) * w + (c - left + 1)] = false;
    }
    let mut regions = 0;
    for start in 0..h * w {
        if open[start] {
            flood(&mut open, start, h, w);
            regions += 1;
        }
    }
    regions - 1
}

/// Dense ranks of the sizes, largest 0.
fn rank_keys(all: &[Vec<(usize, usize)>]) -> Vec<u32> {
    let mut sizes: Vec<usize> = all.iter().map(Vec::len).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    all.iter()
        .map(|o| sizes.iter().position(|&s| s == o.len()).unwrap_or(0) as u32)
        .collect()
}

/// Every part recoloured by the table entry of its key; a key the table lacks takes the
/// table's commonest colour (a size or shape the examples did not show is most likely one
/// of the many), and keeps its colour when there is none.
fn recolour_keyed(
    g: &Grid,
    table: &Table,
    parts: PartsOf,
    key_of: KeyOf,
) -> Result<Grid, EvalError> {
    let (all, keys) = keyed_parts(g, parts, key_of);
    let w = g.width();
    let mut cells = g.cells().to_vec();
    let default = table.commonest();
    for (cells_of, key) in all.iter().zip(keys) {
        if let Some(c) = table.get(key).or(default) {
            for &(r, col) in cells_of {
                cells[r * w + col] = c;
            }
        }
    }
    Ok(Grid::new(g.height(), w, cells)?)
}

/// The table that `recolour_keyed` needs to turn `g` into `out`: each part's key and the
/// one colour its cells have in `out`.
fn read_keyed(g: &Grid, out: &Grid, parts: PartsOf, key_of: KeyOf) -> Result<Table, EvalError> {
    same_shape(g, out)?;
    let (all, keys) = keyed_parts(g, parts, key_of);
    let mut pairs = Vec::with_capacity(all.len());
    for (cells, key) in all.iter().zip(keys) {
        let (r, c) = cells[0];
        let colour = out.get(r, c);
        if cells.iter().any(|&(r, c)| out.get(r, c) != colour) {
            return Err(EvalError::Domain("a part changes into several colours"));
        }
        pairs.push((key, colour));
    }
    Table::from_pairs(pairs).ok_or(EvalError::Domain(
        "parts with one key get different colours",
    ))
}

/// The first object (of any colours) with the least `key`, cropped.
fn pick_object<K: Ord>(g: &Grid, key: impl Fn(&Grid) -> K) -> Result<Grid, EvalError> {
    let all = object_list(g, Grouping::AnyColour)?;
    super::parts::crop(&first_by(all.iter(), key)?)
}

/// The mirrors the foreground's box equals (bits as [`mirrors`]); an empty grid has none.
fn box_mirrors(g: &Grid) -> u8 {
    super::parts::crop(g).map_or(0, |box_| mirrors(&box_))
}

/// The first object with the least `key`.
fn first_by<'a, K: Ord>(
    all: impl Iterator<Item = &'a Grid>,
    key: impl Fn(&Grid) -> K,
) -> Result<Grid, EvalError> {
    all.min_by_key(|g| key(g))
        .cloned()
        .ok_or(EvalError::Domain("no object"))
}

/// The first object of the list, or (`from_end`) the last.
fn nth(list: Grids, from_end: bool) -> Result<Grid, EvalError> {
    let pick = if from_end {
        list.iter().last()
    } else {
        list.iter().next()
    };
    pick.cloned().ok_or(EvalError::Domain("no object"))
}

/// The object primitives (see the module documentation). Those that find objects in a
/// grid cost [`RARE_COST`]; those on lists cost 1 (they apply only where a list exists).
pub fn primitives() -> Vec<Primitive> {
    let mut finding = finding_primitives();
    let keyed = finding.split_off(5);
    // The registry's order (which breaks ties in the search): finding, lists, tables.
    finding
        .into_iter()
        .chain(list_primitives())
        .chain(keyed)
        .collect()
}

/// The primitives that find objects in a grid, at [`RARE_COST`].
fn finding_primitives() -> Vec<Primitive> {
    vec![
        primitive!(
            "largest_object",
            "the object with the most cells, cropped",
            |g: &Grid| -> Grid { pick_object(g, |o| std::cmp::Reverse(size(o))) }
        ),
        primitive!(
            "smallest_object",
            "the object with the fewest cells, cropped",
            |g: &Grid| -> Grid { pick_object(g, size) }
        ),
        primitive!(
            "richest_object",
            "the object with the most colours, cropped",
            |g: &Grid| -> Grid { pick_object(g, |o| std::cmp::Reverse(colours(o).len())) }
        ),
        primitive!(
            "objects",
            "the 8-connected objects of any colours",
            |g: &Grid| -> Vec<Grid> { object_list(g, Grouping::AnyColour) }
        ),
        primitive!(
            "colour_objects",
            "the 8-connected objects of one colour",
            |g: &Grid| -> Vec<Grid> { object_list(g, Grouping::OneColour) }
        ),
        keyed_recolouring(
            "recolour_by_size",
            "each one-colour object recoloured by a table keyed by its cell count",
            one_colour_objects,
            size_keys,
        ),
        keyed_recolouring(
            "recolour_by_shape",
            "each one-colour object recoloured by a table keyed by its shape",
            one_colour_objects,
            shape_keys,
        ),
        keyed_recolouring(
            "recolour_by_rank",
            "each one-colour object recoloured by a table keyed by its size rank",
            one_colour_objects,
            rank_keys,
        ),
        keyed_recolouring(
            "recolour_by_holes",
            "each one-colour object recoloured by a table keyed by the holes it encloses",
            one_colour_objects,
            hole_keys,
        ),
    ]
    .into_iter()
    .map(|p| p.with_cost(RARE_COST))
    .collect()
}

/// `name`: the parts `parts` finds recoloured by a table keyed by `key_of`, which the
/// conditional inverse reads off the output.
pub(super) fn keyed_recolouring(name: &str, doc: &str, parts: PartsOf, key_of: KeyOf) -> Primitive {
    primitive!(name, doc, |g: &Grid, t: &Table| -> Grid {
        recolour_keyed(g, t, parts, key_of)
    })
    .given(given!([0], |out: &Grid, g: &Grid| -> Table {
        read_keyed(g, out, parts, key_of)
    }))
    .with_shapes(ShapeRule::Same)
}

/// The primitives on lists of objects.
fn list_primitives() -> Vec<Primitive> {
    vec![
        primitive!(
            "sort_by_size",
            "the list sorted largest first",
            |l: Grids| -> Vec<Grid> { sorted_by(l, |g| std::cmp::Reverse(size(g))) }
        ),
        primitive!(
            "sort_by_colour",
            "the list sorted by colours",
            |l: Grids| -> Vec<Grid> { sorted_by(l, colours) }
        ),
        primitive!(
            "sort_by_position",
            "the list sorted by top-left corner, in reading order",
            |l: Grids| -> Vec<Grid> { sorted_by(l, corner) }
        ),
        primitive!(
            "drop_singletons",
            "the list without one-cell objects",
            |l: Grids| -> Vec<Grid> {
                non_empty(l.iter().filter(|g| size(g) > 1).cloned().collect())
            }
        ),
        primitive!("first", "the first object", |l: Grids| -> Grid {
            nth(l, false)
        }),
        primitive!("last", "the last object", |l: Grids| -> Grid {
            nth(l, true)
        }),
        primitive!(
            "largest",
            "the object with the most cells",
            |l: Grids| -> Grid { first_by(l.iter(), |g| std::cmp::Reverse(size(g))) }
        ),
        primitive!(
            "smallest",
            "the object with the fewest cells",
            |l: Grids| -> Grid { first_by(l.iter(), size) }
        ),
        primitive!(
            "most_colours",
            "the object with the most colours",
            |l: Grids| -> Grid { first_by(l.iter(), |g| std::cmp::Reverse(colours(g).len())) }
        ),
        primitive!(
            "odd_colour",
            "the only object with its colours",
            |l: Grids| -> Grid { odd_one(l, colours) }
        ),
        primitive!(
            "odd_shape",
            "the only object with its shape",
            |l: Grids| -> Grid { odd_one(l, shape) }
        ),
        primitive!(
            "odd_symmetry",
            "the only object with its mirror symmetries",
            |l: Grids| -> Grid { odd_one(l, box_mirrors) }
        ),
        primitive!(
            "common_shape",
            "the first object of the commonest shape",
            |l: Grids| -> Grid { most_common(l, shape) }
        ),
        primitive!(
            "merge",
            "the objects painted in order onto one background",
            |l: Grids| -> Grid { merge(l) }
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::{Arg, Ret, Value};

    /// The primitive `name` run on a list, its output a grid or a list of grids.
    fn run(name: &str, list: &Value) -> Result<Value, EvalError> {
        let p = primitives().into_iter().find(|p| &*p.name == name).unwrap();
        (p.forward)(std::slice::from_ref(list))
    }

    fn list_of(g: &Grid, grouping: Grouping) -> Value {
        object_list(g, grouping).unwrap().into_value()
    }

    #[test]
    fn objects_are_8_connected_and_cropped_alone() {
        let x = g(&[&[1, 0, 0, 2], &[0, 1, 0, 0], &[0, 0, 0, 3], &[5, 0, 0, 3]]);
        assert_eq!(components(&x, Grouping::AnyColour).len(), 4);
        assert_eq!(
            pick_object(&x, |o| std::cmp::Reverse(size(o))).unwrap(),
            g(&[&[1, 0], &[0, 1]])
        );
        // Two one-cell objects: the first in reading order wins.
        assert_eq!(pick_object(&x, size).unwrap(), g(&[&[2]]));
        assert!(pick_object(&g(&[&[0]]), size).is_err());
    }

    #[test]
    fn grouping_by_colour_splits_touching_colours() {
        let x = g(&[&[1, 2, 0], &[0, 2, 0], &[0, 0, 4]]);
        assert_eq!(components(&x, Grouping::AnyColour).len(), 1);
        assert_eq!(components(&x, Grouping::OneColour).len(), 3);
        let list = list_of(&x, Grouping::OneColour);
        assert_eq!(
            run("largest", &list).unwrap(),
            Value::Grid(g(&[&[0, 2, 0], &[0, 2, 0], &[0, 0, 0]]))
        );
        assert_eq!(run("merge", &list).unwrap(), Value::Grid(x));
        let by_colour = run("sort_by_colour", &list).unwrap();
        assert_eq!(
            run("last", &by_colour).unwrap(),
            Value::Grid(g(&[&[0, 0, 0], &[0, 0, 0], &[0, 0, 4]]))
        );
        let kept = run("drop_singletons", &list).unwrap();
        assert_eq!(Grids::from_value(&kept).unwrap().len(), 1);
    }

    #[test]
    fn the_odd_object_is_the_only_one_of_its_kind() {
        let x = g(&[
            &[1, 0, 1, 0, 2],
            &[1, 0, 1, 0, 2],
            &[0, 0, 0, 0, 0],
            &[3, 3, 0, 0, 0],
        ]);
        let list = list_of(&x, Grouping::OneColour);
        // Shapes: two vertical bars of 1, one of 2, one horizontal bar of 3.
        assert_eq!(
            run("odd_shape", &list).unwrap(),
            Value::Grid(isolate(&x, &[(3, 0), (3, 1)]))
        );
        // Colours: 1 twice, 2 and 3 once each: no single odd one.
        assert!(run("odd_colour", &list).is_err());
        // Every bar is its own left-right and top-bottom mirror: no odd symmetry.
        assert!(run("odd_symmetry", &list).is_err());
    }

    #[test]
    fn the_odd_symmetry_is_read_off_each_object_s_box() {
        // Two symmetric blocks and an L, which no mirror keeps.
        let x = g(&[&[1, 1, 0, 2, 2, 0, 3, 0], &[1, 1, 0, 2, 2, 0, 3, 3]]);
        let list = list_of(&x, Grouping::OneColour);
        assert_eq!(
            run("odd_symmetry", &list).unwrap(),
            Value::Grid(isolate(&x, &[(0, 6), (1, 6), (1, 7)]))
        );
    }

    #[test]
    fn the_richest_object_is_the_one_with_the_most_colours_cropped() {
        let x = g(&[&[4, 0, 0, 3, 3], &[4, 0, 0, 3, 8], &[0, 0, 0, 0, 0]]);
        let p = primitives()
            .into_iter()
            .find(|p| &*p.name == "richest_object")
            .unwrap();
        let out = (p.forward)(&[Value::Grid(x)]).unwrap();
        assert_eq!(out, Value::Grid(g(&[&[3, 3], &[3, 8]])));
    }

    #[test]
    fn recolouring_by_size_reads_its_table_off_the_output() {
        let x = g(&[&[5, 5, 0, 5], &[0, 0, 0, 0], &[5, 5, 5, 0]]);
        let t = Table::from_pairs([(1, 3), (2, 2), (3, 1)]).unwrap();
        let y = recolour_keyed(&x, &t, one_colour_objects, size_keys).unwrap();
        assert_eq!(y, g(&[&[2, 2, 0, 3], &[0, 0, 0, 0], &[1, 1, 1, 0]]));
        let back = read_keyed(&x, &y, one_colour_objects, size_keys).unwrap();
        assert_eq!(back, t);
        let ranks = read_keyed(&x, &y, one_colour_objects, rank_keys).unwrap();
        assert_eq!(ranks.to_string(), "m:0=1,1=2,2=3");
        // An object split between two colours has no table.
        let split = g(&[&[2, 1, 0, 3], &[0, 0, 0, 0], &[1, 1, 1, 0]]);
        assert!(read_keyed(&x, &split, one_colour_objects, size_keys).is_err());
    }

    #[test]
    fn holes_are_counted_inside_each_object_alone() {
        // A closed ring (one hole), a cup open at the top (none), and a figure eight (two).
        let x = g(&[
            &[1, 1, 1, 0, 2, 0, 2, 0, 3, 3, 3],
            &[1, 0, 1, 0, 2, 0, 2, 0, 3, 0, 3],
            &[1, 1, 1, 0, 2, 2, 2, 0, 3, 3, 3],
            &[0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3],
            &[0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3],
        ]);
        let all = components(&x, Grouping::OneColour);
        assert_eq!(hole_keys(&all), [1, 0, 2]);
        // A diamond of diagonal steps still closes its centre (objects are 8-connected,
        // the background 4-connected).
        let diamond = g(&[&[0, 4, 0], &[4, 0, 4], &[0, 4, 0]]);
        assert_eq!(hole_keys(&components(&diamond, Grouping::OneColour)), [1]);
        // Only the ring turns 5: the table maps one hole to 5 and keeps the others.
        let mut ring_painted = x.cells().to_vec();
        for k in [0, 1, 2, 11, 13, 22, 23, 24] {
            ring_painted[k] = 5;
        }
        let y = Grid::new(5, 11, ring_painted).unwrap();
        let t = read_keyed(&x, &y, one_colour_objects, hole_keys).unwrap();
        assert_eq!(t.to_string(), "m:0=2,1=5,2=3");
        assert_eq!(
            recolour_keyed(&x, &t, one_colour_objects, hole_keys).unwrap(),
            y
        );
    }
}
