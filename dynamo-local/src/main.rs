//! `dynamo-local`: serves the DynamoDB 2011-12-05 API on a local port.

use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use dynamo_local::LocalServer;

const USAGE: &str = "\
Usage: dynamo-local [OPTIONS]

Serves the Amazon DynamoDB API version 2011-12-05 over HTTP (or HTTPS).

Options:
  --port PORT                 port to listen on (default 8000; 0 picks a free port)
  --bind ADDR                 address to listen on (default 127.0.0.1)
  --verify-signatures KEY:SECRET
                              verify SigV4/AWS3 signatures against this key pair
                              (repeatable; default: accept ANY credentials). A signature
                              must cover Host and every X-Amz-* header and be dated
                              within 15 minutes; its SigV4 scope must name that day
                              and the service dynamodb
  --region REGION             the region SigV4 scopes must name (default: any)
  --transition-delay-ms N     milliseconds tables stay CREATING/UPDATING/DELETING (default 0)
  --create-table-ms N         milliseconds tables stay CREATING (default: --transition-delay-ms)
  --update-table-ms N         milliseconds tables stay UPDATING (default: --transition-delay-ms)
  --delete-table-ms N         milliseconds tables stay DELETING (default: --transition-delay-ms)
  --no-control-plane-limits   lift the service's control-plane limits, on by default: at most 10
                              tables CREATING/UPDATING/DELETING at once, throughput at most
                              doubled per UpdateTable, one decrease per UTC day
  --max-body-bytes N          largest accepted request body (default 1048576, at most 16777216)
  --max-connections N         connections served at once; more are answered 503 and closed
                              (default 1024, fewer under a lower open-files limit)
  --max-in-flight-bytes N     request bytes read, parsed or executed at once (default 8388608)
  --idle-timeout-ms N         how long a connection may wait for a full request head (default 30000)
  --body-timeout-ms N         how long a client may take to send a body, or stall reading an
                              answer (default 30000)
  --data-dir DIR              keep tables and items in DIR (a redb database): they survive a
                              restart and kill -9; every write is fsynced before it is
                              acknowledged (default: in memory only)
  --tls-cert FILE             serve HTTPS with this PEM certificate chain (needs --tls-key)
  --tls-key FILE              the PEM private key of --tls-cert
  -h, --help                  print this help

Logging: set RUST_LOG (e.g. RUST_LOG=debug logs one line per request).
";

/// Command-line options (no `Debug`: they hold secrets).
struct Options {
    ip: IpAddr,
    port: u16,
    keys: Vec<(String, String)>,
    region: Option<String>,
    transition_delay: Duration,
    create_delay: Option<Duration>,
    update_delay: Option<Duration>,
    delete_delay: Option<Duration>,
    control_plane_limits: bool,
    max_body_bytes: usize,
    max_connections: Option<usize>,
    max_in_flight_bytes: Option<usize>,
    idle_timeout: Option<Duration>,
    body_timeout: Option<Duration>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    data_dir: Option<PathBuf>,
}

/// What the command line asks for.
enum Command {
    Serve(Box<Options>),
    Help,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut options = Options {
        ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 8000,
        keys: Vec::new(),
        region: None,
        transition_delay: Duration::ZERO,
        create_delay: None,
        update_delay: None,
        delete_delay: None,
        control_plane_limits: true,
        max_body_bytes: dynamo_local::DEFAULT_MAX_BODY_SIZE,
        max_connections: None,
        max_in_flight_bytes: None,
        idle_timeout: None,
        body_timeout: None,
        tls_cert: None,
        tls_key: None,
        data_dir: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        if flag == "--no-control-plane-limits" {
            options.control_plane_limits = false;
            continue;
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => options.port = parse_number(&flag, &value()?)?,
            "--bind" => {
                let text = value()?;
                options.ip = text
                    .parse()
                    .map_err(|_| format!("--bind: `{text}` is not an IP address"))?;
            }
            "--verify-signatures" => {
                let text = value()?;
                let (key, secret) = text
                    .split_once(':')
                    .filter(|(k, s)| !k.is_empty() && !s.is_empty())
                    .ok_or_else(|| "--verify-signatures expects KEY:SECRET".to_owned())?;
                options.keys.push((key.to_owned(), secret.to_owned()));
            }
            "--region" => options.region = Some(value()?),
            "--create-table-ms" => {
                options.create_delay = Some(Duration::from_millis(parse_number(&flag, &value()?)?));
            }
            "--update-table-ms" => {
                options.update_delay = Some(Duration::from_millis(parse_number(&flag, &value()?)?));
            }
            "--delete-table-ms" => {
                options.delete_delay = Some(Duration::from_millis(parse_number(&flag, &value()?)?));
            }
            "--transition-delay-ms" => {
                options.transition_delay = Duration::from_millis(parse_number(&flag, &value()?)?);
            }
            "--max-body-bytes" => {
                options.max_body_bytes = parse_number(&flag, &value()?)?;
                if options.max_body_bytes > dynamo_local::MAX_BODY_SIZE_LIMIT {
                    return Err(format!(
                        "--max-body-bytes: at most {} bytes",
                        dynamo_local::MAX_BODY_SIZE_LIMIT
                    ));
                }
            }
            "--max-connections" => {
                options.max_connections = Some(parse_number(&flag, &value()?)?);
            }
            "--max-in-flight-bytes" => {
                options.max_in_flight_bytes = Some(parse_number(&flag, &value()?)?);
            }
            "--idle-timeout-ms" => {
                options.idle_timeout = Some(Duration::from_millis(parse_number(&flag, &value()?)?));
            }
            "--body-timeout-ms" => {
                options.body_timeout = Some(Duration::from_millis(parse_number(&flag, &value()?)?));
            }
            "--tls-cert" => options.tls_cert = Some(PathBuf::from(value()?)),
            "--tls-key" => options.tls_key = Some(PathBuf::from(value()?)),
            "--data-dir" => options.data_dir = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    if options.tls_cert.is_some() != options.tls_key.is_some() {
        return Err("--tls-cert and --tls-key go together".to_owned());
    }
    Ok(Command::Serve(Box::new(options)))
}

fn parse_number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag}: `{text}` is not a valid number"))
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve(options)) => *options,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("dynamo-local: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("dynamo-local: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dynamo-local: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

async fn serve(options: Options) -> std::io::Result<()> {
    let mut builder = LocalServer::builder()
        .addr(SocketAddr::new(options.ip, options.port))
        .transition_delay(options.transition_delay)
        .control_plane_limits(options.control_plane_limits)
        .max_body_size(options.max_body_bytes);
    if let Some(delay) = options.create_delay {
        builder = builder.create_table_delay(delay);
    }
    if let Some(delay) = options.update_delay {
        builder = builder.update_table_delay(delay);
    }
    if let Some(delay) = options.delete_delay {
        builder = builder.delete_table_delay(delay);
    }
    if !options.keys.is_empty() {
        builder = builder.verify_signatures(options.keys);
    }
    if let Some(region) = options.region {
        builder = builder.region(region);
    }
    if let Some(dir) = &options.data_dir {
        builder = builder.data_dir(dir);
    }
    if let Some(n) = options.max_connections {
        builder = builder.max_connections(n);
    }
    if let Some(n) = options.max_in_flight_bytes {
        builder = builder.max_in_flight_bytes(n);
    }
    if let Some(timeout) = options.idle_timeout {
        builder = builder.idle_timeout(timeout);
    }
    if let Some(timeout) = options.body_timeout {
        builder = builder.body_timeout(timeout);
    }
    if let (Some(cert), Some(key)) = (&options.tls_cert, &options.tls_key) {
        let read = |path: &PathBuf| {
            std::fs::read(path).map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
            })
        };
        builder = builder.tls_pem(read(cert)?, read(key)?);
    }
    let server = builder.start().await?;
    println!("dynamo-local listening on {}", server.endpoint());
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}

/// Resolves on Ctrl-C, or on SIGTERM where signals exist.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults_to_loopback_8000() {
        let Ok(Command::Serve(options)) = parse(&[]) else {
            panic!("expected options")
        };
        assert_eq!(
            (options.ip, options.port),
            (IpAddr::V4(Ipv4Addr::LOCALHOST), 8000)
        );
        assert!(options.keys.is_empty());
        assert!(options.control_plane_limits, "on unless lifted");
    }

    #[test]
    fn parses_every_flag() {
        let Ok(Command::Serve(options)) = parse(&[
            "--port",
            "0",
            "--bind=0.0.0.0",
            "--verify-signatures",
            "AKID:SEC:RET",
            "--verify-signatures=K2:S2",
            "--transition-delay-ms",
            "250",
            "--max-body-bytes",
            "10",
            "--tls-cert",
            "c.pem",
            "--tls-key=k.pem",
            "--region",
            "us-east-1",
            "--max-connections",
            "7",
            "--max-in-flight-bytes=9000",
            "--idle-timeout-ms",
            "100",
            "--body-timeout-ms",
            "200",
            "--data-dir",
            "d",
            "--create-table-ms",
            "1",
            "--update-table-ms=2",
            "--delete-table-ms",
            "3",
            "--no-control-plane-limits",
        ]) else {
            panic!("expected options")
        };
        assert_eq!(options.port, 0);
        assert!(options.ip.is_unspecified());
        assert_eq!(
            options.keys,
            vec![
                ("AKID".to_owned(), "SEC:RET".to_owned()),
                ("K2".to_owned(), "S2".to_owned())
            ]
        );
        assert_eq!(options.transition_delay, Duration::from_millis(250));
        assert_eq!(options.max_body_bytes, 10);
        assert_eq!(options.tls_cert, Some(PathBuf::from("c.pem")));
        assert_eq!(options.tls_key, Some(PathBuf::from("k.pem")));
        assert_eq!(options.region.as_deref(), Some("us-east-1"));
        assert_eq!(options.max_connections, Some(7));
        assert_eq!(options.max_in_flight_bytes, Some(9000));
        assert_eq!(options.idle_timeout, Some(Duration::from_millis(100)));
        assert_eq!(options.body_timeout, Some(Duration::from_millis(200)));
        assert_eq!(options.data_dir, Some(PathBuf::from("d")));
        assert_eq!(
            (
                options.create_delay,
                options.update_delay,
                options.delete_delay
            ),
            (
                Some(Duration::from_millis(1)),
                Some(Duration::from_millis(2)),
                Some(Duration::from_millis(3))
            )
        );
        assert!(!options.control_plane_limits);
    }

    #[test]
    fn rejects_bad_input_and_knows_help() {
        assert!(matches!(parse(&["--help"]), Ok(Command::Help)));
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--bind", "nope"],
            &["--verify-signatures", "nokey"],
            &["--tls-cert", "c.pem"],
            &["--max-body-bytes", "16777217"],
            &["--what"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
