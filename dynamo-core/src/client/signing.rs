//! AWS Signature Version 4 for DynamoDB's JSON protocol.
//!
//! Every request is `POST /` with no query string, so the canonical request
//! is built directly from the four signed headers (`host`, `x-amz-date`,
//! `x-amz-security-token` when a token is set, `x-amz-target`) and the hash of
//! the body. The derived signing key depends only on the secret, the date and
//! the region, so it is computed once per UTC day with `aws-sigv4`'s
//! `generate_signing_key` and cached; each request then costs two SHA-256
//! hashes and one HMAC.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::sign::v4::generate_signing_key;
use bytes::Bytes;
use hmac::{Hmac, Mac};
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
///
/// Runs on every attempt, so it builds no intermediate strings: the
/// canonical request goes straight into its SHA-256 and the string to sign
/// straight into the HMAC; only the two header values are allocated, each
/// once and at its exact length.
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
    let amz_date = amz_date(now);
    let date: &[u8; 8] = amz_date[..8]
        .try_into()
        .map_err(|_| Error::config("clock out of range"))?;
    let token = creds.credentials.session_token();
    let signed_headers = if token.is_some() {
        "host;x-amz-date;x-amz-security-token;x-amz-target"
    } else {
        "host;x-amz-date;x-amz-target"
    };

    let mut canonical = Sha256::new();
    canonical.update("POST\n/\n\nhost:");
    canonical.update(host);
    canonical.update("\nx-amz-date:");
    canonical.update(amz_date);
    if let Some(token) = token {
        canonical.update("\nx-amz-security-token:");
        canonical.update(token.trim());
    }
    canonical.update("\nx-amz-target:");
    canonical.update(target);
    canonical.update("\n\n");
    canonical.update(signed_headers);
    canonical.update("\n");
    canonical.update(payload_hash);
    let canonical_hash = to_hex(&canonical.finalize().into());

    let key = creds.signing_key(date, now, region);
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)
        .map_err(|_| Error::credentials("the signing key has an invalid length"))?;
    let string_to_sign: [&[u8]; 11] = [
        ALGORITHM.as_bytes(),
        b"\n",
        &amz_date,
        b"\n",
        date,
        b"/",
        region.as_bytes(),
        b"/",
        SERVICE.as_bytes(),
        b"/aws4_request\n",
        &canonical_hash,
    ];
    for part in string_to_sign {
        mac.update(part);
    }
    let signature = to_hex(&mac.finalize().into_bytes().into());

    let parts: [&[u8]; 13] = [
        ALGORITHM.as_bytes(),
        b" Credential=",
        creds.credentials.access_key_id().as_bytes(),
        b"/",
        date,
        b"/",
        region.as_bytes(),
        b"/",
        SERVICE.as_bytes(),
        b"/aws4_request, SignedHeaders=",
        signed_headers.as_bytes(),
        b", Signature=",
        &signature,
    ];
    // Exactly sized, so `Bytes` takes the buffer over without another
    // allocation.
    let mut authorization = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        authorization.extend_from_slice(part);
    }
    let authorization =
        HeaderValue::from_maybe_shared(Bytes::from(authorization)).map_err(|_| {
            Error::credentials("the access key id contains characters not allowed in a header")
        })?;
    Ok(Signature {
        amz_date: HeaderValue::from_bytes(&amz_date)
            .map_err(|_| Error::config("clock out of range"))?,
        authorization,
        security_token: creds.token.clone(),
    })
}

fn hex_sha256(data: &[u8]) -> [u8; 64] {
    to_hex(&Sha256::digest(data).into())
}

/// Lowercase hex of a SHA-256 digest or HMAC.
fn to_hex(digest: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (pair, byte) in out.chunks_exact_mut(2).zip(digest) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0xf)];
    }
    out
}

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC, as a string (what the tests compare).
#[cfg(test)]
fn format_amz_date(now: SystemTime) -> String {
    String::from_utf8_lossy(&amz_date(now)).into_owned()
}

/// `YYYYMMDD'T'HHMMSS'Z'` in UTC, written digit by digit: this runs on every
/// attempt, where `format!` was a measurable share of the signing cost.
fn amz_date(now: SystemTime) -> [u8; 16] {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let mut out = *b"00000000T000000Z";
    // Years past 9999 keep their last four digits, as `{:04}` would not;
    // a clock that far out is rejected by the service either way.
    let fields = [
        (0, 4, u64::try_from(y).unwrap_or(0)),
        (4, 2, u64::from(m)),
        (6, 2, u64::from(d)),
        (9, 2, rem / 3600),
        (11, 2, (rem / 60) % 60),
        (13, 2, rem % 60),
    ];
    for (at, width, mut value) in fields {
        for digit in out[at..at + width].iter_mut().rev() {
            *digit = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    out
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
