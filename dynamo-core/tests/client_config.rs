//! Configuration from the environment and the shared profile files, and
//! region-to-endpoint mapping.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use common::{Reply, Server, parse_authorization, verifying};
use dynamo_core::ErrorKind;
use dynamo_core::client::{Client, ClientBuilder, ProfileCredentials, region_endpoint};
use dynamo_core::wire::ListTablesInput;

const CREDENTIALS_FILE: &str = "\
# shared credentials
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = defaultsecret

[x]
aws_access_key_id=XKEY
aws_secret_access_key = xsecret ; inline comment
aws_session_token = xtoken
";

const CONFIG_FILE: &str = "\
[default]
region = us-west-2

[profile x]
region = cn-north-1

[profile gov]
region = us-gov-west-1
aws_access_key_id = GOVKEY
aws_secret_access_key = govsecret

[x]
region = eu-west-1
";

/// A fresh directory holding the two files.
struct Files {
    dir: PathBuf,
}

impl Files {
    fn new(tag: &str) -> Files {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "dynamo-client-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("credentials"), CREDENTIALS_FILE).expect("write");
        std::fs::write(dir.join("config"), CONFIG_FILE).expect("write");
        Files { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }

    /// An environment pointing at the files, plus `extra`.
    fn env(&self, extra: &[(&str, &str)]) -> HashMap<String, String> {
        let mut env = HashMap::from([
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                self.path("credentials"),
            ),
            ("AWS_CONFIG_FILE".to_owned(), self.path("config")),
            ("HOME".to_owned(), self.path("no-home")),
        ]);
        for (k, v) in extra {
            env.insert((*k).to_owned(), (*v).to_owned());
        }
        env
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn builder(env: &HashMap<String, String>) -> ClientBuilder {
    ClientBuilder::from_env_with(|name| env.get(name).cloned())
}

fn build(env: &HashMap<String, String>) -> Client {
    builder(env).build().expect("client")
}

#[test]
fn endpoints_by_partition() {
    let cases = [
        ("us-east-1", "https://dynamodb.us-east-1.amazonaws.com"),
        ("cn-north-1", "https://dynamodb.cn-north-1.amazonaws.com.cn"),
        (
            "us-gov-west-1",
            "https://dynamodb.us-gov-west-1.amazonaws.com",
        ),
    ];
    for (region, endpoint) in cases {
        assert_eq!(region_endpoint(region).as_deref(), Some(endpoint));
        let client = Client::builder()
            .region(region)
            .credentials(dynamo_core::Credentials::new("A", "B", None))
            .build()
            .expect("client");
        assert_eq!(client.endpoint(), format!("{endpoint}/"));
        assert_eq!(client.region(), region);
    }
}

#[test]
fn fips_and_dual_stack_from_env_profile_and_builder() {
    let files = Files::new("variants");
    let env = files.env(&[
        ("AWS_PROFILE", "x"),
        ("AWS_USE_FIPS_ENDPOINT", "true"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    // Profile x is in cn-north-1.
    assert_eq!(
        build(&env).endpoint(),
        "https://dynamodb-fips.cn-north-1.amazonaws.com.cn/"
    );
    let config = files.dir.join("config");
    std::fs::write(
        &config,
        "[default]\nregion = eu-west-1\nuse_dualstack_endpoint = true\n",
    )
    .expect("write");
    let env = files.env(&[("AWS_EC2_METADATA_DISABLED", "true")]);
    assert_eq!(
        build(&env).endpoint(),
        "https://dynamodb.eu-west-1.api.aws/"
    );
    let both = Client::builder()
        .region("us-gov-east-1")
        .use_fips(true)
        .use_dual_stack(true)
        .credentials(dynamo_core::Credentials::new("A", "B", None))
        .build()
        .expect("client");
    assert_eq!(
        both.endpoint(),
        "https://dynamodb-fips.us-gov-east-1.api.aws/"
    );
    let err = Client::builder()
        .endpoint_url("http://127.0.0.1:8000")
        .use_fips(true)
        .credentials(dynamo_core::Credentials::new("A", "B", None))
        .build()
        .expect_err("FIPS with a custom endpoint");
    assert_eq!(err.kind(), ErrorKind::Config);
    let env = files.env(&[
        ("AWS_USE_DUALSTACK_ENDPOINT", "yes"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let err = builder(&env).build().expect_err("not a boolean");
    assert!(
        err.to_string().contains("AWS_USE_DUALSTACK_ENDPOINT"),
        "{err}"
    );
}

#[test]
fn default_profile_gives_region_from_config_file() {
    let files = Files::new("default");
    let client = build(&files.env(&[]));
    assert_eq!(client.region(), "us-west-2");
    assert_eq!(
        client.endpoint(),
        "https://dynamodb.us-west-2.amazonaws.com/"
    );
}

#[test]
fn named_profile_uses_its_profile_section() {
    let files = Files::new("named");
    let client = build(&files.env(&[("AWS_PROFILE", "x")]));
    assert_eq!(client.region(), "cn-north-1");
    assert_eq!(
        client.endpoint(),
        "https://dynamodb.cn-north-1.amazonaws.com.cn/"
    );
}

#[test]
fn region_variables_win_over_the_profile() {
    let files = Files::new("region");
    let env = files.env(&[("AWS_DEFAULT_REGION", "eu-west-1")]);
    assert_eq!(build(&env).region(), "eu-west-1");
    let env = files.env(&[
        ("AWS_DEFAULT_REGION", "eu-west-1"),
        ("AWS_REGION", "ap-south-1"),
    ]);
    assert_eq!(build(&env).region(), "ap-south-1");
}

#[test]
fn dynamodb_endpoint_variable_wins_over_the_general_one() {
    let files = Files::new("endpoint");
    let env = files.env(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:1111")]);
    assert_eq!(build(&env).endpoint(), "http://127.0.0.1:1111/");
    let env = files.env(&[
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:1111"),
        ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222"),
    ]);
    let client = build(&env);
    assert_eq!(client.endpoint(), "http://localhost:2222/");
    assert_eq!(
        client.region(),
        "us-west-2",
        "the region still comes from the profile"
    );
    let env = files.env(&[
        ("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
    ]);
    assert_eq!(
        build(&env).endpoint(),
        "https://dynamodb.us-west-2.amazonaws.com/"
    );
}

/// Sends one request to a verifying server and returns its Authorization and token.
async fn signed_with(
    env: HashMap<String, String>,
    secret: &'static str,
) -> (String, Option<String>) {
    let server = Server::start(verifying(secret, |_, _| Reply::ok("{}"))).await;
    let mut env = env;
    env.insert("AWS_ENDPOINT_URL".into(), server.url());
    let client = build(&env);
    client
        .list_tables(&ListTablesInput::default())
        .await
        .expect("verified");
    let req = &server.requests()[0];
    let auth = parse_authorization(req.header("authorization").unwrap_or("")).expect("auth");
    (
        auth.access_key_id,
        req.header("x-amz-security-token").map(str::to_owned),
    )
}

#[tokio::test]
async fn profile_credentials_sign_requests() {
    let files = Files::new("creds");
    let (akid, token) = signed_with(files.env(&[("AWS_PROFILE", "x")]), "xsecret").await;
    assert_eq!((akid.as_str(), token.as_deref()), ("XKEY", Some("xtoken")));
    let (akid, token) = signed_with(files.env(&[]), "defaultsecret").await;
    assert_eq!((akid.as_str(), token), ("DEFAULTKEY", None));
}

#[tokio::test]
async fn credentials_may_live_in_the_config_file() {
    let files = Files::new("gov");
    let (akid, _) = signed_with(files.env(&[("AWS_PROFILE", "gov")]), "govsecret").await;
    assert_eq!(akid, "GOVKEY");
}

#[tokio::test]
async fn environment_keys_win_over_profiles() {
    let files = Files::new("envkeys");
    let env = files.env(&[
        ("AWS_PROFILE", "x"),
        ("AWS_ACCESS_KEY_ID", "ENVKEY"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_SESSION_TOKEN", "envtoken"),
    ]);
    let (akid, token) = signed_with(env, "envsecret").await;
    assert_eq!(
        (akid.as_str(), token.as_deref()),
        ("ENVKEY", Some("envtoken"))
    );
}

#[test]
fn home_directory_files_are_the_default() {
    let files = Files::new("home");
    let aws = files.dir.join(".aws");
    std::fs::create_dir_all(&aws).expect("dir");
    std::fs::write(aws.join("config"), "[profile h]\nregion = sa-east-1\n").expect("write");
    std::fs::write(
        aws.join("credentials"),
        "[h]\naws_access_key_id=H\naws_secret_access_key=S\n",
    )
    .expect("write");
    let env = HashMap::from([
        ("HOME".to_owned(), files.dir.to_string_lossy().into_owned()),
        ("AWS_PROFILE".to_owned(), "h".to_owned()),
    ]);
    assert_eq!(build(&env).region(), "sa-east-1");
}

#[test]
fn missing_pieces_are_typed_errors() {
    let files = Files::new("missing");
    let err = builder(&files.env(&[("AWS_PROFILE", "nope"), ("AWS_REGION", "us-east-1")]))
        .build()
        .expect_err("no creds");
    assert_eq!(err.kind(), ErrorKind::Credentials);
    let env = HashMap::from([
        ("AWS_ACCESS_KEY_ID".to_owned(), "A".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "B".to_owned()),
    ]);
    let err = builder(&env).build().expect_err("no region");
    assert_eq!(err.kind(), ErrorKind::Config);
    let err = builder(&env)
        .region("not a region")
        .build()
        .expect_err("bad region");
    assert_eq!(err.kind(), ErrorKind::Config);
    let err = builder(&env)
        .endpoint_url("127.0.0.1:8000")
        .build()
        .expect_err("bad url");
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[tokio::test]
async fn profile_provider_reads_the_files() {
    use dynamo_core::client::ProvideCredentials;
    let files = Files::new("provider");
    let provider = ProfileCredentials::with_files(
        "x",
        Some(files.dir.join("credentials")),
        Some(files.dir.join("config")),
    );
    let creds = provider.provide_credentials().await.expect("creds");
    assert_eq!(creds.access_key_id(), "XKEY");
    assert_eq!(creds.secret_access_key(), "xsecret");
    let missing = ProfileCredentials::with_files("nope", Some(files.dir.join("credentials")), None);
    let err = missing.provide_credentials().await.expect_err("missing");
    assert_eq!(err.kind(), ErrorKind::Credentials);
}
