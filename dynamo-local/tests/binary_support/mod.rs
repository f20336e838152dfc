//! Starting the dynamo-local binary as a child process for a test.
//!
//! Each test binary that includes it uses a part of it.

#![allow(dead_code)]

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A command that runs the dynamo-local binary of this build.
pub(crate) fn dynamo_local() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dynamo-local"))
}

/// Spawns `command` (a dynamo-local that prints its endpoint as the last word
/// of its first stdout line) and returns the child, killed on drop, with that
/// endpoint (`http://…` or `https://…`).
pub(crate) async fn spawn(mut command: Command) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn dynamo-local");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("started in time")
        .expect("read stdout")
        .expect("a line");
    let endpoint = line
        .split_whitespace()
        .last()
        .unwrap_or_else(|| panic!("no endpoint in {line:?}"))
        .to_owned();
    (child, endpoint)
}
