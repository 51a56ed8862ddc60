//! Taking part of a grid: the four halves, the crop to the bounding box of the cells that
//! are not background (colour 0), the grid without its outer ring of cells, the grid
//! without repeated rows or columns, the smallest block a grid repeats, the foreground
//! cells as one row, the colours of a grid's bands in order, and the inside of a frame.
//! None of these has an inverse.

use super::geometry::transform;
use super::objects::{components, Grouping};
use super::{bounds, foreground_cells};
use crate::dsl::{EvalError, Grid, Primitive};
use crate::primitive;

fn window(g: &Grid, top: usize, left: usize, h: usize, w: usize) -> Result<Grid, EvalError> {
    g.window(top, left, h, w)
        .ok_or(EvalError::Domain("empty part"))
}

/// The bounding box of the non-background cells.
pub fn crop(g: &Grid) -> Result<Grid, EvalError> {
    let (top, left, bottom, right) = bounds(&foreground_cells(g))
        .ok_or(EvalError::Domain("crop: the grid is all background"))?;
    Ok(Grid::from_fn(
        bottom - top + 1,
        right - left + 1,
        |r, c| g.get(top + r, left + c),
    )?)
}

/// `g` without its outer ring of cells (its first and last rows and columns).
pub fn trim(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    window(g, 1, 1, h.saturating_sub(2), w.saturating_sub(2))
}

/// `g` without its all-background rows and columns.
pub fn compress(g: &Grid) -> Result<Grid, EvalError> {
    let rows: Vec<usize> = (0..g.height())
        .filter(|&r| (0..g.width()).any(|c| g.get(r, c) != 0))
        .collect();
    let cols: Vec<usize> = (0..g.width())
        .filter(|&c| (0..g.height()).any(|r| g.get(r, c) != 0))
        .collect();
    if rows.is_empty() {
        return Err(EvalError::Domain("compress: the grid is all background"));
    }
    Ok(Grid::from_fn(rows.len(), cols.len(), |r, c| {
        g.get(rows[r], cols[c])
    })?)
}

/// `g` without rows (or, `columns`, columns) equal to the one before them.
fn dedupe(g: &Grid, columns: bool) -> Result<Grid, EvalError> {
    let t = if columns {
        transform("transpose", g)?
    } else {
        g.clone()
    };
    let rows = t.rows();
    let mut kept: Vec<Vec<i64>> = Vec::new();
    for row in rows {
        let row: Vec<i64> = row.into_iter().map(i64::from).collect();
        if kept.last() != Some(&row) {
            kept.push(row);
        }
    }
    let out = Grid::from_rows(&kept).map_err(EvalError::from)?;
    Ok(if columns {
        transform("transpose", &out)?
    } else {
        out
    })
}

/// The smallest block that `g` is a whole number of copies of, across and down; an
/// error when `g` is no repetition.
pub fn tile_unit(g: &Grid) -> Result<Grid, EvalError> {
    let (h, w) = (g.height(), g.width());
    let rows = (1..=h)
        .filter(|p| h % p == 0)
        .find(|&p| (p..h).all(|r| (0..w).all(|c| g.get(r, c) == g.get(r - p, c))))
        .unwrap_or(h);
    let cols = (1..=w)
        .filter(|q| w % q == 0)
        .find(|&q| (q..w).all(|c| (0..h).all(|r| g.get(r, c) == g.get(r, c - q))))
        .unwrap_or(w);
    if (rows, cols) == (h, w) {
        return Err(EvalError::Domain("the grid does not repeat"));
    }
    window(g, 0, 0, rows, cols)
}

/// The largest frame of `g`: a one-colour object whose cells include the whole outline of
/// its bounding box (at least 3x3). Returns the object's index in
/// [`components`]`(g, OneColour)` and its inside as (top, left, height, width).
pub(super) fn largest_frame(g: &Grid) -> Result<(usize, [usize; 4]), EvalError> {
    let inside = |cells: &Vec<(usize, usize)>| {
        let (top, left, bottom, right) = bounds(cells)?;
        let on_outline = |r: usize, c: usize| r == top || r == bottom || c == left || c == right;
        let outline = 2 * (bottom - top + right - left);
        let covered = cells.iter().filter(|&&(r, c)| on_outline(r, c)).count();
        (bottom >= top + 2 && right >= left + 2 && covered == outline)
            .then(|| [top + 1, left + 1, bottom - top - 1, right - left - 1])
    };
    components(g, Grouping::OneColour)
        .iter()
        .enumerate()
        .filter_map(|(i, cells)| Some((i, inside(cells)?)))
        .max_by_key(|&(_, [_, _, h, w])| h * w)
        .ok_or(EvalError::Domain("no frame"))
}

/// The inside of the largest frame (see [`largest_frame`]).
pub fn crop_frame(g: &Grid) -> Result<Grid, EvalError> {
    let (_, [top, left, h, w]) = largest_frame(g)?;
    window(g, top, left, h, w)
}

/// The foreground cells in reading order, as one row.
pub fn foreground_row(g: &Grid) -> Result<Grid, EvalError> {
    let cells: Vec<i64> = g
        .cells()
        .iter()
        .filter(|&&c| c != 0)
        .map(|&c| i64::from(c))
        .collect();
    if cells.is_empty() {
        return Err(EvalError::Domain("the grid is all background"));
    }
    Ok(Grid::from_rows(&[cells])?)
}

/// The foreground colours of a grid of bands (stripes, however ragged their edges), in
/// order: one row, left to right, where their centres spread more across than down; else
/// one column, top to bottom.
pub fn colour_bands(g: &Grid) -> Result<Grid, EvalError> {
    // Per colour: cells, sum of rows, sum of columns.
    let mut sums = [(0usize, 0usize, 0usize); 10];
    for (i, &c) in g.cells().iter().enumerate() {
        let s = &mut sums[usize::from(c)];
        *s = (s.0 + 1, s.1 + i / g.width(), s.2 + i % g.width());
    }
    let centres: Vec<(i64, f64, f64)> = (1..10)
        .filter(|&c| sums[c].0 > 0)
        .map(|c| {
            let (n, rows, cols) = sums[c];
            (c as i64, rows as f64 / n as f64, cols as f64 / n as f64)
        })
        .collect();
    if centres.is_empty() {
        return Err(EvalError::Domain("the grid is all background"));
    }
    let spread = |key: fn(&(i64, f64, f64)) -> f64| {
        let (lo, hi) = centres
            .iter()
            .map(key)
            .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
        hi - lo
    };
    let across = spread(|c| c.2) >= spread(|c| c.1);
    let key = |c: &(i64, f64, f64)| if across { c.2 } else { c.1 };
    let mut centres = centres;
    centres.sort_by(|a, b| key(a).total_cmp(&key(b)));
    let colours: Vec<i64> = centres.iter().map(|c| c.0).collect();
    let rows = if across {
        vec![colours]
    } else {
        colours.into_iter().map(|c| vec![c]).collect()
    };
    Ok(Grid::from_rows(&rows)?)
}

/// `top_half`, `bottom_half`, `left_half`, `right_half` (the middle line of an odd side is
/// in neither half), `crop`, `compress`, and `dedupe_rows`, `dedupe_cols`; `trim`,
/// `tile_unit`, `foreground_row`, `colour_bands` and `crop_frame` at
/// [`RARE_COST`](super::RARE_COST).
pub fn primitives() -> Vec<Primitive> {
    vec![
        primitive!("top_half", "the top half", |g: &Grid| -> Grid {
            window(g, 0, 0, g.height() / 2, g.width())
        }),
        primitive!("bottom_half", "the bottom half", |g: &Grid| -> Grid {
            window(g, g.height() - g.height() / 2, 0, g.height() / 2, g.width())
        }),
        primitive!("left_half", "the left half", |g: &Grid| -> Grid {
            window(g, 0, 0, g.height(), g.width() / 2)
        }),
        primitive!("right_half", "the right half", |g: &Grid| -> Grid {
            window(g, 0, g.width() - g.width() / 2, g.height(), g.width() / 2)
        }),
        primitive!(
            "crop",
            "the bounding box of the foreground",
            |g: &Grid| -> Grid { crop(g) }
        ),
        primitive!(
            "trim",
            "without the outer ring of cells",
            |g: &Grid| -> Grid { trim(g) }
        )
        .with_cost(super::RARE_COST),
        primitive!(
            "compress",
            "without the all-background rows and columns",
            |g: &Grid| -> Grid { compress(g) }
        ),
        primitive!(
            "dedupe_rows",
            "without rows equal to the one above",
            |g: &Grid| -> Grid { dedupe(g, false) }
        ),
        primitive!(
            "dedupe_cols",
            "without columns equal to the one before",
            |g: &Grid| -> Grid { dedupe(g, true) }
        ),
        primitive!(
            "tile_unit",
            "the smallest block the grid repeats",
            |g: &Grid| -> Grid { tile_unit(g) }
        )
        .with_cost(super::RARE_COST),
        primitive!(
            "foreground_row",
            "the foreground cells in reading order, as one row",
            |g: &Grid| -> Grid { foreground_row(g) }
        )
        .with_cost(super::RARE_COST),
        primitive!(
            "colour_bands",
            "the colours of the grid's bands in order, as a row or a column",
            |g: &Grid| -> Grid { colour_bands(g) }
        )
        .with_cost(super::RARE_COST),
        primitive!(
            "crop_frame",
            "the inside of the largest one-colour frame",
            |g: &Grid| -> Grid { crop_frame(g) }
        )
        .with_cost(super::RARE_COST),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::Value;

    #[test]
    fn halves_skip_the_middle_and_crop_finds_the_box() {
        let reg = crate::domains::arc::registry();
        let g = Grid::from_rows(&[vec![1, 2, 3], vec![0, 0, 0], vec![4, 5, 6]]).unwrap();
        let run = |name: &str| (reg.by_name(name).unwrap().forward)(&[Value::Grid(g.clone())]);
        assert_eq!(run("top_half").unwrap().to_string(), "[123]");
        assert_eq!(run("bottom_half").unwrap().to_string(), "[456]");
        assert_eq!(run("left_half").unwrap().to_string(), "[1|0|4]");
        let sparse =
            Grid::from_rows(&[vec![0, 0, 0, 0], vec![0, 7, 0, 0], vec![0, 0, 8, 0]]).unwrap();
        assert_eq!(crop(&sparse).unwrap().to_string(), "[70|08]");
        assert!(crop(&Grid::new(2, 2, vec![0; 4]).unwrap()).is_err());
        assert_eq!(compress(&sparse).unwrap().to_string(), "[70|08]");
        let gaps = Grid::from_rows(&[vec![1, 0, 2], vec![0, 0, 0], vec![3, 0, 0]]).unwrap();
        assert_eq!(compress(&gaps).unwrap().to_string(), "[12|30]");
        let repeated = Grid::from_rows(&[vec![1, 1, 2], vec![1, 1, 2], vec![3, 3, 4]]).unwrap();
        assert_eq!(dedupe(&repeated, false).unwrap().to_string(), "[112|334]");
        assert_eq!(dedupe(&repeated, true).unwrap().to_string(), "[12|12|34]");
        let tiled = Grid::from_rows(&[vec![1, 2, 1, 2], vec![3, 4, 3, 4]]).unwrap();
        assert_eq!(tile_unit(&tiled).unwrap().to_string(), "[12|34]");
        assert!(tile_unit(&sparse).is_err());
        assert_eq!(foreground_row(&gaps).unwrap().to_string(), "[123]");
        let across = Grid::from_rows(&[vec![4, 4, 2, 8], vec![4, 2, 2, 8], vec![4, 2, 8, 8]]);
        assert_eq!(colour_bands(&across.unwrap()).unwrap().to_string(), "[428]");
        let down = Grid::from_rows(&[vec![2, 2, 2], vec![2, 8, 8], vec![5, 5, 8], vec![5, 5, 5]]);
        assert_eq!(colour_bands(&down.unwrap()).unwrap().to_string(), "[2|8|5]");
        assert!(colour_bands(&Grid::new(2, 2, vec![0; 4]).unwrap()).is_err());
        let framed = Grid::from_rows(&[
            vec![0, 2, 2, 2, 2],
            vec![0, 2, 5, 6, 2],
            vec![1, 2, 2, 2, 2],
        ])
        .unwrap();
        assert_eq!(crop_frame(&framed).unwrap().to_string(), "[56]");
        assert!(crop_frame(&gaps).is_err());
        let one = Grid::new(1, 1, vec![5]).unwrap();
        assert!((reg.by_name("top_half").unwrap().forward)(&[Value::Grid(one)]).is_err());
    }
}
