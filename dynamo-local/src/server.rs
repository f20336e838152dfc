//! Starting and stopping the server: [`LocalServer`], its builder, and
//! [`BackgroundServer`] for synchronous callers.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::auth::Verifier;
use crate::deadline::WriteDeadline;
use crate::engine::{ApiError, Engine, EngineConfig};
use crate::http::{RequestIds, Shared, handle};
use crate::limits::{Limits, MAX_BODY_SIZE_LIMIT, MAX_HEADER_BUFFER};
use crate::tls::TlsPem;

/// Default request body limit: 1 MiB, the service's HTTP payload limit.
pub const DEFAULT_MAX_BODY_SIZE: usize = 1024 * 1024;
/// How long [`LocalServer::shutdown`] waits for in-flight requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How long a client may take to complete the TLS handshake.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures and starts a [`LocalServer`].
///
/// # Example
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use std::time::Duration;
///
/// let server = dynamo_local::LocalServer::builder()
///     .verify_signatures([("AKID", "SECRET")])
///     .transition_delay(Duration::from_millis(100))
///     .start()
///     .await?;
/// println!("{}", server.endpoint());
/// server.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
#[must_use]
pub struct LocalServerBuilder {
    addr: SocketAddr,
    keys: Option<HashMap<String, String>>,
    region: Option<String>,
    engine_config: EngineConfig,
    max_body_size: usize,
    tls: Option<TlsPem>,
    limits: Limits,
    data_dir: Option<PathBuf>,
}

/// Shows the access keys but never their secrets, nor the TLS key.
impl std::fmt::Debug for LocalServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let access_keys = self.keys.as_ref().map(|keys| {
            let mut names: Vec<&str> = keys.keys().map(String::as_str).collect();
            names.sort_unstable();
            names
        });
        f.debug_struct("LocalServerBuilder")
            .field("addr", &self.addr)
            .field("access_keys", &access_keys)
            .field("region", &self.region)
            .field("engine_config", &self.engine_config)
            .field("max_body_size", &self.max_body_size)
            .field("tls", &self.tls)
            .field("limits", &self.limits)
            .field("data_dir", &self.data_dir)
            .finish()
    }
}

impl Default for LocalServerBuilder {
    fn default() -> Self {
        LocalServerBuilder {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            keys: None,
            region: None,
            engine_config: EngineConfig::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            tls: None,
            limits: Limits::default(),
            data_dir: None,
        }
    }
}

impl LocalServerBuilder {
    /// Listens on `addr` (default `127.0.0.1:0`, an ephemeral port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Listens on `port` of the configured address (0 picks a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Verifies SigV4 and AWS3 signatures against these `(access key, secret)`
    /// pairs; may be called repeatedly to add more. Without it, any
    /// credentials (or none) are accepted.
    ///
    /// As the service does, a signature must cover `Host` and every `X-Amz-*`
    /// header sent, be dated within 15 minutes of the server's clock, and
    /// (SigV4) be scoped to that day, the service `dynamodb` and, when
    /// [`region`](Self::region) is set, that region. Each refusal is the
    /// service's error (`InvalidSignatureException` and its siblings).
    pub fn verify_signatures<I, K, S>(mut self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, S)>,
        K: Into<String>,
        S: Into<String>,
    {
        let keys = self.keys.get_or_insert_with(HashMap::new);
        keys.extend(pairs.into_iter().map(|(k, s)| (k.into(), s.into())));
        self
    }

    /// The region SigV4 scopes must name when verifying signatures (default:
    /// any region).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// How long tables stay CREATING/UPDATING/DELETING (default: no delay).
    pub fn transition_delay(mut self, delay: Duration) -> Self {
        self.engine_config.transition_delay = delay;
        self
    }

    /// How long tables stay CREATING (default: the transition delay).
    pub fn create_table_delay(mut self, delay: Duration) -> Self {
        self.engine_config.create_delay = Some(delay);
        self
    }

    /// How long tables stay UPDATING (default: the transition delay).
    pub fn update_table_delay(mut self, delay: Duration) -> Self {
        self.engine_config.update_delay = Some(delay);
        self
    }

    /// How long tables stay DELETING (default: the transition delay).
    pub fn delete_table_delay(mut self, delay: Duration) -> Self {
        self.engine_config.delete_delay = Some(delay);
        self
    }

    /// Turns the service's control-plane limits on (at most 10 tables in
    /// transition, throughput at most doubled per call, one decrease per
    /// UTC day) or off (the builder's default; the binary's is on).
    pub fn control_plane_limits(mut self, on: bool) -> Self {
        if on {
            self.engine_config = self.engine_config.with_service_limits();
        } else {
            self.engine_config.strict_throughput_rules = false;
            self.engine_config.max_concurrent_transitions = None;
        }
        self
    }

    /// Enforces the 2012 throughput-change rules on UpdateTable.
    pub fn strict_throughput_rules(mut self, strict: bool) -> Self {
        self.engine_config.strict_throughput_rules = strict;
        self
    }

    /// Keeps tables and items in `dir` (created if needed) instead of in
    /// memory only: they survive a restart, and every write is fsynced
    /// before it is acknowledged (writes arriving together share one
    /// commit), so it survives `kill -9` too. The store is a redb database,
    /// `dir/data.redb`.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// let server = dynamo_local::LocalServer::builder()
    ///     .data_dir("/var/lib/dynamo-local")
    ///     .start()
    ///     .await?;
    /// # let _ = server;
    /// # Ok(())
    /// # }
    /// ```
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Replaces the whole engine configuration.
    pub fn engine_config(mut self, config: EngineConfig) -> Self {
        self.engine_config = config;
        self
    }

    /// Largest accepted request body in bytes (default 1 MiB, at most
    /// [`MAX_BODY_SIZE_LIMIT`]); larger → HTTP 413.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// How long a connection may wait for a request head to arrive in full
    /// (default 30 s): an idle keep-alive connection, or one sending its
    /// headers slowly, is closed after it.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout;
        self
    }

    /// How long a client may take to send a request body (default 30 s);
    /// after it the answer is HTTP 408 and the connection is closed. A
    /// client that stops reading its answer for as long loses the
    /// connection too.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.limits.body_timeout = timeout;
        self
    }

    /// Connections served at once (default 1024, fewer when the
    /// file-descriptor limit is lower); one more is answered 503 and closed
    /// at once.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.limits.max_connections = connections;
        self
    }

    /// Request bytes read, parsed or executed at once (default 8 MiB, at
    /// least one `max_body_size`); a request waits for room, up to 10 s,
    /// then gets a 503 `ServiceUnavailableException`. Memory for requests
    /// stays under about 32 times this.
    pub fn max_in_flight_bytes(mut self, bytes: usize) -> Self {
        self.limits.max_in_flight_bytes = Some(bytes);
        self
    }

    /// Serves HTTPS instead of HTTP, with this certificate chain (PEM, leaf
    /// first) and its private key (PEM: PKCS#8, PKCS#1 or SEC1). The PEM is
    /// checked by [`start`](Self::start), which fails with
    /// [`io::ErrorKind::InvalidInput`] when it is unusable.
    ///
    /// # Example
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// let cert = std::fs::read("cert.pem")?;
    /// let key = std::fs::read("key.pem")?;
    /// let server = dynamo_local::LocalServer::builder()
    ///     .tls_pem(cert, key)
    ///     .start()
    ///     .await?;
    /// assert!(server.endpoint().starts_with("https://"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn tls_pem(
        mut self,
        cert_chain_pem: impl Into<Vec<u8>>,
        key_pem: impl Into<Vec<u8>>,
    ) -> Self {
        self.tls = Some(TlsPem::new(cert_chain_pem.into(), key_pem.into()));
        self
    }

    /// Binds the socket and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// Fails when the address cannot be bound, or the TLS certificate or key
    /// is unusable.
    pub async fn start(self) -> io::Result<LocalServer> {
        self.check_limits()?;
        let tls = self.tls.as_ref().map(TlsPem::acceptor).transpose()?;
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        if let Some(warning) = exposure_warning(addr, self.keys.is_some()) {
            tracing::warn!("{warning}");
        }
        let region = self.region;
        let engine = match &self.data_dir {
            Some(dir) => Engine::open(self.engine_config, dir)?,
            None => Engine::new(self.engine_config),
        };
        let budget = self.limits.in_flight_budget(self.max_body_size);
        let shared = Arc::new(Shared {
            engine: engine.clone(),
            verifier: self.keys.map(|keys| Verifier::new(keys, region)),
            max_body_size: self.max_body_size,
            ids: RequestIds::new(),
            budget: Arc::new(Semaphore::new(budget)),
            body_timeout: self.limits.body_timeout,
        });
        let (stop, stopped) = oneshot::channel();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let task = tokio::spawn(serve(listener, tls, shared, self.limits, stopped));
        tracing::info!(%addr, scheme, "dynamo-local listening");
        Ok(LocalServer {
            addr,
            scheme,
            engine,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Refuses limits the server could not honour.
    fn check_limits(&self) -> io::Result<()> {
        let invalid = |what: String| Err(io::Error::new(io::ErrorKind::InvalidInput, what));
        if self.max_body_size > MAX_BODY_SIZE_LIMIT {
            return invalid(format!(
                "max body size {} exceeds the limit of {MAX_BODY_SIZE_LIMIT} bytes",
                self.max_body_size
            ));
        }
        if self.limits.max_connections == 0 {
            return invalid("max connections must be at least 1".to_owned());
        }
        if self.limits.idle_timeout.is_zero() || self.limits.body_timeout.is_zero() {
            return invalid("timeouts must be longer than zero".to_owned());
        }
        Ok(())
    }

    /// Starts the server on its own thread and tokio runtime, for synchronous
    /// code or code running on another runtime. Blocks until it listens.
    ///
    /// # Errors
    /// Fails when the thread, the runtime or the socket cannot be created.
    ///
    /// # Example
    /// ```no_run
    /// let server = dynamo_local::LocalServer::builder().start_in_background()?;
    /// println!("{}", server.endpoint());
    /// server.shutdown();
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start_in_background(self) -> io::Result<BackgroundServer> {
        let (ready, started) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("dynamo-local".to_owned())
            .spawn(move || run_background(self, ready))?;
        let (addr, scheme, engine, stop) = started
            .recv()
            .map_err(|_| io::Error::other("dynamo-local server thread exited"))??;
        Ok(BackgroundServer {
            addr,
            scheme,
            engine,
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

type Started = io::Result<(SocketAddr, &'static str, Engine, oneshot::Sender<()>)>;

/// Body of the background thread: a current-thread runtime serving until stopped.
fn run_background(builder: LocalServerBuilder, ready: std::sync::mpsc::Sender<Started>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    runtime.block_on(async move {
        let server = match builder.start().await {
            Ok(server) => server,
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        };
        let (stop, stopped) = oneshot::channel();
        if ready
            .send(Ok((
                server.addr,
                server.scheme,
                server.engine.clone(),
                stop,
            )))
            .is_ok()
        {
            // Resolves on an explicit stop and when the handle is dropped.
            let _ = stopped.await;
        }
        server.shutdown().await;
    });
}

/// Accepts connections until told to stop, then drains them gracefully.
async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shared: Arc<Shared>,
    limits: Limits,
    mut stopped: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout)
        .max_buf_size(MAX_HEADER_BUFFER);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let busy = busy_response();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                        // At the cap: say so and close at once rather than
                        // leave the client hanging (one non-blocking write
                        // into an empty socket buffer).
                        let _ = stream.try_write(&busy);
                        tracing::warn!(%peer, max = limits.max_connections, "connection refused: at the connection cap");
                        continue;
                    };
                    // boto writes headers and body separately; without NODELAY
                    // Nagle + delayed ACK would add ~40 ms per request.
                    let _ = stream.set_nodelay(true);
                    let connection = Connection {
                        http: http.clone(),
                        shared: Arc::clone(&shared),
                        watcher: graceful.watcher(),
                    };
                    let tls = tls.clone();
                    let stream = WriteDeadline::new(stream, limits.body_timeout);
                    tokio::spawn(async move {
                        let _slot = slot;
                        match tls {
                            None => connection.serve(peer, stream).await,
                            Some(tls) => match tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, tls.accept(stream)).await {
                                Ok(Ok(stream)) => connection.serve(peer, stream).await,
                                Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                            },
                        }
                    });
                }
                Err(error) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            _ = &mut stopped => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period");
    }
}

/// The raw HTTP answer to a connection over the cap: a 503
/// `ServiceUnavailableException`, then close.
fn busy_response() -> Vec<u8> {
    let body = ApiError::unavailable().to_json();
    let mut out = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/x-amz-json-1.0\r\n\
         x-amz-crc32: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        crc32fast::hash(&body),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

/// What one accepted connection needs to be served.
struct Connection {
    http: http1::Builder,
    shared: Arc<Shared>,
    watcher: Watcher,
}

impl Connection {
    /// Serves HTTP/1.1 on `stream` (plain TCP or TLS) until it closes.
    async fn serve<S>(self, peer: SocketAddr, stream: S)
    where
        S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let shared = self.shared;
        let service = service_fn(move |request| handle(Arc::clone(&shared), request));
        let connection = self
            .watcher
            .watch(self.http.serve_connection(TokioIo::new(stream), service));
        if let Err(error) = connection.await {
            tracing::debug!(%peer, %error, "connection ended with an error");
        }
    }
}

/// A running server on the caller's tokio runtime.
///
/// Dropping it stops accepting connections; [`LocalServer::shutdown`] also
/// waits for in-flight requests.
///
/// # Example
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let server = dynamo_local::start().await?;
/// let endpoint = server.endpoint(); // "http://127.0.0.1:PORT"
/// server.engine().faults().corrupt_crc_next(1);
/// # let _ = endpoint;
/// server.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct LocalServer {
    addr: SocketAddr,
    scheme: &'static str,
    engine: Engine,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl LocalServer {
    /// A builder with the defaults: `127.0.0.1:0`, any credentials, no delays, 1 MiB bodies.
    pub fn builder() -> LocalServerBuilder {
        LocalServerBuilder::default()
    }

    /// Starts a default server on its own thread and runtime, for synchronous
    /// code; shorthand for `LocalServer::builder().start_in_background()`.
    ///
    /// # Errors
    /// See [`LocalServerBuilder::start_in_background`].
    ///
    /// # Example
    /// ```no_run
    /// let server = dynamo_local::LocalServer::start_in_background()?;
    /// let endpoint = server.endpoint();
    /// # let _ = endpoint;
    /// drop(server); // stops it
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start_in_background() -> io::Result<BackgroundServer> {
        LocalServer::builder().start_in_background()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give clients, e.g. `http://127.0.0.1:40123`
    /// (`https://` when serving TLS).
    pub fn endpoint(&self) -> String {
        endpoint(self.scheme, self.addr)
    }

    /// The engine behind the server (tables, items, fault injection).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Stops accepting connections and waits (up to 5 s) for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl std::fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A server running on its own thread; see [`LocalServerBuilder::start_in_background`].
///
/// Dropping it shuts the server down and joins the thread.
pub struct BackgroundServer {
    addr: SocketAddr,
    scheme: &'static str,
    engine: Engine,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundServer {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give clients, e.g. `http://127.0.0.1:40123`
    /// (`https://` when serving TLS).
    pub fn endpoint(&self) -> String {
        endpoint(self.scheme, self.addr)
    }

    /// The engine behind the server (tables, items, fault injection).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Stops the server and waits for its thread to finish.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for BackgroundServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for BackgroundServer {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// The warning to give when `addr` is reachable from other hosts while any
/// credentials are accepted.
pub(crate) fn exposure_warning(addr: SocketAddr, verifies: bool) -> Option<String> {
    (!addr.ip().is_loopback() && !verifies).then(|| {
        format!(
            "dynamo-local serves {addr}, which other hosts can reach, and accepts ANY credentials: \
             anyone who can connect can read, change and delete every table. \
             Bind 127.0.0.1 or pass --verify-signatures KEY:SECRET."
        )
    })
}

/// `scheme://ip:port`, with an unspecified bind address shown as loopback.
fn endpoint(scheme: &str, addr: SocketAddr) -> String {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(Ipv4Addr::LOCALHOST.into());
    }
    format!("{scheme}://{addr}")
}

/// Starts a server with the default configuration on an ephemeral port.
///
/// # Errors
/// Fails when no loopback port can be bound.
///
/// # Example
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let server = dynamo_local::start().await?;
/// println!("DynamoDB 2011-12-05 at {}", server.endpoint());
/// # Ok(())
/// # }
/// ```
pub async fn start() -> io::Result<LocalServer> {
    LocalServer::builder().start().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_for_a_reachable_address_without_keys() {
        let open = SocketAddr::from(([0, 0, 0, 0], 8000));
        let warning = exposure_warning(open, false).expect("a warning");
        assert!(warning.contains("ANY credentials"), "{warning}");
        assert_eq!(exposure_warning(open, true), None);
        assert_eq!(
            exposure_warning(SocketAddr::from(([127, 0, 0, 1], 8000)), false),
            None
        );
        assert!(exposure_warning(SocketAddr::from(([10, 0, 0, 5], 8000)), false).is_some());
        assert_eq!(
            exposure_warning("[::1]:8000".parse().expect("addr"), false),
            None
        );
    }
}
