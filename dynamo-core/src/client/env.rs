//! A snapshot of the environment variables the client reads, so that the
//! credential chain, retries, endpoints and proxies all see one consistent
//! environment, and tests can hand in their own without touching the
//! process's.

use std::collections::HashMap;
use std::sync::Arc;

/// Every variable the client reads.
const NAMES: &[&str] = &[
    "HOME",
    "USERPROFILE",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_CA_BUNDLE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// The values of [`NAMES`], blank ones left out. Cheap to clone.
#[derive(Clone, Default)]
pub(crate) struct Env {
    vars: Arc<HashMap<&'static str, String>>,
}

impl Env {
    /// Reads every variable through `lookup`.
    pub(crate) fn capture(lookup: impl Fn(&str) -> Option<String>) -> Env {
        let vars = NAMES
            .iter()
            .filter_map(|&name| {
                let value = lookup(name)?;
                (!value.trim().is_empty()).then_some((name, value))
            })
            .collect();
        Env {
            vars: Arc::new(vars),
        }
    }

    /// The value of `name`, if set and not blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// The value of `name` as an owned string.
    pub(crate) fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// `name` read as a boolean (`true`/`false`, any case); `None` when unset
    /// or not a boolean.
    pub(crate) fn flag(&self, name: &str) -> Option<bool> {
        parse_bool(self.get(name)?)
    }

    /// The first of `names` that is set.
    pub(crate) fn first(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.get(n))
    }
}

/// `true` or `false`, any case, surrounding blanks ignored.
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

impl std::fmt::Debug for Env {
    /// Names only: values may be secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<_> = self.vars.keys().collect();
        names.sort();
        f.debug_struct("Env").field("set", &names).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_unset_and_debug_hides_values() {
        let env = Env::capture(|n| match n {
            "AWS_REGION" => Some(" ".into()),
            "AWS_SECRET_ACCESS_KEY" => Some("s3cr3t".into()),
            "AWS_EC2_METADATA_DISABLED" => Some("TRUE".into()),
            _ => None,
        });
        assert_eq!(env.get("AWS_REGION"), None);
        assert_eq!(env.flag("AWS_EC2_METADATA_DISABLED"), Some(true));
        assert!(!format!("{env:?}").contains("s3cr3t"));
    }
}
