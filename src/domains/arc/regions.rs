//! Enclosed regions: the background cells that cannot reach the border through background
//! (moving up, down, left, right) are filled with a colour. The conditional inverse reads
//! the colour off the output.

use super::draw::painter;
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
    open[start] = false;
    let mut stack = vec![start];
    while let Some(k) = stack.pop() {
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

/// `fill_enclosed : grid -> colour -> grid`, its colour inferred from the output.
pub fn primitives() -> Vec<Primitive> {
    vec![painter(
        "fill_enclosed",
        "the background the border cannot reach painted one colour",
        enclosed,
    )]
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
}
