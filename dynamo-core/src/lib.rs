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
//!
//! Typed items: the [`DynamoItem`] trait (derived with
//! `#[derive(DynamoItem)]`), value conversions ([`convert`]), typed attribute
//! handles ([`attr`]) and the condition, update, range-key and scan-filter
//! builders that take them ([`expr`]).

pub mod client;
mod error;
pub mod value;
pub mod wire;

pub mod attr;
pub mod batch;
pub mod batch_list;
mod connection;
pub mod convert;
mod cursor;
pub mod expr;
pub mod item;
mod limiter;
pub mod table;

#[doc(hidden)]
pub mod __private;

pub use client::{Client, ClientBuilder, Credentials};
pub use connection::{Connection, Throughput};
pub use convert::{ConvertError, FromAttribute, KeyAttribute, ToAttribute};
pub use cursor::Cursor;
pub use error::{Error, ErrorKind};
pub use item::{DynamoItem, NoRangeKey, RangeKeyType};
pub use limiter::CapacityLimiter;
pub use table::{Page, Table, TableInfo};
pub use value::{AttributeValue, Binary, Item, Number, NumberError, ValueError, ValueType};
