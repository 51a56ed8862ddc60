//! The ARC domain: grid primitives with their inverses and conditional inverses, in the
//! spirit of arc-dsl and icecuber's transformations (general, never written for one task).
//!
//! - `geometry`: flips, rotations, transposes (each inverts another).
//! - `scale`: inflate by 2 or 3 or by the number of colours (inverse: deflate), tile 2x2
//!   or 3x3 (inverse: the repeated tile), the Kronecker square (inverse: the copy), the
//!   edges extended one cell outward (inverse: the inside).
//! - `stack`: horizontal and vertical stacking, with conditional inverses that take the
//!   output and one part and return the other.
//! - `parts`: halves, the crop to the non-background bounding box or to a frame's inside,
//!   repeated rows or columns removed, background rows and columns removed, the block a
//!   grid repeats, the foreground as one row (no inverse).
//! - `colour`: a colour map, recolour one colour, paint the foreground, fill the
//!   background, keep one colour; their conditional inverses infer the colours (or the map)
//!   from the output. Two colours swapped, the commonest colour made background, every cell
//!   the commonest colour.
//! - `gravity`: foreground cells fall in one of four directions (no inverse); objects
//!   move towards the cells of one colour until they touch (the colour inferred).
//! - `smear`: foreground colours run over the background in one of four directions, or
//!   along the diagonals.
//! - `symmetry`: background cells completed from their mirror image, in the grid or in
//!   the foreground's box (no inverse).
//! - `objects`: 8-connected objects (of any colours, or of one) as lists of grids; sorting,
//!   picking (largest, smallest, the most colours, the odd one out by colour, shape or
//!   symmetry), dropping singletons, merging back; recolouring each object by a table
//!   keyed by its size, size rank, shape or holes (inferred from the output).
//! - `classify`: one-cell answers, the grid's class (the mirrors it equals, its
//!   foreground's pattern) mapped to a colour by a table read off the outputs.
//! - `cells`: the grid cut into cells by separator lines, or into equal squares; each cell
//!   shrunk to one cell of its colour, or painted whole in a small grid's colour at its
//!   place (the small grid read off the output, given the layout).
//! - `pattern`: a periodic pattern completed under a mask colour (inferred).
//! - `logic`: cell-wise and/or/xor/nor of two grids in an inferred colour.
//! - `regions`: enclosed background filled with an inferred colour; each region of
//!   background painted by a table keyed by its size, or by being the largest or smallest.
//! - `fitting`: loose objects moved into the holes of their shape (a jigsaw); the rest of
//!   the foreground scaled up to fill the largest frame; objects assembled on their cells
//!   of one colour (the colour inferred).
//! - `copies`: each partial copy of the many-coloured template completed from it, turned,
//!   mirrored or scaled up where that covers the fragment best.
//! - `noise`: cells that no 2x2 block of their colour covers removed (an opening).
//! - `draw`: lines between same-coloured cells, filled object boxes, halos, interiors, the
//!   grid's border, rows and columns of background, each painted an inferred colour; lines
//!   (straight or diagonal) in their ends' colour, each colour's bounding box filled with
//!   it.
//! - `shift`: the grid moved one cell in one of four directions.
//! - `local`: each cell's new colour from its 3x3 neighbourhood, by a table read off the
//!   output (a learned cellular automaton step); or a background cell's from the colour
//!   of one neighbour beside it or at its corner.
//! - `occlusion`: a symmetric picture restored under a patch of one colour (the grid, or
//!   only the patch).
//! - `rewrite`: each object of a pattern read off the output replaced by its patch (its
//!   box and one cell around it), colours by role so that the rule holds in any colour;
//!   each pattern must be seen in two examples.

mod arrange;
mod cells;
mod classify;
mod colour;
mod copies;
mod draw;
mod fitting;
mod geometry;
mod gravity;
mod literals;
mod local;
mod logic;
mod memo;
mod noise;
mod objects;
mod occlusion;
mod parts;
mod pattern;
mod pieces;
mod regions;
mod rewrite;
pub(crate) mod sample;
mod scale;
mod shift;
mod smear;
mod stack;
mod symmetry;

use crate::domains::{Composition, Domain, DomainKind, GuideHooks, ValueEncoding};
use crate::dsl::{EvalError, Grid, Registry, Type};

/// ARC: grids in, a grid out; colours and tables read off the pairs as literals.
pub fn domain() -> Domain {
    Domain {
        kind: DomainKind::Arc,
        registry: registry(),
        input_type: Type::grid(),
        output_type: Type::grid(),
        linear: false,
        default_target: None,
        distance: None,
        literals: literals::literals(),
        guide: GuideHooks {
            encoding: ValueEncoding::Grid,
            sampler: sample::sample,
            // Two spare actions at every depth.
            max_actions: |depth| depth + 2,
            path_weight: 2.0,
            // Chosen on the first 200 training tasks (BENCHMARKS.md, issue 20).
            prior_weight: Some(1.0),
            reinforce: true,
        },
        forward_literals: Some(literals::task_colours),
        composition: Some(Composition {
            stack: pieces::stack,
            lay: "overlay",
            meet: "both",
            arrange: arrange::arrangements,
            beside: "hstack",
            above: "vstack",
        }),
        notation: None,
    }
}

/// A domain error unless the two grids have one shape.
pub fn same_shape(a: &Grid, b: &Grid) -> Result<(), EvalError> {
    if (a.height(), a.width()) != (b.height(), b.width()) {
        return Err(EvalError::Domain("the grids differ in shape"));
    }
    Ok(())
}

/// The foreground (non-background) cells of `g`, in reading order.
pub fn foreground_cells(g: &Grid) -> Vec<(usize, usize)> {
    (0..g.height())
        .flat_map(|r| (0..g.width()).map(move |c| (r, c)))
        .filter(|&(r, c)| g.get(r, c) != 0)
        .collect()
}

/// The cells of colour `colour`, in reading order.
pub fn cells_of_colour(g: &Grid, colour: u8) -> Vec<(usize, usize)> {
    (0..g.height())
        .flat_map(|r| (0..g.width()).map(move |c| (r, c)))
        .filter(|&(r, c)| g.get(r, c) == colour)
        .collect()
}

/// The bounding box of `cells` as `(top, left, bottom, right)`, inclusive; `None` for no
/// cells.
pub fn bounds(cells: &[(usize, usize)]) -> Option<(usize, usize, usize, usize)> {
    let top = cells.iter().map(|p| p.0).min()?;
    let left = cells.iter().map(|p| p.1).min()?;
    let bottom = cells.iter().map(|p| p.0).max()?;
    let right = cells.iter().map(|p| p.1).max()?;
    Some((top, left, bottom, right))
}

/// The first cell (in reading order) whose colour differs from `g` to `out`, as `(before,
/// after)`; a domain error when the shapes differ or nothing changes.
pub fn first_change(g: &Grid, out: &Grid) -> Result<(u8, u8), EvalError> {
    same_shape(g, out)?;
    g.cells()
        .iter()
        .zip(out.cells())
        .find(|(a, b)| a != b)
        .map(|(&a, &b)| (a, b))
        .ok_or(EvalError::Domain("nothing changes colour"))
}

/// The search cost of the less common whole-grid transformations (gravity, symmetry
/// completion, objects, enclosed regions, the Kronecker square): the best-first search
/// tries the others first. On the training set at 5 s per task this trades the logic
/// operations' and dedupes' tasks for nothing when they cost 2 too, so they cost 1.
pub const RARE_COST: f64 = 2.0;

/// The registry of the ARC domain, in the order that breaks the search's ties. Each
/// primitive's cost is set where it is made.
pub fn registry() -> Registry {
    let mut r = Registry::new();
    let all = geometry::primitives()
        .into_iter()
        .chain(scale::primitives())
        .chain(stack::primitives())
        .chain(parts::primitives())
        .chain(colour::primitives())
        .chain(logic::primitives())
        .chain(objects::primitives())
        .chain(classify::primitives())
        .chain(cells::primitives())
        .chain(smear::primitives())
        .chain(shift::primitives())
        .chain(occlusion::primitives())
        .chain(local::primitives())
        .chain(gravity::primitives())
        .chain(symmetry::primitives())
        .chain(regions::primitives())
        .chain(fitting::primitives())
        .chain(copies::primitives())
        .chain(noise::primitives())
        .chain(draw::primitives())
        .chain(pattern::primitives())
        .chain(rewrite::primitives());
    for p in all {
        r.add(p).expect("ARC primitives have distinct names");
    }
    r
}

/// A grid from literal rows, for tests.
#[cfg(test)]
pub(crate) fn test_grid(rows: &[&[i64]]) -> Grid {
    Grid::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>())
        .expect("a valid test grid")
}
