//! `src/types/`: one file per named type.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::{pattern_static, pattern_statics, Checks};
use super::docs;
use super::rust::{field_ty, ident};
use crate::ir::{Field, NamedType, TypeKind, Variant};
use crate::naming;

/// The items of one type's file; `output` when an operation returns the type as its whole
/// output (it then carries the response metadata, see `outputs`).
pub fn type_file(t: &NamedType, checks: &Checks, output: bool) -> TokenStream {
    match &t.kind {
        TypeKind::Struct(fields) => structure(t, fields, checks, output),
        TypeKind::Enum(variants) => enumeration(t, variants),
    }
}

/// `src/types/mod.rs`: the modules and a flat re-export of every type.
pub fn mod_file(types: &[NamedType]) -> TokenStream {
    let modules = types.iter().map(|t| {
        let (module, cfg) = (ident(&t.module), super::features::cfg(&t.areas));
        quote!(#cfg mod #module;)
    });
    let exports = types.iter().map(|t| {
        let (module, name) = (ident(&t.module), ident(&t.name));
        let cfg = super::features::cfg(&t.areas);
        quote!(#cfg pub use #module::#name;)
    });
    let doc = if types.iter().any(|t| !t.areas.is_empty()) {
        " Request and response types, one per schema of the spec; each is compiled with the features of the areas whose operations use it."
    } else {
        " Request and response types, one per schema of the spec."
    };
    let builders = super::builders::mod_exports(types);
    quote! {
        #![doc = #doc]
        #( #modules )*
        #( #exports )*
        #builders
    }
}

fn type_docs(t: &NamedType) -> TokenStream {
    let mut blocks = docs::prose(t.description.as_deref());
    if blocks.is_empty() {
        blocks.push(format!("The `{}` schema.", naming::bare(&t.name)));
    }
    blocks.push(format!("Generated from `{}`.", t.origin));
    if t.in_response && !t.in_request && matches!(t.kind, TypeKind::Struct(_)) {
        blocks.push(
            "Fields the spec does not mark required are `Option`s, because the service omits \
             fields it has no value for; unknown fields are ignored."
                .to_owned(),
        );
    }
    if let TypeKind::Struct(fields) = &t.kind {
        let or_default = if fields.iter().all(Field::optional) {
            " (or start from `Default`)"
        } else {
            ""
        };
        blocks.push(format!(
            "Make one with [`Self::builder`]{or_default}: the type is `#[non_exhaustive]`, so \
             fields the spec adds later are not a breaking change."
        ));
    }
    docs::attrs(&blocks)
}

fn structure(t: &NamedType, fields: &[Field], checks: &Checks, output: bool) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_docs(t);
    let derive_default = fields.iter().all(Field::optional).then(|| quote!(Default,));
    let field_items = fields.iter().map(field);
    let metadata_field = output.then(super::outputs::struct_field);
    let metadata_impls = output.then(|| super::outputs::struct_impls(t));
    let validate = (t.in_request && checks.named_needs(&t.name)).then(|| validate(fields, checks));
    let statics = if t.in_request {
        pattern_statics(fields.iter().map(|f| (f.name.as_str(), &f.constraints)))
    } else {
        TokenStream::new()
    };
    let impl_block = validate.map(|validate| {
        quote! {
            impl #name {
                #validate
            }
        }
    });
    let builder = super::builders::type_builder(t, fields, output);
    // `#[non_exhaustive]` on every struct: values are made with the builder (or `Default`), so
    // a field the spec adds later is not a breaking change.
    quote! {
        #statics
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #( #field_items )*
            #metadata_field
        }
        #impl_block
        #metadata_impls
        #builder
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let mut blocks = docs::prose(f.description.as_deref());
    if blocks.is_empty() {
        blocks.push(format!("The `{}` property.", f.wire));
    }
    if f.deprecated {
        blocks.push("Deprecated by the service.".to_owned());
    }
    let doc = docs::attrs(&blocks);
    let wire = &f.wire;
    let rename = (naming::bare(&f.name) != f.wire).then(|| quote!(#[serde(rename = #wire)]));
    // Optional fields are left out when unset; required nullable ones are sent as `null`.
    let skip = (!f.required)
        .then(|| quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]));
    let ty = field_ty(&f.ty, f.optional(), f.boxed);
    quote! {
        #doc
        #rename
        #skip
        pub #name: #ty,
    }
}

fn validate(fields: &[Field], checks: &Checks) -> TokenStream {
    let body = fields
        .iter()
        .filter(|f| checks.value_needs(&f.ty, &f.constraints))
        .map(|f| {
            let name = ident(&f.name);
            let wire = &f.wire;
            let pattern = f
                .constraints
                .pattern
                .as_ref()
                .map(|_| pattern_static(&f.name));
            let at = quote!(&field_name);
            let inner = checks.value(quote!(value), &f.ty, &f.constraints, at, pattern.as_ref());
            let prelude = quote!(let field_name = ::std::format!("{}.{}", at, #wire););
            if f.optional() {
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#name {
                        #prelude
                        #inner
                    }
                }
            } else {
                quote! {
                    {
                        let value = &self.#name;
                        #prelude
                        #inner
                    }
                }
            }
        });
    quote! {
        /// Checks the documented constraints of every field; errors name the field as `at.field`.
        pub(crate) fn validate_at(&self, at: &str) -> ::std::result::Result<(), crate::Error> {
            #( #body )*
            ::std::result::Result::Ok(())
        }
    }
}

fn enumeration(t: &NamedType, variants: &[Variant]) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_docs(t);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #doc
        ///
        /// Values the spec does not list are kept in [`Self::Unknown`], so a new value sent by the
        /// service never fails decoding.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the spec does not list.
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec lists.
            pub const ALL: &'static [Self] = &[#( Self::#idents ),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(::std::convert::From::from(value))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #( #wires => Self::#idents, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(::std::convert::From::from(value))
            }
        }
    }
}
