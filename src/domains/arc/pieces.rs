//! Outputs composed of pieces (icecuber's greedy stacking): where no value the forward
//! phase reached equals the output, a base that is right on most cells with pieces laid
//! over it (`overlay`), together covering every cell the base gets wrong. The top piece
//! is right wherever it has foreground; each piece under it is right wherever it has
//! foreground that the pieces above leave uncovered (quadrants laid over each other in
//! an order of precedence).
//!
//! A piece is a value the phase reached, or the meet of two (`both`): one colour of the
//! outputs painted where both values have foreground, such as the crossings of lines
//! smeared down and lines smeared left.
//!
//! The output's size is predicted by the candidates themselves: only values with the
//! output's shape on every example take part.

use std::cmp::Reverse;

use crate::domains::{Layer, Stack};
use crate::dsl::{Grid, Value};

/// The most pieces laid over one base.
pub const MAX_PIECES: usize = 4;

/// The bases that pieces cover and that each give a stack, those with the fewest wrong
/// cells first (one per set of wrong cells).
pub const MAX_BASES: usize = 32;

/// The bases tried in all, covered or not: the more values the forward phase reaches, the
/// more bases with few wrong cells that no pieces cover come before a good one.
pub const MAX_BASES_TRIED: usize = 8 * MAX_BASES;

/// The most pieces kept that are wrong on some of their foreground (which only pieces
/// above them may hide), the cheapest first; pieces right on all of it are all kept.
pub const MAX_HIDDEN_WRONG: usize = 2048;

/// The distinct foregrounds (the cheapest value of each) whose pairs may meet.
pub const MAX_FOREGROUNDS: usize = 4096;

/// Per colour of the outputs, the foregrounds paired into meets: those that cover the
/// most cells of that colour (the smallest first among equals), and some cell of another.
pub const MEET_CANDIDATES: usize = 64;

/// The meets kept per colour: those right on the most cells net of twice the wrong ones.
pub const MAX_MEETS: usize = 16;

/// A set of cells over all examples, one bit per cell.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Cells(Vec<u64>);

impl Cells {
    fn new(n: usize) -> Cells {
        Cells(vec![0; n.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn count(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    fn overlap(&self, other: &Cells) -> u32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones())
            .sum()
    }

    fn within(&self, other: &Cells) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| a & !b == 0)
    }

    fn remove(&mut self, other: &Cells) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= !b;
        }
    }

    fn add(&mut self, other: &Cells) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn and(&self, other: &Cells) -> Cells {
        Cells(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }
}

/// A candidate as a piece: the cells its foreground covers, and those of them it gets
/// wrong (which pieces above it must cover).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Piece {
    covers: Cells,
    wrong: Cells,
}

impl Piece {
    /// Whether it is right on more of its cells than it is wrong on.
    fn mostly_right(&self) -> bool {
        self.covers.count() > self.wrong.count()
    }
}

/// What one candidate is as a base (the cells it gets wrong) and as a piece (which it
/// may be only where it is [mostly right](Piece::mostly_right)).
struct Role {
    wrong: Cells,
    piece: Piece,
}

/// The candidate's grids, if it has the outputs' shapes on every example.
fn grids<'a>(candidate: &'a [Value], outputs: &[&Grid]) -> Option<Vec<&'a Grid>> {
    candidate
        .iter()
        .zip(outputs)
        .map(|(v, out)| match v {
            Value::Grid(g) if (g.height(), g.width()) == (out.height(), out.width()) => Some(g),
            _ => None,
        })
        .collect()
}

/// The candidate's roles, if it has the outputs' shapes.
fn role(candidate: &[Value], outputs: &[&Grid], n_cells: usize) -> Option<Role> {
    let grids = grids(candidate, outputs)?;
    let mut wrong = Cells::new(n_cells);
    let mut covers = Cells::new(n_cells);
    let mut wrong_covered = Cells::new(n_cells);
    let mut i = 0;
    for (g, out) in grids.iter().zip(outputs) {
        for (&c, &o) in g.cells().iter().zip(out.cells()) {
            if c != o {
                wrong.set(i);
            }
            if c != 0 {
                covers.set(i);
                if c != o {
                    wrong_covered.set(i);
                }
            }
            i += 1;
        }
    }
    let piece = Piece {
        covers,
        wrong: wrong_covered,
    };
    Some(Role { wrong, piece })
}

/// The cells of the outputs that have `colour`.
fn painted(outputs: &[&Grid], colour: u8, n_cells: usize) -> Cells {
    let mut cells = Cells::new(n_cells);
    let all = outputs.iter().flat_map(|g| g.cells());
    for (i, _) in all.enumerate().filter(|(_, &c)| c == colour) {
        cells.set(i);
    }
    cells
}

/// The stacks of `candidates` (each one value per example, the cheapest first) that give
/// every output, one per base that pieces cover (at most [`MAX_BASES`]): the fewest
/// pieces first, then the base with the fewest wrong cells, then the earliest. Pieces are
/// chosen greedily from the top by the wrong cells they cover, among the candidates and
/// their [meets](meets). Empty when no base is right where no piece covers it.
pub fn stack(
    candidates: &[&[Value]],
    outputs: &[Value],
    deadline: Option<std::time::Instant>,
) -> Vec<Stack> {
    let grids = outputs.iter().map(|v| match v {
        Value::Grid(g) => Some(g),
        _ => None,
    });
    let Some(outputs) = grids.collect::<Option<Vec<&Grid>>>() else {
        return Vec::new();
    };
    let late = || deadline.is_some_and(|d| std::time::Instant::now() >= d);
    let n_cells = outputs.iter().map(|g| g.cells().len()).sum();
    let mut bases: Vec<(u32, usize, Cells)> = Vec::new();
    let mut pieces: Vec<(Layer, Piece)> = Vec::new();
    let mut foregrounds: Vec<(usize, Cells)> = Vec::new();
    let mut hidden_wrong = 0;
    let mut seen_pieces = std::collections::HashSet::new();
    let mut seen_foregrounds = std::collections::HashSet::new();
    // Bases wrong on the same cells need the same pieces: only the first (the cheapest)
    // of them takes one of the MAX_BASES places.
    let mut seen_wrong = std::collections::HashSet::new();
    let mut keep = |layer: Layer, piece: Piece, pieces: &mut Vec<(Layer, Piece)>| {
        let perfect = piece.wrong.count() == 0;
        if (perfect || hidden_wrong < MAX_HIDDEN_WRONG) && seen_pieces.insert(piece.clone()) {
            hidden_wrong += usize::from(!perfect);
            pieces.push((layer, piece));
        }
    };
    for (i, c) in candidates.iter().enumerate() {
        if i % 16 == 0 && late() {
            break;
        }
        let Some(r) = role(c, &outputs, n_cells) else {
            continue;
        };
        // Most candidates repeat a foreground: it is copied only when new.
        let covers = &r.piece.covers;
        if foregrounds.len() < MAX_FOREGROUNDS && !seen_foregrounds.contains(covers) {
            seen_foregrounds.insert(covers.clone());
            foregrounds.push((i, covers.clone()));
        }
        if r.piece.mostly_right() {
            keep(Layer::Value(i), r.piece, &mut pieces);
        }
        if seen_wrong.insert(r.wrong.clone()) {
            bases.push((r.wrong.count(), i, r.wrong));
        }
    }
    for (layer, piece) in meets(&foregrounds, &outputs, n_cells) {
        keep(layer, piece, &mut pieces);
    }
    bases.sort_by_key(|(wrong, i, _)| (*wrong, *i));
    let mut stacks: Vec<Stack> = Vec::new();
    for (_, base, wrong) in bases.into_iter().take(MAX_BASES_TRIED) {
        if late() || stacks.len() == MAX_BASES {
            break;
        }
        if let Some(laid) = cover(wrong, &pieces, n_cells) {
            stacks.push(Stack { base, pieces: laid });
        }
    }
    // Stable: among stacks of as many pieces, the order of their bases stays.
    stacks.sort_by_key(|s| s.pieces.len());
    stacks
}

/// The pieces that paint one colour of the outputs where two `foregrounds` (candidate
/// indices and their cells) both have foreground, up to [`MAX_MEETS`] per colour among
/// the pairs of its [`MEET_CANDIDATES`]: those mostly right, the most right cells net
/// of twice the wrong ones first, one per set of cells.
fn meets(foregrounds: &[(usize, Cells)], outputs: &[&Grid], n_cells: usize) -> Vec<(Layer, Piece)> {
    let mut found = Vec::new();
    for colour in 1..=9 {
        let painted = painted(outputs, colour, n_cells);
        if painted.count() == 0 {
            continue;
        }
        let mut ranked: Vec<(Reverse<u32>, u32, usize, &Cells)> = foregrounds
            .iter()
            .map(|(i, fg)| (Reverse(fg.overlap(&painted)), fg.count(), *i, fg))
            .filter(|&(Reverse(inside), _, _, fg)| inside > 0 && !fg.within(&painted))
            .collect();
        ranked.sort_unstable_by_key(|&(inside, size, i, _)| (inside, size, i));
        ranked.truncate(MEET_CANDIDATES);
        let mut scored = Vec::new();
        for (x, &(_, _, a, fa)) in ranked.iter().enumerate() {
            for &(_, _, b, fb) in &ranked[x + 1..] {
                let covers = fa.and(fb);
                let mut wrong = covers.clone();
                wrong.remove(&painted);
                let piece = Piece { covers, wrong };
                if piece.mostly_right() {
                    let right = piece.covers.count() - piece.wrong.count();
                    let score = i64::from(right) - 2 * i64::from(piece.wrong.count());
                    let (a, b) = (a.min(b), a.max(b));
                    scored.push((score, Layer::Meet { a, b, colour }, piece));
                }
            }
        }
        scored.sort_by_key(|(score, _, _)| Reverse(*score));
        let mut seen = std::collections::HashSet::new();
        let kept = scored
            .into_iter()
            .filter(|(_, _, piece)| seen.insert(piece.covers.clone()))
            .take(MAX_MEETS);
        found.extend(kept.map(|(_, layer, piece)| (layer, piece)));
    }
    found
}

/// Pieces (the first laid last, on top) whose covers together hold `wrong`, chosen
/// greedily from the top: each is right on the cells it covers that the ones above it do
/// not (the earlier piece among equals). `None` past [`MAX_PIECES`].
fn cover(mut wrong: Cells, pieces: &[(Layer, Piece)], n_cells: usize) -> Option<Vec<Layer>> {
    let mut above = Cells::new(n_cells);
    let mut laid = Vec::new();
    while wrong.count() > 0 {
        if laid.len() == MAX_PIECES {
            return None;
        }
        let (layer, piece) = pieces
            .iter()
            .enumerate()
            .filter(|(_, (_, p))| p.wrong.within(&above))
            .map(|(i, (layer, p))| (wrong.overlap(&p.covers), i, layer, p))
            .filter(|(n, _, _, _)| *n > 0)
            .max_by_key(|(n, i, _, _)| (*n, Reverse(*i)))
            .map(|(_, _, layer, p)| (layer, p))?;
        wrong.remove(&piece.covers);
        above.add(&piece.covers);
        laid.push(layer.clone());
    }
    Some(laid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[u8]]) -> Value {
        Value::Grid(Grid::new(rows.len(), rows[0].len(), rows.concat()).unwrap())
    }

    #[test]
    fn the_base_with_the_fewest_pieces_and_pieces_that_are_right_where_they_lie() {
        let output = grid(&[&[1, 2], &[3, 4]]);
        let zeros = vec![grid(&[&[0, 0], &[0, 0]])];
        let left = vec![grid(&[&[1, 0], &[3, 0]])];
        let right = vec![grid(&[&[0, 2], &[0, 0]])];
        let corner = vec![grid(&[&[0, 0], &[0, 4]])];
        let wrong_piece = vec![grid(&[&[0, 5], &[0, 4]])];
        let wrong_shape = vec![grid(&[&[1, 2, 3]])];
        let candidates: Vec<&[Value]> =
            vec![&wrong_shape, &zeros, &wrong_piece, &corner, &right, &left];
        let s = stack(&candidates, std::slice::from_ref(&output), None).remove(0);
        // `left` is wrong on two cells and `right` or `corner` covers each (the earlier
        // candidate first); `zeros` would need three pieces, and `wrong_piece` paints a 5
        // where the output has a 2, so it is never a piece.
        assert_eq!(
            s,
            Stack {
                base: 5,
                pieces: vec![Layer::Value(3), Layer::Value(4)]
            }
        );
    }

    #[test]
    fn two_values_meet_where_neither_is_a_piece() {
        // The 2 lies where a row and a column cross: neither is right on most of its
        // foreground (it is 5s), but where both have foreground, painted 2, is right.
        let output = grid(&[&[2, 0], &[0, 0]]);
        let zeros = vec![grid(&[&[0, 0], &[0, 0]])];
        let row = vec![grid(&[&[5, 5], &[0, 0]])];
        let column = vec![grid(&[&[5, 0], &[5, 0]])];
        let candidates: Vec<&[Value]> = vec![&zeros, &row, &column];
        let stacks = stack(&candidates, std::slice::from_ref(&output), None);
        let meet = Layer::Meet {
            a: 1,
            b: 2,
            colour: 2,
        };
        assert_eq!(
            stacks,
            vec![Stack {
                base: 0,
                pieces: vec![meet]
            }]
        );
    }

    #[test]
    fn every_covered_base_gives_a_stack_the_fewest_pieces_first() {
        let output = grid(&[&[1, 2], &[3, 4]]);
        let zeros = vec![grid(&[&[0, 0], &[0, 0]])];
        let top = vec![grid(&[&[1, 2], &[0, 0]])];
        let bottom = vec![grid(&[&[0, 0], &[3, 4]])];
        let candidates: Vec<&[Value]> = vec![&zeros, &top, &bottom];
        let stacks = stack(&candidates, std::slice::from_ref(&output), None);
        // `top` and `bottom` each need the other; `zeros` needs both.
        let expected = |base, pieces: &[usize]| Stack {
            base,
            pieces: pieces.iter().map(|&i| Layer::Value(i)).collect(),
        };
        assert_eq!(
            stacks,
            vec![expected(1, &[2]), expected(2, &[1]), expected(0, &[1, 2])]
        );
    }

    #[test]
    fn no_stack_when_a_cell_is_wrong_everywhere() {
        let output = grid(&[&[1, 2]]);
        let a = vec![grid(&[&[1, 0]])];
        let candidates: Vec<&[Value]> = vec![&a];
        assert_eq!(stack(&candidates, &[output], None), vec![]);
    }

    #[test]
    fn bases_wrong_on_the_same_cells_take_one_place() {
        // 64 bases are wrong on the last two cells, which no piece covers; the base that
        // works is wrong on three cells (so it comes after all of them), which one piece
        // covers.
        let output = grid(&[&[1, 2, 3], &[4, 5, 6]]);
        let colours = [0, 1, 2, 3, 4, 7, 8, 9];
        let crowd: Vec<Vec<Value>> = colours
            .iter()
            .flat_map(|&a| {
                colours
                    .iter()
                    .map(move |&b| vec![grid(&[&[1, 2, 3], &[4, a, b]])])
            })
            .collect();
        assert!(crowd.len() > MAX_BASES);
        let base = vec![grid(&[&[9, 9, 9], &[4, 5, 6]])];
        let piece = vec![grid(&[&[1, 2, 3], &[0, 0, 0]])];
        let mut candidates: Vec<&[Value]> = crowd.iter().map(Vec::as_slice).collect();
        candidates.extend([base.as_slice(), piece.as_slice()]);
        let s = stack(&candidates, std::slice::from_ref(&output), None).remove(0);
        // (The first of the crowd covers the same three cells as `piece`, and comes first.)
        assert_eq!(
            s,
            Stack {
                base: crowd.len(),
                pieces: vec![Layer::Value(0)]
            }
        );
    }

    #[test]
    fn a_piece_may_be_wrong_where_a_piece_above_it_covers() {
        // The output puts 5 over 9 over 6: the 9s are wrong only under the 5, so they lie
        // under it, on the 6s (wrong only under both), which make the base with the fewest
        // pieces.
        let output = grid(&[&[5, 9, 6, 0]]);
        let base = vec![grid(&[&[0, 0, 0, 0]])];
        let sixes = vec![grid(&[&[6, 6, 6, 0]])];
        let nines = vec![grid(&[&[9, 9, 0, 0]])];
        let five = vec![grid(&[&[5, 0, 0, 0]])];
        let candidates: Vec<&[Value]> = vec![&base, &sixes, &nines, &five];
        let s = stack(&candidates, std::slice::from_ref(&output), None).remove(0);
        assert_eq!(
            s,
            Stack {
                base: 1,
                pieces: vec![Layer::Value(3), Layer::Value(2)]
            }
        );
    }
}
