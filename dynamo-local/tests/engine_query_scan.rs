//! Query and Scan: operators, ordering, Limit, Count, pagination, 1 MB pages.

mod common;

use common::*;
use serde_json::{Value, json};

fn movies(db: &Db) {
    range_table(db, "qtab", "N");
    for (user, time) in [
        ("John", "1"),
        ("John", "2"),
        ("John", "10"),
        ("John", "-3"),
        ("John", "2.5"),
        ("Mary", "1"),
    ] {
        put(
            db,
            "qtab",
            json!({"user": {"S": user}, "time": {"N": time}, "tag": {"S": format!("t{time}")}}),
        );
    }
}

fn times(out: &Value) -> Vec<String> {
    out["Items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["time"]["N"].as_str().expect("time").to_owned())
        .collect()
}

fn query(db: &Db, extra: Value) -> Value {
    let mut body = json!({"TableName": "qtab", "HashKeyValue": {"S": "John"}});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    ok(db, "Query", body)
}

fn cond(op: &str, values: Value) -> Value {
    json!({"RangeKeyCondition": {"ComparisonOperator": op, "AttributeValueList": values}})
}

#[test]
fn query_orders_numerically_both_ways() {
    let db = db();
    movies(&db);
    let out = query(&db, json!({}));
    assert_eq!(times(&out), ["-3", "1", "2", "2.5", "10"]);
    assert_eq!(out["Count"], 5);
    assert!(out.get("LastEvaluatedKey").is_none());
    assert_eq!(out["ConsumedCapacityUnits"], 0.5);
    let out = query(
        &db,
        json!({"ScanIndexForward": false, "ConsistentRead": true}),
    );
    assert_eq!(times(&out), ["10", "2.5", "2", "1", "-3"]);
    assert_eq!(out["ConsumedCapacityUnits"], 1.0);
}

#[test]
fn query_range_operators() {
    let db = db();
    movies(&db);
    let cases = [
        ("EQ", json!([{"N": "2.50"}]), vec!["2.5"]),
        ("LT", json!([{"N": "2"}]), vec!["-3", "1"]),
        ("LE", json!([{"N": "2"}]), vec!["-3", "1", "2"]),
        ("GT", json!([{"N": "2"}]), vec!["2.5", "10"]),
        ("GE", json!([{"N": "2"}]), vec!["2", "2.5", "10"]),
        (
            "BETWEEN",
            json!([{"N": "1"}, {"N": "2.5"}]),
            vec!["1", "2", "2.5"],
        ),
        ("BETWEEN", json!([{"N": "3"}, {"N": "3"}]), vec![]),
    ];
    for (op, values, want) in cases {
        let out = query(&db, cond(op, values.clone()));
        assert_eq!(times(&out), want, "{op} {values}");
    }
}

#[test]
fn query_strings_and_begins_with() {
    let db = db();
    range_table(&db, "stab", "S");
    for t in ["a", "aa", "ab", "B", "b", "ba", "é"] {
        put(&db, "stab", json!({"user": {"S": "u"}, "time": {"S": t}}));
    }
    let q = |extra: Value| {
        let mut body = json!({"TableName": "stab", "HashKeyValue": {"S": "u"}});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let out = ok(&db, "Query", body);
        out["Items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["time"]["S"].as_str().expect("s").to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(q(json!({})), ["B", "a", "aa", "ab", "b", "ba", "é"]);
    assert_eq!(
        q(cond("BEGINS_WITH", json!([{"S": "a"}]))),
        ["a", "aa", "ab"]
    );
    assert_eq!(
        q(
            json!({"ScanIndexForward": false, "RangeKeyCondition": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "b"}]}})
        ),
        ["ba", "b"]
    );
    assert_eq!(q(cond("GT", json!([{"S": "b"}]))), ["ba", "é"]);
}

#[test]
fn query_limit_and_pagination() {
    let db = db();
    movies(&db);
    let page = query(&db, json!({"Limit": 2}));
    assert_eq!(times(&page), ["-3", "1"]);
    assert_eq!(
        page["LastEvaluatedKey"],
        json!({"HashKeyElement": {"S": "John"}, "RangeKeyElement": {"N": "1"}})
    );
    let page = query(
        &db,
        json!({"Limit": 2, "ExclusiveStartKey": page["LastEvaluatedKey"]}),
    );
    assert_eq!(times(&page), ["2", "2.5"]);
    let page = query(
        &db,
        json!({"Limit": 2, "ExclusiveStartKey": page["LastEvaluatedKey"]}),
    );
    assert_eq!(times(&page), ["10"]);
    assert!(page.get("LastEvaluatedKey").is_none());
    // Exactly Limit items: LEK is returned, the next page is empty.
    let page = query(&db, json!({"Limit": 5}));
    assert_eq!(page["Count"], 5);
    let next = query(
        &db,
        json!({"Limit": 5, "ExclusiveStartKey": page["LastEvaluatedKey"]}),
    );
    assert_eq!(next["Items"], json!([]));
    assert_eq!(next["Count"], 0);
    assert!(next.get("LastEvaluatedKey").is_none());
    // A start key is a position: it need not exist, and may be spelled differently.
    let page = query(
        &db,
        json!({"ExclusiveStartKey": {"HashKeyElement": {"S": "John"}, "RangeKeyElement": {"N": "1.5"}}}),
    );
    assert_eq!(times(&page), ["2", "2.5", "10"]);
    let page = query(
        &db,
        json!({"ExclusiveStartKey": {"HashKeyElement": {"S": "John"}, "RangeKeyElement": {"N": "2.50"}}, "ScanIndexForward": false, "Limit": 2}),
    );
    assert_eq!(times(&page), ["2", "1"]);
    assert_eq!(
        page["LastEvaluatedKey"]["RangeKeyElement"],
        json!({"N": "1"})
    );
    // Start key beyond a condition's range: refused as the service does
    // (engine_fidelity.rs cites the reference), no panic.
    let e = err(
        &db,
        "Query",
        json!({"TableName": "qtab", "HashKeyValue": {"S": "John"}, "ExclusiveStartKey": {"HashKeyElement": {"S": "John"}, "RangeKeyElement": {"N": "5"}}, "RangeKeyCondition": {"ComparisonOperator": "LE", "AttributeValueList": [{"N": "2"}]}}),
    );
    assert_validation(&e, "outside query boundaries");
    let page = query(
        &db,
        json!({"ExclusiveStartKey": {"HashKeyElement": {"S": "John"}, "RangeKeyElement": {"N": "2"}}, "RangeKeyCondition": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "2"}]}}),
    );
    assert_eq!(times(&page), Vec::<String>::new());
}

#[test]
fn query_count_and_projection() {
    let db = db();
    movies(&db);
    let out = query(&db, json!({"Count": true}));
    assert_eq!(out, json!({"Count": 5, "ConsumedCapacityUnits": 0.5}));
    let out = query(&db, json!({"Count": true, "Limit": 2}));
    assert_eq!(out["Count"], 2);
    assert!(out.get("Items").is_none());
    assert!(out.get("LastEvaluatedKey").is_some());
    let out = query(&db, json!({"AttributesToGet": ["tag"], "Limit": 1}));
    assert_eq!(out["Items"], json!([{"tag": {"S": "t-3"}}]));
    let e = err(
        &db,
        "Query",
        json!({"TableName": "qtab", "HashKeyValue": {"S": "John"}, "Count": true, "AttributesToGet": ["tag"]}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Cannot specify the AttributesToGet when choosing to get only the Count")
    );
    let out = ok(
        &db,
        "Query",
        json!({"TableName": "qtab", "HashKeyValue": {"S": "Nobody"}}),
    );
    assert_eq!(
        out,
        json!({"Items": [], "Count": 0, "ConsumedCapacityUnits": 0.5})
    );
}

#[test]
fn query_errors() {
    let db = db();
    movies(&db);
    hash_table(&db, "hashonly");
    let e = err(
        &db,
        "Query",
        json!({"TableName": "hashonly", "HashKeyValue": {"S": "a"}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("Query can be performed only on a table with a HASH,RANGE key schema")
    );
    let q = |extra: Value| {
        let mut body = json!({"TableName": "qtab", "HashKeyValue": {"S": "John"}});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        err(&db, "Query", body)
    };
    let e = q(cond("NE", json!([{"N": "1"}])));
    assert_eq!(
        e.message.as_deref(),
        Some("Attempted conditional constraint is not an indexable operation")
    );
    assert_validation(
        &q(cond("CONTAINS", json!([{"N": "1"}]))),
        "not an indexable operation",
    );
    let e = q(cond("EQ", json!([{"N": "1"}, {"N": "2"}])));
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"
        )
    );
    assert_validation(
        &q(cond("BETWEEN", json!([{"N": "1"}]))),
        "Invalid number of argument(s) for the BETWEEN ComparisonOperator",
    );
    assert_validation(
        &q(json!({"RangeKeyCondition": {"ComparisonOperator": "GT"}})),
        "Invalid number of argument(s) for the GT ComparisonOperator",
    );
    let e = q(cond("BEGINS_WITH", json!([{"N": "1"}])));
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"
        )
    );
    assert_validation(
        &q(cond("EQ", json!([{"NS": ["1"]}]))),
        "ComparisonOperator EQ is not valid for NS AttributeValue type",
    );
    let e = q(cond("EQ", json!([{"S": "1"}])));
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: Condition parameter type does not match schema type"
        )
    );
    let e = q(cond("BETWEEN", json!([{"N": "5"}, {"N": "1"}])));
    assert_validation(
        &e,
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
    );
    assert_validation(
        &q(cond("LIKE", json!([{"N": "5"}]))),
        "at 'rangeKeyCondition.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [EQ, NE, IN, LE, LT, GE, GT, BETWEEN, NOT_NULL, NULL, CONTAINS, NOT_CONTAINS, BEGINS_WITH]",
    );
    assert_validation(
        &q(json!({"RangeKeyCondition": {"AttributeValueList": [{"N": "5"}]}})),
        "Value null at 'rangeKeyCondition.comparisonOperator'",
    );
    let e = err(
        &db,
        "Query",
        json!({"TableName": "qtab", "HashKeyValue": {"N": "1"}}),
    );
    assert_validation(&e, "Condition parameter type does not match schema type");
    let e = err(&db, "Query", json!({"TableName": "qtab"}));
    assert_validation(
        &e,
        "Value null at 'hashKeyValue' failed to satisfy constraint: Member must not be null",
    );
    let e = q(
        json!({"ExclusiveStartKey": {"HashKeyElement": {"S": "Mary"}, "RangeKeyElement": {"N": "1"}}}),
    );
    assert_eq!(
        e.message.as_deref(),
        Some("The provided starting key is invalid")
    );
    assert_validation(
        &q(json!({"ExclusiveStartKey": {"HashKeyElement": {"S": "John"}}})),
        "The provided key size does not match with that of the schema",
    );
    assert_validation(
        &q(
            json!({"ExclusiveStartKey": {"HashKeyElement": {"S": "John"}, "RangeKeyElement": {"S": "x"}}}),
        ),
        "The provided key element does not match the schema",
    );
    assert_validation(
        &q(json!({"Limit": 0})),
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assert_error(&q(json!({"Limit": "5"})), "SerializationException");
    assert_error(
        &q(json!({"ScanIndexForward": "no"})),
        "SerializationException",
    );
}

fn scan_table(db: &Db) {
    hash_table(db, "scn");
    let items = [
        json!({"id": {"S": "1"}, "n": {"N": "5"}, "s": {"S": "hello world"}, "ss": {"SS": ["red", "blue"]}, "ns": {"NS": ["1", "2"]}, "b": {"B": "AQIDBA=="}}),
        json!({"id": {"S": "2"}, "n": {"N": "15"}, "s": {"S": "goodbye"}, "ss": {"SS": ["green"]}}),
        json!({"id": {"S": "3"}, "n": {"S": "6"}, "s": {"S": "hello"}}),
        json!({"id": {"S": "4"}, "n": {"N": "-1"}, "bs": {"BS": ["AQ==", "Ag=="]}}),
        json!({"id": {"S": "5"}}),
    ];
    for item in items {
        put(db, "scn", item);
    }
}

fn scan_ids(db: &Db, filter: Value) -> Vec<String> {
    let out = ok(
        db,
        "Scan",
        json!({"TableName": "scn", "ScanFilter": filter}),
    );
    assert_eq!(out["ScannedCount"], 5);
    let mut ids: Vec<String> = out["Items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"]["S"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    assert_eq!(out["Count"], ids.len());
    ids
}

fn f(op: &str, values: Value) -> Value {
    json!({"ComparisonOperator": op, "AttributeValueList": values})
}

#[test]
fn scan_filter_operators() {
    let db = db();
    scan_table(&db);
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"n": f("EQ", json!([{"N": "5.0"}]))}), vec!["1"]),
        (json!({"n": f("EQ", json!([{"S": "6"}]))}), vec!["3"]),
        (
            json!({"n": f("NE", json!([{"N": "5"}]))}),
            vec!["2", "3", "4", "5"],
        ),
        (json!({"n": f("LT", json!([{"N": "6"}]))}), vec!["1", "4"]),
        (json!({"n": f("LE", json!([{"N": "5"}]))}), vec!["1", "4"]),
        (json!({"n": f("GT", json!([{"N": "5"}]))}), vec!["2"]),
        (json!({"n": f("GE", json!([{"N": "5"}]))}), vec!["1", "2"]),
        (
            json!({"n": f("BETWEEN", json!([{"N": "-1"}, {"N": "5"}]))}),
            vec!["1", "4"],
        ),
        (
            json!({"s": f("BEGINS_WITH", json!([{"S": "hello"}]))}),
            vec!["1", "3"],
        ),
        (
            json!({"b": f("BEGINS_WITH", json!([{"B": "AQI="}]))}),
            vec!["1"],
        ),
        (json!({"s": f("NOT_NULL", json!([]))}), vec!["1", "2", "3"]),
        (json!({"s": f("NULL", json!([]))}), vec!["4", "5"]),
        (json!({"s": {"ComparisonOperator": "NULL"}}), vec!["4", "5"]),
        (
            json!({"s": f("CONTAINS", json!([{"S": "llo"}]))}),
            vec!["1", "3"],
        ),
        (
            json!({"ss": f("CONTAINS", json!([{"S": "red"}]))}),
            vec!["1"],
        ),
        (
            json!({"ns": f("CONTAINS", json!([{"N": "2.0"}]))}),
            vec!["1"],
        ),
        (
            json!({"bs": f("CONTAINS", json!([{"B": "Ag=="}]))}),
            vec!["4"],
        ),
        (
            json!({"b": f("CONTAINS", json!([{"B": "AgM="}]))}),
            vec!["1"],
        ),
        (
            json!({"ss": f("NOT_CONTAINS", json!([{"S": "red"}]))}),
            vec!["2", "3", "4", "5"],
        ),
        (
            json!({"s": f("NOT_CONTAINS", json!([{"S": "bye"}]))}),
            vec!["1", "3", "4", "5"],
        ),
        (
            json!({"n": f("IN", json!([{"N": "5"}, {"N": "15"}, {"N": "7"}]))}),
            vec!["1", "2"],
        ),
        (json!({"ss": f("IN", json!([{"S": "green"}]))}), vec![]),
        (
            json!({"ss": f("EQ", json!([{"SS": ["blue", "red"]}]))}),
            vec!["1"],
        ),
        (
            json!({"n": f("GE", json!([{"N": "0"}])), "s": f("BEGINS_WITH", json!([{"S": "h"}]))}),
            vec!["1"],
        ),
        (json!({}), vec!["1", "2", "3", "4", "5"]),
    ];
    for (filter, want) in cases {
        assert_eq!(scan_ids(&db, filter.clone()), want, "{filter}");
    }
}

#[test]
fn scan_filter_errors() {
    let db = db();
    scan_table(&db);
    let s = |filter: Value| {
        err(
            &db,
            "Scan",
            json!({"TableName": "scn", "ScanFilter": filter}),
        )
    };
    assert_validation(
        &s(json!({"n": f("BETWEEN", json!([{"N": "5"}, {"N": "1"}]))})),
        "lower bound is greater than the upper bound",
    );
    assert_validation(
        &s(json!({"n": f("EQ", json!([]))})),
        "Invalid number of argument(s) for the EQ ComparisonOperator",
    );
    assert_validation(
        &s(json!({"n": f("NULL", json!([{"N": "1"}]))})),
        "Invalid number of argument(s) for the NULL ComparisonOperator",
    );
    assert_validation(
        &s(json!({"n": f("IN", json!([]))})),
        "Invalid number of argument(s) for the IN ComparisonOperator",
    );
    assert_validation(
        &s(json!({"n": f("LT", json!([{"SS": ["a"]}]))})),
        "ComparisonOperator LT is not valid for SS AttributeValue type",
    );
    assert_validation(
        &s(json!({"n": f("CONTAINS", json!([{"SS": ["a"]}]))})),
        "ComparisonOperator CONTAINS is not valid for SS AttributeValue type",
    );
    assert_validation(
        &s(json!({"n": f("BEGINS_WITH", json!([{"N": "1"}]))})),
        "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
    );
    assert_validation(
        &s(json!({"n": f("IN", json!([{"N": "1"}, {"S": "1"}]))})),
        "must be of same type",
    );
    assert_validation(
        &s(json!({"n": f("EQ", json!([{"S": ""}]))})),
        "empty string",
    );
    assert_validation(
        &s(json!({"n": {"AttributeValueList": [{"N": "1"}]}})),
        "Member must not be null",
    );
    let e = err(
        &db,
        "Scan",
        json!({"TableName": "scn", "Count": true, "AttributesToGet": ["n"]}),
    );
    assert_validation(
        &e,
        "Cannot specify the AttributesToGet when choosing to get only the Count",
    );
    assert_validation(
        &err(&db, "Scan", json!({"TableName": "scn", "Limit": -1})),
        "greater than or equal to 1",
    );
    assert_validation(
        &err(
            &db,
            "Scan",
            json!({"TableName": "scn", "ExclusiveStartKey": {"HashKeyElement": {"N": "1"}}}),
        ),
        "The provided key element does not match the schema",
    );
}

#[test]
fn scan_limit_pagination_and_count() {
    let db = db();
    scan_table(&db);
    let out = ok(&db, "Scan", json!({"TableName": "scn", "Limit": 2}));
    assert_eq!(out["Count"], 2);
    assert_eq!(out["ScannedCount"], 2);
    assert_eq!(out["ConsumedCapacityUnits"], 0.5);
    // Walk the whole table two items at a time with a filter; every item is seen once.
    let mut seen = Vec::new();
    let mut scanned = 0;
    let mut start: Option<Value> = None;
    for _ in 0..10 {
        let mut body =
            json!({"TableName": "scn", "Limit": 2, "ScanFilter": {"n": f("NOT_NULL", json!([]))}});
        if let Some(s) = &start {
            body["ExclusiveStartKey"] = s.clone();
        }
        let out = ok(&db, "Scan", body);
        scanned += out["ScannedCount"].as_u64().expect("scanned");
        for item in out["Items"].as_array().expect("items") {
            seen.push(item["id"]["S"].as_str().expect("id").to_owned());
        }
        match out.get("LastEvaluatedKey") {
            Some(k) => start = Some(k.clone()),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["1", "2", "3", "4"]);
    assert_eq!(scanned, 5);
    let out = ok(
        &db,
        "Scan",
        json!({"TableName": "scn", "Count": true, "ScanFilter": {"n": f("NOT_NULL", json!([]))}}),
    );
    assert_eq!(
        out,
        json!({"Count": 4, "ScannedCount": 5, "ConsumedCapacityUnits": 0.5})
    );
    let out = ok(
        &db,
        "Scan",
        json!({"TableName": "scn", "AttributesToGet": ["ss"], "ScanFilter": {"id": f("EQ", json!([{"S": "2"}]))}}),
    );
    assert_eq!(out["Items"], json!([{"ss": {"SS": ["green"]}}]));
    // A start key that does not exist is a position.
    let out = ok(
        &db,
        "Scan",
        json!({"TableName": "scn", "ExclusiveStartKey": {"HashKeyElement": {"S": "nonexistent"}}}),
    );
    assert!(out["ScannedCount"].as_u64().expect("count") <= 5);
}

#[test]
fn scan_order_is_stable_on_range_tables() {
    let db = db();
    range_table(&db, "srt", "N");
    for h in 0..20 {
        for r in 0..5 {
            put(
                &db,
                "srt",
                json!({"user": {"S": format!("u{h}")}, "time": {"N": r.to_string()}}),
            );
        }
    }
    let full = ok(&db, "Scan", json!({"TableName": "srt"}));
    let all: Vec<Value> = full["Items"].as_array().expect("items").clone();
    assert_eq!(all.len(), 100);
    let mut paged = Vec::new();
    let mut start: Option<Value> = None;
    for _ in 0..20 {
        let mut body = json!({"TableName": "srt", "Limit": 7});
        if let Some(s) = &start {
            body["ExclusiveStartKey"] = s.clone();
        }
        let out = ok(&db, "Scan", body);
        paged.extend(out["Items"].as_array().expect("items").iter().cloned());
        match out.get("LastEvaluatedKey") {
            Some(k) => start = Some(k.clone()),
            None => break,
        }
    }
    assert_eq!(paged, all);
}

#[test]
fn one_megabyte_pages() {
    let db = db();
    range_table(&db, "mega", "N");
    let blob = "x".repeat(60_000);
    for r in 0..40 {
        put(
            &db,
            "mega",
            json!({"user": {"S": "u"}, "time": {"N": r.to_string()}, "blob": {"S": blob}}),
        );
    }
    let q = ok(
        &db,
        "Query",
        json!({"TableName": "mega", "HashKeyValue": {"S": "u"}, "AttributesToGet": ["time"]}),
    );
    let count = q["Count"].as_u64().expect("count");
    assert!((17..=18).contains(&count), "{count}");
    assert!(q.get("LastEvaluatedKey").is_some());
    assert!(q["ConsumedCapacityUnits"].as_f64().expect("cu") > 500.0);
    let s = ok(&db, "Scan", json!({"TableName": "mega", "Count": true}));
    assert_eq!(s["ScannedCount"], count);
    let rest = ok(
        &db,
        "Query",
        json!({"TableName": "mega", "HashKeyValue": {"S": "u"}, "Count": true, "ExclusiveStartKey": q["LastEvaluatedKey"]}),
    );
    assert!(rest["Count"].as_u64().expect("count") > 0);
}
