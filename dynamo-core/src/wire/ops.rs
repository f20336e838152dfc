//! Request and response of each of the 13 operations.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::op::Op;
use super::shapes::*;
use crate::value::{AttributeValue, Item};

/// Links a request type to its operation (a row of the [`Op`] table) and
/// response type.
///
/// ```
/// use dynamo_core::wire::{GetItemInput, Op, Operation};
/// assert_eq!(GetItemInput::OP, Op::GetItem);
/// assert_eq!(GetItemInput::NAME, "GetItem");
/// ```
pub trait Operation: Serialize {
    /// The operation.
    const OP: Op;
    /// Operation name as sent in `X-Amz-Target` after `DynamoDB_20111205.`:
    /// always `Self::OP.name()`.
    const NAME: &'static str = Self::OP.name();
    /// The response body type.
    type Output: DeserializeOwned;

    /// Decodes the response body to this request. Members the request did
    /// not ask for are not read, so a server or proxy that adds them in a
    /// malformed way (moto 2.3.2 sends `Attributes` in a non-wire form on
    /// every PutItem) cannot make a call fail.
    ///
    /// # Errors
    /// A JSON error when the body does not decode.
    fn decode_output(&self, body: &[u8]) -> serde_json::Result<Self::Output> {
        serde_json::from_slice(body)
    }

    /// Whether sending this request again, after an attempt whose outcome
    /// is unknown, is safe. Reads and table operations are.
    ///
    /// ```
    /// use dynamo_core::wire::{Operation, PutItemInput, Resend};
    /// let put = PutItemInput {
    ///     table_name: "t".into(),
    ///     item: Default::default(),
    ///     expected: None,
    ///     return_values: None,
    /// };
    /// assert_eq!(put.resend(), Resend::Safe);
    /// ```
    fn resend(&self) -> Resend {
        Resend::Safe
    }

    /// True when a success of this request changed stored items, and its
    /// body carries nothing the caller asked for: a 2xx whose body is
    /// corrupt is then still an `Ok`, with an empty output.
    fn applied_without_body(&self) -> bool {
        false
    }
}

/// Whether a request may be sent again after an attempt that was sent but
/// got no trustworthy answer (a reset, a timeout, a 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resend {
    /// Sending it twice has the effect of sending it once.
    Safe,
    /// Its condition may fail on the effect of the earlier attempt, so a
    /// `ConditionalCheckFailed` after a re-send is not a definite "no".
    Conditional,
    /// Sending it twice applies it twice (a numeric `ADD`).
    Unsafe,
}

/// What re-sending a write with `expected` conditions and, for updates,
/// `updates` is.
pub(super) fn resend_of_write(
    expected: Option<&Expected>,
    updates: Option<&HashMap<String, AttributeValueUpdate>>,
) -> Resend {
    // A numeric ADD is safe to send again only when a condition on that same
    // attribute pins its old value (equals, or absent: a version check),
    // which the first copy's ADD then makes false.
    let guarded = |attr: &str| {
        expected
            .and_then(|e| e.get(attr))
            .is_some_and(|c| c.value.is_some() || c.exists == Some(false))
    };
    let numeric_add = updates.is_some_and(|u| {
        u.iter().any(|(attr, u)| {
            u.action == Some(AttributeAction::Add)
                && matches!(u.value, Some(AttributeValue::N(_)))
                && !guarded(attr)
        })
    });
    if numeric_add {
        Resend::Unsafe
    } else if expected.is_some_and(|e| !e.is_empty()) {
        Resend::Conditional
    } else {
        Resend::Safe
    }
}

/// True when `return_values` asks for nothing back.
pub(super) fn returns_nothing(return_values: Option<ReturnValue>) -> bool {
    matches!(return_values, None | Some(ReturnValue::None))
}

macro_rules! operation {
    ($input:ident => $output:ident, $op:ident) => {
        impl Operation for $input {
            const OP: Op = Op::$op;
            type Output = $output;
        }
    };
    ($input:ident => $output:ident, $op:ident, returns attributes) => {
        impl Operation for $input {
            const OP: Op = Op::$op;
            type Output = $output;

            fn decode_output(&self, body: &[u8]) -> serde_json::Result<$output> {
                decode_write(self.return_values, body)
            }

            fn resend(&self) -> Resend {
                self.resend_kind()
            }

            fn applied_without_body(&self) -> bool {
                returns_nothing(self.return_values)
            }
        }
    };
}

/// The part of a write's response that is there whatever `ReturnValues` says.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CapacityOnly {
    #[serde(default)]
    consumed_capacity_units: Option<f64>,
}

/// Decodes a write's response, reading `Attributes` only when asked for.
pub(super) fn decode_write(
    return_values: Option<ReturnValue>,
    body: &[u8],
) -> serde_json::Result<WriteItemOutput> {
    match return_values {
        None | Some(ReturnValue::None) => {
            let out: CapacityOnly = serde_json::from_slice(body)?;
            Ok(WriteItemOutput {
                attributes: None,
                consumed_capacity_units: out.consumed_capacity_units,
            })
        }
        Some(_) => serde_json::from_slice(body),
    }
}

/// BatchGetItem request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetItemInput {
    /// Keys to read, by table (1 to 100 tables, at most 100 keys in all).
    pub request_items: HashMap<String, KeysAndAttributes>,
}

/// BatchGetItem response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchGetItemOutput {
    /// Items read, by table.
    #[serde(default)]
    pub responses: HashMap<String, BatchResponse>,
    /// Keys not read this time, ready to send again.
    #[serde(default)]
    pub unprocessed_keys: HashMap<String, KeysAndAttributes>,
}
operation!(BatchGetItemInput => BatchGetItemOutput, BatchGetItem);

/// BatchWriteItem request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchWriteItemInput {
    /// Puts and deletes by table (at most 25 in all).
    pub request_items: HashMap<String, Vec<WriteRequest>>,
}

/// BatchWriteItem response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchWriteItemOutput {
    /// Capacity consumed, by table.
    #[serde(default)]
    pub responses: HashMap<String, BatchWriteResponse>,
    /// Requests not done this time, ready to send again.
    #[serde(default)]
    pub unprocessed_items: HashMap<String, Vec<WriteRequest>>,
}
operation!(BatchWriteItemInput => BatchWriteItemOutput, BatchWriteItem);

/// CreateTable request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTableInput {
    /// Name, 3 to 255 characters of `[a-zA-Z0-9_.-]`.
    pub table_name: String,
    /// Primary key.
    pub key_schema: KeySchema,
    /// Throughput to reserve.
    pub provisioned_throughput: ProvisionedThroughput,
}

/// CreateTable response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateTableOutput {
    /// The new table, usually `CREATING`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_description: Option<TableDescription>,
}
operation!(CreateTableInput => CreateTableOutput, CreateTable);

/// DeleteItem request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteItemInput {
    /// Table name.
    pub table_name: String,
    /// Key of the item.
    pub key: Key,
    /// Conditions on the stored item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// `NONE` or `ALL_OLD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValue>,
}

/// Response of the writes PutItem, DeleteItem and UpdateItem.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WriteItemOutput {
    /// Attributes asked for with `ReturnValues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Item>,
    /// Write capacity consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity_units: Option<f64>,
}

/// DeleteItem response.
pub type DeleteItemOutput = WriteItemOutput;
operation!(DeleteItemInput => WriteItemOutput, DeleteItem, returns attributes);

impl DeleteItemInput {
    fn resend_kind(&self) -> Resend {
        resend_of_write(self.expected.as_ref(), None)
    }
}

/// DeleteTable request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteTableInput {
    /// Table name.
    pub table_name: String,
}

/// Response carrying a `TableDescription` (CreateTable, UpdateTable, DeleteTable).
pub type DeleteTableOutput = CreateTableOutput;
operation!(DeleteTableInput => CreateTableOutput, DeleteTable);

/// DescribeTable request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTableInput {
    /// Table name.
    pub table_name: String,
}

/// DescribeTable response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTableOutput {
    /// The table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableDescription>,
}
operation!(DescribeTableInput => DescribeTableOutput, DescribeTable);

/// GetItem request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetItemInput {
    /// Table name.
    pub table_name: String,
    /// Key of the item.
    pub key: Key,
    /// Attributes to return; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
    /// Strongly consistent read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
}

/// GetItem response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetItemOutput {
    /// The item; absent when no item has the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Item>,
    /// Read capacity consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity_units: Option<f64>,
}
operation!(GetItemInput => GetItemOutput, GetItem);

/// ListTables request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTablesInput {
    /// Start after this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_start_table_name: Option<String>,
    /// At most this many names (1 to 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
}

/// ListTables response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTablesOutput {
    /// Names in this page.
    #[serde(default)]
    pub table_names: Vec<String>,
    /// Present only when more names remain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_evaluated_table_name: Option<String>,
}
operation!(ListTablesInput => ListTablesOutput, ListTables);

/// PutItem request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutItemInput {
    /// Table name.
    pub table_name: String,
    /// The whole item, key attributes included.
    pub item: Item,
    /// Conditions on the stored item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// `NONE` or `ALL_OLD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValue>,
}

/// PutItem response.
pub type PutItemOutput = WriteItemOutput;
operation!(PutItemInput => WriteItemOutput, PutItem, returns attributes);

impl PutItemInput {
    fn resend_kind(&self) -> Resend {
        resend_of_write(self.expected.as_ref(), None)
    }
}

/// Query request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryInput {
    /// Table name (the table must have a range key).
    pub table_name: String,
    /// Attributes to return; not with `count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
    /// At most this many items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
    /// Strongly consistent read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
    /// Return only the count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<bool>,
    /// The hash key value.
    pub hash_key_value: AttributeValue,
    /// Condition on the range key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_key_condition: Option<Condition>,
    /// Ascending (default) or descending range key order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_index_forward: Option<bool>,
    /// Continue after this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Key>,
}

/// Query response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryOutput {
    /// Items of this page; absent with `Count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// Number of items in this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Where the next page starts; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Key>,
    /// Read capacity consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity_units: Option<f64>,
}
operation!(QueryInput => QueryOutput, Query);

/// Scan request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanInput {
    /// Table name.
    pub table_name: String,
    /// Attributes to return; not with `count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
    /// At most this many items evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
    /// Return only the counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<bool>,
    /// Conditions every returned item meets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_filter: Option<HashMap<String, Condition>>,
    /// Continue after this key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_start_key: Option<Key>,
}

/// Scan response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanOutput {
    /// Items of this page that passed the filter; absent with `Count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// Items of this page that passed the filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Items evaluated in this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_count: Option<i64>,
    /// Where the next page starts; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_evaluated_key: Option<Key>,
    /// Read capacity consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity_units: Option<f64>,
}
operation!(ScanInput => ScanOutput, Scan);

/// UpdateItem request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateItemInput {
    /// Table name.
    pub table_name: String,
    /// Key of the item.
    pub key: Key,
    /// What to do to each attribute (never a key attribute).
    pub attribute_updates: HashMap<String, AttributeValueUpdate>,
    /// Conditions on the stored item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// Any [`ReturnValue`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_values: Option<ReturnValue>,
}

/// UpdateItem response.
pub type UpdateItemOutput = WriteItemOutput;
operation!(UpdateItemInput => WriteItemOutput, UpdateItem, returns attributes);

impl UpdateItemInput {
    fn resend_kind(&self) -> Resend {
        resend_of_write(self.expected.as_ref(), Some(&self.attribute_updates))
    }
}

/// UpdateTable request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateTableInput {
    /// Table name.
    pub table_name: String,
    /// The new throughput.
    pub provisioned_throughput: ProvisionedThroughput,
}

/// UpdateTable response.
pub type UpdateTableOutput = CreateTableOutput;
operation!(UpdateTableInput => CreateTableOutput, UpdateTable);

/// Names of all 13 operations, in [`Op::ALL`]'s order (kept for callers that
/// want plain strings; new code reads [`Op`]).
pub const OPERATION_NAMES: [&str; 13] = {
    let mut names = [""; 13];
    let mut i = 0;
    while i < Op::ALL.len() {
        names[i] = Op::ALL[i].name();
        i += 1;
    }
    names
};
