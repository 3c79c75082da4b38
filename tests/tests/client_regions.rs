//! Regions: every region the vendor lists for the service, any other region id through the
//! documented host pattern, and a region id from the environment.

use std::collections::BTreeMap;
use std::str::FromStr;

use codearts_build::{Client, Credentials, Region};

/// The vendor SDKs' `CodeArtsBuildRegion` list, plus cn-northeast-1 from the API reference.
const VENDOR_REGIONS: &[&str] = &[
    "cn-north-4",
    "cn-north-1",
    "cn-east-2",
    "cn-south-1",
    "cn-east-3",
    "cn-south-2",
    "cn-southwest-2",
    "ap-southeast-3",
    "sa-brazil-1",
    "la-north-2",
    "la-south-2",
    "tr-west-1",
    "cn-northeast-1",
];

#[test]
fn every_vendor_region_is_listed_with_its_endpoint() {
    assert_eq!(Region::ALL.len(), VENDOR_REGIONS.len());
    for id in VENDOR_REGIONS {
        let region = Region::from_str(id).expect("listed region");
        assert!(Region::ALL.contains(&region), "{id} is not in Region::ALL");
        assert!(!matches!(region, Region::Other(_)), "{id} is not a variant");
        assert_eq!(region.id(), *id);
        assert_eq!(
            region.endpoint(),
            format!("https://cloudbuild-ext.{id}.myhuaweicloud.com")
        );
    }
    assert_eq!(Region::new("ap-southeast-3"), Ok(Region::ApSoutheast3));
    assert_eq!(Region::TrWest1.to_string(), "tr-west-1");
}

#[test]
fn an_unlisted_region_id_gets_the_endpoint_of_the_host_pattern() {
    let region = Region::new("me-east-1").expect("a well-formed region id");
    let Region::Other(other) = &region else {
        panic!("me-east-1 is not listed: {region:?}");
    };
    assert_eq!(other.id(), "me-east-1");
    assert_eq!(region.id(), "me-east-1");
    assert_eq!(
        region.endpoint(),
        "https://cloudbuild-ext.me-east-1.myhuaweicloud.com"
    );
    assert_eq!(region.to_string(), "me-east-1");
    assert_eq!("me-east-1".parse::<Region>(), Ok(region.clone()));
    let client = Client::builder()
        .region(region)
        .credentials(Credentials::token("token"))
        .build()
        .expect("client");
    assert_eq!(
        client.endpoint().trim_end_matches('/'),
        "https://cloudbuild-ext.me-east-1.myhuaweicloud.com"
    );
}

#[test]
fn an_id_that_cannot_be_part_of_a_host_name_is_refused_with_the_reason() {
    for bad in [
        "",
        "CN-North-4",
        "cn_north_4",
        "cn--north",
        "-cn",
        "cn.north.4",
        "a b",
    ] {
        let error = Region::new(bad).expect_err(bad);
        assert_eq!(error.id(), bad);
        assert!(
            error.to_string().contains("lower-case letters and digits"),
            "{error}"
        );
    }
}

#[test]
fn a_region_id_from_the_environment_need_not_be_listed() {
    let vars: BTreeMap<&str, &str> = [
        ("CODEARTS_BUILD_TOKEN", "token"),
        ("CODEARTS_BUILD_REGION", "af-south-1"),
    ]
    .into();
    let client = Client::builder()
        .from_lookup(|name: &str| vars.get(name).map(|v| v.to_string()))
        .and_then(|b| b.build())
        .expect("client");
    assert_eq!(
        client.endpoint().trim_end_matches('/'),
        "https://cloudbuild-ext.af-south-1.myhuaweicloud.com"
    );
}
