//! An embedded DynamoDB 2011-12-05 server, in-process or standalone.

pub mod engine;
pub mod faults;
