//! The generated crate's public API as sorted text lines (`API.txt`), and the comparison of two
//! such listings that the API stability gate (`cargo xtask api-diff`) runs.
//!
//! The listing is read from the crate's sources with `syn`, so it needs neither rustdoc JSON
//! nor a nightly toolchain. Each line is `KIND PATH [DETAIL] [#[cfg(...)]…]`:
//!
//! - `mod`, `struct`, `enum`, `union`, `trait`, `fn`, `const`, `static`, `type`: a public item
//!   under each public path that reaches it; the signature, type or generics are written once,
//!   on the line of its canonical path (where it is defined when that is public, else the
//!   shortest public path);
//! - `field STRUCT.NAME TYPE`, `variant ENUM::NAME SHAPE`, `method TYPE::NAME SIGNATURE`,
//!   `assoc-const TYPE::NAME TYPE`, `trait-fn`, `trait-type`, `trait-const`: the members;
//! - `impl TYPE:TRAIT`: a trait implementation, written or derived;
//! - `non_exhaustive PATH`: a `#[non_exhaustive]` struct, enum or variant;
//! - `reexport PATH TARGET`: a public name for an item of another crate.
//!
//! `#[doc(hidden)]` items are not part of the API and are left out. Paths start with `crate`.

mod compare;
mod render;
mod tree;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use syn::{Attribute, Fields, ImplItem, Item, TraitItem};

pub use compare::{compare, Change, Severity, Version};

use render::Ctx;
use tree::{cfgs, hidden, is_pub, item_name, use_leaves, Res, Tree};

/// The first line of a listing.
pub const HEADER: &str = "# Public API of the generated crate, one item per line; written by \
`cargo xtask gen`, compared by `cargo xtask api-diff`.";

/// The public API of the crate whose files are `files` (paths relative to the crate
/// directory; only `src/**.rs` is read), as the text of `API.txt`.
pub fn listing(files: &BTreeMap<String, String>) -> Result<String, String> {
    let sources: BTreeMap<String, String> = files
        .iter()
        .filter(|(path, _)| path.starts_with("src/") && path.ends_with(".rs"))
        .map(|(path, text)| (path.clone(), text.clone()))
        .collect();
    let tree = Tree::load(&sources)?;
    let lines = Lister::new(&tree).lines();
    let mut text = String::with_capacity(lines.len() * 64);
    text.push_str(HEADER);
    text.push('\n');
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    Ok(text)
}

/// A public path of an item and the `cfg` conditions on the way to it.
struct Reach {
    path: String,
    cfg: BTreeSet<String>,
}

struct Lister<'a> {
    tree: &'a Tree,
    /// Every public path of each public item, by (module, name).
    reach: BTreeMap<(usize, String), Vec<Reach>>,
    lines: BTreeSet<String>,
}

impl<'a> Lister<'a> {
    fn new(tree: &'a Tree) -> Self {
        Lister {
            tree,
            reach: BTreeMap::new(),
            lines: BTreeSet::new(),
        }
    }

    fn lines(mut self) -> BTreeSet<String> {
        self.walk(0, "crate", &BTreeSet::new(), &mut Vec::new());
        let public = self.canonical();
        self.items(&public);
        self.impls(&public);
        self.lines
    }

    /// Records what module `m` makes public under `prefix`.
    fn walk(&mut self, m: usize, prefix: &str, cfg: &BTreeSet<String>, stack: &mut Vec<usize>) {
        if stack.contains(&m) {
            return;
        }
        stack.push(m);
        let tree = self.tree;
        let module = &tree.modules[m];
        for (name, &child) in &module.children {
            let child_module = &tree.modules[child];
            if !child_module.public {
                continue;
            }
            let path = format!("{prefix}::{name}");
            let cfg = union(cfg, &child_module.cfg);
            self.line("mod", &path, "", &cfg);
            self.walk(child, &path, &cfg, stack);
        }
        for item in &module.items {
            match item {
                Item::Use(import) if is_pub(&import.vis) && !hidden(&import.attrs) => {
                    let cfg = union(cfg, &cfgs(&import.attrs));
                    for leaf in use_leaves(&import.tree) {
                        self.reexport(m, prefix, &leaf.path, leaf.alias.as_deref(), &cfg, stack);
                    }
                }
                Item::Use(_) | Item::Impl(_) | Item::Macro(_) => {}
                _ => {
                    let Some(name) = item_name(item) else {
                        continue;
                    };
                    if !visible(item) {
                        continue;
                    }
                    let cfg = union(cfg, &cfgs(attrs(item)));
                    let path = format!("{prefix}::{name}");
                    self.reach
                        .entry((m, name))
                        .or_default()
                        .push(Reach { path, cfg });
                }
            }
        }
        stack.pop();
    }

    /// Records a `pub use` of `target` (written in module `m`) as `prefix::alias`.
    fn reexport(
        &mut self,
        m: usize,
        prefix: &str,
        target: &[String],
        alias: Option<&str>,
        cfg: &BTreeSet<String>,
        stack: &mut Vec<usize>,
    ) {
        let resolved = self.tree.resolve(m, target);
        let Some(alias) = alias else {
            // A glob: the target's public names appear here.
            match resolved {
                Some(Res::Module(target)) => self.walk(target, prefix, cfg, stack),
                Some(Res::External(path)) => self.line(
                    "reexport",
                    &format!("{prefix}::*"),
                    &format!("{path}::*"),
                    cfg,
                ),
                _ => {}
            }
            return;
        };
        let path = format!("{prefix}::{alias}");
        match resolved {
            Some(Res::Item(dm, name)) => {
                let definition = self.tree.modules[dm]
                    .items
                    .iter()
                    .find(|item| item_name(item).as_deref() == Some(&name));
                if definition.is_some_and(|item| !visible(item)) {
                    return;
                }
                let own = definition.map(|item| cfgs(attrs(item))).unwrap_or_default();
                let cfg = union(&union(cfg, &self.chain_cfg(dm)), &own);
                self.reach
                    .entry((dm, name))
                    .or_default()
                    .push(Reach { path, cfg });
            }
            Some(Res::Module(target)) => {
                let cfg = union(cfg, &self.chain_cfg(target));
                self.line("mod", &path, "", &cfg);
                self.walk(target, &path, &cfg, stack);
            }
            Some(Res::External(external)) => self.line("reexport", &path, &external, cfg),
            None => self.line("reexport", &path, &target.join("::"), cfg),
        }
    }

    /// The `cfg` conditions of module `m` and all modules around it.
    fn chain_cfg(&self, m: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = Some(m);
        while let Some(index) = current {
            out.extend(self.tree.modules[index].cfg.iter().cloned());
            current = self.tree.modules[index].parent;
        }
        out
    }

    /// The canonical public path of every public item: where it is defined when that path is
    /// public, else its shortest public path.
    fn canonical(&self) -> HashMap<(usize, String), String> {
        self.reach
            .iter()
            .map(|((m, name), reaches)| {
                let defined = format!("{}::{name}", self.tree.modules[*m].path);
                let best = reaches
                    .iter()
                    .map(|r| &r.path)
                    .find(|p| **p == defined)
                    .or_else(|| {
                        reaches
                            .iter()
                            .map(|r| &r.path)
                            .min_by_key(|p| (p.matches("::").count(), p.as_str()))
                    })
                    .cloned()
                    .unwrap_or(defined);
                ((*m, name.clone()), best)
            })
            .collect()
    }

    /// Lines for every public item and its fields, variants and derives.
    fn items(&mut self, public: &HashMap<(usize, String), String>) {
        let reach = std::mem::take(&mut self.reach);
        for ((m, name), reaches) in &reach {
            let Some(item) = self.tree.modules[*m]
                .items
                .iter()
                .find(|item| item_name(item).as_deref() == Some(name))
            else {
                continue;
            };
            let canonical = &public[&(*m, name.clone())];
            let ctx = Ctx {
                tree: self.tree,
                module: *m,
                public,
            };
            let kind = kind(item);
            for r in reaches {
                if r.path != *canonical {
                    self.line(kind, &r.path, "", &r.cfg);
                }
            }
            // The canonical line carries the conditions common to every path.
            let cfg = reaches
                .iter()
                .find(|r| r.path == *canonical)
                .map(|r| r.cfg.clone())
                .unwrap_or_default();
            self.item(&ctx, item, canonical, &cfg);
        }
        self.reach = reach;
    }

    fn item(&mut self, ctx: &Ctx, item: &Item, path: &str, cfg: &BTreeSet<String>) {
        let kind = kind(item);
        let detail = match item {
            Item::Struct(s) => ctx.generics(&s.generics) + &ctx.where_clause(&s.generics),
            Item::Enum(e) => ctx.generics(&e.generics) + &ctx.where_clause(&e.generics),
            Item::Union(u) => ctx.generics(&u.generics) + &ctx.where_clause(&u.generics),
            Item::Fn(f) => ctx.signature(&f.sig),
            Item::Const(c) => ctx.ty(&c.ty),
            Item::Static(s) => {
                let mutability = if matches!(s.mutability, syn::StaticMutability::Mut(_)) {
                    "mut "
                } else {
                    ""
                };
                format!("{mutability}{}", ctx.ty(&s.ty))
            }
            Item::Type(t) => format!("{}= {}", ctx.generics(&t.generics), ctx.ty(&t.ty)),
            Item::Trait(t) => {
                let mut detail = ctx.generics(&t.generics);
                if t.unsafety.is_some() {
                    detail = format!("unsafe {detail}");
                }
                if !t.supertraits.is_empty() {
                    let supers: Vec<String> = t
                        .supertraits
                        .iter()
                        .map(|b| match b {
                            syn::TypeParamBound::Trait(t) => ctx.path(&t.path),
                            other => {
                                render::tidy(&quote::ToTokens::to_token_stream(other).to_string())
                            }
                        })
                        .collect();
                    detail += &format!(": {}", supers.join(" + "));
                }
                detail
            }
            _ => String::new(),
        };
        self.line(kind, path, detail.trim(), cfg);
        let item_attrs = attrs(item);
        if non_exhaustive(item_attrs) {
            self.line("non_exhaustive", path, "", &BTreeSet::new());
        }
        for derived in derives(item_attrs) {
            self.line("impl", &format!("{path}:{derived}"), "", cfg);
        }
        match item {
            Item::Struct(s) => self.fields(ctx, &s.fields, path, cfg),
            Item::Union(u) => {
                for field in &u.fields.named {
                    self.field(ctx, field, &field_name(field, 0), path, cfg);
                }
            }
            Item::Enum(e) => {
                for variant in &e.variants {
                    if hidden(&variant.attrs) {
                        continue;
                    }
                    let vpath = format!("{path}::{}", variant.ident);
                    let cfg = union(cfg, &cfgs(&variant.attrs));
                    let mut shape = match &variant.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(fields) => {
                            let types: Vec<String> =
                                fields.unnamed.iter().map(|f| ctx.ty(&f.ty)).collect();
                            format!("({})", types.join(", "))
                        }
                        Fields::Named(fields) => {
                            let named: Vec<String> = fields
                                .named
                                .iter()
                                .map(|f| format!("{}: {}", field_name(f, 0), ctx.ty(&f.ty)))
                                .collect();
                            format!("{{ {} }}", named.join(", "))
                        }
                    };
                    if let Some((_, discriminant)) = &variant.discriminant {
                        shape += &format!(
                            " = {}",
                            render::tidy(
                                &quote::ToTokens::to_token_stream(discriminant).to_string()
                            )
                        );
                    }
                    self.line("variant", &vpath, shape.trim(), &cfg);
                    if non_exhaustive(&variant.attrs) {
                        self.line("non_exhaustive", &vpath, "", &BTreeSet::new());
                    }
                }
            }
            Item::Trait(t) => self.trait_items(ctx, t, path, cfg),
            _ => {}
        }
    }

    fn fields(&mut self, ctx: &Ctx, fields: &Fields, path: &str, cfg: &BTreeSet<String>) {
        for (index, field) in fields.iter().enumerate() {
            if is_pub(&field.vis) && !hidden(&field.attrs) {
                self.field(ctx, field, &field_name(field, index), path, cfg);
            }
        }
    }

    fn field(
        &mut self,
        ctx: &Ctx,
        field: &syn::Field,
        name: &str,
        path: &str,
        cfg: &BTreeSet<String>,
    ) {
        let cfg = union(cfg, &cfgs(&field.attrs));
        self.line("field", &format!("{path}.{name}"), &ctx.ty(&field.ty), &cfg);
    }

    fn trait_items(&mut self, ctx: &Ctx, t: &syn::ItemTrait, path: &str, cfg: &BTreeSet<String>) {
        for item in &t.items {
            let (kind, name, mut detail, provided, attrs) = match item {
                TraitItem::Fn(f) => (
                    "trait-fn",
                    f.sig.ident.to_string(),
                    ctx.signature(&f.sig),
                    f.default.is_some(),
                    &f.attrs,
                ),
                TraitItem::Type(ty) => (
                    "trait-type",
                    ty.ident.to_string(),
                    ctx.generics(&ty.generics),
                    ty.default.is_some(),
                    &ty.attrs,
                ),
                TraitItem::Const(c) => (
                    "trait-const",
                    c.ident.to_string(),
                    ctx.ty(&c.ty),
                    c.default.is_some(),
                    &c.attrs,
                ),
                _ => continue,
            };
            if hidden(attrs) {
                continue;
            }
            if provided {
                detail += " (provided)";
            }
            let cfg = union(cfg, &cfgs(attrs));
            self.line(kind, &format!("{path}::{name}"), detail.trim(), &cfg);
        }
    }

    /// Lines for inherent methods and associated constants, and trait impls, of public types.
    fn impls(&mut self, public: &HashMap<(usize, String), String>) {
        let tree = self.tree;
        for (m, module) in tree.modules.iter().enumerate() {
            for item in &module.items {
                let Item::Impl(block) = item else { continue };
                if hidden(&block.attrs) {
                    continue;
                }
                let syn::Type::Path(self_ty) = &*block.self_ty else {
                    continue;
                };
                let segments: Vec<String> = self_ty
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let Some(Res::Item(dm, name)) = tree.resolve(m, &segments) else {
                    continue;
                };
                let Some(owner) = public.get(&(dm, name)) else {
                    continue;
                };
                let ctx = Ctx {
                    tree,
                    module: m,
                    public,
                };
                let cfg: BTreeSet<String> = self
                    .chain_cfg(m)
                    .into_iter()
                    .chain(cfgs(&block.attrs))
                    .collect();
                if let Some((negative, trait_path, _)) = &block.trait_ {
                    let not = if negative.is_some() { "!" } else { "" };
                    let name = ctx.path(trait_path).replace(' ', "");
                    self.line(
                        "impl",
                        &format!("{owner}:{not}{}", last_segment(&name)),
                        "",
                        &cfg,
                    );
                    continue;
                }
                for member in &block.items {
                    match member {
                        ImplItem::Fn(f) if is_pub(&f.vis) && !hidden(&f.attrs) => {
                            let cfg = union(&cfg, &cfgs(&f.attrs));
                            let path = format!("{owner}::{}", f.sig.ident);
                            self.line("method", &path, &ctx.signature(&f.sig), &cfg);
                        }
                        ImplItem::Const(c) if is_pub(&c.vis) && !hidden(&c.attrs) => {
                            let cfg = union(&cfg, &cfgs(&c.attrs));
                            let path = format!("{owner}::{}", c.ident);
                            self.line("assoc-const", &path, &ctx.ty(&c.ty), &cfg);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    fn line(&mut self, kind: &str, path: &str, detail: &str, cfg: &BTreeSet<String>) {
        let mut line = format!("{kind} {path}");
        if !detail.is_empty() {
            line.push(' ');
            line.push_str(detail);
        }
        for condition in cfg {
            line.push_str(&format!(" #[cfg({condition})]"));
        }
        self.lines.insert(line);
    }
}

/// The trait's name without the path to it (`Display`, `From<crate::Foo>`): how a trait is
/// imported is not part of the API, nor are lifetime-only arguments (`Deserialize<'de>` is the
/// `Deserialize` a derive implements).
fn last_segment(path: &str) -> String {
    let generic = path.find('<').unwrap_or(path.len());
    let start = path[..generic].rfind("::").map_or(0, |i| i + 2);
    let name = &path[start..];
    let lifetimes_only = name[generic - start..]
        .trim_start_matches('<')
        .trim_end_matches('>')
        .split(',')
        .all(|arg| arg.starts_with('\''));
    if generic < path.len() && lifetimes_only {
        name[..generic - start].to_owned()
    } else {
        name.to_owned()
    }
}

fn union(a: &BTreeSet<String>, b: &[String]) -> BTreeSet<String> {
    a.iter().cloned().chain(b.iter().cloned()).collect()
}

fn field_name(field: &syn::Field, index: usize) -> String {
    field
        .ident
        .as_ref()
        .map_or_else(|| index.to_string(), ToString::to_string)
}

fn kind(item: &Item) -> &'static str {
    match item {
        Item::Const(_) => "const",
        Item::Enum(_) => "enum",
        Item::Fn(_) => "fn",
        Item::Static(_) => "static",
        Item::Struct(_) => "struct",
        Item::Trait(_) => "trait",
        Item::TraitAlias(_) => "trait-alias",
        Item::Type(_) => "type",
        Item::Union(_) => "union",
        _ => "item",
    }
}

fn attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether an item is `pub` and not hidden from the docs.
fn visible(item: &Item) -> bool {
    let vis = match item {
        Item::Const(i) => &i.vis,
        Item::Enum(i) => &i.vis,
        Item::Fn(i) => &i.vis,
        Item::Static(i) => &i.vis,
        Item::Struct(i) => &i.vis,
        Item::Trait(i) => &i.vis,
        Item::TraitAlias(i) => &i.vis,
        Item::Type(i) => &i.vis,
        Item::Union(i) => &i.vis,
        _ => return false,
    };
    is_pub(vis) && !hidden(attrs(item))
}

fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| attr.path().is_ident("non_exhaustive"))
}

/// The traits of `#[derive(...)]`, by last path segment.
fn derives(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let parsed = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        );
        if let Ok(paths) = parsed {
            for path in paths {
                if let Some(last) = path.segments.last() {
                    out.push(last.ident.to_string());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(files: &[(&str, &str)]) -> Vec<String> {
        let files = files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect();
        let text = listing(&files).unwrap_or_else(|e| panic!("{e}"));
        text.lines().skip(1).map(str::to_owned).collect()
    }

    #[test]
    fn items_of_private_modules_are_listed_where_they_are_reexported() {
        let lines = list(&[
            (
                "src/lib.rs",
                "mod inner;\npub mod shown;\npub use inner::Thing;\n\
                 pub(crate) fn internal() {}\n#[doc(hidden)]\npub fn hidden() {}\n",
            ),
            (
                "src/inner.rs",
                "#[derive(Debug, ::std::clone::Clone)]\n#[non_exhaustive]\n\
                 pub struct Thing { pub name: ::std::string::String, secret: u8 }\n\
                 impl Thing {\n    pub fn new(name: impl Into<String>) -> Self { todo!() }\n\
                 fn private(&self) {}\n}\n",
            ),
            (
                "src/shown.rs",
                "pub use crate::inner::Thing as Alias;\npub enum E { A, B(crate::Thing) }\n",
            ),
        ]);
        assert_eq!(
            lines,
            [
                "enum crate::shown::E",
                "field crate::Thing.name String",
                "impl crate::Thing:Clone",
                "impl crate::Thing:Debug",
                "method crate::Thing::new fn(impl Into<String>) -> Self",
                "mod crate::shown",
                "non_exhaustive crate::Thing",
                "struct crate::Thing",
                "struct crate::shown::Alias",
                "variant crate::shown::E::A",
                "variant crate::shown::E::B (crate::Thing)",
            ]
        );
    }

    #[test]
    fn feature_gates_are_carried_from_modules_reexports_and_items() {
        let lines = list(&[
            (
                "src/lib.rs",
                "#[cfg(feature = \"jobs\")]\npub mod jobs;\n\
                 #[cfg(feature = \"jobs\")]\npub use jobs::run;\n",
            ),
            (
                "src/jobs.rs",
                "pub fn run(count: u32, mut flag: bool) {}\n\
                 #[cfg(feature = \"extra\")]\npub const LIMIT: u32 = 3;\n",
            ),
        ]);
        assert_eq!(
            lines,
            [
                "const crate::jobs::LIMIT u32 #[cfg(feature = \"extra\")] #[cfg(feature = \"jobs\")]",
                "fn crate::jobs::run fn(u32, bool) #[cfg(feature = \"jobs\")]",
                "fn crate::run #[cfg(feature = \"jobs\")]",
                "mod crate::jobs #[cfg(feature = \"jobs\")]",
            ]
        );
    }

    #[test]
    fn other_crates_are_named_in_full_and_the_standard_library_by_last_segment() {
        let lines = list(&[(
            "src/lib.rs",
            "pub use other_crate as other;\npub use other::Thing;\n\
             pub fn f(a: &std::vec::Vec<reqwest::Method>) -> ::core::option::Option<other::X> { None }\n",
        )]);
        assert_eq!(
            lines,
            [
                "fn crate::f fn(&Vec<reqwest::Method>) -> Option<other_crate::X>",
                "reexport crate::Thing other_crate::Thing",
                "reexport crate::other other_crate",
            ]
        );
    }

    #[test]
    fn a_missing_module_file_is_a_located_error() {
        let files = [("src/lib.rs".to_owned(), "pub mod gone;\n".to_owned())]
            .into_iter()
            .collect();
        let error = listing(&files).expect_err("no file for the module");
        assert!(
            error.starts_with("src/lib.rs: `mod gone;` has no file"),
            "{error}"
        );
    }
}
