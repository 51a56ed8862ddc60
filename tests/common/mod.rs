//! Fixtures shared by the tests: running the binary (`run`), grow runs' settings
//! (`grow`), and the ARDT and language-model configurations.
#![allow(dead_code)] // each test crate uses its part

pub mod grow;
pub mod run;

use std::path::Path;

use janus::ardt::Word2VecParams;
use janus::ardt::{
    EmbeddingChoice, FeatureConfig, HeadKind, TokenizerKind, TokenizerSource, TrainConfig,
};
use janus::gbdt::BoostParams;

/// `docs` documents "red fish swims left ." or "blue fish swims right ." (seeded coin
/// flips): the last word depends on the first, three tokens back.
pub fn toy_grammar(docs: usize, seed: u64) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..docs)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if state >> 63 == 0 {
                "red fish swims left .\n"
            } else {
                "blue fish swims right .\n"
            }
        })
        .collect()
}

/// A small ARDT configuration for the toy grammar: word-level tokens, a window of 4, depth-4
/// trees; word2vec (when used) of width 16.
pub fn toy_config(
    dir: &Path,
    embeddings: EmbeddingChoice,
    head: HeadKind,
    rounds: usize,
) -> TrainConfig {
    TrainConfig {
        tokenizer: TokenizerSource::Train {
            kind: TokenizerKind::Word,
            vocab_size: 100,
            min_count: 1,
        },
        embeddings,
        word2vec: Word2VecParams {
            dim: 16,
            epochs: 20,
            subsample: 0.0,
            ..Word2VecParams::default()
        },
        cache_dir: dir.join("cache"),
        features: FeatureConfig {
            window: 4,
            decay: 0.5,
            last: 1,
        },
        head,
        boost: BoostParams {
            rounds,
            max_depth: 4,
            ..BoostParams::default()
        },
        max_rows: None,
        max_tokens: None,
    }
}
