//! [`DynamoItem`]: what `#[derive(DynamoItem)]` implements, and what the
//! typed table layer builds on.

use crate::convert::{ConvertError, ConvertErrorKind, KeyAttribute};
use crate::value::{AttributeValue, Item};
use crate::wire::{self, KeySchemaElement, ScalarAttributeType};

pub use crate::wire::AttributeList;

/// The range key type of a hash-only table. It has no values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoRangeKey {}

/// What [`DynamoItem::RangeKey`] may be: a [`KeyAttribute`], or
/// [`NoRangeKey`] for a hash-only table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "not a string, number or binary scalar",
    note = "key attributes must be a string, number or binary scalar (String, integers, Decimal, Number, Vec<u8>, Bytes)"
)]
pub trait RangeKeyType: Clone + Send + Sync + 'static {
    /// The range key's scalar type; `None` for [`NoRangeKey`].
    const TYPE: Option<ScalarAttributeType>;

    /// The `RangeKeyElement` value.
    ///
    /// # Errors
    /// [`ConvertError`] when the value cannot be stored.
    fn to_range_element(&self) -> Result<AttributeValue, ConvertError>;

    /// Reads a `RangeKeyElement`.
    ///
    /// # Errors
    /// [`ConvertError`] on a type mismatch, or for [`NoRangeKey`] always.
    fn from_range_element(value: AttributeValue) -> Result<Self, ConvertError>;
}

impl<K: KeyAttribute> RangeKeyType for K {
    const TYPE: Option<ScalarAttributeType> = Some(K::TYPE);

    fn to_range_element(&self) -> Result<AttributeValue, ConvertError> {
        self.to_attribute()?.ok_or_else(ConvertError::missing)
    }

    fn from_range_element(value: AttributeValue) -> Result<K, ConvertError> {
        K::from_attribute(value)
    }
}

impl RangeKeyType for NoRangeKey {
    const TYPE: Option<ScalarAttributeType> = None;

    fn to_range_element(&self) -> Result<AttributeValue, ConvertError> {
        match *self {}
    }

    fn from_range_element(_: AttributeValue) -> Result<NoRangeKey, ConvertError> {
        Err(ConvertError::new(ConvertErrorKind::UnexpectedRangeKey))
    }
}

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
/// use dynamo_core::{DynamoItem, NoRangeKey, Item};
/// use dynamo_core::item::AttributeSource;
/// use dynamo_core::convert::{ConvertError, FromAttribute, ToAttribute};
/// use dynamo_core::wire;
///
/// /// A hand-written impl; `#[derive(DynamoItem)]` writes the same.
/// struct User { id: String }
///
/// impl DynamoItem for User {
///     const TABLE_NAME: &'static str = "users";
///     const HASH_KEY: &'static str = "id";
///     const RANGE_KEY: Option<&'static str> = None;
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
///     fn from_attributes<S: AttributeSource>(mut item: S) -> Result<User, ConvertError> {
///         let id = item.take("id").ok_or_else(ConvertError::missing)?;
///         Ok(User { id: String::from_attribute(id)? })
///     }
/// }
///
/// let schema = User::key_schema();
/// assert_eq!(schema.hash_key_element.attribute_name, "id");
/// assert_eq!(schema.hash_key_element.attribute_type, wire::ScalarAttributeType::S);
/// let user = User::from_item(User { id: "u1".into() }.to_item()?)?;
/// assert_eq!(user.key(), "u1");
/// # Ok::<(), ConvertError>(())
/// ```
pub trait DynamoItem: Sized + Send + Sync + 'static {
    /// The table's name. The derive uses `#[dynamo(table = "...")]`, or the
    /// struct's name when absent.
    const TABLE_NAME: &'static str;

    /// The hash key's attribute name (its type is [`DynamoItem::HashKey`]'s
    /// [`KeyAttribute::TYPE`]).
    const HASH_KEY: &'static str;

    /// The range key's attribute name, for hash-and-range tables.
    const RANGE_KEY: Option<&'static str>;

    /// The attribute of the `#[dynamo(version)]` field (an integer), if
    /// any. The table layer uses it for optimistic locking: each write
    /// stores the next version and is conditional on the version read.
    const VERSION_ATTRIBUTE: Option<&'static str>;

    /// Every attribute name the type stores, in field order (for
    /// `AttributesToGet`).
    const ATTRIBUTES: &'static [&'static str];

    /// The Rust type of the hash key.
    type HashKey: KeyAttribute;

    /// The Rust type of the range key, or [`NoRangeKey`] for a hash-only
    /// table (which does not implement [`KeyAttribute`], so the table layer
    /// can offer Query only where `T::RangeKey: KeyAttribute`).
    type RangeKey: RangeKeyType;

    /// A full primary key: `HashKey` for hash-only tables, `(HashKey,
    /// RangeKey)` for hash-and-range tables.
    type Key: Clone + Send + Sync + 'static;

    /// The key schema, for CreateTable and for checking an existing table.
    fn key_schema() -> wire::KeySchema {
        let hash_key_element = KeySchemaElement {
            attribute_name: Self::HASH_KEY.to_owned(),
            attribute_type: <Self::HashKey as KeyAttribute>::TYPE,
        };
        let range = Self::RANGE_KEY.zip(<Self::RangeKey as RangeKeyType>::TYPE);
        wire::KeySchema {
            hash_key_element,
            range_key_element: range.map(|(name, attribute_type)| KeySchemaElement {
                attribute_name: name.to_owned(),
                attribute_type,
            }),
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

    /// Writes the item's attributes to `sink`, each name once: what a typed
    /// put serializes, without building an [`Item`]. The derive writes each
    /// field straight to the sink (and builds [`DynamoItem::to_item`] on
    /// it); this default writes `to_item`'s entries. Implement `to_item`,
    /// not this.
    ///
    /// # Errors
    /// As [`DynamoItem::to_item`].
    #[doc(hidden)]
    fn write_attributes<S: AttributeSink>(&self, sink: &mut S) -> Result<(), ConvertError> {
        for (name, value) in self.to_item()? {
            sink.put_named(name, value);
        }
        Ok(())
    }

    /// Reads an item from any [`AttributeSource`]: every typed read comes
    /// here. The derive reads each field straight from the source, so a
    /// response decoded into [`AttributeList`]s never builds a map.
    /// Attributes the type does not know are ignored, unless a
    /// `#[dynamo(flatten)]` field collects them.
    ///
    /// # Errors
    /// [`ConvertError`] naming the struct, field and attribute that is
    /// missing or has the wrong type.
    fn from_attributes<S: AttributeSource>(source: S) -> Result<Self, ConvertError>;

    /// Reads an item held as a map: [`DynamoItem::from_attributes`] over it.
    ///
    /// # Errors
    /// As [`DynamoItem::from_attributes`].
    fn from_item(item: Item) -> Result<Self, ConvertError> {
        Self::from_attributes(item)
    }
}

/// Item types whose table has a range key: only those tables can be queried.
/// `#[derive(DynamoItem)]` implements it when a field is the range key.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no range key, so its table cannot be queried",
    label = "Query needs a table with a hash and a range key",
    note = "mark a field `#[dynamo(range_key)]`, or read single items with `get` and all items with `scan`"
)]
pub trait HasRangeKey: DynamoItem {}

/// Where an item's attributes are read from: an [`Item`], or the
/// [`AttributeList`] of a decoded response.
pub trait AttributeSource {
    /// Takes the attribute `name` out, if present.
    fn take(&mut self, name: &str) -> Option<AttributeValue>;

    /// Everything left, as an item.
    fn into_item(self) -> Item;
}

/// Where [`DynamoItem::write_attributes`] puts an item's attributes: an
/// [`Item`], or the list a typed PutItem serializes. Each name is put at
/// most once.
#[doc(hidden)]
pub trait AttributeSink {
    /// Puts a declared attribute.
    fn put(&mut self, name: &'static str, value: AttributeValue);

    /// Puts an attribute named at run time (a `#[dynamo(flatten)]` entry).
    fn put_named(&mut self, name: String, value: AttributeValue);

    /// Room for `additional` more attributes.
    fn reserve(&mut self, additional: usize);
}

// Inline: the derive's `write_attributes` calls these from the user's
// crate, one call per field (measured: `to_item` of a 30-attribute item
// was 3 % slower without).
impl AttributeSink for Item {
    #[inline]
    fn put(&mut self, name: &'static str, value: AttributeValue) {
        self.insert(name.to_owned(), value);
    }

    #[inline]
    fn put_named(&mut self, name: String, value: AttributeValue) {
        self.insert(name, value);
    }

    #[inline]
    fn reserve(&mut self, additional: usize) {
        Item::reserve(self, additional);
    }
}

impl AttributeSource for Item {
    fn take(&mut self, name: &str) -> Option<AttributeValue> {
        self.remove(name)
    }

    fn into_item(self) -> Item {
        self
    }
}
