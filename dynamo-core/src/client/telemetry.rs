//! Tracing as the OpenTelemetry conventions for DynamoDB name it: one INFO
//! span per call, named `DynamoDB.<Operation>`, with
//!
//! * `db.system` = `dynamodb` and `db.system.name` = `aws.dynamodb`,
//!   `rpc.system` = `aws-api`, `rpc.service` = `DynamoDB`, `rpc.method`;
//! * `aws.dynamodb.table_names`: every table of the call, comma-separated;
//! * `aws.request_id` of the last response;
//! * `attempts`: how many times the request was sent;
//! * `aws.dynamodb.consumed_capacity`: the capacity units the response
//!   reports (summed over the tables of a batch);
//! * `error.type`: the service's error code, or the kind of a client error.
//!
//! Attempts, backoff and credential loads are DEBUG events inside it.

use tracing::Span;
use tracing::field::Empty;

use crate::error::Error;
use crate::wire::Op;

/// The tables a call names.
pub(crate) enum Tables<'a> {
    None,
    One(&'a str),
    Many(Vec<&'a str>),
}

impl<'a> Tables<'a> {
    /// The tables of a batch request.
    pub(crate) fn of_batch(names: impl ExactSizeIterator<Item = &'a String>) -> Tables<'a> {
        let mut names: Vec<&str> = names.map(String::as_str).collect();
        names.sort_unstable();
        match names.len() {
            0 => Tables::None,
            1 => Tables::One(names[0]),
            _ => Tables::Many(names),
        }
    }

    /// The one table, for error messages.
    pub(crate) fn single(&self) -> Option<&'a str> {
        match self {
            Tables::One(name) => Some(name),
            _ => None,
        }
    }

    fn joined(&self) -> Option<String> {
        match self {
            Tables::None => None,
            Tables::One(name) => Some((*name).to_owned()),
            Tables::Many(names) => Some(names.join(",")),
        }
    }
}

macro_rules! op_span {
    ($op:expr; $($name:ident)*) => {
        match $op {$(
            Op::$name => tracing::info_span!(
                concat!("DynamoDB.", stringify!($name)),
                otel.kind = "client",
                db.system = "dynamodb",
                db.system.name = "aws.dynamodb",
                rpc.system = "aws-api",
                rpc.service = "DynamoDB",
                rpc.method = stringify!($name),
                aws.dynamodb.table_names = Empty,
                aws.request_id = Empty,
                attempts = Empty,
                aws.dynamodb.consumed_capacity = Empty,
                error.type = Empty,
            ),
        )*}
    };
}

/// The span of one call of `op` on `tables`.
pub(crate) fn span(op: Op, tables: &Tables<'_>) -> Span {
    let span = op_span!(op;
        BatchGetItem BatchWriteItem CreateTable DeleteItem DeleteTable DescribeTable GetItem
        ListTables PutItem Query Scan UpdateItem UpdateTable);
    if !span.is_disabled()
        && let Some(names) = tables.joined()
    {
        span.record("aws.dynamodb.table_names", names.as_str());
    }
    span
}

/// Records the number of attempts so far.
pub(crate) fn attempts(span: &Span, attempts: u32) {
    span.record("attempts", attempts);
}

/// Records a successful response.
pub(crate) fn succeeded(span: &Span, request_id: Option<&str>, capacity: Option<f64>) {
    if let Some(id) = request_id {
        span.record("aws.request_id", id);
    }
    if let Some(units) = capacity {
        span.record("aws.dynamodb.consumed_capacity", units);
    }
}

/// Records the error a call ends with.
pub(crate) fn failed(span: &Span, error: &Error) {
    if let Some(id) = error.request_id() {
        span.record("aws.request_id", id);
    }
    match error.service_code() {
        Some(code) => span.record("error.type", code),
        None => span.record("error.type", tracing::field::debug(error.kind())),
    };
}
