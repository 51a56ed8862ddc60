//! Occlusion: a picture that has a symmetry, with the cells of one colour hiding part of
//! it. The hidden cells are restored from their images under the symmetries that the
//! visible cells agree with: mirrors about any row or column axis (not only the grid's
//! middle), diagonal mirrors near the main diagonals, and half turns about any centre.
//! `unocclude` returns the restored grid, `occluded_patch` only what the patch hid (the
//! patch must be a filled rectangle). Neither has an inverse.

use super::colour::colour_counts;
use super::RARE_COST;
use crate::dsl::{EvalError, Grid, Primitive};
use crate::primitive;

/// A symmetry of the plane, on cell coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Symmetry {
    /// `(r, c) -> (k - r, c)`.
    Rows(i64),
    /// `(r, c) -> (r, k - c)`.
    Cols(i64),
    /// `(r, c) -> (c - a, r + a)`.
    Diagonal(i64),
    /// `(r, c) -> (n - 1 - c + a, n - 1 - r + a)` on an `n` x `n` grid.
    AntiDiagonal(i64, i64),
    /// `(r, c) -> (kr - r, kc - c)`.
    HalfTurn(i64, i64),
}

impl Symmetry {
    fn image(self, r: i64, c: i64) -> (i64, i64) {
        match self {
            Symmetry::Rows(k) => (k - r, c),
            Symmetry::Cols(k) => (r, k - c),
            Symmetry::Diagonal(a) => (c - a, r + a),
            Symmetry::AntiDiagonal(n, a) => (n - 1 - c + a, n - 1 - r + a),
            Symmetry::HalfTurn(kr, kc) => (kr - r, kc - c),
        }
    }
}

/// Axis sums `k` that keep at least half of a side of `n` on the grid.
fn axes(n: usize) -> std::ops::Range<i64> {
    let n = n as i64;
    n / 2..2 * n - 1 - n / 2
}

/// The symmetries to try, mirrors first.
fn candidates(h: usize, w: usize) -> Vec<Symmetry> {
    let mut out: Vec<Symmetry> = axes(h).map(Symmetry::Rows).collect();
    out.extend(axes(w).map(Symmetry::Cols));
    out.extend((-2..=2).map(Symmetry::Diagonal));
    if h == w {
        out.extend((-2..=2).map(|a| Symmetry::AntiDiagonal(h as i64, a)));
    }
    for kr in axes(h) {
        out.extend(axes(w).map(|kc| Symmetry::HalfTurn(kr, kc)));
    }
    out
}

/// Cell states while restoring: `None` is hidden.
struct Picture {
    h: usize,
    w: usize,
    cells: Vec<Option<u8>>,
    /// The visible cells, those of the rarest colours first (where a symmetry fails, a
    /// cell of a rare colour shows it sooner than the background does), then the cells
    /// restored so far.
    visible: Vec<usize>,
}

impl Picture {
    fn at(&self, (r, c): (i64, i64)) -> Option<Option<u8>> {
        let inside = (0..self.h as i64).contains(&r) && (0..self.w as i64).contains(&c);
        inside.then(|| self.cells[r as usize * self.w + c as usize])
    }

    /// Whether every visible cell whose image is visible has its image's colour, and at
    /// least half of the visible cells have another cell as a visible image.
    fn agrees(&self, s: Symmetry) -> bool {
        let mut matched = 0usize;
        for &k in &self.visible {
            let (r, c) = ((k / self.w) as i64, (k % self.w) as i64);
            let to = s.image(r, c);
            if let Some(Some(image)) = self.at(to) {
                if Some(image) != self.cells[k] {
                    return false;
                }
                matched += usize::from(to != (r, c));
            }
        }
        2 * matched >= self.visible.len()
    }

    /// Hidden cells take their image's colour where it is known; whether none is left.
    fn restore(&mut self, s: Symmetry) -> bool {
        for k in 0..self.cells.len() {
            if self.cells[k].is_none() {
                let (r, c) = ((k / self.w) as i64, (k % self.w) as i64);
                if let Some(Some(v)) = self.at(s.image(r, c)) {
                    self.cells[k] = Some(v);
                    self.visible.push(k);
                }
            }
        }
        self.cells.iter().all(Option::is_some)
    }
}

/// A grid made ready to be restored under any of its colours: its colours, rarest first
/// (ties: the lower colour), the cells of each, and the symmetries to try (all found once
/// for every colour tried).
struct Scene<'g> {
    g: &'g Grid,
    colours: Vec<u8>,
    cells_of: Vec<Vec<usize>>,
    symmetries: Vec<Symmetry>,
}

impl<'g> Scene<'g> {
    fn new(g: &'g Grid) -> Scene<'g> {
        let counts = colour_counts(g);
        let mut colours: Vec<u8> = (0..10u8).filter(|&c| counts[c as usize] > 0).collect();
        colours.sort_by_key(|&c| counts[c as usize]);
        let mut by_colour: Vec<Vec<usize>> = vec![Vec::new(); 10];
        for (k, &c) in g.cells().iter().enumerate() {
            by_colour[c as usize].push(k);
        }
        let cells_of = colours
            .iter()
            .map(|&c| std::mem::take(&mut by_colour[c as usize]))
            .collect();
        Scene {
            g,
            colours,
            cells_of,
            symmetries: candidates(g.height(), g.width()),
        }
    }

    /// The grid with the cells of colour `hidden` restored, or `None` when the symmetries
    /// the visible cells agree with do not reach every hidden cell.
    fn restore(&self, hidden: u8) -> Option<Grid> {
        let (h, w) = (self.g.height(), self.g.width());
        let cells = self
            .g
            .cells()
            .iter()
            .map(|&v| (v != hidden).then_some(v))
            .collect();
        let shown = self.colours.iter().zip(&self.cells_of);
        let visible = shown
            .filter(|(&c, _)| c != hidden)
            .flat_map(|(_, ks)| ks.iter().copied())
            .collect();
        let mut p = Picture {
            h,
            w,
            cells,
            visible,
        };
        for &s in &self.symmetries {
            if p.agrees(s) && p.restore(s) {
                return Grid::from_fn(h, w, |r, c| p.cells[r * w + c].unwrap_or(hidden)).ok();
            }
        }
        None
    }
}

/// `g` restored: the rarest colour whose cells the picture's symmetries can restore is
/// taken as the occluder.
pub fn unocclude(g: &Grid) -> Result<Grid, EvalError> {
    let scene = Scene::new(g);
    let restored = scene
        .colours
        .iter()
        .find_map(|&c| scene.restore(c))
        .ok_or(EvalError::Domain("no symmetry restores a colour"))?;
    Ok(restored)
}

/// The bounding box `(top, left, height, width)` of colour `c`, if its cells fill it.
fn filled_box(g: &Grid, c: u8) -> Option<(usize, usize, usize, usize)> {
    let cells = super::cells_of_colour(g, c);
    let (top, left, bottom, right) = super::bounds(&cells)?;
    let (h, w) = (bottom - top + 1, right - left + 1);
    (h * w == cells.len() && cells.len() < g.cells().len()).then_some((top, left, h, w))
}

/// What the rarest rectangular patch that the picture's symmetries can restore hid.
pub fn occluded_patch(g: &Grid) -> Result<Grid, EvalError> {
    let scene = Scene::new(g);
    scene
        .colours
        .iter()
        .find_map(|&c| {
            let (top, left, h, w) = filled_box(g, c)?;
            scene.restore(c)?.window(top, left, h, w)
        })
        .ok_or(EvalError::Domain("no rectangular patch can be restored"))
}

/// `unocclude` and `occluded_patch`, at [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    vec![
        primitive!(
            "unocclude",
            "a symmetric picture restored under a patch of one colour",
            |g: &Grid| -> Grid { unocclude(g) }
        ),
        primitive!(
            "occluded_patch",
            "what a symmetric picture hides under a patch of one colour",
            |g: &Grid| -> Grid { occluded_patch(g) }
        ),
    ]
    .into_iter()
    .map(|p| p.with_cost(RARE_COST))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn a_mirrored_picture_is_restored_under_its_patch() {
        // Mirror-symmetric about column 2; 8 hides two cells.
        let x = g(&[
            &[1, 2, 3, 2, 1],
            &[8, 5, 6, 5, 4],
            &[8, 6, 5, 6, 7],
            &[1, 1, 2, 1, 1],
        ]);
        assert_eq!(occluded_patch(&x).unwrap(), g(&[&[4], &[7]]));
        assert_eq!(
            unocclude(&x).unwrap(),
            g(&[
                &[1, 2, 3, 2, 1],
                &[4, 5, 6, 5, 4],
                &[7, 6, 5, 6, 7],
                &[1, 1, 2, 1, 1],
            ])
        );
        assert!(unocclude(&g(&[&[1, 2], &[3, 4]])).is_err());
    }

    #[test]
    fn half_turns_restore_what_mirrors_cannot() {
        let x = g(&[&[1, 2, 3], &[4, 5, 4], &[3, 9, 9]]);
        assert_eq!(
            unocclude(&x).unwrap(),
            g(&[&[1, 2, 3], &[4, 5, 4], &[3, 2, 1]])
        );
    }
}
