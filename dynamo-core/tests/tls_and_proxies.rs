//! HTTPS end to end with a CA this test generates (rcgen), served by
//! dynamo-local's TLS; and HTTP proxies the test starts (absolute-form and
//! CONNECT), reached for a host name only the proxy can resolve.

mod fakes;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dynamo_core::client::{Client, ClientBuilder, Credentials};
use dynamo_core::wire::ListTablesInput;
use dynamo_core::{Error, ErrorKind};
use fakes::TempDir;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const KEYS: (&str, &str) = ("AKIDTLS", "tls-secret");
/// A name no resolver knows; only the fake proxy maps it (to 127.0.0.1).
const PROXY_ONLY_HOST: &str = "dynamo.proxy-only.test";

struct Pki {
    ca_pem: String,
    chain_pem: String,
    key_pem: String,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA");
    let key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned(), PROXY_ONLY_HOST.to_owned()])
        .expect("leaf params")
        .signed_by(&key, &ca, &ca_key)
        .expect("leaf");
    Pki {
        ca_pem: ca.pem(),
        chain_pem: format!("{}{}", leaf.pem(), ca.pem()),
        key_pem: key.serialize_pem(),
    }
}

async fn local(tls: Option<&Pki>) -> dynamo_local::LocalServer {
    let mut builder = dynamo_local::LocalServer::builder()
        .verify_signatures([(KEYS.0.to_owned(), KEYS.1.to_owned())]);
    if let Some(pki) = tls {
        builder = builder.tls_pem(pki.chain_pem.clone(), pki.key_pem.clone());
    }
    builder.start().await.expect("dynamo-local")
}

async fn list(client: &Client) -> Result<(), Error> {
    client
        .list_tables(&ListTablesInput::default())
        .await
        .map(|_| ())
}

fn builder() -> ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(KEYS.0, KEYS.1, None))
        .no_proxy()
}

fn env_builder(env: &HashMap<String, String>) -> ClientBuilder {
    ClientBuilder::from_env_with(|n| env.get(n).cloned())
}

/// The texts of an error and its sources.
fn chain(e: &Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(" / {s}"));
        source = s.source();
    }
    text
}

#[tokio::test]
async fn https_with_a_test_ca_is_trusted_through_the_builder_env_and_profile_only() {
    let pki = pki();
    let server = local(Some(&pki)).await;
    let port = server.local_addr().port();
    let endpoint = format!("https://localhost:{port}");
    let dir = TempDir::new("tls");
    let bundle = dir.file("ca.pem", &pki.ca_pem);

    let untrusted = builder().endpoint_url(&endpoint).build().expect("client");
    let err = list(&untrusted).await.expect_err("unknown CA");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(
        chain(&err).to_lowercase().contains("certificate"),
        "{}",
        chain(&err)
    );

    let trusted = builder()
        .endpoint_url(&endpoint)
        .ca_bundle(&bundle)
        .build()
        .expect("client");
    list(&trusted).await.expect("trusted through the builder");

    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", KEYS.0.into()),
        ("AWS_SECRET_ACCESS_KEY", KEYS.1.into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.clone()),
        ("AWS_CA_BUNDLE", bundle.clone()),
    ]);
    list(&env_builder(&env).build().expect("client"))
        .await
        .expect("trusted through AWS_CA_BUNDLE");

    let config = dir.file("config", &format!("[default]\nca_bundle = {bundle}\n"));
    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", KEYS.0.into()),
        ("AWS_SECRET_ACCESS_KEY", KEYS.1.into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.clone()),
        ("AWS_CONFIG_FILE", config),
    ]);
    list(&env_builder(&env).build().expect("client"))
        .await
        .expect("trusted through the profile's ca_bundle");

    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", KEYS.0.into()),
        ("AWS_SECRET_ACCESS_KEY", KEYS.1.into()),
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint),
        (
            "AWS_CA_BUNDLE",
            dir.0.join("missing.pem").to_string_lossy().into_owned(),
        ),
    ]);
    let err = env_builder(&env).build().expect_err("missing bundle");
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("AWS_CA_BUNDLE"), "{err}");
}

/// What the proxy saw first on each connection.
#[derive(Debug, Clone)]
struct Seen {
    request_line: String,
    proxy_authorization: Option<String>,
}

/// A fake HTTP proxy: `CONNECT host:port` tunnels and absolute-form
/// requests both go to 127.0.0.1 at the requested port.
struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, log.clone()));
            }
        });
        Proxy { url, seen, task }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(stream: TcpStream, log: Arc<Mutex<Vec<Seen>>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    let proxy_authorization = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("proxy-authorization: ")
                .or_else(|| l.strip_prefix("Proxy-Authorization: "))
        })
        .map(str::to_owned);
    log.lock().expect("lock").push(Seen {
        request_line: request_line.clone(),
        proxy_authorization,
    });
    let mut parts = request_line.split(' ');
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let authority = if method == "CONNECT" {
        target.to_owned()
    } else {
        let rest = target.strip_prefix("http://").unwrap_or_default();
        rest.split('/').next().unwrap_or_default().to_owned()
    };
    let port = authority.rsplit(':').next().unwrap_or("80");
    let mut upstream = TcpStream::connect(format!("127.0.0.1:{port}")).await?;
    if method == "CONNECT" {
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
    } else {
        upstream.write_all(head.as_bytes()).await?;
    }
    let buffered = reader.buffer().to_vec();
    upstream.write_all(&buffered).await?;
    let mut client = reader.into_inner();
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

#[tokio::test]
async fn plain_http_goes_through_the_builder_proxy_in_absolute_form_with_credentials() {
    let server = local(None).await;
    let proxy = Proxy::start().await;
    let port = server.local_addr().port();
    let proxy_url = proxy.url.replace("http://", "http://user:pass@");
    let client = builder()
        .endpoint_url(format!("http://{PROXY_ONLY_HOST}:{port}"))
        .proxy(proxy_url, None)
        .build()
        .expect("client");
    list(&client).await.expect("through the proxy");
    let seen = proxy.seen();
    assert_eq!(
        seen[0].request_line,
        format!("POST http://{PROXY_ONLY_HOST}:{port}/ HTTP/1.1")
    );
    // base64("user:pass")
    assert_eq!(
        seen[0].proxy_authorization.as_deref(),
        Some("Basic dXNlcjpwYXNz")
    );
}

#[tokio::test]
async fn https_goes_through_an_env_proxy_with_connect() {
    let pki = pki();
    let server = local(Some(&pki)).await;
    let proxy = Proxy::start().await;
    let port = server.local_addr().port();
    let dir = TempDir::new("connect");
    let env = dir.env(&[
        ("AWS_ACCESS_KEY_ID", KEYS.0.into()),
        ("AWS_SECRET_ACCESS_KEY", KEYS.1.into()),
        (
            "AWS_ENDPOINT_URL_DYNAMODB",
            format!("https://{PROXY_ONLY_HOST}:{port}"),
        ),
        ("AWS_CA_BUNDLE", dir.file("ca.pem", &pki.ca_pem)),
        ("https_proxy", proxy.url.clone()),
    ]);
    list(&env_builder(&env).build().expect("client"))
        .await
        .expect("tunnelled");
    let seen = proxy.seen();
    assert_eq!(
        seen[0].request_line,
        format!("CONNECT {PROXY_ONLY_HOST}:{port} HTTP/1.1")
    );
}

#[tokio::test]
async fn http_proxy_from_env_and_no_proxy_bypass() {
    let server = local(None).await;
    let proxy = Proxy::start().await;
    let port = server.local_addr().port();
    let dir = TempDir::new("env-proxy");
    let base = |endpoint: String, no_proxy: Option<&str>| {
        let mut env = dir.env(&[
            ("AWS_ACCESS_KEY_ID", KEYS.0.into()),
            ("AWS_SECRET_ACCESS_KEY", KEYS.1.into()),
            ("AWS_ENDPOINT_URL_DYNAMODB", endpoint),
            ("HTTP_PROXY", proxy.url.clone()),
        ]);
        if let Some(list) = no_proxy {
            env.insert("NO_PROXY".into(), list.into());
        }
        env
    };
    let env = base(format!("http://{PROXY_ONLY_HOST}:{port}"), None);
    list(&env_builder(&env).build().expect("client"))
        .await
        .expect("via HTTP_PROXY");
    assert_eq!(proxy.seen().len(), 1);

    // Listed in NO_PROXY, the host is resolved directly, which fails: the
    // proxy never sees the request.
    let env = base(
        format!("http://{PROXY_ONLY_HOST}:{port}"),
        Some("localhost, .proxy-only.test"),
    );
    let err = list(&env_builder(&env).build().expect("client"))
        .await
        .expect_err("bypassed the proxy, so the name does not resolve");
    assert!(
        matches!(err.kind(), ErrorKind::Transport | ErrorKind::Timeout),
        "{err}"
    );
    assert_eq!(
        proxy.seen().len(),
        1,
        "a NO_PROXY host went through the proxy"
    );

    // Loopback endpoints never take the proxy variables.
    let env = base(format!("http://127.0.0.1:{port}"), None);
    list(&env_builder(&env).build().expect("client"))
        .await
        .expect("direct to loopback");
    assert_eq!(
        proxy.seen().len(),
        1,
        "a loopback endpoint went through the proxy"
    );
}
