//! Shape rules: what a primitive promises about the shapes of its grid arguments and its
//! grid result, so that a search can skip argument tuples whose shapes cannot agree
//! without running anything.

use super::value::Value;

/// A grid's shape on one example: (height, width).
pub type Shape = (u8, u8);

/// How the shapes of a primitive's grid arguments and grid result relate on each example.
/// The primitive still checks its arguments itself; the rule lets the search rule a tuple
/// out before building it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShapeRule {
    /// Nothing is promised.
    #[default]
    Free,
    /// Every grid argument and a grid result have one shape (a cell-wise operation).
    Same,
    /// Every grid argument and a grid result have one height (side by side).
    SameHeight,
    /// Every grid argument and a grid result have one width (one above the other).
    SameWidth,
}

impl ShapeRule {
    /// The part of `shape` the rule says must agree; `None` when it says nothing.
    fn key(self, (height, width): Shape) -> Option<(u8, u8)> {
        match self {
            ShapeRule::Free => None,
            ShapeRule::Same => Some((height, width)),
            ShapeRule::SameHeight => Some((height, 0)),
            ShapeRule::SameWidth => Some((0, width)),
        }
    }

    /// Whether two values' shapes (one per example, see [`shapes`]) may meet in one
    /// application of a primitive with this rule.
    pub fn agree(self, a: &[Shape], b: &[Shape]) -> bool {
        self == ShapeRule::Free
            || (a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| self.key(x) == self.key(y)))
    }
}

/// The shape of each value when every one is a grid; `None` otherwise.
pub fn shapes(values: &[Value]) -> Option<Box<[Shape]>> {
    values
        .iter()
        .map(|v| match v {
            Value::Grid(g) => Some((g.height() as u8, g.width() as u8)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::Grid;

    fn grid(h: usize, w: usize) -> Value {
        Value::Grid(Grid::new(h, w, vec![0; h * w]).unwrap())
    }

    #[test]
    fn rules_compare_the_part_of_the_shape_they_name() {
        let a = shapes(&[grid(2, 3), grid(4, 4)]).unwrap();
        let taller = shapes(&[grid(5, 3), grid(1, 4)]).unwrap();
        let wider = shapes(&[grid(2, 7), grid(4, 1)]).unwrap();
        assert!(ShapeRule::Same.agree(&a, &a));
        assert!(!ShapeRule::Same.agree(&a, &taller));
        assert!(ShapeRule::SameWidth.agree(&a, &taller));
        assert!(!ShapeRule::SameHeight.agree(&a, &taller));
        assert!(ShapeRule::SameHeight.agree(&a, &wider));
        assert!(!ShapeRule::SameWidth.agree(&a, &wider));
        assert!(ShapeRule::Free.agree(&a, &wider));
        assert!(!ShapeRule::Same.agree(&a, &a[..1]), "examples must line up");
    }

    #[test]
    fn only_grids_have_shapes() {
        assert_eq!(shapes(&[grid(1, 2)]).as_deref(), Some(&[(1, 2)][..]));
        assert_eq!(shapes(&[grid(1, 2), Value::Colour(3)]), None);
    }
}
