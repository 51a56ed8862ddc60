//! Pattern continuation: a grid that repeats with some period, with cells of one colour
//! masking it, is completed by filling each masked cell from the unmasked cells of its
//! class. The period is the smallest lattice that every unmasked cell agrees with: `pr`
//! rows by `pc` columns, each band of `pr` rows shifted `s` columns against the one above
//! (diagonal patterns). The conditional inverse reads the mask colour off the output.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap;

use super::{first_change, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::{given, primitive};

/// A lattice period: `rows` x `cols`, each band of rows shifted by `shift` columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// Rows in one period.
    pub rows: usize,
    /// Columns in one period.
    pub cols: usize,
    /// Column shift from one band of rows to the next.
    pub shift: usize,
}

impl Period {
    /// The class of cell `(r, c)`: its position inside the period.
    fn class(&self, r: usize, c: usize) -> usize {
        let band = r / self.rows;
        let col = (c + self.cols * band - (self.shift * band) % self.cols) % self.cols;
        (r % self.rows) * self.cols + col
    }
}

/// Scratch space for [`class_colours`], reused across periods: a colour per class, known
/// where its stamp is the current period's, so that moving to the next period costs
/// nothing however many classes the last one had.
struct Classes {
    stamp: Vec<u32>,
    colour: Vec<u8>,
    now: u32,
}

impl Classes {
    fn new(classes: usize) -> Classes {
        Classes {
            stamp: vec![0; classes],
            colour: vec![0; classes],
            now: 0,
        }
    }

    fn next_period(&mut self) {
        self.now += 1;
    }

    fn get(&self, class: usize) -> Option<u8> {
        (self.stamp[class] == self.now).then(|| self.colour[class])
    }

    fn set(&mut self, class: usize, colour: u8) {
        self.stamp[class] = self.now;
        self.colour[class] = colour;
    }
}

/// The colour of each class of `p` in `g` (cells of colour `mask` unknown), or `None` when
/// two unmasked cells of a class disagree or a class has only masked cells.
fn class_colours(g: &Grid, mask: u8, p: Period, seen: &mut Classes) -> Option<Vec<u8>> {
    seen.next_period();
    let w = g.width();
    for (r, row) in g.cells().chunks_exact(w.max(1)).enumerate() {
        // The classes along a row, without a division per cell: see `Period::class`.
        let band = r / p.rows;
        let base = (r % p.rows) * p.cols;
        let mut col = (p.cols * band - (p.shift * band) % p.cols) % p.cols;
        for &v in row {
            if v != mask {
                match seen.get(base + col) {
                    Some(s) if s != v => return None,
                    Some(_) => {}
                    None => seen.set(base + col, v),
                }
            }
            col += 1;
            if col == p.cols {
                col = 0;
            }
        }
    }
    // A class no unmasked cell reaches leaves its masked cells unknown.
    let covered = (0..g.height())
        .flat_map(|r| (0..w).map(move |c| (r, c)))
        .all(|(r, c)| seen.get(p.class(r, c)).is_some());
    covered.then(|| {
        (0..p.rows * p.cols)
            .map(|k| seen.get(k).unwrap_or(mask))
            .collect()
    })
}

/// The periods smaller than an `h` x `w` grid, smallest first (by cells, then shift, then
/// rows), made as they are asked for.
fn periods(h: usize, w: usize) -> impl Iterator<Item = Period> {
    let shifts = move |rows: usize, cols: usize| if rows < h { cols } else { 1 };
    let fits = move |area: usize, rows: usize| area % rows == 0 && area / rows <= w;
    (1..h * w).flat_map(move |area| {
        let most = (1..=h.min(area))
            .filter(|&rows| fits(area, rows))
            .map(|rows| shifts(rows, area / rows))
            .max()
            .unwrap_or(0);
        (0..most).flat_map(move |shift| {
            (1..=h.min(area))
                .filter(move |&rows| fits(area, rows) && shift < shifts(rows, area / rows))
                .map(move |rows| Period {
                    rows,
                    cols: area / rows,
                    shift,
                })
        })
    })
}

/// Lists of periods by grid shape.
type PeriodLists = FxHashMap<(usize, usize), Rc<[Period]>>;

thread_local! {
    /// [`periods`] of each grid shape asked for so far.
    static PERIODS: RefCell<PeriodLists> = RefCell::default();
}

/// [`periods`] of an `h` x `w` grid, listed once per shape and thread.
fn periods_of(h: usize, w: usize) -> Rc<[Period]> {
    PERIODS.with(|known| {
        let mut known = known.borrow_mut();
        known
            .entry((h, w))
            .or_insert_with(|| periods(h, w).collect())
            .clone()
    })
}

/// The smallest period (by cells, then shift) that the unmasked cells of `g` agree with,
/// smaller than the grid itself; `None` at once when no cell has colour `mask`.
fn find_period(g: &Grid, mask: u8) -> Option<(Period, Vec<u8>)> {
    if !g.cells().contains(&mask) {
        return None;
    }
    let (h, w) = (g.height(), g.width());
    let mut seen = Classes::new(h * w);
    let mut quick = QuickTest::new(g, mask);
    periods_of(h, w)
        .iter()
        .copied()
        .filter(|&p| quick.may_fit(p))
        .find_map(|p| class_colours(g, mask, p, &mut seen).map(|colours| (p, colours)))
}

/// A necessary condition for a period, in two halves each checked once however many
/// periods share it: no two unmasked cells one period apart along a row differ (per
/// number of columns), and none one band apart, shifted, differs (per rows and shift).
/// It rules most periods out within a few cells, where [`class_colours`] meets a clash
/// only a band of rows later.
struct QuickTest<'g> {
    g: &'g Grid,
    mask: u8,
    /// By number of columns.
    across: Vec<Option<bool>>,
    /// By rows and shift, `rows * width + shift`.
    below: Vec<Option<bool>>,
}

impl<'g> QuickTest<'g> {
    fn new(g: &'g Grid, mask: u8) -> QuickTest<'g> {
        let (h, w) = (g.height(), g.width());
        QuickTest {
            g,
            mask,
            across: vec![None; w + 1],
            below: vec![None; (h + 1) * w],
        }
    }

    /// Whether `p` may fit.
    fn may_fit(&mut self, p: Period) -> bool {
        let (g, mask) = (self.g, self.mask);
        let below = p.rows * g.width() + p.shift;
        *self.across[p.cols].get_or_insert_with(|| agree(g, mask, 0, p.cols))
            && *self.below[below].get_or_insert_with(|| agree(g, mask, p.rows, p.shift))
    }
}

/// Whether every cell of `g` agrees with the one `down` rows and `right` columns on, where
/// both are on the grid and neither has colour `mask`.
fn agree(g: &Grid, mask: u8, down: usize, right: usize) -> bool {
    let (h, w, cells) = (g.height(), g.width(), g.cells());
    let step = down * w + right;
    (0..h.saturating_sub(down)).all(|r| {
        (r * w..r * w + w.saturating_sub(right)).all(|k| {
            let (a, b) = (cells[k], cells[k + step]);
            a == b || a == mask || b == mask
        })
    })
}

/// `g` with every cell of colour `mask` filled from its period.
pub fn complete_pattern(g: &Grid, mask: u8) -> Result<Grid, EvalError> {
    let (p, colours) =
        find_period(g, mask).ok_or(EvalError::Domain("no period fits the unmasked cells"))?;
    Ok(Grid::from_fn(g.height(), g.width(), |r, c| {
        colours[p.class(r, c)]
    })?)
}

/// The mask colour that completing `g` into `out` must have used: the colour of the first
/// cell that changes, where only cells of that colour change (checked before the pattern
/// is searched for again).
fn mask_colour(g: &Grid, out: &Grid) -> Result<u8, EvalError> {
    let (mask, _) = first_change(g, out)?;
    let mut cells = g.cells().iter().zip(out.cells());
    if cells.any(|(&a, &b)| a != b && a != mask) {
        return Err(EvalError::Domain("cells of more than one colour change"));
    }
    Ok(mask)
}

/// `complete_pattern`, whose conditional inverse reads the mask colour off the output (the
/// colour of the first cell that changes).
pub fn primitives() -> Vec<Primitive> {
    vec![primitive!(
        "complete_pattern",
        "a periodic pattern completed under a mask colour",
        |g: &Grid, mask: u8| -> Grid { complete_pattern(g, mask) }
    )
    .given(given!([0], |out: &Grid, g: &Grid| -> u8 {
        mask_colour(g, out)
    }))
    .with_shapes(ShapeRule::Same)
    .with_cost(RARE_COST)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;
    use crate::dsl::Value;

    #[test]
    fn a_masked_tiling_is_completed() {
        let x = g(&[
            &[1, 2, 3, 1, 2, 3],
            &[4, 5, 6, 4, 0, 0],
            &[1, 2, 3, 1, 0, 0],
            &[4, 0, 6, 4, 5, 6],
        ]);
        let y = complete_pattern(&x, 0).unwrap();
        assert_eq!(
            y,
            g(&[
                &[1, 2, 3, 1, 2, 3],
                &[4, 5, 6, 4, 5, 6],
                &[1, 2, 3, 1, 2, 3],
                &[4, 5, 6, 4, 5, 6],
            ])
        );
        let p = &primitives()[0];
        let back = (p.cond_inverses[0].apply)(&Value::Grid(y.clone()), &[Value::Grid(x.clone())]);
        assert_eq!(back.unwrap(), vec![Value::Colour(0)]);
        // Where a cell of another colour than the first changed one changes too (here the
        // first cell, 1 -> 7, before the masked cells), no mask colour explains the output.
        let mut cells = y.cells().to_vec();
        cells[0] = 7;
        let other = Grid::new(y.height(), y.width(), cells).unwrap();
        let back = (p.cond_inverses[0].apply)(&Value::Grid(other), &[Value::Grid(x)]);
        assert!(back.is_err());
    }

    #[test]
    fn the_class_walk_along_a_row_matches_the_class_formula() {
        for (rows, cols, shift) in [(1, 3, 2), (2, 4, 1), (3, 2, 0), (2, 5, 3)] {
            let p = Period { rows, cols, shift };
            let cells: Vec<Vec<i64>> = (0..7)
                .map(|r| (0..9).map(|c| p.class(r, c) as i64 % 9 + 1).collect())
                .collect();
            let grid = Grid::from_rows(&cells).unwrap();
            let mut seen = Classes::new(7 * 9);
            let colours = class_colours(&grid, 0, p, &mut seen);
            // No cell is masked, so every class is known: the grid's own colours.
            assert!(colours.is_some(), "{p:?}");
            for r in 0..7 {
                for c in 0..9 {
                    assert_eq!(
                        seen.get(p.class(r, c)),
                        Some(grid.get(r, c)),
                        "{p:?} at {r},{c}"
                    );
                }
            }
        }
    }

    /// The periods come in the order of sorting every one by (cells, shift, rows).
    #[test]
    fn periods_come_smallest_first() {
        for (h, w) in [(1, 1), (1, 5), (4, 1), (3, 4), (6, 6), (5, 7)] {
            let mut sorted: Vec<Period> = (1..=h)
                .flat_map(|rows| (1..=w).map(move |cols| (rows, cols)))
                .filter(|&(rows, cols)| rows * cols < h * w)
                .flat_map(|(rows, cols)| {
                    let shifts = if rows < h { cols } else { 1 };
                    (0..shifts).map(move |shift| Period { rows, cols, shift })
                })
                .collect();
            sorted.sort_by_key(|p| (p.rows * p.cols, p.shift, p.rows));
            assert_eq!(periods(h, w).collect::<Vec<_>>(), sorted, "{h}x{w}");
        }
    }

    #[test]
    fn diagonal_stripes_are_a_shifted_period() {
        // Colour (r + c) mod 3, with a hole; the row period is 1 with a shift of 2.
        let x = g(&[&[1, 2, 3, 1], &[2, 3, 1, 2], &[3, 9, 9, 3], &[1, 2, 3, 1]]);
        let (p, _) = find_period(&x, 9).unwrap();
        assert_eq!((p.rows, p.cols), (1, 3));
        let y = complete_pattern(&x, 9).unwrap();
        assert_eq!(y.get(2, 1), 1);
        assert_eq!(y.get(2, 2), 2);
    }

    #[test]
    fn an_unmasked_or_patternless_grid_is_a_domain_error() {
        assert!(complete_pattern(&g(&[&[1, 2], &[3, 4]]), 0).is_err());
        assert!(complete_pattern(&g(&[&[1, 2], &[3, 0]]), 0).is_err());
    }

    /// Seeded grids that repeat a random tile under random masked cells.
    fn masked_tilings(count: usize) -> impl Iterator<Item = Grid> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        (0..count).map(move |_| {
            let (h, w) = (next(6) + 1, next(6) + 1);
            let (tile_h, tile_w) = (next(h) + 1, next(w) + 1);
            let tile: Vec<u8> = (0..tile_h * tile_w).map(|_| next(3) as u8).collect();
            let cells = (0..h * w)
                .map(|k| match next(4) {
                    0 => 3,
                    _ => tile[(k / w % tile_h) * tile_w + k % w % tile_w],
                })
                .collect();
            Grid::new(h, w, cells).unwrap()
        })
    }

    #[test]
    fn the_quick_test_never_rules_out_the_period_the_full_check_finds() {
        for g in masked_tilings(20_000).filter(|g| g.cells().contains(&3)) {
            let mut seen = Classes::new(g.cells().len());
            let full = periods(g.height(), g.width())
                .find_map(|p| class_colours(&g, 3, p, &mut seen).map(|c| (p, c)));
            assert_eq!(find_period(&g, 3), full, "{g:?}");
        }
    }
}
