//! The embedded dynamo-local server and connections to it, so examples and
//! tests need no AWS account, Docker or Java.
//!
//! # Example
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let server = dynamo::local::start().await?;
//! let conn = dynamo::local::connection(&server)?;
//! println!("{:?}", conn.list_tables().await?);
//! server.shutdown().await;
//! # Ok(()) }
//! ```

pub use dynamo_local::{BackgroundServer, LocalServer, LocalServerBuilder, engine, faults, start};

use crate::{Client, Connection, Credentials, Error};

/// A connection to `endpoint`, signing with placeholder credentials (the
/// embedded server accepts any unless told to verify signatures).
///
/// # Errors
/// A configuration error when `endpoint` is not a URL.
pub fn connection_to(endpoint: &str) -> Result<Connection, Error> {
    let client = Client::builder()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .credentials(Credentials::new("local", "local", None))
        .build()?;
    Ok(Connection::new(client))
}

/// A connection to a running embedded server.
///
/// # Errors
/// As [`connection_to`].
pub fn connection(server: &LocalServer) -> Result<Connection, Error> {
    connection_to(&server.endpoint())
}

/// The connection of `AWS_ENDPOINT_URL_DYNAMODB` (with the environment's
/// credentials and region) when that variable is set; otherwise an embedded
/// server started on an ephemeral port, returned so it can be shut down.
///
/// This is how the examples run unchanged against AWS, a standalone
/// `dynamo-local`, or any other endpoint.
///
/// # Errors
/// Configuration errors, or the embedded server failing to bind.
pub async fn env_or_embedded()
-> Result<(Connection, Option<LocalServer>), Box<dyn std::error::Error + Send + Sync>> {
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some() {
        return Ok((Connection::from_env()?, None));
    }
    let server = start().await?;
    let conn = connection(&server)?;
    Ok((conn, Some(server)))
}
