//! [`DynamoItem`]: what `#[derive(DynamoItem)]` implements, and what the
//! typed table layer builds on.

use crate::convert::{ConvertError, KeyAttribute};
use crate::value::Item;
use crate::wire::{self, KeySchemaElement, ScalarAttributeType};

/// One key attribute of a table, known at compile time: its name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyElement {
    /// The attribute name.
    pub name: &'static str,
    /// `S`, `N` or `B`, from the field's Rust type ([`KeyAttribute::TYPE`]).
    pub attribute_type: ScalarAttributeType,
}

impl KeyElement {
    /// The wire form, for CreateTable.
    pub fn to_wire(&self) -> KeySchemaElement {
        KeySchemaElement {
            attribute_name: self.name.to_owned(),
            attribute_type: self.attribute_type,
        }
    }
}

/// The range key type of a hash-only table. It has no values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoRangeKey {}

/// A Rust type stored as items of one DynamoDB table.
///
/// Derive it with `#[derive(DynamoItem)]`; the derive also gives the type one
/// typed attribute handle per field ([`crate::attr::Attr`]). The typed table
/// layer uses this trait alone: the table name and key schema to create and
/// address the table, the key conversions for get, delete and cursors, the
/// item conversions for reads and writes, and [`DynamoItem::VERSION_ATTRIBUTE`]
/// for optimistic locking.
///
/// # Example
/// ```
/// use dynamo_core::{DynamoItem, KeyAttribute, NoRangeKey, KeyElement, Item, AttributeValue};
/// use dynamo_core::convert::{ConvertError, FromAttribute, ToAttribute};
/// use dynamo_core::wire;
///
/// /// A hand-written impl; `#[derive(DynamoItem)]` writes the same.
/// struct User { id: String }
///
/// impl DynamoItem for User {
///     const TABLE_NAME: &'static str = "users";
///     const HASH_KEY: KeyElement = KeyElement { name: "id", attribute_type: <String as KeyAttribute>::TYPE };
///     const RANGE_KEY: Option<KeyElement> = None;
///     const VERSION_ATTRIBUTE: Option<&'static str> = None;
///     const ATTRIBUTES: &'static [&'static str] = &["id"];
///     type HashKey = String;
///     type RangeKey = NoRangeKey;
///     type Key = String;
///     fn key(&self) -> String { self.id.clone() }
///     fn key_to_wire(key: &String) -> Result<wire::Key, ConvertError> {
///         let hash = key.to_attribute()?.ok_or_else(ConvertError::missing)?;
///         Ok(wire::Key::hash(hash))
///     }
///     fn key_from_wire(key: &wire::Key) -> Result<String, ConvertError> {
///         String::from_attribute(key.hash_key_element.clone())
///     }
///     fn to_item(&self) -> Result<Item, ConvertError> {
///         let id = self.id.to_attribute()?.ok_or_else(ConvertError::missing)?;
///         Ok(Item::from([("id".to_owned(), id)]))
///     }
///     fn from_item(mut item: Item) -> Result<User, ConvertError> {
///         let id = item.remove("id").ok_or_else(ConvertError::missing)?;
///         Ok(User { id: String::from_attribute(id)? })
///     }
/// }
///
/// assert_eq!(User::key_schema().hash_key_element.attribute_name, "id");
/// let user = User::from_item(User { id: "u1".into() }.to_item()?)?;
/// assert_eq!(user.key(), "u1");
/// # Ok::<(), ConvertError>(())
/// ```
pub trait DynamoItem: Sized + Send + Sync + 'static {
    /// The table's name. The derive uses `#[dynamo(table = "...")]`, or the
    /// struct's name when absent.
    const TABLE_NAME: &'static str;

    /// The hash key attribute: name and scalar type.
    const HASH_KEY: KeyElement;

    /// The range key attribute, for hash-and-range tables.
    const RANGE_KEY: Option<KeyElement>;

    /// The attribute of the `#[dynamo(version)]` field, if any. The table
    /// layer writes it as 1 on first put, increments it on each write and
    /// makes every write conditional on the version it read.
    const VERSION_ATTRIBUTE: Option<&'static str>;

    /// Every attribute name the type stores, in field order (for
    /// `AttributesToGet`).
    const ATTRIBUTES: &'static [&'static str];

    /// The Rust type of the hash key.
    type HashKey: KeyAttribute;

    /// The Rust type of the range key, or [`NoRangeKey`] for a hash-only
    /// table (then it does not implement [`KeyAttribute`]).
    type RangeKey: Send + Sync + 'static;

    /// A full primary key: `HashKey` for hash-only tables, `(HashKey,
    /// RangeKey)` for hash-and-range tables.
    type Key: Clone + Send + Sync + 'static;

    /// The key schema, for CreateTable and for checking an existing table.
    fn key_schema() -> wire::KeySchema {
        wire::KeySchema {
            hash_key_element: Self::HASH_KEY.to_wire(),
            range_key_element: Self::RANGE_KEY.as_ref().map(KeyElement::to_wire),
        }
    }

    /// This item's primary key.
    fn key(&self) -> Self::Key;

    /// A key in request form (`HashKeyElement`, `RangeKeyElement`).
    ///
    /// # Errors
    /// [`ConvertError`] when a key value cannot be stored (an empty string).
    fn key_to_wire(key: &Self::Key) -> Result<wire::Key, ConvertError>;

    /// A key read back from the service, e.g. a `LastEvaluatedKey`.
    ///
    /// # Errors
    /// [`ConvertError`] when an element is missing, has the wrong type, or a
    /// hash-only table's key has a range element.
    fn key_from_wire(key: &wire::Key) -> Result<Self::Key, ConvertError>;

    /// The item to store.
    ///
    /// # Errors
    /// [`ConvertError`] naming the field whose value cannot be stored.
    fn to_item(&self) -> Result<Item, ConvertError>;

    /// Reads an item. Attributes the type does not know are ignored.
    ///
    /// # Errors
    /// [`ConvertError`] naming the struct, field and attribute that is
    /// missing or has the wrong type.
    fn from_item(item: Item) -> Result<Self, ConvertError>;
}
