//! Copies of a template: `complete_copies` completes each partial copy of a
//! many-coloured shape. "Every lone marker grows into the full figure", "each half-drawn
//! shape is finished like the whole one": a person names the rule by the template.
//!
//! The templates are the objects (8-connected cells of any colours) with the most colours,
//! two or more; every other foreground cell belongs to a fragment. Each fragment cell not
//! yet covered takes the placement of a template, turned or mirrored if need be, that lays
//! one of its cells of the same colour there and agrees with every foreground cell it
//! lands on (fragment cells only, never a template's). A template may also be scaled up,
//! each cell a 2x2 or 3x3 block that covers fragment cells whole or not at all, and may
//! reach past the grid's edge. Of those placements, the one that covers the most fragment
//! cells wins, then the one with the fewest cells off the grid, then unscaled before
//! scaled and unturned before turned; its cells are painted. The function has no
//! inverse: the output does not say which cells were given.

use std::cmp::Reverse;

use super::geometry::transform;
use super::objects::{components, isolate, Grouping};
use super::parts::crop;
use super::{foreground_cells, RARE_COST};
use crate::dsl::{EvalError, Grid, Primitive, ShapeRule};
use crate::primitive;

/// The largest factor a template is scaled up by (each cell a kxk block).
const MAX_SCALE: usize = 3;

/// The geometry primitives a template is also tried in.
const SYMMETRIES: [&str; 7] = [
    "hflip",
    "vflip",
    "rot180",
    "transpose",
    "antitranspose",
    "rot90",
    "rot270",
];

/// The most objects that may be templates (more is a scene, not a legend).
const MAX_TEMPLATES: usize = 4;

/// The most cells a template may have.
const MAX_TEMPLATE_CELLS: usize = 32;

/// The most fragment cells completed (a bound on the work, which grows with them).
const MAX_FRAGMENT_CELLS: usize = 128;

/// A template's cells, relative to its box's top-left corner, with their colours.
type Cells = Vec<(usize, usize, u8)>;

/// A template, turned or mirrored, to be drawn with each cell a `scale`x`scale` block.
struct Patch {
    cells: Cells,
    scale: usize,
}

/// A patch at a place: the grid cell its (0, 0) lands on, which may be off the grid.
struct Placement<'p> {
    patch: &'p Patch,
    top: isize,
    left: isize,
}

impl Placement<'_> {
    /// Each block of the patch: its colour and the indices of its cells in `g`, `None`
    /// for a cell off the grid.
    fn blocks<'a>(
        &'a self,
        g: &'a Grid,
    ) -> impl Iterator<Item = (u8, impl Iterator<Item = Option<usize>> + 'a)> + 'a {
        let k = self.patch.scale;
        let (h, w) = (g.height() as isize, g.width() as isize);
        self.patch.cells.iter().map(move |&(r, c, colour)| {
            let cells = (0..k * k).map(move |i| {
                let r = self.top + (r * k + i / k) as isize;
                let c = self.left + (c * k + i % k) as isize;
                let inside = (0..h).contains(&r) && (0..w).contains(&c);
                inside.then(|| (r * w + c) as usize)
            });
            (colour, cells)
        })
    }
}

/// `g` with every partial copy of a template completed (see the module's doc); an error
/// when no object has two colours or more than any other, or nothing is completed.
pub fn complete_copies(g: &Grid) -> Result<Grid, EvalError> {
    let (patches, is_fragment) = templates_and_fragments(g)?;
    let mut out = g.cells().to_vec();
    let mut covered = vec![false; out.len()];
    let mut completed = false;
    for k in 0..out.len() {
        if !is_fragment[k] || covered[k] {
            continue;
        }
        let Some(placement) = best_placement(g, &is_fragment, &patches, k) else {
            continue;
        };
        for (colour, cells) in placement.blocks(g) {
            for at in cells.flatten() {
                completed |= out[at] == 0;
                out[at] = colour;
                covered[at] = true;
            }
        }
    }
    if !completed {
        return Err(EvalError::Domain("no fragment to complete"));
    }
    Ok(Grid::new(g.height(), g.width(), out)?)
}

/// The templates of `g` (its objects with the most colours, two or more) in every turn,
/// mirror and scale, and which cells belong to a fragment (any other object).
fn templates_and_fragments(g: &Grid) -> Result<(Vec<Patch>, Vec<bool>), EvalError> {
    let objects = components(g, Grouping::AnyColour);
    let colours = |cells: &[(usize, usize)]| {
        let mut seen = [false; 10];
        cells
            .iter()
            .for_each(|&(r, c)| seen[usize::from(g.get(r, c))] = true);
        seen.iter().filter(|&&s| s).count()
    };
    let counts: Vec<usize> = objects.iter().map(|o| colours(o)).collect();
    let most = counts.iter().copied().max().unwrap_or(0);
    if most < 2 {
        return Err(EvalError::Domain("no object has two colours"));
    }
    let is_template = |i: &usize| counts[*i] == most;
    let templates = (0..objects.len()).filter(is_template).map(|i| &objects[i]);
    let fragment_cells = g.cells().iter().filter(|&&c| c != 0).count()
        - templates.clone().map(Vec::len).sum::<usize>();
    if fragment_cells == 0
        || fragment_cells > MAX_FRAGMENT_CELLS
        || templates.clone().count() > MAX_TEMPLATES
        || templates.clone().any(|t| t.len() > MAX_TEMPLATE_CELLS)
    {
        return Err(EvalError::Domain("no fragments, or too many to complete"));
    }
    let mut is_fragment = vec![false; g.cells().len()];
    let mut turned = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        if is_template(&i) {
            turned.extend(orientations(crop(&isolate(g, object))?)?);
        } else {
            object
                .iter()
                .for_each(|&(r, c)| is_fragment[r * g.width() + c] = true);
        }
    }
    let patches = (1..=MAX_SCALE)
        .flat_map(|scale| {
            let each = turned.iter().cloned();
            each.map(move |cells| Patch { cells, scale })
        })
        .collect();
    Ok((patches, is_fragment))
}

/// The placement that lays a block of `g`'s colour over cell `k` and covers the most
/// fragment cells, then leaves the fewest cells off the grid, the first among equals;
/// `None` when none agrees.
fn best_placement<'p>(
    g: &Grid,
    is_fragment: &[bool],
    patches: &'p [Patch],
    k: usize,
) -> Option<Placement<'p>> {
    let (r, c, colour) = (k / g.width(), k % g.width(), g.cells()[k]);
    let mut best: Option<((usize, Reverse<usize>), Placement)> = None;
    for patch in patches {
        let s = patch.scale;
        let anchors = patch.cells.iter().filter(|p| p.2 == colour);
        for (i, &(pr, pc, _)) in anchors.flat_map(|p| (0..s * s).map(move |i| (i, p))) {
            let (block_top, block_left) =
                (r as isize - (i / s) as isize, c as isize - (i % s) as isize);
            if s > 1 && !fragment_block(g, is_fragment, (block_top, block_left), s, colour) {
                continue;
            }
            let top = block_top - (pr * s) as isize;
            let left = block_left - (pc * s) as isize;
            let placement = Placement { patch, top, left };
            let Some(rank) = agreement(g, is_fragment, &placement) else {
                continue;
            };
            if best.as_ref().is_none_or(|(b, _)| rank > *b) {
                best = Some((rank, placement));
            }
        }
    }
    best.map(|(_, placement)| placement)
}

/// Whether the `s`x`s` block of `g` at `(top, left)` lies on the grid and is all
/// fragment cells of `colour` (a scaled template covers blocks whole).
fn fragment_block(
    g: &Grid,
    is_fragment: &[bool],
    (top, left): (isize, isize),
    s: usize,
    colour: u8,
) -> bool {
    let (Ok(top), Ok(left)) = (usize::try_from(top), usize::try_from(left)) else {
        return false;
    };
    if top + s > g.height() || left + s > g.width() {
        return false;
    }
    (0..s * s).all(|i| {
        let at = (top + i / s) * g.width() + left + i % s;
        g.cells()[at] == colour && is_fragment[at]
    })
}

/// How many fragment cells `placement` covers and how many of its cells are off the
/// grid; `None` when it lands on a template's cell, differs from a foreground cell it
/// lands on, or covers a block in part.
fn agreement(
    g: &Grid,
    is_fragment: &[bool],
    placement: &Placement,
) -> Option<(usize, Reverse<usize>)> {
    let (mut score, mut off) = (0, 0);
    let whole = placement.patch.scale * placement.patch.scale;
    for (colour, cells) in placement.blocks(g) {
        let mut on = 0;
        for at in cells {
            let Some(at) = at else {
                off += 1;
                continue;
            };
            match g.cells()[at] {
                0 => {}
                cell if cell == colour && is_fragment[at] => on += 1,
                _ => return None,
            }
        }
        if on != 0 && on != whole && whole > 1 {
            return None;
        }
        score += on;
    }
    Some((score, Reverse(off)))
}

/// The template's eight turns and mirrors (the geometry primitives), itself first, each
/// distinct once, as their foreground cells in reading order.
fn orientations(template: Grid) -> Result<Vec<Cells>, EvalError> {
    let mut all = vec![template.clone()];
    for symmetry in SYMMETRIES {
        let turned = transform(symmetry, &template)?;
        if !all.contains(&turned) {
            all.push(turned);
        }
    }
    let cells = |t: &Grid| {
        let foreground = foreground_cells(t).into_iter();
        foreground.map(|(r, c)| (r, c, t.get(r, c))).collect()
    };
    Ok(all.iter().map(cells).collect())
}

/// `complete_copies`, at [`RARE_COST`].
pub fn primitives() -> Vec<Primitive> {
    vec![primitive!(
        "complete_copies",
        "each partial copy of the many-coloured shape completed, turned or scaled if need be",
        |g: &Grid| -> Grid { complete_copies(g) }
    )
    .with_shapes(ShapeRule::Same)
    .with_cost(RARE_COST)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn a_lone_marker_grows_into_the_template_around_it() {
        let x = g(&[
            &[0, 8, 0, 0, 0, 0, 0],
            &[8, 6, 8, 0, 0, 6, 0],
            &[0, 8, 0, 0, 0, 0, 0],
        ]);
        let done = g(&[
            &[0, 8, 0, 0, 0, 8, 0],
            &[8, 6, 8, 0, 8, 6, 8],
            &[0, 8, 0, 0, 0, 8, 0],
        ]);
        assert_eq!(complete_copies(&x).unwrap(), done);
    }

    #[test]
    fn a_turned_fragment_takes_the_turned_template_that_covers_most() {
        // The template 1 2 2 over 0 0 3; the fragment is it turned a quarter.
        let x = g(&[
            &[1, 2, 2, 0, 0],
            &[0, 0, 3, 0, 0],
            &[0, 0, 0, 0, 1],
            &[0, 0, 0, 0, 2],
            &[0, 0, 0, 0, 0],
        ]);
        let done = g(&[
            &[1, 2, 2, 0, 0],
            &[0, 0, 3, 0, 0],
            &[0, 0, 0, 0, 1],
            &[0, 0, 0, 0, 2],
            &[0, 0, 0, 3, 2],
        ]);
        assert_eq!(complete_copies(&x).unwrap(), done);
    }

    #[test]
    fn a_fragment_of_blocks_takes_the_template_scaled_up() {
        let x = g(&[
            &[2, 1, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0],
            &[0, 0, 2, 2, 0, 0],
            &[0, 0, 2, 2, 0, 0],
        ]);
        let done = g(&[
            &[2, 1, 0, 0, 0, 0],
            &[0, 0, 0, 0, 0, 0],
            &[0, 0, 2, 2, 1, 1],
            &[0, 0, 2, 2, 1, 1],
        ]);
        assert_eq!(complete_copies(&x).unwrap(), done);
    }

    #[test]
    fn one_coloured_objects_or_nothing_to_complete_is_an_error() {
        assert!(complete_copies(&g(&[&[1, 0, 2]])).is_err());
        assert!(complete_copies(&g(&[&[1, 2, 0, 0]])).is_err());
    }
}
