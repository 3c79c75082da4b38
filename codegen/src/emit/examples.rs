//! `tests/examples.rs`: every spec example must fit its generated type.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, ty};
use crate::ir::{Example, TypeRef};

/// `tests/examples.rs`: the test crate root.
pub const EXAMPLES_ROOT: &str = "\
//! Every example in the spec deserializes into its generated type and serializes back without
//! losing a value.

#[path = \"examples/cases.rs\"]
#[rustfmt::skip]
mod cases;
";

/// `tests/examples/cases.rs`; `crate_name` is the generated library's name.
pub fn examples_file(crate_name: &str, examples: &[Example]) -> TokenStream {
    if examples.is_empty() {
        return quote! {
            #![doc = " This spec has no examples."]
        };
    }
    let krate = ident(crate_name);
    let tests = examples.iter().map(|e| {
        let name = ident(&e.test_name);
        let doc = format!(" The example at `{}`.", e.origin);
        let t = external(&krate, &e.ty);
        let json = serde_json::to_string_pretty(&e.value).unwrap_or_default();
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                round_trip::<#t>(#json);
            }
        }
    });
    quote! {
        #![doc = " One test per example, named after where it sits in the spec."]

        use serde::de::DeserializeOwned;
        use serde::Serialize;
        use serde_json::Value;

        /// Drops nulls (an unset `Option` is left out) and compares numbers by value (`1` and
        /// `1.0` are the same `f64`), so only real losses fail.
        fn normalise(value: Value) -> Value {
            match value {
                Value::Object(map) => Value::Object(
                    map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, normalise(v))).collect(),
                ),
                Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
                Value::Number(n) => n.as_f64().map_or(Value::Number(n), Value::from),
                other => other,
            }
        }

        fn round_trip<T: DeserializeOwned + Serialize>(json: &str) {
            let original: Value = serde_json::from_str(json).expect("the example is JSON");
            let typed: T = serde_json::from_value(original.clone())
                .unwrap_or_else(|e| panic!("the example does not fit its type: {e}\n{json}"));
            let back = serde_json::to_value(&typed).expect("the value serializes");
            assert_eq!(normalise(back), normalise(original), "re-serializing lost or changed a value");
        }

        #( #tests )*
    }
}

/// A type path usable from outside the crate.
pub(super) fn external(krate: &syn::Ident, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#krate::types::#name)
        }
        TypeRef::Array(inner) => {
            let inner = external(krate, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = external(krate, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        other => ty(other),
    }
}
