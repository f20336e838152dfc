//! The shared AWS files: `~/.aws/credentials` and `~/.aws/config`.
//!
//! Both are INI-like: `[section]` headers, `key = value` lines, `#` or `;`
//! comments. In the credentials file a section is named after its profile;
//! in the config file a profile section is `[profile name]`, or `[default]`
//! for the default profile, and other sections are ignored.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::Error;

type Section = HashMap<String, String>;

/// Where the two files are.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProfileFiles {
    pub(crate) credentials: Option<PathBuf>,
    pub(crate) config: Option<PathBuf>,
}

impl ProfileFiles {
    /// Paths from `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`, else
    /// under the home directory (`HOME`, or `USERPROFILE` on Windows).
    pub(crate) fn locate(lookup: &dyn Fn(&str) -> Option<String>) -> ProfileFiles {
        let home = lookup("HOME")
            .or_else(|| lookup("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        let path = |var: &str, file: &str| {
            lookup(var)
                .filter(|p| !p.is_empty())
                .map(|p| expand_home(&p, home.as_deref()))
                .or_else(|| home.as_ref().map(|h| h.join(".aws").join(file)))
        };
        ProfileFiles {
            credentials: path("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            config: path("AWS_CONFIG_FILE", "config"),
        }
    }

    /// ` (in FILE, FILE)` naming the files, for messages.
    pub(crate) fn describe(&self) -> String {
        let names: Vec<String> = [&self.credentials, &self.config]
            .into_iter()
            .flatten()
            .map(|p| p.display().to_string())
            .collect();
        if names.is_empty() {
            String::new()
        } else {
            format!(" (in {})", names.join(", "))
        }
    }

    /// Reads and parses both files; a missing file counts as empty.
    pub(crate) fn load(&self) -> Result<ProfileSet, Error> {
        Ok(ProfileSet {
            credentials: parse(&read_optional(self.credentials.as_deref())?, false),
            config: parse(&read_optional(self.config.as_deref())?, true),
        })
    }
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

fn read_optional(path: Option<&Path>) -> Result<String, Error> {
    let Some(path) = path else {
        return Ok(String::new());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::credentials(format!(
            "cannot read AWS profile file {}",
            path.display()
        ))
        .with_source(e)),
    }
}

/// The profiles of both files.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProfileSet {
    credentials: HashMap<String, Section>,
    config: HashMap<String, Section>,
}

impl ProfileSet {
    /// The section of `profile` in the credentials file, else in the config file.
    pub(crate) fn credentials_section(&self, profile: &str) -> Option<&Section> {
        let has_key = |s: &&Section| s.contains_key("aws_access_key_id");
        self.credentials
            .get(profile)
            .filter(has_key)
            .or_else(|| self.config.get(profile).filter(has_key))
    }

    /// Whether either file has a section for `profile`.
    pub(crate) fn has_profile(&self, profile: &str) -> bool {
        self.credentials.contains_key(profile) || self.config.contains_key(profile)
    }

    /// A setting of `profile`, the credentials file winning over the config file.
    pub(crate) fn value(&self, profile: &str, key: &str) -> Option<&str> {
        fn from<'a>(
            files: &'a HashMap<String, Section>,
            profile: &str,
            key: &str,
        ) -> Option<&'a str> {
            files
                .get(profile)?
                .get(key)
                .map(String::as_str)
                .filter(|v| !v.is_empty())
        }
        from(&self.credentials, profile, key).or_else(|| from(&self.config, profile, key))
    }

    /// A setting of `profile` from the config file (e.g. `region`).
    pub(crate) fn config_value(&self, profile: &str, key: &str) -> Option<&str> {
        self.config
            .get(profile)?
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Parses one file into sections by profile name.
fn parse(text: &str, is_config: bool) -> HashMap<String, Section> {
    let mut profiles: HashMap<String, Section> = HashMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(header) = section_header(line) {
            current = profile_name(header, is_config);
            if let Some(name) = &current {
                profiles.entry(name.clone()).or_default();
            }
            continue;
        }
        // Indented lines continue a nested setting (e.g. `s3 =`); skip them.
        if indented {
            continue;
        }
        let (Some(name), Some((key, value))) = (&current, line.split_once('=')) else {
            continue;
        };
        let value = strip_inline_comment(value.trim());
        if let Some(section) = profiles.get_mut(name) {
            section.insert(key.trim().to_ascii_lowercase(), value.to_owned());
        }
    }
    profiles
}

fn section_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let end = rest.find(']')?;
    Some(rest[..end].trim())
}

/// The profile a section header names, or `None` for non-profile sections.
fn profile_name(header: &str, is_config: bool) -> Option<String> {
    if !is_config {
        return Some(header.to_owned());
    }
    if header == "default" {
        return Some(header.to_owned());
    }
    let name = header.strip_prefix("profile")?;
    if !name.starts_with([' ', '\t']) {
        return None;
    }
    Some(name.trim().to_owned())
}

fn strip_inline_comment(value: &str) -> &str {
    let cut = value
        .char_indices()
        .find(|&(i, c)| (c == '#' || c == ';') && value[..i].ends_with([' ', '\t']))
        .map_or(value.len(), |(i, _)| i);
    value[..cut].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_files() {
        let creds = parse(
            "[default]\naws_access_key_id = A\n\n[x] ; c\nAWS_Secret_Access_Key=B # note\n",
            false,
        );
        assert_eq!(creds["default"]["aws_access_key_id"], "A");
        assert_eq!(creds["x"]["aws_secret_access_key"], "B");
        let config = parse(
            "[default]\nregion=us-west-2\n[profile x]\nregion = cn-north-1\ns3 =\n  region = bad\n[sso-session s]\nregion=no\n[profilex]\nregion=no\n",
            true,
        );
        assert_eq!(config["default"]["region"], "us-west-2");
        assert_eq!(config["x"]["region"], "cn-north-1");
        assert_eq!(config.len(), 2);
    }
}
