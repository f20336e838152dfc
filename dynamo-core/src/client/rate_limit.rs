//! Client-side rate limiting of the `adaptive` retry mode.
//!
//! A token bucket that stays open until the service throttles. From then on
//! each attempt takes a token first. On a throttling error the fill rate
//! drops to 70 % of the rate the client was sending at; on success it climbs
//! back along a cubic curve (CUBIC congestion control) towards, then past,
//! the rate of the last throttle, capped at twice the measured send rate.

use std::sync::Mutex;
use std::time::{Duration, Instant};

const MIN_FILL_RATE: f64 = 0.5;
const MIN_CAPACITY: f64 = 1.0;
const SMOOTH: f64 = 0.8;
const BETA: f64 = 0.7;
const SCALE: f64 = 0.4;

/// The limiter of one client.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    start: Instant,
    state: Mutex<State>,
}

/// All times are seconds since the limiter was made.
#[derive(Debug, Default, Clone)]
struct State {
    enabled: bool,
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    measured_rate: f64,
    rate_bucket: f64,
    requests: u64,
    last_max_rate: f64,
    last_throttle: f64,
}

impl RateLimiter {
    pub(crate) fn new() -> RateLimiter {
        RateLimiter {
            start: Instant::now(),
            state: Mutex::new(State::default()),
        }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a token (at once until the service has throttled).
    pub(crate) async fn acquire(&self) {
        let wait = self.state().acquire(self.now());
        if !wait.is_zero() {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "client-side rate limit");
            tokio::time::sleep(wait).await;
        }
    }

    /// Records the outcome of an attempt.
    pub(crate) fn record(&self, throttled: bool) {
        let now = self.now();
        self.state().record(now, throttled);
    }
}

impl State {
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            self.capacity = (self.capacity + (now - last) * self.fill_rate).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// Takes a token; returns how long to wait before sending. The bucket
    /// may go negative, so callers queue behind each other.
    fn acquire(&mut self, now: f64) -> Duration {
        if !self.enabled {
            return Duration::ZERO;
        }
        self.refill(now);
        let wait = if self.capacity >= 1.0 {
            0.0
        } else {
            (1.0 - self.capacity) / self.fill_rate
        };
        self.capacity -= 1.0;
        Duration::from_secs_f64(wait.clamp(0.0, 60.0))
    }

    fn measure(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.requests += 1;
        if bucket > self.rate_bucket {
            let rate = self.requests as f64 / (bucket - self.rate_bucket);
            self.measured_rate = rate * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.requests = 0;
            self.rate_bucket = bucket;
        }
    }

    fn window(&self) -> f64 {
        (self.last_max_rate * (1.0 - BETA) / SCALE).cbrt()
    }

    fn record(&mut self, now: f64, throttled: bool) {
        self.measure(now);
        let calculated = if throttled {
            let rate = if self.enabled {
                self.measured_rate.min(self.fill_rate)
            } else {
                self.measured_rate
            };
            self.last_max_rate = rate;
            self.last_throttle = now;
            self.enabled = true;
            rate * BETA
        } else {
            if !self.enabled {
                return;
            }
            let t = now - self.last_throttle - self.window();
            SCALE * t.powi(3) + self.last_max_rate
        };
        let new_rate = calculated.min(2.0 * self.measured_rate);
        self.refill(now);
        self.fill_rate = new_rate.max(MIN_FILL_RATE);
        self.max_capacity = new_rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_until_throttled_then_paced() {
        let mut s = State::default();
        // 20 requests a second for 3 seconds, all fine: never waits.
        for i in 0..60 {
            let now = f64::from(i) * 0.05;
            assert_eq!(s.acquire(now), Duration::ZERO);
            s.record(now, false);
        }
        assert!(!s.enabled && s.measured_rate > 10.0, "{s:?}");
        // A throttle: the rate drops below what was sent.
        s.record(3.0, true);
        assert!(s.enabled);
        assert!(s.fill_rate < 20.0 && s.fill_rate >= MIN_FILL_RATE, "{s:?}");
        // A burst now has to wait for tokens.
        let waits: Vec<Duration> = (0..20).map(|_| s.acquire(3.0)).collect();
        assert!(
            waits
                .last()
                .is_some_and(|w| *w > Duration::from_millis(500)),
            "{waits:?}"
        );
        let throttled_rate = s.fill_rate;
        // Successes afterwards raise the rate again.
        for i in 0..40 {
            let now = 5.0 + f64::from(i) * 0.1;
            s.record(now, false);
        }
        assert!(s.fill_rate > throttled_rate, "{s:?}");
    }
}
