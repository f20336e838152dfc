//! EC2 instance metadata, IMDSv2: a session token first (`PUT
//! /latest/api/token`), then every read carries it. Gives the instance
//! role's credentials and the instance's region.
//!
//! The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the profile's
//! `ec2_metadata_service_endpoint`), else `http://169.254.169.254`, or
//! `http://[fd00:ec2::254]` with `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`.
//! `AWS_EC2_METADATA_DISABLED=true` turns it off.

use http::Method;

use super::credentials::{Credentials, ServedCredentials};
use super::fetch::Fetcher;
use crate::error::Error;

const TOKEN_TTL_SECONDS: &str = "21600";
#[cfg_attr(feature = "aws-config", allow(dead_code))]
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const REGION_PATH: &str = "/latest/meta-data/placement/region";

/// Where the metadata service is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Imds {
    base: String,
}

impl Imds {
    /// The service at `endpoint`, else at the address `mode` (`IPv4`, `IPv6`) names.
    pub(crate) fn new(endpoint: Option<&str>, mode: Option<&str>) -> Result<Imds, Error> {
        let base = match (endpoint, mode) {
            (Some(endpoint), _) => endpoint.trim_end_matches('/').to_owned(),
            (None, None) => "http://169.254.169.254".to_owned(),
            (None, Some(mode)) if mode.eq_ignore_ascii_case("ipv4") => {
                "http://169.254.169.254".to_owned()
            }
            (None, Some(mode)) if mode.eq_ignore_ascii_case("ipv6") => {
                "http://[fd00:ec2::254]".to_owned()
            }
            (None, Some(mode)) => {
                return Err(Error::config(format!(
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE `{mode}` is neither IPv4 nor IPv6"
                )));
            }
        };
        Ok(Imds { base })
    }

    /// The base URL, for messages.
    #[cfg_attr(feature = "aws-config", allow(dead_code))]
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// A session token.
    async fn token(&self, fetcher: &Fetcher, what: &str) -> Result<String, Error> {
        let url = format!("{}/latest/api/token", self.base);
        let headers = [("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)];
        let answer = fetcher.send(Method::PUT, &url, &headers, what).await?;
        if answer.status != 200 {
            return Err(Error::credentials(format!(
                "{what}: the token request to {url} answered HTTP {}",
                answer.status
            )));
        }
        text(&answer.body, what)
    }

    /// Reads `path` with `token`.
    async fn get(
        &self,
        fetcher: &Fetcher,
        token: &str,
        path: &str,
        what: &str,
    ) -> Result<bytes::Bytes, Error> {
        let url = format!("{}{path}", self.base);
        let headers = [("x-aws-ec2-metadata-token", token)];
        let answer = fetcher.send(Method::GET, &url, &headers, what).await?;
        match answer.status {
            200 => Ok(answer.body),
            404 => Err(Error::credentials(format!(
                "{what}: {url} does not exist (no instance role attached?)"
            ))),
            status => Err(Error::credentials(format!(
                "{what}: {url} answered HTTP {status}"
            ))),
        }
    }

    /// The instance role's credentials.
    #[cfg_attr(feature = "aws-config", allow(dead_code))]
    pub(crate) async fn credentials(&self, fetcher: &Fetcher) -> Result<Credentials, Error> {
        let what = "instance metadata credentials";
        let token = self.token(fetcher, what).await?;
        let roles = self.get(fetcher, &token, CREDENTIALS_PATH, what).await?;
        let roles = text(&roles, what)?;
        let role = roles
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .ok_or_else(|| Error::credentials(format!("{what}: no instance role is attached")))?
            .to_owned();
        let path = format!("{CREDENTIALS_PATH}{role}");
        let body = self.get(fetcher, &token, &path, what).await?;
        ServedCredentials::parse(&body, what)
    }

    /// The instance's region.
    pub(crate) async fn region(&self, fetcher: &Fetcher) -> Result<String, Error> {
        let what = "instance metadata region";
        let token = self.token(fetcher, what).await?;
        let body = self.get(fetcher, &token, REGION_PATH, what).await?;
        text(&body, what)
    }
}

fn text(body: &[u8], what: &str) -> Result<String, Error> {
    let text = std::str::from_utf8(body)
        .map_err(|e| Error::credentials(format!("{what}: the answer is not text")).with_source(e))?
        .trim();
    if text.is_empty() {
        return Err(Error::credentials(format!("{what}: the answer is empty")));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_and_mode() {
        let base = |e, m| Imds::new(e, m).map(|i| i.base);
        assert_eq!(
            base(None, None).ok().as_deref(),
            Some("http://169.254.169.254")
        );
        assert_eq!(
            base(None, Some("IPv6")).ok().as_deref(),
            Some("http://[fd00:ec2::254]")
        );
        assert_eq!(
            base(Some("http://127.0.0.1:9/"), Some("IPv6"))
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert!(base(None, Some("ipx")).is_err());
    }
}
