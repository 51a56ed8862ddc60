//! Tokenizers: word-level (the ARDT paper's: lowercased words and punctuation, the most
//! frequent words, the rest `<unk>`) and subword (the `tokenizers` crate: BPE or WordPiece
//! trained here, or any `tokenizer.json`). Every tokenizer has an end-of-text token, which
//! ends each document, and token ids `0..vocab_size()`.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokenizers::models::bpe::{BpeTrainer, BPE};
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::models::TrainerWrapper;
use tokenizers::AddedToken;

use super::corpus::{Corpus, CorpusError};

/// The unknown-word token of word-level vocabularies (id 0).
pub const UNK: &str = "<unk>";
/// The end-of-text token of tokenizers janus trains (id 1).
pub const EOS: &str = "<eos>";

/// Which kind of tokenizer to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenizerKind {
    /// Lowercased words and single punctuation marks; the most frequent words form the
    /// vocabulary, the rest is `<unk>`.
    Word,
    /// Byte-level BPE (GPT-2 style): no unknown tokens.
    Bpe,
    /// WordPiece (BERT style, lowercased).
    Wordpiece,
}

/// Why a tokenizer cannot be built or loaded.
#[derive(Debug, thiserror::Error)]
pub enum TokenizerError {
    /// The corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The `tokenizers` crate failed (training or a bad `tokenizer.json`).
    #[error("{path}: {message}")]
    Subword {
        /// The file involved.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// A trained tokenizer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Tokenizer {
    /// Word-level.
    Word(WordVocab),
    /// Subword, from the `tokenizers` crate (boxed: it is large).
    Subword(Box<Subword>),
}

/// A word-level vocabulary: `tokens[id]`; ids 0 and 1 are `<unk>` and `<eos>`, the rest in
/// order of decreasing frequency.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct WordVocab {
    tokens: Vec<String>,
    index: HashMap<String, u32>,
}

impl From<Vec<String>> for WordVocab {
    fn from(tokens: Vec<String>) -> Self {
        let index = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        WordVocab { tokens, index }
    }
}

impl From<WordVocab> for Vec<String> {
    fn from(v: WordVocab) -> Self {
        v.tokens
    }
}

/// Splits text into lowercased words (letters and digits, with inner apostrophes and
/// hyphens) and single punctuation marks.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let joins = (c == '\'' || c == '-')
            && !word.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || joins {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

impl WordVocab {
    /// The `size` most frequent words of `corpus` (ties in alphabetical order), plus
    /// `<unk>` and `<eos>`; words seen fewer than `min_count` times are left out.
    pub fn train(corpus: &Corpus, size: usize, min_count: u64) -> Result<WordVocab, CorpusError> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for doc in corpus.documents()? {
            for w in words(&doc?) {
                *counts.entry(w).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, u64)> = counts
            .into_iter()
            .filter(|(w, c)| *c >= min_count && w != UNK && w != EOS)
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let tokens = [UNK.to_string(), EOS.to_string()]
            .into_iter()
            .chain(
                ranked
                    .into_iter()
                    .take(size.saturating_sub(2))
                    .map(|(w, _)| w),
            )
            .collect::<Vec<_>>();
        Ok(WordVocab::from(tokens))
    }

    fn encode(&self, text: &str) -> Vec<u32> {
        words(text)
            .iter()
            .map(|w| self.index.get(w).copied().unwrap_or(0))
            .collect()
    }
}

/// A subword tokenizer; stored as its `tokenizer.json` text.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Subword {
    inner: tokenizers::Tokenizer,
    eos: u32,
    unk: Option<u32>,
}

impl TryFrom<String> for Subword {
    type Error = String;

    fn try_from(json: String) -> Result<Self, String> {
        let inner: tokenizers::Tokenizer =
            json.parse().map_err(|e| format!("bad tokenizer: {e}"))?;
        Ok(Subword::wrap(inner))
    }
}

impl From<Subword> for String {
    fn from(s: Subword) -> String {
        s.inner.to_string(false).expect("a tokenizer serialises")
    }
}

/// End-of-text tokens of common tokenizers, in order of preference.
const EOS_NAMES: [&str; 5] = [EOS, "<|endoftext|>", "</s>", "[SEP]", "<eos>"];
const UNK_NAMES: [&str; 3] = [UNK, "[UNK]", "<UNK>"];

impl Subword {
    /// Wraps a tokenizer, finding (or adding) its end-of-text token.
    fn wrap(mut inner: tokenizers::Tokenizer) -> Subword {
        let find =
            |t: &tokenizers::Tokenizer, names: &[&str]| names.iter().find_map(|n| t.token_to_id(n));
        let eos = match find(&inner, &EOS_NAMES) {
            Some(id) => id,
            None => {
                inner.add_special_tokens(&[AddedToken::from(EOS, true)]);
                inner.token_to_id(EOS).expect("just added")
            }
        };
        let unk = find(&inner, &UNK_NAMES);
        Subword { inner, eos, unk }
    }

    /// Loads a `tokenizer.json`.
    pub fn load(path: &std::path::Path) -> Result<Subword, TokenizerError> {
        let inner =
            tokenizers::Tokenizer::from_file(path).map_err(|e| TokenizerError::Subword {
                path: path.display().to_string(),
                message: format!("not a tokenizer.json: {e}"),
            })?;
        Ok(Subword::wrap(inner))
    }

    /// Trains BPE (byte-level) or WordPiece (lowercased) on `corpus`.
    pub fn train(
        corpus: &Corpus,
        kind: TokenizerKind,
        vocab_size: usize,
    ) -> Result<Subword, TokenizerError> {
        use tokenizers::{decoders, normalizers, pre_tokenizers};
        let specials = vec![AddedToken::from(UNK, true), AddedToken::from(EOS, true)];
        let (mut inner, mut trainer): (tokenizers::Tokenizer, TrainerWrapper) = match kind {
            TokenizerKind::Wordpiece => {
                let mut t = tokenizers::Tokenizer::new(
                    WordPiece::builder()
                        .unk_token(UNK.into())
                        .build()
                        .expect("valid"),
                );
                t.with_normalizer(Some(normalizers::bert::BertNormalizer::new(
                    true, true, None, true,
                )));
                t.with_pre_tokenizer(Some(pre_tokenizers::bert::BertPreTokenizer));
                t.with_decoder(Some(decoders::wordpiece::WordPiece::default()));
                let trainer = WordPieceTrainer::builder()
                    .vocab_size(vocab_size)
                    .special_tokens(specials)
                    .show_progress(false)
                    .build();
                (t, trainer.into())
            }
            _ => {
                let mut t = tokenizers::Tokenizer::new(BPE::default());
                // No prefix space, so that decoding gives back the text exactly.
                let byte_level = pre_tokenizers::byte_level::ByteLevel::new(false, true, true);
                t.with_pre_tokenizer(Some(byte_level));
                t.with_decoder(Some(byte_level));
                let trainer = BpeTrainer::builder()
                    .vocab_size(vocab_size)
                    .special_tokens(specials)
                    .initial_alphabet(
                        pre_tokenizers::byte_level::ByteLevel::alphabet()
                            .into_iter()
                            .collect(),
                    )
                    .show_progress(false)
                    .build();
                (t, trainer.into())
            }
        };
        let failure: Mutex<Option<CorpusError>> = Mutex::new(None);
        let docs = corpus
            .documents()?
            .map_while(|d| d.map_err(|e| *failure.lock().unwrap() = Some(e)).ok());
        inner
            .train(&mut trainer, docs)
            .map_err(|e| TokenizerError::Subword {
                path: corpus.path().display().to_string(),
                message: format!("training the tokenizer: {e}"),
            })?;
        if let Some(e) = failure.into_inner().unwrap() {
            return Err(e.into());
        }
        Ok(Subword::wrap(inner))
    }
}

impl Tokenizer {
    /// Token ids of `text` (without an end-of-text token).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        match self {
            Tokenizer::Word(v) => v.encode(text),
            Tokenizer::Subword(s) => s
                .inner
                .encode(text, false)
                .map(|e| e.get_ids().to_vec())
                .unwrap_or_default(),
        }
    }

    /// A document's ids, ended by the end-of-text token.
    pub fn encode_document(&self, text: &str) -> Vec<u32> {
        let mut ids = self.encode(text);
        ids.push(self.eos());
        ids
    }

    /// Text of a token sequence.
    pub fn decode(&self, ids: &[u32]) -> String {
        match self {
            Tokenizer::Word(v) => detokenize(
                ids.iter()
                    .map(|&i| v.tokens.get(i as usize).map_or(UNK, String::as_str)),
            ),
            Tokenizer::Subword(s) => s.inner.decode(ids, false).unwrap_or_default(),
        }
    }

    /// Number of token ids.
    pub fn vocab_size(&self) -> usize {
        match self {
            Tokenizer::Word(v) => v.tokens.len(),
            Tokenizer::Subword(s) => s.inner.get_vocab_size(true),
        }
    }

    /// The text of one token.
    pub fn token(&self, id: u32) -> String {
        match self {
            Tokenizer::Word(v) => v
                .tokens
                .get(id as usize)
                .cloned()
                .unwrap_or_else(|| UNK.into()),
            Tokenizer::Subword(s) => s.inner.id_to_token(id).unwrap_or_default(),
        }
    }

    /// The end-of-text token.
    pub fn eos(&self) -> u32 {
        match self {
            Tokenizer::Word(_) => 1,
            Tokenizer::Subword(s) => s.eos,
        }
    }

    /// The unknown token, if the tokenizer has one.
    pub fn unk(&self) -> Option<u32> {
        match self {
            Tokenizer::Word(_) => Some(0),
            Tokenizer::Subword(s) => s.unk,
        }
    }

    /// A short description: kind and vocabulary size.
    pub fn describe(&self) -> String {
        match self {
            Tokenizer::Word(_) => format!("word-level, {} tokens", self.vocab_size()),
            Tokenizer::Subword(_) => format!("subword, {} tokens", self.vocab_size()),
        }
    }
}

/// Joins words with spaces, without a space before closing punctuation or after opening.
fn detokenize<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut glue_next = true;
    for t in tokens {
        let closes = matches!(
            t,
            "." | "," | ";" | ":" | "!" | "?" | ")" | "]" | "}" | "'s" | "%" | EOS
        );
        if !glue_next && !closes {
            out.push(' ');
        }
        out.push_str(if t == EOS { "\n" } else { t });
        glue_next = matches!(t, "(" | "[" | "{" | "$") || t == EOS;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_punctuation_and_keep_contractions() {
        assert_eq!(
            words("Don't stop, Mary-Ann!"),
            vec!["don't", "stop", ",", "mary-ann", "!"]
        );
        assert_eq!(words("  'quoted' "), vec!["'", "quoted", "'"]);
    }

    #[test]
    fn detokenize_glues_punctuation() {
        let t = ["the", "cat", ",", "(", "a", "dog", ")", "sat", "."];
        assert_eq!(detokenize(t.into_iter()), "the cat, (a dog) sat.");
    }
}
