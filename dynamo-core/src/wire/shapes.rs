//! Shapes shared by several operations: keys, schemas, conditions, updates,
//! table descriptions.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::value::{AttributeValue, Item};

/// A primary key in request form: positional, without attribute names.
/// Equal keys hash equally, so a key is its own identity in a set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Key {
    /// The hash key value.
    pub hash_key_element: AttributeValue,
    /// The range key value, present exactly when the table has a range key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_key_element: Option<AttributeValue>,
}

impl Key {
    /// A key for a hash-only table.
    pub fn hash(hash: AttributeValue) -> Key {
        Key {
            hash_key_element: hash,
            range_key_element: None,
        }
    }

    /// A key for a hash-and-range table.
    pub fn hash_range(hash: AttributeValue, range: AttributeValue) -> Key {
        Key {
            hash_key_element: hash,
            range_key_element: Some(range),
        }
    }
}

/// The scalar types a key attribute may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScalarAttributeType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
}

impl ScalarAttributeType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarAttributeType::S => "S",
            ScalarAttributeType::N => "N",
            ScalarAttributeType::B => "B",
        }
    }
}

/// One key attribute of a table: its name and scalar type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchemaElement {
    /// Attribute name, 1 to 255 characters.
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: ScalarAttributeType,
}

/// A table's primary key: a hash key and an optional range key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchema {
    /// The hash key.
    pub hash_key_element: KeySchemaElement,
    /// The range key, if the table has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_key_element: Option<KeySchemaElement>,
}

/// Read and write capacity units to reserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisionedThroughput {
    /// Strongly consistent 1 KB reads per second.
    pub read_capacity_units: i64,
    /// 1 KB writes per second.
    pub write_capacity_units: i64,
}

/// Throughput as a table description reports it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisionedThroughputDescription {
    /// When throughput was last increased (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_increase_date_time: Option<f64>,
    /// When throughput was last decreased (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_decrease_date_time: Option<f64>,
    /// Decreases made during the current UTC day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_decreases_today: Option<i64>,
    /// Read capacity units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_capacity_units: Option<i64>,
    /// Write capacity units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_capacity_units: Option<i64>,
}

/// Lifecycle state of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TableStatus {
    /// Being created; not usable yet.
    Creating,
    /// Throughput being changed; usable.
    Updating,
    /// Being deleted.
    Deleting,
    /// Ready.
    Active,
}

/// What the service says about a table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableDescription {
    /// Table name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// Primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_schema: Option<KeySchema>,
    /// Lifecycle state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_status: Option<TableStatus>,
    /// Creation time (seconds since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date_time: Option<f64>,
    /// Provisioned throughput.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<ProvisionedThroughputDescription>,
    /// Approximate size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_size_bytes: Option<i64>,
    /// Approximate number of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_count: Option<i64>,
}

/// One entry of `Expected`: a condition on an attribute of the stored item.
///
/// Valid forms: `Value` alone (the attribute equals it), `Value` with
/// `Exists: true` (the same), or `Exists: false` alone (the attribute is
/// absent). Use [`ExpectedAttributeValue::equals`] and
/// [`ExpectedAttributeValue::absent`] to build only valid ones.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExpectedAttributeValue {
    /// The value the attribute must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<AttributeValue>,
    /// Whether the attribute must exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
}

impl ExpectedAttributeValue {
    /// The attribute must exist and equal `value`.
    pub fn equals(value: AttributeValue) -> ExpectedAttributeValue {
        ExpectedAttributeValue {
            value: Some(value),
            exists: None,
        }
    }

    /// The attribute must not exist.
    pub fn absent() -> ExpectedAttributeValue {
        ExpectedAttributeValue {
            value: None,
            exists: Some(false),
        }
    }
}

/// What UpdateItem does to one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AttributeAction {
    /// Set or replace the attribute (the default).
    Put,
    /// Add to a number or union into a set.
    Add,
    /// Remove the attribute, or remove set members.
    Delete,
}

/// One entry of UpdateItem's `AttributeUpdates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeValueUpdate {
    /// The operand; optional only for `DELETE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<AttributeValue>,
    /// The action; the service defaults to `PUT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AttributeAction>,
}

/// Comparison operators of Query's `RangeKeyCondition` and Scan's `ScanFilter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComparisonOperator {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Equal to one of the values.
    In,
    /// Less than or equal.
    Le,
    /// Less than.
    Lt,
    /// Greater than or equal.
    Ge,
    /// Greater than.
    Gt,
    /// Between two values, inclusive.
    Between,
    /// The attribute exists.
    NotNull,
    /// The attribute does not exist.
    Null,
    /// Substring, subsequence or set member.
    Contains,
    /// Negation of `CONTAINS`.
    NotContains,
    /// Prefix of a string or binary.
    BeginsWith,
}

impl ComparisonOperator {
    /// Every operator, in the model's order.
    pub const ALL: [ComparisonOperator; 13] = [
        ComparisonOperator::Eq,
        ComparisonOperator::Ne,
        ComparisonOperator::In,
        ComparisonOperator::Le,
        ComparisonOperator::Lt,
        ComparisonOperator::Ge,
        ComparisonOperator::Gt,
        ComparisonOperator::Between,
        ComparisonOperator::NotNull,
        ComparisonOperator::Null,
        ComparisonOperator::Contains,
        ComparisonOperator::NotContains,
        ComparisonOperator::BeginsWith,
    ];

    /// The wire name (`"EQ"`, `"BEGINS_WITH"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonOperator::Eq => "EQ",
            ComparisonOperator::Ne => "NE",
            ComparisonOperator::In => "IN",
            ComparisonOperator::Le => "LE",
            ComparisonOperator::Lt => "LT",
            ComparisonOperator::Ge => "GE",
            ComparisonOperator::Gt => "GT",
            ComparisonOperator::Between => "BETWEEN",
            ComparisonOperator::NotNull => "NOT_NULL",
            ComparisonOperator::Null => "NULL",
            ComparisonOperator::Contains => "CONTAINS",
            ComparisonOperator::NotContains => "NOT_CONTAINS",
            ComparisonOperator::BeginsWith => "BEGINS_WITH",
        }
    }

    /// True for the operators Query accepts in a `RangeKeyCondition`.
    pub fn is_range_key_operator(self) -> bool {
        matches!(
            self,
            ComparisonOperator::Eq
                | ComparisonOperator::Le
                | ComparisonOperator::Lt
                | ComparisonOperator::Ge
                | ComparisonOperator::Gt
                | ComparisonOperator::BeginsWith
                | ComparisonOperator::Between
        )
    }
}

/// A comparison: an operator and its operands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Condition {
    /// Operands: none for `NULL`/`NOT_NULL`, two for `BETWEEN`, one or more for `IN`, else one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_value_list: Option<Vec<AttributeValue>>,
    /// The operator.
    pub comparison_operator: ComparisonOperator,
}

impl Condition {
    /// A condition with the given operator and operands.
    pub fn new(op: ComparisonOperator, values: Vec<AttributeValue>) -> Condition {
        Condition {
            attribute_value_list: if values.is_empty() {
                None
            } else {
                Some(values)
            },
            comparison_operator: op,
        }
    }
}

/// What a write returns of the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReturnValue {
    /// Nothing (the default).
    None,
    /// The whole item as it was before.
    AllOld,
    /// The updated attributes as they were before (UpdateItem only).
    UpdatedOld,
    /// The whole item as it is after (UpdateItem only).
    AllNew,
    /// The updated attributes as they are after (UpdateItem only).
    UpdatedNew,
}

/// Keys to read from one table in BatchGetItem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeysAndAttributes {
    /// 1 to 100 keys.
    pub keys: Vec<Key>,
    /// Attributes to return; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
    /// Strongly consistent reads for this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consistent_read: Option<bool>,
}

/// Items read from one table by BatchGetItem.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchResponse {
    /// The items found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
    /// Read capacity consumed on this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity_units: Option<f64>,
}

/// Capacity consumed on one table by BatchWriteItem.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchWriteResponse {
    /// Write capacity consumed on this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_capacity_units: Option<f64>,
}

/// A put in BatchWriteItem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutRequest {
    /// The item to write.
    pub item: Item,
}

/// A delete in BatchWriteItem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteRequest {
    /// The key of the item to delete.
    pub key: Key,
}

/// One request of BatchWriteItem: exactly one put or one delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteRequest {
    /// `{"PutRequest": {"Item": ...}}`
    #[serde(rename = "PutRequest")]
    Put(PutRequest),
    /// `{"DeleteRequest": {"Key": ...}}`
    #[serde(rename = "DeleteRequest")]
    Delete(DeleteRequest),
}

/// Conditions of a conditional write, by attribute name.
pub type Expected = HashMap<String, ExpectedAttributeValue>;
