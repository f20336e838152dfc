//! `#[derive(DynamoItem)]` for the `dynamo` crate.
//!
//! See [`DynamoItem`](derive@DynamoItem). The macro parses its input into
//! plain structs (`ast`, `attr`), checks the rules that span fields
//! (`valid`), and writes the impl (`expand`). Every error is collected and
//! reported at its own span; an invalid input still gets a fallback impl
//! (`fallback`) so uses of the type add no cascade of errors.

mod ast;
mod attr;
mod bound;
mod case;
mod ctxt;
mod expand;
mod fallback;
mod symbol;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Stores a struct as DynamoDB items: implements `dynamo::DynamoItem` and
/// adds one typed attribute handle per stored field.
///
/// # Example
///
/// The seed tutorial's `Message`:
///
/// ```
/// use std::collections::BTreeSet;
/// use dynamo::expr::{expect, filter, range, update};
/// use dynamo::DynamoItem;
/// use rust_decimal::Decimal;
///
/// #[derive(DynamoItem, Debug, PartialEq)]
/// #[dynamo(table = "messages")]
/// struct Message {
///     #[dynamo(hash_key)]  forum_name: String,
///     #[dynamo(range_key)] subject: String,
///     #[dynamo(rename = "SentBy")] sent_by: String,
///     views: u64,
///     tags: BTreeSet<String>,
///     price: Option<Decimal>,
/// }
///
/// let m = Message {
///     forum_name: "Amazon DynamoDB".into(),
///     subject: "How do I update multiple items?".into(),
///     sent_by: "User A".into(),
///     views: 0,
///     tags: BTreeSet::new(),
///     price: None,
/// };
/// let item = m.to_item()?;
/// assert!(item.contains_key("SentBy"));
/// assert!(!item.contains_key("tags"), "empty sets and None are omitted");
/// assert_eq!(Message::from_item(item)?, m);
///
/// assert_eq!(Message::TABLE_NAME, "messages");
/// assert_eq!(Message::key_schema().hash_key_element.attribute_name, "forum_name");
/// let key = Message::key_to_wire(&m.key())?;
///
/// // Typed handles: values must have the field's type.
/// let updates = update::add(Message::VIEWS, 1)
///     .set(Message::SENT_BY, "User B")
///     .add(Message::TAGS, BTreeSet::from(["rust".to_owned()]))
///     .into_wire()?;
/// let expected = expect::equals(Message::VIEWS, 0).into_wire()?;
/// let condition = range::begins_with(Message::SUBJECT, "How").into_wire()?;
/// let scan = filter::contains(Message::TAGS, "rust").into_wire()?;
/// # let _ = (key, updates, expected, condition, scan);
/// # Ok::<(), dynamo::ConvertError>(())
/// ```
///
/// # Container attributes
///
/// * `table = "..."`: the table name (3 to 255 of `a-z A-Z 0-9 _ - .`).
///   Default: the struct's name as written (`Message`).
/// * `rename_all = "..."`: attribute names from field names: `"PascalCase"`,
///   `"camelCase"`, `"snake_case"`, `"SCREAMING_SNAKE_CASE"`,
///   `"kebab-case"`, `"SCREAMING-KEBAB-CASE"`, `"lowercase"`, `"UPPERCASE"`.
/// * `crate = "..."`: path of the runtime crate (default `::dynamo`; use
///   `"dynamo_core"` with the core crate alone).
/// * `bound = "..."`: where predicates replacing the inferred ones on a
///   generic struct. By default only field types that mention a type
///   parameter are bounded.
///
/// # Field attributes
///
/// * `hash_key` (exactly one) and `range_key` (at most one): the key. The
///   type must be a string, number or binary scalar (`KeyAttribute`).
/// * `rename = "..."`: the attribute name (default: the field name, `r#`
///   removed, after `rename_all`).
/// * `skip`: not stored; read back as `Default::default()`.
/// * `default`: a missing attribute reads as `Default::default()`.
/// * `json`: any serde type, stored as an `S` holding the JSON of the whole
///   field value (an `Option` field stores `null`); add `default` to read a
///   missing attribute as `Default::default()`.
/// * `with = module` (or `"module"`): `module::to_attribute(&T) ->
///   Result<Option<AttributeValue>, ConvertError>` and
///   `module::from_attribute(AttributeValue) -> Result<T, ConvertError>`.
/// * `version`: an integer field for optimistic locking
///   (`DynamoItem::VERSION_ATTRIBUTE`).
/// * `flatten` (at most one, on a `dynamo::Item` field, with no other
///   attribute): reads every attribute no other field names and writes them
///   back, so a read-modify-write keeps attributes the struct does not know.
///   Writing an entry named like a declared field's attribute is a
///   `ConvertError`, never a silent choice between the two values. Without
///   such a field, unknown attributes are ignored on read.
///
/// # Generated
///
/// * `impl DynamoItem`: table name, key schema, `Key` (the hash key type or
///   a `(hash, range)` tuple), `to_item` (`None` and empty sets omitted),
///   `from_attributes`, reading each field straight from the source (errors
///   name the struct, field and attribute).
/// * One `const` per stored field, named after it in SCREAMING_SNAKE_CASE
///   (`Message::SENT_BY`), of type `dynamo::attr::Attr<Message, V, Role>`;
///   `V` is the field type (`Json<T>` for `json`, `AttributeValue` for
///   `with`), `Role` is `Hash`, `Range` or `NotKey`.
///
/// # Compile errors
///
/// A struct without a hash key:
///
/// ```compile_fail
/// #[derive(dynamo::DynamoItem)]
/// struct NoKey { id: String }
/// ```
///
/// A key that is not a string, number or binary scalar:
///
/// ```compile_fail
/// #[derive(dynamo::DynamoItem)]
/// struct OptionKey { #[dynamo(hash_key)] id: Option<String> }
/// ```
///
/// Two fields stored under one attribute name:
///
/// ```compile_fail
/// #[derive(dynamo::DynamoItem)]
/// struct Twice {
///     #[dynamo(hash_key)] id: String,
///     #[dynamo(rename = "id")] other: String,
/// }
/// ```
///
/// Updating a key attribute:
///
/// ```compile_fail
/// #[derive(dynamo::DynamoItem)]
/// struct User { #[dynamo(hash_key)] id: String, name: String }
/// let _ = dynamo::expr::update::set(User::ID, "new id");
/// ```
///
/// A value of the wrong type:
///
/// ```compile_fail
/// #[derive(dynamo::DynamoItem)]
/// struct User { #[dynamo(hash_key)] id: String, name: String }
/// let _ = dynamo::expr::update::set(User::NAME, 5);
/// ```
///
/// `add` on a string:
///
/// ```compile_fail
/// #[derive(dynamo::DynamoItem)]
/// struct User { #[dynamo(hash_key)] id: String, name: String }
/// let _ = dynamo::expr::update::add(User::NAME, "x");
/// ```
#[proc_macro_derive(DynamoItem, attributes(dynamo))]
pub fn derive_dynamo_item(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive(&input).into()
}
