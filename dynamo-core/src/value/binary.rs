//! [`Binary`]: a `B` value, raw bytes that travel as standard padded base64.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;

/// Raw bytes of a `B` value or a `BS` member.
///
/// # Example
/// ```
/// use dynamo_core::Binary;
/// let b = Binary::from(vec![1u8, 2, 3, 4]);
/// assert_eq!(b.to_base64(), "AQIDBA==");
/// assert_eq!(Binary::from_base64("AQIDBA==")?, b);
/// # Ok::<(), dynamo_core::value::Base64Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Binary(Bytes);

/// Text that is not valid standard base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error(String);

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64: {}", self.0)
    }
}

impl std::error::Error for Base64Error {}

impl Binary {
    /// Decodes standard, padded base64.
    ///
    /// # Errors
    /// [`Base64Error`] for anything else.
    pub fn from_base64(text: &str) -> Result<Binary, Base64Error> {
        STANDARD
            .decode(text)
            .map(|v| Binary(Bytes::from(v)))
            .map_err(|e| Base64Error(e.to_string()))
    }

    /// Canonical standard, padded base64.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes as a cheaply clonable [`Bytes`].
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binary({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Binary {
    fn from(v: Vec<u8>) -> Binary {
        Binary(Bytes::from(v))
    }
}

impl From<&[u8]> for Binary {
    fn from(v: &[u8]) -> Binary {
        Binary(Bytes::copy_from_slice(v))
    }
}

impl From<Bytes> for Binary {
    fn from(v: Bytes) -> Binary {
        Binary(v)
    }
}

impl From<Binary> for Vec<u8> {
    fn from(b: Binary) -> Vec<u8> {
        b.0.to_vec()
    }
}

impl AsRef<[u8]> for Binary {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Binary, D::Error> {
        /// Decodes the base64 where it lies: no copy of the text.
        struct BinaryVisitor;

        impl serde::de::Visitor<'_> for BinaryVisitor {
            type Value = Binary;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Binary, E> {
                Binary::from_base64(text).map_err(E::custom)
            }
        }

        d.deserialize_str(BinaryVisitor)
    }
}
