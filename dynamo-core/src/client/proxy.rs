//! HTTP proxies: which one a request goes through (hyper-util's matcher, fed
//! from the client's environment or the builder), and the connector that
//! sends plain-HTTP requests to it in absolute form. HTTPS endpoints are
//! reached through a `CONNECT` tunnel (hyper-util's `Tunnel`).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{HeaderValue, Uri};
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::dns::Tcp;
use super::env::Env;
use crate::error::Error;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where the proxy settings come from.
#[derive(Clone)]
pub(crate) enum ProxySetting {
    /// The proxy variables of this environment.
    Env(Env),
    /// This proxy URL, bypassed for the `NO_PROXY`-style list.
    Url {
        url: String,
        no_proxy: Option<String>,
    },
    /// No proxy.
    Disabled,
}

impl std::fmt::Debug for ProxySetting {
    /// Never shows the URL: it may carry a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxySetting::Env(_) => f.write_str("ProxySetting::Env"),
            ProxySetting::Url { no_proxy, .. } => f
                .debug_struct("ProxySetting::Url")
                .field("url", &"** redacted **")
                .field("no_proxy", no_proxy)
                .finish(),
            ProxySetting::Disabled => f.write_str("ProxySetting::Disabled"),
        }
    }
}

/// The proxy one endpoint is reached through.
pub(crate) struct Route {
    pub(crate) proxy: Uri,
    pub(crate) auth: Option<HeaderValue>,
}

impl ProxySetting {
    fn matcher(&self) -> Option<Matcher> {
        match self {
            ProxySetting::Disabled => None,
            ProxySetting::Url { url, no_proxy } => Some(
                Matcher::builder()
                    .all(url.as_str())
                    .no(no_proxy.as_deref().unwrap_or_default())
                    .build(),
            ),
            ProxySetting::Env(env) => {
                let var = |names: &[&str]| env.first(names).unwrap_or_default().to_owned();
                Some(
                    Matcher::builder()
                        .all(var(&["ALL_PROXY", "all_proxy"]))
                        .http(var(&["HTTP_PROXY", "http_proxy"]))
                        .https(var(&["HTTPS_PROXY", "https_proxy"]))
                        .no(var(&["NO_PROXY", "no_proxy"]))
                        .build(),
                )
            }
        }
    }

    /// The proxy for `endpoint`, if one applies.
    pub(crate) fn route(&self, endpoint: &Uri) -> Result<Option<Route>, Error> {
        // As Go's HTTP client does, proxy variables never apply to loopback
        // (a local dynamo-local or emulator); an explicit proxy still does.
        if matches!(self, ProxySetting::Env(_)) && is_loopback(endpoint) {
            return Ok(None);
        }
        let Some(intercept) = self.matcher().and_then(|m| m.intercept(endpoint)) else {
            return Ok(None);
        };
        let proxy = intercept.uri().clone();
        if proxy.scheme_str() != Some("http") {
            return Err(Error::config(
                "the proxy URL must use http (HTTPS endpoints are tunnelled with CONNECT)",
            ));
        }
        Ok(Some(Route {
            proxy,
            auth: intercept.basic_auth().cloned(),
        }))
    }
}

fn is_loopback(uri: &Uri) -> bool {
    let host = uri.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Connects every request to the proxy and marks the connection proxied, so
/// hyper sends absolute-form request targets.
#[derive(Clone)]
pub(crate) struct Forward {
    proxy: Uri,
    tcp: Tcp,
}

impl Forward {
    pub(crate) fn new(proxy: Uri, tcp: Tcp) -> Forward {
        Forward { proxy, tcp }
    }
}

impl tower_service::Service<Uri> for Forward {
    type Response = Proxied;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Proxied, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.tcp.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, _endpoint: Uri) -> Self::Future {
        let connecting = self.tcp.call(self.proxy.clone());
        Box::pin(async move { Ok(Proxied(connecting.await?)) })
    }
}

/// A connection to a forwarding proxy.
pub(crate) struct Proxied(TokioIo<TcpStream>);

impl Connection for Proxied {
    fn connected(&self) -> Connected {
        self.0.connected().proxy(true)
    }
}

impl Read for Proxied {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl Write for Proxied {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_proxies_and_no_proxy() -> Result<(), Error> {
        let env = Env::capture(|n| match n {
            "https_proxy" => Some("http://user:pw@127.0.0.1:3128".into()),
            "HTTP_PROXY" => Some("http://127.0.0.1:3129".into()),
            "NO_PROXY" => Some("internal.example, 10.0.0.0/8".into()),
            _ => None,
        });
        let setting = ProxySetting::Env(env);
        let uri = |s: &str| s.parse::<Uri>().unwrap_or_default();
        let https = setting.route(&uri("https://dynamodb.us-east-1.amazonaws.com/"))?;
        assert!(
            https
                .as_ref()
                .is_some_and(|r| r.auth.is_some() && r.proxy.port_u16() == Some(3128))
        );
        let http = setting.route(&uri("http://db.example:8000/"))?;
        assert!(http.is_some_and(|r| r.auth.is_none() && r.proxy.port_u16() == Some(3129)));
        assert!(setting.route(&uri("http://a.internal.example/"))?.is_none());
        assert!(setting.route(&uri("http://10.1.2.3/"))?.is_none());
        assert!(setting.route(&uri("http://127.0.0.1:8000/"))?.is_none());
        assert!(setting.route(&uri("http://[::1]:8000/"))?.is_none());
        let explicit = ProxySetting::Url {
            url: "http://127.0.0.1:3128".into(),
            no_proxy: None,
        };
        assert!(explicit.route(&uri("http://127.0.0.1:8000/"))?.is_some());
        assert!(!format!("{setting:?}").contains("pw"));
        Ok(())
    }
}
