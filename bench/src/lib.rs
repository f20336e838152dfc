//! Shared pieces of the benchmarks: the item shapes, hand-written
//! conversions, the canned loopback server, CPU accounting and statistics.

pub mod canned;
pub mod cpu;
pub mod hand;
pub mod rawhttp;
pub mod shapes;
pub mod stats;
