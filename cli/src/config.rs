//! The client, from the global flags and the environment.
//!
//! Credentials are found by the runtime's credentials chain (`ClientBuilder::from_lookup`);
//! the `--profile` and `--credentials-file` flags only stand in for the variables the chain
//! reads, so the order of sources is the library's.

use clap::ArgMatches;
use codearts_build::{Client, Region};

use crate::failure::{code, Failure};

/// The variable of the credentials chain that `--profile` stands for.
const PROFILE_VAR: &str = "CODEARTS_BUILD_PROFILE";
/// The variable of the credentials chain that `--credentials-file` stands for.
const CREDENTIALS_FILE_VAR: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";

/// A client configured from the flags in `matches`, then the environment.
pub fn client(matches: &ArgMatches) -> Result<Client, Failure> {
    let flag = |id: &str| matches.get_one::<String>(id).cloned();
    let profile = flag("profile");
    let credentials_file = flag("credentials_file");
    let lookup = move |name: &str| match name {
        PROFILE_VAR if profile.is_some() => profile.clone(),
        CREDENTIALS_FILE_VAR if credentials_file.is_some() => credentials_file.clone(),
        _ => std::env::var(name).ok(),
    };
    let mut builder = Client::builder().from_lookup(lookup)?;
    if let Some(region) = flag("region") {
        let region = region
            .parse::<Region>()
            .map_err(|e| Failure::new(code::CONFIG, format!("--region: {e}")))?;
        builder = builder.region(region);
    }
    if let Some(endpoint) = flag("endpoint") {
        builder = builder.endpoint(endpoint);
    }
    if let Some(project_id) = flag("project_id") {
        builder = builder.project_id(project_id);
    }
    Ok(builder.build()?)
}
