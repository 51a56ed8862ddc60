//! NumPy `.npy` files (version 1.0, little-endian, C order) for feature matrices and
//! labels, so that the same data can be handed to XGBoost from Python.

use std::path::Path;

use super::data::Matrix;

/// Why an `.npy` file cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct NpyError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

const MAGIC: &[u8] = b"\x93NUMPY";

fn header(descr: &str, shape: &[usize]) -> Vec<u8> {
    let shape = match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    while (MAGIC.len() + 4 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut out = MAGIC.to_vec();
    out.extend([1u8, 0]);
    out.extend((dict.len() as u16).to_le_bytes());
    out.extend(dict.as_bytes());
    out
}

/// A matrix as the bytes of a 2-D `<f4` `.npy` file.
pub fn matrix_bytes(m: &Matrix) -> Vec<u8> {
    let mut out = header("<f4", &[m.rows(), m.cols()]);
    out.extend(m.as_slice().iter().flat_map(|v| v.to_le_bytes()));
    out
}

/// Labels as the bytes of a 1-D `<u4` `.npy` file.
pub fn labels_bytes(labels: &[u32]) -> Vec<u8> {
    let mut out = header("<u4", &[labels.len()]);
    out.extend(labels.iter().flat_map(|v| v.to_le_bytes()));
    out
}

struct Array {
    descr: String,
    shape: Vec<usize>,
    data: Vec<u8>,
}

fn read_array(path: &Path) -> Result<Array, NpyError> {
    let err = |message: String| NpyError {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(err("not a .npy file".into()));
    }
    let (len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(err(format!("unsupported .npy version {v}"))),
    };
    let dict = bytes
        .get(start..start + len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| err("truncated header".into()))?;
    let field = |key: &str| -> Option<String> {
        let at = dict.find(&format!("'{key}':"))? + key.len() + 3;
        let rest = dict[at..].trim_start();
        let end = if rest.starts_with('(') {
            rest.find(')')? + 1
        } else {
            rest.find(',')?
        };
        Some(rest[..end].trim().trim_matches('\'').to_string())
    };
    if field("fortran_order").as_deref() != Some("False") {
        return Err(err("only C-order arrays are supported".into()));
    }
    let descr = field("descr").ok_or_else(|| err("header has no descr".into()))?;
    let shape: Vec<usize> = field("shape")
        .ok_or_else(|| err("header has no shape".into()))?
        .trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| err(format!("bad shape entry {s:?}"))))
        .collect::<Result<_, _>>()?;
    let data = bytes[start + len..].to_vec();
    Ok(Array { descr, shape, data })
}

fn element_count(a: &Array, size: usize, path: &Path) -> Result<usize, NpyError> {
    let err = |needs: String| NpyError {
        path: path.display().to_string(),
        message: format!(
            "shape {:?} needs {needs} bytes of data, found {}",
            a.shape,
            a.data.len()
        ),
    };
    let n = a
        .shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .ok_or_else(|| err("more than 2^64".into()))?;
    let bytes = n
        .checked_mul(size)
        .ok_or_else(|| err("more than 2^64".into()))?;
    if a.data.len() != bytes {
        return Err(err(bytes.to_string()));
    }
    Ok(n)
}

/// Reads a 2-D `<f4` or `<f8` array (a 1-D array is one column).
pub fn read_matrix(path: &Path) -> Result<Matrix, NpyError> {
    let a = read_array(path)?;
    let (rows, cols) = match a.shape[..] {
        [n] => (n, 1),
        [r, c] => (r, c),
        _ => {
            return Err(NpyError {
                path: path.display().to_string(),
                message: format!("expected a 2-D array, found shape {:?}", a.shape),
            })
        }
    };
    let data = match a.descr.as_str() {
        "<f4" => {
            element_count(&a, 4, path)?;
            a.data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
                .collect()
        }
        "<f8" => {
            element_count(&a, 8, path)?;
            a.data
                .chunks_exact(8)
                .map(|b| f64::from_le_bytes(b.try_into().unwrap()) as f32)
                .collect()
        }
        d => {
            return Err(NpyError {
                path: path.display().to_string(),
                message: format!("expected float data, found {d}"),
            })
        }
    };
    Ok(Matrix::new(rows, cols, data))
}

/// Reads a 1-D array of non-negative integer labels (`<u4`, `<i4` or `<i8`).
pub fn read_labels(path: &Path) -> Result<Vec<u32>, NpyError> {
    let a = read_array(path)?;
    let err = |message: String| NpyError {
        path: path.display().to_string(),
        message,
    };
    if a.shape.len() != 1 {
        return Err(err(format!(
            "expected a 1-D array, found shape {:?}",
            a.shape
        )));
    }
    let values: Vec<i64> = match a.descr.as_str() {
        "<u4" | "<i4" => {
            element_count(&a, 4, path)?;
            a.data
                .chunks_exact(4)
                .map(|b| {
                    let b: [u8; 4] = b.try_into().unwrap();
                    if a.descr == "<u4" {
                        u32::from_le_bytes(b) as i64
                    } else {
                        i32::from_le_bytes(b) as i64
                    }
                })
                .collect()
        }
        "<i8" => {
            element_count(&a, 8, path)?;
            a.data
                .chunks_exact(8)
                .map(|b| i64::from_le_bytes(b.try_into().unwrap()))
                .collect()
        }
        d => return Err(err(format!("expected integer labels, found {d}"))),
    };
    values
        .into_iter()
        .map(|v| u32::try_from(v).map_err(|_| err(format!("label {v} is not a class index"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_matrices_and_labels() {
        let dir = tempfile::tempdir().unwrap();
        let m = Matrix::new(2, 3, vec![1.0, 2.0, 3.0, 4.5, -1.0, 0.0]);
        std::fs::write(dir.path().join("x.npy"), matrix_bytes(&m)).unwrap();
        assert_eq!(read_matrix(&dir.path().join("x.npy")).unwrap(), m);
        std::fs::write(dir.path().join("y.npy"), labels_bytes(&[3, 1, 4])).unwrap();
        assert_eq!(
            read_labels(&dir.path().join("y.npy")).unwrap(),
            vec![3, 1, 4]
        );
    }

    #[test]
    fn a_truncated_file_names_the_problem() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.npy");
        let m = Matrix::new(2, 2, vec![1.0; 4]);
        std::fs::write(&path, matrix_bytes(&m)).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let e = read_matrix(&path).unwrap_err().to_string();
        assert!(e.contains("x.npy") && e.contains("bytes of data"), "{e}");
    }
}
