//! `tests/operations.rs`: one exchange test per operation, run against `codearts-testkit`.
//!
//! Each test calls its operation through the fluent builder with the spec's examples as inputs
//! (a parameter's `example` or its schema's; for a required parameter without one, the example
//! of a same-named parameter of another operation, its default, or a value made up from its type
//! and constraints) and the request body example (or one made up from its schema; for a
//! multipart body, the testkit's upload as each required file part and made-up values for the
//! required text parts), against an `Exchange` server of `codearts-testkit`
//! (`testkit/src/exchange.rs`) that checks the method, the percent-encoded path, the query pairs
//! (an array parameter's items as repeated pairs), the header parameters, the JSON body or the
//! multipart parts, and the AK/SK
//! signature, and answers with the documented success example; the decoded output must
//! serialize back to it. An operation that cannot be exercised this way gets a module whose doc
//! comment says why, so the gap is visible in review.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

mod pattern;
mod synth;

use super::docs;
use super::examples::external;
use super::rust::ident;
use crate::diag::Pointer;
use crate::ir::{Api, Constraints, Example, Location, Operation, Param, ResponseKind, TypeRef};
use synth::Synth;

/// `tests/operations.rs`: the test crate root. It only declares the module, so that
/// `#[rustfmt::skip]` keeps rustfmt off the generated tests (inner tool attributes at a crate
/// root are not stable).
pub const ROOT: &str = "\
//! One exchange test per operation: each calls its operation through the fluent builder with
//! the spec's examples, against an in-process server that checks the method, path, query,
//! headers, JSON body and AK/SK signature and answers with the documented reply, which must
//! decode without losing a value.

#[path = \"operations/mod.rs\"]
#[rustfmt::skip]
mod operations;
";

/// The testkit path for the default output directory, `generated/`, next to `testkit/`.
pub const DEFAULT_TESTKIT_PATH: &str = "../testkit";

/// The path of `testkit` (the `codearts-testkit` crate directory) as the crate generated into
/// `out` should name it: relative when both are inside `workspace` (so the committed crate does
/// not depend on where the repository is checked out), absolute otherwise. Always with `/`
/// separators, which Cargo accepts everywhere.
pub fn testkit_path(out: &Path, workspace: &Path, testkit: &Path) -> String {
    let absolute = |p: &Path| -> PathBuf {
        let mut existing = if p.is_relative() {
            std::env::current_dir().map_or_else(|_| p.to_path_buf(), |dir| dir.join(p))
        } else {
            p.to_path_buf()
        };
        // `out` may not exist yet: resolve its nearest existing ancestor and keep the rest.
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
        resolved.extend(rest.iter().rev());
        resolved
    };
    let (out, workspace, testkit) = (absolute(out), absolute(workspace), absolute(testkit));
    let slashes = |p: &Path| p.to_string_lossy().replace('\\', "/");
    match (
        out.strip_prefix(&workspace),
        testkit.strip_prefix(&workspace),
    ) {
        (Ok(from), Ok(to)) => {
            let up = from.components().count();
            let mut relative = "../".repeat(up);
            relative.push_str(&slashes(to));
            relative
        }
        _ => slashes(&testkit),
    }
}

/// Bytes besides ASCII letters and digits that stay unencoded in a path segment (RFC 3986).
const PATH_SAFE: &[u8] = b"-._~";

/// `tests/operations/mod.rs`: the client the tests share and one module per operation.
pub fn mod_file(crate_name: &str, tests: &Tests) -> TokenStream {
    let api = tests.api;
    let krate = ident(crate_name);
    let modules = api.operations.iter().map(|op| {
        let module = ident(&op.module);
        let path = format!("{}.rs", op.module);
        let doc = format!(" `{} {}`", op.http_method, docs::escape(&op.path));
        let cfg = super::features::operation_cfg(op);
        quote! {
            #[doc = #doc]
            #cfg
            #[path = #path]
            mod #module;
        }
    });
    // Without a test the client would be dead code, which `-D warnings` rejects: it is
    // compiled when an area with a test is (or always, when a test belongs to no area).
    let tested: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| plan(crate_name, tests, op).is_ok())
        .collect();
    let client_cfg = if tested.iter().any(|op| op.area.is_none()) {
        TokenStream::new()
    } else {
        let areas: Vec<String> = api
            .areas
            .iter()
            .map(|a| a.name.clone())
            .filter(|a| tested.iter().any(|op| op.area.as_ref() == Some(a)))
            .collect();
        super::features::cfg(&areas)
    };
    let client = (!tested.is_empty()).then(|| {
        quote! {
            /// A client that signs with the test keys and sends to `server`.
            #client_cfg
            fn client(server: &::codearts_testkit::server::TestServer) -> ::#krate::Client {
                ::#krate::Client::builder()
                    .endpoint(server.url())
                    // The test server speaks plain HTTP on loopback.
                    .allow_insecure_http(true)
                    .credentials(::#krate::Credentials::ak_sk(
                        ::codearts_testkit::exchange::ACCESS_KEY,
                        ::codearts_testkit::exchange::SECRET_KEY,
                    ))
                    .project_id(::codearts_testkit::exchange::PROJECT_ID)
                    .build()
                    .expect("a client for the test server")
            }
        }
    });
    quote! {
        #![doc = " One module per operation, each with its exchange test."]
        #client
        #( #modules )*
    }
}

/// `tests/operations/<module>.rs`: the exchange test of `op`, or the reason it has none.
pub fn operation_file(crate_name: &str, tests: &Tests, op: &Operation) -> TokenStream {
    let title = format!(
        "`{} {}`: [`{}`]({}::Client::{}).",
        op.http_method,
        docs::escape(&op.path),
        op.id,
        crate_name,
        op.method_name
    );
    let plan = match plan(crate_name, tests, op) {
        Ok(plan) => plan,
        Err(reason) => {
            let docs = docs::inner_attrs(&[title, format!("No exchange test: {reason}.")]);
            return quote!(#docs);
        }
    };
    let docs = docs::inner_attrs(&[title]);
    let krate = ident(crate_name);
    let id = &op.id;
    let method = &op.http_method;
    let path = &plan.path;
    let query = plan.query.iter().map(|(k, v)| quote!(.query(#k, #v)));
    let headers = plan.headers.iter().map(|(k, v)| quote!(.header(#k, #v)));
    let (body_const, expect_body, body_let, body_setter) = match &plan.body {
        Some((t, json, documented)) => {
            let t = external(&krate, t);
            let json = raw_str(json);
            let doc = if *documented {
                " The documented request body."
            } else {
                " A request body built from the body type: the spec documents none."
            };
            (
                Some(quote! {
                    #[doc = #doc]
                    const BODY: &str = #json;
                }),
                Some(quote!(.json_body(BODY))),
                Some(quote! {
                    let body: #t = ::serde_json::from_str(BODY).expect("the body fits its type");
                }),
                Some(quote!(.body(body))),
            )
        }
        None => (None, None, None, None),
    };
    let (reply_const, reply, check) = match &plan.reply {
        Reply::Json(status, json, documented) => {
            let json = raw_str(json);
            let doc = if *documented {
                " The documented reply."
            } else {
                " A reply built from the response type: the spec documents none."
            };
            (
                Some(quote! {
                    #[doc = #doc]
                    const REPLY: &str = #json;
                }),
                {
                    let status = Literal::u16_unsuffixed(*status);
                    quote!(.reply_json(#status, REPLY))
                },
                quote!(exchange.assert_output(&output);),
            )
        }
        Reply::Bytes(status) => (
            None,
            {
                let status = Literal::u16_unsuffixed(*status);
                quote!(.reply_bytes(#status))
            },
            quote! {
                let bytes = output.collect().await.expect("the download");
                exchange.assert_bytes(&bytes);
            },
        ),
        Reply::Empty(status) => {
            let status = Literal::u16_unsuffixed(*status);
            (None, quote!(.reply_empty(#status)), TokenStream::new())
        }
    };
    let bind = if matches!(plan.reply, Reply::Empty(_)) {
        TokenStream::new()
    } else {
        quote!(let output =)
    };
    let call = ident(&op.method_name);
    let setters = &plan.setters;
    let form = &plan.form;
    let failed = format!("{id}: {{e}}");
    let allow = op.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    let mut doc = format!(" `{id}` sends the request the spec's examples describe");
    if !plan.synthesised.is_empty() {
        doc.push_str(&format!(
            " (inputs without an example of their own: {})",
            plan.synthesised.join(", ")
        ));
    }
    doc.push_str(match plan.reply {
        Reply::Json(..) => ", signed, and gets the reply decoded without losing a value.",
        Reply::Bytes(_) => ", signed, and gets the download byte for byte.",
        Reply::Empty(_) => ", signed, and accepts the empty reply.",
    });
    quote! {
        #docs
        #body_const
        #reply_const

        #[doc = #doc]
        #[tokio::test]
        #allow
        async fn exchange() {
            let exchange = ::codearts_testkit::exchange::Exchange::new(#id, #method, #path)
                #( #query )*
                #( #headers )*
                #expect_body
                #( #form )*
                #reply;
            let server = exchange.serve().await;
            #body_let
            #bind super::client(&server)
                .#call()
                #( #setters )*
                #body_setter
                .send()
                .await
                .unwrap_or_else(|e| panic!(#failed));
            exchange.assert_answered(&server);
            #check
        }
    }
}

/// A Rust raw string literal holding `text` (JSON reads better unescaped).
pub(super) fn raw_str(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote!(#text))
}

/// What the test server answers.
pub(super) enum Reply {
    /// Status, JSON text, and whether the spec documents it (or it was made up).
    Json(u16, String, bool),
    /// Status; the body is the testkit's download bytes.
    Bytes(u16),
    /// Status, no body.
    Empty(u16),
}

/// Everything one exchange test needs (the fake server's generated calls use it too).
pub(super) struct Plan {
    /// `.field(value)` calls on the fluent builder, parameters in spec order, then parts.
    pub(super) setters: Vec<TokenStream>,
    /// The expected multipart parts (`.form_body()`, `.form_text(..)`, `.form_file(..)`).
    form: Vec<TokenStream>,
    /// The raw request path: the template with the values percent-encoded.
    path: String,
    /// Expected query pairs (decoded).
    query: Vec<(String, String)>,
    /// Expected header parameters.
    headers: Vec<(String, String)>,
    /// The body type, its JSON, and whether the spec documents it (or it was made up).
    pub(super) body: Option<(TypeRef, String, bool)>,
    /// The reply.
    pub(super) reply: Reply,
    /// The required inputs without an example of their own, and where their values came from.
    synthesised: Vec<String>,
}

/// The examples of one operation, found by where they sit in the spec.
struct OpExamples<'a> {
    /// By parameter position: the parameter's `example`, else its schema's.
    params: Vec<Option<&'a Example>>,
    body: Option<&'a Example>,
    /// The success response's example and its status code.
    response: Option<(&'a Example, u16)>,
}

/// What the exchange tests of one API share, built once: the spec's examples by where they sit
/// (their JSON pointer) and the parameter examples by parameter name, so that each operation's
/// test is planned in time independent of the API's size.
pub struct Tests<'a> {
    api: &'a Api,
    examples: BTreeMap<&'a str, &'a Example>,
    /// Parameter examples by wire name, in operation order, with their location and operation.
    by_param: BTreeMap<&'a str, Vec<(Location, &'a Example, &'a str)>>,
}

impl<'a> Tests<'a> {
    /// Indexes the examples of `api`.
    pub fn new(api: &'a Api) -> Self {
        let mut tests = Tests {
            api,
            examples: api
                .examples
                .iter()
                .map(|e| (e.origin.as_str(), e))
                .collect(),
            by_param: BTreeMap::new(),
        };
        let mut by_param: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for op in &api.operations {
            for (p, e) in op.params.iter().zip(tests.operation(op).params) {
                if let Some(e) = e {
                    by_param.entry(p.wire.as_str()).or_default().push((
                        p.location,
                        e,
                        op.id.as_str(),
                    ));
                }
            }
        }
        tests.by_param = by_param;
        tests
    }

    fn get(&self, origin: &str) -> Option<&'a Example> {
        self.examples.get(origin).copied()
    }

    /// The examples of `op`.
    fn operation(&self, op: &Operation) -> OpExamples<'a> {
        let at = Pointer::root()
            .join("paths")
            .join(&op.path)
            .join(op.http_method.to_ascii_lowercase())
            .to_string();
        // The IR keeps parameters in spec order, so position `i` is `parameters/i` of the spec;
        // an example of another type would mean that no longer holds, and is not used.
        let params = op
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let param_at = format!("{at}/parameters/{i}");
                self.get(&format!("{param_at}/example"))
                    .or_else(|| self.get(&format!("{param_at}/schema")))
                    .filter(|e| e.ty == p.ty)
            })
            .collect();
        let body = self.get(&format!(
            "{at}/requestBody/content/application~1json/example"
        ));
        let responses = format!("{at}/responses/");
        let response = self
            .examples
            .range(responses.as_str()..)
            .take_while(|(origin, _)| origin.starts_with(&responses))
            .find_map(|(origin, e)| {
                let (code, rest) = origin[responses.len()..].split_once('/')?;
                let status = code
                    .parse::<u16>()
                    .ok()
                    .filter(|s| (200..300).contains(s))?;
                (rest.starts_with("content/") && rest.ends_with("/example")).then_some((*e, status))
            });
        OpExamples {
            params,
            body,
            response,
        }
    }

    /// An example of a same-named parameter in the same place in another operation that also
    /// fits `p`'s type and constraints, and that operation's id: a realistic value (such as a
    /// job id) reads better than a made-up one.
    fn borrowed(&self, p: &Param, synth: &Synth) -> Option<(&'a Value, &'a str)> {
        self.by_param
            .get(p.wire.as_str())?
            .iter()
            .find(|(location, e, _)| {
                *location == p.location && synth.fits(&e.value, &p.ty, &p.constraints)
            })
            .map(|(_, e, op)| (&e.value, *op))
    }
}

/// The test of `op`, or why it cannot have one.
pub(super) fn plan(crate_name: &str, tests: &Tests, op: &Operation) -> Result<Plan, String> {
    let krate = ident(crate_name);
    let examples = tests.operation(op);
    let synth = Synth {
        types: &tests.api.types,
    };
    let mut setters = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut path_values = Vec::new();
    let mut synthesised = Vec::new();
    for (p, example) in op.params.iter().zip(&examples.params) {
        let value = match example {
            Some(e) => e.value.clone(),
            None if !p.required => continue,
            None => match tests.borrowed(p, &synth) {
                Some((value, from)) => {
                    synthesised.push(format!("`{}` (the example of `{from}`)", p.wire));
                    value.clone()
                }
                None => {
                    let (value, how) = synth.param(p)?;
                    synthesised.push(format!("`{}` ({how})", p.wire));
                    value
                }
            },
        };
        let (literal, wires) = param_value(&synth, &krate, p, &value)?;
        let field = ident(&p.field);
        setters.push(quote!(.#field(#literal)));
        for wire in wires {
            match p.location {
                Location::Path => path_values.push((p.wire.as_str(), wire)),
                Location::Query => query.push((p.wire.clone(), wire)),
                Location::Header => headers.push((p.wire.clone(), wire)),
            }
        }
    }
    let path = fill_path(&op.path, &path_values)?;
    // A multipart body: every required part, a file as the testkit's upload, a text part made
    // up from its type and constraints.
    let mut form = Vec::new();
    if let Some(f) = &op.form {
        form.push(quote!(.form_body()));
        for part in f.parts.iter().filter(|part| part.required) {
            let field = ident(&part.field);
            let file = quote!(::#krate::FilePart::from_bytes(
                ::codearts_testkit::exchange::UPLOAD_NAME,
                ::codearts_testkit::exchange::UPLOAD
            ));
            let wire = &part.wire;
            match &part.ty {
                TypeRef::File => {
                    setters.push(quote!(.#field(#file)));
                    form.push(quote!(.form_file(#wire)));
                }
                TypeRef::Array(item) if **item == TypeRef::File => {
                    setters.push(quote!(.#field(::std::vec![#file])));
                    form.push(quote!(.form_file(#wire)));
                }
                ty => {
                    let value = synth.value(ty, &part.constraints, 0).ok_or_else(|| {
                        format!("no value could be made up for the required part `{wire}`")
                    })?;
                    let (literal, sent) = scalar(&synth, wire, ty, &value)?;
                    setters.push(quote!(.#field(#literal)));
                    form.push(quote!(.form_text(#wire, #sent)));
                    synthesised.push(format!("part `{wire}` (made up from its schema)"));
                }
            }
        }
    }
    let body = match (&op.body, examples.body) {
        (None, _) => None,
        (Some(b), Some(e)) if e.ty == b.ty => Some((b.ty.clone(), pretty(&e.value), true)),
        (Some(b), _) if !b.required => None,
        (Some(b), _) => {
            let value = synth
                .value(&b.ty, &Constraints::default(), 0)
                .ok_or("the required request body has no example and none could be made up from its schema")?;
            synthesised.push("the body (made up from its schema)".to_owned());
            Some((b.ty.clone(), pretty(&value), false))
        }
    };
    let reply = match &op.response {
        ResponseKind::Binary => Reply::Bytes(examples.response.map_or(200, |(_, s)| s)),
        ResponseKind::Empty => Reply::Empty(200),
        ResponseKind::Json(t) => match examples.response.filter(|(e, _)| &e.ty == t) {
            Some((e, status)) => Reply::Json(status, pretty(&e.value), true),
            None => {
                let value = synth.value(t, &Constraints::default(), 0).ok_or(
                    "the success response has no example and none could be made up from its schema",
                )?;
                Reply::Json(200, pretty(&value), false)
            }
        },
    };
    Ok(Plan {
        setters,
        form,
        path,
        query,
        headers,
        body,
        reply,
        synthesised,
    })
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// The setter argument for `value` of parameter `p`, and the values as sent on the wire (one
/// per item for an array parameter, which is sent as repeated pairs).
fn param_value(
    synth: &Synth,
    krate: &syn::Ident,
    p: &Param,
    value: &Value,
) -> Result<(TokenStream, Vec<String>), String> {
    let TypeRef::Array(item) = &p.ty else {
        let (literal, wire) = scalar(synth, &p.wire, &p.ty, value)?;
        return Ok((literal, vec![wire]));
    };
    let items = value
        .as_array()
        .ok_or_else(|| format!("the example of parameter `{}` is not an array", p.wire))?;
    let mut literals = Vec::new();
    let mut wires = Vec::new();
    for value in items {
        let (literal, wire) = scalar(synth, &p.wire, item, value)?;
        // Each item as the element type (`&str` literals become `String`s or enum values).
        literals.push(match item.as_ref() {
            TypeRef::String => quote!(::std::borrow::ToOwned::to_owned(#literal)),
            TypeRef::Named(_) => {
                let t = external(krate, item);
                quote!(<#t>::from(#literal))
            }
            _ => literal,
        });
        wires.push(wire);
    }
    let t = external(krate, item);
    Ok((quote!(::std::vec::Vec::<#t>::from([#(#literals),*])), wires))
}

/// The setter argument for `value` of an input `wire` of scalar type `ty` (a string, number,
/// boolean or string enum), and the value as sent on the wire.
fn scalar(
    synth: &Synth,
    wire: &str,
    ty: &TypeRef,
    value: &Value,
) -> Result<(TokenStream, String), String> {
    let mismatch = || format!("the example of `{wire}` ({value}) does not fit its type");
    let integer = |literal: fn(i64) -> Option<Literal>| {
        let n = value.as_i64().ok_or_else(mismatch)?;
        let literal = literal(n).ok_or_else(mismatch)?;
        Ok::<_, String>((quote!(#literal), n.to_string()))
    };
    match ty {
        TypeRef::String => {
            let s = value.as_str().ok_or_else(mismatch)?;
            Ok((quote!(#s), s.to_owned()))
        }
        TypeRef::Bool => {
            let b = value.as_bool().ok_or_else(mismatch)?;
            Ok((quote!(#b), b.to_string()))
        }
        TypeRef::I32 => integer(|n| i32::try_from(n).ok().map(Literal::i32_suffixed)),
        TypeRef::I64 => integer(|n| Some(Literal::i64_suffixed(n))),
        TypeRef::F64 => {
            let f = value.as_f64().filter(|f| f.is_finite()).ok_or_else(mismatch)?;
            let literal = Literal::f64_suffixed(f);
            Ok((quote!(#literal), f.to_string()))
        }
        TypeRef::Named(name) if synth.enum_variants(name).is_some() => {
            let s = value.as_str().ok_or_else(mismatch)?;
            Ok((quote!(#s), s.to_owned()))
        }
        _ => Err(format!(
            "`{wire}` is not a string, number, boolean or string enum (or an array of them), which these tests do not fill in yet"
        )),
    }
}

/// The path template with each `{name}` replaced by its percent-encoded value.
fn fill_path(template: &str, values: &[(&str, String)]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| format!("the path template {template:?} has an unclosed `{{`"))?;
        let name = &rest[open + 1..close];
        let (_, value) = values
            .iter()
            .find(|(wire, _)| *wire == name)
            .ok_or_else(|| format!("no value for the path parameter `{name}`"))?;
        out.push_str(&percent_encode(value));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters, written here independently
/// of the runtime's encoder so that the test checks it.
fn percent_encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || PATH_SAFE.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_testkit_path_is_relative_inside_the_workspace_and_absolute_outside() {
        let ws = Path::new("/no-such-workspace");
        let testkit = ws.join("testkit");
        assert_eq!(
            testkit_path(&ws.join("generated"), ws, &testkit),
            "../testkit"
        );
        assert_eq!(
            testkit_path(&ws.join("target/tmp/crate"), ws, &testkit),
            "../../../testkit"
        );
        assert_eq!(
            testkit_path(Path::new("/elsewhere/crate"), ws, &testkit),
            "/no-such-workspace/testkit"
        );
    }

    #[test]
    fn path_values_are_percent_encoded() {
        assert_eq!(
            fill_path(
                "/v1/{a}/x/{b}",
                &[("a", "a b/ü".to_owned()), ("b", "A-z_0.~".to_owned())]
            )
            .as_deref(),
            Ok("/v1/a%20b%2F%C3%BC/x/A-z_0.~")
        );
        assert!(fill_path("/v1/{a}", &[]).is_err());
    }
}
