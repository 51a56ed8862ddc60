//! The running search's deadline, for work deep inside one step that its callers cannot
//! pass it to (a policy proposing the argument tuples of an abstraction of many
//! parameters): set for the search's thread while it runs, read there.

use std::cell::Cell;
use std::time::Instant;

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Keeps a deadline set on this thread; the one before comes back when it is dropped.
pub struct DeadlineGuard {
    previous: Option<Instant>,
}

impl Drop for DeadlineGuard {
    fn drop(&mut self) {
        DEADLINE.with(|d| d.set(self.previous));
    }
}

/// Sets this thread's deadline (`None`: none) until the guard is dropped.
pub fn set_deadline(deadline: Option<Instant>) -> DeadlineGuard {
    DeadlineGuard {
        previous: DEADLINE.with(|d| d.replace(deadline)),
    }
}

/// Whether this thread's deadline has passed.
pub fn past_deadline() -> bool {
    DEADLINE
        .with(|d| d.get())
        .is_some_and(|d| Instant::now() >= d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_deadline_holds_while_its_guard_lives_and_nests() {
        assert!(!past_deadline());
        let past = Instant::now() - Duration::from_millis(1);
        {
            let _outer = set_deadline(Some(past));
            assert!(past_deadline());
            {
                let _inner = set_deadline(Some(Instant::now() + Duration::from_secs(60)));
                assert!(!past_deadline());
            }
            assert!(past_deadline(), "the outer deadline is back");
        }
        assert!(!past_deadline());
    }
}
