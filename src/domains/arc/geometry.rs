//! The eight symmetries of the square as grid primitives; each one's inverse is another.

use crate::dsl::{EvalError, Grid, Primitive};
use crate::{inverse, primitive};

/// A symmetry: its name, the name of its inverse, and where cell (r, c) of the output
/// comes from in an `h` x `w` input.
struct Symmetry {
    name: &'static str,
    doc: &'static str,
    inverse: &'static str,
    transposes: bool,
    source: fn(usize, usize, usize, usize) -> (usize, usize),
}

const SYMMETRIES: [Symmetry; 7] = [
    Symmetry {
        name: "hflip",
        doc: "mirror left-right",
        inverse: "hflip",
        transposes: false,
        source: |r, c, _h, w| (r, w - 1 - c),
    },
    Symmetry {
        name: "vflip",
        doc: "mirror top-bottom",
        inverse: "vflip",
        transposes: false,
        source: |r, c, h, _w| (h - 1 - r, c),
    },
    Symmetry {
        name: "rot180",
        doc: "turn half way",
        inverse: "rot180",
        transposes: false,
        source: |r, c, h, w| (h - 1 - r, w - 1 - c),
    },
    Symmetry {
        name: "rot90",
        doc: "turn a quarter clockwise",
        inverse: "rot270",
        transposes: true,
        source: |r, c, h, _w| (h - 1 - c, r),
    },
    Symmetry {
        name: "rot270",
        doc: "turn a quarter anticlockwise",
        inverse: "rot90",
        transposes: true,
        source: |r, c, _h, w| (c, w - 1 - r),
    },
    Symmetry {
        name: "transpose",
        doc: "mirror about the main diagonal",
        inverse: "transpose",
        transposes: true,
        source: |r, c, _h, _w| (c, r),
    },
    Symmetry {
        name: "antitranspose",
        doc: "mirror about the anti-diagonal",
        inverse: "antitranspose",
        transposes: true,
        source: |r, c, h, w| (h - 1 - c, w - 1 - r),
    },
];

fn apply(s: &Symmetry, g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let (oh, ow) = if s.transposes { (w, h) } else { (h, w) };
    Ok(Grid::from_fn(oh, ow, |r, c| {
        let (sr, sc) = (s.source)(r, c, h, w);
        g.get(sr, sc)
    })?)
}

fn by_name(name: &str) -> &'static Symmetry {
    SYMMETRIES
        .iter()
        .find(|s| s.name == name)
        .expect("a known symmetry")
}

/// Applies the symmetry called `name` (`hflip`, `rot90`, ...) to a grid.
pub fn transform(name: &str, g: &Grid) -> Result<Grid, EvalError> {
    apply(by_name(name), g)
}

/// The symmetry primitives, each with its inverse.
pub fn primitives() -> Vec<Primitive> {
    SYMMETRIES
        .iter()
        .map(|s| {
            let inverse = by_name(s.inverse);
            primitive!(s.name, s.doc, |g: &Grid| -> Grid { apply(s, g) })
                .inverse(inverse!(|out: &Grid| -> Grid { apply(inverse, out) }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domains::arc::test_grid as g;

    #[test]
    fn rotations_and_flips_move_cells_where_expected() {
        let x = g(&[&[1, 2, 3], &[4, 5, 6]]);
        assert_eq!(
            transform("rot90", &x).unwrap(),
            g(&[&[4, 1], &[5, 2], &[6, 3]])
        );
        assert_eq!(
            transform("rot270", &x).unwrap(),
            g(&[&[3, 6], &[2, 5], &[1, 4]])
        );
        assert_eq!(
            transform("hflip", &x).unwrap(),
            g(&[&[3, 2, 1], &[6, 5, 4]])
        );
        assert_eq!(
            transform("vflip", &x).unwrap(),
            g(&[&[4, 5, 6], &[1, 2, 3]])
        );
        assert_eq!(
            transform("transpose", &x).unwrap(),
            g(&[&[1, 4], &[2, 5], &[3, 6]])
        );
        assert_eq!(
            transform("antitranspose", &x).unwrap(),
            g(&[&[6, 3], &[5, 2], &[4, 1]])
        );
        assert_eq!(
            transform("rot180", &x).unwrap(),
            g(&[&[6, 5, 4], &[3, 2, 1]])
        );
    }

    #[test]
    fn every_symmetry_is_undone_by_its_inverse() {
        let x = g(&[&[1, 2, 3], &[4, 5, 6]]);
        for s in &SYMMETRIES {
            assert_eq!(
                transform(s.inverse, &transform(s.name, &x).unwrap()).unwrap(),
                x,
                "{}",
                s.name
            );
        }
    }
}
