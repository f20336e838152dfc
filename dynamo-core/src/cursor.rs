//! [`Cursor`]: a typed, serializable position in a query or scan.

use std::fmt;
use std::marker::PhantomData;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::Error;
use crate::item::DynamoItem;
use crate::wire::Key;

/// Where the next page of a query or scan of `T` starts: the service's
/// `LastEvaluatedKey`, typed by the table's item so a cursor of one table
/// cannot be passed to another.
///
/// A cursor serializes (serde, or [`Cursor::to_token`] for a URL-safe
/// string), so a web API can hand it to its client and resume later.
///
/// # Example
/// ```no_run
/// # use dynamo_core::{Cursor, DynamoItem};
/// # fn run<T: DynamoItem>(cursor: Cursor<T>) -> Result<(), dynamo_core::Error> {
/// let token = cursor.to_token();             // put it in a URL
/// let again = Cursor::<T>::from_token(&token)?; // checked against T's key schema
/// assert_eq!(again, cursor);
/// # Ok(()) }
/// ```
pub struct Cursor<T> {
    key: Key,
    _item: PhantomData<fn() -> T>,
}

impl<T: DynamoItem> Cursor<T> {
    /// Wraps a `LastEvaluatedKey`, checking it against `T`'s key schema.
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] when the key does not fit the schema.
    pub fn from_key(key: Key) -> Result<Cursor<T>, Error> {
        T::key_from_wire(&key).map_err(|e| {
            // The type, not `T::TABLE_NAME`: a `T` may live in tables of
            // other names (`Connection::get_table_named`).
            Error::invalid_input(format!(
                "the cursor does not fit the key of {} items: {e}",
                std::any::type_name::<T>()
            ))
        })?;
        Ok(Cursor {
            key,
            _item: PhantomData,
        })
    }

    /// Parses a token made by [`Cursor::to_token`].
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] when the token is not one of ours
    /// or does not fit `T`'s key schema.
    pub fn from_token(token: &str) -> Result<Cursor<T>, Error> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| Error::invalid_input("cursor token is not valid base64"))?;
        let key: Key = serde_json::from_slice(&bytes)
            .map_err(|_| Error::invalid_input("cursor token does not hold a key"))?;
        Cursor::from_key(key)
    }

    /// The typed key of the last item evaluated.
    ///
    /// # Errors
    /// A conversion error if the key's values do not fit `T`'s key types.
    pub fn key(&self) -> Result<T::Key, Error> {
        T::key_from_wire(&self.key).map_err(Error::conversion)
    }
}

impl<T> Cursor<T> {
    /// A URL-safe string form of the cursor.
    pub fn to_token(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&self.key).unwrap_or_default())
    }

    /// The wire key.
    pub fn as_wire(&self) -> &Key {
        &self.key
    }

    pub(crate) fn into_wire(self) -> Key {
        self.key
    }
}

impl<T> Clone for Cursor<T> {
    fn clone(&self) -> Cursor<T> {
        Cursor {
            key: self.key.clone(),
            _item: PhantomData,
        }
    }
}

impl<T> PartialEq for Cursor<T> {
    fn eq(&self, other: &Cursor<T>) -> bool {
        self.key == other.key
    }
}

impl<T> fmt::Debug for Cursor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor").finish_non_exhaustive()
    }
}

impl<T> serde::Serialize for Cursor<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.key.serialize(s)
    }
}

impl<'de, T: DynamoItem> serde::Deserialize<'de> for Cursor<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cursor<T>, D::Error> {
        let key = Key::deserialize(d)?;
        Cursor::from_key(key).map_err(serde::de::Error::custom)
    }
}
