//! Helpers shared by the HTTP tests: a raw HTTP/1.1 connection that shows
//! exactly what goes over the socket, with every read bounded in time.

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Per-step timeout so a broken server fails the test instead of hanging it.
pub const STEP: Duration = Duration::from_secs(10);

/// A parsed response.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    /// Asserts the CRC, request id, content type and length headers.
    pub fn assert_service_headers(&self) {
        let crc: u32 = self
            .header("x-amz-crc32")
            .expect("x-amz-crc32")
            .parse()
            .expect("decimal crc");
        assert_eq!(
            crc,
            crc32fast::hash(&self.body),
            "crc of {:?}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(
            !self
                .header("x-amzn-RequestId")
                .expect("request id")
                .is_empty()
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/x-amz-json-1.0")
        );
        let length: usize = self
            .header("content-length")
            .expect("length")
            .parse()
            .expect("number");
        assert_eq!(length, self.body.len());
    }
}

/// One keep-alive connection.
pub struct RawConn {
    stream: BufReader<TcpStream>,
}

impl RawConn {
    pub async fn connect(addr: SocketAddr) -> RawConn {
        let stream = tokio::time::timeout(STEP, TcpStream::connect(addr))
            .await
            .expect("connect in time")
            .expect("connect");
        RawConn {
            stream: BufReader::new(stream),
        }
    }

    /// Sends a request with these extra headers (Host and Content-Length are added).
    pub async fn send(
        &mut self,
        method: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        let mut head = format!(
            "{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        // One write: head and body in separate segments would meet Nagle + delayed ACK.
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.stream
            .get_mut()
            .write_all(&request)
            .await
            .expect("write request");
        tokio::time::timeout(STEP, self.read_response())
            .await
            .expect("response in time")
    }

    /// A JSON POST for `DynamoDB_20111205.<operation>`.
    pub async fn call(&mut self, operation: &str, body: &str) -> RawResponse {
        let target = format!("DynamoDB_20111205.{operation}");
        self.send(
            "POST",
            &[
                ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Target", &target),
            ],
            body.as_bytes(),
        )
        .await
    }

    async fn read_response(&mut self) -> RawResponse {
        let mut line = String::new();
        self.stream.read_line(&mut line).await.expect("status line");
        let status = line
            .split_whitespace()
            .nth(1)
            .expect("status code")
            .parse()
            .expect("numeric status");
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("header line");
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            let (name, value) = trimmed.split_once(':').expect("header has a colon");
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().expect("numeric length"))
            .expect("responses carry Content-Length");
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await.expect("body");
        RawResponse {
            status,
            headers,
            body,
        }
    }

    /// True when the server has closed this connection.
    pub async fn is_closed(&mut self) -> bool {
        let mut byte = [0u8; 1];
        matches!(
            tokio::time::timeout(STEP, self.stream.read(&mut byte)).await,
            Ok(Ok(0)) | Ok(Err(_))
        )
    }
}
