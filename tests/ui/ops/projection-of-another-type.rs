#![allow(dead_code, unused_imports)]

use dynamo::{DynamoItem, Table};

#[derive(DynamoItem)]
#[dynamo(table = "messages")]
struct Message {
    #[dynamo(hash_key)]
    forum_name: String,
    body: Option<String>,
}

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    name: String,
    email: Option<String>,
}

fn read(table: Table<Message>) {
    let _ = table.get("forum".to_owned()).attributes((Message::BODY, User::EMAIL));
}

fn main() {}
