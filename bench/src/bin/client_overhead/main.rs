//! Client overhead: our client (typed table and Layer1, over hyper and over reqwest), aws-sdk-dynamodb (+ serde_dynamo) and a raw
//! hyper client doing the same GetItem/PutItem mix against the canned server,
//! which runs in a child process so this process's CPU is the client's alone.
//!
//! ```text
//! client_overhead [--ops N] [--reps R] [--conc 1,16,64] [--clients ours,ours-l1,ours-rq,ours-l1-rq,aws,raw] [--url URL]
//!     ours = Table<Message> (typed layer), ours-l1 = Layer1 client + derived conversions,
//!     ours-rq / ours-l1-rq = the same two over the reqwest transport (`reqwest_client`)
//! client_overhead serve [--port P]      # the canned server alone (prints its address)
//! ```

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dynamo_bench::canned;
use dynamo_bench::cpu::self_cpu;
use dynamo_bench::rawhttp::{self, ApiVersion, Prepared, RawClient};
use dynamo_bench::shapes::Message;
use dynamo_bench::stats::Summary;

mod drivers;

use drivers::{AwsDriver, OursDriver, TableDriver};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Messages the put side cycles through.
const SAMPLES: usize = 64;

enum Driver {
    Table(TableDriver),
    Ours(OursDriver),
    TableReqwest(TableDriver),
    OursReqwest(OursDriver),
    Aws(AwsDriver),
    Raw(Box<RawDriver>),
}

/// The ceiling: pre-built requests, responses read but not decoded.
struct RawDriver {
    client: RawClient,
    get: Prepared,
    put: Prepared,
}

impl Driver {
    fn name(&self) -> &'static str {
        match self {
            Driver::Table(_) => "ours",
            Driver::Ours(_) => "ours-l1",
            Driver::TableReqwest(_) => "ours-rq",
            Driver::OursReqwest(_) => "ours-l1-rq",
            Driver::Aws(_) => "aws-sdk",
            Driver::Raw(_) => "raw hyper",
        }
    }

    /// Even `i`: GetItem (and decode); odd: PutItem of sample `i`.
    async fn op(&self, i: usize, samples: &[Message]) -> Result<(), BoxError> {
        let message = &samples[i % samples.len()];
        let get = i.is_multiple_of(2);
        match self {
            Driver::Table(d) | Driver::TableReqwest(d) if get => d.get(message).await,
            Driver::Table(d) | Driver::TableReqwest(d) => d.put(message).await,
            Driver::Ours(d) | Driver::OursReqwest(d) if get => d.get(message).await,
            Driver::Ours(d) | Driver::OursReqwest(d) => d.put(message).await,
            Driver::Aws(d) if get => d.get(message).await,
            Driver::Aws(d) => d.put(message).await,
            Driver::Raw(raw) => {
                rawhttp::send(&raw.client, if get { &raw.get } else { &raw.put }).await?;
                Ok(())
            }
        }
    }
}

struct Cell {
    ops_per_sec: f64,
    cpu_us_per_op: f64,
    errors: usize,
}

async fn run_cell(
    driver: Arc<Driver>,
    samples: Arc<Vec<Message>>,
    conc: usize,
    ops: usize,
) -> Cell {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let cpu0 = self_cpu();
    let start = Instant::now();
    let mut workers = Vec::with_capacity(conc);
    for _ in 0..conc {
        let (driver, samples, next, errors) = (
            driver.clone(),
            samples.clone(),
            next.clone(),
            errors.clone(),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= ops {
                    break;
                }
                if let Err(e) = driver.op(i, &samples).await
                    && errors.fetch_add(1, Ordering::Relaxed) == 0
                {
                    eprintln!("{}: {e}", driver.name());
                }
            }
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = (self_cpu() - cpu0).as_secs_f64();
    Cell {
        ops_per_sec: ops as f64 / wall,
        cpu_us_per_op: cpu * 1e6 / ops as f64,
        errors: errors.load(Ordering::Relaxed),
    }
}

struct Args {
    ops: usize,
    reps: usize,
    conc: Vec<usize>,
    clients: Vec<String>,
    url: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, BoxError> {
    let mut parsed = Args {
        ops: 20_000,
        reps: 3,
        conc: vec![1, 16, 64],
        clients: ["ours", "ours-l1", "ours-rq", "ours-l1-rq", "aws", "raw"]
            .map(String::from)
            .to_vec(),
        url: None,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--ops" => parsed.ops = value.parse()?,
            "--reps" => parsed.reps = value.parse()?,
            "--conc" => parsed.conc = value.split(',').map(str::parse).collect::<Result<_, _>>()?,
            "--clients" => parsed.clients = value.split(',').map(str::to_owned).collect(),
            "--url" => parsed.url = Some(value),
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    Ok(parsed)
}

/// Starts `serve` in a child process and returns it with its URL.
fn spawn_server() -> Result<(Child, String), BoxError> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let addr = line
        .trim()
        .strip_prefix("listening ")
        .ok_or("server did not start")?;
    Ok((child, format!("http://{addr}")))
}

fn serve(mut args: impl Iterator<Item = String>) -> Result<(), BoxError> {
    let mut port = 0u16;
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--port", Some(p)) => port = p.parse()?,
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        println!("listening {}", listener.local_addr()?);
        canned::serve(listener).await?;
        Ok(())
    })
}

fn build_driver(name: &str, url: &str) -> Result<Driver, BoxError> {
    let sample = Message::sample(0);
    Ok(match name {
        "ours" => Driver::Table(TableDriver::new(url)?),
        "ours-l1" => Driver::Ours(OursDriver::new(url)?),
        "ours-rq" => Driver::TableReqwest(TableDriver::over_reqwest(url)?),
        "ours-l1-rq" => Driver::OursReqwest(OursDriver::over_reqwest(url)?),
        "aws" => Driver::Aws(AwsDriver::new(url)),
        "raw" => Driver::Raw(Box::new(RawDriver {
            client: rawhttp::raw_client(),
            get: Prepared::new(
                url,
                ApiVersion::V2011,
                "GetItem",
                drivers::v1_get_body(&sample)?,
            )?,
            put: Prepared::new(
                url,
                ApiVersion::V2011,
                "PutItem",
                drivers::v1_put_body(&sample)?,
            )?,
        })),
        other => return Err(format!("unknown client {other}").into()),
    })
}

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("serve") {
        args.next();
        return serve(args);
    }
    let args = parse_args(args)?;
    let (mut child, url) = match &args.url {
        Some(url) => (None, url.clone()),
        None => {
            let (child, url) = spawn_server()?;
            (Some(child), url)
        }
    };
    let result = measure(&args, &url);
    if let Some(child) = child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
    result
}

fn measure(args: &Args, url: &str) -> Result<(), BoxError> {
    let runtime = tokio::runtime::Runtime::new()?;
    let samples = Arc::new((0..SAMPLES).map(Message::sample).collect::<Vec<_>>());
    let drivers: Vec<Arc<Driver>> = args
        .clients
        .iter()
        .map(|name| build_driver(name, url).map(Arc::new))
        .collect::<Result<_, _>>()?;
    // results[conc][driver] = cells of each repetition
    let mut results: Vec<Vec<Vec<Cell>>> = args
        .conc
        .iter()
        .map(|_| drivers.iter().map(|_| Vec::new()).collect())
        .collect();
    runtime.block_on(async {
        for driver in &drivers {
            // Warm up: connections, pools, signing keys, allocator.
            run_cell(driver.clone(), samples.clone(), 64, 2_000).await;
        }
        for rep in 0..args.reps {
            for (c, &conc) in args.conc.iter().enumerate() {
                for (d, driver) in drivers.iter().enumerate() {
                    let cell = run_cell(driver.clone(), samples.clone(), conc, args.ops).await;
                    eprintln!(
                        "rep {rep} conc {conc:>2} {:<10} {:>9.0} ops/s {:>7.2} µs CPU/op errors {}",
                        driver.name(),
                        cell.ops_per_sec,
                        cell.cpu_us_per_op,
                        cell.errors
                    );
                    results[c][d].push(cell);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    report(args, &drivers, &results);
    Ok(())
}

fn report(args: &Args, drivers: &[Arc<Driver>], results: &[Vec<Vec<Cell>>]) {
    println!(
        "\n### Client overhead: {} GetItem/PutItem ops per cell, {} repetitions (median [min–max])\n",
        args.ops, args.reps
    );
    println!("| concurrency | client | ops/s | client CPU µs/op | errors |");
    println!("|---|---|---|---|---|");
    for (c, conc) in args.conc.iter().enumerate() {
        for (d, driver) in drivers.iter().enumerate() {
            let cells = &results[c][d];
            let ops = Summary::of(&cells.iter().map(|x| x.ops_per_sec).collect::<Vec<_>>());
            let cpu = Summary::of(&cells.iter().map(|x| x.cpu_us_per_op).collect::<Vec<_>>());
            let errors: usize = cells.iter().map(|x| x.errors).sum();
            println!("| {conc} | {} | {ops} | {cpu} | {errors} |", driver.name());
        }
    }
    let index = |name: &str| drivers.iter().position(|d| d.name() == name);
    let (Some(ours), aws, raw) = (index("ours"), index("aws-sdk"), index("raw hyper")) else {
        return;
    };
    let reqwest = index("ours-rq");
    println!("\nRatios per repetition (same run), median [min–max]:\n");
    println!(
        "| concurrency | ours/aws-sdk CPU | ours/raw CPU | ours/raw ops/s | ours/aws-sdk ops/s | ours-rq/ours CPU |"
    );
    println!("|---|---|---|---|---|---|");
    for (c, conc) in args.conc.iter().enumerate() {
        let ratio_of = |mine: Option<usize>, other: Option<usize>, f: fn(&Cell) -> f64| -> String {
            let (Some(mine), Some(other)) = (mine, other) else {
                return "–".into();
            };
            let values: Vec<f64> = results[c][mine]
                .iter()
                .zip(&results[c][other])
                .map(|(a, b)| f(a) / f(b))
                .collect();
            Summary::of(&values).to_string()
        };
        let ratio = |other, f| ratio_of(Some(ours), other, f);
        println!(
            "| {conc} | {} | {} | {} | {} | {} |",
            ratio(aws, |x| x.cpu_us_per_op),
            ratio(raw, |x| x.cpu_us_per_op),
            ratio(raw, |x| x.ops_per_sec),
            ratio(aws, |x| x.ops_per_sec),
            ratio_of(reqwest, Some(ours), |x| x.cpu_us_per_op),
        );
    }
}
