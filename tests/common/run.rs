//! Running the `janus` binary from a test, and the files tests hand it.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `janus` with `args` in the project's root (where `tasks/` and `dsl/` are).
pub fn janus(args: &[&str]) -> Output {
    janus_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs `janus` with `args` in `dir`.
pub fn janus_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_janus"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("janus runs")
}

/// What a run printed on stdout.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a run printed on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A `--json` run's lines, each one JSON object.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// A `.npy` file's bytes: `descr` (`<f4`, `<i8`...), `shape` as Python writes it
/// (`(2, 3)`, `(4,)`), then the raw `data`.
pub fn npy_bytes(descr: &str, shape: &str, data: &[u8]) -> Vec<u8> {
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    bytes.extend(data);
    bytes
}
