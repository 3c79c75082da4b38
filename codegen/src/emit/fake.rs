//! `fake/src/generated/`: the routes of the fake CodeArts Build server (`codearts-build-fake`).
//!
//! - `routes.rs`: one route per operation (method, path template, the documented success reply
//!   or one made up from the response schema, the paging convention by wire names) and one
//!   check per operation that parses the request's path, query, header, JSON body and multipart
//!   parts into the generated crate's request type through its builder, then runs the request's
//!   own `validate` (the documented constraints);
//! - `calls.rs`: one call per operation through the generated client's fluent builder with the
//!   inputs of the operation's exchange test, for the fake's test that every operation answers.
//!
//! The fake depends on the generated crate, so these files are emitted with the crate and
//! drift-checked with it (`cargo xtask gen --check`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::examples::external;
use super::operation_tests::{plan, raw_str, Reply, Tests};
use super::rust::ident;
use super::Files;
use crate::ir::{Api, Location, Operation, PageLocation, PageStyle, Step, TypeKind, TypeRef};

/// The files of `fake/src/generated/`, by path relative to that directory.
pub fn files(api: &Api, spec_file: &str) -> Result<Files, String> {
    let header = super::header(spec_file);
    let tests = Tests::new(api);
    let mut files = Files::new();
    files.insert("mod.rs".to_owned(), super::rust::file(&header, mod_file())?);
    files.insert(
        "routes.rs".to_owned(),
        super::rust::file(&header, routes_file(api, &tests)?)?,
    );
    files.insert(
        "calls.rs".to_owned(),
        super::rust::file(&header, calls_file(api, &tests))?,
    );
    Ok(files)
}

fn mod_file() -> TokenStream {
    quote! {
        //! Generated from the spec by `cargo xtask gen`: the route table and request checks.
        //! `calls.rs` is not a module of the library: the fake's tests include it.

        pub(crate) mod routes;
    }
}

fn routes_file(api: &Api, tests: &Tests) -> Result<TokenStream, String> {
    let krate = ident(&api.service.lib_name);
    let mut routes = Vec::new();
    let mut checks = Vec::new();
    let mut arms = Vec::new();
    for op in &api.operations {
        let id = &op.id;
        let method = &op.http_method;
        let path = &op.path;
        let reply = match plan(&api.service.lib_name, tests, op).map(|p| p.reply) {
            Ok(Reply::Json(status, json, _)) => {
                let status = Literal::u16_unsuffixed(status);
                let json = raw_str(&json);
                quote!(Example::Json { status: #status, body: #json })
            }
            Ok(Reply::Bytes(status)) => {
                let status = Literal::u16_unsuffixed(status);
                quote!(Example::Bytes { status: #status })
            }
            Ok(Reply::Empty(status)) => {
                let status = Literal::u16_unsuffixed(status);
                quote!(Example::Empty { status: #status })
            }
            Err(reason) => {
                return Err(format!("fake route of `{id}`: {reason}"));
            }
        };
        let paging = match &op.pagination {
            None => quote!(None),
            Some(p) => {
                let offset = p.style == PageStyle::OffsetLimit;
                let in_body = matches!(p.location, PageLocation::Body { .. });
                let wire_of = |field: &str| -> String {
                    if in_body {
                        op.body
                            .as_ref()
                            .and_then(|b| field_wire(api, &b.ty, field))
                            .unwrap_or_else(|| field.to_owned())
                    } else {
                        op.params
                            .iter()
                            .find(|p| p.field == field)
                            .map_or_else(|| field.to_owned(), |p| p.wire.clone())
                    }
                };
                let position = wire_of(&p.position.field);
                let size = wire_of(&p.size.field);
                let first = Literal::u64_unsuffixed(p.first_page);
                let response = match &op.response {
                    crate::ir::ResponseKind::Json(t) => t.clone(),
                    _ => return Err(format!("`{id}` pages but has no JSON response")),
                };
                let items = steps_wire(api, &response, &p.items);
                let total = match &p.total {
                    Some((steps, t)) => {
                        let path = steps_wire(api, &response, steps);
                        let string = *t == TypeRef::String;
                        quote!(Some((&[#(#path),*], #string)))
                    }
                    None => quote!(None),
                };
                quote!(Some(Paging {
                    offset: #offset,
                    in_body: #in_body,
                    position: #position,
                    size: #size,
                    first: #first,
                    items: &[#(#items),*],
                    total: #total,
                }))
            }
        };
        routes.push(quote! {
            Route {
                id: #id,
                method: #method,
                path: #path,
                example: #reply,
                paging: #paging,
            }
        });
        let check = ident(&format!("check_{}", op.module));
        arms.push(quote!(#id => #check(wire),));
        checks.push(check_fn(&krate, op, &check));
    }
    Ok(quote! {
        //! Every operation of the spec: its route, its documented reply, and the check that
        //! parses a request into the generated request type and validates it.

        use crate::routes::{Example, Paging, Route};
        use crate::wire::{Invalid, Wire};

        /// One route per operation, in the spec's order.
        pub(crate) static ROUTES: &[Route] = &[#(#routes),*];

        /// Parses the request of operation `id` into its generated type and checks the
        /// documented constraints.
        pub(crate) fn check(id: &str, wire: &Wire<'_>) -> ::std::result::Result<(), Invalid> {
            match id {
                #(#arms)*
                _ => ::std::result::Result::Ok(()),
            }
        }

        #(#checks)*
    })
}

/// The check of one operation: every input through the request builder, then `validate`.
fn check_fn(krate: &syn::Ident, op: &Operation, name: &syn::Ident) -> TokenStream {
    let module = ident(&op.module);
    let request = ident(&format!("{}Request", op.pascal));
    let mut sets = Vec::new();
    for p in &op.params {
        let field = ident(&p.field);
        let wire = &p.wire;
        let get = match (&p.location, &p.ty) {
            (Location::Query, TypeRef::Array(item)) => {
                let t = external(krate, item);
                quote!(wire.query_all::<#t>(#wire)?)
            }
            (location, ty) => {
                let t = external(krate, ty);
                let getter = match location {
                    Location::Path => quote!(path),
                    Location::Query => quote!(query),
                    Location::Header => quote!(header),
                };
                quote!(wire.#getter::<#t>(#wire)?)
            }
        };
        sets.push(quote! {
            if let ::std::option::Option::Some(value) = #get {
                builder = builder.#field(value);
            }
        });
    }
    if let Some(body) = &op.body {
        let t = external(krate, &body.ty);
        sets.push(quote! {
            if let ::std::option::Option::Some(value) = wire.json::<#t>()? {
                builder = builder.body(value);
            }
        });
    }
    if let Some(form) = &op.form {
        for part in &form.parts {
            let field = ident(&part.field);
            let wire = &part.wire;
            let get = match &part.ty {
                TypeRef::File => quote!(wire.form_file(#wire)),
                TypeRef::Array(item) if **item == TypeRef::File => {
                    quote!(wire.form_files(#wire))
                }
                ty => {
                    let t = external(krate, ty);
                    quote!(wire.form_text::<#t>(#wire)?)
                }
            };
            sets.push(quote! {
                if let ::std::option::Option::Some(value) = #get {
                    builder = builder.#field(value);
                }
            });
        }
    }
    let doc = format!(
        " `{} {}`: parses and checks a request of `{}`.",
        op.http_method,
        docs::escape(&op.path),
        op.id
    );
    let allow = op.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    let (mutable, wire) = if sets.is_empty() {
        (TokenStream::new(), quote!(_wire))
    } else {
        (quote!(mut), quote!(wire))
    };
    quote! {
        #[doc = #doc]
        #allow
        fn #name(#wire: &Wire<'_>) -> ::std::result::Result<(), Invalid> {
            let #mutable builder = ::#krate::operations::#module::#request::builder();
            #(#sets)*
            let request = builder.build().map_err(Invalid::from)?;
            ::#krate::runtime::operation::Operation::validate(&request).map_err(Invalid::from)
        }
    }
}

/// `calls.rs`: every operation called through the client with its exchange test's inputs.
fn calls_file(api: &Api, tests: &Tests) -> TokenStream {
    let krate = ident(&api.service.lib_name);
    let mut calls = Vec::new();
    let mut skipped = Vec::new();
    for op in &api.operations {
        let id = &op.id;
        let plan = match plan(&api.service.lib_name, tests, op) {
            Ok(plan) => plan,
            Err(reason) => {
                skipped.push(quote!((#id, #reason)));
                continue;
            }
        };
        let call = ident(&op.method_name);
        let setters = &plan.setters;
        let (body_let, body_setter) = match &plan.body {
            Some((t, json, _)) => {
                let t = external(&krate, t);
                let json = raw_str(json);
                (
                    quote! {
                        let body: #t = match ::serde_json::from_str(#json) {
                            ::std::result::Result::Ok(body) => body,
                            ::std::result::Result::Err(e) => {
                                return (#id, ::std::result::Result::Err(e.to_string()));
                            }
                        };
                    },
                    quote!(.body(body)),
                )
            }
            None => (TokenStream::new(), TokenStream::new()),
        };
        let finish = match plan.reply {
            Reply::Json(..) => quote! {
                .map(|output| ::serde_json::to_value(&output).unwrap_or_default())
            },
            Reply::Bytes(_) => quote! {
                .map(|_| ::serde_json::Value::Null)
            },
            Reply::Empty(_) => quote! {
                .map(|()| ::serde_json::Value::Null)
            },
        };
        let collect = match plan.reply {
            Reply::Bytes(_) => quote! {
                let result = match result {
                    ::std::result::Result::Ok(download) => download
                        .collect()
                        .await
                        .map(|bytes| ::serde_json::Value::from(bytes.len())),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(e),
                };
            },
            _ => quote! {
                let result = result #finish;
            },
        };
        let allow = op.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
        calls.push(quote! {
            #allow
            {
                let client = client.clone();
                futures.push(::std::boxed::Box::pin(async move {
                    #body_let
                    let result = client.#call() #(#setters)* #body_setter .send().await;
                    #collect
                    (#id, result.map_err(|e| e.to_string()))
                }) as Call);
            }
        });
    }
    quote! {
        //! Every operation of the spec called once through the generated client's fluent
        //! builder, with the inputs of its exchange test. Included by the fake's tests.

        /// One call: the operation id and the decoded reply (a download as its length) or the
        /// error's text.
        pub type Outcome = (&'static str, ::std::result::Result<::serde_json::Value, ::std::string::String>);

        type Call = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Outcome> + ::std::marker::Send>>;

        /// Operations without a call, and why.
        pub const SKIPPED: &[(&str, &str)] = &[#(#skipped),*];

        /// The calls, not yet started, in the spec's order.
        pub fn every_operation(client: &::#krate::Client) -> ::std::vec::Vec<Call> {
            let mut futures: ::std::vec::Vec<Call> = ::std::vec::Vec::new();
            #(#calls)*
            futures
        }
    }
}

/// The wire names along `steps` (Rust field names) from type `t`.
fn steps_wire(api: &Api, t: &TypeRef, steps: &[Step]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = t.clone();
    for step in steps {
        let wire = field_wire(api, &current, &step.field).unwrap_or_else(|| step.field.clone());
        current = field_type(api, &current, &step.field).unwrap_or(TypeRef::Any);
        out.push(wire);
    }
    out
}

fn struct_fields<'a>(api: &'a Api, t: &TypeRef) -> Option<&'a [crate::ir::Field]> {
    let TypeRef::Named(name) = t else {
        return None;
    };
    let named = api.types.iter().find(|n| &n.name == name)?;
    match &named.kind {
        TypeKind::Struct(fields) => Some(fields),
        TypeKind::Enum(_) => None,
    }
}

fn field_wire(api: &Api, t: &TypeRef, field: &str) -> Option<String> {
    struct_fields(api, t)?
        .iter()
        .find(|f| f.name == field)
        .map(|f| f.wire.clone())
}

fn field_type(api: &Api, t: &TypeRef, field: &str) -> Option<TypeRef> {
    struct_fields(api, t)?
        .iter()
        .find(|f| f.name == field)
        .map(|f| f.ty.clone())
}
