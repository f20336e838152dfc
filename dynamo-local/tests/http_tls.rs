//! HTTPS: the server and the binary serve TLS with a certificate issued by a
//! CA this test generates (rcgen), checked by reqwest's rustls client, which
//! trusts only that CA.

mod binary_support;

use std::time::Duration;

use dynamo_local::LocalServer;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

/// A test CA and a leaf for `localhost` and `127.0.0.1` signed by it.
struct TestPki {
    ca_pem: String,
    leaf_chain_pem: String,
    leaf_key_pem: String,
}

fn test_pki() -> TestPki {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "dynamo-local test CA");
    let ca = ca_params.self_signed(&ca_key).expect("CA cert");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf_params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
        .expect("leaf params");
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca, &ca_key)
        .expect("leaf cert");
    TestPki {
        ca_pem: ca.pem(),
        leaf_chain_pem: format!("{}{}", leaf.pem(), ca.pem()),
        leaf_key_pem: leaf_key.serialize_pem(),
    }
}

fn client_trusting(ca_pem: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes()).expect("CA"))
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn list_tables(client: &reqwest::Client, endpoint: &str) -> reqwest::Result<(u16, String)> {
    let response = client
        .post(format!("{endpoint}/"))
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", "DynamoDB_20111205.ListTables")
        .body("{}")
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

#[tokio::test]
async fn builder_serves_https_with_the_given_certificate() {
    let pki = test_pki();
    let server = LocalServer::builder()
        .tls_pem(pki.leaf_chain_pem.clone(), pki.leaf_key_pem.clone())
        .start()
        .await
        .expect("start");
    let endpoint = server.endpoint();
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");

    let client = client_trusting(&pki.ca_pem);
    let (status, body) = list_tables(&client, &endpoint).await.expect("HTTPS call");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, r#"{"TableNames":[]}"#);

    // A client that trusts another CA is refused in the handshake, and a
    // plain-HTTP client gets no answer; the server keeps serving.
    let stranger = client_trusting(&test_pki().ca_pem);
    assert!(list_tables(&stranger, &endpoint).await.is_err());
    let plain = format!("http://{}", server.local_addr());
    assert!(list_tables(&client, &plain).await.is_err());
    let (status, _) = list_tables(&client, &endpoint)
        .await
        .expect("still serving");
    assert_eq!(status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn unusable_pem_fails_start_with_invalid_input() {
    let pki = test_pki();
    let no_key = LocalServer::builder()
        .tls_pem(pki.leaf_chain_pem.clone(), "no key here")
        .start()
        .await
        .expect_err("refused");
    assert_eq!(no_key.kind(), std::io::ErrorKind::InvalidInput);
    assert!(no_key.to_string().contains("private key"), "{no_key}");
    let other_key = KeyPair::generate().expect("key").serialize_pem();
    let mismatch = LocalServer::builder()
        .tls_pem(pki.leaf_chain_pem, other_key)
        .start()
        .await
        .expect_err("refused");
    assert_eq!(mismatch.kind(), std::io::ErrorKind::InvalidInput);
}

#[tokio::test]
async fn binary_serves_https_with_tls_cert_and_tls_key() {
    let pki = test_pki();
    let dir = std::env::temp_dir().join(format!("dynamo-local-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, &pki.leaf_chain_pem).expect("write cert");
    std::fs::write(&key, &pki.leaf_key_pem).expect("write key");

    let mut command = binary_support::dynamo_local();
    command
        .args(["--port", "0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key);
    let (mut child, endpoint) = binary_support::spawn(command).await;
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");

    let (status, body) = list_tables(&client_trusting(&pki.ca_pem), &endpoint)
        .await
        .expect("HTTPS call");
    assert_eq!(status, 200, "{body}");
    child.kill().await.expect("kill");
    let _ = std::fs::remove_dir_all(&dir);
}
