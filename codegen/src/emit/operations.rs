//! `src/operations/`: one module per operation with its request, builders and client method.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::checks::{pattern_static, pattern_statics, Checks};
use super::docs;
use super::features::DocBlock;
use super::rust::{field_ty, ident, ty};
use crate::ir::{
    Api, FinishedCheck, FormPart, Location, LogFollow, Operation, Param, ResponseKind, Step,
    TypeRef,
};

/// `src/operations/mod.rs`.
pub fn mod_file(api: &Api) -> TokenStream {
    let items = api.operations.iter().map(|op| {
        let module = ident(&op.module);
        let (request, builder, fluent) = names(op);
        let doc = format!(" `{} {}`: {}", op.http_method, op.path, one_line(op));
        let allow = op
            .deprecated
            .as_ref()
            .map(|_| quote!(#[allow(deprecated, reason = "re-exporting a legacy operation")]));
        let cfg = super::features::operation_cfg(op);
        quote! {
            #[doc = #doc]
            #cfg
            pub mod #module;
            #allow
            #cfg
            pub use #module::{#request, #builder, #fluent};
        }
    });
    quote! {
        #![doc = " One module per operation: its request type, builders and `Client` method."]
        #( #items )*
    }
}

/// The operation's client method, for docs.
fn client_method(op: &Operation) -> &str {
    crate::naming::bare(&op.method_name)
}

fn one_line(op: &Operation) -> String {
    docs::escape(op.summary.as_deref().unwrap_or(&op.id))
}

fn names(op: &Operation) -> (syn::Ident, syn::Ident, syn::Ident) {
    (
        format_ident!("{}Request", op.pascal),
        format_ident!("{}RequestBuilder", op.pascal),
        format_ident!("{}FluentBuilder", op.pascal),
    )
}

/// One field of the request struct: a parameter or the body.
struct Input<'a> {
    field: syn::Ident,
    wire: String,
    ty: &'a TypeRef,
    required: bool,
    description: Vec<String>,
    param: Option<&'a Param>,
    part: Option<&'a FormPart>,
}

fn inputs(op: &Operation) -> Vec<Input<'_>> {
    let mut out: Vec<Input> = op
        .params
        .iter()
        .map(|p| {
            let mut description = docs::prose(p.description.as_deref());
            if let Some(default) = &p.default {
                description.push(format!("The service's default is `{default}`."));
            }
            description.extend(p.note.as_deref().map(docs::escape));
            Input {
                field: ident(&p.field),
                wire: p.wire.clone(),
                ty: &p.ty,
                required: p.required,
                description,
                param: Some(p),
                part: None,
            }
        })
        .collect();
    if let Some(body) = &op.body {
        let mut description = docs::prose(body.description.as_deref());
        if description.is_empty() {
            description.push("The JSON request body.".to_owned());
        }
        out.push(Input {
            field: ident("body"),
            wire: "body".to_owned(),
            ty: &body.ty,
            required: body.required,
            description,
            param: None,
            part: None,
        });
    }
    if let Some(form) = &op.form {
        out.extend(form.parts.iter().map(|part| {
            Input {
                field: ident(&part.field),
                wire: part.wire.clone(),
                ty: &part.ty,
                required: part.required,
                description: docs::prose(part.description.as_deref())
                    .into_iter()
                    .chain(part.note.as_deref().map(docs::escape))
                    .collect(),
                param: None,
                part: Some(part),
            }
        }));
    }
    out
}

fn deprecated_attr(op: &Operation) -> Option<TokenStream> {
    op.deprecated.as_ref().map(|d| {
        let note = match &d.replaced_by {
            Some(successor) => format!("legacy operation; use `Client::{successor}`"),
            None => "legacy operation".to_owned(),
        };
        quote!(#[deprecated(note = #note)])
    })
}

/// The items of `src/operations/<id>.rs`.
pub fn operation_file(api: &Api, op: &Operation, checks: &Checks) -> TokenStream {
    let (request, builder, fluent) = names(op);
    let inputs = inputs(op);
    let deprecated = deprecated_attr(op);
    let inner_docs = super::features::inner_docs(&module_docs(api, op));
    let allow_deprecated = op.deprecated.as_ref().map(|_| {
        quote!(#![allow(deprecated, reason = "the legacy operation's own items refer to each other")])
    });
    let spec = spec_static(op);
    // An array parameter's pattern applies to its items (an array itself has none).
    let form_parts = op.form.iter().flat_map(|f| &f.parts);
    let patterns = pattern_statics(
        op.params
            .iter()
            .flat_map(|p| {
                [
                    (p.field.as_str(), &p.constraints),
                    (p.field.as_str(), &p.item_constraints),
                ]
            })
            .chain(form_parts.map(|p| (p.field.as_str(), &p.constraints))),
    );
    let reexport = response_reexport(api, op);
    let request_struct = request_struct(op, &inputs, &request, &builder, deprecated.as_ref());
    let builder_struct = builder_struct(&inputs, &request, &builder, deprecated.as_ref());
    let output = super::outputs::output_ty(api, op);
    let operation_impl = operation_impl(api, op, &request, &output, checks);
    let taken: Vec<String> = inputs.iter().map(|i| i.field.to_string()).collect();
    let members = super::builders::fluent_members(api, op, &taken);
    let fluent_struct = fluent_struct(
        api,
        op,
        members.as_ref(),
        &inputs,
        &request,
        &builder,
        &fluent,
        deprecated.as_ref(),
    );
    let extras = extras(op, &request, &fluent);
    let rate_limit = super::rate_limit::request_const(op, &request);
    quote! {
        #inner_docs
        #allow_deprecated
        #reexport
        #spec
        #patterns
        #request_struct
        #rate_limit
        #builder_struct
        #operation_impl
        #fluent_struct
        #extras
    }
}

fn module_docs(api: &Api, op: &Operation) -> Vec<DocBlock> {
    let mut blocks = vec![format!(
        "`{} {}`: {}",
        op.http_method,
        docs::escape(&op.path),
        one_line(op)
    )];
    blocks.extend(docs::prose(op.description.as_deref()));
    if let Some(class) = op
        .rate_limit_class
        .as_deref()
        .and_then(super::rate_limit::class)
    {
        blocks.push(format!(
            "API gateway rate-limit class: [`{}`](crate::RateLimitClass::{}) (the vendor's \
             throttling policy for this operation; calls beyond it are rejected with HTTP 429), \
             also the request type's `RATE_LIMIT_CLASS`.",
            class.name, class.variant
        ));
    }
    if let Some(note) = &op.method_note {
        blocks.push(docs::escape(note));
    }
    if op.spec_id != op.id {
        blocks.push(format!(
            "The spec's operationId is `{}`; Rust names use its snake_case form.",
            docs::escape(&op.spec_id)
        ));
    }
    if let Some(e) = &op.status_envelope {
        blocks.push(format!(
            "The reply reports its own outcome: when `{}` is `{}` (sent with HTTP 200), the call fails with [`Error::Service`](crate::Error::Service) carrying the `{}` text as its message.",
            e.status.replace('`', "'"),
            e.failure.replace('`', "'"),
            e.message.replace('`', "'")
        ));
    }
    let mut blocks: Vec<DocBlock> = blocks.into_iter().map(DocBlock::Plain).collect();
    if let Some(d) = &op.deprecated {
        blocks.push(match &d.replaced_by {
            Some(s) => {
                let linked = format!("**Deprecated**: a legacy operation; use [`Client::{s}`](crate::Client::{s}) instead.");
                // The successor may sit in an area this one's feature does not enable.
                let area = api.operations.iter().find(|o| o.id == *s).and_then(|o| o.area.as_deref());
                match area {
                    Some(area) if !super::features::reaches(api, op.area.as_deref(), Some(area)) => DocBlock::Gated {
                        feature: area.to_owned(),
                        linked,
                        unlinked: format!("**Deprecated**: a legacy operation; use `Client::{s}` instead (area `{area}`: enable the `{area}` feature)."),
                    },
                    _ => DocBlock::Plain(linked),
                }
            }
            None => DocBlock::Plain("**Deprecated**: a legacy operation.".to_owned()),
        });
    }
    if !op.doc_notes.is_empty() {
        blocks.push(DocBlock::Plain(
            "Notes on how the vendor documentation was read:".to_owned(),
        ));
        blocks.push(DocBlock::Plain(
            op.doc_notes
                .iter()
                .map(|n| {
                    format!(
                        "- {}",
                        docs::paragraphs(n)
                            .iter()
                            .map(|p| docs::escape(p))
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    blocks
}

fn spec_static(op: &Operation) -> TokenStream {
    let id = &op.id;
    let method = format_ident!("{}", op.http_method);
    let path = &op.path;
    let idempotent = op.idempotent;
    let deprecated = op.deprecated.is_some();
    quote! {
        /// Static facts about this operation.
        static SPEC: crate::runtime::operation::OperationSpec = crate::runtime::operation::OperationSpec {
            id: #id,
            method: ::reqwest::Method::#method,
            path_template: #path,
            idempotent: #idempotent,
            deprecated: #deprecated,
        };
    }
}

fn response_reexport(api: &Api, op: &Operation) -> Option<TokenStream> {
    let ResponseKind::Json(TypeRef::Named(name)) = &op.response else {
        return None;
    };
    let (request, builder, fluent) = names(op);
    let taken = [request.to_string(), builder.to_string(), fluent.to_string()];
    if taken.contains(name)
        || api
            .types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .is_err()
    {
        return None;
    }
    let name = ident(name);
    Some(quote!(pub use crate::types::#name;))
}

fn request_struct(
    op: &Operation,
    inputs: &[Input],
    request: &syn::Ident,
    builder: &syn::Ident,
    deprecated: Option<&TokenStream>,
) -> TokenStream {
    let mut blocks = vec![format!(
        "Request of [`{}`](crate::Client::{}): {}",
        client_method(op),
        client_method(op),
        one_line(op)
    )];
    blocks.push(format!(
        "Build it with [`{request}::builder`] and pass it to [`Client::send`](crate::Client::send); \
         the fields stay public to read and change. It is `#[non_exhaustive]`, so inputs the spec \
         adds later are not a breaking change."
    ));
    let doc = docs::attrs(&blocks);
    let default = inputs.iter().all(|i| !i.required).then(|| quote!(Default,));
    let fields = inputs.iter().map(|i| {
        let doc = docs::attrs(&field_docs(i));
        let name = &i.field;
        let t = field_ty(i.ty, !i.required, false);
        quote! { #doc pub #name: #t, }
    });
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, #default PartialEq)]
        #[non_exhaustive]
        pub struct #request {
            #( #fields )*
        }

        impl #request {
            /// A builder that checks required inputs when built.
            pub fn builder() -> #builder {
                #builder::default()
            }
        }
    }
}

fn field_docs(i: &Input) -> Vec<String> {
    let mut blocks = i.description.clone();
    if blocks.is_empty() {
        blocks.push(format!("The `{}` parameter.", i.wire));
    }
    if let Some(p) = i.param {
        let place = match p.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        };
        let required = if p.required { "required" } else { "optional" };
        blocks.push(if matches!(p.ty, TypeRef::Array(_)) {
            format!(
                "Sent as the `{0}` {place} parameter ({required}), repeated once per item (`{0}=a&{0}=b`).",
                p.wire
            )
        } else {
            format!("Sent as the `{}` {place} parameter ({required}).", p.wire)
        });
    }
    if let Some(part) = i.part {
        let required = if part.required {
            "required"
        } else {
            "optional"
        };
        let files = matches!(&part.ty, TypeRef::Array(item) if **item == TypeRef::File);
        blocks.push(if files {
            format!(
                "Sent as the `{}` file part of the `multipart/form-data` body ({required}), \
                 repeated once per file; make each with \
                 [`FilePart::from_bytes`](crate::FilePart::from_bytes) or, streamed, \
                 [`FilePart::from_reader`](crate::FilePart::from_reader).",
                part.wire
            )
        } else if part.ty == TypeRef::File {
            format!(
                "Sent as the `{}` file part of the `multipart/form-data` body ({required}); \
                 make it with [`FilePart::from_bytes`](crate::FilePart::from_bytes) or, \
                 streamed, [`FilePart::from_reader`](crate::FilePart::from_reader).",
                part.wire
            )
        } else {
            format!(
                "Sent as the `{}` text part of the `multipart/form-data` body ({required}).",
                part.wire
            )
        });
    }
    blocks
}

fn setter(i: &Input, assign: TokenStream) -> TokenStream {
    let doc = docs::attrs(&field_docs(i));
    let name = &i.field;
    let t = ty(i.ty);
    quote! {
        #doc
        pub fn #name(mut self, value: impl ::std::convert::Into<#t>) -> Self {
            #assign
            self
        }
    }
}

fn builder_struct(
    inputs: &[Input],
    request: &syn::Ident,
    builder: &syn::Ident,
    deprecated: Option<&TokenStream>,
) -> TokenStream {
    let doc = format!(
        " Builds a [`{request}`]; [`build`](Self::build) reports a missing required input by name."
    );
    let fields = inputs.iter().map(|i| {
        let name = &i.field;
        let t = field_ty(i.ty, true, false);
        quote!(#name: #t,)
    });
    let setters = inputs.iter().map(|i| {
        let name = &i.field;
        setter(
            i,
            quote!(self.#name = ::std::option::Option::Some(value.into());),
        )
    });
    let inits = inputs.iter().map(|i| {
        let name = &i.field;
        let wire = &i.wire;
        if i.required {
            quote!(#name: self.#name.ok_or_else(|| crate::Error::invalid(#wire, "is required but was not set"))?,)
        } else {
            quote!(#name: self.#name,)
        }
    });
    quote! {
        #[doc = #doc]
        #deprecated
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #builder {
            #( #fields )*
        }

        impl #builder {
            #( #setters )*

            /// The request, or [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming the first missing required input.
            pub fn build(self) -> ::std::result::Result<#request, crate::Error> {
                ::std::result::Result::Ok(#request { #( #inits )* })
            }
        }
    }
}

fn operation_impl(
    api: &Api,
    op: &Operation,
    request: &syn::Ident,
    output: &TokenStream,
    checks: &Checks,
) -> TokenStream {
    let validate = validate_body(op, checks);
    let to_parts = to_parts(op);
    let decode = super::outputs::decode(api, op);
    quote! {
        impl crate::runtime::operation::Operation for #request {
            type Output = #output;
            const SPEC: &'static crate::runtime::operation::OperationSpec = &SPEC;

            fn validate(&self) -> ::std::result::Result<(), crate::Error> {
                #validate
                ::std::result::Result::Ok(())
            }

            fn to_parts(&self) -> ::std::result::Result<crate::runtime::operation::RequestParts, crate::Error> {
                #to_parts
            }

            fn decode(response: crate::runtime::operation::RawResponse) -> impl ::std::future::Future<Output = ::std::result::Result<Self::Output, crate::Error>> + ::std::marker::Send {
                #decode
            }
        }
    }
}

fn validate_body(op: &Operation, checks: &Checks) -> TokenStream {
    let mut out = TokenStream::new();
    for p in &op.params {
        if !checks.value_needs(&p.ty, &p.constraints) && p.item_constraints.is_empty() {
            continue;
        }
        let name = ident(&p.field);
        let wire = &p.wire;
        let pattern = (p.constraints.pattern.as_ref())
            .or(p.item_constraints.pattern.as_ref())
            .map(|_| pattern_static(&p.field));
        let inner = match &p.ty {
            TypeRef::Array(item) => checks.array_value(
                quote!(value),
                item,
                &p.constraints,
                &p.item_constraints,
                quote!(#wire),
                pattern.as_ref(),
            ),
            _ => {
                let value_expr = if p.ty == TypeRef::String {
                    quote!(value.as_str())
                } else {
                    quote!(value)
                };
                checks.value(
                    value_expr,
                    &p.ty,
                    &p.constraints,
                    quote!(#wire),
                    pattern.as_ref(),
                )
            }
        };
        out.extend(if p.required {
            quote! { { let value = &self.#name; #inner } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#name { #inner } }
        });
    }
    for part in op.form.iter().flat_map(|f| &f.parts) {
        if !checks.value_needs(&part.ty, &part.constraints) {
            continue;
        }
        let name = ident(&part.field);
        let wire = &part.wire;
        let pattern = part
            .constraints
            .pattern
            .as_ref()
            .map(|_| pattern_static(&part.field));
        let value_expr = if part.ty == TypeRef::String {
            quote!(value.as_str())
        } else {
            quote!(value)
        };
        let inner = checks.value(
            value_expr,
            &part.ty,
            &part.constraints,
            quote!(#wire),
            pattern.as_ref(),
        );
        out.extend(if part.required {
            quote! { { let value = &self.#name; #inner } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#name { #inner } }
        });
    }
    if let Some(body) = &op.body {
        if checks.value_needs(&body.ty, &Default::default()) {
            let inner = checks.value(
                quote!(value),
                &body.ty,
                &Default::default(),
                quote!("body"),
                None,
            );
            out.extend(if body.required {
                quote! { { let value = &self.body; #inner } }
            } else {
                quote! { if let ::std::option::Option::Some(value) = &self.body { #inner } }
            });
        }
    }
    out
}

/// A parameter value (a place expression such as `self.x`) as the string sent on the wire.
fn wire_string(place: TokenStream, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(::std::clone::Clone::clone(&#place)),
        TypeRef::Named(_) => quote!(::std::borrow::ToOwned::to_owned(#place.as_str())),
        _ => quote!(::std::string::ToString::to_string(&#place)),
    }
}

/// Like [`wire_string`], for an expression of type `&T`.
fn wire_string_ref(value: TokenStream, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(::std::clone::Clone::clone(#value)),
        TypeRef::Named(_) => quote!(::std::borrow::ToOwned::to_owned(#value.as_str())),
        _ => quote!(::std::string::ToString::to_string(#value)),
    }
}

fn to_parts(op: &Operation) -> TokenStream {
    // The template is `SPEC.path_template`; the values follow its placeholders in order, so a
    // changed path or parameter changes one line of the generated code.
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = &rest[open + 1..close];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.wire == name)
        {
            let field = ident(&p.field);
            args.push(match &p.ty {
                TypeRef::String | TypeRef::Named(_) => quote!(self.#field.as_str()),
                _ => quote!(::std::string::ToString::to_string(&self.#field).as_str()),
            });
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    let path = if args.is_empty() {
        quote!(::std::borrow::ToOwned::to_owned(SPEC.path_template))
    } else {
        quote!(crate::runtime::encode::expand_path(SPEC.path_template, &[#(#args),*]))
    };
    let list = |location: Location| {
        let entries: Vec<TokenStream> = op
            .params
            .iter()
            .filter(|p| p.location == location && !matches!(p.ty, TypeRef::Array(_)))
            .map(|p| {
                let field = ident(&p.field);
                let wire = &p.wire;
                if p.required {
                    let s = wire_string(quote!(self.#field), &p.ty);
                    quote!((#wire, ::std::option::Option::Some(#s)))
                } else {
                    let value = match &p.ty {
                        TypeRef::String => quote!(::std::clone::Clone::clone(&self.#field)),
                        TypeRef::Named(_) => quote!(self.#field.as_ref().map(|value| ::std::borrow::ToOwned::to_owned(value.as_str()))),
                        _ => quote!(self.#field.as_ref().map(::std::string::ToString::to_string)),
                    };
                    quote!((#wire, #value))
                }
            })
            .collect();
        // Array parameters add one pair per item, after the single-valued ones.
        let repeated: Vec<TokenStream> = op
            .params
            .iter()
            .filter(|p| p.location == location)
            .filter_map(|p| match &p.ty {
                TypeRef::Array(item) => Some((p, item)),
                _ => None,
            })
            .map(|(p, item)| {
                let field = ident(&p.field);
                let wire = &p.wire;
                let value = wire_string_ref(quote!(value), item);
                let items = if p.required {
                    quote!(self.#field.iter())
                } else {
                    quote!(self.#field.iter().flatten())
                };
                quote!(.chain(#items.map(|value| (#wire, #value))))
            })
            .collect();
        if entries.is_empty() && repeated.is_empty() {
            quote!(::std::vec::Vec::new())
        } else if entries.is_empty() {
            quote! {
                ::std::iter::empty::<(&'static str, ::std::string::String)>()
                    #(#repeated)*
                    .collect()
            }
        } else {
            quote! {
                [#(#entries),*]
                    .into_iter()
                    .filter_map(|(name, value)| value.map(|value| (name, value)))
                    #(#repeated)*
                    .collect()
            }
        }
    };
    let query = list(Location::Query);
    let headers = list(Location::Header);
    let body = match &op.body {
        None => quote!(::std::option::Option::None),
        Some(b) => {
            let error =
                quote!(|e| crate::Error::invalid("body", ::std::string::ToString::to_string(&e)));
            if b.required {
                quote!(::std::option::Option::Some(::serde_json::to_vec(&self.body).map_err(#error)?))
            } else {
                quote!(self.body.as_ref().map(::serde_json::to_vec).transpose().map_err(#error)?)
            }
        }
    };
    if let Some(form) = &op.form {
        let parts = form.parts.iter().map(|part| {
            let field = ident(&part.field);
            let wire = &part.wire;
            if matches!(&part.ty, TypeRef::Array(item) if **item == TypeRef::File) {
                let files = if part.required {
                    quote!(&self.#field)
                } else {
                    quote!(self.#field.iter().flatten())
                };
                return quote! {
                    for value in #files {
                        form.file(#wire, ::std::clone::Clone::clone(value));
                    }
                };
            }
            let add = if part.ty == TypeRef::File {
                quote!(form.file)
            } else {
                quote!(form.text)
            };
            if part.required {
                let value = if part.ty == TypeRef::File {
                    quote!(::std::clone::Clone::clone(&self.#field))
                } else {
                    wire_string(quote!(self.#field), &part.ty)
                };
                quote!(#add(#wire, #value);)
            } else {
                let value = if part.ty == TypeRef::File {
                    quote!(::std::clone::Clone::clone(value))
                } else {
                    wire_string_ref(quote!(value), &part.ty)
                };
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#field {
                        #add(#wire, #value);
                    }
                }
            }
        });
        return quote! {
            let mut form = crate::runtime::multipart::Form::new();
            #( #parts )*
            ::std::result::Result::Ok(crate::runtime::operation::RequestParts {
                path: #path,
                query: #query,
                headers: #headers,
                multipart: ::std::option::Option::Some(form),
                ..::std::default::Default::default()
            })
        };
    }
    quote! {
        ::std::result::Result::Ok(crate::runtime::operation::RequestParts {
            path: #path,
            query: #query,
            headers: #headers,
            body: #body,
            ..::std::default::Default::default()
        })
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "the parts of one operation's fluent builder"
)]
fn fluent_struct(
    api: &Api,
    op: &Operation,
    members: Option<&super::builders::FluentMembers>,
    inputs: &[Input],
    request: &syn::Ident,
    builder: &syn::Ident,
    fluent: &syn::Ident,
    deprecated: Option<&TokenStream>,
) -> TokenStream {
    let project_id = api.service.project_id.as_ref();
    let output = super::outputs::output_ty(api, op);
    let method = ident(&op.method_name);
    let struct_doc = format!(" Fluent builder returned by [`Client::{0}`](crate::Client::{0}); finish with [`send`](Self::send).", client_method(op));
    let reset = members.map(|m| &m.reset);
    let setters = inputs.iter().map(|i| {
        let name = &i.field;
        // `.body(..)` replaces body members set before it.
        let reset = (i.param.is_none() && i.part.is_none())
            .then_some(reset)
            .flatten();
        setter(i, quote!(#reset self.inner = self.inner.#name(value);))
    });
    let (member_field, member_init, member_setters, member_finish) = match members {
        Some(m) => (
            Some(&m.field),
            Some(&m.init),
            Some(&m.setters),
            Some(&m.finish),
        ),
        None => (None, None, None, None),
    };
    // The spec's project-id parameter (`x-service`) defaults to the client's project, so
    // callers set it once on the client.
    let project_param = project_id.and_then(|id| op.params.iter().find(|p| id.matches(p)));
    let project_default = project_param.map(|p| {
        let field = ident(&p.field);
        quote! {
            if self.inner.#field.is_none() {
                self.inner.#field = self.client.project_id().map(::std::borrow::ToOwned::to_owned);
            }
        }
    });
    let mutability = (project_default.is_some() || members.is_some()).then(|| quote!(mut));
    let mut method_docs = vec![one_line(op)];
    method_docs.extend(docs::prose(op.description.as_deref()));
    if let Some(note) = &op.method_note {
        method_docs.push(docs::escape(note));
    }
    method_docs.push(format!(
        "`{} {}`; see [`{}`](crate::operations::{}) for the inputs.",
        op.http_method,
        docs::escape(&op.path),
        op.module,
        op.module
    ));
    if let Some(p) = project_param {
        let location = match p.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        };
        method_docs.push(format!(
            "The `{}` {location} parameter defaults to the client's project id.",
            p.wire
        ));
    }
    let method_doc = docs::attrs(&method_docs);
    quote! {
        #[doc = #struct_doc]
        #deprecated
        #[derive(Debug, Clone)]
        pub struct #fluent {
            client: crate::Client,
            inner: #builder,
            #member_field
        }

        impl #fluent {
            #( #setters )*
            #member_setters

            /// The request as data, without sending it.
            pub fn build(#mutability self) -> ::std::result::Result<#request, crate::Error> {
                #member_finish
                #project_default
                self.inner.build()
            }

            /// Checks the inputs and sends the request.
            pub async fn send(self) -> ::std::result::Result<#output, crate::Error> {
                let client = self.client.clone();
                client.send(self.build()?).await
            }

            /// Like [`send`](Self::send), with per-call options (timeout, retries).
            pub async fn send_with(self, options: crate::CallOptions) -> ::std::result::Result<#output, crate::Error> {
                let client = self.client.clone();
                client.send_with(self.build()?, options).await
            }
        }

        impl crate::Client {
            #method_doc
            #deprecated
            pub fn #method(&self) -> #fluent {
                #fluent { client: ::std::clone::Clone::clone(self), inner: #builder::default(), #member_init }
            }
        }
    }
}

/// `paginate()` and `follow()` where the spec asks for them.
fn extras(op: &Operation, request: &syn::Ident, fluent: &syn::Ident) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(p) = &op.pagination {
        out.extend(super::pagination::paginate(op, p, request, fluent));
    }
    if let Some(f) = &op.log_follow {
        out.extend(follow(op, f, request, fluent));
    }
    out
}

/// An owned expression for the value at `steps` inside `root`, and whether it is an `Option`.
pub(super) fn take_path(root: TokenStream, steps: &[Step]) -> (TokenStream, bool) {
    let mut expr = root;
    let mut optional = false;
    for step in steps {
        let f = ident(&step.field);
        expr = match (optional, step.optional) {
            (false, _) => quote!(#expr.#f),
            (true, true) => quote!(#expr.and_then(|v| v.#f)),
            (true, false) => quote!(#expr.map(|v| v.#f)),
        };
        optional |= step.optional;
    }
    (expr, optional)
}

/// A borrowed expression `Option<&T>` for the value at `steps` inside `root`.
pub(super) fn borrow_path(root: TokenStream, steps: &[Step]) -> TokenStream {
    let mut expr = root;
    let mut optional = false;
    for step in steps {
        let f = ident(&step.field);
        expr = match (optional, step.optional) {
            (false, false) => quote!(#expr.#f),
            (false, true) => quote!(#expr.#f.as_ref()),
            (true, true) => quote!(#expr.and_then(|v| v.#f.as_ref())),
            (true, false) => quote!(#expr.map(|v| &v.#f)),
        };
        optional |= step.optional;
    }
    if optional {
        expr
    } else {
        quote!(::std::option::Option::Some(&#expr))
    }
}

/// The statements for the "has the build finished?" check: the shared flag (once per stream), the
/// check's request built from the log request (before the log request is moved), and the
/// question asked when the log reports no more data.
fn finished_check(c: &FinishedCheck) -> (TokenStream, TokenStream, TokenStream) {
    let module = ident(&c.module);
    let ty = format_ident!("{}Request", c.pascal);
    let fields = c.fields.iter().map(|f| {
        let field = ident(&f.field);
        let value = match &f.source {
            Some(source) => {
                let source = ident(source);
                let value = quote!(::std::clone::Clone::clone(&request.#source));
                if f.optional && !f.source_optional {
                    quote!(::std::option::Option::Some(#value))
                } else {
                    value
                }
            }
            None => quote!(::std::option::Option::None),
        };
        quote!(#field: #value)
    });
    let allow = if c.deprecated {
        quote!(#[allow(deprecated)])
    } else {
        TokenStream::new()
    };
    let init = quote! {
        let finished = ::std::sync::Arc::new(::std::sync::atomic::AtomicBool::new(false));
    };
    let build = quote! {
        let finished = ::std::sync::Arc::clone(&finished);
        #allow
        let check = crate::operations::#module::#ty { #(#fields),* };
    };
    let value = borrow_path(quote!(status), &c.when);
    let running = if c.when_is_string {
        quote!(#value.is_none_or(|v| v.is_empty()))
    } else {
        quote!(#value.is_none())
    };
    let ask = quote! {
        // "No more data" also describes a build that has not started logging yet, and a build
        // may write its last lines between our read and its finish: end only on a read that
        // began after the build was seen finished.
        let has_more = if has_more || finished.load(::std::sync::atomic::Ordering::Acquire) {
            has_more
        } else {
            let status = client.send(check).await?;
            if !(#running) {
                finished.store(true, ::std::sync::atomic::Ordering::Release);
            }
            true
        };
    };
    (init, build, ask)
}

pub(super) fn to_u64(value: TokenStream) -> TokenStream {
    quote!(u64::try_from(#value).unwrap_or(0))
}

pub(super) fn from_u64(value: TokenStream, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::I32 => quote!(i32::try_from(#value).unwrap_or(i32::MAX)),
        _ => quote!(i64::try_from(#value).unwrap_or(i64::MAX)),
    }
}

fn follow(op: &Operation, f: &LogFollow, request: &syn::Ident, fluent: &syn::Ident) -> TokenStream {
    let offset = ident(&f.offset_field);
    let start = if f.offset_required {
        to_u64(quote!(self.#offset))
    } else {
        let conv = to_u64(quote!(v));
        quote!(self.#offset.map_or(0, |v| #conv))
    };
    let set = from_u64(quote!(offset), &f.offset_ty);
    let set = if f.offset_required {
        set
    } else {
        quote!(::std::option::Option::Some(#set))
    };
    let next = borrow_path(quote!(response), &f.next_offset);
    // The next offset is an integer, or a numeric string (`"657353"`); unreadable: stay put.
    let next_offset = if f.next_offset_ty == TypeRef::String {
        quote!(#next.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(offset))
    } else {
        quote!(#next.copied().and_then(|v| u64::try_from(v).ok()).unwrap_or(offset))
    };
    let more = borrow_path(quote!(response), &f.has_more);
    let text = match take_path(quote!(response), &f.content) {
        (expr, true) => quote!(#expr.unwrap_or_default()),
        (expr, false) => expr,
    };
    let fluent_doc = format!(" Builds the request and follows the log; see [`{request}::follow`].");
    // The default pause between polls respects the operation's rate-limit class.
    let pace = op.rate_limit_class.is_some().then(|| {
        quote! {
            .poll_interval(Self::RATE_LIMIT_CLASS.map_or(crate::runtime::follow::DEFAULT_POLL_INTERVAL, crate::RateLimitClass::follow_interval))
        }
    });
    let pace_doc = match op.rate_limit_class.as_deref() {
        Some(class) => format!(" Polls every [`RateLimitClass::follow_interval`](crate::RateLimitClass::follow_interval) of the operation's class (`{class}`); change it with [`LogFollow::poll_interval`](crate::LogFollow::poll_interval)."),
        None => " Polls every [`DEFAULT_POLL_INTERVAL`](crate::runtime::follow::DEFAULT_POLL_INTERVAL); change it with [`LogFollow::poll_interval`](crate::LogFollow::poll_interval).".to_owned(),
    };
    let (init, check, finished, end_doc) = match &f.finished {
        Some(c) => {
            let (init, check, finished) = finished_check(c);
            let doc = format!(
                " the returned offset until the service reports no more data and [`{0}`](crate::Client::{0}) says the build has finished.",
                c.method
            );
            (init, check, finished, doc)
        }
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            " the returned offset until the service reports no more data.".to_owned(),
        ),
    };
    quote! {
        impl #request {
            /// Follows the log from this request's offset: a stream of chunks that re-polls with
            #[doc = #end_doc]
            #[doc = ""]
            #[doc = #pace_doc]
            pub fn follow(self, client: &crate::Client) -> crate::LogFollow {
                let client = ::std::clone::Clone::clone(client);
                let start = #start;
                #init
                crate::runtime::follow::follow(start, move |offset| {
                    let client = ::std::clone::Clone::clone(&client);
                    let mut request = ::std::clone::Clone::clone(&self);
                    request.#offset = #set;
                    #check
                    async move {
                        let response = client.send(request).await?;
                        let has_more = #more.copied().unwrap_or(false);
                        #finished
                        let next_offset = #next_offset;
                        let text = #text;
                        ::std::result::Result::Ok(crate::LogChunk { text, next_offset, has_more })
                    }
                })
                #pace
            }
        }

        impl #fluent {
            #[doc = #fluent_doc]
            pub fn follow(self) -> ::std::result::Result<crate::LogFollow, crate::Error> {
                let client = ::std::clone::Clone::clone(&self.client);
                ::std::result::Result::Ok(self.build()?.follow(&client))
            }
        }
    }
}
