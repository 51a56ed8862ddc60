//! `janus show`: draw an ARC task's pairs and a program's predictions, in the terminal
//! and optionally as SVG.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::io::{IsTerminal, Write};

use anyhow::Context;
use clap::Args;

use janus::domains::DomainKind;
use janus::dsl::{infer, parse_expr, Evaluator, Expr, Registry, Type, TypeContext, Value};
use janus::io::write_atomic;
use janus::io::{excerpt, QUOTED_CHARS};
use janus::learn::{register_library, Library};
use janus::render::{svg, task_rows, text_row, Panel, TextStyle};
use janus::tasks::load_file;

/// Arguments of `janus show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An ARC task file.
    task: PathBuf,
    /// A program whose predictions to draw beside each pair.
    #[arg(long)]
    program: Option<String>,
    /// A `janus solve --json` output: the predictions of both attempts of the report of
    /// each task drawn are drawn beside its pairs.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Libraries whose abstractions the programs use (as `janus solve --library`).
    #[arg(long)]
    library: Vec<PathBuf>,
    /// Also write the picture as SVG to this file.
    #[arg(long)]
    svg: Option<PathBuf>,
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

/// The programs of each task's report in a `janus solve --json` output: attempt 1 and,
/// where there is one, attempt 2.
fn read_reports(path: &Path) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let json: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {}: not a JSON line", path.display(), i + 1))?;
        let Some(task) = json["task"].as_str() else {
            continue; // the summary
        };
        let programs = ["program", "program_2"]
            .iter()
            .filter_map(|k| json[k].as_str().map(String::from))
            .collect();
        out.insert(task.to_string(), programs);
    }
    Ok(out)
}

/// The ARC domain with the abstractions of `libraries`.
fn arc_domain(libraries: &[PathBuf]) -> anyhow::Result<janus::Domain> {
    let mut d = DomainKind::Arc.domain();
    let library = Library::load_all(libraries)?;
    register_library(&library, &mut d.registry)?;
    Ok(d)
}

/// The panel of what `program` predicts from `inputs`, captioned `name` and whether it is
/// right, with its wrong cells marked.
fn prediction(
    name: &str,
    program: &Expr,
    eval: &Evaluator,
    inputs: &[Value],
    output: Option<&Value>,
) -> Panel {
    let got = eval.run(program, inputs);
    let mark = match (&got, output) {
        (Ok(v), Some(o)) if v == o => format!("{name} (right)"),
        (Ok(_), Some(_)) => format!("{name} (WRONG)"),
        (Ok(_), None) => name.to_string(),
        (Err(e), _) => format!("{name} (error: {e})"),
    };
    let predicted = Panel::sized(mark, grid(got.ok().as_ref()));
    Panel::marking(predicted.label, predicted.grid, grid(output).as_ref())
}

pub fn run(args: ShowArgs) -> anyhow::Result<()> {
    let tasks = load_file(&args.task)?;
    let d = arc_domain(&args.library)?;
    let checked = |text: &str, what: &str| {
        grid_program(text, &d.registry)
            .with_context(|| format!("{what} {}", excerpt(text, QUOTED_CHARS)))
    };
    let program = args
        .program
        .as_deref()
        .map(|text| checked(text, "--program"))
        .transpose()?;
    let reports = match &args.report {
        Some(path) => read_reports(path)?,
        None => HashMap::new(),
    };
    let eval = Evaluator::new(&d.registry);
    let mut rows = Vec::new();
    let mut captions = Vec::new();
    if let Some(text) = &args.program {
        captions.push(format!("program: {}", excerpt(text, QUOTED_CHARS)));
    }
    for task in &tasks {
        anyhow::ensure!(
            task.domain == DomainKind::Arc,
            "{}: `janus show` draws ARC tasks",
            args.task.display()
        );
        let mut programs: Vec<(String, Expr)> = Vec::new();
        if let Some(p) = &program {
            programs.push(("predicted".into(), p.clone()));
        }
        for (k, text) in reports.get(&task.id).into_iter().flatten().enumerate() {
            let name = format!("attempt {}", k + 1);
            captions.push(format!(
                "{} {name}: {}",
                task.id,
                excerpt(text, QUOTED_CHARS)
            ));
            programs.push((name, checked(text, "--report program")?));
        }
        for (mut row, inputs, output) in task_rows(task) {
            for (name, p) in &programs {
                row.push(prediction(name, p, &eval, inputs, output));
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
    for caption in &captions {
        writeln!(out, "{caption}")?;
    }
    if !captions.is_empty() {
        writeln!(out)?;
    }
    for row in &rows {
        writeln!(out, "{}", text_row(row, style))?;
    }
    Ok(())
}
