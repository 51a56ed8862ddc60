//! Reports written as their tasks end, in task order: a report waits only for the ones
//! before it, so a long run shows its results as it goes and its output reads as if
//! written at the end.

use std::collections::BTreeMap;
use std::io;

use janus::SolveReport;

/// Writes reports in index order as they come, through `write`.
pub(super) struct InOrder<W> {
    next: usize,
    pending: BTreeMap<usize, SolveReport>,
    write: W,
    error: Option<io::Error>,
}

impl<W: FnMut(&SolveReport) -> io::Result<()>> InOrder<W> {
    /// Nothing written yet; the first report is number 0.
    pub(super) fn new(write: W) -> Self {
        InOrder {
            next: 0,
            pending: BTreeMap::new(),
            write,
            error: None,
        }
    }

    /// Report `i` has come: writes it and every waiting one after it that it unblocks.
    /// After a write error nothing more is written.
    pub(super) fn push(&mut self, i: usize, report: &SolveReport) {
        self.pending.insert(i, report.clone());
        while let Some(r) = self.pending.remove(&self.next) {
            if self.error.is_none() {
                self.error = (self.write)(&r).err();
            }
            self.next += 1;
        }
    }

    /// The first write error, if any.
    pub(super) fn finish(self) -> io::Result<()> {
        self.error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(task: &str) -> SolveReport {
        let task = janus::tasks::double_add_task(2.into(), task.parse().unwrap());
        let d = janus::DomainKind::DoubleAdd.domain();
        janus::solve_with(
            &task,
            &d,
            janus::default_policy(janus::Strategy::Bidir, &d).as_ref(),
            &janus::SolveConfig::default(),
        )
    }

    #[test]
    fn reports_are_written_in_task_order_as_soon_as_their_turn_comes() {
        let mut written = Vec::new();
        let mut out = InOrder::new(|r: &SolveReport| {
            written.push(r.task.clone());
            Ok(())
        });
        out.push(1, &report("5"));
        out.push(2, &report("6"));
        out.push(0, &report("4"));
        out.push(3, &report("7"));
        out.finish().unwrap();
        assert_eq!(written, ["4", "5", "6", "7"]);
    }
}
