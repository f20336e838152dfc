//! Name resolution with a time limit: the system resolver (`getaddrinfo`,
//! as hyper-util runs it) bounded by the connect timeout, so a name that does
//! not resolve fails like a connection that cannot be made, not after the
//! resolver's own retries.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::{GaiAddrs, GaiResolver, Name};

/// The TCP connector every transport uses.
pub(crate) type Tcp = HttpConnector<TimedResolver>;

/// A TCP connector whose resolution and connection each take at most `timeout`.
pub(crate) fn tcp(timeout: Duration) -> Tcp {
    let mut tcp = HttpConnector::new_with_resolver(TimedResolver {
        inner: GaiResolver::new(),
        timeout,
    });
    tcp.set_connect_timeout(Some(timeout));
    tcp.set_nodelay(true);
    tcp.enforce_http(false);
    tcp
}

/// [`GaiResolver`] with a time limit.
#[derive(Clone, Debug)]
pub(crate) struct TimedResolver {
    inner: GaiResolver,
    timeout: Duration,
}

impl tower_service::Service<Name> for TimedResolver {
    type Response = GaiAddrs;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<GaiAddrs>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let timeout = self.timeout;
        let host = name.as_str().to_owned();
        let resolving = self.inner.call(name);
        Box::pin(async move {
            tokio::time::timeout(timeout, resolving)
                .await
                .map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("resolving {host} took longer than {timeout:?}"),
                    )
                })?
        })
    }
}
