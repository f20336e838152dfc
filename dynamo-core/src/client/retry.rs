//! Retry policy: which failures are sent again, and how long to wait.
//!
//! The policy follows the `retry` section of the 2011-12-05 service model:
//!
//! * **Retried**: throttling (`ProvisionedThroughputExceededException`,
//!   `ThrottlingException`), HTTP 500, 502, 503, 504 and 509, connection errors,
//!   timeouts, and responses whose body does not match `x-amz-crc32`.
//! * **Refresh, then retried once**: `ExpiredTokenException` — the client asks
//!   its credentials provider for fresh credentials and sends again.
//! * **Never retried**: everything else, in particular
//!   `ConditionalCheckFailedException`, `ValidationException`,
//!   `ResourceNotFoundException`, signature errors and undecodable successes.
//!
//! **Outcomes of an attempt.** Each attempt ends not sent (a refused
//! connection, no credentials), rejected (a 4xx: nothing applied), applied (a
//! 2xx, even with a corrupt body or a bad `x-amz-crc32`) or ambiguous (sent,
//! then a reset, a timeout or a 5xx). Whether an ambiguous attempt is sent
//! again depends on the request ([`crate::wire::Operation::resend`]):
//!
//! * reads, unconditional puts and deletes, and updates of only `PUT`,
//!   `DELETE` and set `ADD` actions are re-sent;
//! * a conditional write is re-sent, but a `ConditionalCheckFailed` after an
//!   ambiguous attempt may be the effect of that attempt: the call fails with
//!   [`ErrorKind::MaybeApplied`];
//! * an update with a numeric `ADD` is not re-sent (unless
//!   [`RetryConfig::resend_unsafe_writes`]) and fails with
//!   [`ErrorKind::MaybeApplied`].
//!
//! An applied write is never sent again: when the caller asked for nothing
//! back the call succeeds; otherwise it fails with [`ErrorKind::WriteApplied`].
//! Any write whose call fails after an ambiguous attempt fails with
//! [`ErrorKind::MaybeApplied`].
//!
//! The client's default is [`RetryConfig::standard`], the AWS SDKs'
//! `standard` mode: at most [`RetryConfig::STANDARD_MAX_ATTEMPTS`] (3)
//! attempts in all, the first try included, waits drawn with *full jitter*
//! from `0..=min(max_delay, base_delay · 2^retry)` where `retry` counts from
//! 0, `base_delay` = 50 ms (DynamoDB's) and `max_delay` = 20 s. The
//! environment sets the mode and attempts with `AWS_RETRY_MODE` and
//! `AWS_MAX_ATTEMPTS`, or the profile's `retry_mode` and `max_attempts`;
//! `legacy` means DynamoDB's legacy policy of
//! [`RetryConfig::DEFAULT_MAX_ATTEMPTS`] (10) attempts. `RetryConfig::default()`
//! is that legacy count too, which the typed layer's batches use for their
//! rounds of unprocessed work.
//!
//! **Retry quota.** Each client holds a bucket of 500 tokens shared by all
//! its calls: a retry takes 5 (10 after a timeout or a broken connection), a
//! success without retry puts 1 back and a success after retries puts back
//! what its last retry took. When the bucket cannot pay, the call returns its
//! error at once, so an outage does not multiply the load on the service.
//!
//! **Adaptive mode** ([`RetryMode::Adaptive`]) adds client-side rate limiting:
//! after a throttling error every call first takes a token from a bucket whose
//! fill rate drops on throttling and climbs back (CUBIC) on success.

use std::time::Duration;

use rand::Rng;

use crate::error::{Error, ErrorKind};

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAction {
    /// Give up and return the error.
    DontRetry,
    /// Wait a backoff delay, then send again.
    Backoff,
    /// Load fresh credentials, then send again.
    RefreshCredentials,
}

/// The classifier: decides what to do about `error`.
pub(crate) fn classify(error: &Error) -> RetryAction {
    match error.kind() {
        ErrorKind::Throttled
        | ErrorKind::Transport
        | ErrorKind::Timeout
        | ErrorKind::Crc32Mismatch => RetryAction::Backoff,
        ErrorKind::Service if error.service_code() == Some("ExpiredTokenException") => {
            RetryAction::RefreshCredentials
        }
        ErrorKind::Service if matches!(error.status(), Some(500 | 502 | 503 | 504 | 509)) => {
            RetryAction::Backoff
        }
        _ => RetryAction::DontRetry,
    }
}

/// How many times to try a request and how long to wait between tries.
///
/// # Example
/// ```
/// use std::time::Duration;
/// use dynamo_core::client::RetryConfig;
/// let retry = RetryConfig::default()
///     .max_attempts(3)
///     .base_delay(Duration::from_millis(10));
/// assert_eq!(retry.delay_ceiling(1), Duration::from_millis(20));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    resend_unsafe_writes: bool,
}

impl RetryConfig {
    /// Attempts in all of [`RetryConfig::default`]: the service model's
    /// (DynamoDB's legacy policy).
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;
    /// Attempts in all of [`RetryConfig::standard`], the client's default.
    pub const STANDARD_MAX_ATTEMPTS: u32 = 3;

    /// The AWS SDKs' standard mode: 3 attempts, the client's default.
    pub fn standard() -> RetryConfig {
        RetryConfig::default().max_attempts(RetryConfig::STANDARD_MAX_ATTEMPTS)
    }
    /// Default base of the exponential backoff.
    pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(50);
    /// Default cap of a single wait.
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(20);

    /// A policy that tries once and never retries.
    pub fn disabled() -> RetryConfig {
        RetryConfig::default().max_attempts(1)
    }

    /// Sets the retry mode.
    #[must_use]
    pub fn mode(mut self, mode: RetryMode) -> RetryConfig {
        self.mode = mode;
        self
    }

    /// The retry mode.
    pub fn retry_mode(&self) -> RetryMode {
        self.mode
    }

    /// Sets the number of attempts in all, the first one included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> RetryConfig {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff.
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> RetryConfig {
        self.base_delay = delay;
        self
    }

    /// Sets the cap of a single wait.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> RetryConfig {
        self.max_delay = delay;
        self
    }

    /// Whether a write that is not safe to send twice (an UpdateItem with a
    /// numeric `ADD`) is sent again after an attempt whose outcome is unknown
    /// (a reset, a timeout, a 5xx). Off by default: such a call fails with
    /// [`ErrorKind::MaybeApplied`]. Turned on, a counter may count twice.
    ///
    /// ```
    /// use dynamo_core::client::RetryConfig;
    /// assert!(!RetryConfig::default().resends_unsafe_writes());
    /// assert!(RetryConfig::default().resend_unsafe_writes(true).resends_unsafe_writes());
    /// ```
    #[must_use]
    pub fn resend_unsafe_writes(mut self, resend: bool) -> RetryConfig {
        self.resend_unsafe_writes = resend;
        self
    }

    /// Whether unsafe writes are sent again after an ambiguous attempt.
    pub fn resends_unsafe_writes(&self) -> bool {
        self.resend_unsafe_writes
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest wait before retry number `retry` (0 for the first retry):
    /// `min(max_delay, base_delay · 2^retry)`.
    pub fn delay_ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// A wait before retry number `retry`, drawn uniformly from
    /// `0..=delay_ceiling(retry)` (full jitter).
    pub fn delay(&self, retry: u32) -> Duration {
        let ceiling = self.delay_ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

impl Default for RetryConfig {
    fn default() -> RetryConfig {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: RetryConfig::DEFAULT_MAX_ATTEMPTS,
            base_delay: RetryConfig::DEFAULT_BASE_DELAY,
            max_delay: RetryConfig::DEFAULT_MAX_DELAY,
            resend_unsafe_writes: false,
        }
    }
}

/// How retries are paced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// Backoff with jitter and the retry quota (`AWS_RETRY_MODE=standard`;
    /// `legacy` is read as this too).
    #[default]
    Standard,
    /// Standard, plus client-side rate limiting after throttling
    /// (`AWS_RETRY_MODE=adaptive`).
    Adaptive,
}

impl RetryMode {
    /// Parses `standard`, `legacy` or `adaptive` (any case).
    pub(crate) fn parse(text: &str) -> Option<RetryMode> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" | "legacy" => Some(RetryMode::Standard),
            "adaptive" => Some(RetryMode::Adaptive),
            _ => None,
        }
    }
}

/// The standard mode's retry quota, shared by the calls of one client.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    tokens: std::sync::Mutex<u32>,
}

impl RetryQuota {
    /// Tokens a fresh client has.
    pub(crate) const CAPACITY: u32 = 500;
    const RETRY_COST: u32 = 5;
    const TIMEOUT_COST: u32 = 10;

    pub(crate) fn new() -> RetryQuota {
        RetryQuota {
            tokens: std::sync::Mutex::new(RetryQuota::CAPACITY),
        }
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, u32> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the cost of retrying after `error`; `None` when the quota is spent.
    pub(crate) fn acquire(&self, error: &Error) -> Option<u32> {
        let cost = match error.kind() {
            ErrorKind::Timeout | ErrorKind::Transport => RetryQuota::TIMEOUT_COST,
            _ => RetryQuota::RETRY_COST,
        };
        let mut tokens = self.tokens();
        *tokens = tokens.checked_sub(cost)?;
        Some(cost)
    }

    /// A call succeeded; `last_cost` is what its last retry took, if it retried.
    pub(crate) fn succeeded(&self, last_cost: Option<u32>) {
        let mut tokens = self.tokens();
        *tokens = (*tokens + last_cost.unwrap_or(1)).min(RetryQuota::CAPACITY);
    }

    /// Tokens left.
    #[cfg(test)]
    pub(crate) fn available(&self) -> u32 {
        *self.tokens()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_drains_and_refills() {
        let quota = RetryQuota::new();
        let throttled = Error::service(400, "ThrottlingException".into(), None, None);
        let timeout = Error::timeout("slow");
        assert_eq!(quota.acquire(&throttled), Some(5));
        assert_eq!(quota.acquire(&timeout), Some(10));
        assert_eq!(quota.available(), 485);
        quota.succeeded(Some(10));
        quota.succeeded(None);
        assert_eq!(quota.available(), 496);
        while quota.acquire(&timeout).is_some() {}
        assert!(quota.available() < 10);
        assert_eq!(quota.acquire(&timeout), None);
        quota.succeeded(None);
        quota.succeeded(None);
        for _ in 0..1000 {
            quota.succeeded(None);
        }
        assert_eq!(quota.available(), RetryQuota::CAPACITY);
        assert_eq!(RetryMode::parse(" Adaptive"), Some(RetryMode::Adaptive));
        assert_eq!(RetryMode::parse("legacy"), Some(RetryMode::Standard));
        assert_eq!(RetryMode::parse("fast"), None);
    }

    #[test]
    fn ceiling_doubles_then_caps() {
        let r = RetryConfig::default();
        assert_eq!(r.delay_ceiling(0), Duration::from_millis(50));
        assert_eq!(r.delay_ceiling(3), Duration::from_millis(400));
        assert_eq!(r.delay_ceiling(20), Duration::from_secs(20));
        assert_eq!(r.delay_ceiling(u32::MAX), Duration::from_secs(20));
    }

    #[test]
    fn jitter_stays_under_ceiling() {
        let r = RetryConfig::default();
        for retry in 0..12 {
            assert!(r.delay(retry) <= r.delay_ceiling(retry));
        }
    }

    #[test]
    fn classifier_follows_the_model() {
        let svc = |status, code: &str| Error::service(status, code.into(), None, None);
        assert_eq!(
            classify(&svc(400, "ProvisionedThroughputExceededException")),
            RetryAction::Backoff
        );
        assert_eq!(classify(&svc(503, "Whatever")), RetryAction::Backoff);
        assert_eq!(classify(&svc(509, "Whatever")), RetryAction::Backoff);
        assert_eq!(
            classify(&svc(400, "ExpiredTokenException")),
            RetryAction::RefreshCredentials
        );
        for code in [
            "ConditionalCheckFailedException",
            "ValidationException",
            "ResourceNotFoundException",
            "InvalidSignatureException",
        ] {
            assert_eq!(classify(&svc(400, code)), RetryAction::DontRetry, "{code}");
        }
        assert_eq!(
            classify(&Error::crc32_mismatch(200, None)),
            RetryAction::Backoff
        );
    }
}
