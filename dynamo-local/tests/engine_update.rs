//! UpdateItem: the PUT / ADD / DELETE matrix, Expected, ReturnValues, limits.

mod common;

use common::*;
use serde_json::{Value, json};

fn setup() -> Db {
    let db = db();
    hash_table(&db, "upd");
    db
}

fn update(
    db: &Db,
    id: &str,
    updates: Value,
    rv: &str,
) -> Result<Value, dynamo_local::engine::ApiError> {
    call(
        db,
        "UpdateItem",
        json!({"TableName": "upd", "Key": {"HashKeyElement": {"S": id}}, "AttributeUpdates": updates, "ReturnValues": rv}),
    )
}

fn seed(db: &Db) {
    put(
        db,
        "upd",
        json!({"id": {"S": "a"}, "s": {"S": "str"}, "n": {"N": "10"}, "b": {"B": "AQ=="},
               "ss": {"SS": ["x", "y", "z"]}, "ns": {"NS": ["1", "2", "3"]}, "bs": {"BS": ["AQ==", "Ag=="]}}),
    );
}

#[test]
fn put_sets_and_replaces() {
    let db = setup();
    seed(&db);
    let out = update(
        &db,
        "a",
        json!({"s": {"Value": {"N": "5"}, "Action": "PUT"}, "new": {"Value": {"SS": ["q"]}}}),
        "UPDATED_NEW",
    )
    .expect("update");
    assert_eq!(
        out["Attributes"],
        json!({"s": {"N": "5"}, "new": {"SS": ["q"]}})
    );
    assert_eq!(out["ConsumedCapacityUnits"], 1.0);
    let item = get_id(&db, "upd", "a").expect("item");
    assert_eq!(item["s"], json!({"N": "5"}));
}

#[test]
fn add_numbers_exactly() {
    let db = setup();
    seed(&db);
    update(
        &db,
        "a",
        json!({"n": {"Value": {"N": "-2.5"}, "Action": "ADD"}}),
        "NONE",
    )
    .expect("add");
    assert_eq!(
        get_id(&db, "upd", "a").expect("item")["n"],
        json!({"N": "7.5"})
    );
    update(&db, "a", json!({"n": {"Value": {"N": "0.1"}, "Action": "ADD"}, "fresh": {"Value": {"N": "3"}, "Action": "ADD"}}), "NONE").expect("add");
    let item = get_id(&db, "upd", "a").expect("item");
    assert_eq!(item["n"], json!({"N": "7.6"}));
    assert_eq!(item["fresh"], json!({"N": "3"}));
    update(
        &db,
        "a",
        json!({"big": {"Value": {"N": "99999999999999999999999999999999999999"}, "Action": "ADD"}}),
        "NONE",
    )
    .expect("add");
    update(
        &db,
        "a",
        json!({"big": {"Value": {"N": "1"}, "Action": "ADD"}}),
        "NONE",
    )
    .expect("carry");
    assert_eq!(
        get_id(&db, "upd", "a").expect("item")["big"],
        json!({"N": "100000000000000000000000000000000000000"})
    );
    let e = update(
        &db,
        "a",
        json!({"big": {"Value": {"N": "0.1"}, "Action": "ADD"}}),
        "NONE",
    )
    .expect_err("too many digits");
    assert_validation(&e, "38 significant digits");
}

#[test]
fn add_sets_unions() {
    let db = setup();
    seed(&db);
    let out = update(&db, "a", json!({"ss": {"Value": {"SS": ["z", "w"]}, "Action": "ADD"}, "ns": {"Value": {"NS": ["3.0", "4"]}, "Action": "ADD"}, "bs": {"Value": {"BS": ["Aw=="]}, "Action": "ADD"}}), "UPDATED_NEW").expect("add");
    let attrs = &out["Attributes"];
    assert_eq!(members(&attrs["ss"]["SS"]), ["w", "x", "y", "z"]);
    assert_eq!(members(&attrs["ns"]["NS"]), ["1", "2", "3", "4"]);
    assert_eq!(members(&attrs["bs"]["BS"]), ["AQ==", "Ag==", "Aw=="]);
}

#[test]
fn delete_attributes_and_set_members() {
    let db = setup();
    seed(&db);
    let out = update(&db, "a", json!({"s": {"Action": "DELETE"}, "nothere": {"Action": "DELETE"}, "ss": {"Value": {"SS": ["x", "z", "q"]}, "Action": "DELETE"}, "ns": {"Value": {"NS": ["1.00"]}, "Action": "DELETE"}}), "UPDATED_OLD").expect("delete");
    let old = &out["Attributes"];
    assert_eq!(old["s"], json!({"S": "str"}));
    assert_eq!(members(&old["ss"]["SS"]), ["x", "y", "z"]);
    assert!(old.get("nothere").is_none());
    let item = get_id(&db, "upd", "a").expect("item");
    assert!(item.get("s").is_none());
    assert_eq!(item["ss"], json!({"SS": ["y"]}));
    assert_eq!(members(&item["ns"]["NS"]), ["2", "3"]);
    // Emptying a set removes the attribute.
    update(&db, "a", json!({"ss": {"Value": {"SS": ["y"]}, "Action": "DELETE"}, "bs": {"Value": {"BS": ["AQ==", "Ag=="]}, "Action": "DELETE"}}), "NONE").expect("delete");
    let item = get_id(&db, "upd", "a").expect("item");
    assert!(item.get("ss").is_none());
    assert!(item.get("bs").is_none());
    // DELETE of set members from an absent attribute is a no-op.
    update(
        &db,
        "a",
        json!({"gone": {"Value": {"SS": ["y"]}, "Action": "DELETE"}}),
        "NONE",
    )
    .expect("noop");
}

#[test]
fn type_mismatches_change_nothing() {
    let db = setup();
    seed(&db);
    let before = get_id(&db, "upd", "a");
    let mismatches = [
        json!({"n": {"Value": {"SS": ["a"]}, "Action": "ADD"}}),
        json!({"ss": {"Value": {"NS": ["1"]}, "Action": "ADD"}}),
        json!({"ss": {"Value": {"N": "1"}, "Action": "ADD"}}),
        json!({"s": {"Value": {"N": "1"}, "Action": "ADD"}}),
        json!({"ss": {"Value": {"NS": ["1"]}, "Action": "DELETE"}}),
        json!({"s": {"Value": {"SS": ["str"]}, "Action": "DELETE"}}),
        json!({"n": {"Value": {"NS": ["10"]}, "Action": "DELETE"}}),
    ];
    for updates in mismatches {
        let mut all = updates.clone();
        all["other"] = json!({"Value": {"S": "changed"}, "Action": "PUT"});
        let e = update(&db, "a", all, "NONE").expect_err("mismatch");
        assert_eq!(
            e.message.as_deref(),
            Some(
                "One or more parameter values were invalid: Type mismatch for attribute to update"
            ),
            "{updates}"
        );
    }
    assert_eq!(get_id(&db, "upd", "a"), before);
}

#[test]
fn static_action_rules() {
    let db = setup();
    seed(&db);
    let e = update(
        &db,
        "a",
        json!({"s": {"Value": {"S": "x"}, "Action": "ADD"}}),
        "NONE",
    )
    .expect_err("add S");
    assert_eq!(
        e.message.as_deref(),
        Some("One or more parameter values were invalid: Action ADD is not supported for type S")
    );
    let e = update(
        &db,
        "a",
        json!({"b": {"Value": {"B": "AQ=="}, "Action": "ADD"}}),
        "NONE",
    )
    .expect_err("add B");
    assert_validation(&e, "Action ADD is not supported for type B");
    let e = update(
        &db,
        "a",
        json!({"n": {"Value": {"N": "1"}, "Action": "DELETE"}}),
        "NONE",
    )
    .expect_err("delete N");
    assert_validation(&e, "Action DELETE is not supported for type N");
    let e =
        update(&db, "a", json!({"n": {"Action": "ADD"}}), "NONE").expect_err("add without value");
    assert_eq!(
        e.message.as_deref(),
        Some("Only DELETE action is allowed when no attribute value is specified")
    );
    let e = update(&db, "a", json!({"n": {}}), "NONE").expect_err("put without value");
    assert_validation(&e, "Only DELETE action is allowed");
    let e = update(&db, "a", json!({"id": {"Value": {"S": "b"}}}), "NONE").expect_err("key");
    assert_eq!(
        e.message.as_deref(),
        Some(
            "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key"
        )
    );
    let e = update(
        &db,
        "a",
        json!({"n": {"Value": {"N": "1"}, "Action": "INCR"}}),
        "NONE",
    )
    .expect_err("enum");
    assert_validation(&e, "Member must satisfy enum value set: [ADD, PUT, DELETE]");
    let e = update(&db, "a", json!({"n": {"Value": {"S": ""}}}), "NONE").expect_err("empty");
    assert_validation(&e, "empty string");
    let e = call(
        &db,
        "UpdateItem",
        json!({"TableName": "upd", "Key": {"HashKeyElement": {"S": "a"}}}),
    )
    .expect_err("missing updates");
    assert_validation(
        &e,
        "Value null at 'attributeUpdates' failed to satisfy constraint: Member must not be null",
    );
    let e = update(&db, "a", json!({"n": {"Value": {"N": "1"}}}), "EVERYTHING").expect_err("rv");
    assert_validation(&e, "at 'returnValues'");
}

#[test]
fn missing_item_creation_rules() {
    let db = setup();
    update(
        &db,
        "d1",
        json!({"x": {"Action": "DELETE"}, "y": {"Value": {"SS": ["a"]}, "Action": "DELETE"}}),
        "ALL_NEW",
    )
    .expect("delete on missing");
    assert!(get_id(&db, "upd", "d1").is_none());
    let out = update(
        &db,
        "p1",
        json!({"b": {"Value": {"N": "4"}, "Action": "PUT"}}),
        "UPDATED_NEW",
    )
    .expect("put creates");
    assert_eq!(out["Attributes"], json!({"b": {"N": "4"}}));
    assert_eq!(
        get_id(&db, "upd", "p1"),
        Some(json!({"id": {"S": "p1"}, "b": {"N": "4"}}))
    );
    let out = update(&db, "a1", json!({"n": {"Value": {"N": "5"}, "Action": "ADD"}, "ss": {"Value": {"SS": ["a"]}, "Action": "ADD"}, "x": {"Action": "DELETE"}}), "ALL_NEW").expect("add creates");
    assert_eq!(out["Attributes"]["id"], json!({"S": "a1"}));
    assert_eq!(out["Attributes"]["n"], json!({"N": "5"}));
    assert_eq!(out["Attributes"]["ss"], json!({"SS": ["a"]}));
    let out = update(&db, "o1", json!({"n": {"Value": {"N": "5"}}}), "ALL_OLD")
        .expect("all old of missing");
    assert!(out.get("Attributes").is_none());
    let out = update(
        &db,
        "o2",
        json!({"n": {"Value": {"N": "5"}}}),
        "UPDATED_OLD",
    )
    .expect("updated old of missing");
    assert!(out.get("Attributes").is_none());
}

#[test]
fn return_values_modes() {
    let db = setup();
    seed(&db);
    let out = update(&db, "a", json!({"s": {"Value": {"S": "new"}}}), "ALL_OLD").expect("all old");
    assert_eq!(out["Attributes"]["s"], json!({"S": "str"}));
    assert_eq!(out["Attributes"].as_object().map(|o| o.len()), Some(7));
    let out =
        update(&db, "a", json!({"s": {"Value": {"S": "newer"}}}), "ALL_NEW").expect("all new");
    assert_eq!(out["Attributes"]["s"], json!({"S": "newer"}));
    assert_eq!(out["Attributes"]["id"], json!({"S": "a"}));
    let out =
        update(&db, "a", json!({"s": {"Action": "DELETE"}}), "UPDATED_NEW").expect("updated new");
    assert!(out.get("Attributes").is_none());
    let out = update(&db, "a", json!({"s": {"Value": {"S": "back"}}}), "NONE").expect("none");
    assert_eq!(out, json!({"ConsumedCapacityUnits": 1.0}));
}

#[test]
fn conditional_update() {
    let db = setup();
    seed(&db);
    let body = |expected: Value| json!({"TableName": "upd", "Key": {"HashKeyElement": {"S": "a"}}, "AttributeUpdates": {"s": {"Value": {"S": "online"}}}, "Expected": expected, "ReturnValues": "ALL_NEW"});
    let e = err(
        &db,
        "UpdateItem",
        body(json!({"s": {"Value": {"S": "offline"}}})),
    );
    assert_error(&e, "ConditionalCheckFailedException");
    assert_eq!(
        get_id(&db, "upd", "a").expect("item")["s"],
        json!({"S": "str"})
    );
    let out = ok(
        &db,
        "UpdateItem",
        body(json!({"s": {"Value": {"S": "str"}}, "n": {"Value": {"N": "1E1"}}})),
    );
    assert_eq!(out["Attributes"]["s"], json!({"S": "online"}));
    let e = err(
        &db,
        "UpdateItem",
        json!({"TableName": "upd", "Key": {"HashKeyElement": {"S": "zz"}}, "AttributeUpdates": {"s": {"Value": {"S": "x"}}}, "Expected": {"s": {"Value": {"S": "x"}}}}),
    );
    assert_error(&e, "ConditionalCheckFailedException");
    assert!(get_id(&db, "upd", "zz").is_none());
    ok(
        &db,
        "UpdateItem",
        json!({"TableName": "upd", "Key": {"HashKeyElement": {"S": "zz"}}, "AttributeUpdates": {"s": {"Value": {"S": "x"}}}, "Expected": {"id": {"Exists": false}}}),
    );
    assert!(get_id(&db, "upd", "zz").is_some());
}

#[test]
fn update_size_limit() {
    let db = setup();
    put(
        &db,
        "upd",
        json!({"id": {"S": "big"}, "padding": {"S": "p".repeat(40)}}),
    );
    let e = update(
        &db,
        "big",
        json!({"text": {"Value": {"S": "t".repeat(65_504)}}}),
        "NONE",
    )
    .expect_err("too big");
    assert_eq!(
        e.message.as_deref(),
        Some("Item size to update has exceeded the maximum allowed size")
    );
    let out = update(
        &db,
        "big",
        json!({"text": {"Value": {"S": "t".repeat(60_000)}}}),
        "NONE",
    )
    .expect("fits");
    assert_eq!(out["ConsumedCapacityUnits"], 59.0);
}

#[test]
fn range_table_update_creates_with_both_keys() {
    let db = db();
    range_table(&db, "rng", "N");
    let out = ok(
        &db,
        "UpdateItem",
        json!({"TableName": "rng", "Key": {"HashKeyElement": {"S": "u"}, "RangeKeyElement": {"N": "1.50"}}, "AttributeUpdates": {"v": {"Value": {"N": "1"}, "Action": "ADD"}}, "ReturnValues": "ALL_NEW"}),
    );
    assert_eq!(
        out["Attributes"],
        json!({"user": {"S": "u"}, "time": {"N": "1.5"}, "v": {"N": "1"}})
    );
    let e = err(
        &db,
        "UpdateItem",
        json!({"TableName": "rng", "Key": {"HashKeyElement": {"S": "u"}, "RangeKeyElement": {"N": "1"}}, "AttributeUpdates": {"time": {"Value": {"N": "2"}}}}),
    );
    assert_validation(
        &e,
        "Cannot update attribute time. This attribute is part of the key",
    );
}
