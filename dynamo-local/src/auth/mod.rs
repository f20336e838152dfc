//! Request authentication: SigV4 (`Authorization: AWS4-HMAC-SHA256 ...`) and
//! AWS3 (`X-Amzn-Authorization: AWS3 ...`), checked against a table of key pairs.
//!
//! By default the server accepts any credentials and never calls into this
//! module. With keys configured, [`Verifier::verify`] checks what AWS checks
//! (the signed headers, the date, the credential scope: [`checks`]) and then
//! the signature itself, mapping every failure to the Coral protocol error
//! the service returns (api_2011.md §1.3).

mod checks;

use std::collections::HashMap;
use std::time::SystemTime;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::{Digest, Sha256};

pub(crate) use checks::Scope;

use crate::engine::ApiError;

type HmacSha256 = Hmac<Sha256>;

const SIGV4_SCHEME: &str = "AWS4-HMAC-SHA256";
const AWS3_SCHEME: &str = "AWS3";
const AWS3_HEADER: &str = "x-amzn-authorization";
const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. \
     Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// Why a request was refused; each variant is one Coral error name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthError {
    /// No `Authorization` nor `X-Amzn-Authorization` header.
    Missing,
    /// The header is malformed or lacks a required part.
    Incomplete(String),
    /// The access key is not in the configured table.
    UnrecognizedClient,
    /// The signature does not match.
    InvalidSignature,
    /// The signature may match but does not cover what it must, is too old
    /// or too new, or is scoped elsewhere (an `InvalidSignatureException`
    /// with its own message).
    Refused(String),
}

impl AuthError {
    /// The `__type` suffix (after `com.amazon.coral.service#`).
    pub(crate) fn error_name(&self) -> &'static str {
        match self {
            AuthError::Missing => "MissingAuthenticationTokenException",
            AuthError::Incomplete(_) => "IncompleteSignatureException",
            AuthError::UnrecognizedClient => "UnrecognizedClientException",
            AuthError::InvalidSignature | AuthError::Refused(_) => "InvalidSignatureException",
        }
    }

    /// The service error that answers this refusal.
    pub(crate) fn to_api_error(&self) -> ApiError {
        ApiError::coral(400, self.error_name(), Some(self.message()))
    }

    /// The message the service sends with this error.
    pub(crate) fn message(&self) -> String {
        match self {
            AuthError::Missing => "Request is missing Authentication Token".to_owned(),
            AuthError::Incomplete(detail) | AuthError::Refused(detail) => detail.clone(),
            AuthError::UnrecognizedClient => {
                "The security token included in the request is invalid.".to_owned()
            }
            AuthError::InvalidSignature => MISMATCH.to_owned(),
        }
    }
}

/// The parts of a request a signature covers.
pub(crate) struct SignedRequest<'a> {
    /// HTTP method, e.g. `POST`.
    pub(crate) method: &'a str,
    /// Path as received, e.g. `/`.
    pub(crate) path: &'a str,
    /// Raw query string (empty when absent).
    pub(crate) query: &'a str,
    /// All request headers.
    pub(crate) headers: &'a HeaderMap,
    /// The exact body bytes.
    pub(crate) body: &'a [u8],
}

/// Checks request signatures against configured `access key -> secret` pairs.
#[derive(Clone)]
pub(crate) struct Verifier {
    secrets: HashMap<String, String>,
    scope: Scope,
}

/// Lists the access keys, never the secrets.
impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut keys: Vec<&str> = self.secrets.keys().map(String::as_str).collect();
        keys.sort_unstable();
        f.debug_struct("Verifier")
            .field("access_keys", &keys)
            .field("scope", &self.scope)
            .finish()
    }
}

impl Verifier {
    /// A verifier that knows these key pairs and accepts SigV4 scopes for
    /// `dynamodb` in `region` (any region when `None`).
    pub(crate) fn new(secrets: HashMap<String, String>, region: Option<String>) -> Verifier {
        Verifier {
            secrets,
            scope: Scope {
                service: checks::SERVICE,
                region,
            },
        }
    }

    /// Accepts the request if it carries a valid SigV4 or AWS3 signature by
    /// a known key, dated within 15 minutes of `now`.
    pub(crate) fn verify(
        &self,
        request: &SignedRequest<'_>,
        now: SystemTime,
    ) -> Result<(), AuthError> {
        if let Some(value) = header_str(request.headers, "authorization") {
            return self.verify_sigv4(request, value, now);
        }
        if let Some(value) = header_str(request.headers, AWS3_HEADER) {
            return self.verify_aws3(request, value, now);
        }
        Err(AuthError::Missing)
    }

    fn secret(&self, access_key: &str) -> Result<&str, AuthError> {
        self.secrets
            .get(access_key)
            .map(String::as_str)
            .ok_or(AuthError::UnrecognizedClient)
    }

    fn verify_sigv4(
        &self,
        request: &SignedRequest<'_>,
        header: &str,
        now: SystemTime,
    ) -> Result<(), AuthError> {
        let auth = SigV4Header::parse(header, request.headers)?;
        let secret = self.secret(&auth.access_key)?;
        checks::covers_required_headers(request.headers, &auth.signed_headers)?;
        checks::within_clock_skew(checks::parse_request_date(&auth.amz_date)?, now)?;
        checks::scope_matches(
            &auth.date,
            &auth.region,
            &auth.service,
            &auth.amz_date,
            &self.scope,
        )?;
        let canonical = sigv4_canonical_request(request, &auth.signed_headers);
        let string_to_sign = format!(
            "{SIGV4_SCHEME}\n{}\n{}\n{}",
            auth.amz_date,
            auth.scope(),
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let key = sigv4_signing_key(secret, &auth.date, &auth.region, &auth.service);
        let expected = hex::decode(&auth.signature).map_err(|_| AuthError::InvalidSignature)?;
        let mut mac = new_mac(&key);
        mac.update(string_to_sign.as_bytes());
        mac.verify_slice(&expected)
            .map_err(|_| AuthError::InvalidSignature)
    }

    fn verify_aws3(
        &self,
        request: &SignedRequest<'_>,
        header: &str,
        now: SystemTime,
    ) -> Result<(), AuthError> {
        let auth = Aws3Header::parse(header)?;
        let secret = self.secret(&auth.access_key)?;
        if let Some(signed) = &auth.signed_headers {
            checks::covers_required_headers(request.headers, signed)?;
        }
        let date = header_str(request.headers, "x-amz-date")
            .or_else(|| header_str(request.headers, "date"))
            .ok_or_else(|| {
                AuthError::Incomplete(
                    "AWS3 requires existence of either a 'X-Amz-Date' or a 'Date' header."
                        .to_owned(),
                )
            })?;
        checks::within_clock_skew(checks::parse_request_date(date)?, now)?;
        let expected = base64::engine::general_purpose::STANDARD
            .decode(auth.signature.as_bytes())
            .map_err(|_| AuthError::InvalidSignature)?;
        let digest = Sha256::digest(aws3_string_to_sign(request, auth.signed_headers.as_deref()));
        let mut mac = new_mac(secret.as_bytes());
        mac.update(&digest);
        mac.verify_slice(&expected)
            .map_err(|_| AuthError::InvalidSignature)
    }
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length, so this never fails.
    <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key"))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = new_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).map(|v| v.to_str().unwrap_or(""))
}

/// The fields of a SigV4 `Authorization` header plus the request date.
#[derive(Debug)]
struct SigV4Header {
    access_key: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
    amz_date: String,
}

impl SigV4Header {
    fn parse(header: &str, headers: &HeaderMap) -> Result<SigV4Header, AuthError> {
        let Some(params) = header.trim_start().strip_prefix(SIGV4_SCHEME) else {
            return Err(AuthError::Incomplete(format!(
                "Authorization header requires 'Credential' parameter. \
                 Authorization header requires 'Signature' parameter. \
                 Authorization header requires 'SignedHeaders' parameter. \
                 Authorization={header}"
            )));
        };
        let params = parse_params(params);
        let mut problems = Vec::new();
        for name in ["Credential", "Signature", "SignedHeaders"] {
            if !params.contains_key(name) {
                problems.push(format!("Authorization header requires '{name}' parameter."));
            }
        }
        let amz_date = header_str(headers, "x-amz-date").or_else(|| header_str(headers, "date"));
        if amz_date.is_none() {
            problems.push(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                    .to_owned(),
            );
        }
        if !problems.is_empty() {
            return Err(AuthError::Incomplete(format!(
                "{} Authorization={header}",
                problems.join(" ")
            )));
        }
        let credential = params.get("Credential").map(String::as_str).unwrap_or("");
        let scope: Vec<&str> = credential.split('/').collect();
        let [access_key, date, region, service, terminator] = scope.as_slice() else {
            return Err(AuthError::Incomplete(format!(
                "Credential should be scoped to a valid region, not ''. \
                 Credential should be of the form <key>/<date>/<region>/<service>/aws4_request. \
                 Credential={credential}"
            )));
        };
        if *terminator != "aws4_request" {
            return Err(AuthError::Incomplete(format!(
                "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
            )));
        }
        let signed_headers = params
            .get("SignedHeaders")
            .map(|list| {
                list.split(';')
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        Ok(SigV4Header {
            access_key: (*access_key).to_owned(),
            date: (*date).to_owned(),
            region: (*region).to_owned(),
            service: (*service).to_owned(),
            signed_headers,
            signature: params.get("Signature").cloned().unwrap_or_default(),
            amz_date: amz_date.unwrap_or_default().to_owned(),
        })
    }

    fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// The fields of an AWS3 `X-Amzn-Authorization` header.
#[derive(Debug)]
struct Aws3Header {
    access_key: String,
    signed_headers: Option<Vec<String>>,
    signature: String,
}

impl Aws3Header {
    fn parse(header: &str) -> Result<Aws3Header, AuthError> {
        let Some(params) = header.trim_start().strip_prefix(AWS3_SCHEME) else {
            return Err(AuthError::Incomplete(format!(
                "X-Amzn-Authorization header must use the AWS3 scheme. X-Amzn-Authorization={header}"
            )));
        };
        let params = parse_params(params);
        let mut problems = Vec::new();
        for name in ["AWSAccessKeyId", "Algorithm", "Signature"] {
            if !params.contains_key(name) {
                problems.push(format!("AWS3 header requires '{name}' parameter."));
            }
        }
        if !problems.is_empty() {
            return Err(AuthError::Incomplete(format!(
                "{} X-Amzn-Authorization={header}",
                problems.join(" ")
            )));
        }
        let algorithm = params.get("Algorithm").map(String::as_str).unwrap_or("");
        if algorithm != "HmacSHA256" {
            return Err(AuthError::Incomplete(format!(
                "Unsupported AWS3 algorithm '{algorithm}': only HmacSHA256 is accepted."
            )));
        }
        Ok(Aws3Header {
            access_key: params.get("AWSAccessKeyId").cloned().unwrap_or_default(),
            signed_headers: params.get("SignedHeaders").map(|list| {
                list.split(';')
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect()
            }),
            signature: params.get("Signature").cloned().unwrap_or_default(),
        })
    }
}

/// Splits `A=x, B=y,C=z` into a map (names are case-sensitive, values trimmed).
fn parse_params(params: &str) -> HashMap<String, String> {
    params
        .split(',')
        .filter_map(|part| part.trim().split_once('='))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// A header's value as signers canonicalize it: all values joined by `,`,
/// each trimmed with inner runs of spaces collapsed.
fn canonical_header_value(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(name)
        .iter()
        .map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The SigV4 canonical request over `signed` (lowercase header names, in the order the client listed).
fn sigv4_canonical_request(request: &SignedRequest<'_>, signed: &[String]) -> String {
    let headers: String = signed
        .iter()
        .map(|name| format!("{name}:{}\n", canonical_header_value(request.headers, name)))
        .collect();
    format!(
        "{}\n{}\n{}\n{headers}\n{}\n{}",
        request.method,
        request.path,
        canonical_query(request.query),
        signed.join(";"),
        hex::encode(Sha256::digest(request.body))
    )
}

/// Query parameters sorted by name then value, kept in their received encoding.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort_unstable();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// HMAC chain `"AWS4"+secret` → date → region → service → `aws4_request`.
fn sigv4_signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// AWS3 string to sign: `METHOD\nPATH\n\n<canonical headers>\n\n<body>`.
///
/// Canonical headers are the listed headers (or, when the client listed none,
/// `Host` and every `x-amz-*` header) as sorted `name:value` lines.
fn aws3_string_to_sign(request: &SignedRequest<'_>, signed: Option<&[String]>) -> Vec<u8> {
    let names: Vec<String> = match signed {
        Some(names) => names.to_vec(),
        None => request
            .headers
            .keys()
            .map(|k| k.as_str().to_owned())
            .filter(|k| k == "host" || k.starts_with("x-amz-"))
            .collect(),
    };
    let mut lines: Vec<String> = names
        .iter()
        .map(|name| format!("{name}:{}", canonical_header_value(request.headers, name)))
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let mut out = format!(
        "{}\n{}\n\n{}\n\n",
        request.method,
        request.path,
        lines.join("\n")
    )
    .into_bytes();
    out.extend_from_slice(request.body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("test header"));
        }
        map
    }

    /// A verifier for boto's capture, whose scope is `localhost/localhost`.
    fn verifier(key: &str, secret: &str) -> Verifier {
        let mut verifier =
            Verifier::new(HashMap::from([(key.to_owned(), secret.to_owned())]), None);
        verifier.scope.service = "localhost";
        verifier
    }

    /// The moment boto's capture was signed.
    fn capture_time() -> SystemTime {
        checks::parse_request_date("20261126T191840Z").expect("date")
    }

    fn post<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> SignedRequest<'a> {
        SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers,
            body,
        }
    }

    /// boto 2.49's ListTables from boto_wire_capture.txt, signed with secret `SECRET`
    /// (signature recomputed independently with Python's hmac/hashlib).
    fn boto_capture(signature: &str) -> HeaderMap {
        headers(&[
            ("accept-encoding", "identity"),
            ("x-amz-target", "DynamoDB_20111205.ListTables"),
            ("host", "localhost"),
            ("content-type", "application/x-amz-json-1.0"),
            ("content-length", "2"),
            ("x-amz-date", "20261126T191840Z"),
            (
                "authorization",
                &format!(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/localhost/localhost/aws4_request,\
                     SignedHeaders=host;x-amz-date;x-amz-target,Signature={signature}"
                ),
            ),
        ])
    }

    const BOTO_SIGNATURE: &str = "58bf617f0d48c87887c4d2bffbd266ec5784e67df323229ac5f9a1e42341af09";

    #[test]
    fn sigv4_accepts_boto_capture() {
        let h = boto_capture(BOTO_SIGNATURE);
        assert_eq!(
            verifier("AKIDEXAMPLE", "SECRET").verify(&post(&h, b"{}"), capture_time()),
            Ok(())
        );
    }

    #[test]
    fn sigv4_rejects_wrong_secret_body_or_signature() {
        let h = boto_capture(BOTO_SIGNATURE);
        let wrong_secret =
            verifier("AKIDEXAMPLE", "SECRET2").verify(&post(&h, b"{}"), capture_time());
        assert_eq!(wrong_secret, Err(AuthError::InvalidSignature));
        let wrong_body =
            verifier("AKIDEXAMPLE", "SECRET").verify(&post(&h, b"{ }"), capture_time());
        assert_eq!(wrong_body, Err(AuthError::InvalidSignature));
        let h = boto_capture("zz");
        let not_hex = verifier("AKIDEXAMPLE", "SECRET").verify(&post(&h, b"{}"), capture_time());
        assert_eq!(not_hex, Err(AuthError::InvalidSignature));
    }

    #[test]
    fn sigv4_unknown_key_is_unrecognized() {
        let h = boto_capture(BOTO_SIGNATURE);
        let result = verifier("OTHER", "SECRET").verify(&post(&h, b"{}"), capture_time());
        assert_eq!(result, Err(AuthError::UnrecognizedClient));
    }

    /// The `get-vanilla` and `post-vanilla` cases of AWS's SigV4 test suite.
    #[test]
    fn sigv4_matches_aws_test_suite() {
        let mut v = verifier("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        v.scope.service = "service";
        let signed_at = checks::parse_request_date("20150830T123600Z").expect("date");
        for (method, signature) in [
            (
                "GET",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
            (
                "POST",
                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            ),
        ] {
            let h = headers(&[
                ("host", "example.amazonaws.com"),
                ("x-amz-date", "20150830T123600Z"),
                (
                    "authorization",
                    &format!(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                         SignedHeaders=host;x-amz-date, Signature={signature}"
                    ),
                ),
            ]);
            let request = SignedRequest {
                method,
                path: "/",
                query: "",
                headers: &h,
                body: b"",
            };
            assert_eq!(v.verify(&request, signed_at), Ok(()), "{method}");
        }
    }

    #[test]
    fn sigv4_missing_parts_are_incomplete() {
        let h = headers(&[("authorization", "AWS4-HMAC-SHA256 Signature=abc")]);
        let Err(AuthError::Incomplete(message)) =
            verifier("A", "S").verify(&post(&h, b"{}"), capture_time())
        else {
            panic!("expected IncompleteSignature");
        };
        assert!(message.starts_with("Authorization header requires 'Credential' parameter."));
        assert!(message.contains("'X-Amz-Date' or a 'Date' header"));

        let h = headers(&[
            ("x-amz-date", "20261126T191840Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=A/x,SignedHeaders=host,Signature=ab",
            ),
        ]);
        let result = verifier("A", "S").verify(&post(&h, b"{}"), capture_time());
        assert!(
            matches!(result, Err(AuthError::Incomplete(_))),
            "{result:?}"
        );

        let h = headers(&[("authorization", "Basic dXNlcjpwYXNz")]);
        let result = verifier("A", "S").verify(&post(&h, b"{}"), capture_time());
        assert!(
            matches!(result, Err(AuthError::Incomplete(_))),
            "{result:?}"
        );
    }

    #[test]
    fn no_header_is_missing_token() {
        let h = headers(&[("host", "localhost")]);
        assert_eq!(
            verifier("A", "S").verify(&post(&h, b"{}"), capture_time()),
            Err(AuthError::Missing)
        );
    }

    /// AWS3 signature computed independently with Python:
    /// `base64(hmac_sha256(b"SECRET", sha256(sts)))` where
    /// `sts = "POST\n/\n\nhost:localhost\nx-amz-date:Thu, 26 Nov 2026 19:18:40 GMT\nx-amz-target:DynamoDB_20111205.ListTables\n\n{}"`.
    #[test]
    fn aws3_accepts_good_and_rejects_bad_signature() {
        let make = |signature: &str| {
            headers(&[
                ("host", "localhost"),
                ("x-amz-date", "Thu, 26 Nov 2026 19:18:40 GMT"),
                ("x-amz-target", "DynamoDB_20111205.ListTables"),
                (
                    "x-amzn-authorization",
                    &format!(
                        "AWS3 AWSAccessKeyId=AKID,Algorithm=HmacSHA256,\
                         SignedHeaders=Host;X-Amz-Date;X-Amz-Target,Signature={signature}"
                    ),
                ),
            ])
        };
        let v = verifier("AKID", "SECRET");
        let good = make(AWS3_SIGNATURE);
        assert_eq!(v.verify(&post(&good, b"{}"), capture_time()), Ok(()));
        assert_eq!(
            v.verify(&post(&good, b"{\"Limit\":1}"), capture_time()),
            Err(AuthError::InvalidSignature)
        );
        let bad = make("AAAA");
        assert_eq!(
            v.verify(&post(&bad, b"{}"), capture_time()),
            Err(AuthError::InvalidSignature)
        );
        assert_eq!(
            verifier("X", "SECRET").verify(&post(&good, b"{}"), capture_time()),
            Err(AuthError::UnrecognizedClient)
        );
    }

    const AWS3_SIGNATURE: &str = "zw3j8PqdUI2cGOpCJb5LGrL0g0OYCib+IwFFteoezkc=";

    #[test]
    fn aws3_missing_parts_are_incomplete() {
        let h = headers(&[("x-amzn-authorization", "AWS3 AWSAccessKeyId=AKID")]);
        let result = verifier("AKID", "S").verify(&post(&h, b"{}"), capture_time());
        assert!(
            matches!(result, Err(AuthError::Incomplete(_))),
            "{result:?}"
        );
        let h = headers(&[(
            "x-amzn-authorization",
            "AWS3 AWSAccessKeyId=AKID,Algorithm=HmacSHA1,Signature=abc=",
        )]);
        let result = verifier("AKID", "S").verify(&post(&h, b"{}"), capture_time());
        assert!(
            matches!(result, Err(AuthError::Incomplete(_))),
            "{result:?}"
        );
    }

    #[test]
    fn error_names_and_messages_follow_the_service() {
        assert_eq!(
            AuthError::Missing.message(),
            "Request is missing Authentication Token"
        );
        assert_eq!(
            AuthError::InvalidSignature.error_name(),
            "InvalidSignatureException"
        );
        assert!(
            AuthError::InvalidSignature
                .message()
                .starts_with("The request signature we calculated")
        );
        assert_eq!(
            AuthError::UnrecognizedClient.message(),
            "The security token included in the request is invalid."
        );
    }
}
