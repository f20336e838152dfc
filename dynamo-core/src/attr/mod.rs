//! Typed attribute handles: `Message::SENT_BY` and friends.
//!
//! `#[derive(DynamoItem)]` gives every stored field an associated constant of
//! type [`Attr<T, V, R>`]: `T` is the item type, `V` the field's value type
//! and `R` its role ([`Hash`](enum@Hash), [`Range`] or [`NotKey`]). The builders in
//! [`crate::expr`] take these handles, so a condition, update or range-key
//! condition only accepts a value of the field's type, and only where the
//! operation is legal:
//!
//! * updates need a [`Settable`] role (not a key);
//! * range-key conditions need the [`IsRangeKey`] role;
//! * `add` needs an [`Addable`] value (numbers and sets), `delete_elements` a
//!   [`SetValue`], `begins_with` a [`PrefixValue`], ordering a
//!   [`ScalarValue`], `contains` a [`Containable`];
//! * operands are anything [`ValueFor<V>`]: `V` itself, `&V`, `&str` for
//!   strings, the inner value for an `Option`, the plain value for
//!   [`Json`](crate::convert::Json).
//!
//! # Example
//! ```
//! use dynamo_core::attr::{Attr, NotKey};
//! use dynamo_core::expr::update;
//! struct Counter;
//! const HITS: Attr<Counter, u64, NotKey> = Attr::new("Counter", "hits", "hits");
//! let actions = update::add(HITS, 1).into_wire()?;
//! assert!(actions.contains_key("hits"));
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

mod kinds;

use std::fmt;
use std::marker::PhantomData;

pub use kinds::{Addable, Containable, PrefixValue, ScalarValue, SetValue, ValueFor};

use crate::convert::AttributePath;

/// The handle of one attribute of item type `T`, with value type `V` and
/// role `R`.
pub struct Attr<T, V, R = NotKey> {
    path: AttributePath,
    marker: PhantomData<Marker<T, V, R>>,
}

/// Carries the type parameters without owning them (always `Send`, `Sync`,
/// `Copy`).
type Marker<T, V, R> = fn() -> (T, V, R);

impl<T, V, R> Attr<T, V, R> {
    /// A handle for field `field` of `item`, stored as attribute `attribute`.
    pub const fn new(item: &'static str, field: &'static str, attribute: &'static str) -> Self {
        Attr {
            path: AttributePath {
                item,
                field,
                attribute,
            },
            marker: PhantomData,
        }
    }

    /// The attribute name.
    pub const fn name(&self) -> &'static str {
        self.path.attribute
    }

    /// The struct, field and attribute name, for error messages.
    pub const fn path(&self) -> AttributePath {
        self.path
    }
}

impl<T, V, R> Clone for Attr<T, V, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, V, R> Copy for Attr<T, V, R> {}

impl<T, V, R> fmt::Debug for Attr<T, V, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attr({})", self.path)
    }
}

/// Attributes of `T` to read (a projection, the service's
/// `AttributesToGet`): one [`Attr`] handle, a tuple of up to twelve, or an
/// array of handles of one type. The handles must belong to `T`, so a
/// projection cannot name an attribute the item type does not have.
///
/// # Example
/// ```
/// use dynamo_core::attr::{Attr, NotKey, Projection};
/// struct Message;
/// const BODY: Attr<Message, String, NotKey> = Attr::new("Message", "body", "Body");
/// const VIEWS: Attr<Message, u64, NotKey> = Attr::new("Message", "views", "views");
/// let mut names = Vec::new();
/// (BODY, VIEWS).names(&mut names);
/// assert_eq!(names, ["Body", "views"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a projection of `{T}`",
    label = "expected attribute handles of `{T}`",
    note = "pass a handle such as `Message::BODY`, or a tuple of handles: `(Message::BODY, Message::VIEWS)`"
)]
pub trait Projection<T> {
    /// Appends the attribute names, in order, to `names`.
    fn names(&self, names: &mut Vec<&'static str>);
}

impl<T, V, R> Projection<T> for Attr<T, V, R> {
    fn names(&self, names: &mut Vec<&'static str>) {
        names.push(self.name());
    }
}

impl<T, P: Projection<T>, const N: usize> Projection<T> for [P; N] {
    fn names(&self, names: &mut Vec<&'static str>) {
        for p in self {
            p.names(names);
        }
    }
}

macro_rules! tuple_projection {
    ($($p:ident $i:tt),+) => {
        impl<T, $($p: Projection<T>),+> Projection<T> for ($($p,)+) {
            fn names(&self, names: &mut Vec<&'static str>) {
                $(self.$i.names(names);)+
            }
        }
    };
}

tuple_projection!(A 0);
tuple_projection!(A 0, B 1);
tuple_projection!(A 0, B 1, C 2);
tuple_projection!(A 0, B 1, C 2, D 3);
tuple_projection!(A 0, B 1, C 2, D 3, E 4);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_projection!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);

/// Role of the hash key attribute. Its values have type
/// [`DynamoItem::HashKey`](crate::DynamoItem::HashKey).
#[derive(Debug, Clone, Copy)]
pub enum Hash {}

/// Role of the range key attribute. Its values have type
/// [`DynamoItem::RangeKey`](crate::DynamoItem::RangeKey).
#[derive(Debug, Clone, Copy)]
pub enum Range {}

/// Role of every attribute that is not part of the key.
#[derive(Debug, Clone, Copy)]
pub enum NotKey {}

/// Roles whose attribute an update may change: only [`NotKey`].
#[diagnostic::on_unimplemented(
    message = "key attributes cannot be updated",
    label = "this is a key attribute",
    note = "an item's key never changes; write a new item with `put` and delete the old one instead"
)]
pub trait Settable {}

impl Settable for NotKey {}

/// Roles a Query range-key condition applies to: only [`Range`].
#[diagnostic::on_unimplemented(
    message = "range key conditions apply only to the range key attribute",
    label = "not the range key",
    note = "use a scan filter (`dynamo::expr::filter`) to compare other attributes"
)]
pub trait IsRangeKey {}

impl IsRangeKey for Range {}
