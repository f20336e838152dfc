//! [`ConvertError`]: why a Rust value and an attribute value do not fit.

use std::fmt;

use crate::value::{NumberError, ValueError, ValueType};

/// Where a value lives: the Rust struct and field, and the attribute name.
///
/// Errors raised inside a derived impl or by a typed builder carry one, so the
/// message names the exact place: `Message.views (attribute "views")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributePath {
    /// The Rust type, e.g. `"Message"`.
    pub item: &'static str,
    /// The Rust field, e.g. `"sent_by"`.
    pub field: &'static str,
    /// The DynamoDB attribute name, e.g. `"SentBy"`.
    pub attribute: &'static str,
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} (attribute \"{}\")",
            self.item, self.field, self.attribute
        )
    }
}

/// What went wrong in a conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConvertErrorKind {
    /// The attribute has another type than the Rust type reads.
    TypeMismatch {
        /// The type the Rust type reads.
        expected: ValueType,
        /// The type found.
        found: ValueType,
    },
    /// A required attribute is absent.
    Missing,
    /// The value breaks a service rule (empty string, empty or duplicate set member).
    Invalid(ValueError),
    /// A number that is invalid or does not fit the Rust type exactly.
    Number(NumberError),
    /// A `json` attribute that does not hold the expected JSON.
    Json(String),
    /// A builder names the same attribute twice.
    Duplicate,
    /// A key has a range element the table does not have.
    UnexpectedRangeKey,
    /// An `IN` filter without values.
    EmptyList,
    /// Any other reason, from a custom conversion.
    Custom(String),
}

/// A Rust value that cannot become an attribute value, or the reverse.
///
/// `Display` names the place when known and the reason, e.g.
/// `Message.views (attribute "views"): expected N, found S`. It never prints
/// the value itself.
///
/// # Example
/// ```
/// use dynamo_core::convert::{ConvertError, FromAttribute};
/// use dynamo_core::AttributeValue;
/// let err = u64::from_attribute(AttributeValue::S("x".into())).unwrap_err();
/// assert_eq!(err.to_string(), "expected N, found S");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    path: Option<AttributePath>,
    kind: ConvertErrorKind,
}

impl ConvertError {
    /// An error of the given kind, without a path yet.
    pub fn new(kind: ConvertErrorKind) -> ConvertError {
        ConvertError { path: None, kind }
    }

    /// The attribute has type `found` where `expected` was needed.
    pub fn type_mismatch(expected: ValueType, found: ValueType) -> ConvertError {
        ConvertError::new(ConvertErrorKind::TypeMismatch { expected, found })
    }

    /// A required attribute is absent.
    pub fn missing() -> ConvertError {
        ConvertError::new(ConvertErrorKind::Missing)
    }

    /// A custom reason, e.g. from a `with` module.
    pub fn custom(reason: impl fmt::Display) -> ConvertError {
        ConvertError::new(ConvertErrorKind::Custom(reason.to_string()))
    }

    /// Attaches the place, unless one is already attached.
    #[must_use]
    pub fn at(mut self, path: AttributePath) -> ConvertError {
        self.path.get_or_insert(path);
        self
    }

    /// The place, when known.
    pub fn path(&self) -> Option<&AttributePath> {
        self.path.as_ref()
    }

    /// The reason.
    pub fn kind(&self) -> &ConvertErrorKind {
        &self.kind
    }
}

impl From<ValueError> for ConvertError {
    fn from(e: ValueError) -> ConvertError {
        match e {
            ValueError::Number(n) => ConvertError::new(ConvertErrorKind::Number(n)),
            other => ConvertError::new(ConvertErrorKind::Invalid(other)),
        }
    }
}

impl From<NumberError> for ConvertError {
    fn from(e: NumberError) -> ConvertError {
        ConvertError::new(ConvertErrorKind::Number(e))
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        match &self.kind {
            ConvertErrorKind::TypeMismatch { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ConvertErrorKind::Missing => f.write_str("missing attribute"),
            ConvertErrorKind::Invalid(ValueError::EmptyString) => {
                f.write_str("empty strings and binaries cannot be stored")
            }
            ConvertErrorKind::Invalid(ValueError::EmptySet) => {
                f.write_str("empty sets cannot be stored")
            }
            ConvertErrorKind::Invalid(ValueError::DuplicateSetMember) => {
                f.write_str("set has the same member twice")
            }
            ConvertErrorKind::Invalid(_) => f.write_str("invalid attribute value"),
            ConvertErrorKind::Number(NumberError::OutOfRange { target, .. }) => {
                write!(f, "number does not fit {target} exactly")
            }
            ConvertErrorKind::Number(_) => f.write_str("invalid number"),
            ConvertErrorKind::Json(reason) => write!(f, "invalid JSON: {reason}"),
            ConvertErrorKind::Duplicate => f.write_str("attribute named twice in one request"),
            ConvertErrorKind::UnexpectedRangeKey => {
                f.write_str("key has a range element but the table has no range key")
            }
            ConvertErrorKind::EmptyList => f.write_str("IN needs at least one value"),
            ConvertErrorKind::Custom(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for ConvertError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ConvertErrorKind::Invalid(e) => Some(e),
            ConvertErrorKind::Number(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWS: AttributePath = AttributePath {
        item: "Message",
        field: "views",
        attribute: "views",
    };

    #[test]
    fn display_names_the_place_and_types() {
        let e = ConvertError::type_mismatch(ValueType::N, ValueType::S).at(VIEWS);
        assert_eq!(
            e.to_string(),
            "Message.views (attribute \"views\"): expected N, found S"
        );
    }

    #[test]
    fn first_path_wins() {
        let other = AttributePath {
            field: "x",
            ..VIEWS
        };
        let e = ConvertError::missing().at(VIEWS).at(other);
        assert_eq!(e.path(), Some(&VIEWS));
    }

    #[test]
    fn out_of_range_does_not_print_the_value() {
        let n: crate::Number = "300".parse().expect("number");
        let e = ConvertError::from(u8::try_from(&n).unwrap_err());
        assert_eq!(e.to_string(), "number does not fit u8 exactly");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn is_send_sync_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<ConvertError>();
    }
}

/// Only the category and place of a JSON error: serde_json's own text can
/// quote the value that did not fit (`invalid type: string "..."`).
impl From<serde_json::Error> for ConvertError {
    fn from(e: serde_json::Error) -> ConvertError {
        let what = match e.classify() {
            serde_json::error::Category::Io => "could not be read",
            serde_json::error::Category::Syntax => "is malformed",
            serde_json::error::Category::Data => "does not fit the type",
            serde_json::error::Category::Eof => "ends early",
        };
        let reason = format!("the JSON {what} (line {}, column {})", e.line(), e.column());
        ConvertError::new(ConvertErrorKind::Json(reason))
    }
}

#[cfg(test)]
mod json_tests {
    use super::ConvertError;

    #[test]
    fn a_json_error_names_no_value() {
        let e = serde_json::from_str::<u32>("\"s3cret\"").expect_err("a string");
        let shown = ConvertError::from(e).to_string();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.starts_with("invalid JSON: the JSON does not fit the type"),
            "{shown}"
        );
    }
}
