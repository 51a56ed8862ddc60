//! Pictures of ARC grids: coloured text for a terminal (24-bit ANSI backgrounds), digits
//! for pipes and `NO_COLOR`, and SVG.

use std::fmt::Write;

use crate::dsl::{Grid, Value};
use crate::task::Task;

/// The ARC palette as RGB, colours 0-9.
pub const PALETTE: [(u8, u8, u8); 10] = [
    (0x00, 0x00, 0x00),
    (0x00, 0x74, 0xD9),
    (0xFF, 0x41, 0x36),
    (0x2E, 0xCC, 0x40),
    (0xFF, 0xDC, 0x00),
    (0xAA, 0xAA, 0xAA),
    (0xF0, 0x12, 0xBE),
    (0xFF, 0x85, 0x1B),
    (0x7F, 0xDB, 0xFF),
    (0x87, 0x0C, 0x25),
];

/// A labelled grid in a picture (a missing grid draws as its label only).
#[derive(Clone, Debug)]
pub struct Panel {
    /// The caption above the grid.
    pub label: String,
    /// The grid, if there is one.
    pub grid: Option<Grid>,
    /// Cells to mark (row, column): where a prediction differs from the expected grid.
    pub marked: Vec<(usize, usize)>,
}

impl Panel {
    /// A panel without marks.
    pub fn new(label: String, grid: Option<Grid>) -> Panel {
        Panel {
            label,
            grid,
            marked: Vec::new(),
        }
    }

    /// A panel captioned with its grid's size after the label (`output 3x4`: height by
    /// width).
    pub fn sized(label: String, grid: Option<Grid>) -> Panel {
        let label = match &grid {
            Some(g) => format!("{label} {}x{}", g.height(), g.width()),
            None => label,
        };
        Panel::new(label, grid)
    }

    /// The panel of a `predicted` grid with the cells that differ from `expected` marked
    /// (none when the shapes differ: then the whole grid is wrong).
    pub fn marking(label: String, predicted: Option<Grid>, expected: Option<&Grid>) -> Panel {
        let marked = match (&predicted, expected) {
            (Some(p), Some(e)) if p.height() == e.height() && p.width() == e.width() => (0..p
                .height())
                .flat_map(|r| (0..p.width()).map(move |c| (r, c)))
                .filter(|&(r, c)| p.get(r, c) != e.get(r, c))
                .collect(),
            _ => Vec::new(),
        };
        Panel {
            label,
            grid: predicted,
            marked,
        }
    }
}

/// How a grid is drawn as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextStyle {
    /// Coloured cells (24-bit ANSI backgrounds), for a terminal.
    Colour,
    /// A digit per cell, for pipes, files and `NO_COLOR`.
    Digits,
}

impl TextStyle {
    /// Colour on a terminal unless `NO_COLOR` is set (to anything but the empty string,
    /// as no-color.org says), digits otherwise.
    pub fn detect(terminal: bool) -> TextStyle {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if terminal && !no_color {
            TextStyle::Colour
        } else {
            TextStyle::Digits
        }
    }
}

/// The text lines of one grid, two characters per cell; a marked cell shows `x` (in
/// colour) or `!` after its digit.
fn text_lines(g: &Grid, marked: &[(usize, usize)], style: TextStyle) -> Vec<String> {
    (0..g.height())
        .map(|r| {
            let mut line = String::new();
            for c in 0..g.width() {
                let colour = g.get(r, c);
                let mark = marked.contains(&(r, c));
                match style {
                    TextStyle::Colour => {
                        let (red, green, blue) = PALETTE[colour as usize];
                        let cell = if mark { "\x1b[97mxx" } else { "  " };
                        let _ = write!(line, "\x1b[48;2;{red};{green};{blue}m{cell}");
                    }
                    TextStyle::Digits => {
                        let _ = write!(line, "{colour}{}", if mark { '!' } else { ' ' });
                    }
                }
            }
            if style == TextStyle::Colour {
                line.push_str("\x1b[0m");
            }
            line
        })
        .collect()
}

/// A row of panels side by side as text.
pub fn text_row(panels: &[Panel], style: TextStyle) -> String {
    let widths: Vec<usize> = panels
        .iter()
        .map(|p| {
            p.grid
                .as_ref()
                .map_or(0, |g| 2 * g.width())
                .max(p.label.chars().count())
        })
        .collect();
    let lines: Vec<Vec<String>> = panels
        .iter()
        .map(|p| {
            p.grid
                .as_ref()
                .map(|g| text_lines(g, &p.marked, style))
                .unwrap_or_default()
        })
        .collect();
    let height = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    for (p, w) in panels.iter().zip(&widths) {
        let _ = write!(out, "{:<w$}   ", p.label);
    }
    out.push('\n');
    for row in 0..height {
        for ((p, l), w) in panels.iter().zip(&lines).zip(&widths) {
            let cells = p.grid.as_ref().map_or(0, |g| 2 * g.width());
            match l.get(row) {
                Some(s) => out.push_str(s),
                None => out.push_str(&" ".repeat(cells)),
            }
            out.push_str(&" ".repeat(w - cells + 3));
        }
        out.push('\n');
    }
    out
}

/// One row per pair of an ARC task, train pairs then tests: the input grid and the
/// expected output (a test without one draws as its caption), captioned with the task, the
/// pair and the sizes. With each row, the pair's inputs and expected output, for panels
/// of predictions a caller adds.
pub fn task_rows(task: &Task) -> Vec<(Vec<Panel>, &[Value], Option<&Value>)> {
    let grid = |v: Option<&Value>| v.and_then(Value::as_grid).cloned();
    let pairs = task
        .examples
        .iter()
        .map(|e| ("train", &e.inputs, Some(&e.output)));
    let tests = task
        .tests
        .iter()
        .map(|t| ("test", &t.inputs, t.output.as_ref()));
    pairs
        .chain(tests)
        .enumerate()
        .map(|(i, (kind, inputs, output))| {
            let row = vec![
                Panel::sized(
                    format!("{} {kind} {i} input", task.id),
                    grid(inputs.first()),
                ),
                Panel::sized("output".into(), grid(output)),
            ];
            (row, inputs.as_slice(), output)
        })
        .collect()
}

/// Rows of panels as one SVG picture.
pub fn svg(rows: &[Vec<Panel>]) -> String {
    const CELL: usize = 14;
    const GAP: usize = 24;
    const LABEL: usize = 18;
    let panel_w = |p: &Panel| {
        p.grid
            .as_ref()
            .map_or(6 * CELL, |g| g.width() * CELL)
            .max(7 * p.label.len())
    };
    let row_h = |r: &Vec<Panel>| {
        LABEL
            + r.iter()
                .filter_map(|p| p.grid.as_ref())
                .map(|g| g.height() * CELL)
                .max()
                .unwrap_or(0)
    };
    let width = rows
        .iter()
        .map(|r| r.iter().map(|p| panel_w(p) + GAP).sum::<usize>())
        .max()
        .unwrap_or(0)
        + GAP;
    let height = rows.iter().map(|r| row_h(r) + GAP).sum::<usize>() + GAP;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    let mut y = GAP;
    for row in rows {
        let mut x = GAP;
        for p in row {
            let label = p.label.replace('&', "&amp;").replace('<', "&lt;");
            let _ = writeln!(s, "<text x=\"{x}\" y=\"{}\">{label}</text>", y + 12);
            if let Some(g) = &p.grid {
                for r in 0..g.height() {
                    for c in 0..g.width() {
                        let (red, green, blue) = PALETTE[g.get(r, c) as usize];
                        // A marked cell gets a thick red outline.
                        let (stroke, width) = match p.marked.contains(&(r, c)) {
                            true => ("#ff0000", "2"),
                            false => ("#555", "0.5"),
                        };
                        let _ = writeln!(
                            s,
                            "<rect x=\"{}\" y=\"{}\" width=\"{CELL}\" height=\"{CELL}\" fill=\"#{red:02x}{green:02x}{blue:02x}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
                            x + c * CELL,
                            y + LABEL + r * CELL
                        );
                    }
                }
            }
            x += panel_w(p) + GAP;
        }
        y += row_h(row) + GAP;
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_one_rect_per_cell_and_escapes_labels() {
        let g = Grid::from_rows(&[vec![0, 1], vec![2, 9]]).unwrap();
        let pic = svg(&[vec![
            Panel::new("in <1>".into(), Some(g.clone())),
            Panel::new("none".into(), None),
        ]]);
        assert_eq!(pic.matches("<rect x=").count(), 4);
        assert!(pic.contains("fill=\"#870c25\"") && pic.contains("in &lt;1>"));
        let panel = [Panel::new("g".into(), Some(g.clone()))];
        let text = text_row(&panel, TextStyle::Colour);
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("\x1b[48;2;0;116;217m"));
        let digits = text_row(&panel, TextStyle::Digits);
        assert_eq!(digits, "g      \n0 1    \n2 9    \n");
        let expected = Grid::from_rows(&[vec![0, 1], vec![2, 8]]).unwrap();
        let wrong = Panel::marking("p".into(), Some(g), Some(&expected));
        assert_eq!(wrong.marked, [(1, 1)]);
        assert_eq!(
            text_row(std::slice::from_ref(&wrong), TextStyle::Digits),
            "p      \n0 1    \n2 9!   \n"
        );
        assert_eq!(svg(&[vec![wrong]]).matches("stroke=\"#ff0000\"").count(), 1);
    }
}
