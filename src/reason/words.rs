//! Plain token features of a text, for the classifiers over BIG-Bench prompts: the bag of
//! words of the whole text, the bag of its last `TAIL` tokens, and its last three tokens
//! one-hot (position-aware). Tokens are the ARDT's words ([`crate::text::words`]):
//! lowercased words, and every punctuation mark on its own (brackets matter in
//! `dyck_languages`).

use std::collections::HashMap;

use crate::text::words;

/// Tokens counted in the tail's bag.
pub const TAIL: usize = 16;
/// The last tokens read one-hot.
pub const LAST: usize = 3;

/// A vocabulary of the most frequent tokens of some texts, and the feature rows it gives.
#[derive(Clone, Debug)]
pub struct TokenFeatures {
    index: HashMap<String, usize>,
}

impl TokenFeatures {
    /// The `size` most frequent tokens of `texts` seen at least twice (ties by token).
    pub fn fit<'a>(texts: impl IntoIterator<Item = &'a str>, size: usize) -> TokenFeatures {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for text in texts {
            for w in words(text) {
                *counts.entry(w).or_default() += 1;
            }
        }
        let mut ranked: Vec<(String, usize)> =
            counts.into_iter().filter(|(_, c)| *c >= 2).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(size);
        TokenFeatures {
            index: ranked
                .into_iter()
                .enumerate()
                .map(|(i, (w, _))| (w, i))
                .collect(),
        }
    }

    /// The row width: two bags and the last tokens, each over the vocabulary and one
    /// "other" column.
    pub fn width(&self) -> usize {
        (2 + LAST) * (self.index.len() + 1)
    }

    /// The features of `text`.
    pub fn row(&self, text: &str) -> Vec<f32> {
        let v = self.index.len() + 1;
        let id = |w: &str| self.index.get(w).copied().unwrap_or(v - 1);
        let tokens = words(text);
        let mut out = vec![0.0; self.width()];
        for w in &tokens {
            out[id(w)] += 1.0;
        }
        for w in tokens.iter().rev().take(TAIL) {
            out[v + id(w)] += 1.0;
        }
        for (k, w) in tokens.iter().rev().take(LAST).enumerate() {
            out[(2 + k) * v + id(w)] = 1.0;
        }
        out
    }
}
