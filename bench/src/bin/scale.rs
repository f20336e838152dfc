//! Scale: batch-write N messages into an in-process dynamo-local through the
//! typed table layer (`Table<Message>::batch_write`), then stream them back
//! with `query(..).stream()` and `scan().stream()`, decoding each item into a
//! `Message`. Reports throughput and memory: the resident set after the
//! writes (the server's data lives in this process too) and the peak extra
//! memory of each read-back phase (VmHWM reset through /proc/self/clear_refs
//! before the phase, minus VmRSS at its start), which must stay flat as N grows.
//!
//! ```text
//! scale [--items N] [--writers W] [--chunk C] [--phases query,scan]
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use dynamo_bench::cpu::status_kib;
use dynamo_bench::shapes::Message;
use dynamo_core::{Client, Connection, Credentials, Table, Throughput};
use futures_util::StreamExt;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    items: usize,
    writers: usize,
    chunk: usize,
    phases: Vec<String>,
}

/// Writers take chunks of `chunk` messages (generated on the fly, so the
/// client never holds the whole data set) and batch-write each.
async fn write_all(table: &Table<Message>, args: &Args) -> Result<(), BoxError> {
    let chunks = args.items.div_ceil(args.chunk);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..args.writers {
        let (table, next) = (table.clone(), next.clone());
        let (items, chunk_len) = (args.items, args.chunk);
        tasks.push(tokio::spawn(async move {
            loop {
                let chunk = next.fetch_add(1, Ordering::Relaxed);
                if chunk >= chunks {
                    return Ok::<(), String>(());
                }
                let range = chunk * chunk_len..((chunk + 1) * chunk_len).min(items);
                let puts = range.map(Message::sample);
                table
                    .batch_write(puts, [])
                    .send()
                    .await
                    .map_err(|e| format!("{e:?}"))?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// Resets VmHWM to the current RSS (Linux: "5" > /proc/self/clear_refs).
fn reset_peak() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_kib("VmRSS")
}

fn mib(kib: Option<u64>) -> String {
    kib.map(|k| format!("{:.1}", k as f64 / 1024.0))
        .unwrap_or_else(|| "?".into())
}

async fn run(args: Args) -> Result<(), BoxError> {
    let server = dynamo_local::start().await?;
    let client = Client::builder()
        .region("us-east-1")
        .endpoint_url(server.endpoint())
        .credentials(Credentials::new("AKIDBENCH", "benchsecret", None))
        .build()?;
    let connection = Connection::new(client);
    let table = connection
        .create_table::<Message>(Throughput::new(100_000, 100_000))
        .await?;
    let rss_start = status_kib("VmRSS");

    let start = Instant::now();
    write_all(&table, &args).await?;
    let write_secs = start.elapsed().as_secs_f64();
    let hwm_write = status_kib("VmHWM");
    let rss_written = status_kib("VmRSS");
    let forum = Message::sample(0).forum_name;

    let mut phases = Vec::new();
    for name in &args.phases {
        let name = name.as_str();
        let rss_before = reset_peak();
        let start = Instant::now();
        let mut stream = if name == "query" {
            table.query(forum.clone()).stream().boxed()
        } else {
            table.scan().stream().boxed()
        };
        let mut read = 0;
        while let Some(message) = stream.next().await {
            std::hint::black_box(message?);
            read += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        if read != args.items {
            return Err(format!("{name} read {read} items, wrote {}", args.items).into());
        }
        let extra = status_kib("VmHWM")
            .zip(rss_before)
            .map(|(h, r)| h.saturating_sub(r));
        phases.push((name, secs, extra));
    }
    server.shutdown().await;

    let items = args.items;
    println!(
        "| {items} | batch_write ({} writers × {} items) | {write_secs:.2} | {:.0} | RSS {} → {} MiB (peak {}) |",
        args.writers,
        args.chunk,
        items as f64 / write_secs,
        mib(rss_start),
        mib(rss_written),
        mib(hwm_write)
    );
    for (name, secs, extra) in phases {
        println!(
            "| {items} | {name}().stream() → Message | {secs:.2} | {:.0} | peak above phase start: {} MiB |",
            items as f64 / secs,
            mib(extra)
        );
    }
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let mut parsed = Args {
        items: 100_000,
        writers: 4,
        chunk: 500,
        phases: vec!["query".into(), "scan".into()],
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--items" => parsed.items = value.parse()?,
            "--writers" => parsed.writers = value.parse()?,
            "--chunk" => parsed.chunk = value.parse()?,
            "--phases" => parsed.phases = value.split(',').map(str::to_owned).collect(),
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    tokio::runtime::Runtime::new()?.block_on(run(parsed))
}
