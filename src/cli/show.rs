//! `janus show`: draw an ARC task's pairs and a program's predictions, in the terminal
//! and optionally as SVG.

use std::path::PathBuf;

use std::io::{IsTerminal, Write};

use anyhow::Context;
use clap::Args;

use janus::domains::DomainKind;
use janus::dsl::{infer, parse_expr, Evaluator, Expr, Registry, Type, TypeContext, Value};
use janus::io::write_atomic;
use janus::io::{excerpt, QUOTED_CHARS};
use janus::render::{svg, text_row, Panel, TextStyle};
use janus::tasks::load_file;

/// Arguments of `janus show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An ARC task file.
    task: PathBuf,
    /// A program whose predictions to draw beside each pair.
    #[arg(long)]
    program: Option<String>,
    /// Also write the picture as SVG to this file.
    #[arg(long)]
    svg: Option<PathBuf>,
}

/// A panel captioned with its grid's size (`output 3x4`: height by width).
fn panel(label: String, grid: Option<janus::dsl::Grid>) -> Panel {
    let label = match &grid {
        Some(g) => format!("{label} {}x{}", g.height(), g.width()),
        None => label,
    };
    Panel::new(label, grid)
}

fn grid(v: Option<&Value>) -> Option<janus::dsl::Grid> {
    v.and_then(Value::as_grid).cloned()
}

/// The program in `text`, which must parse and type-check as a function from a grid to a
/// grid over `registry`.
fn grid_program(text: &str, registry: &Registry) -> anyhow::Result<Expr> {
    let program = parse_expr(text)?;
    let ty = infer(&program, registry).context("does not type-check")?;
    let wanted = Type::arrows(vec![Type::grid()], Type::grid());
    TypeContext::new().unify(&ty, &wanted).map_err(|_| {
        anyhow::anyhow!(
            "has type {ty}, not {wanted}: `janus show` runs a program on each input grid"
        )
    })?;
    Ok(program)
}

pub fn run(args: ShowArgs) -> anyhow::Result<()> {
    let tasks = load_file(&args.task)?;
    let d = DomainKind::Arc.domain();
    let program = match &args.program {
        Some(text) => Some(
            grid_program(text, &d.registry)
                .with_context(|| format!("--program {}", excerpt(text, QUOTED_CHARS)))?,
        ),
        None => None,
    };
    let eval = Evaluator::new(&d.registry);
    let mut rows = Vec::new();
    for task in &tasks {
        anyhow::ensure!(
            task.domain == DomainKind::Arc,
            "{}: `janus show` draws ARC tasks",
            args.task.display()
        );
        let pairs = task
            .examples
            .iter()
            .map(|e| ("train", &e.inputs, Some(&e.output)));
        let tests = task
            .tests
            .iter()
            .map(|t| ("test", &t.inputs, t.output.as_ref()));
        for (i, (kind, inputs, output)) in pairs.chain(tests).enumerate() {
            let mut row = vec![
                panel(
                    format!("{} {kind} {i} input", task.id),
                    grid(inputs.first()),
                ),
                panel("output".into(), grid(output)),
            ];
            if let Some(p) = &program {
                let got = eval.run(p, inputs);
                let mark = match (&got, output) {
                    (Ok(v), Some(o)) if v == o => "predicted (right)".to_string(),
                    (Ok(_), Some(_)) => "predicted (WRONG)".to_string(),
                    (Ok(_), None) => "predicted".to_string(),
                    (Err(e), _) => format!("predicted (error: {e})"),
                };
                let predicted = panel(mark, grid(got.ok().as_ref()));
                let expected = grid(output);
                row.push(Panel::marking(
                    predicted.label,
                    predicted.grid,
                    expected.as_ref(),
                ));
            }
            rows.push(row);
        }
    }
    if let Some(path) = &args.svg {
        write_atomic(path, svg(&rows).as_bytes())
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    let style = TextStyle::detect(out.is_terminal());
    if let Some(text) = &args.program {
        writeln!(out, "program: {}\n", excerpt(text, QUOTED_CHARS))?;
    }
    for row in &rows {
        writeln!(out, "{}", text_row(row, style))?;
    }
    Ok(())
}
