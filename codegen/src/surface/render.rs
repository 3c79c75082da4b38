//! Types and signatures as one-line text in which the same API always reads the same: paths
//! into the crate are written as their public path, `std` paths by their last segment, and
//! argument names and `mut` bindings (not part of the API) are left out.

use std::collections::HashMap;

use quote::ToTokens;
use syn::{
    FnArg, GenericArgument, GenericParam, Generics, PathArguments, ReturnType, Signature, Type,
    TypeParamBound, WherePredicate,
};

use super::tree::{Res, Tree};

/// Where a type is written: the tree, the module the text stands in, and the public path of
/// every public item.
pub struct Ctx<'a> {
    /// The crate.
    pub tree: &'a Tree,
    /// The module whose scope resolves names.
    pub module: usize,
    /// The public path of each public item, by (module, name).
    pub public: &'a HashMap<(usize, String), String>,
}

impl Ctx<'_> {
    /// A type as text.
    pub fn ty(&self, ty: &Type) -> String {
        match ty {
            Type::Path(path) if path.qself.is_none() => self.path(&path.path),
            Type::Reference(r) => {
                let lifetime = r
                    .lifetime
                    .as_ref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default();
                let mutability = if r.mutability.is_some() { "mut " } else { "" };
                format!("&{lifetime}{mutability}{}", self.ty(&r.elem))
            }
            Type::Slice(s) => format!("[{}]", self.ty(&s.elem)),
            Type::Array(a) => format!("[{}; {}]", self.ty(&a.elem), tokens(&a.len)),
            Type::Tuple(t) if t.elems.len() == 1 => format!("({},)", self.ty(&t.elems[0])),
            Type::Tuple(t) => format!("({})", self.list(t.elems.iter().map(|e| self.ty(e)))),
            Type::Paren(p) => format!("({})", self.ty(&p.elem)),
            Type::Group(g) => self.ty(&g.elem),
            Type::ImplTrait(i) => format!("impl {}", self.bounds(i.bounds.iter())),
            Type::TraitObject(o) => format!("dyn {}", self.bounds(o.bounds.iter())),
            Type::Ptr(p) => {
                let kind = if p.mutability.is_some() {
                    "mut"
                } else {
                    "const"
                };
                format!("*{kind} {}", self.ty(&p.elem))
            }
            Type::Never(_) => "!".to_owned(),
            other => tokens(other),
        }
    }

    /// A path (of a type or trait) with its generic arguments.
    pub fn path(&self, path: &syn::Path) -> String {
        let mut segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if path.leading_colon.is_some() {
            segments.insert(0, String::new());
        }
        let base = match self.tree.resolve(self.module, &segments) {
            Some(Res::Item(m, name)) => self
                .public
                .get(&(m, name.clone()))
                .cloned()
                .unwrap_or_else(|| format!("{}::{name}", self.tree.modules[m].path)),
            Some(Res::Module(m)) => self.tree.modules[m].path.clone(),
            Some(Res::External(p)) => external(&p),
            None => segments.join("::"),
        };
        let args = path
            .segments
            .last()
            .map(|last| self.arguments(&last.arguments))
            .unwrap_or_default();
        format!("{base}{args}")
    }

    fn arguments(&self, arguments: &PathArguments) -> String {
        match arguments {
            PathArguments::None => String::new(),
            PathArguments::AngleBracketed(a) => {
                let args = a.args.iter().map(|arg| match arg {
                    GenericArgument::Lifetime(l) => l.to_string(),
                    GenericArgument::Type(t) => self.ty(t),
                    GenericArgument::AssocType(a) => format!("{} = {}", a.ident, self.ty(&a.ty)),
                    GenericArgument::Constraint(c) => {
                        format!("{}: {}", c.ident, self.bounds(c.bounds.iter()))
                    }
                    other => tokens(other),
                });
                format!("<{}>", self.list(args))
            }
            PathArguments::Parenthesized(p) => {
                let inputs = self.list(p.inputs.iter().map(|t| self.ty(t)));
                format!("({inputs}){}", self.output(&p.output))
            }
        }
    }

    fn bounds<'b>(&self, bounds: impl Iterator<Item = &'b TypeParamBound>) -> String {
        bounds
            .map(|bound| match bound {
                TypeParamBound::Trait(t) => {
                    let maybe = if matches!(t.modifier, syn::TraitBoundModifier::Maybe(_)) {
                        "?"
                    } else {
                        ""
                    };
                    let lifetimes = t.lifetimes.as_ref().map(tokens).map(|l| l + " ");
                    format!(
                        "{}{maybe}{}",
                        lifetimes.unwrap_or_default(),
                        self.path(&t.path)
                    )
                }
                TypeParamBound::Lifetime(l) => l.to_string(),
                other => tokens(other),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }

    fn output(&self, output: &ReturnType) -> String {
        match output {
            ReturnType::Default => String::new(),
            ReturnType::Type(_, ty) => format!(" -> {}", self.ty(ty)),
        }
    }

    fn list(&self, items: impl Iterator<Item = String>) -> String {
        items.collect::<Vec<_>>().join(", ")
    }

    /// Generic parameters (`<'a, T: Bound>`), empty when there are none.
    pub fn generics(&self, generics: &Generics) -> String {
        if generics.params.is_empty() {
            return String::new();
        }
        let params = generics.params.iter().map(|param| match param {
            GenericParam::Lifetime(l) => tidy(&l.to_token_stream().to_string()),
            GenericParam::Type(t) => {
                let mut text = t.ident.to_string();
                if !t.bounds.is_empty() {
                    text += &format!(": {}", self.bounds(t.bounds.iter()));
                }
                if let Some(default) = &t.default {
                    text += &format!(" = {}", self.ty(default));
                }
                text
            }
            GenericParam::Const(c) => format!("const {}: {}", c.ident, self.ty(&c.ty)),
        });
        format!("<{}>", self.list(params))
    }

    /// The where clause (` where T: Bound`), empty when there is none.
    pub fn where_clause(&self, generics: &Generics) -> String {
        let Some(clause) = &generics.where_clause else {
            return String::new();
        };
        if clause.predicates.is_empty() {
            return String::new();
        }
        let predicates = clause.predicates.iter().map(|p| match p {
            WherePredicate::Type(t) => {
                format!(
                    "{}: {}",
                    self.ty(&t.bounded_ty),
                    self.bounds(t.bounds.iter())
                )
            }
            other => tidy(&other.to_token_stream().to_string()),
        });
        format!(" where {}", self.list(predicates))
    }

    /// A function signature without its name: `async fn<T>(&self, T) -> Out where …`.
    pub fn signature(&self, sig: &Signature) -> String {
        let mut text = String::new();
        if sig.constness.is_some() {
            text += "const ";
        }
        if sig.asyncness.is_some() {
            text += "async ";
        }
        if sig.unsafety.is_some() {
            text += "unsafe ";
        }
        if let Some(abi) = &sig.abi {
            text += &tokens(abi);
            text += " ";
        }
        let inputs = sig.inputs.iter().map(|input| match input {
            FnArg::Receiver(r) if r.colon_token.is_some() => format!("self: {}", self.ty(&r.ty)),
            FnArg::Receiver(r) => match &r.reference {
                Some((_, lifetime)) => {
                    let lifetime = lifetime
                        .as_ref()
                        .map(|l| format!("{l} "))
                        .unwrap_or_default();
                    let mutability = if r.mutability.is_some() { "mut " } else { "" };
                    format!("&{lifetime}{mutability}self")
                }
                None => "self".to_owned(),
            },
            FnArg::Typed(t) => self.ty(&t.ty),
        });
        format!(
            "{text}fn{}({}){}{}",
            self.generics(&sig.generics),
            self.list(inputs),
            self.output(&sig.output),
            self.where_clause(&sig.generics)
        )
    }
}

/// A path outside the crate: the standard library's by its last segment (`Option`, not
/// `::std::option::Option`, however the generator happens to spell it), others in full.
fn external(path: &str) -> String {
    let std = ["std::", "core::", "alloc::"];
    if std.iter().any(|prefix| path.starts_with(prefix)) {
        path.rsplit("::").next().unwrap_or(path).to_owned()
    } else {
        path.to_owned()
    }
}

fn tokens(node: &impl ToTokens) -> String {
    tidy(&node.to_token_stream().to_string())
}

/// Token text with the spaces `TokenStream`'s printer puts around punctuation removed where
/// Rust code has none (`Option < T >` → `Option<T>`, `a :: b` → `a::b`).
pub fn tidy(text: &str) -> String {
    let mut out = text.replace(" :: ", "::").replace(":: ", "::");
    if out.starts_with(":: ") {
        out = out.replacen(":: ", "::", 1);
    }
    for (from, to) in [
        (" ,", ","),
        ("< ", "<"),
        (" >", ">"),
        (" <", "<"),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        ("& ", "&"),
        (" ;", ";"),
        ("- >", "->"),
    ] {
        out = out.replace(from, to);
    }
    out
}
