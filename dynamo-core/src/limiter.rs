//! A token bucket driven by `ConsumedCapacityUnits`, so bulk reads and writes
//! stay under a table's provisioned throughput.
//!
//! Each call first waits until the bucket is not in debt, then the units the
//! service reports as consumed are taken out. The bucket refills at the
//! configured units per second, up to one second's worth of burst.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// Shared capacity budget; clone it to share one budget among tasks.
///
/// # Example
/// ```
/// use dynamo_core::CapacityLimiter;
/// # async fn run() {
/// let limiter = CapacityLimiter::per_second(10.0);
/// limiter.ready().await;      // waits while the budget is overdrawn
/// limiter.consume(2.5);       // what the service said the call consumed
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct CapacityLimiter {
    inner: Arc<Mutex<Bucket>>,
}

#[derive(Debug)]
struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.updated = now;
    }

    /// How long until the bucket is out of debt.
    fn wait_time(&mut self, now: Instant) -> Duration {
        self.refill(now);
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

impl CapacityLimiter {
    /// A budget of `units` capacity units per second (values below 0.1 are
    /// raised to 0.1).
    pub fn per_second(units: f64) -> CapacityLimiter {
        let rate = if units.is_finite() {
            units.max(0.1)
        } else {
            0.1
        };
        CapacityLimiter {
            inner: Arc::new(Mutex::new(Bucket {
                rate,
                burst: rate,
                tokens: rate,
                updated: Instant::now(),
            })),
        }
    }

    /// Waits until the budget allows another call.
    pub async fn ready(&self) {
        loop {
            let wait = self.with_bucket(|b| b.wait_time(Instant::now()));
            if wait.is_zero() {
                return;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Records units consumed by a call.
    pub fn consume(&self, units: f64) {
        if units.is_finite() && units > 0.0 {
            self.with_bucket(|b| {
                b.refill(Instant::now());
                b.tokens -= units;
            });
        }
    }

    /// Units available now (negative when overdrawn).
    pub fn available(&self) -> f64 {
        self.with_bucket(|b| {
            b.refill(Instant::now());
            b.tokens
        })
    }

    fn with_bucket<R>(&self, f: impl FnOnce(&mut Bucket) -> R) -> R {
        // A poisoned lock only means another task panicked mid-update of
        // plain numbers; the bucket is still usable.
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debt_sets_the_wait() {
        let mut b = Bucket {
            rate: 10.0,
            burst: 10.0,
            tokens: -5.0,
            updated: Instant::now(),
        };
        let now = b.updated;
        let wait = b.wait_time(now);
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-9, "{wait:?}");
        let later = now + Duration::from_millis(600);
        assert_eq!(b.wait_time(later), Duration::ZERO);
        assert!(b.tokens > 0.0 && b.tokens <= 10.0);
    }

    #[test]
    fn refill_is_capped_at_burst() {
        let limiter = CapacityLimiter::per_second(4.0);
        limiter.consume(1.0);
        assert!(limiter.available() <= 4.0);
        limiter.consume(f64::NAN);
        limiter.consume(-3.0);
        assert!(limiter.available() <= 4.0);
    }

    #[tokio::test(start_paused = true)]
    async fn ready_waits_out_the_debt() {
        let limiter = CapacityLimiter::per_second(2.0);
        limiter.consume(6.0); // 2 - 6 = -4 → 2 s of debt
        let start = tokio::time::Instant::now();
        limiter.ready().await;
        // Paused time auto-advances through the sleep.
        assert!(start.elapsed() >= Duration::from_millis(1900));
    }
}
