//! `janus ardt features`: a corpus's feature rows and targets as `.npy` files.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use janus::ardt::model_rows;
use janus::ardt::TargetData;
use janus::ardt::{ArdtModel, Corpus};
use janus::gbdt::npy;
use janus::io::write_atomic;

use super::*;

#[derive(Debug, Args)]
pub struct FeaturesArgs {
    #[command(flatten)]
    input: ModelOnCorpus,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// File name suffix: x_NAME.npy...
    #[arg(long, default_value = "train")]
    name: String,
}

pub(super) fn run_features(a: FeaturesArgs) -> anyhow::Result<()> {
    let i = &a.input;
    let model = ArdtModel::load(&i.model)?;
    let data = model_rows(
        &model,
        &Corpus::open(&i.corpus, i.doc_format.into())?,
        i.max_rows,
    )?;
    let x_path = a.out.join(format!("x_{}.npy", a.name));
    write_atomic(&x_path, &npy::matrix_bytes(&data.x))
        .with_context(|| format!("{}: cannot write", x_path.display()))?;
    let (path, written) = match TargetData::new(&model.head, &data) {
        TargetData::Vectors(y) => {
            let p = a.out.join(format!("y_{}.npy", a.name));
            (p.clone(), write_atomic(&p, &npy::matrix_bytes(&y)))
        }
        TargetData::Classes(labels, _) => {
            let p = a.out.join(format!("labels_{}.npy", a.name));
            (p.clone(), write_atomic(&p, &npy::labels_bytes(&labels)))
        }
    };
    written.with_context(|| format!("{}: cannot write", path.display()))?;
    outln!(
        "{} rows of {} features -> {} and {}",
        data.x.rows(),
        data.x.cols(),
        x_path.display(),
        path.display()
    );
    Ok(())
}
