//! Resource limits: how long a client may take, how many connections are
//! served at once, and how many request bytes are in flight.
//!
//! Memory has a bound whatever the clients send: each connection holds at
//! most [`MAX_HEADER_BUFFER`] of unparsed head, and request bodies are read,
//! parsed and executed only within the in-flight budget. A body, its parsed
//! tree (the engine's compact JSON tree, at worst about 25 bytes per byte
//! of a `1,1,1,…` list while it grows) and its decoded requests take at
//! most about 32 bytes per byte in flight, so requests take at most about
//! `32 × max_in_flight_bytes` (256 MiB with the default 8 MiB), plus
//! `max_connections × MAX_HEADER_BUFFER`, plus the stored data.
//! `tests/http_limits.rs` measures it: 64 concurrent worst-case 1 MiB
//! bodies add about 240 MiB.

use std::time::Duration;

/// The largest `max_body_size` the server accepts (16 MiB; the service's is 1 MiB).
pub const MAX_BODY_SIZE_LIMIT: usize = 16 * 1024 * 1024;
/// Default budget of request bytes being read, parsed or executed at once.
pub const DEFAULT_MAX_IN_FLIGHT_BYTES: usize = 8 * 1024 * 1024;
/// Default time a connection may wait for a request head to arrive in full.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time a client may take to send a request body.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a request waits for room in the in-flight budget before a 503.
pub(crate) const BUDGET_WAIT: Duration = Duration::from_secs(10);
/// Per-connection cap on the buffered request head (hyper's read buffer).
pub(crate) const MAX_HEADER_BUFFER: usize = 64 * 1024;
/// Connections served at once when the file-descriptor limit is unknown or high.
const CONNECTION_CAP: usize = 1024;
/// Descriptors kept free for the listener, logs and the storage engine.
const RESERVED_DESCRIPTORS: usize = 32;

/// The limits one server runs with.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub(crate) idle_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) max_connections: usize,
    pub(crate) max_in_flight_bytes: Option<usize>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_connections: default_max_connections(),
            max_in_flight_bytes: None,
        }
    }
}

impl Limits {
    /// The in-flight budget: as configured, else the default, and never
    /// below one largest body (which could otherwise never be admitted).
    pub(crate) fn in_flight_budget(&self, max_body_size: usize) -> usize {
        self.max_in_flight_bytes
            .unwrap_or(DEFAULT_MAX_IN_FLIGHT_BYTES)
            .max(max_body_size)
    }
}

/// 1024 connections, or fewer when the process may not open that many
/// files: past the descriptor limit `accept` fails and nobody is answered.
pub(crate) fn default_max_connections() -> usize {
    match open_files_limit() {
        Some(limit) => CONNECTION_CAP.min(limit.saturating_sub(RESERVED_DESCRIPTORS).max(1)),
        None => CONNECTION_CAP,
    }
}

/// The soft `RLIMIT_NOFILE`, read from `/proc/self/limits` where it exists.
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_files(&limits)
}

fn parse_open_files(limits: &str) -> Option<usize> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?;
    soft.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_files_limit_is_read_from_proc_format() {
        let text = "Limit                     Soft Limit           Hard Limit           Units     \n\
                    Max cpu time              unlimited            unlimited            seconds   \n\
                    Max open files            256                  524288               files     \n";
        assert_eq!(parse_open_files(text), Some(256));
        assert_eq!(
            parse_open_files("Max open files unlimited unlimited files"),
            None
        );
        assert!(default_max_connections() >= 1);
        assert!(default_max_connections() <= CONNECTION_CAP);
    }

    #[test]
    fn budget_admits_the_largest_body() {
        let limits = Limits::default();
        assert_eq!(limits.in_flight_budget(1024), DEFAULT_MAX_IN_FLIGHT_BYTES);
        assert_eq!(
            limits.in_flight_budget(MAX_BODY_SIZE_LIMIT),
            MAX_BODY_SIZE_LIMIT
        );
    }
}
