//! `tests/examples.rs`: every spec example must fit its generated type.

use proc_macro2::TokenStream;
use quote::quote;

use super::features;
use super::rust::{ident, ty};
use crate::ir::{Api, TypeRef};

/// `tests/examples.rs`: the test crate root.
pub const EXAMPLES_ROOT: &str = "\
//! Every example in the spec deserializes into its generated type and serializes back without
//! losing a value.

#[path = \"examples/cases.rs\"]
#[rustfmt::skip]
mod cases;
";

/// `tests/examples/cases.rs`; `crate_name` is the generated library's name.
pub fn examples_file(crate_name: &str, api: &Api) -> TokenStream {
    let examples = &api.examples;
    if examples.is_empty() {
        return quote! {
            #![doc = " This spec has no examples."]
        };
    }
    let krate = ident(crate_name);
    // An example runs with the features of its type; the helpers are compiled when some
    // example is (a helper no test uses would be dead code).
    let gates: Vec<&[String]> = examples
        .iter()
        .map(|e| features::type_areas(api, &e.ty))
        .collect();
    let helpers_cfg = if gates.iter().any(|g| g.is_empty()) {
        TokenStream::new()
    } else {
        let all: Vec<String> = api
            .areas
            .iter()
            .map(|a| a.name.clone())
            .filter(|a| gates.iter().any(|g| g.contains(a)))
            .collect();
        features::cfg(&all)
    };
    let tests = examples.iter().zip(&gates).map(|(e, gate)| {
        let cfg = features::cfg(gate);
        let name = ident(&e.test_name);
        let doc = format!(" The example at `{}`.", e.origin);
        let t = external(&krate, &e.ty);
        let json = serde_json::to_string_pretty(&e.value).unwrap_or_default();
        quote! {
            #[doc = #doc]
            #cfg
            #[test]
            fn #name() {
                round_trip::<#t>(#json);
            }
        }
    });
    quote! {
        #![doc = " One test per example, named after where it sits in the spec."]

        #helpers_cfg
        use serde::de::DeserializeOwned;
        #helpers_cfg
        use serde::Serialize;
        #helpers_cfg
        use serde_json::Value;

        #helpers_cfg
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

        #helpers_cfg
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
