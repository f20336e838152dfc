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
    resolve(region, EndpointVariant::default()).ok()
}

/// Which variant of a region's endpoint to use: FIPS 140-validated, dual
/// stack (IPv4 and IPv6), or both.
///
/// # Example
/// ```
/// use dynamo_core::client::{EndpointVariant, region_endpoint_variant};
/// let both = EndpointVariant { fips: true, dual_stack: true };
/// assert_eq!(
///     region_endpoint_variant("eu-west-1", both).ok().as_deref(),
///     Some("https://dynamodb-fips.eu-west-1.api.aws")
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndpointVariant {
    /// `AWS_USE_FIPS_ENDPOINT` / profile `use_fips_endpoint`.
    pub fips: bool,
    /// `AWS_USE_DUALSTACK_ENDPOINT` / profile `use_dualstack_endpoint`.
    pub dual_stack: bool,
}

/// The endpoint of `region` in `variant`, by partition.
///
/// # Errors
/// [`crate::ErrorKind::Config`] when `region` is not a region name, or when
/// its partition has no dual-stack endpoints (the isolated ones).
pub fn region_endpoint_variant(region: &str, variant: EndpointVariant) -> Result<String, Error> {
    resolve(region, variant)
}

/// One partition's domains.
struct Partition {
    prefix: &'static str,
    name: &'static str,
    dns: &'static str,
    dual_stack_dns: Option<&'static str>,
}

const PARTITIONS: [Partition; 6] = [
    Partition {
        prefix: "cn-",
        name: "aws-cn",
        dns: "amazonaws.com.cn",
        dual_stack_dns: Some("api.amazonwebservices.com.cn"),
    },
    Partition {
        prefix: "us-gov-",
        name: "aws-us-gov",
        dns: "amazonaws.com",
        dual_stack_dns: Some("api.aws"),
    },
    Partition {
        prefix: "us-isob-",
        name: "aws-iso-b",
        dns: "sc2s.sgov.gov",
        dual_stack_dns: None,
    },
    Partition {
        prefix: "us-isof-",
        name: "aws-iso-f",
        dns: "csp.hci.ic.gov",
        dual_stack_dns: None,
    },
    Partition {
        prefix: "us-iso-",
        name: "aws-iso",
        dns: "c2s.ic.gov",
        dual_stack_dns: None,
    },
    Partition {
        prefix: "eu-isoe-",
        name: "aws-iso-e",
        dns: "cloud.adc-e.uk",
        dual_stack_dns: None,
    },
];

const COMMERCIAL: Partition = Partition {
    prefix: "",
    name: "aws",
    dns: "amazonaws.com",
    dual_stack_dns: Some("api.aws"),
};

fn resolve(region: &str, variant: EndpointVariant) -> Result<String, Error> {
    let well_formed = !region.is_empty()
        && !region.starts_with('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        return Err(Error::config(format!("`{region}` is not a region name")));
    }
    let partition = PARTITIONS
        .iter()
        .find(|p| region.starts_with(p.prefix))
        .unwrap_or(&COMMERCIAL);
    let dns = if variant.dual_stack {
        partition.dual_stack_dns.ok_or_else(|| {
            Error::config(format!(
                "dual-stack endpoints are not available in partition {} (region `{region}`)",
                partition.name
            ))
        })?
    } else {
        partition.dns
    };
    // GovCloud's standard DynamoDB endpoints are FIPS-validated already.
    let service = match (variant.fips, variant.dual_stack, partition.name) {
        (true, false, "aws-us-gov") => "dynamodb",
        (true, _, _) => "dynamodb-fips",
        (false, _, _) => "dynamodb",
    };
    Ok(format!("https://{service}.{region}.{dns}"))
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
        let v = |fips, dual_stack| EndpointVariant { fips, dual_stack };
        let ev = |r, f, d| resolve(r, v(f, d)).unwrap_or_default();
        assert_eq!(
            ev("us-east-1", true, false),
            "https://dynamodb-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            ev("us-east-1", false, true),
            "https://dynamodb.us-east-1.api.aws"
        );
        assert_eq!(
            ev("us-east-1", true, true),
            "https://dynamodb-fips.us-east-1.api.aws"
        );
        assert_eq!(
            ev("cn-north-1", false, true),
            "https://dynamodb.cn-north-1.api.amazonwebservices.com.cn"
        );
        assert_eq!(
            ev("cn-north-1", true, false),
            "https://dynamodb-fips.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            ev("us-gov-west-1", true, false),
            "https://dynamodb.us-gov-west-1.amazonaws.com"
        );
        assert_eq!(
            ev("us-gov-east-1", true, true),
            "https://dynamodb-fips.us-gov-east-1.api.aws"
        );
        assert_eq!(
            ev("us-iso-east-1", true, false),
            "https://dynamodb-fips.us-iso-east-1.c2s.ic.gov"
        );
        assert_eq!(
            ev("us-isob-east-1", false, false),
            "https://dynamodb.us-isob-east-1.sc2s.sgov.gov"
        );
        assert!(resolve("us-iso-east-1", v(false, true)).is_err());
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
