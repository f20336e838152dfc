//! The checks AWS makes around a signature before its bytes are compared:
//! which headers it must cover, how old its date may be, and what its
//! credential scope must say. Each refusal is an `InvalidSignatureException`
//! (or `IncompleteSignatureException` for an unreadable date) worded as the
//! service words it.

use std::time::{Duration, SystemTime};

use http::HeaderMap;
use time::OffsetDateTime;
use time::macros::format_description;

use super::AuthError;

/// How far a request's date may be from the server's clock, either way.
pub(crate) const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
/// The service name a SigV4 credential scope must carry.
pub(crate) const SERVICE: &str = "dynamodb";

/// Refuses a signature whose `signed` header list (lowercase names) leaves
/// out `host` or any `x-amz-*` header the request carries: an unsigned
/// header could be changed in flight (e.g. `X-Amz-Target`, turning a signed
/// GetItem into a DeleteItem).
pub(crate) fn covers_required_headers(
    headers: &HeaderMap,
    signed: &[String],
) -> Result<(), AuthError> {
    let is_signed = |name: &str| signed.iter().any(|s| s == name);
    if !is_signed("host") {
        return Err(AuthError::Refused(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".to_owned(),
        ));
    }
    let mut unsigned: Vec<&str> = headers
        .keys()
        .map(|name| name.as_str())
        .filter(|name| name.starts_with("x-amz-") && !is_signed(name))
        .collect();
    unsigned.sort_unstable();
    match unsigned.first() {
        None => Ok(()),
        Some(name) => Err(AuthError::Refused(format!(
            "'{}' must be a 'SignedHeader' in the AWS Authorization.",
            display_name(name)
        ))),
    }
}

/// `x-amz-target` → `X-Amz-Target`, as the service quotes header names.
fn display_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Parses a request date: ISO 8601 basic (`20261126T191840Z`, SigV4's
/// `X-Amz-Date`) or an HTTP date (`Thu, 26 Nov 2026 19:18:40 GMT`, AWS3 and
/// the `Date` header).
pub(crate) fn parse_request_date(text: &str) -> Result<SystemTime, AuthError> {
    let basic = format_description!("[year][month][day]T[hour][minute][second]Z");
    if let Ok(parsed) = time::PrimitiveDateTime::parse(text, basic) {
        return Ok(parsed.assume_utc().into());
    }
    httpdate::parse_http_date(text).map_err(|_| {
        AuthError::Incomplete(format!(
            "Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z') or an HTTP date. Got '{text}'."
        ))
    })
}

/// Refuses a request dated more than [`MAX_SKEW`] from `now`.
pub(crate) fn within_clock_skew(date: SystemTime, now: SystemTime) -> Result<(), AuthError> {
    if date + MAX_SKEW < now {
        return Err(AuthError::Refused(format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            basic(date),
            basic(now - MAX_SKEW),
            basic(now)
        )));
    }
    if date > now + MAX_SKEW {
        return Err(AuthError::Refused(format!(
            "Signature not yet current: {} is still later than {} ({} + 15 min.)",
            basic(date),
            basic(now + MAX_SKEW),
            basic(now)
        )));
    }
    Ok(())
}

/// Refuses a SigV4 scope whose date is not the request's day, whose service
/// is not `dynamodb`, or whose region is not the server's (when it has one).
pub(crate) fn scope_matches(
    scope_date: &str,
    region: &str,
    service: &str,
    amz_date: &str,
    expected: &Scope,
) -> Result<(), AuthError> {
    let day = amz_date.get(..8).unwrap_or(amz_date);
    if scope_date != day {
        return Err(AuthError::Refused(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{day}', from '{amz_date}'."
        )));
    }
    if service != expected.service {
        return Err(AuthError::Refused(format!(
            "Credential should be scoped to correct service: '{}'. ",
            expected.service
        )));
    }
    if expected.region.as_deref().is_some_and(|r| r != region) || region.is_empty() {
        return Err(AuthError::Refused(format!(
            "Credential should be scoped to a valid region, not '{region}'. "
        )));
    }
    Ok(())
}

/// What a credential scope must name.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// `dynamodb` (another name only in unit tests of the signing math).
    pub(crate) service: &'static str,
    /// The server's region; `None` accepts any.
    pub(crate) region: Option<String>,
}

/// `YYYYMMDDTHHMMSSZ` for messages.
fn basic(at: SystemTime) -> String {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    OffsetDateTime::from(at)
        .format(format)
        .unwrap_or_else(|_| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn at(text: &str) -> SystemTime {
        parse_request_date(text).expect("test date")
    }

    #[test]
    fn dates_parse_in_both_formats() {
        assert_eq!(at("20261126T191840Z"), at("Thu, 26 Nov 2026 19:18:40 GMT"));
        assert!(matches!(
            parse_request_date("2026-11-26"),
            Err(AuthError::Incomplete(_))
        ));
    }

    #[test]
    fn skew_of_15_minutes_either_way_is_the_limit() {
        let now = at("20261126T120000Z");
        assert_eq!(within_clock_skew(at("20261126T114500Z"), now), Ok(()));
        assert_eq!(within_clock_skew(at("20261126T121500Z"), now), Ok(()));
        assert_eq!(
            within_clock_skew(at("20261126T114459Z"), now),
            Err(AuthError::Refused(
                "Signature expired: 20261126T114459Z is now earlier than 20261126T114500Z \
                 (20261126T120000Z - 15 min.)"
                    .to_owned()
            ))
        );
        let ahead = within_clock_skew(at("20261127T120000Z"), now);
        assert!(
            matches!(&ahead, Err(AuthError::Refused(m)) if m.starts_with("Signature not yet current: 20261127T120000Z")),
            "{ahead:?}"
        );
    }

    #[test]
    fn host_and_every_amz_header_must_be_signed() {
        let mut headers = HeaderMap::new();
        for name in ["host", "x-amz-date", "x-amz-target", "content-type"] {
            headers.insert(name, HeaderValue::from_static("v"));
        }
        let list = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            covers_required_headers(&headers, &list(&["host", "x-amz-date", "x-amz-target"])),
            Ok(())
        );
        let Err(AuthError::Refused(no_host)) =
            covers_required_headers(&headers, &list(&["x-amz-date", "x-amz-target"]))
        else {
            panic!("host is required")
        };
        assert!(no_host.starts_with("'Host' or ':authority'"), "{no_host}");
        assert_eq!(
            covers_required_headers(&headers, &list(&["host", "x-amz-date"])),
            Err(AuthError::Refused(
                "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.".to_owned()
            ))
        );
        headers.insert("x-amz-security-token", HeaderValue::from_static("t"));
        let result =
            covers_required_headers(&headers, &list(&["host", "x-amz-date", "x-amz-target"]));
        assert!(
            matches!(&result, Err(AuthError::Refused(m)) if m.contains("'X-Amz-Security-Token'")),
            "{result:?}"
        );
    }

    #[test]
    fn scope_names_the_day_the_service_and_the_region() {
        let expected = Scope {
            service: SERVICE,
            region: Some("us-east-1".to_owned()),
        };
        let check = |date, region, service| {
            scope_matches(date, region, service, "20261126T191840Z", &expected)
        };
        assert_eq!(check("20261126", "us-east-1", "dynamodb"), Ok(()));
        let refused = |result: Result<(), AuthError>| match result {
            Err(AuthError::Refused(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert!(
            refused(check("20261125", "us-east-1", "dynamodb"))
                .contains("'20261125' != '20261126'")
        );
        assert_eq!(
            refused(check("20261126", "us-east-1", "s3")),
            "Credential should be scoped to correct service: 'dynamodb'. "
        );
        assert_eq!(
            refused(check("20261126", "eu-west-1", "dynamodb")),
            "Credential should be scoped to a valid region, not 'eu-west-1'. "
        );
        let any_region = Scope {
            service: SERVICE,
            region: None,
        };
        assert_eq!(
            scope_matches(
                "20261126",
                "eu-west-1",
                "dynamodb",
                "20261126T191840Z",
                &any_region
            ),
            Ok(())
        );
    }

    #[test]
    fn header_names_are_shown_in_their_canonical_case() {
        assert_eq!(display_name("x-amz-security-token"), "X-Amz-Security-Token");
    }
}
