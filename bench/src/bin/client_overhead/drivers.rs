//! The clients under test, each doing GetItem (then decoding the item into a
//! [`Message`]) and PutItem (encoding a [`Message`]) its own idiomatic way.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::AttributeValue as AwsValue;
use dynamo_bench::canned::TABLE;
use dynamo_bench::hand::HandItem;
use dynamo_bench::shapes::Message;
use dynamo_core::wire::{GetItemInput, Key, PutItemInput};
use dynamo_core::{AttributeValue, Connection, DynamoItem, Table};

use super::BoxError;

/// The key of a message in our wire form.
fn key(message: &Message) -> Key {
    Key {
        hash_key_element: AttributeValue::S(message.forum_name.clone()),
        range_key_element: Some(AttributeValue::S(message.subject.clone())),
    }
}

/// The GetItem body our client sends for `message`'s key (the raw ceiling
/// replays it).
///
/// # Errors
/// When serialization fails.
pub(crate) fn v1_get_body(message: &Message) -> Result<Vec<u8>, BoxError> {
    let input = GetItemInput {
        table_name: TABLE.to_owned(),
        key: key(message),
        attributes_to_get: None,
        consistent_read: None,
    };
    Ok(serde_json::to_vec(&input)?)
}

/// The PutItem body our client sends for `message`.
///
/// # Errors
/// When serialization fails.
pub(crate) fn v1_put_body(message: &Message) -> Result<Vec<u8>, BoxError> {
    let input = PutItemInput {
        table_name: TABLE.to_owned(),
        item: message.hand_to_item(),
        expected: None,
        return_values: None,
    };
    Ok(serde_json::to_vec(&input)?)
}

/// aws-sdk-dynamodb with serde_dynamo, default configuration.
pub(crate) struct AwsDriver {
    client: aws_sdk_dynamodb::Client,
}

impl AwsDriver {
    pub(crate) fn new(url: &str) -> AwsDriver {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(url)
            .credentials_provider(Credentials::new(
                "AKIDBENCH",
                "benchsecret",
                None,
                None,
                "bench",
            ))
            .build();
        AwsDriver {
            client: aws_sdk_dynamodb::Client::from_conf(config),
        }
    }

    pub(crate) async fn get(&self, message: &Message) -> Result<(), BoxError> {
        let output = self
            .client
            .get_item()
            .table_name(TABLE)
            .key("forum_name", AwsValue::S(message.forum_name.clone()))
            .key("subject", AwsValue::S(message.subject.clone()))
            .send()
            .await?;
        let item = output.item.ok_or("no item")?;
        let read: Message = serde_dynamo::from_item(item)?;
        std::hint::black_box(read);
        Ok(())
    }

    pub(crate) async fn put(&self, message: &Message) -> Result<(), BoxError> {
        let item = serde_dynamo::to_item(message)?;
        self.client
            .put_item()
            .table_name(TABLE)
            .set_item(Some(item))
            .send()
            .await?;
        Ok(())
    }
}

fn our_builder(url: &str) -> dynamo_core::ClientBuilder {
    dynamo_core::Client::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(dynamo_core::Credentials::new(
            "AKIDBENCH",
            "benchsecret",
            None,
        ))
}

fn our_client(url: &str) -> Result<dynamo_core::Client, BoxError> {
    Ok(our_builder(url).build()?)
}

/// Our client sending through a default `reqwest::Client` (feature `reqwest`)
/// instead of its own hyper client.
fn our_reqwest_client(url: &str) -> Result<dynamo_core::Client, BoxError> {
    Ok(our_builder(url)
        .reqwest_client(reqwest::Client::new())
        .build()?)
}

/// Our typed layer: `Table<Message>` with the derived conversions.
pub(crate) struct TableDriver {
    table: Table<Message>,
}

impl TableDriver {
    pub(crate) fn new(url: &str) -> Result<TableDriver, BoxError> {
        let connection = Connection::new(our_client(url)?);
        Ok(TableDriver {
            table: connection.table::<Message>(),
        })
    }

    /// The same typed layer over the reqwest transport.
    pub(crate) fn over_reqwest(url: &str) -> Result<TableDriver, BoxError> {
        let connection = Connection::new(our_reqwest_client(url)?);
        Ok(TableDriver {
            table: connection.table::<Message>(),
        })
    }

    pub(crate) async fn get(&self, message: &Message) -> Result<(), BoxError> {
        let key = (message.forum_name.clone(), message.subject.clone());
        let read = self.table.get(key).send().await?.ok_or("no item")?;
        std::hint::black_box(read);
        Ok(())
    }

    pub(crate) async fn put(&self, message: &Message) -> Result<(), BoxError> {
        self.table.put(message).send().await?;
        Ok(())
    }
}

/// Our Layer1 client with the derived conversions.
pub(crate) struct OursDriver {
    client: dynamo_core::Client,
}

impl OursDriver {
    pub(crate) fn new(url: &str) -> Result<OursDriver, BoxError> {
        Ok(OursDriver {
            client: our_client(url)?,
        })
    }

    /// The same Layer1 client over the reqwest transport.
    pub(crate) fn over_reqwest(url: &str) -> Result<OursDriver, BoxError> {
        Ok(OursDriver {
            client: our_reqwest_client(url)?,
        })
    }

    pub(crate) async fn get(&self, message: &Message) -> Result<(), BoxError> {
        let input = GetItemInput {
            table_name: TABLE.to_owned(),
            key: key(message),
            attributes_to_get: None,
            consistent_read: None,
        };
        let output = self.client.get_item(&input).await?;
        let read = Message::from_item(output.item.ok_or("no item")?)?;
        std::hint::black_box(read);
        Ok(())
    }

    pub(crate) async fn put(&self, message: &Message) -> Result<(), BoxError> {
        let input = PutItemInput {
            table_name: TABLE.to_owned(),
            item: message.to_item()?,
            expected: None,
            return_values: None,
        };
        self.client.put_item(&input).await?;
        Ok(())
    }
}
