use dynamo::{DynamoItem, Table};

#[derive(DynamoItem)]
#[dynamo(table = "users")]
struct User {
    #[dynamo(hash_key)]
    id: String,
}

fn recent(users: &Table<User>) {
    let _ = users.query("ada".to_owned());
}

fn main() {}
