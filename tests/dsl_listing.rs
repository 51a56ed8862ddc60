//! `dsl/<domain>.prims` is what `janus dsl list --domain <domain>` prints: the committed
//! record of every primitive's type, cost, inverses and doc line. Regenerate after
//! changing a primitive: `for d in 24 double-add arc; do janus dsl list --domain $d >
//! dsl/$d.prims; done`.

use janus::DomainKind;

#[test]
fn the_committed_listings_match_the_code() {
    for kind in DomainKind::ALL {
        let path = format!("{}/dsl/{}.prims", env!("CARGO_MANIFEST_DIR"), kind.name());
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let listing = kind.domain().registry.listing();
        let differ: Vec<String> = listing
            .lines()
            .zip(committed.lines())
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("code: {a}\nfile: {b}"))
            .collect();
        assert!(
            differ.is_empty() && listing.lines().count() == committed.lines().count(),
            "{path} differs from `janus dsl list --domain {}` (regenerate it, see dsl/README.md):\n{}",
            kind.name(),
            differ.join("\n")
        );
    }
}
