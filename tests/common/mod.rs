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
pub struct Message {
    #[dynamo(hash_key)]
    pub forum_name: String,
    #[dynamo(range_key)]
    pub subject: String,
    #[dynamo(rename = "SentBy")]
    pub sent_by: String,
    #[dynamo(rename = "Body")]
    pub body: Option<String>,
    pub views: u64,
    pub tags: BTreeSet<String>,
    pub price: Option<Decimal>,
}

impl Message {
    pub fn new(forum: &str, subject: &str) -> Message {
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
pub struct Account {
    #[dynamo(hash_key)]
    pub id: u64,
    pub balance: i64,
    #[dynamo(version)]
    pub version: u64,
}

/// A running embedded server and a connection to it.
pub struct Local {
    pub server: dynamo_local::LocalServer,
    pub conn: Connection,
}

impl Local {
    /// The engine's fault switches.
    pub fn faults(&self) -> &dynamo_local::faults::Faults {
        self.server.engine().faults()
    }
}

/// Starts dynamo-local on an ephemeral port and connects with quick retries.
pub async fn local() -> Local {
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
pub async fn with_table<T: DynamoItem>() -> (Local, dynamo::Table<T>) {
    let local = local().await;
    let table = local
        .conn
        .create_table::<T>(Throughput::new(10, 10))
        .await
        .expect("table created");
    (local, table)
}
