//! Input usage for linear tasks (the 24 Game): how many times each distinct input value
//! a sub-program consumes. Part of a value node's identity, so that the forward and
//! backward fronts only meet where the resources add up exactly.

/// Counts per input slot, 4 bits each, up to 16 slots (one slot per distinct input value).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Usage(u64);

/// Most distinct input values a linear task may have.
pub const MAX_SLOTS: usize = 16;
/// Most copies of one input value a linear task may have.
pub const MAX_COUNT: u8 = 15;

impl Usage {
    /// Uses nothing (also the usage of every node in a non-linear task).
    pub const NONE: Usage = Usage(0);
    /// No limit: every slot may be used up to [`MAX_COUNT`] times.
    pub const UNLIMITED: Usage = Usage(u64::MAX);

    /// One use of `slot`.
    pub fn unit(slot: usize) -> Usage {
        assert!(slot < MAX_SLOTS, "at most {MAX_SLOTS} input slots");
        Usage(1 << (4 * slot))
    }

    /// How many uses of `slot`.
    pub fn count(self, slot: usize) -> u8 {
        ((self.0 >> (4 * slot)) & 15) as u8
    }

    /// Total number of input uses.
    pub fn total(self) -> u32 {
        (0..MAX_SLOTS).map(|s| self.count(s) as u32).sum()
    }

    /// Whether nothing is used.
    pub fn is_none(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, if no slot exceeds `limit`'s count.
    pub fn checked_add(self, other: Usage, limit: Usage) -> Option<Usage> {
        if self.is_none() && other.is_none() {
            return Some(Usage::NONE); // every node of a non-linear task
        }
        let mut out = 0u64;
        for s in 0..MAX_SLOTS {
            let c = self.count(s) + other.count(s);
            if c > limit.count(s) {
                return None;
            }
            out |= (c as u64) << (4 * s);
        }
        Some(Usage(out))
    }

    /// `self - other`, if `other` uses no slot more often than `self`.
    pub fn checked_sub(self, other: Usage) -> Option<Usage> {
        if other.is_none() {
            return Some(self); // every node of a non-linear task
        }
        let mut out = 0u64;
        for s in 0..MAX_SLOTS {
            let c = self.count(s).checked_sub(other.count(s))?;
            out |= (c as u64) << (4 * s);
        }
        Some(Usage(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addition_respects_limits_and_subtraction_inverts_it() {
        let limit = Usage::unit(0)
            .checked_add(Usage::unit(0), Usage::UNLIMITED)
            .unwrap();
        let one = Usage::unit(0);
        let two = one.checked_add(one, limit).unwrap();
        assert_eq!(two.count(0), 2);
        assert_eq!(two.checked_add(one, limit), None);
        assert_eq!(two.checked_sub(one), Some(one));
        assert_eq!(one.checked_sub(Usage::unit(1)), None);
        assert_eq!(
            two.checked_add(Usage::unit(3), Usage::UNLIMITED)
                .unwrap()
                .total(),
            3
        );
    }
}
