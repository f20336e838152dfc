//! The typed builders and a derived item produce exactly the JSON that boto
//! 2.49 sends for the same operations (`shared/spec/boto_wire_capture.txt`)
//! and that the API reference shows (`shared/spec/api_2011.md`).

use std::collections::BTreeSet;

use dynamo::expr::{expect, filter, range, update};
use dynamo::{Binary, DynamoItem, Item, Number};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// The seed tutorial's thread, as boto's capture stores it.
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "sample_table", rename_all = "PascalCase")]
struct Thread {
    #[dynamo(hash_key, rename = "forum_name")]
    forum_name: String,
    #[dynamo(range_key, rename = "subject")]
    subject: String,
    message: Option<String>,
    views: u64,
    rating: Decimal,
    public: Option<bool>,
    tags: BTreeSet<String>,
    nums: BTreeSet<Number>,
    bin: Binary,
    bin_set: BTreeSet<Binary>,
    foo: Option<String>,
    replies: Option<u32>,
}

fn thread() -> Thread {
    Thread {
        forum_name: "Amazon DynamoDB".into(),
        subject: "Thread 1".into(),
        message: Some("hello".into()),
        views: 0,
        rating: Decimal::new(45, 1),
        public: Some(true),
        tags: BTreeSet::from(["a".to_owned(), "b".to_owned()]),
        nums: BTreeSet::from([Number::from(1u8), "2.5".parse().expect("number")]),
        bin: Binary::from(vec![1u8, 2]),
        bin_set: BTreeSet::from([Binary::from(vec![1u8])]),
        foo: None,
        replies: None,
    }
}

/// JSON with set members sorted, so sets compare as sets.
fn sorted_sets(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if let ("SS" | "NS" | "BS", Value::Array(members)) = (key.as_str(), &mut *inner) {
                    members.sort_by_key(|m| m.to_string());
                } else {
                    *inner = sorted_sets(inner.take());
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| *i = sorted_sets(i.take())),
        _ => {}
    }
    v
}

fn item_json(item: &Item) -> Value {
    sorted_sets(serde_json::to_value(item).expect("serializes"))
}

#[test]
fn put_item_matches_boto() {
    let expected = json!({"forum_name": {"S": "Amazon DynamoDB"}, "subject": {"S": "Thread 1"},
        "Message": {"S": "hello"}, "Views": {"N": "0"}, "Rating": {"N": "4.5"}, "Public": {"N": "1"},
        "Tags": {"SS": ["b", "a"]}, "Nums": {"NS": ["1", "2.5"]}, "Bin": {"B": "AQI="},
        "BinSet": {"BS": ["AQ=="]}});
    let item = thread().to_item().expect("storable");
    assert_eq!(item_json(&item), sorted_sets(expected));
    assert_eq!(Thread::from_item(item).expect("reads"), thread());
}

#[test]
fn key_matches_boto() {
    let key = Thread::key_to_wire(&thread().key()).expect("key");
    let expected =
        json!({"HashKeyElement": {"S": "Amazon DynamoDB"}, "RangeKeyElement": {"S": "Thread 1"}});
    assert_eq!(serde_json::to_value(&key).expect("serializes"), expected);
}

#[test]
fn expected_matches_boto() {
    let expected = expect::equals(Thread::VIEWS, 0u64)
        .and(expect::not_exists(Thread::FOO))
        .into_wire()
        .expect("valid");
    assert_eq!(
        serde_json::to_value(&expected).expect("serializes"),
        json!({"Views": {"Value": {"N": "0"}}, "Foo": {"Exists": false}})
    );
    let expected = expect::equals(Thread::VIEWS, 2u64)
        .and(expect::equals(Thread::PUBLIC, None))
        .into_wire()
        .expect("valid");
    assert_eq!(
        serde_json::to_value(&expected).expect("serializes"),
        json!({"Views": {"Value": {"N": "2"}}, "Public": {"Exists": false}})
    );
}

#[test]
fn attribute_updates_match_the_reference() {
    let updates = update::remove(Thread::MESSAGE)
        .add(Thread::VIEWS, 2u64)
        .set(Thread::RATING, Decimal::new(45, 1))
        .set(Thread::PUBLIC, None)
        .delete_elements(Thread::TAGS, BTreeSet::from(["a".to_owned()]))
        .into_wire()
        .expect("valid");
    assert_eq!(
        serde_json::to_value(&updates).expect("serializes"),
        json!({"Message": {"Action": "DELETE"}, "Views": {"Action": "ADD", "Value": {"N": "2"}},
            "Rating": {"Action": "PUT", "Value": {"N": "4.5"}}, "Public": {"Action": "DELETE"},
            "Tags": {"Action": "DELETE", "Value": {"SS": ["a"]}}})
    );
}

#[test]
fn range_key_condition_matches_boto() {
    let condition = range::begins_with(Thread::SUBJECT, "Thread")
        .into_wire()
        .expect("valid");
    assert_eq!(
        serde_json::to_value(&condition).expect("serializes"),
        json!({"AttributeValueList": [{"S": "Thread"}], "ComparisonOperator": "BEGINS_WITH"})
    );
}

#[test]
fn scan_filter_matches_boto() {
    let scan = filter::gt(Thread::REPLIES, 2u32)
        .and(filter::contains(Thread::TAGS, "table"))
        .into_wire()
        .expect("valid");
    assert_eq!(
        serde_json::to_value(&scan).expect("serializes"),
        json!({"Replies": {"AttributeValueList": [{"N": "2"}], "ComparisonOperator": "GT"},
            "Tags": {"AttributeValueList": [{"S": "table"}], "ComparisonOperator": "CONTAINS"}})
    );
}

#[test]
fn builder_errors_name_the_field() {
    let err = update::set(Thread::MESSAGE, "").into_wire().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Thread.message (attribute \"Message\"): empty strings and binaries cannot be stored"
    );
    let err = filter::is_in(Thread::VIEWS, Vec::<u64>::new())
        .into_wire()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Thread.views (attribute \"Views\"): IN needs at least one value"
    );
}
