//! File writing that never leaves a half-written file: write a temporary file beside the
//! destination, then rename it over.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file in the same directory + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    remove_stale_temporaries(dir, name);
    let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes the temporary files `.{name}.tmp.PID` in `dir` that processes no longer
/// running left behind (killed while writing `name`). Where the system does not say which
/// processes run (no `/proc`), nothing is removed.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.tmp.");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let dead = pid
            .parse::<u32>()
            .is_ok_and(|pid| pid != std::process::id() && !proc.join(pid.to_string()).exists());
        if dead {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// FNV-1a, a 64-bit hash that is the same on every run and machine: cache keys.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf29ce484222325)
    }
}

impl Fnv1a {
    /// Hashes `bytes` in.
    pub fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }

    /// Hashes token ids in (little-endian, 4 bytes each).
    pub fn eat_tokens(&mut self, tokens: &[u32]) {
        for t in tokens {
            self.eat(&t.to_le_bytes());
        }
    }

    /// The hash.
    pub fn finish(self) -> u64 {
        self.0
    }
}

/// The process's peak resident memory in bytes (Linux's `VmHWM`), where the system says.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// `text` cut to its first `max_chars` characters, with `…` and the full length after a
/// cut: long input quoted in an error message stays readable.
///
/// ```
/// assert_eq!(janus::io::excerpt("(f x)", 10), "(f x)");
/// assert_eq!(janus::io::excerpt("abcdefgh", 3), "abc… (8 characters)");
/// ```
pub fn excerpt(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// How many characters of input an error message quotes (see [`excerpt`]).
pub const QUOTED_CHARS: usize = 80;

/// The header of a framed file: magic, format version, CRC32 of the payload, its length.
const FRAME_HEADER: usize = 8 + 4 + 4 + 8;

/// Writes `payload` atomically behind a header: the 8-byte `magic` (the kind of file),
/// the format `version`, the payload's CRC32 and its length. [`read_framed`] checks all
/// four, so that a file of another kind or version, or one damaged, is refused.
pub fn write_framed(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    payload: &[u8],
) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(FRAME_HEADER + payload.len());
    bytes.extend(magic);
    bytes.extend(version.to_le_bytes());
    bytes.extend(crc32fast::hash(payload).to_le_bytes());
    bytes.extend((payload.len() as u64).to_le_bytes());
    bytes.extend(payload);
    write_atomic(path, &bytes)
}

/// The payload of a file [`write_framed`] wrote with `magic` and `version`; `what` names
/// the kind in errors ("a janus ARDT model").
pub fn read_framed(
    path: &Path,
    magic: &[u8; 8],
    version: u32,
    what: &str,
) -> Result<Vec<u8>, String> {
    let mut bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if bytes.len() < FRAME_HEADER || &bytes[..8] != magic {
        return Err(format!("not {what} file"));
    }
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let found = word(8);
    if found != version {
        return Err(format!(
            "format version {found}, this janus reads version {version}"
        ));
    }
    let crc = word(12);
    let len = u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes")) as usize;
    let payload = bytes.split_off(FRAME_HEADER);
    if payload.len() != len {
        return Err(format!(
            "truncated or padded: {} bytes of data, the header says {len}",
            payload.len()
        ));
    }
    if crc32fast::hash(&payload) != crc {
        return Err("corrupt: checksum mismatch".into());
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/out.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn temporaries_of_dead_processes_are_removed_on_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        // A process id far past any Linux pid_max, so never running.
        let dead = dir.path().join(".out.txt.tmp.4294967295");
        let other = dir.path().join(".other.txt.tmp.4294967295");
        for p in [&dead, &other] {
            fs::write(p, b"half").unwrap();
        }
        write_atomic(&path, b"one").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists(), "a dead process's temporary is removed");
        }
        assert!(other.exists(), "another file's temporary is left alone");
    }
}
