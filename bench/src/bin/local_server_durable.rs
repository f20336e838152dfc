//! dynamo-local with `--data-dir` (durable, fsynced group commit) on a fixed
//! loopback port, built in release with the bench, for the durable-mode row
//! of the server load benchmark.
//!
//! ```text
//! local_server_durable --data-dir DIR [--port P]
//! ```

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let mut port = 8000u16;
    let mut data_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--port", Some(p)) => port = p.parse()?,
            ("--data-dir", Some(dir)) => data_dir = Some(dir),
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    let data_dir = data_dir.ok_or("--data-dir DIR is required")?;
    tokio::runtime::Runtime::new()?.block_on(async {
        let server = dynamo_local::LocalServer::builder()
            .port(port)
            .data_dir(data_dir)
            .start()
            .await?;
        println!("listening {}", server.local_addr());
        std::future::pending::<()>().await;
        Ok(())
    })
}
