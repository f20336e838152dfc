//! Where requests go: a region's endpoint, or a URL given explicitly.

use http::HeaderValue;
use url::Url;

use crate::error::Error;

/// The DynamoDB endpoint of `region`, by partition: `amazonaws.com.cn` for
/// the China regions (`cn-*`), `amazonaws.com` for the commercial and
/// GovCloud (`us-gov-*`) regions, and the isolated partitions' own domains.
///
/// Returns `None` when `region` is not a well-formed region name.
///
/// # Example
/// ```
/// use dynamo_core::client::region_endpoint;
/// assert_eq!(
///     region_endpoint("cn-north-1").as_deref(),
///     Some("https://dynamodb.cn-north-1.amazonaws.com.cn")
/// );
/// ```
pub fn region_endpoint(region: &str) -> Option<String> {
    let well_formed = !region.is_empty()
        && !region.starts_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        return None;
    }
    Some(format!("https://dynamodb.{region}.{}", dns_suffix(region)))
}

/// The domain of the partition `region` belongs to.
fn dns_suffix(region: &str) -> &'static str {
    const PARTITIONS: [(&str, &str); 5] = [
        ("cn-", "amazonaws.com.cn"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("us-iso-", "c2s.ic.gov"),
        ("us-isof-", "csp.hci.ic.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
    ];
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("amazonaws.com", |&(_, suffix)| suffix)
}

/// A parsed endpoint: the URL to post to and the `Host` header to sign.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: Url,
    pub(crate) host: HeaderValue,
}

impl Endpoint {
    /// Parses an `http` or `https` URL with no path, query or fragment.
    pub(crate) fn parse(raw: &str) -> Result<Endpoint, Error> {
        let bad = |why: &str| Error::config(format!("endpoint URL `{raw}` {why}"));
        let url = Url::parse(raw).map_err(|e| bad("is not a valid URL").with_source(e))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("must use http or https"));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not have a path, query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("must not carry user information"));
        }
        let host = url.host_str().ok_or_else(|| bad("has no host"))?;
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let host =
            HeaderValue::from_str(&host).map_err(|e| bad("has a bad host").with_source(e))?;
        Ok(Endpoint { url, host })
    }

    /// The endpoint as text.
    pub(crate) fn as_str(&self) -> &str {
        self.url.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions() {
        let ep = |r| region_endpoint(r).unwrap_or_default();
        assert_eq!(ep("us-east-1"), "https://dynamodb.us-east-1.amazonaws.com");
        assert_eq!(
            ep("cn-northwest-1"),
            "https://dynamodb.cn-northwest-1.amazonaws.com.cn"
        );
        assert_eq!(
            ep("us-gov-west-1"),
            "https://dynamodb.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            ep("us-iso-east-1"),
            "https://dynamodb.us-iso-east-1.c2s.ic.gov"
        );
        assert_eq!(region_endpoint("evil.com/x"), None);
        assert_eq!(region_endpoint(""), None);
    }

    #[test]
    fn host_header_keeps_non_default_port() -> Result<(), Error> {
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:8000")?.host,
            "127.0.0.1:8000"
        );
        assert_eq!(
            Endpoint::parse("https://example.com:443/")?.host,
            "example.com"
        );
        assert!(Endpoint::parse("http://h/x").is_err());
        assert!(Endpoint::parse("ftp://h").is_err());
        Ok(())
    }
}
