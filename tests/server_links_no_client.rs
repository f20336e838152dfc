//! dynamo-local depends on dynamo-core without its `client` feature: the
//! server links the value model and wire types, never the HTTP client, its
//! TLS connector or request signing.

use std::process::Command;

#[test]
fn dynamo_local_does_not_link_the_client() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["tree", "--offline", "-p", "dynamo-local", "-e", "normal"])
        .args(["--prefix", "none", "-f", "{p} [{f}]"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let crate_line = |name: &str| {
        tree.lines()
            .find(|l| l.starts_with(&format!("{name} v")))
            .map(str::to_owned)
    };
    let core = crate_line("dynamo-core").expect("dynamo-local uses dynamo-core");
    assert!(!core.contains("client"), "{core}");
    // rustls itself is linked for `--tls-cert` (serving HTTPS); the client's
    // TLS connector, signing and credentials are not.
    for linked in [
        "hyper-rustls",
        "aws-sigv4",
        "aws-credential-types",
        "aws-smithy-runtime-api",
    ] {
        assert_eq!(
            crate_line(linked),
            None,
            "the server links {linked}:\n{tree}"
        );
    }
    let hyper = crate_line("hyper").expect("the server runs on hyper");
    assert!(!hyper.contains("client"), "{hyper}");
}
