//! What a generated crate tells the runtime about its service.
//!
//! The runtime knows no particular service. A generated crate implements [`Service`] for its
//! client type (a wrapper around [`Client`] that carries one method per operation),
//! [`ServiceRegion`] for its region enum and [`ErrorCatalogue`] for its enum of documented error
//! codes; [`ClientBuilder`](crate::ClientBuilder) is generic over the [`Service`] and builds that
//! client type.

use std::fmt::Display;
use std::str::FromStr;

use crate::Client;

/// A service's client, as generated from its spec: the runtime builds it with
/// [`ClientBuilder`](crate::ClientBuilder) and hands it the configured [`Client`].
pub trait Service: Sized {
    /// The service's regions (from the spec's `servers`).
    type Region: ServiceRegion;
    /// The service's documented error codes (from the spec's `x-error-codes`).
    type ErrorCode: ErrorCatalogue;
    /// Names and versions that identify the service and the generated crate.
    const IDENTITY: ServiceIdentity;

    /// Wraps a client configured by [`ClientBuilder::build`](crate::ClientBuilder::build).
    fn from_client(client: Client) -> Self;
}

/// Names and versions of a service and of the crate generated for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceIdentity {
    /// The service's name, recorded as the `service` field of every call's `tracing` span, e.g.
    /// `codearts-build`.
    pub name: &'static str,
    /// Prefix of the environment variables that
    /// [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) reads: `<prefix>_ENDPOINT`,
    /// `<prefix>_REGION`, `<prefix>_PROJECT_ID`, `<prefix>_ALLOW_INSECURE_HTTP` and the IAM token
    /// `<prefix>_TOKEN`; e.g. `CODEARTS_BUILD`.
    pub env_prefix: &'static str,
    /// The `User-Agent` product token, `name/version`, e.g. `codearts-build-rust/0.1.0`.
    pub user_agent: &'static str,
    /// The version of the spec the crate was generated from, added to the `User-Agent` as
    /// `(spec <version>)`.
    pub spec_version: &'static str,
}

impl ServiceIdentity {
    /// The environment variable `<prefix>_<name>`.
    pub(crate) fn env_var(&self, name: &str) -> String {
        format!("{}_{name}", self.env_prefix)
    }
}

/// A region of a service: where its endpoint is.
///
/// Parsed from a region id (such as `cn-north-4`) by
/// [`ClientBuilder::from_env`](crate::ClientBuilder::from_env); the parse error says why an
/// id was refused. Not `Copy`: a region the service does not list carries its id and endpoint.
pub trait ServiceRegion: Clone + FromStr<Err: Display> {
    /// The region id, such as `cn-north-4`.
    fn id(&self) -> &str;
    /// The base URL of the service's endpoint in this region.
    fn endpoint(&self) -> &str;
}

/// A service's catalogue of documented error codes.
pub trait ErrorCatalogue: Copy {
    /// The entry for an `error_code` value, if the catalogue documents it.
    fn from_code(code: &str) -> Option<Self>;
    /// Whether sending the same request again later can succeed (such as "too many requests",
    /// which some services answer with HTTP 400).
    fn is_retryable(&self) -> bool;
}

/// Whether the catalogue `C` marks `code` as retryable; a function pointer to this is what a
/// [`Client`] keeps of its service's catalogue.
pub(crate) fn retryable_code<C: ErrorCatalogue>(code: &str) -> bool {
    C::from_code(code).is_some_and(|entry| entry.is_retryable())
}

/// Whether `id` can be a region id, and so a label of a host name: lower-case ASCII letters
/// and digits in `-`-separated groups, at most 63 bytes. Generated `Region::new` builds an
/// endpoint from an unlisted id only when this holds.
#[doc(hidden)]
pub fn is_region_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 63
        && id.split('-').all(|group| {
            !group.is_empty()
                && group
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A service for the runtime's own tests: two regions, a catalogue with one retryable code.
#[cfg(test)]
pub(crate) mod testing {
    use std::fmt;
    use std::str::FromStr;

    use super::{ErrorCatalogue, Service, ServiceIdentity, ServiceRegion};
    use crate::{Client, ClientBuilder};

    /// The test service's client.
    #[derive(Debug, Clone)]
    pub(crate) struct TestClient(pub(crate) Client);

    impl Service for TestClient {
        type Region = TestRegion;
        type ErrorCode = TestCode;
        const IDENTITY: ServiceIdentity = ServiceIdentity {
            name: "test-service",
            env_prefix: "TEST_SERVICE",
            user_agent: "test-service-rust/9.9.9",
            spec_version: "2020-01-01",
        };

        fn from_client(client: Client) -> Self {
            TestClient(client)
        }
    }

    /// A builder for the test service.
    pub(crate) fn builder() -> ClientBuilder<TestClient> {
        ClientBuilder::new()
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum TestRegion {
        North,
        South,
    }

    impl ServiceRegion for TestRegion {
        fn id(&self) -> &str {
            match self {
                TestRegion::North => "north-1",
                TestRegion::South => "south-1",
            }
        }

        fn endpoint(&self) -> &str {
            match self {
                TestRegion::North => "https://svc.north-1.example.com",
                TestRegion::South => "https://svc.south-1.example.com",
            }
        }
    }

    #[derive(Debug, PartialEq, Eq)]
    pub(crate) struct UnknownTestRegion(String);

    impl fmt::Display for UnknownTestRegion {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "unknown region `{}`", self.0)
        }
    }

    impl FromStr for TestRegion {
        type Err = UnknownTestRegion;

        fn from_str(id: &str) -> Result<Self, Self::Err> {
            match id {
                "north-1" => Ok(TestRegion::North),
                "south-1" => Ok(TestRegion::South),
                other => Err(UnknownTestRegion(other.to_owned())),
            }
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum TestCode {
        Busy,
        NotFound,
    }

    impl ErrorCatalogue for TestCode {
        fn from_code(code: &str) -> Option<Self> {
            match code {
                "T.001" => Some(TestCode::Busy),
                "T.404" => Some(TestCode::NotFound),
                _ => None,
            }
        }

        fn is_retryable(&self) -> bool {
            *self == TestCode::Busy
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_region_id;

    #[test]
    fn region_ids_are_host_labels() {
        for id in ["cn-north-4", "ap-southeast-3", "xx1"] {
            assert!(is_region_id(id), "{id}");
        }
        let long = "a".repeat(64);
        for id in [
            "",
            "Cn-north-4",
            "cn--north",
            "-cn",
            "cn-",
            "cn_north",
            "mars north 1",
            &long,
        ] {
            assert!(!is_region_id(id), "{id:?}");
        }
    }
}
