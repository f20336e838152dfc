//! Typed storage for Amazon DynamoDB's original API (2011-12-05).
//!
//! ```text
//! derive DynamoItem on a struct → Connection::create_table::<T>() → table.put(&item)
//! → table.get(key) → table.query(hash).range(..) → table.update(key).add(..) → delete
//! ```
//!
//! Layers, each usable alone: the value model ([`value`]), the wire types of
//! all 13 operations ([`wire`]), and the Layer1 [`Client`] that signs, sends,
//! retries and checks each call.

pub mod client;
mod error;
pub mod value;
pub mod wire;

pub use client::{Client, ClientBuilder, Credentials};
pub use error::{Error, ErrorKind};

pub use value::{AttributeValue, Binary, Item, Number, NumberError, ValueError, ValueType};

pub mod batch;
mod limiter;

pub use limiter::CapacityLimiter;
