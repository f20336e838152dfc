//! Fault injection for client tests: throttling, server errors, unprocessed
//! batch entries and corrupted CRCs, switched on from any thread.
//!
//! Every knob is an atomic counter, so tests can arm faults while requests
//! are in flight. The engine consults them at the start of each operation;
//! the HTTP layer consults [`Faults::take_corrupt_crc`].

use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};

/// Armed faults, shared by the engine and the HTTP layer.
///
/// # Example
/// ```
/// use dynamo_local::faults::Faults;
/// let faults = Faults::default();
/// faults.corrupt_crc_next(1);
/// assert!(faults.take_corrupt_crc());
/// assert!(!faults.take_corrupt_crc());
/// ```
#[derive(Debug, Default)]
pub struct Faults {
    throttle: AtomicU32,
    fail: AtomicU32,
    fail_status: AtomicU16,
    unprocessed_every: AtomicU32,
    corrupt_crc: AtomicU32,
}

/// Decrements `counter` if it is positive; true when it was.
fn take(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
        .is_ok()
}

impl Faults {
    /// The next `n` data-plane calls fail with `ProvisionedThroughputExceededException`.
    pub fn throttle_next(&self, n: u32) {
        self.throttle.store(n, Ordering::Release);
    }

    /// The next `n` calls fail with HTTP `status`: 503 gives
    /// `ServiceUnavailableException`, anything else `InternalServerError` (500).
    pub fn fail_next(&self, n: u32, status: u16) {
        self.fail_status.store(status, Ordering::Release);
        self.fail.store(n, Ordering::Release);
    }

    /// Batch calls leave every `k`-th key or write request unprocessed (0 = off).
    pub fn unprocessed_every(&self, k: u32) {
        self.unprocessed_every.store(k, Ordering::Release);
    }

    /// The next `n` responses get a wrong `x-amz-crc32` header.
    pub fn corrupt_crc_next(&self, n: u32) {
        self.corrupt_crc.store(n, Ordering::Release);
    }

    /// True (once per armed count) when this response's CRC must be corrupted.
    pub fn take_corrupt_crc(&self) -> bool {
        take(&self.corrupt_crc)
    }

    /// Disarms every fault.
    pub fn reset(&self) {
        self.throttle.store(0, Ordering::Release);
        self.fail.store(0, Ordering::Release);
        self.unprocessed_every.store(0, Ordering::Release);
        self.corrupt_crc.store(0, Ordering::Release);
    }

    /// True (once per armed count) when this data-plane call must be throttled.
    pub fn take_throttle(&self) -> bool {
        take(&self.throttle)
    }

    /// The status this call must fail with, if a failure is armed.
    pub fn take_failure(&self) -> Option<u16> {
        take(&self.fail).then(|| match self.fail_status.load(Ordering::Acquire) {
            503 => 503,
            _ => 500,
        })
    }

    /// The current `unprocessed_every` setting (0 = off).
    pub fn unprocessed_period(&self) -> u32 {
        self.unprocessed_every.load(Ordering::Acquire)
    }
}
