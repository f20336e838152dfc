//! Container credentials, as ECS, Fargate and EKS Pod Identity serve them.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on the ECS agent at
//! `http://169.254.170.2`; `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole
//! URL, which over plain HTTP must name a loopback address or one of the
//! container agents' link-local addresses. The `Authorization` header is the
//! content of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read each time, as
//! EKS rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::net::IpAddr;

use http::Method;
use url::{Host, Url};

use super::credentials::{Credentials, ServedCredentials};
use super::env::Env;
use super::fetch::Fetcher;
use crate::error::Error;

/// The ECS agent's address for relative URIs.
const ECS_HOST: &str = "http://169.254.170.2";
const WHAT: &str = "container credentials";

/// Where and how to ask for container credentials.
#[derive(Debug, Clone)]
pub(crate) struct ContainerSource {
    url: String,
    token_file: Option<String>,
    token: Option<String>,
}

impl ContainerSource {
    /// The source the environment names, if any; an error when the full
    /// URI is not allowed.
    pub(crate) fn from_env(env: &Env) -> Result<Option<ContainerSource>, Error> {
        let url = if let Some(relative) = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let sep = if relative.starts_with('/') { "" } else { "/" };
            format!("{ECS_HOST}{sep}{relative}")
        } else if let Some(full) = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            check_full_uri(full)?;
            full.to_owned()
        } else {
            return Ok(None);
        };
        Ok(Some(ContainerSource {
            url,
            token_file: env.string("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            token: env.string("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        }))
    }

    /// Asks the endpoint.
    pub(crate) async fn load(&self, fetcher: &Fetcher) -> Result<Credentials, Error> {
        let token = match &self.token_file {
            Some(path) => Some(
                tokio::fs::read_to_string(path)
                    .await
                    .map_err(|e| {
                        Error::credentials(format!(
                            "{WHAT}: cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}"
                        ))
                        .with_source(e)
                    })?
                    .trim()
                    .to_owned(),
            ),
            None => self.token.clone(),
        };
        let headers: Vec<(&'static str, &str)> = token
            .as_deref()
            .map(|t| ("authorization", t))
            .into_iter()
            .collect();
        let answer = fetcher.send(Method::GET, &self.url, &headers, WHAT).await?;
        if answer.status != 200 {
            return Err(Error::credentials(format!(
                "{WHAT}: {} answered HTTP {}",
                self.url, answer.status
            )));
        }
        ServedCredentials::parse(&answer.body, WHAT)
    }
}

/// A full URI must be HTTPS, or HTTP to loopback or a container agent.
fn check_full_uri(full: &str) -> Result<(), Error> {
    let bad = |why: &str| {
        Error::credentials(format!("AWS_CONTAINER_CREDENTIALS_FULL_URI `{full}` {why}"))
    };
    let url = Url::parse(full).map_err(|e| bad("is not a URL").with_source(e))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let allowed = match url.host() {
                Some(Host::Ipv4(ip)) => allowed_ip(IpAddr::V4(ip)),
                Some(Host::Ipv6(ip)) => allowed_ip(IpAddr::V6(ip)),
                Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
                None => false,
            };
            if allowed {
                Ok(())
            } else {
                Err(bad(
                    "must use https, or http to a loopback address, 169.254.170.2 or 169.254.170.23",
                ))
            }
        }
        _ => Err(bad("must use http or https")),
    }
}

fn allowed_ip(ip: IpAddr) -> bool {
    const AGENTS: [&str; 3] = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];
    ip.is_loopback() || AGENTS.iter().any(|a| a.parse::<IpAddr>().ok() == Some(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_uri_rules() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://localhost/x",
            "http://[::1]/x",
            "http://169.254.170.23/v1/credentials",
            "https://creds.example.com/x",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1/x",
            "http://example.com/x",
            "ftp://127.0.0.1/",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn relative_uri_goes_to_the_ecs_agent() {
        let env = Env::capture(|n| {
            (n == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").then(|| "/v2/creds".to_owned())
        });
        let source = ContainerSource::from_env(&env).ok().flatten();
        assert_eq!(
            source.map(|s| s.url).as_deref(),
            Some("http://169.254.170.2/v2/creds")
        );
    }
}
