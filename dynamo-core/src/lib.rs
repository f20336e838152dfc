//! Typed storage for Amazon DynamoDB's original API (2011-12-05).
//!
//! ```text
//! derive DynamoItem on a struct → Connection::create_table::<T>() → table.put(&item)
//! → table.get(key) → table.query(hash).range(..) → table.update(key).add(..) → delete
//! ```
//!
//! Layers, each usable alone: the value model ([`value`]), the wire types of
//! all 13 operations ([`wire`]), and the Layer1 `Client` that signs, sends,
//! retries and checks each call.
//!
//! Typed items: the [`DynamoItem`] trait (derived with
//! `#[derive(DynamoItem)]`), value conversions ([`convert`]), typed attribute
//! handles ([`attr`]) and the condition, update, range-key and scan-filter
//! builders that take them ([`expr`]).
//!
//! The default feature `client` brings the Layer1 client, `Connection`,
//! `Table`, batches and the `CapacityLimiter`. Without it the crate is
//! the value model, wire types, conversions and expressions alone, with no
//! HTTP client, TLS or signing: what a server such as dynamo-local needs.

pub mod value;
pub mod wire;

pub mod attr;
pub mod convert;
pub mod expr;
pub mod item;

#[cfg(feature = "client")]
pub mod batch;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
mod connection;
#[cfg(feature = "client")]
mod cursor;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod limiter;
#[cfg(feature = "client")]
pub mod table;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, Credentials};
#[cfg(feature = "client")]
pub use connection::{Connection, Throughput};
pub use convert::{ConvertError, FromAttribute, KeyAttribute, ToAttribute};
#[cfg(feature = "client")]
pub use cursor::Cursor;
#[cfg(feature = "client")]
pub use error::{Error, ErrorKind};
pub use item::{DynamoItem, NoRangeKey, RangeKeyType};
#[cfg(feature = "client")]
pub use limiter::CapacityLimiter;
#[cfg(feature = "client")]
pub use table::{Page, Table, TableInfo};
pub use value::{AttributeValue, Binary, Item, Number, NumberError, ValueError, ValueType};
