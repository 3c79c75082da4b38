"""Drives a running codearts-build-fake with the vendor's Python SDK, unchanged.

Usage: python drive_fake.py ENDPOINT AK SK PROJECT_ID

A GET with a query, a JSON POST (create a job, run it), a download, a multipart upload, and a
wrong secret key, which must raise the SDK's own 401 exception. Exits non-zero on the first
mismatch, naming it.
"""

import os
import tempfile
import json
import sys
import urllib.request

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcodeartsbuild.v3 import (
    CodeArtsBuildClient,
    CreateNewJobRequest,
    CreateBuildJobRequestBody,
    CreateBuildJobSteps,
    DownloadKeystoreByNameRequest,
    ExecuteJobRequest,
    RunJobRequestBody,
    ListKeystoreRequest,
    ListProjectJobsRequest,
    ShowJobBuildRecordDetailRequest,
    UploadKeystoreRequest,
    UploadKeystoreRequestBody,
)
from huaweicloudsdkcore.http.formdata import FormFile


def client(endpoint, ak, sk, project_id):
    config = HttpConfig.get_default_config()
    builder = (
        CodeArtsBuildClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(ak, sk, project_id))
    )
    builder = builder.with_endpoints([endpoint]) if hasattr(builder, "with_endpoints") else builder.with_endpoint(endpoint)
    return builder.build()


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def main():
    endpoint, ak, sk, project_id = sys.argv[1:5]
    sdk = client(endpoint, ak, sk, project_id)

    # A JSON POST: create a job, then run it.
    created = sdk.create_new_job(
        CreateNewJobRequest(
            body=CreateBuildJobRequestBody(
                arch="x86-64",
                project_id=project_id,
                job_name="from-python",
                steps=[CreateBuildJobSteps(module_id="devcloud2018.codeci_action_20043.action", name="Maven", version="1.0")],
            )
        )
    )
    job_id = created.result.job_id
    check(job_id and len(job_id) == 32, f"create_new_job returned job {job_id}")
    run = sdk.execute_job(ExecuteJobRequest(body=RunJobRequestBody(job_id=job_id)))
    check(run.actual_build_number == "1", f"execute_job started build {run.actual_build_number}")
    detail = sdk.show_job_build_record_detail(ShowJobBuildRecordDetailRequest(job_id=job_id, build_no=1))
    check(detail.result.status in ("RUNNING", "SUCCESS"), f"the record reads {detail.result.status}")

    # A GET with a query.
    listed = sdk.list_project_jobs(ListProjectJobsRequest(project_id=project_id, page_index=0, page_size=10))
    names = [job.job_name for job in listed.jobs]
    check(listed.total == 1 and names == ["from-python"], f"list_project_jobs lists {names}")

    # A multipart upload, then the list and the download of the same file.
    data = b"JKS keystore bytes from the Python SDK"
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "release.jks")
    with open(path, "wb") as f:
        f.write(data)
    with open(path, "rb") as f:
        uploaded = sdk.upload_keystore(
            UploadKeystoreRequest(
                body=UploadKeystoreRequestBody(file=FormFile(f), privacy="true", description="ci")
            )
        )
    keystore_id = uploaded.result.keystore_id
    check(bool(keystore_id), f"upload_keystore stored {keystore_id}")
    stores = sdk.list_keystore(ListKeystoreRequest())
    check([k.id for k in stores.result] == [keystore_id], "list_keystore lists the upload")
    download = sdk.download_keystore_by_name(
        DownloadKeystoreByNameRequest(name="release.jks", domain_id="60021bab32fd450aa2cb89226f425e06", id=keystore_id)
    )
    chunks = []
    download.consume_download_stream(
        lambda stream: chunks.append(stream.content if hasattr(stream, "content") else stream.read())
    )
    body = b"".join(chunks)
    check(body == data or data in body, "download_keystore_by_name returns the uploaded bytes")

    # A wrong secret key: the SDK's own 401 exception with the gateway's code.
    wrong = client(endpoint, ak, sk + "x", project_id)
    try:
        wrong.list_keystore(ListKeystoreRequest())
    except exceptions.ClientRequestException as e:
        check(e.status_code == 401 and e.error_code == "APIGW.0301", f"wrong SK -> {e.status_code} {e.error_code}")
    else:
        check(False, "a wrong secret key was accepted")

    # Every call above reached its route.
    with urllib.request.urlopen(endpoint + "/__fake/requests") as reply:
        seen = [r["operation"] for r in json.load(reply)]
    check(None not in seen, f"every request matched a route: {seen}")


if __name__ == "__main__":
    main()
