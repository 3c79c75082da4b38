//! The vendor SDKs' credentials file: `~/.huaweicloud/credentials`, or the file named by
//! `HUAWEICLOUD_SDK_CREDENTIALS_FILE`.
//!
//! It is an INI file, read as the vendor's SDKs read it: `[section]` headers, `key = value` (or
//! `key: value`) lines, whole-line comments starting with `#` or `;`. Key names are
//! case-insensitive; values are taken as written (no quotes removed, no inline comments). A
//! section is a profile; the SDKs use `[basic]` for project-scoped credentials, which is the
//! default here too:
//!
//! ```ini
//! [basic]
//! ak = HPUAEXAMPLEACCESSKEY
//! sk = example-secret-key
//! project_id = 0123456789abcdef0123456789abcdef
//! # security_token = ...   (temporary AK/SK only)
//! ```
//!
//! Keys the file may hold for other services (`domain_id`, `iam_endpoint`) are ignored.
//! Federated identities (`idp_id` with `id_token_file`), which need a token exchange with IAM,
//! are refused with an error rather than skipped.
//!
//! ```
//! use codearts_runtime::auth::profile::CredentialsFile;
//!
//! let file = CredentialsFile::parse("credentials", "[basic]\nak = AK\nsk = SK\n")?;
//! let (credentials, project_id) = file.credentials("basic")?;
//! assert!(credentials.is_ak_sk());
//! assert_eq!(project_id, None);
//! # Ok::<(), codearts_runtime::Error>(())
//! ```

use std::path::{Path, PathBuf};

use crate::{Credentials, Error};

/// Environment variable naming the credentials file instead of the default path, as the
/// vendor's SDKs read it.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The profile (section) read when none is chosen: the vendor SDKs' section for
/// project-scoped credentials.
pub const DEFAULT_PROFILE: &str = "basic";

/// A parsed credentials file: its sections in file order, each with its keys.
#[derive(Clone)]
pub struct CredentialsFile {
    /// Where the text came from, for messages.
    origin: String,
    sections: Vec<Section>,
}

#[derive(Clone)]
struct Section {
    name: String,
    /// Line number of the header, for messages.
    line: usize,
    /// Lower-cased keys with their values and line numbers.
    entries: Vec<(String, String, usize)>,
}

impl Section {
    fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

impl CredentialsFile {
    /// The default path: `$HOME/.huaweicloud/credentials` (`%USERPROFILE%` on Windows), or
    /// the value of [`ENV_CREDENTIALS_FILE`]; variables are read through `lookup`. `None` when
    /// neither the variable nor a home directory is set.
    pub fn default_path(lookup: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(path) = get(ENV_CREDENTIALS_FILE) {
            return Some(PathBuf::from(path));
        }
        let home = get("HOME").or_else(|| get("USERPROFILE"))?;
        Some(Path::new(&home).join(".huaweicloud").join("credentials"))
    }

    /// Reads and parses the file at `path`.
    ///
    /// Fails with [`Error::Config`] naming the path when it cannot be read, and with the path
    /// and line when a line is not a section header, a `key = value` pair, a comment or blank.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!(
                "cannot read the credentials file {}: {e}",
                path.display()
            ))
        })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// Parses `text`; `origin` (usually the path) starts every error message.
    pub fn parse(origin: &str, text: &str) -> Result<Self, Error> {
        let at = |line: usize, what: &str| Error::config(format!("{origin}:{line}: {what}"));
        let mut sections: Vec<Section> = Vec::new();
        // A UTF-8 byte order mark, as some editors on Windows write it, is not part of a line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let Some(name) = rest.strip_suffix(']') else {
                    return Err(at(number, "a section header must end with `]`"));
                };
                let name = name.trim();
                if name.is_empty() {
                    return Err(at(number, "empty section name `[]`"));
                }
                if let Some(first) = sections.iter().find(|s| s.name == name) {
                    return Err(at(
                        number,
                        &format!(
                            "section [{name}] appears twice (first on line {})",
                            first.line
                        ),
                    ));
                }
                sections.push(Section {
                    name: name.to_owned(),
                    line: number,
                    entries: Vec::new(),
                });
                continue;
            }
            let Some(split) = line.find(['=', ':']) else {
                return Err(at(
                    number,
                    "expected `[section]` or `key = value` (a comment starts with # or ;)",
                ));
            };
            let key = line[..split].trim().to_ascii_lowercase();
            let value = line[split + 1..].trim();
            if key.is_empty() {
                return Err(at(number, "a `key = value` line without a key"));
            }
            let Some(section) = sections.last_mut() else {
                return Err(at(
                    number,
                    &format!("`{key}` comes before any [section] header"),
                ));
            };
            if let Some((_, _, first)) = section.entries.iter().find(|(k, _, _)| *k == key) {
                return Err(at(
                    number,
                    &format!(
                        "`{key}` appears twice in [{}] (first on line {first})",
                        section.name
                    ),
                ));
            }
            section.entries.push((key, value.to_owned(), number));
        }
        Ok(CredentialsFile {
            origin: origin.to_owned(),
            sections,
        })
    }

    /// The names of the profiles (sections), in file order.
    pub fn profiles(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|s| s.name.as_str())
    }

    /// The credentials of `profile` and its project id, if it has one.
    ///
    /// Fails with [`Error::Config`] naming the file (and the section's line) when the profile
    /// is missing, holds only half an AK/SK pair, or holds a federated identity.
    pub fn credentials(&self, profile: &str) -> Result<(Credentials, Option<String>), Error> {
        let origin = &self.origin;
        let Some(section) = self.sections.iter().find(|s| s.name == profile) else {
            let known: Vec<&str> = self.profiles().collect();
            let known = if known.is_empty() {
                "it has none".to_owned()
            } else {
                format!("it has [{}]", known.join("], ["))
            };
            return Err(Error::config(format!(
                "{origin}: no profile [{profile}] ({known})"
            )));
        };
        let line = section.line;
        let project_id = section.get("project_id").map(str::to_owned);
        match (section.get("ak"), section.get("sk")) {
            (Some(ak), Some(sk)) => {
                let credentials = Credentials::ak_sk(ak, sk);
                let credentials = match section.get("security_token") {
                    Some(token) => credentials.security_token(token),
                    None => credentials,
                };
                Ok((credentials, project_id))
            }
            (Some(_), None) | (None, Some(_)) => Err(Error::config(format!(
                "{origin}:{line}: [{profile}] needs both `ak` and `sk`"
            ))),
            (None, None) if section.get("idp_id").is_some() => Err(Error::config(format!(
                "{origin}:{line}: [{profile}] holds a federated identity (`idp_id`), which this \
                 client does not exchange for credentials; give it `ak` and `sk`"
            ))),
            (None, None) => Err(Error::config(format!(
                "{origin}:{line}: [{profile}] has no `ak` and `sk`"
            ))),
        }
    }
}

impl std::fmt::Debug for CredentialsFile {
    /// Names the profiles only: the file holds secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsFile")
            .field("origin", &self.origin)
            .field("profiles", &self.profiles().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        CredentialsFile::parse("creds", text)
            .and_then(|file| file.credentials(DEFAULT_PROFILE).map(|_| ()))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_the_vendor_format() {
        let text = "\u{feff}# comment\n; another\n\n[global]\nak=G\nsk=G\n\n[basic]\n  AK = HPUA\n\
                    sk: s=k:1\nproject_id = p-1\nsecurity_token = sts\niam_endpoint = https://x\n";
        let file = CredentialsFile::parse("creds", text).expect("parsed");
        assert_eq!(file.profiles().collect::<Vec<_>>(), ["global", "basic"]);
        let (credentials, project) = file.credentials("basic").expect("basic");
        assert_eq!(project.as_deref(), Some("p-1"));
        let debug = format!("{credentials:?}");
        assert!(debug.contains("HPUA****"), "{debug}");
        assert!(debug.contains("security_token: Some"), "{debug}");
        // The value keeps everything after the first separator.
        match &credentials.kind {
            crate::auth::CredentialKind::AkSk { secret_key, .. } => assert_eq!(secret_key, "s=k:1"),
            crate::auth::CredentialKind::Token(_) => panic!("not a token"),
        }
        assert!(!format!("{file:?}").contains("HPUA"));
    }

    #[test]
    fn bad_files_name_the_line() {
        assert_eq!(
            error("ak = x\n"),
            "configuration error: creds:1: `ak` comes before any [section] header"
        );
        assert_eq!(
            error("[basic\n"),
            "configuration error: creds:1: a section header must end with `]`"
        );
        assert_eq!(
            error("[basic]\nak = a\njust words\n"),
            "configuration error: creds:3: expected `[section]` or `key = value` (a comment starts with # or ;)"
        );
        assert_eq!(
            error("[basic]\nak = a\nAK = b\n"),
            "configuration error: creds:3: `ak` appears twice in [basic] (first on line 2)"
        );
        assert_eq!(
            error("[basic]\n[basic]\n"),
            "configuration error: creds:2: section [basic] appears twice (first on line 1)"
        );
        assert_eq!(
            error("\n[basic]\nak = a\n"),
            "configuration error: creds:2: [basic] needs both `ak` and `sk`"
        );
        assert_eq!(
            error("[global]\nak = a\nsk = b\n"),
            "configuration error: creds: no profile [basic] (it has [global])"
        );
        assert!(error("[basic]\nidp_id = i\nid_token_file = f\n").contains("federated"));
        for message in [error(" = x\n"), error("[]\n")] {
            assert!(
                message.starts_with("configuration error: creds:1: "),
                "{message}"
            );
            assert!(!message.contains('\n'), "{message}");
        }
    }

    #[test]
    fn default_path_follows_the_override_then_home() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(
            CredentialsFile::default_path(env(&[("HOME", "/h"), (ENV_CREDENTIALS_FILE, "/c")])),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            CredentialsFile::default_path(env(&[("HOME", "/h")])),
            Some(Path::new("/h").join(".huaweicloud").join("credentials"))
        );
        assert_eq!(CredentialsFile::default_path(env(&[])), None);
    }
}
