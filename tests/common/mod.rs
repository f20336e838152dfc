//! Shared set-up of the table-layer tests: an in-process dynamo-local over
//! HTTP and typed items.

#![allow(dead_code)] // each test file uses a part of this module

use std::collections::BTreeSet;
use std::time::Duration;

use dynamo::client::RetryConfig;
use dynamo::{Client, Connection, Credentials, DynamoItem, Throughput};
use rust_decimal::Decimal;

/// The seed tutorial's message.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "messages")]
pub(crate) struct Message {
    #[dynamo(hash_key)]
    pub(crate) forum_name: String,
    #[dynamo(range_key)]
    pub(crate) subject: String,
    #[dynamo(rename = "SentBy")]
    pub(crate) sent_by: String,
    #[dynamo(rename = "Body")]
    pub(crate) body: Option<String>,
    pub(crate) views: u64,
    pub(crate) tags: BTreeSet<String>,
    pub(crate) price: Option<Decimal>,
}

impl Message {
    pub(crate) fn new(forum: &str, subject: &str) -> Message {
        Message {
            forum_name: forum.into(),
            subject: subject.into(),
            sent_by: "User A".into(),
            body: Some("http://url_to_lolcat.gif".into()),
            views: 0,
            tags: BTreeSet::new(),
            price: None,
        }
    }
}

/// A hash-only item with optimistic locking.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "accounts")]
pub(crate) struct Account {
    #[dynamo(hash_key)]
    pub(crate) id: u64,
    pub(crate) balance: i64,
    #[dynamo(version)]
    pub(crate) version: u64,
}

/// A running embedded server and a connection to it.
pub(crate) struct Local {
    pub(crate) server: dynamo_local::LocalServer,
    pub(crate) conn: Connection,
}

impl Local {
    /// The engine's fault switches.
    pub(crate) fn faults(&self) -> &dynamo_local::faults::Faults {
        self.server.engine().faults()
    }
}

/// Starts dynamo-local on an ephemeral port and connects with quick retries.
pub(crate) async fn local() -> Local {
    let server = dynamo_local::LocalServer::builder()
        .start()
        .await
        .expect("dynamo-local starts");
    let client = Client::builder()
        .endpoint_url(server.endpoint())
        .credentials(Credentials::new("AKID", "secret", None))
        .retry_config(
            RetryConfig::default()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .expect("client builds");
    Local {
        server,
        conn: Connection::new(client),
    }
}

/// A connection with `T`'s table created.
pub(crate) async fn with_table<T: DynamoItem>() -> (Local, dynamo::Table<T>) {
    let local = local().await;
    let table = local
        .conn
        .create_table::<T>(Throughput::new(10, 10))
        .await
        .expect("table created");
    (local, table)
}
