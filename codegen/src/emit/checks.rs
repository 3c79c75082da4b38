//! Code for `validate()`: the documented constraints of parameters and body fields.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraints, NamedType, TypeKind, TypeRef};
use crate::naming;

/// Knows which named types carry constraints somewhere inside.
pub struct Checks<'a> {
    types: BTreeMap<&'a str, &'a NamedType>,
    needs: BTreeMap<String, bool>,
}

impl<'a> Checks<'a> {
    /// Analyses `types`: a type needs checks when it is an enum, has a constrained field, or
    /// holds a type that needs checks. Computed to a fixed point, so that reference cycles get
    /// the same answer whichever type is looked at first.
    pub fn new(types: &'a [NamedType]) -> Self {
        let needs = types
            .iter()
            .map(|t| {
                let own = match &t.kind {
                    TypeKind::Enum(_) => true,
                    TypeKind::Struct(fields) => fields.iter().any(|f| !f.constraints.is_empty()),
                };
                (t.name.clone(), own)
            })
            .collect();
        let mut checks = Checks {
            types: types.iter().map(|t| (t.name.as_str(), t)).collect(),
            needs,
        };
        loop {
            let mut changed = false;
            for t in types {
                let TypeKind::Struct(fields) = &t.kind else {
                    continue;
                };
                if !checks.named_needs(&t.name)
                    && fields.iter().any(|f| checks.ref_needs_known(&f.ty))
                {
                    checks.needs.insert(t.name.clone(), true);
                    changed = true;
                }
            }
            if !changed {
                return checks;
            }
        }
    }

    /// Whether values of the named type have anything to check (enums always do).
    pub fn named_needs(&self, name: &str) -> bool {
        self.needs.get(name).copied().unwrap_or(false)
    }

    /// Whether a value of `ty` with `constraints` needs any check.
    pub fn value_needs(&self, ty: &TypeRef, constraints: &Constraints) -> bool {
        !constraints.is_empty() || self.ref_needs_known(ty)
    }

    fn ref_needs_known(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => self.ref_needs_known(inner),
            TypeRef::Named(name) => self.named_needs(name),
            _ => false,
        }
    }

    /// Statements checking `value` (a path or method-call expression of type `&T`, so that
    /// `.len()` and `*` apply to it without parentheses), reported as `name` (an
    /// expression of type `&str`). `pattern` is the static holding the compiled pattern.
    pub fn value(
        &self,
        value: TokenStream,
        ty: &TypeRef,
        c: &Constraints,
        name: TokenStream,
        pattern: Option<&syn::Ident>,
    ) -> TokenStream {
        let v = quote!(crate::runtime::validate);
        let mut out = TokenStream::new();
        let bound = |x: Option<u64>| match x {
            Some(x) => quote!(::std::option::Option::Some(#x)),
            None => quote!(::std::option::Option::None),
        };
        if c.min_length.is_some() || c.max_length.is_some() {
            let (min, max) = (bound(c.min_length), bound(c.max_length));
            out.extend(quote!(#v::length(#name, #value, #min, #max)?;));
        }
        if let (Some(_), Some(pattern)) = (&c.pattern, pattern) {
            out.extend(quote!(#v::pattern(#name, #value, &#pattern)?;));
        }
        if c.minimum.is_some() || c.maximum.is_some() {
            match ty {
                TypeRef::F64 => {
                    let f = |x: Option<f64>| match x {
                        Some(x) => quote!(::std::option::Option::Some(#x)),
                        None => quote!(::std::option::Option::None),
                    };
                    let (min, max) = (f(c.minimum), f(c.maximum));
                    out.extend(quote!(#v::range_f64(#name, *#value, #min, #max)?;));
                }
                _ => {
                    // Integer bounds written as numbers in YAML; fractions cannot bound integers.
                    let i = |x: Option<f64>| match x {
                        Some(x) => {
                            let x = x as i64;
                            quote!(::std::option::Option::Some(#x))
                        }
                        None => quote!(::std::option::Option::None),
                    };
                    let (min, max) = (i(c.minimum), i(c.maximum));
                    let widened = if *ty == TypeRef::I32 {
                        quote!(i64::from(*#value))
                    } else {
                        quote!(*#value)
                    };
                    out.extend(quote!(#v::range_i64(#name, #widened, #min, #max)?;));
                }
            }
        }
        if c.min_items.is_some() || c.max_items.is_some() {
            let (min, max) = (bound(c.min_items), bound(c.max_items));
            out.extend(quote!(#v::items(#name, #value.len(), #min, #max)?;));
        }
        if let Some(allowed) = &c.allowed {
            let literals = allowed.iter().filter_map(|a| literal(a, ty));
            out.extend(quote!(#v::allowed(#name, #value, &[#(#literals),*])?;));
        }
        out.extend(self.nested(value, ty, name));
        out
    }

    /// Statements checking an array parameter `value` (`&Vec<T>`): its item count (`counts`),
    /// then each item against `item_constraints` and its own type, reported as `name[index]`.
    pub fn array_value(
        &self,
        value: TokenStream,
        item: &TypeRef,
        counts: &Constraints,
        item_constraints: &Constraints,
        name: TokenStream,
        pattern: Option<&syn::Ident>,
    ) -> TokenStream {
        let v = quote!(crate::runtime::validate);
        let mut out = TokenStream::new();
        if counts.min_items.is_some() || counts.max_items.is_some() {
            let bound = |x: Option<u64>| match x {
                Some(x) => quote!(::std::option::Option::Some(#x)),
                None => quote!(::std::option::Option::None),
            };
            let (min, max) = (bound(counts.min_items), bound(counts.max_items));
            out.extend(quote!(#v::items(#name, #value.len(), #min, #max)?;));
        }
        let item_value = if *item == TypeRef::String {
            quote!(item.as_str())
        } else {
            quote!(item)
        };
        let inner = self.value(
            item_value,
            item,
            item_constraints,
            quote!(&item_name),
            pattern,
        );
        if !inner.is_empty() {
            out.extend(quote! {
                for (index, item) in #value.iter().enumerate() {
                    let item_name = ::std::format!("{}[{}]", #name, index);
                    #inner
                }
            });
        }
        out
    }

    /// Checks that come from the type itself: enum membership, struct fields, elements.
    fn nested(&self, value: TokenStream, ty: &TypeRef, name: TokenStream) -> TokenStream {
        let v = quote!(crate::runtime::validate);
        match ty {
            TypeRef::Named(type_name) if self.named_needs(type_name) => {
                match &self.types[type_name.as_str()].kind {
                    TypeKind::Enum(variants) => {
                        let allowed = variants.iter().map(|x| x.wire.as_str());
                        quote!(#v::one_of(#name, #value.as_str(), &[#(#allowed),*])?;)
                    }
                    TypeKind::Struct(_) => quote!(#value.validate_at(#name)?;),
                }
            }
            TypeRef::Array(inner) if self.ref_needs_known(inner) => {
                let inner_checks = self.nested(quote!(item), inner, quote!(&item_name));
                quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let item_name = ::std::format!("{}[{}]", #name, index);
                        #inner_checks
                    }
                }
            }
            TypeRef::Map(inner) if self.ref_needs_known(inner) => {
                let inner_checks = self.nested(quote!(item), inner, quote!(&item_name));
                quote! {
                    for (key, item) in #value.iter() {
                        let item_name = ::std::format!("{}.{}", #name, key);
                        #inner_checks
                    }
                }
            }
            _ => TokenStream::new(),
        }
    }
}

/// A documented enum value as a literal of the Rust type `ty`.
fn literal(value: &serde_json::Value, ty: &TypeRef) -> Option<TokenStream> {
    use proc_macro2::Literal;
    Some(match ty {
        TypeRef::I32 => {
            let n = Literal::i32_suffixed(i32::try_from(value.as_i64()?).ok()?);
            quote!(#n)
        }
        TypeRef::I64 => {
            let n = Literal::i64_suffixed(value.as_i64()?);
            quote!(#n)
        }
        TypeRef::F64 => {
            let n = Literal::f64_suffixed(value.as_f64()?);
            quote!(#n)
        }
        TypeRef::Bool => {
            if value.as_bool()? {
                quote!(true)
            } else {
                quote!(false)
            }
        }
        _ => return None,
    })
}

/// The name of the static holding the pattern of field or parameter `field`.
pub fn pattern_static(field: &str) -> syn::Ident {
    super::rust::ident(&crate::resolve::checks_static(field))
}

/// `static NAME_PATTERN: Pattern = Pattern::new("...");` for every pattern in `items`.
pub fn pattern_statics<'x>(items: impl Iterator<Item = (&'x str, &'x Constraints)>) -> TokenStream {
    let mut out = TokenStream::new();
    for (field, c) in items {
        if let Some(pattern) = &c.pattern {
            let name = pattern_static(field);
            let doc = format!(" Documented pattern of `{}`.", naming::bare(field));
            out.extend(quote! {
                #[doc = #doc]
                static #name: crate::runtime::validate::Pattern = crate::runtime::validate::Pattern::new(#pattern);
            });
        }
    }
    out
}
