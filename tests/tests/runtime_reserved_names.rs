//! Every method callable on a generated `Client` is a name the generator keeps operations away
//! from: the methods of the runtime's `Client` (`runtime/src/client.rs`) and of the generated
//! wrapper (`templates/crate/client.rs.askama`, read as its output `generated/src/client.rs`),
//! inherent or from a trait the client implements. An operation with such an id would give a
//! crate that does not compile (two methods of one name) or, worse, one whose fluent builders
//! call the operation instead of the client's method. So when the runtime gains a public
//! method, this test fails until the generator's reserved names know it.

use std::collections::BTreeSet;
use std::path::Path;

use workspace_tests::generator::{read, root};

/// The names of the methods a value of type `Client` has, from the source file at `path`:
/// `pub` inherent methods, methods (with a `self` receiver) of traits implemented for it, and
/// derived `Clone`.
fn client_methods(path: &Path) -> BTreeSet<String> {
    let file = syn::parse_file(&read(path))
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    let is_client = |ty: &syn::Type| matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Client"));
    let mut names = BTreeSet::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) if s.ident == "Client" => {
                for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                    attr.parse_nested_meta(|meta| {
                        if meta.path.is_ident("Clone") {
                            names.insert("clone".to_owned());
                        }
                        Ok(())
                    })
                    .expect("derive list");
                }
            }
            syn::Item::Impl(block) if is_client(&block.self_ty) => {
                for member in &block.items {
                    let syn::ImplItem::Fn(f) = member else {
                        continue;
                    };
                    let callable = match &block.trait_ {
                        None => matches!(f.vis, syn::Visibility::Public(_)),
                        Some(_) => f.sig.receiver().is_some(),
                    };
                    if callable {
                        names.insert(f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// A valid spec with one operation whose operationId is `id`.
fn spec_with_operation(id: &str) -> String {
    format!(
        "openapi: 3.0.3\n\
         info: {{title: Reserved names, version: \"1.0\"}}\n\
         servers:\n  - {{url: \"https://reserved.example.com\", x-region-id: test-1}}\n\
         paths:\n  /v1/thing:\n    get:\n      operationId: {id}\n      responses:\n        \
         '200': {{description: ok}}\n"
    )
}

#[test]
fn no_operation_can_take_the_name_of_a_client_method() {
    let root = root();
    let runtime = client_methods(&root.join("runtime").join("src").join("client.rs"));
    let generated = client_methods(&root.join("generated").join("src").join("client.rs"));
    // The parse found the methods it must find: the test cannot pass by reading nothing.
    for expected in [
        "send",
        "send_with",
        "prepare",
        "project_id",
        "endpoint",
        "clone",
        "fmt",
    ] {
        assert!(runtime.contains(expected), "runtime Client: {runtime:?}");
    }
    for expected in ["builder", "send", "send_with", "prepare", "clone", "fmt"] {
        assert!(
            generated.contains(expected),
            "generated Client: {generated:?}"
        );
    }

    // The spec is otherwise valid: an ordinary id generates a method of that name.
    let api = codegen::parse("reserved.yaml", &spec_with_operation("get_thing"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.operations[0].method_name, "get_thing");

    let mut unknown = Vec::new();
    for name in runtime.union(&generated) {
        match codegen::parse("reserved.yaml", &spec_with_operation(name)) {
            // Refused with a diagnostic that names it...
            Err(e) if e.to_string().contains(&format!("`{name}`")) => {}
            Err(e) => panic!("operationId {name:?} failed for another reason:\n{e}"),
            // ...or renamed.
            Ok(api) if api.operations[0].method_name != *name => {}
            Ok(_) => unknown.push(name.as_str()),
        }
    }
    assert!(
        unknown.is_empty(),
        "operations may be named like these client methods, which the generator's reserved \
         names do not know: {unknown:?}"
    );
}

/// The generator refuses header parameters the runtime would refuse at run time, and no other:
/// both keep a list, since the generator does not depend on the runtime.
#[test]
fn the_generator_and_the_runtime_reserve_the_same_headers() {
    let generator: BTreeSet<_> = codegen::naming::RESERVED_HEADERS.iter().collect();
    let runtime: BTreeSet<_> = codearts_build::runtime::client::RESERVED_HEADERS
        .iter()
        .collect();
    assert_eq!(generator, runtime);
}
