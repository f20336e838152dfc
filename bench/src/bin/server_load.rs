//! Server load generator: replays pre-built requests (50/50 PutItem/GetItem of
//! ~1 KB items over a fixed key space) against one server with a pooled raw
//! hyper client, and reports ops/s, latency percentiles and the server
//! process's CPU per request.
//!
//! ```text
//! server_load run --url URL --api v1|v2 --pid PID --label NAME
//!             [--ops N] [--max-secs S] [--conc 1,16,64] [--reps R] [--keys K] [--no-setup]
//!     prints one JSON line per cell on stdout
//! server_load report FILE...      # a table with ratios from those JSON lines
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use dynamo_bench::cpu::process_cpu;
use dynamo_bench::rawhttp::{self, ApiVersion, Prepared, RawClient};
use dynamo_bench::stats::{Summary, percentile};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const TABLE: &str = "bench";
const PAYLOAD_BYTES: usize = 1000;

struct Args {
    url: String,
    api: ApiVersion,
    pid: u32,
    label: String,
    ops: usize,
    max_secs: f64,
    conc: Vec<usize>,
    reps: usize,
    keys: usize,
    setup: bool,
}

fn parse_run_args(mut args: impl Iterator<Item = String>) -> Result<Args, BoxError> {
    let mut parsed = Args {
        url: String::new(),
        api: ApiVersion::V2011,
        pid: 0,
        label: String::new(),
        ops: 20_000,
        max_secs: 20.0,
        conc: vec![1, 16, 64],
        reps: 3,
        keys: 10_000,
        setup: true,
    };
    while let Some(flag) = args.next() {
        if flag == "--no-setup" {
            parsed.setup = false;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => parsed.url = value,
            "--api" => {
                parsed.api = match value.as_str() {
                    "v1" => ApiVersion::V2011,
                    "v2" => ApiVersion::V2012,
                    other => return Err(format!("unknown api {other}").into()),
                }
            }
            "--pid" => parsed.pid = value.parse()?,
            "--label" => parsed.label = value,
            "--ops" => parsed.ops = value.parse()?,
            "--max-secs" => parsed.max_secs = value.parse()?,
            "--conc" => parsed.conc = value.split(',').map(str::parse).collect::<Result<_, _>>()?,
            "--reps" => parsed.reps = value.parse()?,
            "--keys" => parsed.keys = value.parse()?,
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    if parsed.url.is_empty() || parsed.pid == 0 || parsed.label.is_empty() {
        return Err("--url, --pid and --label are required".into());
    }
    Ok(parsed)
}

fn key_name(k: usize) -> String {
    format!("k{k:06}")
}

fn create_body(api: ApiVersion) -> serde_json::Value {
    let throughput = json!({ "ReadCapacityUnits": 100000, "WriteCapacityUnits": 100000 });
    match api {
        ApiVersion::V2011 => json!({
            "TableName": TABLE,
            "KeySchema": { "HashKeyElement": { "AttributeName": "id", "AttributeType": "S" } },
            "ProvisionedThroughput": throughput,
        }),
        ApiVersion::V2012 => json!({
            "TableName": TABLE,
            "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],
            "ProvisionedThroughput": throughput,
        }),
    }
}

fn put_body(k: usize) -> serde_json::Value {
    let payload: String = std::iter::repeat_n("0123456789abcdef", PAYLOAD_BYTES / 16 + 1)
        .collect::<String>()[..PAYLOAD_BYTES]
        .to_owned();
    json!({
        "TableName": TABLE,
        "Item": {
            "id": { "S": key_name(k) },
            "payload": { "S": payload },
            "n": { "N": k.to_string() },
        }
    })
}

fn get_body(api: ApiVersion, k: usize) -> serde_json::Value {
    let key = json!({ "S": key_name(k) });
    match api {
        ApiVersion::V2011 => json!({ "TableName": TABLE, "Key": { "HashKeyElement": key } }),
        ApiVersion::V2012 => json!({ "TableName": TABLE, "Key": { "id": key } }),
    }
}

fn prepare(args: &Args, op: &str, body: &serde_json::Value) -> Result<Prepared, BoxError> {
    Ok(Prepared::new(
        &args.url,
        args.api,
        op,
        Bytes::from(body.to_string()),
    )?)
}

async fn setup(args: &Args, client: &RawClient) -> Result<(), BoxError> {
    let create = prepare(args, "CreateTable", &create_body(args.api))?;
    match rawhttp::send(client, &create).await {
        Ok(_) => {}
        Err(rawhttp::RawError::Status(400, body))
            if body.windows(16).any(|w| w == b"ResourceInUseExc") => {}
        Err(e) => return Err(e.into()),
    }
    let describe = prepare(args, "DescribeTable", &json!({ "TableName": TABLE }))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let body = rawhttp::send(client, &describe).await?;
        let value: serde_json::Value = serde_json::from_slice(&body)?;
        if value["Table"]["TableStatus"] == "ACTIVE" {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("table did not become ACTIVE in 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct CellResult {
    label: String,
    conc: usize,
    rep: usize,
    ops: usize,
    errors: usize,
    secs: f64,
    ops_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    server_cpu_us_per_op: f64,
}

struct Requests {
    puts: Vec<Prepared>,
    gets: Vec<Prepared>,
}

async fn run_cell(
    client: &RawClient,
    requests: &Arc<Requests>,
    plan: Arc<Vec<(bool, u32)>>,
    conc: usize,
    max: Duration,
) -> (usize, usize, f64, Vec<f64>) {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(conc);
    for _ in 0..conc {
        let (client, requests, plan, next, errors) = (
            client.clone(),
            requests.clone(),
            plan.clone(),
            next.clone(),
            errors.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(plan.len() / conc + 1);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(put, k)) = plan.get(i) else { break };
                if start.elapsed() > max {
                    break;
                }
                let request = if put {
                    &requests.puts[k as usize]
                } else {
                    &requests.gets[k as usize]
                };
                let sent = Instant::now();
                match rawhttp::send(&client, request).await {
                    Ok(_) => latencies.push(sent.elapsed().as_secs_f64() * 1e6),
                    Err(e) => {
                        if errors.fetch_add(1, Ordering::Relaxed) == 0 {
                            eprintln!("error: {e}");
                        }
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for worker in workers {
        if let Ok(mut l) = worker.await {
            latencies.append(&mut l);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    (
        latencies.len(),
        errors.load(Ordering::Relaxed),
        secs,
        latencies,
    )
}

async fn run(args: Args) -> Result<(), BoxError> {
    let client = rawhttp::raw_client();
    if args.setup {
        setup(&args, &client).await?;
    }
    let requests = Arc::new(Requests {
        puts: (0..args.keys)
            .map(|k| prepare(&args, "PutItem", &put_body(k)))
            .collect::<Result<_, _>>()?,
        gets: (0..args.keys)
            .map(|k| prepare(&args, "GetItem", &get_body(args.api, k)))
            .collect::<Result<_, _>>()?,
    });
    // Fill the table so gets find their items (and warm the server up).
    let fill: Vec<(bool, u32)> = (0..args.keys as u32).map(|k| (true, k)).collect();
    let fill = if args.setup {
        fill
    } else {
        fill[..fill.len().min(2_000)].to_vec()
    };
    let (done, errors, secs, _) = run_cell(
        &client,
        &requests,
        Arc::new(fill),
        16,
        Duration::from_secs(600),
    )
    .await;
    eprintln!(
        "{}: filled {done} items in {secs:.1} s ({errors} errors)",
        args.label
    );
    for rep in 0..args.reps {
        for &conc in &args.conc {
            let mut rng = SmallRng::seed_from_u64((rep * 1000 + conc) as u64);
            let plan: Vec<(bool, u32)> = (0..args.ops)
                .map(|_| (rng.random_bool(0.5), rng.random_range(0..args.keys as u32)))
                .collect();
            let cpu0 = process_cpu(args.pid)?;
            let max = Duration::from_secs_f64(args.max_secs);
            let (ops, errors, secs, mut latencies) =
                run_cell(&client, &requests, Arc::new(plan), conc, max).await;
            let cpu = (process_cpu(args.pid)? - cpu0).as_secs_f64();
            latencies.sort_by(f64::total_cmp);
            let result = CellResult {
                label: args.label.clone(),
                conc,
                rep,
                ops,
                errors,
                secs,
                ops_per_sec: ops as f64 / secs,
                p50_us: percentile(&latencies, 50.0),
                p99_us: percentile(&latencies, 99.0),
                server_cpu_us_per_op: cpu * 1e6 / ops.max(1) as f64,
            };
            eprintln!(
                "{} rep {rep} conc {conc:>2}: {:>8.0} ops/s p50 {:>7.0} µs p99 {:>7.0} µs server CPU {:>6.1} µs/op ({ops} ops, {errors} errors)",
                result.label,
                result.ops_per_sec,
                result.p50_us,
                result.p99_us,
                result.server_cpu_us_per_op
            );
            println!("{}", serde_json::to_string(&result)?);
        }
    }
    Ok(())
}

fn report(files: impl Iterator<Item = String>) -> Result<(), BoxError> {
    let mut cells: Vec<CellResult> = Vec::new();
    for file in files {
        for line in std::fs::read_to_string(&file)?
            .lines()
            .filter(|l| l.starts_with('{'))
        {
            cells.push(serde_json::from_str(line)?);
        }
    }
    let mut labels: Vec<String> = Vec::new();
    for cell in &cells {
        if !labels.contains(&cell.label) {
            labels.push(cell.label.clone());
        }
    }
    let mut by: BTreeMap<(usize, usize), Vec<&CellResult>> = BTreeMap::new();
    for cell in &cells {
        let l = labels.iter().position(|x| *x == cell.label).unwrap_or(0);
        by.entry((cell.conc, l)).or_default().push(cell);
    }
    let summary = |v: &[&CellResult], f: fn(&CellResult) -> f64| {
        Summary::of(&v.iter().map(|c| f(c)).collect::<Vec<_>>())
    };
    println!("| concurrency | server | ops/s | p50 µs | p99 µs | server CPU µs/req | errors |");
    println!("|---|---|---|---|---|---|---|");
    for (&(conc, l), group) in &by {
        let errors: usize = group.iter().map(|c| c.errors).sum();
        println!(
            "| {conc} | {} | {} | {} | {} | {} | {errors} |",
            labels[l],
            summary(group, |c| c.ops_per_sec),
            summary(group, |c| c.p50_us),
            summary(group, |c| c.p99_us),
            summary(group, |c| c.server_cpu_us_per_op),
        );
    }
    let Some(first) = labels.first() else {
        return Ok(());
    };
    println!("\nRatios of medians, {first} against each server:\n");
    println!(
        "| concurrency | server | {first} ops/s ÷ its | its p99 ÷ {first} p99 | {first} CPU/req ÷ its |"
    );
    println!("|---|---|---|---|---|");
    for (&(conc, l), group) in by.iter().filter(|((_, l), _)| *l > 0) {
        let Some(base) = by.get(&(conc, 0)) else {
            continue;
        };
        let ratio = |f: fn(&CellResult) -> f64, invert: bool| {
            let (a, b) = (summary(base, f).median, summary(group, f).median);
            let r = if invert { b / a } else { a / b };
            format!("{r:.2}")
        };
        println!(
            "| {conc} | {} | {} | {} | {} |",
            labels[l],
            ratio(|c| c.ops_per_sec, false),
            ratio(|c| c.p99_us, true),
            ratio(|c| c.server_cpu_us_per_op, false),
        );
    }
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("run") => {
            let args = parse_run_args(args)?;
            tokio::runtime::Runtime::new()?.block_on(run(args))
        }
        Some("report") => report(args),
        _ => Err("usage: server_load run ... | server_load report FILE...".into()),
    }
}
