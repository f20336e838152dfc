//! Typed builders for the 2011-12-05 request parts that name attributes:
//! write conditions ([`expect`]), updates ([`update`]), Query range-key
//! conditions ([`range`]) and Scan filters ([`filter`]).
//!
//! Each builder takes attribute handles ([`crate::attr::Attr`]) and values of
//! the handle's type, and produces the wire type with `into_wire()`. A value
//! that cannot be stored (an empty string, say) is kept as an error and
//! reported by `into_wire()`, so chains need no `?` per step.
//!
//! # Example
//! ```
//! use dynamo_core::attr::{Attr, NotKey, Range};
//! use dynamo_core::expr::{expect, filter, range, update};
//! struct Message;
//! const SUBJECT: Attr<Message, String, Range> = Attr::new("Message", "subject", "subject");
//! const VIEWS: Attr<Message, u64, NotKey> = Attr::new("Message", "views", "views");
//!
//! let cond = expect::equals(VIEWS, 3).into_wire()?;
//! let actions = update::add(VIEWS, 1).set(VIEWS, 4).into_wire();
//! assert!(actions.is_err(), "one attribute, two actions");
//! let query = range::begins_with(SUBJECT, "DynamoDB").into_wire()?;
//! let scan = filter::gt(VIEWS, 10).and(filter::contains(SUBJECT, "Thread")).into_wire()?;
//! assert_eq!(scan.len(), 2);
//! # let _ = (cond, query);
//! # Ok::<(), dynamo_core::convert::ConvertError>(())
//! ```

/// `Clone`, `Debug` (showing the wire form or the error, not the item type)
/// and optionally `Default` for a builder typed by its item `T`, without
/// requiring anything of `T`.
macro_rules! item_typed {
    ($name:ident, $field:ident) => {
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                $name {
                    $field: self.$field.clone(),
                    item: std::marker::PhantomData,
                }
            }
        }

        impl<T> std::fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name))
                    .field(&self.$field)
                    .finish()
            }
        }
    };
    ($name:ident, $field:ident, default) => {
        item_typed!($name, $field);

        impl<T> Default for $name<T> {
            fn default() -> Self {
                $name {
                    $field: Default::default(),
                    item: std::marker::PhantomData,
                }
            }
        }
    };
}

pub mod expect;
pub mod filter;
pub mod range;
pub mod update;

use std::collections::HashMap;

use crate::convert::{AttributePath, ConvertError, ConvertErrorKind};
use crate::value::AttributeValue;

/// A map of attribute name to entry that keeps the first error and refuses a
/// second entry for the same attribute.
#[derive(Clone)]
struct Entries<E> {
    map: Result<HashMap<String, E>, ConvertError>,
}

impl<E> Default for Entries<E> {
    fn default() -> Self {
        Entries {
            map: Ok(HashMap::new()),
        }
    }
}

impl<E: std::fmt::Debug> std::fmt::Debug for Entries<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.map.fmt(f)
    }
}

impl<E> Entries<E> {
    /// True when there are no entries and no error.
    fn is_empty(&self) -> bool {
        matches!(&self.map, Ok(m) if m.is_empty())
    }

    fn insert(mut self, path: AttributePath, entry: Result<E, ConvertError>) -> Self {
        self.map = match (self.map, entry) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.at(path)),
            (Ok(mut map), Ok(entry)) => {
                if map.insert(path.attribute.to_owned(), entry).is_some() {
                    Err(ConvertError::new(ConvertErrorKind::Duplicate).at(path))
                } else {
                    Ok(map)
                }
            }
        };
        self
    }

    fn merge(self, other: Entries<E>) -> Self {
        match (self.map, other.map) {
            (Err(e), _) | (_, Err(e)) => Entries { map: Err(e) },
            (Ok(mut a), Ok(b)) => {
                for (name, entry) in b {
                    if a.contains_key(&name) {
                        let reason = format!("attribute \"{name}\" named twice in one request");
                        return Entries {
                            map: Err(ConvertError::custom(reason)),
                        };
                    }
                    a.insert(name, entry);
                }
                Entries { map: Ok(a) }
            }
        }
    }
}

/// A value that must be present: `None` (an empty set, say) is an error.
fn required(
    value: Result<Option<AttributeValue>, ConvertError>,
) -> Result<AttributeValue, ConvertError> {
    value?.ok_or_else(ConvertError::missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{Attr, NotKey};

    /// Neither `Send`, `Sync`, `Clone` nor `Debug`.
    #[allow(dead_code)]
    struct Item(std::rc::Rc<()>);
    const N: Attr<Item, u8, NotKey> = Attr::new("Item", "n", "n");

    fn send_sync_clone_debug<B: Send + Sync + Clone + std::fmt::Debug + 'static>(_: &B) {}

    #[test]
    fn builders_do_not_need_anything_of_the_item_type() {
        send_sync_clone_debug(&expect::equals(N, 1));
        send_sync_clone_debug(&update::set(N, 1));
        send_sync_clone_debug(&filter::eq(N, 1));
        send_sync_clone_debug(&N);
        assert!(update::Actions::<Item>::new().is_empty());
        assert!(!filter::null(N).is_empty());
    }
}
