//! A small HTTP client for the credential sources that are web services
//! (the container endpoint, instance metadata), separate from the DynamoDB
//! transport so their short timeouts and plain requests stay simple.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Empty};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;

use super::dns::{self, Tcp};
use super::tls;
use crate::error::Error;

/// One answer: status and body.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub(crate) status: u16,
    pub(crate) body: Bytes,
}

/// An HTTP(S) client with one timeout for a whole exchange.
#[derive(Clone)]
pub(crate) struct Fetcher {
    http: HyperClient<HttpsConnector<Tcp>, Empty<Bytes>>,
    timeout: Duration,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A client whose exchanges, connection included, take at most `timeout`.
    pub(crate) fn new(timeout: Duration) -> Result<Fetcher, Error> {
        let tcp = dns::tcp(timeout);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls::client_config(None)?)
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let http = HyperClient::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector);
        Ok(Fetcher { http, timeout })
    }

    /// Sends one request without a body; `what` names the service in errors.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&'static str, &str)],
        what: &str,
    ) -> Result<Fetched, Error> {
        let uri: Uri = url.parse().map_err(|e| {
            Error::credentials(format!("{what}: `{url}` is not a URL")).with_source(e)
        })?;
        let mut request = Request::new(Empty::new());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        for (name, value) in headers {
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::credentials(format!(
                    "{what}: the {name} header has characters not allowed in a header"
                ))
            })?;
            request
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
        let exchange = async {
            let response = self.http.request(request).await.map_err(|e| {
                Error::credentials(format!("{what}: cannot reach {url}")).with_source(e)
            })?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| {
                    Error::credentials(format!("{what}: the answer from {url} broke off"))
                        .with_source(e)
                })?
                .to_bytes();
            Ok(Fetched { status, body })
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| {
                Error::credentials(format!(
                    "{what}: {url} did not answer within {:?}",
                    self.timeout
                ))
            })?
    }
}
