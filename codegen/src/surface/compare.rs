//! Two API listings compared, each change classified by the semver rules for Rust crates, and
//! the version bump a breaking change needs.

use std::collections::BTreeMap;
use std::fmt;

/// How a change affects users of the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code that compiled against the old API may not compile against the new one.
    Breaking,
    /// Only additions or relaxations: existing code keeps compiling.
    Minor,
}

/// One difference between two listings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Whether it breaks users.
    pub severity: Severity,
    /// What changed and, for a breaking change that is not a plain removal, why it breaks.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

/// One listing line split into its identity (`KIND PATH`) and the rest.
struct Entry<'a> {
    detail: &'a str,
    cfg: Vec<&'a str>,
    line: &'a str,
}

fn entries(listing: &str) -> BTreeMap<String, Entry<'_>> {
    let mut out = BTreeMap::new();
    for line in listing.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, rest) = line.split_once(' ').unwrap_or((line, ""));
        let (path, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let (detail, cfg) = match rest.find("#[cfg(") {
            Some(at) => (
                rest[..at].trim_end(),
                rest[at..]
                    .split("#[cfg(")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect(),
            ),
            None => (rest, Vec::new()),
        };
        out.insert(format!("{kind} {path}"), Entry { detail, cfg, line });
    }
    out
}

/// Every difference from the `old` listing to the `new` one, breaking changes first.
pub fn compare(old: &str, new: &str) -> Vec<Change> {
    let old = entries(old);
    let new = entries(new);
    let mut changes = Vec::new();
    for (key, before) in &old {
        let (kind, path) = key.split_once(' ').unwrap_or((key, ""));
        match new.get(key) {
            None if kind == "non_exhaustive" => changes.push(Change {
                severity: Severity::Minor,
                what: format!("no longer #[non_exhaustive]: {path}"),
            }),
            None => changes.push(Change {
                severity: Severity::Breaking,
                what: format!("removed: {}", before.line),
            }),
            Some(after) if after.line == before.line => {}
            Some(after) => {
                let relaxed = after.detail == before.detail
                    && after.cfg.iter().all(|c| before.cfg.contains(c));
                let (severity, note) = if relaxed {
                    (Severity::Minor, " (fewer cfg conditions)")
                } else {
                    (Severity::Breaking, "")
                };
                changes.push(Change {
                    severity,
                    what: format!("changed{note}: {}\n      now: {}", before.line, after.line),
                });
            }
        }
    }
    for (key, after) in &new {
        if old.contains_key(key) {
            continue;
        }
        let (kind, path) = key.split_once(' ').unwrap_or((key, ""));
        let exhaustive = |container_kind: &str, container: &str| {
            old.contains_key(&format!("{container_kind} {container}"))
                && !old.contains_key(&format!("non_exhaustive {container}"))
        };
        let why = match kind {
            "field" => {
                let owner = path.rsplit_once('.').map_or(path, |(owner, _)| owner);
                exhaustive("struct", owner)
                    .then_some("a pub field added to a struct that is not #[non_exhaustive]")
            }
            "variant" => {
                let owner = path.rsplit_once("::").map_or(path, |(owner, _)| owner);
                exhaustive("enum", owner)
                    .then_some("a variant added to an enum that is not #[non_exhaustive]")
            }
            "non_exhaustive" => old
                .keys()
                .any(|k| k.split_once(' ').is_some_and(|(_, p)| p == path))
                .then_some("an existing item became #[non_exhaustive]"),
            "trait-fn" | "trait-type" | "trait-const" => {
                let owner = path.rsplit_once("::").map_or(path, |(owner, _)| owner);
                (old.contains_key(&format!("trait {owner}"))
                    && !after.detail.ends_with("(provided)"))
                .then_some("a required item added to an existing trait")
            }
            _ => None,
        };
        changes.push(match why {
            Some(why) => Change {
                severity: Severity::Breaking,
                what: format!("added: {} ({why})", after.line),
            },
            None => Change {
                severity: Severity::Minor,
                what: format!("added: {}", after.line),
            },
        });
    }
    changes.sort_by(|a, b| (a.severity, &a.what).cmp(&(b.severity, &b.what)));
    changes
}

/// A crate version, `MAJOR.MINOR.PATCH` (pre-release and build suffixes are ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    /// Parses `1.2.3` (with an optional `-pre` or `+build` suffix).
    pub fn parse(text: &str) -> Result<Version, String> {
        let core = text.split(['-', '+']).next().unwrap_or(text);
        let parts: Vec<&str> = core.split('.').collect();
        let number = |s: &str| s.parse::<u64>().ok();
        match parts.as_slice() {
            [a, b, c] => match (number(a), number(b), number(c)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Version {
                    major,
                    minor,
                    patch,
                }),
                _ => Err(format!("{text:?} is not a version (MAJOR.MINOR.PATCH)")),
            },
            _ => Err(format!("{text:?} is not a version (MAJOR.MINOR.PATCH)")),
        }
    }

    /// The `version` of the `[package]` table of a `Cargo.toml`.
    pub fn of_manifest(manifest: &str) -> Result<Version, String> {
        let mut in_package = false;
        for line in manifest.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_package = line == "[package]";
                continue;
            }
            if !in_package {
                continue;
            }
            if let Some(value) = line
                .strip_prefix("version")
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('='))
            {
                let value = value.trim().trim_matches('"');
                return Version::parse(value);
            }
        }
        Err("no `version` in the [package] table".to_owned())
    }

    /// Whether going from `self` to `new` is a bump that may carry breaking changes: a new
    /// major version, or under 1.0 a new minor version (0.0.x: any newer version), as Cargo
    /// treats them as incompatible.
    pub fn allows_breaking(&self, new: &Version) -> bool {
        match (self.major, self.minor) {
            (0, 0) => new > self,
            (0, minor) => new.major > 0 || new.minor > minor,
            (major, _) => new.major > major,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(lines: &[&str]) -> String {
        let mut text = String::from("# header\n");
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    fn breaking(changes: &[Change]) -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
            .map(|c| c.what.as_str())
            .collect()
    }

    fn minor(changes: &[Change]) -> Vec<&str> {
        changes
            .iter()
            .filter(|c| c.severity == Severity::Minor)
            .map(|c| c.what.as_str())
            .collect()
    }

    #[test]
    fn identical_listings_have_no_changes() {
        let a = listing(&["struct crate::A", "field crate::A.x i32"]);
        assert!(compare(&a, &a).is_empty());
    }

    #[test]
    fn a_removed_item_is_breaking() {
        let old = listing(&["struct crate::A", "fn crate::f fn()"]);
        let new = listing(&["struct crate::A"]);
        assert_eq!(
            breaking(&compare(&old, &new)),
            ["removed: fn crate::f fn()"]
        );
    }

    #[test]
    fn a_changed_signature_is_breaking() {
        let old = listing(&["method crate::A::f fn(&self) -> i32"]);
        let new = listing(&["method crate::A::f fn(&self) -> i64"]);
        let changes = compare(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].severity, Severity::Breaking);
        assert!(changes[0].what.contains("-> i64"), "{}", changes[0].what);
    }

    #[test]
    fn an_added_item_is_minor() {
        let old = listing(&["struct crate::A"]);
        let new = listing(&["struct crate::A", "struct crate::B", "field crate::B.x i32"]);
        let changes = compare(&old, &new);
        assert!(breaking(&changes).is_empty(), "{changes:?}");
        assert_eq!(minor(&changes).len(), 2);
    }

    #[test]
    fn a_field_added_to_a_non_exhaustive_struct_is_minor() {
        let old = listing(&[
            "struct crate::A",
            "non_exhaustive crate::A",
            "field crate::A.x i32",
        ]);
        let new = listing(&[
            "struct crate::A",
            "non_exhaustive crate::A",
            "field crate::A.x i32",
            "field crate::A.y i32",
        ]);
        let changes = compare(&old, &new);
        assert!(breaking(&changes).is_empty(), "{changes:?}");
        assert_eq!(minor(&changes), ["added: field crate::A.y i32"]);
    }

    #[test]
    fn a_field_added_to_an_exhaustive_struct_is_breaking() {
        let old = listing(&["struct crate::A", "field crate::A.x i32"]);
        let new = listing(&[
            "struct crate::A",
            "field crate::A.x i32",
            "field crate::A.y i32",
        ]);
        let changes = compare(&old, &new);
        assert_eq!(breaking(&changes).len(), 1, "{changes:?}");
        assert!(breaking(&changes)[0].contains("not #[non_exhaustive]"));
    }

    #[test]
    fn a_variant_added_to_a_non_exhaustive_enum_is_minor_and_to_an_exhaustive_one_breaking() {
        let old = listing(&[
            "enum crate::E",
            "non_exhaustive crate::E",
            "variant crate::E::A",
        ]);
        let new = listing(&[
            "enum crate::E",
            "non_exhaustive crate::E",
            "variant crate::E::A",
            "variant crate::E::B",
        ]);
        assert!(breaking(&compare(&old, &new)).is_empty());

        let old = listing(&["enum crate::E", "variant crate::E::A"]);
        let new = listing(&[
            "enum crate::E",
            "variant crate::E::A",
            "variant crate::E::B",
        ]);
        let changes = compare(&old, &new);
        assert_eq!(breaking(&changes).len(), 1, "{changes:?}");
    }

    #[test]
    fn becoming_non_exhaustive_is_breaking_and_ceasing_to_be_is_minor() {
        let plain = listing(&["struct crate::A"]);
        let marked = listing(&["struct crate::A", "non_exhaustive crate::A"]);
        assert_eq!(breaking(&compare(&plain, &marked)).len(), 1);
        let back = compare(&marked, &plain);
        assert!(breaking(&back).is_empty(), "{back:?}");
        assert_eq!(minor(&back).len(), 1);
        // A new item that is non_exhaustive from the start is only an addition.
        let new = listing(&[
            "struct crate::A",
            "struct crate::B",
            "non_exhaustive crate::B",
        ]);
        assert!(breaking(&compare(&plain, &new)).is_empty());
    }

    #[test]
    fn a_new_feature_gate_is_breaking_and_a_dropped_one_minor() {
        let open = listing(&["struct crate::A"]);
        let gated = listing(&["struct crate::A #[cfg(feature = \"jobs\")]"]);
        assert_eq!(breaking(&compare(&open, &gated)).len(), 1);
        let back = compare(&gated, &open);
        assert!(breaking(&back).is_empty(), "{back:?}");
        assert!(minor(&back)[0].contains("fewer cfg conditions"));
    }

    #[test]
    fn a_required_trait_item_added_to_an_existing_trait_is_breaking() {
        let old = listing(&["trait crate::T"]);
        let provided = listing(&[
            "trait crate::T",
            "trait-fn crate::T::f fn(&self) (provided)",
        ]);
        assert!(breaking(&compare(&old, &provided)).is_empty());
        let required = listing(&["trait crate::T", "trait-fn crate::T::f fn(&self)"]);
        assert_eq!(breaking(&compare(&old, &required)).len(), 1);
    }

    #[test]
    fn a_removed_trait_impl_is_breaking() {
        let old = listing(&["struct crate::A", "impl crate::A:Clone"]);
        let new = listing(&["struct crate::A"]);
        assert_eq!(
            breaking(&compare(&old, &new)),
            ["removed: impl crate::A:Clone"]
        );
    }

    #[test]
    fn versions_parse_from_manifests() {
        let manifest = "# comment\n[package]\nname = \"x\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"9.9.9\"\n";
        assert_eq!(
            Version::of_manifest(manifest),
            Ok(Version {
                major: 0,
                minor: 3,
                patch: 1
            })
        );
        assert!(Version::of_manifest("[dependencies]\nversion = \"1.0.0\"\n").is_err());
        assert!(Version::parse("1.2").is_err());
        assert_eq!(Version::parse("1.2.3-rc.1").map(|v| v.patch), Ok(3));
    }

    #[test]
    fn breaking_changes_need_the_semver_incompatible_bump() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert!(!v("0.1.0").allows_breaking(&v("0.1.0")));
        assert!(!v("0.1.0").allows_breaking(&v("0.1.5")));
        assert!(v("0.1.0").allows_breaking(&v("0.2.0")));
        assert!(v("0.1.9").allows_breaking(&v("1.0.0")));
        assert!(v("0.0.1").allows_breaking(&v("0.0.2")));
        assert!(!v("1.2.0").allows_breaking(&v("1.3.0")));
        assert!(v("1.2.0").allows_breaking(&v("2.0.0")));
    }
}
