//! `credential_process`: a profile names a command that prints credentials
//! as JSON (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optional
//! `SessionToken` and `Expiration`). The command runs through the shell, its
//! standard error goes to ours, and its output is never logged.

use std::process::Stdio;

use serde::Deserialize;

use super::credentials::{Credentials, parse_expiration};
use crate::error::Error;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    version: Option<u32>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
}

/// Runs `command` for `profile` and reads its credentials.
pub(crate) async fn run(profile: &str, command: &str) -> Result<Credentials, Error> {
    let what = format!("credential_process of profile `{profile}`");
    let mut shell = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.arg("/C");
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c");
        c
    };
    let output = shell
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| Error::credentials(format!("{what} cannot be started")).with_source(e))?;
    if !output.status.success() {
        return Err(Error::credentials(format!(
            "{what} failed ({})",
            output.status
        )));
    }
    parse(&output.stdout, &what)
}

fn parse(stdout: &[u8], what: &str) -> Result<Credentials, Error> {
    let out: Output = serde_json::from_slice(stdout).map_err(|e| {
        Error::credentials(format!("{what} did not print credentials JSON")).with_source(e)
    })?;
    if out.version != Some(1) {
        return Err(Error::credentials(format!(
            "{what} printed Version {:?}; only 1 is known",
            out.version
        )));
    }
    let missing = |field: &str| Error::credentials(format!("{what} printed no {field}"));
    let id = out
        .access_key_id
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("AccessKeyId"))?;
    let secret = out
        .secret_access_key
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("SecretAccessKey"))?;
    let mut creds = Credentials::new(id, secret, out.session_token.filter(|t| !t.is_empty()));
    if let Some(expiration) = out.expiration {
        creds = creds.with_expiry(parse_expiration(&expiration, what)?);
    }
    Ok(creds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_version_1_and_rejects_others() {
        let ok = parse(
            br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
            "p",
        );
        assert!(
            ok.as_ref()
                .is_ok_and(|c| c.session_token() == Some("T") && c.expiry().is_some())
        );
        let v2 = parse(
            br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}"#,
            "p",
        );
        assert!(v2.is_err_and(|e| e.to_string().contains("Version")));
        let no_secret = parse(br#"{"Version":1,"AccessKeyId":"A"}"#, "p");
        assert!(no_secret.is_err_and(|e| e.to_string().contains("SecretAccessKey")));
    }
}
