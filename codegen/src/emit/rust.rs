//! Small helpers shared by the Rust emitters: identifiers, type paths and file formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TypeRef;

/// An identifier token; `r#type` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The fully qualified Rust type for `ty`. Paths are absolute so that a schema named `Result`,
/// `Option`, `Box` or `String` can never shadow what generated code means.
pub fn ty(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Array(inner) => {
            let inner = self::ty(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = self::ty(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        TypeRef::File => quote!(crate::FilePart),
    }
}

/// `ty`, `Box<ty>` when `boxed`, in an `Option` when `optional`.
pub fn field_ty(t: &TypeRef, optional: bool, boxed: bool) -> TokenStream {
    let mut t = ty(t);
    if boxed {
        t = quote!(::std::boxed::Box<#t>);
    }
    if optional {
        quote!(::std::option::Option<#t>)
    } else {
        t
    }
}

/// Formats `tokens` as a Rust file, after the header comment.
pub fn file(header: &str, tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens) {
        Ok(parsed) => format!("{header}{}", prettyplease::unparse(&parsed)),
        // The emitters only build valid items; if one does not, the generated crate fails to
        // compile with the parser's message (and the fixture compile test names the fixture).
        Err(error) => format!("{header}compile_error!({:?});\n", error.to_string()),
    }
}
