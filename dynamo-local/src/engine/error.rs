//! [`ApiError`]: a service error as the wire carries it (`__type` and `message`).

use serde::Serialize;

const DYNAMO: &str = "com.amazonaws.dynamodb.v20111205#";
const CORAL: &str = "com.amazon.coral.service#";
const VALIDATE: &str = "com.amazon.coral.validate#";

/// An error the service answers with: HTTP status, full `__type` and optional message.
///
/// # Example
/// ```
/// use dynamo_local::engine::ApiError;
/// let e = ApiError::validation("One or more parameter values were invalid: x");
/// assert_eq!(e.status, 400);
/// assert!(String::from_utf8(e.to_json()).unwrap_or_default().contains("ValidationException"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status: 400, 500 or 503.
    pub status: u16,
    /// Full `__type`, e.g. `com.amazon.coral.validate#ValidationException`.
    pub type_name: String,
    /// The message; `None` for errors the service sends without one.
    pub message: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "__type")]
    type_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

impl ApiError {
    fn new(status: u16, type_name: String, message: Option<String>) -> ApiError {
        ApiError {
            status,
            type_name,
            message,
        }
    }

    /// The JSON error body: `{"__type": ..., "message": ...}`.
    pub fn to_json(&self) -> Vec<u8> {
        let body = Body {
            type_name: &self.type_name,
            message: self.message.as_deref(),
        };
        serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())
    }

    /// The error name after `#`, e.g. `ValidationException`.
    pub fn name(&self) -> &str {
        self.type_name
            .rsplit_once('#')
            .map_or(self.type_name.as_str(), |(_, name)| name)
    }

    /// `ValidationException` with the given message.
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new(
            400,
            format!("{VALIDATE}ValidationException"),
            Some(message.into()),
        )
    }

    /// `ValidationException` with the `One or more parameter values were invalid: ` prefix.
    pub fn invalid_parameter(detail: impl std::fmt::Display) -> ApiError {
        ApiError::validation(format!(
            "One or more parameter values were invalid: {detail}"
        ))
    }

    /// A Coral protocol error (`com.amazon.coral.service#<name>`): the
    /// authentication errors and the protocol layer's own.
    pub(crate) fn coral(status: u16, name: &str, message: Option<String>) -> ApiError {
        ApiError::new(status, format!("{CORAL}{name}"), message)
    }

    /// `InternalFailure` (500): the request could not be processed at all.
    pub(crate) fn internal_failure() -> ApiError {
        ApiError::coral(
            500,
            "InternalFailure",
            Some("The request processing has failed".to_owned()),
        )
    }

    /// `SerializationException`, without message.
    pub fn serialization() -> ApiError {
        ApiError::new(400, format!("{CORAL}SerializationException"), None)
    }

    /// `SerializationException` with a message.
    pub fn serialization_message(message: impl Into<String>) -> ApiError {
        ApiError::new(
            400,
            format!("{CORAL}SerializationException"),
            Some(message.into()),
        )
    }

    /// `UnknownOperationException`, without message.
    pub fn unknown_operation() -> ApiError {
        ApiError::new(400, format!("{CORAL}UnknownOperationException"), None)
    }

    /// `ResourceNotFoundException` with the given message.
    pub fn resource_not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(
            400,
            format!("{DYNAMO}ResourceNotFoundException"),
            Some(message.into()),
        )
    }

    /// `ResourceNotFoundException` as the data plane words it.
    pub fn data_plane_not_found() -> ApiError {
        ApiError::resource_not_found("Requested resource not found")
    }

    /// `ResourceNotFoundException` as the control plane words it.
    pub fn table_not_found(table: &str) -> ApiError {
        ApiError::resource_not_found(format!(
            "Requested resource not found: Table: {table} not found"
        ))
    }

    /// `ResourceInUseException` with the given detail.
    pub fn resource_in_use(detail: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            400,
            format!("{DYNAMO}ResourceInUseException"),
            Some(format!(
                "Attempt to change a resource which is still in use: {detail}"
            )),
        )
    }

    /// `LimitExceededException` with the given message.
    pub fn limit_exceeded(message: impl Into<String>) -> ApiError {
        ApiError::new(
            400,
            format!("{DYNAMO}LimitExceededException"),
            Some(message.into()),
        )
    }

    /// `ConditionalCheckFailedException`.
    pub fn conditional_check_failed() -> ApiError {
        ApiError::new(
            400,
            format!("{DYNAMO}ConditionalCheckFailedException"),
            Some("The conditional request failed".to_owned()),
        )
    }

    /// `ProvisionedThroughputExceededException`.
    pub fn throughput_exceeded() -> ApiError {
        ApiError::new(
            400,
            format!("{DYNAMO}ProvisionedThroughputExceededException"),
            Some(
                "The level of configured provisioned throughput for the table was exceeded. \
                 Consider increasing your provisioning level with the UpdateTable API"
                    .to_owned(),
            ),
        )
    }

    /// `InternalServerError` (500).
    pub fn internal() -> ApiError {
        ApiError::new(
            500,
            format!("{DYNAMO}InternalServerError"),
            Some(
                "The server encountered an internal error trying to fulfill the request".to_owned(),
            ),
        )
    }

    /// `ServiceUnavailableException` (503).
    pub fn unavailable() -> ApiError {
        ApiError::new(
            503,
            format!("{CORAL}ServiceUnavailableException"),
            Some("The service is currently unavailable or busy.".to_owned()),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{} ({}): {m}", self.name(), self.status),
            None => write!(f, "{} ({})", self.name(), self.status),
        }
    }
}

impl std::error::Error for ApiError {}
