//! Typed view of the OpenAPI 3.0.3 subset the generator understands.
//!
//! Structs deny unknown fields so a typo in the spec (`requried`, `descripton`) is an error instead
//! of a silently ignored key. Constructs the generator does not support (`oneOf`, `allOf`, ...)
//! are still accepted here so that validation can report them with their exact location.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// The root document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Must be a 3.0.x version.
    pub openapi: String,
    /// Title, version and description of the API.
    pub info: Info,
    /// The regional endpoints: one server per region, a server whose URL has a `{region}`
    /// variable (the host pattern of every region), and endpoint-only servers.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// The service's identity: crate and library names, environment variable prefix, user
    /// agent, and which parameter takes the client's project id.
    #[serde(default, rename = "x-service")]
    pub service: Option<ServiceInfo>,
    /// Accepted authentication schemes; the runtime implements them, the generator ignores them.
    #[serde(default)]
    pub security: Vec<BTreeMap<String, Vec<String>>>,
    /// The areas (`name`, `description`), each a Cargo feature; checked in `resolve::areas`.
    #[serde(default)]
    pub tags: Vec<Value>,
    /// Path templates to their operations, sorted so output order never depends on the file.
    pub paths: BTreeMap<String, PathItem>,
    /// Shared schemas and responses.
    #[serde(default)]
    pub components: Components,
    /// The service's error code catalogue.
    #[serde(default, rename = "x-error-codes")]
    pub error_codes: Vec<ErrorCodeEntry>,
    /// The `wait_for_*` methods of the client (see `resolve::waiters`).
    #[serde(default, rename = "x-waiters")]
    pub waiters: Vec<WaiterHint>,
    /// The operations behind `run_build` (see `resolve::waiters`).
    #[serde(default, rename = "x-build-workflow")]
    pub build_workflow: Option<BuildWorkflowHint>,
    /// What could not be read when the spec had errors (see [`load`](crate::load)): references
    /// to these are not reported again as dangling.
    #[serde(skip)]
    pub broken: Broken,
}

/// Parts of a spec that failed to load; validation keeps going without them.
#[derive(Debug, Default)]
pub struct Broken {
    /// JSON pointers of components that could not be read (`#/components/parameters/X`).
    pub components: std::collections::BTreeSet<String>,
    /// operationIds of operations that could not be read.
    pub operation_ids: std::collections::BTreeSet<String>,
}

/// `info`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Info {
    /// API title.
    pub title: String,
    /// API version, exposed as `SPEC_VERSION`.
    pub version: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// License of the document; ignored.
    #[serde(default)]
    pub license: Option<Value>,
    /// Contact; ignored.
    #[serde(default)]
    pub contact: Option<Value>,
}

/// One entry of `servers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Base URL of the regional endpoint.
    pub url: String,
    /// Human-readable region name.
    #[serde(default)]
    pub description: Option<String>,
    /// Region id such as `cn-north-4`, used for the `Region` enum; without it (and without a
    /// `{region}` variable) the server is an endpoint-only server.
    #[serde(default, rename = "x-region-id")]
    pub region_id: Option<String>,
    /// URL template variables; only `region` is understood (see `resolve::service`).
    #[serde(default)]
    pub variables: BTreeMap<String, ServerVariable>,
}

/// One entry of a server's `variables`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerVariable {
    /// The value used when none is chosen.
    pub default: String,
    /// The values the variable may take; for `region`, the listed region ids.
    #[serde(default, rename = "enum")]
    pub values: Vec<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
}

/// `x-service`: who the generated crate is; every field is checked in `resolve::service`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServiceInfo {
    /// Cargo package name of the generated crate, such as `codearts-build`.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// Library name as user code writes it; the package name with `-` as `_` when absent.
    pub lib: Option<String>,
    /// The product's display name in docs, such as `CodeArts Build`.
    pub product: String,
    /// Prefix of the environment variables the client reads, such as `CODEARTS_BUILD`.
    pub env_prefix: String,
    /// Product token of the `User-Agent` header, such as `codearts-build-rust`.
    pub user_agent: String,
    /// crates.io keywords of the generated crate.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The parameter that defaults to the client's project id.
    pub project_id: Option<ProjectIdParam>,
}

/// `x-service.project-id`: a parameter by wire name and location.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectIdParam {
    /// Wire name, such as `project_id`.
    pub name: String,
    /// `path`, `query` or `header`.
    #[serde(rename = "in")]
    pub location: String,
}

/// The operations of one path template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathItem {
    /// `get`.
    pub get: Option<Operation>,
    /// `put`.
    pub put: Option<Operation>,
    /// `post`.
    pub post: Option<Operation>,
    /// `delete`.
    pub delete: Option<Operation>,
    /// `patch`.
    pub patch: Option<Operation>,
    /// `head`.
    pub head: Option<Operation>,
    /// Parameters shared by every operation of the path; an operation's own parameter with the
    /// same `name` and `in` replaces one.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Summary of the path; documentation only.
    pub summary: Option<String>,
    /// Description of the path; documentation only.
    pub description: Option<String>,
}

impl PathItem {
    /// The operations in a fixed method order, with the lowercase method name.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("patch", &self.patch),
            ("head", &self.head),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }
}

/// One operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Operation {
    /// snake_case name of the operation; required by the conventions.
    pub operation_id: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// The operation's area: exactly one of the root tags when the spec declares any.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Legacy operation.
    #[serde(default)]
    pub deprecated: bool,
    /// Parameters, inline or `$ref`s to `components/parameters`.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Request body, inline or a `$ref` to `components/requestBodies`.
    pub request_body: Option<RequestBody>,
    /// Responses by status code.
    pub responses: BTreeMap<String, Response>,
    /// Per-operation security override; ignored.
    pub security: Option<Value>,
    /// operationId of the successor of a deprecated operation.
    #[serde(rename = "x-replaced-by")]
    pub replaced_by: Option<String>,
    /// Safe to retry although the method is not idempotent by definition.
    #[serde(default, rename = "x-idempotent")]
    pub idempotent: bool,
    /// Paging hint for list operations.
    #[serde(rename = "x-pagination")]
    pub pagination: Option<Pagination>,
    /// Hint for the real-time log operation.
    #[serde(rename = "x-log-follow")]
    pub log_follow: Option<LogFollow>,
    /// The vendor API gateway's throttling policy for this operation (`x-apigateway-ratelimit`).
    #[serde(rename = "x-rate-limit-class")]
    pub rate_limit_class: Option<String>,
    /// How the reply reports a failure inside a 2xx body.
    #[serde(rename = "x-status-envelope")]
    pub status_envelope: Option<StatusEnvelope>,
    /// Settled contradictions in the vendor docs.
    #[serde(default, rename = "x-doc-notes")]
    pub doc_notes: Vec<String>,
}

/// `x-pagination`; the vocabulary is documented in `spec/README.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Pagination {
    /// `offset-limit` or `page`.
    pub style: String,
    /// Page number parameter (style `page`).
    pub page_param: Option<String>,
    /// Page size parameter (style `page`).
    pub size_param: Option<String>,
    /// Item offset parameter (style `offset-limit`).
    pub offset_param: Option<String>,
    /// Page size parameter (style `offset-limit`).
    pub limit_param: Option<String>,
    /// Where the paging fields are: `query` (the default) or `body` (top-level properties of
    /// the JSON request body).
    #[serde(rename = "in")]
    pub location: Option<String>,
    /// The number of the first page (style `page`): 0 (the default) or 1.
    pub first_page: Option<u64>,
    /// Dotted path of the item list in the response; `$` for a response that is the list.
    pub items: String,
    /// Dotted path of the total count in the response, when it has one.
    pub total: Option<String>,
}

/// `x-status-envelope`: the reply carries its own outcome (`{"status": "fail", "error": "…"}`),
/// and a failure comes with HTTP 200.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StatusEnvelope {
    /// Dotted path of the outcome property in the response.
    pub status: String,
    /// The outcome value that means the call failed.
    pub failure: String,
    /// Dotted path of the failure text in the response.
    pub message: String,
}

/// `x-log-follow`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LogFollow {
    /// Query parameter carrying the read offset.
    pub offset_param: String,
    /// Dotted path of the next offset in the response.
    pub next_offset: String,
    /// Dotted path of the "more data" flag in the response.
    pub has_more: String,
    /// Dotted path of the log text in the response.
    pub content: String,
    /// Operation asked, once the log reports no more data, whether the build has finished;
    /// its parameters are taken from the same-named parameters of the log request.
    pub finished_operation: Option<String>,
    /// Dotted path in that operation's response that is set (and, for a string, non-empty)
    /// once the build has finished.
    pub finished_when: Option<String>,
}

/// A parameter, or a `$ref` to one in `components/parameters` (then nothing else is read).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Wire name; required unless this is a `$ref`.
    #[serde(default)]
    pub name: Option<String>,
    /// `path`, `query` or `header`; required unless this is a `$ref`.
    #[serde(default, rename = "in")]
    pub location: Option<String>,
    /// Whether the caller must supply it.
    #[serde(default)]
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Deprecated parameter.
    #[serde(default)]
    pub deprecated: bool,
    /// Type and constraints.
    pub schema: Option<Schema>,
    /// Serialization style; only the default of each location (`form` for query parameters,
    /// `simple` for path and header parameters) is supported.
    pub style: Option<String>,
    /// Whether array items become repeated `name=value` pairs; only `true` (the default of
    /// style `form`) is supported for array query parameters.
    pub explode: Option<bool>,
    /// Example value.
    pub example: Option<Value>,
    /// Reference to a shared parameter under `components/parameters`.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
}

/// A request body, or a `$ref` to one in `components/requestBodies`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    /// Reference to a shared request body.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Whether the body must be sent.
    #[serde(default)]
    pub required: bool,
    /// Media types: `application/json` or `multipart/form-data`.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
}

/// A response, inline or a `$ref` to `components/responses`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Reference to a shared response.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Media types.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
    /// Response headers; ignored.
    pub headers: Option<Value>,
}

/// One media type of a body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaType {
    /// Body schema.
    pub schema: Option<Schema>,
    /// Documented example.
    pub example: Option<Value>,
    /// Named examples are not part of the subset; reported by validation.
    pub examples: Option<Value>,
}

/// `components`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Components {
    /// Named schemas.
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    /// Shared responses.
    #[serde(default)]
    pub responses: BTreeMap<String, Response>,
    /// Shared parameters.
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameter>,
    /// Shared request bodies.
    #[serde(default)]
    pub request_bodies: BTreeMap<String, RequestBody>,
    /// Authentication schemes; implemented by the runtime.
    #[serde(default)]
    pub security_schemes: BTreeMap<String, Value>,
}

/// `additionalProperties`: a flag or a value schema.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` (free-form values) or `false` (no extra keys).
    Flag(bool),
    /// Values of this schema.
    Schema(Box<Schema>),
}

/// A schema object (or a `$ref` to one).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Schema {
    /// Reference to a named schema.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `format`.
    pub format: Option<String>,
    /// Short title; used as documentation when there is no description.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Object properties.
    pub properties: Option<BTreeMap<String, Schema>>,
    /// Required property names.
    #[serde(default)]
    pub required: Vec<String>,
    /// Array items.
    pub items: Option<Box<Schema>>,
    /// Map values.
    pub additional_properties: Option<AdditionalProperties>,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// The value may be null.
    #[serde(default)]
    pub nullable: bool,
    /// ECMA-262 regular expression.
    pub pattern: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// Inclusive lower bound.
    pub minimum: Option<f64>,
    /// Inclusive upper bound.
    pub maximum: Option<f64>,
    /// Exclusive bounds are not part of the subset; reported by validation.
    pub exclusive_minimum: Option<Value>,
    /// Exclusive bounds are not part of the subset; reported by validation.
    pub exclusive_maximum: Option<Value>,
    /// Minimum number of array items.
    pub min_items: Option<u64>,
    /// Maximum number of array items.
    pub max_items: Option<u64>,
    /// Items must be distinct; documented only.
    #[serde(default)]
    pub unique_items: bool,
    /// Default value; documented only.
    pub default: Option<Value>,
    /// Example value.
    pub example: Option<Value>,
    /// Only sent by the server.
    #[serde(default)]
    pub read_only: bool,
    /// Only sent by the client.
    #[serde(default)]
    pub write_only: bool,
    /// Deprecated property.
    #[serde(default)]
    pub deprecated: bool,
    /// Unsupported composition; reported by validation.
    pub all_of: Option<Value>,
    /// Unsupported composition; reported by validation.
    pub one_of: Option<Value>,
    /// Unsupported composition; reported by validation.
    pub any_of: Option<Value>,
    /// Unsupported composition; reported by validation.
    pub not: Option<Value>,
    /// Unsupported; reported by validation.
    pub discriminator: Option<Value>,
    /// Which values of a build status enum end a build, and which of those mean it passed.
    #[serde(rename = "x-build-state")]
    pub build_state: Option<BuildStateHint>,
}

/// `x-build-state` on a string enum schema: values are wire values of the enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildStateHint {
    /// The values after which the state no longer changes.
    pub terminal: Vec<String>,
    /// The terminal values that mean the build passed.
    pub success: Vec<String>,
}

/// One entry of `x-waiters`: a `wait_for_*` client method that polls an operation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaiterHint {
    /// The client method, such as `wait_for_build`.
    pub method: String,
    /// One line saying what it waits for.
    pub summary: String,
    /// operationId of the polled operation; its required parameters are the method's inputs.
    pub operation: String,
    /// The polled operation's parameter that is a build number (taken as a `BuildNumber`).
    pub build_number: Option<String>,
    /// Dotted path into the 200 body of the value the wait returns.
    pub result: String,
    /// Dotted path of the value that tells whether the wait is over.
    pub state: String,
    /// `terminal` (the state is an enum with `x-build-state` and is terminal) or `{equals: v}`.
    pub until: Value,
    /// Optional dotted path of a value whose presence (non-empty) also ends the wait.
    pub finished_when: Option<String>,
}

/// `x-build-workflow`: the operations and fields behind `run_build`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildWorkflowHint {
    /// operationId of the operation that starts a build (a JSON body).
    pub start: String,
    /// Dotted body path that takes the job id.
    pub job_id: String,
    /// Body path of the array of custom parameters.
    pub parameters: String,
    /// Property of a parameter entry that takes its name.
    pub parameter_name: String,
    /// Property of a parameter entry that takes its value.
    pub parameter_value: String,
    /// The custom parameter that selects the branch to build.
    pub branch_parameter: String,
    /// Body path that takes the tag to build.
    pub tag: String,
    /// Body path that takes the commit to build.
    pub commit: String,
    /// Dotted path into the start reply of the new build's number.
    pub build_number: String,
    /// The `x-waiters` method that waits for the build's final record.
    pub wait: String,
    /// Dotted path into that record of its build status.
    pub status: String,
    /// Dotted path into that record of the build's duration in milliseconds.
    pub duration: String,
    /// operationId of the operation that stops a build.
    pub stop: String,
    /// operationId of the real-time log operation (with `x-log-follow`).
    pub log: String,
}

/// One entry of `x-error-codes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCodeEntry {
    /// Service error code such as `CB.00060200`.
    pub code: String,
    /// HTTP status the code comes with.
    pub status: u16,
    /// What the code means.
    pub message: String,
    /// Whether retrying can help.
    #[serde(default)]
    pub retryable: bool,
    /// Rust variant name; derived from the code when absent.
    pub name: Option<String>,
}
