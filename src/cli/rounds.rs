//! The loss of each boosting round, as XGBoost prints it: one line per round on stderr
//! (`[3]  train-loss:0.41  valid-loss:0.52`), and the history with the best round for
//! `--json`.

use janus::gbdt::RoundLog;
use serde_json::json;

/// Rounds seen so far.
#[derive(Default)]
pub struct Rounds {
    logs: Vec<RoundLog>,
}

impl Rounds {
    /// Records a round and the line to print for it.
    pub fn record(&mut self, log: &RoundLog) -> String {
        self.logs.push(*log);
        let mut line = format!("[{}]\ttrain-loss:{:.5}", log.round, log.train_loss);
        if let Some(v) = log.valid_loss {
            line += &format!("\tvalid-loss:{v:.5}");
        }
        line
    }

    /// The round with the lowest validation loss (the training loss without validation),
    /// and that loss.
    pub fn best(&self) -> Option<(usize, f64)> {
        self.logs
            .iter()
            .map(|l| (l.round, l.valid_loss.unwrap_or(l.train_loss)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The line printed after the last round.
    pub fn summary(&self) -> Option<String> {
        let (round, loss) = self.best()?;
        let what = match self.logs.iter().any(|l| l.valid_loss.is_some()) {
            true => "valid",
            false => "train",
        };
        Some(format!("best round [{round}]: {what}-loss {loss:.5}"))
    }

    /// Every round's losses and the best round, for `--json`.
    pub fn json(&self) -> serde_json::Value {
        json!({
            "losses": self.logs.iter().map(|l| json!({
                "round": l.round, "train_loss": l.train_loss, "valid_loss": l.valid_loss,
            })).collect::<Vec<_>>(),
            "best_round": self.best().map(|b| b.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_round_is_the_lowest_validation_loss() {
        let mut r = Rounds::default();
        for (round, train, valid) in [(1, 0.9, 0.8), (2, 0.7, 0.6), (3, 0.5, 0.65)] {
            let line = r.record(&RoundLog {
                round,
                train_loss: train,
                valid_loss: Some(valid),
            });
            assert!(line.starts_with(&format!("[{round}]\ttrain-loss:")));
        }
        assert_eq!(r.best(), Some((2, 0.6)));
        assert_eq!(r.summary().unwrap(), "best round [2]: valid-loss 0.60000");
        assert_eq!(r.json()["best_round"], 2);
        assert_eq!(r.json()["losses"].as_array().unwrap().len(), 3);
    }
}
