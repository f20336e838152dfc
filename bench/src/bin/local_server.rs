//! dynamo-local on a fixed loopback port, built in release with the bench,
//! for the server load benchmark.
//!
//! ```text
//! local_server [--port P]
//! ```

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let mut port = 8000u16;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--port", Some(p)) => port = p.parse()?,
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    tokio::runtime::Runtime::new()?.block_on(async {
        let server = dynamo_local::LocalServer::builder()
            .port(port)
            .start()
            .await?;
        println!("listening {}", server.local_addr());
        std::future::pending::<()>().await;
        Ok(())
    })
}
