//! A worked example per primitive, arc-dsl style: a program of literals, and what it
//! evaluates to. Every primitive of every domain must have one here or an inverse, whose
//! laws `tests/properties.rs` checks a counted number of times.

use janus::dsl::{Evaluator, Registry};
use janus::{parse_expr, DomainKind};

/// `(program, value)`: the example is for every primitive the program uses (a list's
/// primitives are seen through the one that picks from the list).
const EXAMPLES: &[(&str, &str)] = &[
    ("(top_half [12|34|56])", "[12]"),
    ("(bottom_half [12|34|56])", "[56]"),
    ("(left_half [123|456])", "[1|4]"),
    ("(right_half [123|456])", "[3|6]"),
    ("(crop [000|010|023])", "[10|23]"),
    ("(compress [102|000|304])", "[12|34]"),
    ("(dedupe_rows [12|12|34|12])", "[12|34|12]"),
    ("(dedupe_cols [1123|4456])", "[123|456]"),
    ("(tile_unit [1212|3434|1212|3434])", "[12|34]"),
    ("(foreground_row [102|030])", "[123]"),
    ("(colour_bands [4428|4228|4288])", "[428]"),
    ("(crop_frame [22220|25620|22220])", "[56]"),
    ("(swap_background [330|353])", "[003|050]"),
    ("(fill_commonest [110|123])", "[111|111]"),
    ("(keep_commonest [110|223|022])", "[000|220|022]"),
    ("(keep_rarest [110|223|022])", "[000|003|000]"),
    ("(paint_commonest [110|223|022])", "[220|222|022]"),
    ("(shrink [1122|1122|3300|3300])", "[12|30]"),
    (
        "(most_colours (objects [1002|0000|0032]))",
        "[0000|0000|0032]",
    ),
    ("(largest_object [1002|1000|0002|0002])", "[1|1]"),
    ("(smallest_object [1002|1000|0002|0002])", "[2]"),
    ("(merge (objects [1002|1000|0002]))", "[1002|1000|0002]"),
    ("(first (colour_objects [120|020]))", "[100|000]"),
    (
        "(first (sort_by_size (objects [1002|0000|0022])))",
        "[0000|0000|0022]",
    ),
    (
        "(first (sort_by_colour (objects [2001|0000|0001])))",
        "[0001|0000|0000]",
    ),
    (
        "(first (sort_by_position (sort_by_size (objects [1002|0000|0022]))))",
        "[1000|0000|0000]",
    ),
    (
        "(first (drop_singletons (objects [1002|0000|0022])))",
        "[0000|0000|0022]",
    ),
    ("(last (objects [1002|0000|3000]))", "[0000|0000|3000]"),
    ("(largest (objects [1002|0000|0022]))", "[0000|0000|0022]"),
    ("(smallest (objects [1002|0000|0022]))", "[1000|0000|0000]"),
    (
        "(odd_colour (objects [10101|00000|20000]))",
        "[00000|00000|20000]",
    ),
    (
        "(odd_shape (objects [10101|00000|22000]))",
        "[00000|00000|22000]",
    ),
    (
        "(common_shape (objects [10101|00000|22000]))",
        "[10000|00000|00000]",
    ),
    ("(last (split_lines [152|555|354]))", "[4]"),
    ("(last (split_squares [1122|1133]))", "[22|33]"),
    ("(cell_colours [1150|0150|5555|2053])", "[10|23]"),
    ("(smear_down [100|000|000])", "[100|100|100]"),
    ("(smear_up [000|000|020])", "[020|020|020]"),
    ("(smear_left [000|003|000])", "[000|333|000]"),
    ("(smear_right [400|000|000])", "[444|000|000]"),
    ("(smear_diagonals [000|010|000])", "[101|010|101]"),
    ("(beam [1000|2110|1000])", "[1000|2112|1000]"),
    (
        "(fit_pieces [5550|5050|5550|0003])",
        "[5550|5350|5550|0000]",
    ),
    (
        "(complete_copies [0800000|8680060|0800000])",
        "[0800080|8680868|0800080]",
    ),
    (
        "(fit_in_frame [1000|0000|2222|2002|2002|2222])",
        "[2222|2112|2112|2222]",
    ),
    ("(denoise [1100|1101|0000])", "[1100|1100|0000]"),
    ("(fall_towards [50020] c5)", "[52000]"),
    ("(assemble [6000|5050|0007] c5)", "[60|50|07]"),
    ("(shift_up [12|34])", "[34|00]"),
    ("(shift_down [12|34])", "[00|12]"),
    ("(shift_left [12|34])", "[20|40]"),
    ("(shift_right [12|34])", "[01|03]"),
    ("(unocclude [121|252|100])", "[121|252|121]"),
    ("(occluded_patch [121|252|100])", "[21]"),
    ("(fall_down [100|020|000])", "[000|000|120]"),
    ("(fall_up [000|020|300])", "[320|000|000]"),
    ("(fall_left [001|020|000])", "[100|200|000]"),
    ("(fall_right [100|020|000])", "[001|002|000]"),
    ("(mirror_lr [120|300])", "[121|303]"),
    ("(mirror_tb [12|00])", "[12|12]"),
    ("(mirror_diag [10|20])", "[12|20]"),
    ("(mirror_both [10|00])", "[11|11]"),
    ("(complete_box [141|020|101])", "[141|424|141]"),
    (
        "(reflect_about_rarest [11000|00300|00000])",
        "[11011|00300|11011]",
    ),
    ("(trim [1234|5678|9123])", "[67]"),
    ("(colour_boxes [1000|0001])", "[1111|1111]"),
    (
        "(connect_in_colour [10001|00000|20002])",
        "[11111|00000|22222]",
    ),
    (
        "(connect_diagonals_in_colour [1002|0000|0210])",
        "[1002|0120|0210]",
    ),
    ("(richest_object [1002|0000|0032])", "[32]"),
    (
        "(odd_symmetry (objects [11030|11033|00000|20000]))",
        "[00030|00033|00000|00000]",
    ),
];

fn run(registry: &Registry, program: &str) -> String {
    let expr = parse_expr(program).unwrap_or_else(|e| panic!("{program}: {e}"));
    match Evaluator::new(registry).run(&expr, &[]) {
        Ok(v) => v.to_string(),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn every_example_gives_its_value() {
    let registry = DomainKind::Arc.domain().registry;
    let wrong: Vec<String> = EXAMPLES
        .iter()
        .filter_map(|&(program, want)| {
            let got = run(&registry, program);
            (got != want).then(|| format!("(\"{program}\", \"{got}\"),"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "examples that differ:\n{}",
        wrong.join("\n")
    );
}

/// The names in a program (primitives, and literals that are not).
fn names(program: &str) -> impl Iterator<Item = &str> {
    program
        .split(['(', ')', ' '])
        .filter(|t| !t.is_empty() && !t.starts_with('['))
}

#[test]
fn every_primitive_has_an_example_or_an_inverse() {
    let examples: Vec<&str> = EXAMPLES.iter().flat_map(|(p, _)| names(p)).collect();
    let untested: Vec<String> = DomainKind::ALL
        .iter()
        .flat_map(|k| {
            k.domain()
                .registry
                .iter()
                .map(|(_, p)| p.clone())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_invertible() && !examples.contains(&&*p.name))
        .map(|p| p.name.to_string())
        .collect();
    assert!(
        untested.is_empty(),
        "primitives with neither an example here nor an inverse: {untested:?}"
    );
}
