//! Reading a text corpus as a stream of documents, so that a corpus of gigabytes never
//! has to be in memory at once: one document per line, or documents separated by
//! `<|endoftext|>` (which may span lines).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The marker between documents in `<|endoftext|>`-separated corpora.
pub const END_OF_TEXT: &str = "<|endoftext|>";

/// How documents are delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFormat {
    /// `<|endoftext|>` if the first megabyte contains it, else lines.
    Auto,
    /// One document per non-empty line.
    Lines,
    /// Documents separated by `<|endoftext|>`; newlines inside a document are kept.
    EndOfText,
}

/// Why a corpus cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CorpusError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl CorpusError {
    fn new(path: &Path, message: impl ToString) -> CorpusError {
        CorpusError {
            path: path.display().to_string(),
            message: message.to_string(),
        }
    }
}

/// A corpus file and how its documents are delimited; `documents()` streams them.
#[derive(Clone, Debug)]
pub struct Corpus {
    path: PathBuf,
    format: DocFormat,
}

impl Corpus {
    /// Opens `path` (checking that it is readable) and resolves `DocFormat::Auto`.
    pub fn open(path: &Path, format: DocFormat) -> Result<Corpus, CorpusError> {
        let mut head = Vec::new();
        File::open(path)
            .and_then(|f| f.take(1 << 20).read_to_end(&mut head))
            .map_err(|e| CorpusError::new(path, e))?;
        let format = match format {
            DocFormat::Auto if contains(&head, END_OF_TEXT.as_bytes()) => DocFormat::EndOfText,
            DocFormat::Auto => DocFormat::Lines,
            f => f,
        };
        Ok(Corpus {
            path: path.to_path_buf(),
            format,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The documents, in order, each trimmed; empty ones are skipped. Reading errors
    /// (including invalid UTF-8) name the file and line.
    pub fn documents(&self) -> Result<Documents, CorpusError> {
        let file = File::open(&self.path).map_err(|e| CorpusError::new(&self.path, e))?;
        Ok(Documents {
            reader: BufReader::with_capacity(1 << 20, file),
            path: self.path.clone(),
            format: self.format,
            line: 0,
            pending: String::new(),
            done: false,
        })
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A streaming iterator over a corpus's documents.
pub struct Documents {
    reader: BufReader<File>,
    path: PathBuf,
    format: DocFormat,
    line: usize,
    pending: String,
    done: bool,
}

impl Documents {
    fn read_line(&mut self) -> Result<Option<String>, CorpusError> {
        let mut buf = Vec::new();
        let n = self
            .reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| CorpusError::new(&self.path, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        String::from_utf8(buf).map(Some).map_err(|_| {
            CorpusError::new(&self.path, format!("line {}: not valid UTF-8", self.line))
        })
    }

    fn next_document(&mut self) -> Result<Option<String>, CorpusError> {
        loop {
            if self.format == DocFormat::EndOfText {
                if let Some(at) = self.pending.find(END_OF_TEXT) {
                    let doc = self.pending[..at].trim().to_string();
                    self.pending.drain(..at + END_OF_TEXT.len());
                    if !doc.is_empty() {
                        return Ok(Some(doc));
                    }
                    continue;
                }
            }
            match self.read_line()? {
                Some(line) if self.format == DocFormat::Lines => {
                    let doc = line.trim();
                    if !doc.is_empty() {
                        return Ok(Some(doc.to_string()));
                    }
                }
                Some(line) => self.pending.push_str(&line),
                None => {
                    let doc = std::mem::take(&mut self.pending).trim().to_string();
                    return Ok((!doc.is_empty()).then_some(doc));
                }
            }
        }
    }
}

impl Iterator for Documents {
    type Item = Result<String, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let doc = self.next_document().transpose();
        if !matches!(doc, Some(Ok(_))) {
            self.done = true;
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str, format: DocFormat) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.txt");
        std::fs::write(&path, text).unwrap();
        Corpus::open(&path, format)
            .unwrap()
            .documents()
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn lines_are_documents() {
        assert_eq!(docs("a b\n\n c \n", DocFormat::Auto), vec!["a b", "c"]);
    }

    #[test]
    fn end_of_text_separates_documents_across_lines() {
        let text = "one\ntwo<|endoftext|>three<|endoftext|>\n<|endoftext|>four\n";
        assert_eq!(
            docs(text, DocFormat::Auto),
            vec!["one\ntwo", "three", "four"]
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.txt");
        std::fs::write(&path, b"fine\n\xff\xfe\n").unwrap();
        let corpus = Corpus::open(&path, DocFormat::Lines).unwrap();
        let e = corpus
            .documents()
            .unwrap()
            .find_map(Result::err)
            .unwrap()
            .to_string();
        assert!(e.contains("bad.txt") && e.contains("line 2"), "{e}");
    }
}
