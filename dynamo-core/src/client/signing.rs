//! AWS Signature Version 4 for DynamoDB's JSON protocol.
//!
//! Every request is `POST /` with no query string, so the canonical request
//! is built directly from the four signed headers (`host`, `x-amz-date`,
//! `x-amz-security-token` when a token is set, `x-amz-target`) and the hash of
//! the body. The derived signing key depends only on the secret, the date and
//! the region, so it is computed once per UTC day with `aws-sigv4`'s
//! `generate_signing_key` and cached; each request then costs two SHA-256
//! hashes and one HMAC.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
use bytes::Bytes;
use http::HeaderValue;
use sha2::{Digest, Sha256};

use super::credentials::Credentials;
use crate::error::Error;

const SERVICE: &str = "dynamodb";
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Credentials prepared for signing, with the cached signing key.
pub(crate) struct SigningCredentials {
    pub(crate) credentials: Credentials,
    token: Option<HeaderValue>,
    /// `(YYYYMMDD, key)` of the last derived signing key.
    key: Mutex<Option<([u8; 8], [u8; 32])>>,
}

impl SigningCredentials {
    /// Prepares `credentials`; fails when the token cannot be a header value.
    pub(crate) fn new(credentials: Credentials) -> Result<SigningCredentials, Error> {
        let token = match credentials.session_token() {
            Some(t) => Some(HeaderValue::from_str(t).map_err(|_| {
                Error::credentials("the session token contains characters not allowed in a header")
            })?),
            None => None,
        };
        Ok(SigningCredentials {
            credentials,
            token,
            key: Mutex::new(None),
        })
    }

    /// True when the credentials expire within `margin` of `now`.
    pub(crate) fn expires_within(&self, now: SystemTime, margin: Duration) -> bool {
        self.credentials
            .expiry()
            .is_some_and(|expiry| expiry <= now + margin)
    }

    /// The signing key for `date` (YYYYMMDD), derived at most once a day.
    fn signing_key(&self, date: &[u8; 8], now: SystemTime, region: &str) -> [u8; 32] {
        let mut cached = self
            .key
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((day, key)) = *cached
            && &day == date
        {
            return key;
        }
        let derived =
            generate_signing_key(self.credentials.secret_access_key(), now, region, SERVICE);
        let mut key = [0u8; 32];
        key.copy_from_slice(derived.as_ref());
        *cached = Some((*date, key));
        key
    }
}

/// The headers that carry a signature.
#[derive(Debug)]
pub(crate) struct Signature {
    pub(crate) amz_date: HeaderValue,
    pub(crate) authorization: HeaderValue,
    pub(crate) security_token: Option<HeaderValue>,
}

/// Hex SHA-256 of the request body, computed once per call.
pub(crate) fn payload_hash(body: &[u8]) -> [u8; 64] {
    hex_sha256(body)
}

/// Signs one attempt of a request.
pub(crate) fn sign(
    creds: &SigningCredentials,
    region: &str,
    host: &HeaderValue,
    target: &str,
    payload_hash: &[u8; 64],
    now: SystemTime,
) -> Result<Signature, Error> {
    let host = host
        .to_str()
        .map_err(|_| Error::config("the endpoint host is not ASCII"))?;
    let amz_date = format_amz_date(now);
    let date: &[u8; 8] = amz_date.as_bytes()[..8]
        .try_into()
        .map_err(|_| Error::config("clock out of range"))?;
    let token = creds.credentials.session_token();
    let signed_headers = if token.is_some() {
        "host;x-amz-date;x-amz-security-token;x-amz-target"
    } else {
        "host;x-amz-date;x-amz-target"
    };

    let mut canonical = String::with_capacity(256 + token.map_or(0, str::len));
    canonical.push_str("POST\n/\n\nhost:");
    canonical.push_str(host);
    canonical.push_str("\nx-amz-date:");
    canonical.push_str(&amz_date);
    if let Some(token) = token {
        canonical.push_str("\nx-amz-security-token:");
        canonical.push_str(token.trim());
    }
    canonical.push_str("\nx-amz-target:");
    canonical.push_str(target);
    canonical.push_str("\n\n");
    canonical.push_str(signed_headers);
    canonical.push('\n');
    canonical.push_str(hex_str(payload_hash));

    let date_str = &amz_date[..8];
    let mut string_to_sign = String::with_capacity(160);
    let _ = write!(
        string_to_sign,
        "{ALGORITHM}\n{amz_date}\n{date_str}/{region}/{SERVICE}/aws4_request\n{}",
        hex_str(&hex_sha256(canonical.as_bytes()))
    );
    let key = creds.signing_key(date, now, region);
    let signature = calculate_signature(key, string_to_sign.as_bytes());

    let mut authorization = String::with_capacity(200);
    let _ = write!(
        authorization,
        "{ALGORITHM} Credential={}/{date_str}/{region}/{SERVICE}/aws4_request, SignedHeaders={signed_headers}, Signature={signature}",
        creds.credentials.access_key_id()
    );
    let authorization =
        HeaderValue::from_maybe_shared(Bytes::from(authorization)).map_err(|_| {
            Error::credentials("the access key id contains characters not allowed in a header")
        })?;
    Ok(Signature {
        amz_date: HeaderValue::from_maybe_shared(Bytes::from(amz_date))
            .map_err(|_| Error::config("clock out of range"))?,
        authorization,
        security_token: creds.token.clone(),
    })
}

fn hex_sha256(data: &[u8]) -> [u8; 64] {
    let digest = Sha256::digest(data);
    let mut out = [0u8; 64];
    // The output is exactly twice the digest length, so this cannot fail.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

fn hex_str(hex: &[u8; 64]) -> &str {
    // Hex digits are ASCII.
    std::str::from_utf8(hex).unwrap_or_default()
}

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
pub(crate) fn format_amz_date(now: SystemTime) -> String {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(format_amz_date(at(0)), "19700101T000000Z");
        assert_eq!(format_amz_date(at(951_782_400)), "20000229T000000Z");
        assert_eq!(format_amz_date(at(1_795_806_245)), "20261127T190405Z");
    }

    #[test]
    fn key_is_cached_per_day() -> Result<(), Error> {
        let creds = SigningCredentials::new(Credentials::new("AKID", "secret", None))?;
        let host = HeaderValue::from_static("localhost");
        let hash = payload_hash(b"{}");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_806_245);
        let a = sign(
            &creds,
            "us-east-1",
            &host,
            "DynamoDB_20111205.ListTables",
            &hash,
            t,
        )?;
        let b = sign(
            &creds,
            "us-east-1",
            &host,
            "DynamoDB_20111205.ListTables",
            &hash,
            t,
        )?;
        assert_eq!(a.authorization, b.authorization);
        let next_day = t + Duration::from_secs(86_400);
        let c = sign(
            &creds,
            "us-east-1",
            &host,
            "DynamoDB_20111205.ListTables",
            &hash,
            next_day,
        )?;
        assert_ne!(a.authorization, c.authorization);
        let uncached = generate_signing_key("secret", next_day, "us-east-1", SERVICE);
        let cached = creds.key.lock().map(|k| k.map(|(_, k)| k)).unwrap_or(None);
        assert_eq!(cached.as_ref().map(|k| &k[..]), Some(uncached.as_ref()));
        Ok(())
    }
}
