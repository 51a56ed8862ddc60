//! `janus dsl list`: every primitive of a domain with its type, cost, inverses and doc line.

use std::io::Write;

use clap::Subcommand;

use janus::domains::DomainKind;

/// `janus dsl ...`
#[derive(Debug, Subcommand)]
pub enum DslCommand {
    /// Print every primitive with its type, cost, inverses and doc line.
    List {
        /// Only this domain (24, double-add, arc); every domain without it.
        #[arg(long)]
        domain: Option<DomainKind>,
        /// One JSON object per domain: `{"domain": ..., "primitives": [...]}`.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `dsl` subcommand.
pub fn run(command: DslCommand) -> anyhow::Result<()> {
    let DslCommand::List { domain, json } = command;
    let kinds = domain.map_or(DomainKind::ALL.to_vec(), |k| vec![k]);
    for kind in kinds {
        let registry = kind.domain().registry;
        if json {
            let prims: Vec<_> = registry.iter().map(|(_, p)| p.summary()).collect();
            let line = serde_json::json!({"domain": kind.name(), "primitives": prims});
            outln!("{line}");
        } else {
            if domain.is_none() {
                outln!("# {}", kind.name());
            }
            write!(std::io::stdout().lock(), "{}", registry.listing())?;
        }
    }
    Ok(())
}
