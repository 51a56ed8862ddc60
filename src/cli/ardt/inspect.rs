//! `janus ardt inspect`: trees' sizes and the features with the most gain.

use std::path::PathBuf;

use clap::Args;

use janus::ardt::{ArdtModel, Head};

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The model.
    #[arg(long)]
    model: PathBuf,
    /// Features to list.
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The words that weigh most along embedding dimension `d` (among the frequent ones).
fn words_along(model: &ArdtModel, d: usize, k: usize) -> Vec<String> {
    let table = model.embeddings.targets().normalized();
    let candidates = table.len().min(2000) as u32;
    let mut ids: Vec<u32> = (0..candidates)
        .filter(|&t| Some(t) != model.tokenizer.unk() && t != model.tokenizer.eos())
        .collect();
    ids.sort_by(|&a, &b| {
        table.vector(b)[d]
            .total_cmp(&table.vector(a)[d])
            .then(a.cmp(&b))
    });
    ids.iter()
        .take(k)
        .map(|&t| model.tokenizer.token(t))
        .collect()
}

pub(super) fn run_inspect(a: InspectArgs) -> anyhow::Result<()> {
    let model = ArdtModel::load(&a.model)?;
    let report = inspection(&model, a.top);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print_inspection(&model, &report)
}

/// The model's shape and its `top` most important features, as JSON.
fn inspection(model: &ArdtModel, top: usize) -> serde_json::Value {
    let b = &model.booster;
    let dim = model.source().dim();
    let names = model.features.names(dim);
    let gain = b.feature_gain();
    let total: f64 = gain.iter().sum::<f64>().max(1e-12);
    let mut order: Vec<usize> = (0..gain.len()).collect();
    order.sort_by(|&x, &y| gain[y].total_cmp(&gain[x]).then(x.cmp(&y)));
    let depths: Vec<usize> = b.rounds.iter().flatten().map(|t| t.depth()).collect();
    let features: Vec<serde_json::Value> = order
        .iter()
        .take(top)
        .map(|&f| {
            serde_json::json!({
                "feature": names.get(f).cloned().unwrap_or_else(|| format!("f{f}")),
                "gain_share": gain[f] / total,
                "words": words_along(model, f % dim, 5),
            })
        })
        .collect();
    serde_json::json!({
        "tokenizer": model.tokenizer.describe(),
        "embeddings": model.embeddings.describe(),
        "head": match &model.head { Head::Regress { .. } => "regress".to_string(), Head::Classify { class_tokens, .. } => format!("classify ({} classes and a bigram tail)", class_tokens.len()) },
        "features": { "window": model.features.window, "decay": model.features.decay, "last": model.features.last, "width": names.len() },
        "rounds": b.rounds.len(),
        "trees": b.trees(),
        "leaves": b.leaves(),
        "mean_depth": depths.iter().sum::<usize>() as f64 / depths.len().max(1) as f64,
        "max_depth": depths.iter().max().copied().unwrap_or(0),
        "training": model.info,
        "top_features": features,
    })
}

/// The inspection as text.
fn print_inspection(model: &ArdtModel, report: &serde_json::Value) -> anyhow::Result<()> {
    let b = &model.booster;
    outln!(
        "{} | {} | head {}",
        report["tokenizer"].as_str().unwrap_or(""),
        report["embeddings"].as_str().unwrap_or(""),
        report["head"].as_str().unwrap_or("")
    );
    outln!(
        "{} rounds, {} trees, {} leaves, depth mean {:.2} max {}; trained on {} rows in {:.1} s",
        b.rounds.len(),
        b.trees(),
        b.leaves(),
        report["mean_depth"].as_f64().unwrap_or(0.0),
        report["max_depth"],
        model.info.rows,
        model.info.total_seconds
    );
    outln!("most important features (share of total split gain; words weighing most along that dimension):");
    for f in report["top_features"].as_array().into_iter().flatten() {
        let words: Vec<&str> = f["words"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str())
            .collect();
        outln!(
            "  {:<12} {:>6.2}%  {}",
            f["feature"].as_str().unwrap_or(""),
            100.0 * f["gain_share"].as_f64().unwrap_or(0.0),
            words.join(" ")
        );
    }
    Ok(())
}
