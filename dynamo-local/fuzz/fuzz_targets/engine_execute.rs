//! Feeds arbitrary operation/body pairs to `Engine::execute`.
//!
//! Input format: a sequence of commands `[op][len_hi][len_lo][body; len]`
//! (a short final body takes the rest). `op % 14` picks one of the 13
//! operations or an unknown name. Each input runs on a fresh engine that
//! already has a hash-only table `tab` (key `h`: S) and a hash-range table `rng`
//! (`h`: S, `r`: N), so item operations reach the data paths.
//!
//! Invariants: no panic; a success is a JSON object; an error has a 4xx/5xx
//! status and a JSON body with a `__type`.

#![no_main]

use dynamo_core::wire::OPERATION_NAMES;
use dynamo_local::engine::{Engine, EngineConfig};
use libfuzzer_sys::fuzz_target;

/// One of the 13 operations, or (for 13) a name that is none of them.
fn operation(i: usize) -> &'static str {
    OPERATION_NAMES.get(i).copied().unwrap_or("NoSuchOperation")
}

const SETUP: [&str; 2] = [
    r#"{"TableName":"tab","KeySchema":{"HashKeyElement":{"AttributeName":"h","AttributeType":"S"}},"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}"#,
    r#"{"TableName":"rng","KeySchema":{"HashKeyElement":{"AttributeName":"h","AttributeType":"S"},"RangeKeyElement":{"AttributeName":"r","AttributeType":"N"}},"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}"#,
];

fn check(operation: &str, engine: &Engine, body: &[u8]) {
    match engine.execute(operation, body) {
        Ok(output) => {
            let value: serde_json::Value =
                serde_json::from_slice(&output).expect("success output is JSON");
            assert!(value.is_object(), "{operation}: output is not an object");
        }
        Err(error) => {
            assert!((400..600).contains(&error.status), "{operation}: status {}", error.status);
            let value: serde_json::Value =
                serde_json::from_slice(&error.to_json()).expect("error body is JSON");
            assert!(value["__type"].is_string(), "{operation}: error without __type");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let engine = Engine::new(EngineConfig::default());
    for body in SETUP {
        engine.execute("CreateTable", body.as_bytes()).expect("setup table");
    }
    let mut rest = data;
    while let [op, tail @ ..] = rest {
        let operation = operation(usize::from(*op) % (OPERATION_NAMES.len() + 1));
        let (len, tail) = match tail {
            [hi, lo, tail @ ..] => (usize::from(*hi) << 8 | usize::from(*lo), tail),
            _ => (tail.len(), &[][..]),
        };
        let (body, tail) = tail.split_at(len.min(tail.len()));
        check(operation, &engine, body);
        rest = tail;
    }
});
