//! The one error type of the crate.
//!
//! [`Error`] is opaque: a box around the kind of failure and what is known
//! about it (service error code and message, HTTP status, request id, table).
//! Ask it questions with [`Error::kind`], [`Error::is_throttled`],
//! [`Error::is_conditional_check_failed`], ...
//!
//! `Display` describes this layer only and never prints credentials or item
//! values; the underlying cause, if any, is available through
//! [`std::error::Error::source`].

use std::error::Error as StdError;
use std::fmt;

use crate::client::retry;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The kind of an [`Error`].
///
/// New kinds may be added in any release, so match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A service error without a more specific kind (see [`Error::service_code`]).
    Service,
    /// `ProvisionedThroughputExceededException` or `ThrottlingException`.
    Throttled,
    /// `ConditionalCheckFailedException`: an `Expected` condition was false.
    ConditionalCheckFailed,
    /// `ResourceNotFoundException`: the table does not exist (or is not active).
    NotFound,
    /// `ResourceInUseException`: the table exists already or is changing.
    ResourceInUse,
    /// `ValidationException`: the service rejected a parameter.
    Validation,
    /// The connection could not be made or broke.
    Transport,
    /// The connection or the whole request took longer than allowed.
    Timeout,
    /// The response body does not match its `x-amz-crc32` header.
    Crc32Mismatch,
    /// A successful response body could not be decoded.
    Decode,
    /// No credentials could be found or loaded.
    Credentials,
    /// The client configuration is invalid.
    Config,
    /// The request is invalid and was not sent.
    InvalidInput,
    /// A value could not be converted to or from its attribute form.
    Conversion,
    /// An optimistic-locking version check failed: the stored version
    /// differs from the expected one. Also answers
    /// [`Error::is_conditional_check_failed`].
    VersionConflict,
    /// The service did not accept the request's signature
    /// (`InvalidSignatureException`, `SignatureDoesNotMatch`), e.g. a wrong
    /// secret key, region or clock.
    Signature,
    /// The service left writes of a batch unprocessed until retries ran out
    /// (see [`Error::batch_write`] for them).
    Unprocessed,
    /// The service does not know the access key
    /// (`UnrecognizedClientException`, `InvalidClientTokenId`).
    UnknownAccessKey,
    /// The write was applied, but its response could not be used (a corrupt
    /// body, a bad `x-amz-crc32`, or returned values that do not decode).
    /// Do not send it again.
    WriteApplied,
    /// The write was sent and no trustworthy answer came back (a reset, a
    /// timeout, a 5xx), and it was not re-sent because sending it twice
    /// could apply it twice: it may or may not have been applied.
    MaybeApplied,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Service => "service error",
            ErrorKind::Throttled => "request throttled",
            ErrorKind::ConditionalCheckFailed => "conditional check failed",
            ErrorKind::NotFound => "resource not found",
            ErrorKind::ResourceInUse => "resource in use",
            ErrorKind::Validation => "request rejected by validation",
            ErrorKind::Transport => "connection error",
            ErrorKind::Timeout => "request timed out",
            ErrorKind::Crc32Mismatch => "response body does not match its x-amz-crc32 checksum",
            ErrorKind::Decode => "could not decode the response",
            ErrorKind::Credentials => "could not load credentials",
            ErrorKind::Config => "invalid client configuration",
            ErrorKind::InvalidInput => "invalid request",
            ErrorKind::Conversion => "could not convert a value",
            ErrorKind::VersionConflict => "version conflict",
            ErrorKind::Signature => "request signature rejected",
            ErrorKind::Unprocessed => "the service left writes unprocessed",
            ErrorKind::UnknownAccessKey => "access key not recognized",
            ErrorKind::WriteApplied => "the write was applied, but its response could not be used",
            ErrorKind::MaybeApplied => "the write may have been applied",
        }
    }
}

/// An error from the client or the service.
///
/// # Example
/// ```no_run
/// # async fn run(client: dynamo_core::Client) {
/// use dynamo_core::wire::DescribeTableInput;
/// let input = DescribeTableInput { table_name: "users".into() };
/// match client.describe_table(&input).await {
///     Ok(out) => println!("{:?}", out.table),
///     Err(e) if e.is_not_found() => println!("no such table"),
///     Err(e) => eprintln!("{e} (request id {:?})", e.request_id()),
/// }
/// # }
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    code: Option<String>,
    message: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    table_name: Option<String>,
    source: Option<BoxError>,
    /// The request never left this client (a refused connection).
    not_sent: bool,
}

impl Error {
    fn new(kind: ErrorKind) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                code: None,
                message: None,
                status: None,
                request_id: None,
                table_name: None,
                source: None,
                not_sent: false,
            }),
        }
    }

    /// An error response from the service, classified by its code.
    pub(crate) fn service(
        status: u16,
        code: String,
        message: Option<String>,
        request_id: Option<String>,
    ) -> Error {
        let mut e = Error::new(kind_of_code(&code));
        e.inner.status = Some(status);
        e.inner.code = Some(code);
        e.inner.message = message;
        e.inner.request_id = request_id;
        e
    }

    /// A connection failure.
    pub(crate) fn transport(source: impl Into<BoxError>) -> Error {
        Error::new(ErrorKind::Transport).with_source(source)
    }

    /// A connection or request timeout.
    pub(crate) fn timeout(source: impl Into<BoxError>) -> Error {
        Error::new(ErrorKind::Timeout).with_source(source)
    }

    /// A body whose CRC32 differs from its `x-amz-crc32` header.
    pub(crate) fn crc32_mismatch(status: u16, request_id: Option<String>) -> Error {
        let mut e = Error::new(ErrorKind::Crc32Mismatch);
        e.inner.status = Some(status);
        e.inner.request_id = request_id;
        e
    }

    /// A response body that does not decode.
    pub(crate) fn decode(source: impl Into<BoxError>, request_id: Option<String>) -> Error {
        let mut e = Error::new(ErrorKind::Decode).with_source(source);
        e.inner.request_id = request_id;
        e
    }

    /// Credentials that could not be loaded.
    pub(crate) fn credentials(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Credentials).with_message(message)
    }

    /// A bad client configuration.
    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config).with_message(message)
    }

    /// A request rejected before it was sent.
    pub(crate) fn invalid_input(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidInput).with_message(message)
    }

    /// A value that could not be converted; `Display` names its place and
    /// reason (`Struct.field (attribute "a"): expected N, found S`), never
    /// the value.
    pub(crate) fn conversion(source: crate::convert::ConvertError) -> Error {
        Error::new(ErrorKind::Conversion)
            .with_message(source.to_string())
            .with_source(source)
    }

    /// An optimistic-locking version check that failed.
    pub(crate) fn version_conflict(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::VersionConflict).with_message(message)
    }

    /// A write that was applied, whose response could not be used because of
    /// `cause`.
    pub(crate) fn write_applied(op: &str, cause: Error) -> Error {
        let reason = cause
            .message()
            .unwrap_or(cause.inner.kind.describe())
            .to_owned();
        Error::wrapping(ErrorKind::WriteApplied, cause)
            .with_message(format!("{op} was applied ({reason}); do not send it again"))
    }

    /// A write that may have been applied: its last attempt ended in `cause`.
    pub(crate) fn maybe_applied(op: &str, cause: Error) -> Error {
        let reason = cause.inner.kind.describe();
        Error::wrapping(ErrorKind::MaybeApplied, cause).with_message(format!(
            "{op} was sent, then {reason}; it was not sent again because a second copy could apply it twice"
        ))
    }

    /// A write found applied by a consistent read after its answer was lost:
    /// its returned values are not known.
    pub(crate) fn applied_unanswered(op: &str, cause: Error) -> Error {
        Error::wrapping(ErrorKind::WriteApplied, cause).with_message(format!(
            "{op} was applied by an attempt whose answer was lost (a consistent read found \
             the written item), so the values it would have returned are unknown; do not send it again"
        ))
    }

    /// True for a "may have been applied" whose last attempt failed a
    /// condition: the condition may have failed on this call's own write.
    pub(crate) fn is_maybe_applied_by_condition(&self) -> bool {
        self.inner.kind == ErrorKind::MaybeApplied
            && self
                .inner
                .source
                .as_ref()
                .and_then(|s| s.downcast_ref::<Error>())
                .is_some_and(Error::is_conditional_check_failed)
    }

    /// An error of `kind` caused by `cause`, keeping its status, request id
    /// and table.
    fn wrapping(kind: ErrorKind, cause: Error) -> Error {
        let mut e = Error::new(kind);
        e.inner.status = cause.inner.status;
        e.inner.request_id = cause.inner.request_id.clone();
        e.inner.table_name = cause.inner.table_name.clone();
        e.with_source(cause)
    }

    /// A failed batch write as one error: the kind and facts of its hard
    /// error, if any, the batch's summary, and the batch as its source.
    pub(crate) fn of_batch_write(batch: crate::batch::BatchWriteError) -> Error {
        let summary = batch.to_string();
        let cause = batch.error();
        let mut e = Error::new(cause.map_or(ErrorKind::Unprocessed, Error::kind));
        if let Some(c) = cause {
            e.inner.code = c.inner.code.clone();
            e.inner.status = c.inner.status;
            e.inner.request_id = c.inner.request_id.clone();
            e.inner.table_name = c.inner.table_name.clone();
        }
        e.with_message(summary).with_source(batch)
    }

    /// The batch's leftovers, when this error came from a
    /// [`crate::batch::BatchWriteError`].
    pub fn batch_write(&self) -> Option<&crate::batch::BatchWriteError> {
        self.inner.source.as_ref()?.downcast_ref()
    }

    /// Marks a failure that happened before the request was sent.
    pub(crate) fn not_sent(mut self) -> Error {
        self.inner.not_sent = true;
        self
    }

    /// True when the request never reached the network.
    pub(crate) fn was_not_sent(&self) -> bool {
        self.inner.not_sent
    }

    /// Sets the human-readable message.
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Error {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets the underlying cause.
    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Error {
        self.inner.source = Some(source.into());
        self
    }

    /// Sets the table the request was about, unless already set.
    pub(crate) fn with_table(mut self, table: Option<&str>) -> Error {
        if self.inner.table_name.is_none() {
            self.inner.table_name = table.map(str::to_owned);
        }
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The service's error code (the part of `__type` after `#`), for service
    /// errors; for an error response whose body is not JSON, a name derived
    /// from the HTTP status (e.g. `ServiceUnavailable`).
    pub fn service_code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The service's message, or this layer's explanation.
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The `x-amzn-RequestId` of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The table the request was about, when known.
    pub fn table_name(&self) -> Option<&str> {
        self.inner.table_name.as_deref()
    }

    /// True for `ConditionalCheckFailedException`, and for a
    /// [`ErrorKind::VersionConflict`] (a failed version condition).
    pub fn is_conditional_check_failed(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::ConditionalCheckFailed | ErrorKind::VersionConflict
        )
    }

    /// True for `ProvisionedThroughputExceededException` and `ThrottlingException`.
    pub fn is_throttled(&self) -> bool {
        self.inner.kind == ErrorKind::Throttled
    }

    /// True for `ResourceNotFoundException`.
    pub fn is_not_found(&self) -> bool {
        self.inner.kind == ErrorKind::NotFound
    }

    /// True for `ValidationException`.
    pub fn is_validation(&self) -> bool {
        self.inner.kind == ErrorKind::Validation
    }

    /// True when the write was applied although the call failed
    /// ([`ErrorKind::WriteApplied`]).
    pub fn is_write_applied(&self) -> bool {
        self.inner.kind == ErrorKind::WriteApplied
    }

    /// True when the write may have been applied ([`ErrorKind::MaybeApplied`]):
    /// read the item to find out before writing again.
    pub fn may_have_been_applied(&self) -> bool {
        self.inner.kind == ErrorKind::MaybeApplied
    }

    /// True when sending the same request again may succeed without doing
    /// harm (see [`crate::client::retry`] for the policy). Never for a write
    /// that was or may have been applied.
    pub fn is_retryable(&self) -> bool {
        retry::classify(self) != retry::RetryAction::DontRetry
    }
}

/// Maps a service error code to its kind.
fn kind_of_code(code: &str) -> ErrorKind {
    match code {
        "ConditionalCheckFailedException" => ErrorKind::ConditionalCheckFailed,
        "ProvisionedThroughputExceededException" | "ThrottlingException" => ErrorKind::Throttled,
        "ResourceNotFoundException" => ErrorKind::NotFound,
        "ResourceInUseException" => ErrorKind::ResourceInUse,
        "ValidationException" => ErrorKind::Validation,
        "InvalidSignatureException" | "SignatureDoesNotMatch" | "IncompleteSignatureException" => {
            ErrorKind::Signature
        }
        "UnrecognizedClientException" | "InvalidClientTokenId" => ErrorKind::UnknownAccessKey,
        _ => ErrorKind::Service,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.write_str(inner.kind.describe())?;
        if let Some(code) = &inner.code {
            write!(f, ": {code}")?;
        }
        if let Some(status) = inner.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(table) = &inner.table_name {
            write!(f, " on table `{table}`")?;
        }
        if let Some(message) = &inner.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &inner.kind);
        if let Some(code) = &inner.code {
            d.field("code", code);
        }
        if let Some(message) = &inner.message {
            d.field("message", message);
        }
        if let Some(status) = &inner.status {
            d.field("status", status);
        }
        if let Some(id) = &inner.request_id {
            d.field("request_id", id);
        }
        if let Some(table) = &inner.table_name {
            d.field("table_name", table);
        }
        if let Some(source) = &inner.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        let source = self.inner.source.as_ref()?;
        Some(&**source as &(dyn StdError + 'static))
    }
}

impl Error {
    /// A stored item that does not fit its type; `reason` names attributes,
    /// never values.
    pub(crate) fn conversion_of_item(reason: String, cause: crate::table::BadItem) -> Error {
        Error::new(ErrorKind::Conversion)
            .with_message(reason)
            .with_source(cause)
    }

    /// The key of the stored item that did not fit the type, for a
    /// conversion error of a query or scan item.
    pub fn item_key(&self) -> Option<&crate::wire::Key> {
        let source = self.inner.source.as_ref()?;
        source.downcast_ref::<crate::table::BadItem>()?.key.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        let e = Error::service(400, "ThrottlingException".into(), None, None);
        assert!(e.is_throttled());
        let e = Error::service(400, "ResourceNotFoundException".into(), None, None);
        assert!(e.is_not_found() && !e.is_retryable());
        let e = Error::service(500, "InternalServerError".into(), None, None);
        assert_eq!(e.kind(), ErrorKind::Service);
        assert!(e.is_retryable());
    }

    #[test]
    fn signature_and_unknown_key_have_their_own_kinds() {
        for code in ["InvalidSignatureException", "SignatureDoesNotMatch"] {
            let e = Error::service(400, code.into(), None, None);
            assert_eq!(e.kind(), ErrorKind::Signature, "{code}");
            assert!(!e.is_retryable());
        }
        let e = Error::service(400, "UnrecognizedClientException".into(), None, None);
        assert_eq!(e.kind(), ErrorKind::UnknownAccessKey);
        assert_eq!(
            e.to_string(),
            "access key not recognized: UnrecognizedClientException (HTTP 400)"
        );
    }

    #[test]
    fn applied_and_maybe_applied_say_so_and_are_not_retryable() {
        let cause = Error::crc32_mismatch(200, Some("RID".into())).with_table(Some("t"));
        let e = Error::write_applied("PutItem", cause);
        assert_eq!(e.kind(), ErrorKind::WriteApplied);
        assert!(e.is_write_applied() && !e.may_have_been_applied() && !e.is_retryable());
        assert_eq!((e.table_name(), e.request_id()), (Some("t"), Some("RID")));
        assert_eq!(
            e.to_string(),
            "the write was applied, but its response could not be used (HTTP 200) on table `t`: \
             PutItem was applied (response body does not match its x-amz-crc32 checksum); do \
             not send it again"
        );
        let cause = Error::transport("reset").with_table(Some("t"));
        let e = Error::maybe_applied("UpdateItem", cause);
        assert_eq!(e.kind(), ErrorKind::MaybeApplied);
        assert!(e.may_have_been_applied() && !e.is_write_applied() && !e.is_retryable());
        assert!(!e.is_conditional_check_failed());
        assert_eq!(
            e.to_string(),
            "the write may have been applied on table `t`: UpdateItem was sent, then connection \
             error; it was not sent again because a second copy could apply it twice"
        );
        // A definite failure never says "maybe".
        let no = Error::service(400, "ConditionalCheckFailedException".into(), None, None);
        assert!(!no.may_have_been_applied() && !no.is_write_applied());
    }

    #[test]
    fn version_conflict_is_a_failed_condition() {
        let e = Error::version_conflict("the stored item's version differs").with_table(Some("a"));
        assert!(e.is_conditional_check_failed());
        assert_eq!(
            e.to_string(),
            "version conflict on table `a`: the stored item's version differs"
        );
    }

    #[test]
    fn conversion_display_names_struct_field_attribute_and_reason() {
        use crate::convert::{AttributePath, ConvertError};
        let path = AttributePath {
            item: "Message",
            field: "views",
            attribute: "Views",
        };
        let cause = ConvertError::type_mismatch(crate::ValueType::N, crate::ValueType::S).at(path);
        let e = Error::conversion(cause).with_table(Some("messages"));
        assert_eq!(e.kind(), ErrorKind::Conversion);
        assert_eq!(
            e.to_string(),
            "could not convert a value on table `messages`: Message.views (attribute \"Views\"): expected N, found S"
        );
    }

    #[test]
    fn display_names_code_status_and_table() {
        let e = Error::service(
            400,
            "ConditionalCheckFailedException".into(),
            Some("The conditional request failed".into()),
            Some("RID".into()),
        )
        .with_table(Some("users"));
        assert_eq!(
            e.to_string(),
            "conditional check failed: ConditionalCheckFailedException (HTTP 400) on table `users`: The conditional request failed"
        );
    }
}
