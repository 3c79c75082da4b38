//! `cli/src/generated/`: one command-line subcommand per operation, for the `codearts-build`
//! binary. Each module builds its clap `Command` from the spec (flags, help, documented
//! constraints, deprecation) and turns parsed flags into a call of the generated crate's fluent
//! builder, so that the crate's own validation checks the values before anything is sent.
//!
//! The modules call a small hand-written support layer in the CLI crate (`crate::invoke`):
//! reading `--body`, making file parts, writing a binary reply and the project id flag.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::ir::{Api, Constraints, Location, Operation, ResponseKind, TypeKind, TypeRef};

/// Flags the CLI itself defines on every subcommand (global flags and the request body and
/// output file flags); a parameter whose flag would clash is spelled `--param-<name>`.
pub const RESERVED_FLAGS: &[&str] = &[
    "body",
    "endpoint",
    "help",
    "output",
    "output-file",
    "project-id",
    "region",
    "verbose",
    "version",
];

/// The files of `cli/src/generated/`, relative to that directory.
pub fn files(api: &Api, spec_file: &str) -> Result<super::Files, String> {
    let header = super::header(spec_file);
    let enums: BTreeMap<&str, Vec<&str>> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Enum(variants) => Some((
                t.name.as_str(),
                variants.iter().map(|v| v.wire.as_str()).collect(),
            )),
            TypeKind::Struct(_) => None,
        })
        .collect();
    let mut files = super::Files::new();
    for op in &api.operations {
        let tokens = operation_file(api, op, &enums);
        let text = super::rust::file(&header, tokens)
            .map_err(|e| format!("cli/src/generated/{}.rs: {e}", op.module))?;
        files.insert(format!("{}.rs", op.module), text);
    }
    files.insert(
        "mod.rs".to_owned(),
        super::rust::file(&header, mod_file(api))?,
    );
    Ok(files)
}

/// The subcommand name of an operation: its snake_case id in kebab case.
pub fn command_name(op_id: &str) -> String {
    op_id.to_kebab_case()
}

fn mod_file(api: &Api) -> TokenStream {
    let modules: Vec<_> = api.operations.iter().map(|op| ident(&op.module)).collect();
    let docs = api.operations.iter().map(|op| {
        format!(
            " `{}`: {} {}",
            command_name(&op.id),
            op.http_method,
            op.path
        )
    });
    quote! {
        #![doc = " One subcommand per operation of the spec."]
        #( #[doc = #docs] pub mod #modules; )*

        /// Every operation's subcommand, in operation order.
        pub fn commands() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![ #( #modules::command() ),* ]
        }

        /// Runs the operation subcommand `name` with its parsed flags; `None` when `name` is not
        /// an operation.
        pub async fn run(
            name: &str,
            cx: &crate::invoke::Context,
            matches: &::clap::ArgMatches,
        ) -> ::std::option::Option<::std::result::Result<crate::invoke::Reply, crate::failure::Failure>> {
            ::std::option::Option::Some(match name {
                #( #modules::NAME => ::std::boxed::Box::pin(#modules::run(cx, matches)).await, )*
                _ => return ::std::option::Option::None,
            })
        }
    }
}

/// One flag of a subcommand.
struct Flag {
    /// The clap argument id: the Rust field name.
    id: String,
    /// The long flag.
    long: String,
    /// The builder setter.
    setter: syn::Ident,
    ty: TypeRef,
    required: bool,
    help: String,
    long_help: String,
    /// Filled from the global `--project-id` instead of a flag of its own.
    project: bool,
    /// A file part: a path to read.
    file: bool,
}

fn flags(op: &Operation) -> Vec<Flag> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut push = |field: &str,
                    wire: &str,
                    ty: &TypeRef,
                    required: bool,
                    description: Option<&str>,
                    place: String,
                    constraints: Option<&Constraints>,
                    default: Option<&serde_json::Value>| {
        let mut long = wire.to_kebab_case();
        let project = long == "project-id" && *ty == TypeRef::String;
        if !project && (RESERVED_FLAGS.contains(&long.as_str()) || used.contains(&long)) {
            long = format!("param-{}", field.trim_start_matches("r#").to_kebab_case());
        }
        used.insert(long.clone());
        let first = description
            .map(super::docs::paragraphs)
            .and_then(|p| p.into_iter().next())
            .unwrap_or_default();
        let help = first_sentence(&first).trim_end_matches('.').to_owned();
        let mut long_help = if first.is_empty() {
            place.clone()
        } else {
            format!("{first}\n\n{place}")
        };
        if let Some(c) = constraints {
            let text = constraint_text(c);
            if !text.is_empty() {
                long_help.push_str(&format!("; {text}"));
            }
        }
        if let Some(default) = default {
            long_help.push_str(&format!("; the service's default is {default}"));
        }
        if project {
            long_help.push_str("; taken from --project-id or the environment");
        }
        out.push(Flag {
            id: field.trim_start_matches("r#").to_owned(),
            long,
            setter: ident(field),
            ty: ty.clone(),
            required,
            help,
            long_help,
            project,
            file: *ty == TypeRef::File || *ty == TypeRef::Array(Box::new(TypeRef::File)),
        });
    };
    for p in &op.params {
        let place = match p.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        };
        let place = format!(
            "The `{}` {place} parameter ({})",
            p.wire,
            if p.required { "required" } else { "optional" }
        );
        push(
            &p.field,
            &p.wire,
            &p.ty,
            p.required,
            p.description.as_deref(),
            place,
            Some(&p.constraints),
            p.default.as_ref(),
        );
    }
    if let Some(form) = &op.form {
        for part in &form.parts {
            let kind = if part.ty == TypeRef::File {
                "file part (a path to read)"
            } else {
                "text part"
            };
            let place = format!(
                "The `{}` {kind} of the multipart body ({})",
                part.wire,
                if part.required {
                    "required"
                } else {
                    "optional"
                }
            );
            push(
                &part.field,
                &part.wire,
                &part.ty,
                part.required,
                part.description.as_deref(),
                place,
                Some(&part.constraints),
                None,
            );
        }
    }
    out
}

/// The first sentence of a paragraph, for the one-line `-h` help.
fn first_sentence(text: &str) -> String {
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text.to_owned(),
    }
}

/// The documented constraints in words, for `--help`.
fn constraint_text(c: &Constraints) -> String {
    let mut parts = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) if a == b => parts.push(format!("exactly {a} characters")),
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} characters")),
        (Some(a), None) => parts.push(format!("at least {a} characters")),
        (None, Some(b)) => parts.push(format!("at most {b} characters")),
        (None, None) => {}
    }
    match (c.minimum, c.maximum) {
        (Some(a), Some(b)) => parts.push(format!("from {a} to {b}")),
        (Some(a), None) => parts.push(format!("at least {a}")),
        (None, Some(b)) => parts.push(format!("at most {b}")),
        (None, None) => {}
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} values")),
        (Some(a), None) => parts.push(format!("at least {a} values")),
        (None, Some(b)) => parts.push(format!("at most {b} values")),
        (None, None) => {}
    }
    if let Some(allowed) = &c.allowed {
        let values: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        parts.push(format!("one of {}", values.join(", ")));
    }
    if let Some(pattern) = &c.pattern {
        parts.push(format!("matching {pattern}"));
    }
    parts.join(", ")
}

/// The Rust type of a value as the CLI crate names it.
fn cli_ty(lib: &syn::Ident, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Array(inner) => {
            let inner = cli_ty(lib, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = cli_ty(lib, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(::#lib::types::#name)
        }
        TypeRef::File => quote!(::#lib::FilePart),
    }
}

/// The clap value parser of one scalar value and the type clap hands back.
fn parser(
    t: &TypeRef,
    enums: &BTreeMap<&str, Vec<&str>>,
) -> (TokenStream, TokenStream, Option<Vec<String>>) {
    match t {
        TypeRef::Bool => (quote!(::clap::value_parser!(bool)), quote!(bool), None),
        TypeRef::I32 => (quote!(::clap::value_parser!(i32)), quote!(i32), None),
        TypeRef::I64 => (quote!(::clap::value_parser!(i64)), quote!(i64), None),
        TypeRef::F64 => (quote!(::clap::value_parser!(f64)), quote!(f64), None),
        TypeRef::File => (
            quote!(::clap::value_parser!(::std::path::PathBuf)),
            quote!(::std::path::PathBuf),
            None,
        ),
        TypeRef::Named(name) if enums.contains_key(name.as_str()) => {
            let values: Vec<String> = enums[name.as_str()]
                .iter()
                .map(|v| (*v).to_owned())
                .collect();
            (
                quote!(::clap::builder::PossibleValuesParser::new([#( #values ),*])),
                quote!(::std::string::String),
                Some(values),
            )
        }
        _ => (
            quote!(::clap::builder::NonEmptyStringValueParser::new()),
            quote!(::std::string::String),
            None,
        ),
    }
}

fn operation_file(api: &Api, op: &Operation, enums: &BTreeMap<&str, Vec<&str>>) -> TokenStream {
    let lib = ident(&api.service.lib_name);
    let name = command_name(&op.id);
    let method = ident(&op.method_name);
    // One-line help reads like clap's own: no closing full stop.
    let summary = op
        .summary
        .as_deref()
        .unwrap_or(&op.id)
        .trim_end_matches('.')
        .to_owned();
    let about = match &op.deprecated {
        Some(d) => match &d.replaced_by {
            Some(next) => format!("[deprecated: use {}] {summary}", command_name(next)),
            None => format!("[deprecated] {summary}"),
        },
        None => summary.clone(),
    };
    let mut long = vec![about.clone()];
    if let Some(description) = &op.description {
        long.extend(super::docs::paragraphs(description));
    }
    long.push(format!("Request: {} {}", op.http_method, op.path));
    let long_about = long.join("\n\n");
    let flags = flags(op);

    let mut args = Vec::new();
    let mut sets = Vec::new();
    for f in &flags {
        let setter = &f.setter;
        if f.project {
            sets.push(quote! {
                if let ::std::option::Option::Some(value) = cx.project_id() {
                    call = call.#setter(value);
                }
            });
            continue;
        }
        let (id, long, help, long_help) = (&f.id, &f.long, &f.help, &f.long_help);
        let value_name = f.long.replace('-', "_").to_uppercase();
        let (scalar, many) = match &f.ty {
            TypeRef::Array(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let (value_parser, got, _) = parser(scalar, enums);
        let action = if many {
            quote!(.action(::clap::ArgAction::Append))
        } else {
            TokenStream::new()
        };
        let required = f.required;
        args.push(quote! {
            .arg(
                ::clap::Arg::new(#id)
                    .long(#long)
                    .value_name(#value_name)
                    .help(#help)
                    .long_help(#long_help)
                    .required(#required)
                    .value_parser(#value_parser)
                    #action
            )
        });
        let set = if f.file && many {
            quote! {
                if let ::std::option::Option::Some(values) = matches.get_many::<::std::path::PathBuf>(#id) {
                    call = call.#setter(
                        values
                            .map(|value| crate::invoke::file_part(value))
                            .collect::<::std::result::Result<::std::vec::Vec<::#lib::FilePart>, _>>()?,
                    );
                }
            }
        } else if f.file {
            quote! {
                if let ::std::option::Option::Some(value) = matches.get_one::<::std::path::PathBuf>(#id) {
                    call = call.#setter(crate::invoke::file_part(value)?);
                }
            }
        } else if many {
            let elem = cli_ty(&lib, scalar);
            quote! {
                if let ::std::option::Option::Some(values) = matches.get_many::<#got>(#id) {
                    call = call.#setter(
                        values
                            .map(|value| ::std::convert::Into::into(::std::clone::Clone::clone(value)))
                            .collect::<::std::vec::Vec<#elem>>(),
                    );
                }
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = matches.get_one::<#got>(#id) {
                    call = call.#setter(::std::clone::Clone::clone(value));
                }
            }
        };
        sets.push(set);
    }
    if let Some(body) = &op.body {
        let body_ty = cli_ty(&lib, &body.ty);
        let required = body.required;
        let help = body
            .description
            .as_deref()
            .map(super::docs::paragraphs)
            .and_then(|p| p.into_iter().next())
            .unwrap_or_else(|| "The JSON request body.".to_owned());
        args.push(quote!(.arg(crate::invoke::body_arg(#required, #help))));
        sets.push(quote! {
            if let ::std::option::Option::Some(body) = crate::invoke::body::<#body_ty>(matches)? {
                call = call.body(body);
            }
        });
    }
    let reply = match &op.response {
        ResponseKind::Json(_) => quote!(crate::invoke::json(&reply)),
        ResponseKind::Binary => {
            args.push(quote!(.arg(crate::invoke::output_file_arg())));
            quote!(crate::invoke::binary(cx, reply, matches).await)
        }
        ResponseKind::Empty => quote! {{
            let () = reply;
            ::std::result::Result::Ok(crate::invoke::Reply::Done)
        }},
    };
    let allow = op
        .deprecated
        .as_ref()
        .map(|_| quote!(#![allow(deprecated, reason = "the subcommand of a legacy operation")]));
    let call_mut = if sets.is_empty() {
        TokenStream::new()
    } else {
        quote!(mut)
    };
    let module_doc = format!(" `codearts-build {name}`: {} {}.", op.http_method, op.path);
    let uses_matches = flags.iter().any(|f| !f.project)
        || op.body.is_some()
        || op.response == ResponseKind::Binary;
    let matches_name = if uses_matches {
        quote!(matches)
    } else {
        quote!(_matches)
    };
    quote! {
        #![doc = #module_doc]
        #allow

        /// The subcommand's name.
        pub const NAME: &str = #name;

        /// The subcommand with its flags.
        pub fn command() -> ::clap::Command {
            ::clap::Command::new(NAME)
                .about(#about)
                .long_about(#long_about)
                #( #args )*
        }

        /// Sends the request the flags describe and returns the reply.
        pub async fn run(
            cx: &crate::invoke::Context,
            #matches_name: &::clap::ArgMatches,
        ) -> ::std::result::Result<crate::invoke::Reply, crate::failure::Failure> {
            let #call_mut call = cx.client.#method();
            #( #sets )*
            let reply = call.send().await?;
            #reply
        }
    }
}
