//! Typed storage for Amazon DynamoDB's original API (2011-12-05).
//!
//! This facade re-exports [`dynamo_core`] and `#[derive(DynamoItem)]`:
//!
//! ```
//! use dynamo::DynamoItem;
//!
//! #[derive(DynamoItem)]
//! #[dynamo(table = "users")]
//! struct User {
//!     #[dynamo(hash_key)]
//!     id: String,
//!     name: Option<String>,
//! }
//!
//! let item = User { id: "u1".into(), name: None }.to_item()?;
//! assert_eq!(item.len(), 1);
//! # Ok::<(), dynamo::ConvertError>(())
//! ```

pub use dynamo_core::*;
pub use dynamo_derive::DynamoItem;

#[cfg(feature = "local")]
pub mod local;

/// The README's examples compile as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
