//! The validated, resolved model the emitters work from: Rust names chosen, references resolved,
//! everything in a deterministic order.

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Operations sorted by id.
    pub operations: Vec<Operation>,
    /// Named types (component schemas, inline objects and enums) sorted by Rust name.
    pub types: Vec<NamedType>,
    /// Who the generated crate is (`x-service`).
    pub service: Service,
    /// Regions from `servers`, in spec order.
    pub regions: Vec<Region>,
    /// The endpoint of any region id, from the server with a `{region}` variable.
    pub region_pattern: Option<RegionPattern>,
    /// Servers that name no region: endpoints to pass to the client builder as they are.
    pub endpoints: Vec<Endpoint>,
    /// Error codes from `x-error-codes`, in spec order.
    pub error_codes: Vec<ErrorCode>,
    /// Every documented example, in operation order.
    pub examples: Vec<Example>,
    /// The areas from the root `tags:` list, in spec order; empty when the spec declares none
    /// (then nothing is gated behind a Cargo feature).
    pub areas: Vec<Area>,
    /// Build status enums (`x-build-state`), by type.
    pub build_states: Vec<BuildState>,
    /// The `wait_for_*` methods (`x-waiters`), in spec order.
    pub waiters: Vec<Waiter>,
    /// The operations behind `run_build` (`x-build-workflow`).
    pub build_workflow: Option<BuildWorkflow>,
}

/// A string enum with `x-build-state`: which variants end a build and which mean success.
#[derive(Debug, Clone)]
pub struct BuildState {
    /// Rust name of the enum.
    pub ty: String,
    /// Variants after which the build no longer changes.
    pub terminal: Vec<String>,
    /// Terminal variants that mean the build passed.
    pub success: Vec<String>,
    /// Areas of the enum type (its `cfg`).
    pub areas: Vec<String>,
}

/// A `wait_for_*` client method (`x-waiters`).
#[derive(Debug, Clone)]
pub struct Waiter {
    /// Method name.
    pub method: String,
    /// What it waits for.
    pub summary: String,
    /// Client method of the polled operation.
    pub operation: String,
    /// The polled operation's rate-limit class.
    pub rate_limit_class: Option<String>,
    /// The polled operation's area.
    pub area: Option<String>,
    /// Whether the polled operation is deprecated.
    pub deprecated: bool,
    /// Inputs: the polled operation's required parameters, in order.
    pub inputs: Vec<WaiterInput>,
    /// Path of the returned value in the reply.
    pub result: Vec<Step>,
    /// Its type.
    pub result_ty: TypeRef,
    /// Path of the state, relative to the returned value.
    pub state: Vec<Step>,
    /// When the wait is over.
    pub until: Until,
    /// Path (relative to the returned value) of a string whose presence also ends the wait.
    pub finished_when: Option<Vec<Step>>,
}

/// One input of a [`Waiter`], a required parameter of the polled operation.
#[derive(Debug, Clone)]
pub struct WaiterInput {
    /// The request field (and fluent setter).
    pub field: String,
    /// Its type.
    pub ty: TypeRef,
    /// Taken as a `BuildNumber`.
    pub build_number: bool,
}

/// When a [`Waiter`] is done.
#[derive(Debug, Clone)]
pub enum Until {
    /// The state, an enum with `x-build-state`, is terminal.
    Terminal,
    /// The state serializes to this JSON value.
    Equals(serde_json::Value),
}

/// `x-build-workflow`, resolved.
#[derive(Debug, Clone)]
pub struct BuildWorkflow {
    /// Client method of the start operation.
    pub start: String,
    /// Rust type of its request body.
    pub start_body: TypeRef,
    /// Wire path of the job id in the body.
    pub job_id: Vec<String>,
    /// Wire path of the parameter array.
    pub parameters: Vec<String>,
    /// Wire names of an entry's name and value.
    pub parameter_name: String,
    /// See `parameter_name`.
    pub parameter_value: String,
    /// The custom parameter naming the branch.
    pub branch_parameter: String,
    /// Wire path of the tag.
    pub tag: Vec<String>,
    /// Wire path of the commit.
    pub commit: Vec<String>,
    /// Path of the build number (a string or integer) in the start reply, with its type.
    pub build_number: (Vec<Step>, TypeRef),
    /// Wire form of that path, for error messages.
    pub build_number_wire: String,
    /// Rust type of the start reply.
    pub started_ty: TypeRef,
    /// The waiter method.
    pub wait: String,
    /// Its record type.
    pub record_ty: TypeRef,
    /// Path of the status in the record, and the status enum's Rust name.
    pub status: (Vec<Step>, String),
    /// Path of the duration (milliseconds, an integer) in the record.
    pub duration: Vec<Step>,
    /// Client method of the stop operation; its fields taking the job id and build number.
    pub stop: String,
    /// The stop request's job id and build number fields.
    pub stop_fields: [String; 2],
    /// Client method of the log operation.
    pub log: String,
    /// The log request's job id and build number fields.
    pub log_fields: [String; 2],
    /// Required string parameters of the log operation that are not the job or build (such as
    /// `size`), with their default.
    pub log_defaults: Vec<(String, String)>,
    /// Areas of every operation involved (the `cfg` of `run_build`).
    pub areas: Vec<String>,
    /// The start operation's area (the `cfg` of the build number accessor on its reply).
    pub start_area: Option<String>,
}

/// An area of the API (a root tag): one Cargo feature of the generated crate.
#[derive(Debug, Clone)]
pub struct Area {
    /// Tag name, also the feature name (`jobs`, `recycle-bin`).
    pub name: String,
    /// The tag's one-line description.
    pub description: Option<String>,
    /// Other areas whose code this area's code calls (a log follow that asks a record operation
    /// whether the build has finished), so its feature must enable theirs.
    pub requires: Vec<String>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// operationId in snake_case, also the module and client method name.
    pub id: String,
    /// operationId as the spec writes it (`ShowJobStatus`, `listJobs` or `show_job_status`).
    pub spec_id: String,
    /// Rust identifier for the client method (may be raw); the id, unless that is one of the
    /// client's own methods.
    pub method_name: String,
    /// Why the method is not named after the id, when it is not.
    pub method_note: Option<String>,
    /// Module file name.
    pub module: String,
    /// PascalCase stem for the request and builder type names.
    pub pascal: String,
    /// Uppercase HTTP method.
    pub http_method: String,
    /// Path template.
    pub path: String,
    /// Summary line.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Documentation notes.
    pub doc_notes: Vec<String>,
    /// Successor's client method when deprecated.
    pub deprecated: Option<Deprecation>,
    /// Retried by default.
    pub idempotent: bool,
    /// Path, query and header parameters in spec order.
    pub params: Vec<Param>,
    /// JSON request body.
    pub body: Option<Body>,
    /// `multipart/form-data` request body instead, its parts flattened into request fields.
    pub form: Option<Form>,
    /// What a 2xx response decodes into.
    pub response: ResponseKind,
    /// Paging support.
    pub pagination: Option<Pagination>,
    /// Log follow support.
    pub log_follow: Option<LogFollow>,
    /// The vendor API gateway's throttling policy, one of [`RATE_LIMIT_CLASSES`].
    pub rate_limit_class: Option<String>,
    /// How a 2xx reply reports failure, when it carries a status envelope.
    pub status_envelope: Option<StatusEnvelope>,
    /// The operation's area (its one tag), when the spec declares areas.
    pub area: Option<String>,
}

/// A reply that reports its own outcome (`x-status-envelope`); paths are dotted wire names.
#[derive(Debug, Clone)]
pub struct StatusEnvelope {
    /// Path of the outcome property.
    pub status: String,
    /// The outcome value that means failure.
    pub failure: String,
    /// Path of the failure text.
    pub message: String,
}

/// The throttling policies the vendor's API gateway applies to CodeArts Build operations
/// (`x-apigateway-ratelimit` in its API Explorer), as accepted in `x-rate-limit-class`. The
/// policies' numbers are not published; see `spec/README.md`.
pub const RATE_LIMIT_CLASSES: &[&str] = &[
    "cloudbuild_ext",
    "five_50_min",
    "ten_20_min",
    "ten_50_min",
    "ten_120_min",
    "ten_180_min",
];

/// Marks a legacy operation.
#[derive(Debug, Clone)]
pub struct Deprecation {
    /// operationId of the successor, if any.
    pub replaced_by: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// A path, query or header parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Wire name.
    pub wire: String,
    /// Rust field name.
    pub field: String,
    /// Where it goes.
    pub location: Location,
    /// Whether the caller must supply it.
    pub required: bool,
    /// Value type: a scalar or string enum, or (query parameters only) an array of them, sent
    /// as one `name=value` pair per item.
    pub ty: TypeRef,
    /// Description.
    pub description: Option<String>,
    /// Documented constraints (of the array itself for an array parameter: item counts).
    pub constraints: Constraints,
    /// Documented constraints of each item of an array parameter.
    pub item_constraints: Constraints,
    /// Why `field` is not the snake_case wire name, when it is not (a rename out of a name
    /// the request's builders use).
    pub note: Option<String>,
    /// Documented default, as JSON.
    pub default: Option<serde_json::Value>,
}

/// The JSON request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Body type.
    pub ty: TypeRef,
    /// Whether the body must be sent.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
}

/// A `multipart/form-data` request body.
#[derive(Debug, Clone)]
pub struct Form {
    /// Whether the body must be sent.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// The parts, in the schema's property order.
    pub parts: Vec<FormPart>,
}

/// One part of a [`Form`], a field of the request.
#[derive(Debug, Clone)]
pub struct FormPart {
    /// Part name on the wire.
    pub wire: String,
    /// Rust field name.
    pub field: String,
    /// Why `field` is not the snake_case part name, when it is not.
    pub note: Option<String>,
    /// [`TypeRef::File`] for a file part, else the scalar or string enum of a text part.
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Documented constraints of a text part.
    pub constraints: Constraints,
}

/// What a successful response decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// A JSON body.
    Json(TypeRef),
    /// A binary body, streamed.
    Binary,
    /// No body.
    Empty,
}

/// How a list operation pages.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Page numbers or item offsets.
    pub style: PageStyle,
    /// Where the paging fields are.
    pub location: PageLocation,
    /// The position field (page number or offset).
    pub position: PageField,
    /// The page size field.
    pub size: PageField,
    /// The number of the first page (style page; 0 for offsets).
    pub first_page: u64,
    /// Path to the item list in the response; empty when the response is the list.
    pub items: Vec<Step>,
    /// Item type.
    pub item_ty: TypeRef,
    /// Path to the total count in the response, and its type (an integer or a numeric string).
    pub total: Option<(Vec<Step>, TypeRef)>,
}

/// Where the paging fields of a request are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLocation {
    /// Query parameters (fields of the request).
    Query,
    /// Top-level properties of the JSON request body; `optional_body` when the body is an
    /// `Option` (its type then has a `Default`).
    Body {
        /// The request's `body` field is an `Option`.
        optional_body: bool,
    },
}

/// A paging field: a request field, or a property of the request body.
#[derive(Debug, Clone)]
pub struct PageField {
    /// Rust field name.
    pub field: String,
    /// Its integer type.
    pub ty: TypeRef,
    /// Whether it is required (not an `Option`).
    pub required: bool,
}

/// Paging styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// The position parameter counts items.
    OffsetLimit,
    /// The position parameter counts pages.
    Page,
}

/// One step of a dotted path into a response: a field and whether it is an `Option`.
#[derive(Debug, Clone)]
pub struct Step {
    /// Rust field name.
    pub field: String,
    /// The field is an `Option`.
    pub optional: bool,
}

/// How the real-time log operation is followed.
#[derive(Debug, Clone)]
pub struct LogFollow {
    /// Field of the offset parameter.
    pub offset_field: String,
    /// Type of the offset parameter.
    pub offset_ty: TypeRef,
    /// Whether the offset parameter is required.
    pub offset_required: bool,
    /// Path to the next offset.
    pub next_offset: Vec<Step>,
    /// Type of the next offset.
    pub next_offset_ty: TypeRef,
    /// Path to the "more data" flag.
    pub has_more: Vec<Step>,
    /// Path to the log text.
    pub content: Vec<Step>,
    /// How to ask whether the build has finished, when the spec says.
    pub finished: Option<FinishedCheck>,
}

/// A second operation that tells whether the followed build has finished, so that following
/// does not stop while a build that has not started logging yet reports "no more data".
#[derive(Debug, Clone)]
pub struct FinishedCheck {
    /// Client method of the operation.
    pub method: String,
    /// Module of the operation.
    pub module: String,
    /// PascalCase stem of its request type.
    pub pascal: String,
    /// Whether it is deprecated (the call then needs `allow(deprecated)`).
    pub deprecated: bool,
    /// Each field of its request, with the log request's field that fills it (or `None`).
    pub fields: Vec<FinishedField>,
    /// Path to the value that is set once the build has finished.
    pub when: Vec<Step>,
    /// Whether that value is a string (then it must also be non-empty).
    pub when_is_string: bool,
}

/// One field of a [`FinishedCheck`] request.
#[derive(Debug, Clone)]
pub struct FinishedField {
    /// The field in the check's request.
    pub field: String,
    /// The log request's field with the same wire name, if any.
    pub source: Option<String>,
    /// Whether the check's field is an `Option`.
    pub optional: bool,
    /// Whether the source field is an `Option`.
    pub source_optional: bool,
}

/// A reference to a type from a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `serde_json::Value`.
    Any,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A generated type, by Rust name.
    Named(String),
    /// A file part of a multipart body (`crate::FilePart`); never inside other types.
    File,
}

/// Documented constraints of a value, checked before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Translated (regex-lite) pattern.
    pub pattern: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// Inclusive lower bound.
    pub minimum: Option<f64>,
    /// Inclusive upper bound.
    pub maximum: Option<f64>,
    /// Minimum number of items.
    pub min_items: Option<u64>,
    /// Maximum number of items.
    pub max_items: Option<u64>,
    /// The documented values of an integer, number or boolean (`enum` on such a schema; string
    /// enums are types of their own).
    pub allowed: Option<Vec<serde_json::Value>>,
}

impl Constraints {
    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A generated type.
#[derive(Debug, Clone)]
pub struct NamedType {
    /// Rust name.
    pub name: String,
    /// Module file name under `src/types/`.
    pub module: String,
    /// Description.
    pub description: Option<String>,
    /// Where it came from, for docs (`#/components/schemas/X`).
    pub origin: String,
    /// Reachable from a response body.
    pub in_response: bool,
    /// Reachable from a request body or parameter.
    pub in_request: bool,
    /// The areas of the operations that reach this type, in area order: the type is compiled
    /// only with one of their features. Empty when no operation of an area reaches it
    /// (then it is always compiled).
    pub areas: Vec<String>,
    /// Struct or enum.
    pub kind: TypeKind,
}

/// Shape of a generated type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Vec<Field>),
    /// A string enum with an `Unknown` fallback.
    Enum(Vec<Variant>),
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub name: String,
    /// Value type (without the `Option`).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// Description.
    pub description: Option<String>,
    /// Documented constraints.
    pub constraints: Constraints,
    /// Deprecated property.
    pub deprecated: bool,
    /// Held in a `Box`: the field closes a cycle of struct types that would otherwise be
    /// infinitely large.
    pub boxed: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum variant.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Wire value.
    pub wire: String,
    /// Rust name.
    pub name: String,
}

/// The generated crate's identity, from the spec's `x-service` block.
#[derive(Debug, Clone)]
pub struct Service {
    /// Cargo package name (`codearts-build`).
    pub crate_name: String,
    /// Library name as code writes it (`codearts_build`).
    pub lib_name: String,
    /// The product's display name (`CodeArts Build`).
    pub product: String,
    /// Prefix of the environment variables the client reads (`CODEARTS_BUILD`).
    pub env_prefix: String,
    /// `User-Agent` product token (`codearts-build-rust`).
    pub user_agent: String,
    /// crates.io keywords.
    pub keywords: Vec<String>,
    /// The parameter that takes the client's project id when the caller leaves it unset.
    pub project_id: Option<ProjectIdParam>,
}

/// A parameter, by wire name and location, that defaults to the client's project id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectIdParam {
    /// Wire name.
    pub wire: String,
    /// Where it goes.
    pub location: Location,
}

impl ProjectIdParam {
    /// Whether `param` is this parameter (a string, so the project id fits it).
    pub fn matches(&self, param: &Param) -> bool {
        param.wire == self.wire && param.location == self.location && param.ty == TypeRef::String
    }
}

/// The endpoint URL of every region id: a server URL with one `{region}` variable.
#[derive(Debug, Clone)]
pub struct RegionPattern {
    /// The URL before `{region}`.
    pub prefix: String,
    /// The URL after `{region}`, without a trailing `/`.
    pub suffix: String,
    /// The variable's default region id.
    pub default: String,
}

impl RegionPattern {
    /// The endpoint of region `id`.
    pub fn url(&self, id: &str) -> String {
        format!("{}{id}{}", self.prefix, self.suffix)
    }
}

/// A server that names no region.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Base URL.
    pub url: String,
    /// What it is.
    pub description: Option<String>,
}

/// A region from `servers`.
#[derive(Debug, Clone)]
pub struct Region {
    /// Region id such as `cn-north-4`.
    pub id: String,
    /// Rust variant name.
    pub variant: String,
    /// Endpoint URL.
    pub url: String,
    /// Human-readable name.
    pub description: Option<String>,
}

/// An error code from `x-error-codes`.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// Code such as `CB.00060200`.
    pub code: String,
    /// Rust variant name.
    pub variant: String,
    /// HTTP status.
    pub status: u16,
    /// Meaning.
    pub message: String,
    /// Whether retrying can help.
    pub retryable: bool,
}

/// A documented example and the type it must fit.
#[derive(Debug, Clone)]
pub struct Example {
    /// Test function name.
    pub test_name: String,
    /// Where it sits in the spec.
    pub origin: String,
    /// The type it must deserialize into.
    pub ty: TypeRef,
    /// The example as JSON.
    pub value: serde_json::Value,
}
