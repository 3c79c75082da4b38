//! What operations return: the output type of each operation, its decoder, and the response
//! metadata (request id, HTTP status, headers) every output carries.
//!
//! A JSON object reply decodes into its generated struct, which gets a hidden metadata field
//! ([`struct_field`]) and the accessors ([`struct_impls`]); any other reply is wrapped in a
//! runtime output type (`ListOutput`, `ValueOutput`, `EmptyOutput`) or is a `ByteStream`, all of
//! which carry the metadata themselves.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, ty};
use crate::ir::{Api, NamedType, Operation, ResponseKind, TypeKind, TypeRef};

/// Name of the hidden field of response structs; the double underscore keeps it clear of
/// any spec property name.
pub(super) const FIELD: &str = "__metadata";

/// Whether `t` is a struct that some operation returns as its whole output.
pub(super) fn is_output_struct(api: &Api, t: &NamedType) -> bool {
    matches!(t.kind, TypeKind::Struct(_))
        && api
            .operations
            .iter()
            .any(|op| matches!(&op.response, ResponseKind::Json(TypeRef::Named(n)) if *n == t.name))
}

/// Whether the output of `op` is a generated struct (not a runtime wrapper).
fn struct_output<'a>(api: &'a Api, op: &Operation) -> Option<&'a NamedType> {
    match &op.response {
        ResponseKind::Json(TypeRef::Named(name)) => api
            .types
            .iter()
            .find(|t| t.name == *name && matches!(t.kind, TypeKind::Struct(_))),
        _ => None,
    }
}

/// The Rust type a call of `op` returns.
pub(super) fn output_ty(api: &Api, op: &Operation) -> TokenStream {
    match &op.response {
        ResponseKind::Json(t) if struct_output(api, op).is_some() => ty(t),
        ResponseKind::Json(TypeRef::Array(item)) => {
            let item = ty(item);
            quote!(crate::ListOutput<#item>)
        }
        ResponseKind::Json(t) => {
            let t = ty(t);
            quote!(crate::ValueOutput<#t>)
        }
        ResponseKind::Binary => quote!(crate::ByteStream),
        ResponseKind::Empty => quote!(crate::EmptyOutput),
    }
}

/// The body of `Operation::decode` for `op`: a future of its output.
pub(super) fn decode(api: &Api, op: &Operation) -> TokenStream {
    let envelope = op.status_envelope.as_ref().map(|e| {
        let (status, failure, message) = (&e.status, &e.failure, &e.message);
        quote! {
            /// The reply's own outcome (`x-status-envelope`).
            static ENVELOPE: crate::runtime::operation::StatusEnvelope = crate::runtime::operation::StatusEnvelope {
                status: #status,
                failure: #failure,
                message: #message,
            };
        }
    });
    match (&op.response, envelope) {
        (ResponseKind::Json(t), envelope) if struct_output(api, op).is_some() => {
            let t = ty(t);
            let which = match envelope {
                Some(_) => quote!(::std::option::Option::Some(&ENVELOPE)),
                None => quote!(::std::option::Option::None),
            };
            quote! {
                {
                    #envelope
                    crate::runtime::output::decode_output::<#t>(response, #which)
                }
            }
        }
        (ResponseKind::Json(TypeRef::Array(item)), None) => {
            let item = ty(item);
            quote!(crate::runtime::output::decode_list_output::<#item>(response))
        }
        (
            ResponseKind::Json(
                t @ (TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64),
            ),
            None,
        ) => {
            let t = ty(t);
            quote!(crate::runtime::output::decode_scalar_output::<#t>(response))
        }
        (ResponseKind::Json(t), _) => {
            // An envelope names properties of an object reply; the resolver only accepts it on
            // struct replies, so other shapes decode as they are.
            let t = ty(t);
            quote!(crate::runtime::output::decode_value_output::<#t>(response))
        }
        // A JSON or error-shaped reply to a download is an error, not the file.
        (ResponseKind::Binary, _) => quote!(crate::runtime::operation::decode_download(response)),
        (ResponseKind::Empty, _) => quote!(crate::runtime::output::decode_empty_output(response)),
    }
}

/// The hidden metadata field of an output struct: not (de)serialized, never part of equality.
pub(super) fn struct_field() -> TokenStream {
    let name = ident(FIELD);
    quote! {
        /// The metadata of the response this value was decoded from; see
        /// [`response_metadata`](Self::response_metadata).
        #[doc(hidden)]
        #[serde(skip)]
        pub #name: crate::runtime::output::MetadataSlot,
    }
}

/// The initializer of the hidden field in a constructor.
pub(super) fn struct_field_init() -> TokenStream {
    let name = ident(FIELD);
    quote!(#name: ::std::default::Default::default())
}

/// The metadata accessors of an output struct, inherent (no import needed) and through
/// `ResponseMeta`.
pub(super) fn struct_impls(t: &NamedType) -> TokenStream {
    let name = ident(&t.name);
    let field = ident(FIELD);
    quote! {
        impl #name {
            /// The request id, HTTP status and headers of the response this value was decoded
            /// from (status 0 and no headers for a value built by hand).
            pub fn response_metadata(&self) -> &crate::ResponseMetadata {
                self.#field.get()
            }

            /// The `X-Request-Id` response header: the id a support ticket asks for.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.#field.get().request_id()
            }

            /// The HTTP status code of the response.
            pub fn http_status(&self) -> u16 {
                self.#field.get().http_status()
            }

            /// The response headers.
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
                self.#field.get().headers()
            }
        }

        impl crate::ResponseMeta for #name {
            fn response_metadata(&self) -> &crate::ResponseMetadata {
                self.#field.get()
            }

            fn set_response_metadata(&mut self, metadata: crate::ResponseMetadata) {
                self.#field.set(metadata);
            }
        }
    }
}
