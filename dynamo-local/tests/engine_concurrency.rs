//! Many threads at once: conditional writes have one winner, ADD is exact.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;

use common::*;
use serde_json::json;

const THREADS: usize = 8;

#[test]
fn conditional_put_has_exactly_one_winner_per_round() {
    let db = Arc::new(db());
    hash_table(&db, "race");
    for round in 0..20 {
        let barrier = Arc::new(Barrier::new(THREADS));
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (db, barrier) = (Arc::clone(&db), Arc::clone(&barrier));
                thread::spawn(move || {
                    barrier.wait();
                    let body = json!({"TableName": "race",
                        "Item": {"id": {"S": format!("round{round}")}, "owner": {"N": t.to_string()}},
                        "Expected": {"id": {"Exists": false}}});
                    match call(&db, "PutItem", body) {
                        Ok(_) => Some(t),
                        Err(e) => {
                            assert_error(&e, "ConditionalCheckFailedException");
                            None
                        }
                    }
                })
            })
            .collect();
        let winners: Vec<usize> = handles
            .into_iter()
            .filter_map(|h| h.join().expect("thread"))
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        let item = get_id(&db, "race", &format!("round{round}")).expect("item");
        assert_eq!(item["owner"]["N"], winners[0].to_string());
    }
}

#[test]
fn concurrent_add_is_exact() {
    let db = Arc::new(db());
    hash_table(&db, "counter");
    const PER_THREAD: usize = 200;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let db = Arc::clone(&db);
            thread::spawn(move || {
                for i in 0..PER_THREAD {
                    ok(
                        &db,
                        "UpdateItem",
                        json!({"TableName": "counter",
                        "Key": {"HashKeyElement": {"S": "c"}},
                        "AttributeUpdates": {
                            "total": {"Value": {"N": "0.5"}, "Action": "ADD"},
                            "seen": {"Value": {"SS": [format!("{t}-{i}")]}, "Action": "ADD"}}}),
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let item = get_id(&db, "counter", "c").expect("item");
    assert_eq!(item["total"]["N"], (THREADS * PER_THREAD / 2).to_string());
    assert_eq!(
        item["seen"]["SS"].as_array().map(Vec::len),
        Some(THREADS * PER_THREAD)
    );
}

#[test]
fn optimistic_increment_with_expected_loses_no_update() {
    let db = Arc::new(db());
    hash_table(&db, "optimistic");
    put(
        &db,
        "optimistic",
        json!({"id": {"S": "v"}, "n": {"N": "0"}}),
    );
    const PER_THREAD: u64 = 50;
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let db = Arc::clone(&db);
            thread::spawn(move || {
                let mut done = 0;
                let mut attempts = 0;
                while done < PER_THREAD && attempts < 100_000 {
                    attempts += 1;
                    let current = get_id(&db, "optimistic", "v").expect("item")["n"]["N"]
                        .as_str()
                        .and_then(|s| s.parse::<u64>().ok())
                        .expect("number");
                    let body = json!({"TableName": "optimistic",
                        "Key": {"HashKeyElement": {"S": "v"}},
                        "AttributeUpdates": {"n": {"Value": {"N": (current + 1).to_string()}}},
                        "Expected": {"n": {"Value": {"N": current.to_string()}}}});
                    if call(&db, "UpdateItem", body).is_ok() {
                        done += 1;
                    }
                }
                done
            })
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().expect("thread")).sum();
    assert_eq!(total, 4 * PER_THREAD);
    let item = get_id(&db, "optimistic", "v").expect("item");
    assert_eq!(item["n"]["N"], total.to_string());
}

#[test]
fn parallel_writers_and_scanners_agree() {
    let db = Arc::new(db());
    range_table(&db, "par", "N");
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let db = Arc::clone(&db);
            thread::spawn(move || {
                for i in 0..100 {
                    put(&db, "par", json!({"user": {"S": format!("u{}", i % 10)}, "time": {"N": format!("{t}{i:03}")}}));
                    if i % 25 == 0 {
                        ok(&db, "Scan", json!({"TableName": "par", "Count": true}));
                        ok(&db, "Query", json!({"TableName": "par", "HashKeyValue": {"S": "u1"}}));
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let out = ok(&db, "Scan", json!({"TableName": "par", "Count": true}));
    assert_eq!(out["Count"], THREADS * 100);
    let t = ok(&db, "DescribeTable", json!({"TableName": "par"}));
    assert_eq!(t["Table"]["ItemCount"], THREADS * 100);
}

#[test]
fn concurrent_table_creation_is_unique() {
    let db = Arc::new(db());
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (db, barrier) = (Arc::clone(&db), Arc::clone(&barrier));
            thread::spawn(move || {
                barrier.wait();
                call(
                    &db,
                    "CreateTable",
                    json!({"TableName": "only-one",
                    "KeySchema": {"HashKeyElement": {"AttributeName": "id", "AttributeType": "S"}},
                    "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}),
                )
                .is_ok()
            })
        })
        .collect();
    let created = handles
        .into_iter()
        .filter(|_| true)
        .map(|h| h.join().expect("thread"))
        .filter(|ok| *ok)
        .count();
    assert_eq!(created, 1);
}
