//! Changing scale: inflating every cell to a k x k block (inverse: deflate, when every
//! block is one colour), tiling a grid k x k (inverse: the tile, when all agree), tiling
//! it 2 x 2 with its mirror images (inverse: the top-left quadrant), and the
//! Kronecker square, a grid of copies of itself where it has foreground (inverse: the copy),
//! and the edges extended, each edge row and column copied one cell outward (inverse: the
//! inside).

use super::colour::foreground_colours;
use crate::dsl::{EvalError, Grid, Primitive};
use crate::{inverse, primitive};

/// Every cell becomes a `k` x `k` block.
pub fn inflate(g: &Grid, k: usize) -> Result<Grid, EvalError> {
    Ok(Grid::from_fn(g.height() * k, g.width() * k, |r, c| {
        g.get(r / k, c / k)
    })?)
}

/// The grid whose inflation by `k` is `g`, if `g` is made of uniform `k` x `k` blocks.
pub fn deflate(g: &Grid, k: usize) -> Result<Grid, EvalError> {
    if g.height() % k != 0 || g.width() % k != 0 {
        return Err(EvalError::Domain(
            "the sides are not a multiple of the factor",
        ));
    }
    let small = Grid::from_fn(g.height() / k, g.width() / k, |r, c| g.get(r * k, c * k))
        .map_err(EvalError::from)?;
    if (0..g.height()).any(|r| (0..g.width()).any(|c| g.get(r, c) != small.get(r / k, c / k))) {
        return Err(EvalError::Domain("not made of uniform blocks"));
    }
    Ok(small)
}

/// The grid repeated `k` x `k`.
pub fn tile(g: &Grid, k: usize) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    Ok(Grid::from_fn(k * h, k * w, |r, c| g.get(r % h, c % w))?)
}

/// The tile of a `k` x `k` tiling, if `g` is one.
fn untile(g: &Grid, k: usize) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    if h % k != 0 || w % k != 0 {
        return Err(EvalError::Domain(
            "a tiling has sides divisible by its factor",
        ));
    }
    let tile = g
        .window(0, 0, h / k, w / k)
        .ok_or(EvalError::Domain("empty tile"))?;
    if (0..h).any(|r| (0..w).any(|c| g.get(r, c) != tile.get(r % (h / k), c % (w / k)))) {
        return Err(EvalError::Domain("the tiles differ"));
    }
    Ok(tile)
}

/// The grid and its mirror images as the four quadrants of a grid twice its size: the
/// grid top left, mirrored left-right top right, top-bottom bottom left, both bottom right.
pub fn mirror_tile(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let fold = |i: usize, n: usize| if i < n { i } else { 2 * n - 1 - i };
    Ok(Grid::from_fn(2 * h, 2 * w, |r, c| {
        g.get(fold(r, h), fold(c, w))
    })?)
}

/// The top-left quadrant of `g`, if `g` is its mirror tiling.
fn unmirror_tile(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    if h % 2 != 0 || w % 2 != 0 {
        return Err(EvalError::Domain("a mirror tiling has even sides"));
    }
    let quadrant = g
        .window(0, 0, h / 2, w / 2)
        .ok_or(EvalError::Domain("empty quadrant"))?;
    if mirror_tile(&quadrant)? != *g {
        return Err(EvalError::Domain("the quadrants are not mirror images"));
    }
    Ok(quadrant)
}

/// The grid's Kronecker product with itself: each foreground cell becomes a copy of the
/// grid, each background cell a background block.
fn kronecker(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    Ok(Grid::from_fn(h * h, w * w, |r, c| {
        if g.get(r / h, c / w) == 0 {
            0
        } else {
            g.get(r % h, c % w)
        }
    })?)
}

/// The grid whose Kronecker square is `g`: a block that is not all background.
fn unkronecker(g: &Grid) -> Result<Grid, EvalError> {
    let side = |n: usize| (1..=n).find(|s| s * s == n);
    let (Some(h), Some(w)) = (side(g.height()), side(g.width())) else {
        return Err(EvalError::Domain("sides are not squares"));
    };
    let block = |br: usize, bc: usize| g.window(br * h, bc * w, h, w);
    let small = (0..h * w)
        .filter_map(|k| block(k / w, k % w))
        .find(|b| b.cells().iter().any(|&c| c != 0))
        .ok_or(EvalError::Domain("every block is background"))?;
    match kronecker(&small)? {
        back if back == *g => Ok(small),
        _ => Err(EvalError::Domain("not a Kronecker square")),
    }
}

/// Every cell becomes a k x k block, k the number of foreground colours (which inflating
/// keeps, so the inverse knows k from the output).
fn inflate_by_colours(g: &Grid) -> Result<Grid, EvalError> {
    match foreground_colours(g).len() {
        0 => Err(EvalError::Domain("no foreground colour")),
        k => inflate(g, k),
    }
}

/// The grid shrunk by the largest factor at which it is made of uniform blocks (at
/// least 2): every block one cell.
fn shrink(g: &Grid) -> Result<Grid, EvalError> {
    (2..=g.height().min(g.width()))
        .rev()
        .find_map(|k| deflate(g, k).ok())
        .ok_or(EvalError::Domain("not made of uniform blocks"))
}

/// `g` one cell larger on every side, each edge row and column copied outward and the four
/// new corners background.
pub fn extend_edges(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    Ok(Grid::from_fn(h + 2, w + 2, |r, c| {
        let corner = (r == 0 || r == h + 1) && (c == 0 || c == w + 1);
        if corner {
            0
        } else {
            g.get(r.clamp(1, h) - 1, c.clamp(1, w) - 1)
        }
    })?)
}

/// The grid whose [`extend_edges`] is `g`: its inside, if its border repeats it.
pub fn inside_of_extended(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    if h < 3 || w < 3 {
        return Err(EvalError::Domain("too small to have an inside"));
    }
    let inside = Grid::from_fn(h - 2, w - 2, |r, c| g.get(r + 1, c + 1))?;
    if extend_edges(&inside)? != *g {
        return Err(EvalError::Domain("the border does not repeat the edges"));
    }
    Ok(inside)
}

/// `inflate2`, `inflate3`, `tile2x2`, `tile3x3`, `mirror_tile`, `kronecker` and
/// `extend_edges`, each with its inverse;
/// `inflate_by_colours` (with its inverse) and `shrink` at [`RARE_COST`](super::RARE_COST).
pub fn primitives() -> Vec<Primitive> {
    let mut out: Vec<Primitive> = [2, 3]
        .into_iter()
        .map(|k| {
            let doc = format!("every cell a {k}x{k} block");
            primitive!(&format!("inflate{k}"), &doc, |g: &Grid| -> Grid {
                inflate(g, k)
            })
            .inverse(inverse!(|o: &Grid| -> Grid { deflate(o, k) }))
        })
        .collect();
    for k in [2, 3] {
        let doc = format!("the grid repeated {k}x{k}");
        out.push(
            primitive!(&format!("tile{k}x{k}"), &doc, |g: &Grid| -> Grid {
                tile(g, k)
            })
            .inverse(inverse!(|o: &Grid| -> Grid { untile(o, k) })),
        );
    }
    out.push(
        primitive!(
            "mirror_tile",
            "the grid and its mirror images as four quadrants",
            |g: &Grid| -> Grid { mirror_tile(g) }
        )
        .inverse(inverse!(|o: &Grid| -> Grid { unmirror_tile(o) })),
    );
    out.push(
        primitive!(
            "inflate_by_colours",
            "every cell a kxk block, k the number of foreground colours",
            |g: &Grid| -> Grid { inflate_by_colours(g) }
        )
        .inverse(inverse!(|o: &Grid| -> Grid {
            match foreground_colours(o).len() {
                0 => Err(EvalError::Domain("no foreground colour")),
                k => deflate(o, k),
            }
        }))
        .with_cost(super::RARE_COST),
    );
    out.push(
        primitive!(
            "shrink",
            "every uniform kxk block one cell, k the largest factor that makes them",
            |g: &Grid| -> Grid { shrink(g) }
        )
        .with_cost(super::RARE_COST),
    );
    out.push(
        primitive!(
            "kronecker",
            "a copy of the grid in each foreground cell (the Kronecker square)",
            |g: &Grid| -> Grid { kronecker(g) }
        )
        .inverse(inverse!(|o: &Grid| -> Grid { unkronecker(o) }))
        .with_cost(super::RARE_COST),
    );
    out.push(
        primitive!(
            "extend_edges",
            "each edge row and column copied one cell outward, the corners background",
            |g: &Grid| -> Grid { extend_edges(g) }
        )
        .inverse(inverse!(|o: &Grid| -> Grid { inside_of_extended(o) }))
        .with_cost(super::RARE_COST),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_edges_repeat_the_border_and_invert() {
        let g = Grid::from_rows(&[vec![1, 2], vec![3, 8]]).unwrap();
        let out = Grid::from_rows(&[
            vec![0, 1, 2, 0],
            vec![1, 1, 2, 2],
            vec![3, 3, 8, 8],
            vec![0, 3, 8, 0],
        ])
        .unwrap();
        assert_eq!(extend_edges(&g).unwrap(), out);
        assert_eq!(inside_of_extended(&out).unwrap(), g);
        assert!(inside_of_extended(&inflate(&g, 2).unwrap()).is_err());
    }

    #[test]
    fn a_mirror_tiling_reflects_the_grid_into_four_quadrants_and_inverts() {
        let g = Grid::from_rows(&[vec![1, 2, 0], vec![3, 0, 0]]).unwrap();
        let out = Grid::from_rows(&[
            vec![1, 2, 0, 0, 2, 1],
            vec![3, 0, 0, 0, 0, 3],
            vec![3, 0, 0, 0, 0, 3],
            vec![1, 2, 0, 0, 2, 1],
        ])
        .unwrap();
        assert_eq!(mirror_tile(&g).unwrap(), out);
        assert_eq!(unmirror_tile(&out).unwrap(), g);
        assert!(unmirror_tile(&tile(&g, 2).unwrap()).is_err());
        assert!(unmirror_tile(&g).is_err(), "odd height");
    }

    #[test]
    fn inflate_and_deflate_invert_each_other() {
        let g = Grid::from_rows(&[vec![1, 2], vec![3, 4]]).unwrap();
        let big = inflate(&g, 3).unwrap();
        assert_eq!(
            (big.height(), big.width(), big.get(5, 2), big.get(5, 3)),
            (6, 6, 3, 4)
        );
        assert_eq!(deflate(&big, 3).unwrap(), g.clone());
        assert!(deflate(&big, 2).is_err(), "blocks of 2 are not uniform");
        let two = Grid::from_rows(&[vec![1, 0, 2]]).unwrap();
        let by = inflate_by_colours(&two).unwrap();
        assert_eq!((by.height(), by.width(), by.get(1, 5)), (2, 6, 2));
        assert!(inflate_by_colours(&Grid::new(1, 1, vec![0]).unwrap()).is_err());
        assert!(
            inflate(&Grid::new(11, 11, vec![0; 121]).unwrap(), 3).is_err(),
            "33x33 is too large"
        );
    }

    #[test]
    fn tiling_repeats_and_untiling_checks_every_quadrant() {
        let g = Grid::from_rows(&[vec![1, 2, 3]]).unwrap();
        let t = tile(&g, 2).unwrap();
        assert_eq!(
            t.rows(),
            vec![vec![1, 2, 3, 1, 2, 3], vec![1, 2, 3, 1, 2, 3]]
        );
        assert_eq!(untile(&t, 2).unwrap(), g);
        let odd = Grid::from_rows(&[vec![1, 2], vec![2, 2]]).unwrap();
        assert!(untile(&odd, 2).is_err());
    }

    #[test]
    fn the_kronecker_square_copies_the_grid_into_its_foreground() {
        let g = Grid::from_rows(&[vec![0, 7], vec![7, 7]]).unwrap();
        let k = kronecker(&g).unwrap();
        assert_eq!(
            k.rows(),
            vec![
                vec![0, 0, 0, 7],
                vec![0, 0, 7, 7],
                vec![0, 7, 0, 7],
                vec![7, 7, 7, 7]
            ]
        );
        assert_eq!(unkronecker(&k).unwrap(), g);
        assert!(unkronecker(&Grid::from_rows(&[vec![1, 2, 3]]).unwrap()).is_err());
    }
}
