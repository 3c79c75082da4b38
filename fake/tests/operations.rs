//! Every operation of the spec, called once through the generated client against the fake:
//! each request passes the fake's generated checks and each reply decodes into the operation's
//! generated output type (the spec's schema), or the test names the operations that failed.

#[path = "../src/generated/calls.rs"]
#[rustfmt::skip]
mod calls;

use codearts_build_fake::Fake;

#[tokio::test]
async fn every_operation_answers_with_a_reply_that_fits_its_schema() {
    let fake = Fake::start().await;
    let client = fake.client();
    // The documented examples name jobs, builds, a record and a keystore; the fake holds them.
    for id in [
        "db8467d972cc47f7a1bd2a3a3e77596a",
        "5b43d81c249442ad82b2c53aa7e954f3",
        "cb5fa20de5fd4cf8be681d4bd6fdd2f6",
        "b4d3971c3988463b865f6f920846149e",
        "f9d6c8466d614a9788e9a0acf6c15f46",
        "b782c3766b8311efb818fa163ed0d7fd",
        "901878212b1a49be9c1a1054c272762a",
    ] {
        fake.create_job_with_id(id, "example");
    }
    let record = "2cc26382-b2cb-4234-8eb0-b37d362f4d4c";
    assert_eq!(
        fake.start_build("901878212b1a49be9c1a1054c272762a", Some(record)),
        Some(1)
    );
    fake.add_keystore(
        "1e68199508214389a3eff8302dbe868f",
        "file.xml",
        b"keystore".to_vec(),
    );
    let mut failures = Vec::new();
    let mut called = 0;
    for call in calls::every_operation(&client) {
        let (id, outcome) = call.await;
        called += 1;
        if let Err(e) = outcome {
            failures.push(format!("{id}: {e}"));
        }
    }
    assert!(
        calls::SKIPPED.is_empty(),
        "not called: {:?}",
        calls::SKIPPED
    );
    assert_eq!(called, codearts_build_fake::operation_ids().count());
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every call reached its route: none fell through to the 404 of an unknown path.
    let requests = fake.requests();
    assert_eq!(requests.len(), called);
    assert!(requests.iter().all(|r| r.operation.is_some()));
    assert!(requests.iter().all(|r| r.header("authorization").is_none()));
}
