//! Regions of background (4-connected, moving up, down, left, right):
//!
//! - `fill_enclosed`: the background cells that cannot reach the border are filled with
//!   a colour, which the conditional inverse reads off the output;
//! - `fill_regions_by_size`: each region painted by a table keyed by its cell count;
//! - `fill_regions_by_extreme`: each region painted by a table keyed by whether it is a
//!   largest one (key 1), a smallest one (key 2), both (3) or neither (0);
//! - `fill_regions_by_form`: each region painted by a table keyed by its form: a filled
//!   square (key 2), a filled rectangle of unequal sides (1), anything else (0).
//!
//! The tables are read off the outputs, as for the object recolourings.

use super::draw::painter;
use super::objects::{keyed_recolouring, size_keys, Cells};
use super::{bounds, RARE_COST};
use crate::dsl::{Grid, Primitive};

/// For each cell, whether it is background that the border cannot reach.
pub fn enclosed(g: &Grid) -> Vec<bool> {
    let (h, w) = (g.height(), g.width());
    let mut open: Vec<bool> = g.cells().iter().map(|&c| c == 0).collect();
    for k in 0..h * w {
        let (r, c) = (k / w, k % w);
        if open[k] && (r == 0 || c == 0 || r == h - 1 || c == w - 1) {
            flood(&mut open, k, h, w);
        }
    }
    open
}

/// Closes every open cell 4-connected to `start` (`open` is an `h` x `w` grid).
pub(super) fn flood(open: &mut [bool], start: usize, h: usize, w: usize) {
    flood_each(open, start, h, w, |_| {});
}

/// [`flood`], calling `visit` on each cell it closes.
fn flood_each(open: &mut [bool], start: usize, h: usize, w: usize, mut visit: impl FnMut(usize)) {
    open[start] = false;
    let mut stack = vec![start];
    while let Some(k) = stack.pop() {
        visit(k);
        let (r, c) = (k / w, k % w);
        let next = [
            (r > 0).then(|| k - w),
            (r + 1 < h).then(|| k + w),
            (c > 0).then(|| k - 1),
            (c + 1 < w).then(|| k + 1),
        ];
        for n in next.into_iter().flatten() {
            if open[n] {
                open[n] = false;
                stack.push(n);
            }
        }
    }
}

/// The regions of background of `g`, 4-connected, each as its cells in reading order, in
/// reading order of their first cell.
pub fn background_regions(g: &Grid) -> Vec<Cells> {
    let (h, w) = (g.height(), g.width());
    let mut open: Vec<bool> = g.cells().iter().map(|&c| c == 0).collect();
    let mut out = Vec::new();
    for start in 0..h * w {
        if !open[start] {
            continue;
        }
        let mut region: Cells = Vec::new();
        flood_each(&mut open, start, h, w, |k| region.push((k / w, k % w)));
        region.sort_unstable();
        out.push(region);
    }
    out
}

/// Whether each part is one of the largest (bit 0) or one of the smallest (bit 1).
fn extreme_keys(all: &[Cells]) -> Vec<u32> {
    let largest = all.iter().map(Vec::len).max().unwrap_or(0);
    let smallest = all.iter().map(Vec::len).min().unwrap_or(0);
    all.iter()
        .map(|p| u32::from(p.len() == largest) | u32::from(p.len() == smallest) << 1)
        .collect()
}

/// Each part's form: 2 when it fills a square box, 1 a box of unequal sides, else 0.
fn form_keys(all: &[Cells]) -> Vec<u32> {
    let form = |cells: &Cells| match bounds(cells) {
        Some((top, left, bottom, right))
            if (bottom - top + 1) * (right - left + 1) == cells.len() =>
        {
            1 + u32::from(bottom - top == right - left)
        }
        _ => 0,
    };
    all.iter().map(form).collect()
}

/// `fill_enclosed : grid -> colour -> grid`, its colour inferred from the output, and the
/// three region tables (at [`RARE_COST`]), theirs too.
pub fn primitives() -> Vec<Primitive> {
    vec![
        painter(
            "fill_enclosed",
            "the background the border cannot reach painted one colour",
            enclosed,
        ),
        keyed_recolouring(
            "fill_regions_by_size",
            "each background region painted by a table keyed by its cell count",
            background_regions,
            size_keys,
        )
        .with_cost(RARE_COST),
        keyed_recolouring(
            "fill_regions_by_extreme",
            "the largest and the smallest background regions painted by a table",
            background_regions,
            extreme_keys,
        )
        .with_cost(RARE_COST),
        keyed_recolouring(
            "fill_regions_by_form",
            "each background region painted by a table keyed by its form (square, rectangle, other)",
            background_regions,
            form_keys,
        )
        .with_cost(RARE_COST),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::draw::paint_mask;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::Value;

    #[test]
    fn only_background_cut_off_from_the_border_is_filled() {
        let x = g(&[&[1, 1, 1, 0], &[1, 0, 1, 0], &[1, 1, 1, 0], &[0, 0, 0, 0]]);
        let y = paint_mask(&x, enclosed, 4).unwrap();
        assert_eq!(y.get(1, 1), 4);
        assert_eq!(y.get(3, 3), 0);
        let p = &primitives()[0];
        let back = (p.cond_inverses[0].apply)(&Value::Grid(y), &[Value::Grid(x)]).unwrap();
        assert_eq!(back, [Value::Colour(4)]);
    }

    #[test]
    fn regions_are_painted_by_their_size_or_by_being_the_largest_or_smallest() {
        // Two regions of two cells (the top corners), two of one.
        let x = g(&[&[0, 5, 0], &[0, 5, 0], &[5, 0, 5], &[5, 5, 0]]);
        let sizes: Vec<usize> = background_regions(&x).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![2, 2, 1, 1]);
        let by_extreme = &primitives()[2];
        let y = g(&[&[1, 5, 1], &[1, 5, 1], &[5, 8, 5], &[5, 5, 8]]);
        let back =
            (by_extreme.cond_inverses[0].apply)(&Value::Grid(y.clone()), &[Value::Grid(x.clone())])
                .unwrap();
        assert_eq!(
            (by_extreme.forward)(&[Value::Grid(x), back[0].clone()]).unwrap(),
            Value::Grid(y)
        );
    }

    #[test]
    fn square_regions_are_told_from_rectangles_and_other_forms() {
        // A 1x1 hole, a 1x2 hole, and the outside (not a box).
        let x = g(&[
            &[5, 5, 5, 5, 5, 5, 0],
            &[5, 0, 5, 0, 0, 5, 0],
            &[5, 5, 5, 5, 5, 5, 0],
            &[0, 0, 0, 0, 0, 0, 0],
        ]);
        assert_eq!(form_keys(&background_regions(&x)), vec![0, 2, 1]);
        let by_form = &primitives()[3];
        let y = g(&[
            &[5, 5, 5, 5, 5, 5, 0],
            &[5, 2, 5, 0, 0, 5, 0],
            &[5, 5, 5, 5, 5, 5, 0],
            &[0, 0, 0, 0, 0, 0, 0],
        ]);
        let back =
            (by_form.cond_inverses[0].apply)(&Value::Grid(y.clone()), &[Value::Grid(x)]).unwrap();
        // A 3x3 square hole the examples never showed is painted too.
        let big = g(&[
            &[5, 5, 5, 5, 5],
            &[5, 0, 0, 0, 5],
            &[5, 0, 0, 0, 5],
            &[5, 0, 0, 0, 5],
            &[5, 5, 5, 5, 5],
        ]);
        let Value::Grid(painted) = (by_form.forward)(&[Value::Grid(big), back[0].clone()]).unwrap()
        else {
            panic!("a grid")
        };
        assert_eq!(painted.get(2, 2), 2);
        assert_eq!(painted.get(0, 0), 5);
    }
}
