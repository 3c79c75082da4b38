//! Builders of generated struct types (`T::builder()` → `TBuilder`, one setter per field,
//! `build()` naming the first missing required field) and the body-member setters of an
//! operation's fluent builder (`client.run_job().job_id(id)`).
//!
//! A builder lives in its type's file, so a one-field spec change stays a one-file diff, and is
//! exported from `types::builders`, a namespace of its own: a schema named `FooBuilder` next to
//! a schema `Foo` can then never clash with `Foo`'s builder.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::features;
use super::rust::{field_ty, ident, ty};
use crate::ir::{Api, Field, NamedType, Operation, TypeKind, TypeRef};
use crate::naming;

/// How a field's setter takes its value.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// `impl Into<T>`.
    Plain,
    /// Any `Serialize`, kept as a JSON value.
    FreeValue,
    /// Any `Serialize` that makes a JSON object, kept as a map of JSON values.
    FreeObject,
}

/// One field's setter on a type builder.
struct Setter<'a> {
    field: &'a Field,
    /// The setter's name: the field's, or `<field>_value` when that is a builder method.
    name: Ident,
    note: Option<String>,
    kind: Kind,
}

fn kind(t: &TypeRef) -> Kind {
    match t {
        TypeRef::Any => Kind::FreeValue,
        TypeRef::Map(inner) if **inner == TypeRef::Any => Kind::FreeObject,
        _ => Kind::Plain,
    }
}

fn setters(fields: &[Field]) -> Vec<Setter<'_>> {
    let mut scope =
        naming::Scope::reserved(naming::TYPE_BUILDER_METHODS, "a method of the builder");
    fields
        .iter()
        .map(|f| {
            let (name, held) = scope.claim(&f.name, "_value", "a field");
            let note = held.map(|other| {
                format!(
                    "Named `{name}` because `{}` is {other}; it sets the `{}` field.",
                    naming::bare(&f.name),
                    naming::bare(&f.name)
                )
            });
            Setter {
                field: f,
                name: ident(&name),
                note,
                kind: kind(&f.ty),
            }
        })
        .collect()
}

/// The builder's name for type `name`.
pub fn builder_name(name: &str) -> Ident {
    format_ident!("{}Builder", naming::bare(name))
}

/// The parameter type of a setter of `kind` for `t`. A list takes anything iterable whose items
/// convert (`["a", "b"]`, a `Vec`, an iterator), so `vec!["x".into()]` needs no annotation.
fn param(kind: Kind, t: &TypeRef) -> TokenStream {
    match (kind, t) {
        (Kind::Plain, TypeRef::Array(item)) => {
            let item = ty(item);
            quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>)
        }
        (Kind::Plain, _) => {
            let t = ty(t);
            quote!(impl ::std::convert::Into<#t>)
        }
        (Kind::FreeValue | Kind::FreeObject, _) => quote!(impl ::serde::Serialize),
    }
}

fn setter_docs(s: &Setter) -> Vec<String> {
    let f = s.field;
    let mut blocks = docs::prose(f.description.as_deref());
    if blocks.is_empty() {
        blocks.push(format!("The `{}` property.", f.wire));
    }
    if !f.optional() {
        blocks.push("Required: [`build`](Self::build) fails without it.".to_owned());
    }
    match s.kind {
        Kind::Plain => {}
        Kind::FreeValue => blocks.push(
            "Takes any `serde::Serialize` value; one that cannot be serialized is reported by \
             [`build`](Self::build), naming the field."
                .to_owned(),
        ),
        Kind::FreeObject => blocks.push(
            "Takes any `serde::Serialize` value that serializes to a JSON object (a struct, a \
             map); anything else is reported by [`build`](Self::build), naming the field."
                .to_owned(),
        ),
    }
    if f.deprecated {
        blocks.push("Deprecated by the service.".to_owned());
    }
    blocks.extend(s.note.clone());
    blocks
}

/// `T::builder()`, `TBuilder` and `From<T> for TBuilder`, for the struct type `t`.
pub fn type_builder(t: &NamedType, fields: &[Field], output: bool) -> TokenStream {
    // An output struct's hidden response metadata starts empty in a hand-built value.
    let metadata_init = output.then(super::outputs::struct_field_init);
    let name = ident(&t.name);
    let builder = builder_name(&t.name);
    let setters = setters(fields);
    let storage = setters.iter().map(|s| {
        let field = ident(&s.field.name);
        let inner = field_ty(&s.field.ty, false, s.field.boxed);
        match s.kind {
            Kind::Plain => quote!(#field: ::std::option::Option<#inner>,),
            _ => quote!(#field: ::std::option::Option<crate::runtime::builder::Pending<#inner>>,),
        }
    });
    let methods = setters.iter().map(|s| {
        let doc = docs::attrs(&setter_docs(s));
        let (field, setter) = (ident(&s.field.name), &s.name);
        let param = param(s.kind, &s.field.ty);
        let value = match (s.kind, &s.field.ty) {
            (Kind::FreeValue, _) => quote!(crate::runtime::builder::json_value(&value)),
            (Kind::FreeObject, _) => quote!(crate::runtime::builder::json_object(&value)),
            (Kind::Plain, TypeRef::Array(_)) => {
                quote!(value.into_iter().map(::std::convert::Into::into).collect())
            }
            (Kind::Plain, _) => quote!(value.into()),
        };
        let value = if s.field.boxed {
            quote!(::std::boxed::Box::new(#value))
        } else {
            value
        };
        quote! {
            #doc
            pub fn #setter(mut self, value: #param) -> Self {
                self.#field = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let inits = setters.iter().map(|s| {
        let field = ident(&s.field.name);
        let wire = &s.field.wire;
        let value = match s.kind {
            Kind::Plain => quote!(self.#field),
            _ => quote!(crate::runtime::builder::take(#wire, self.#field)?),
        };
        if s.field.optional() {
            quote!(#field: #value,)
        } else {
            quote!(#field: #value.ok_or_else(|| crate::Error::invalid(#wire, "is required but was not set"))?,)
        }
    });
    let from = setters.iter().map(|s| {
        let field = ident(&s.field.name);
        match (s.kind, s.field.optional()) {
            (Kind::Plain, true) => quote!(#field: value.#field,),
            (Kind::Plain, false) => quote!(#field: ::std::option::Option::Some(value.#field),),
            (_, true) => quote!(#field: value.#field.map(::std::result::Result::Ok),),
            (_, false) => {
                quote!(#field: ::std::option::Option::Some(::std::result::Result::Ok(value.#field)),)
            }
        }
    });
    let bare = naming::bare(&t.name);
    let builder_doc = format!(
        " Builds a [`{bare}`] field by field; [`build`](Self::build) names the first missing \
         required field. Start from [`{bare}::builder`], or from an existing value with `From`."
    );
    let fn_doc = format!(" A [`{builder}`] with no field set.");
    quote! {
        impl #name {
            #[doc = #fn_doc]
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #builder {
            #( #storage )*
        }

        impl #builder {
            #( #methods )*

            /// The value, or [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming the first missing required field (or a free-form field that could not be serialized).
            pub fn build(self) -> ::std::result::Result<#name, crate::Error> {
                ::std::result::Result::Ok(#name { #( #inits )* #metadata_init })
            }
        }

        impl ::std::convert::From<#name> for #builder {
            fn from(value: #name) -> Self {
                Self { #( #from )* }
            }
        }
    }
}

/// `pub mod builders`, the re-export of every struct type's builder (see the module docs).
pub fn mod_exports(types: &[NamedType]) -> TokenStream {
    let exports = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct(_)))
        .map(|t| {
            let (module, builder) = (ident(&t.module), builder_name(&t.name));
            let cfg = features::cfg(&t.areas);
            quote!(#cfg pub use super::#module::#builder;)
        });
    quote! {
        /// The builder of every struct type: `T::builder()` returns a `TBuilder`; each has one
        /// setter per field and a `build()` that names the first missing required field. Kept in
        /// a module of their own so that no builder name can clash with a schema's name.
        pub mod builders {
            #( #exports )*
        }
    }
}

/// The fluent builder's setters for the members of an operation's JSON body: each sets one
/// member on a builder of the body type, which `build()` turns into the body.
pub struct FluentMembers {
    /// The fluent builder's extra field.
    pub field: TokenStream,
    /// Its initial value.
    pub init: TokenStream,
    /// The member setters.
    pub setters: TokenStream,
    /// Statements at the start of the fluent `build()` (which takes `mut self`).
    pub finish: TokenStream,
    /// Statements of the fluent `body` setter, before it sets the body.
    pub reset: TokenStream,
}

/// The body-member setters of `op`'s fluent builder, when its JSON body is a struct type.
/// `taken` holds the fluent builder's other setter names (the request's inputs); a member
/// whose name is taken by them or by a builder method gets an `_in_body` setter instead.
pub fn fluent_members(api: &Api, op: &Operation, taken: &[String]) -> Option<FluentMembers> {
    let TypeRef::Named(name) = &op.body.as_ref()?.ty else {
        return None;
    };
    let t = api.types.iter().find(|t| &t.name == name)?;
    let TypeKind::Struct(fields) = &t.kind else {
        return None;
    };
    let mut scope =
        naming::Scope::reserved(naming::BUILDER_METHODS, "a method of the fluent builder");
    // The private helper below shares the setters' namespace.
    scope.claim("body_members", "_in_body", "a method of the fluent builder");
    for input in taken {
        scope.claim(input, "_in_body", "a request input");
    }
    let builder = builder_name(name);
    let type_setters = setters(fields);
    let methods = type_setters.iter().map(|s| {
        let (fluent_name, held) = scope.claim(&s.field.name, "_in_body", "a body member");
        let fluent_name = ident(&fluent_name);
        let mut blocks = vec![format!("Sets the body's `{}` member.", s.field.wire)];
        blocks.extend(
            setter_docs(s)
                .into_iter()
                .filter(|b| !b.starts_with("Required: ")),
        );
        blocks.push(
            "Members set after [`body`](Self::body) change that body; a later `body` replaces \
             them."
                .to_owned(),
        );
        if let Some(other) = held {
            blocks.push(format!(
                "Named `{fluent_name}` because `{}` is {other}; the wire name is still `{}`.",
                naming::bare(&s.field.name),
                s.field.wire
            ));
        }
        let doc = docs::attrs(&blocks);
        let param = param(s.kind, &s.field.ty);
        let setter = &s.name;
        quote! {
            #doc
            pub fn #fluent_name(mut self, value: #param) -> Self {
                self.members = ::std::option::Option::Some(self.body_members().#setter(value));
                self
            }
        }
    });
    Some(FluentMembers {
        field: quote!(members: ::std::option::Option<crate::types::builders::#builder>,),
        init: quote!(members: ::std::option::Option::None,),
        setters: quote! {
            #( #methods )*

            /// The body members set so far: those of an earlier [`body`](Self::body), if any.
            fn body_members(&mut self) -> crate::types::builders::#builder {
                self.members
                    .take()
                    .or_else(|| self.inner.body.take().map(::std::convert::From::from))
                    .unwrap_or_default()
            }
        },
        finish: quote! {
            if let ::std::option::Option::Some(members) = self.members.take() {
                self.inner.body = ::std::option::Option::Some(members.build()?);
            }
        },
        reset: quote!(self.members = ::std::option::Option::None;),
    })
}
