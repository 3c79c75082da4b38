//! The crate's module tree read from its sources, and the name resolution the listing needs:
//! which item a path written in some module refers to.

use std::collections::BTreeMap;

use syn::{Attribute, Item, UseTree, Visibility};

/// One module of the crate: its items and how it was declared.
pub struct Module {
    /// `crate`, `crate::operations`, …
    pub path: String,
    /// The index of the enclosing module; `None` for the crate root.
    pub parent: Option<usize>,
    /// The module's `#[cfg(...)]` conditions, from its declaration and its inner attributes.
    pub cfg: Vec<String>,
    /// The items written in the module (nested modules are their own [`Module`]s).
    pub items: Vec<Item>,
    /// Child modules by name.
    pub children: BTreeMap<String, usize>,
    /// Whether the declaration is `pub` and not `#[doc(hidden)]`.
    pub public: bool,
}

/// What a path refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Res {
    /// A module of the crate, by index.
    Module(usize),
    /// An item of the crate: its module's index and its name.
    Item(usize, String),
    /// Something outside the crate, as a path without leading `::`.
    External(String),
}

/// The parsed crate.
pub struct Tree {
    /// Every module; index 0 is the crate root.
    pub modules: Vec<Module>,
}

/// Guards name resolution against `use` cycles.
const MAX_DEPTH: usize = 32;

impl Tree {
    /// Reads the crate whose sources are `files` (paths relative to the crate directory,
    /// starting at `src/lib.rs`).
    pub fn load(files: &BTreeMap<String, String>) -> Result<Tree, String> {
        let mut tree = Tree {
            modules: Vec::new(),
        };
        let root = parse_file(files, "src/lib.rs")?;
        tree.add(
            files,
            "crate".to_owned(),
            None,
            Vec::new(),
            true,
            root,
            ("src".to_owned(), "src/lib.rs".to_owned()),
        )?;
        Ok(tree)
    }

    /// Adds a module and, recursively, the modules it declares. `dir` is where its `mod x;`
    /// files live, `file` is the file it was read from (for errors).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        files: &BTreeMap<String, String>,
        path: String,
        parent: Option<usize>,
        cfg: Vec<String>,
        public: bool,
        items: Vec<Item>,
        (dir, file): (String, String),
    ) -> Result<usize, String> {
        let index = self.modules.len();
        self.modules.push(Module {
            path: path.clone(),
            parent,
            cfg,
            items: Vec::new(),
            children: BTreeMap::new(),
            public,
        });
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let Item::Mod(module) = item else {
                kept.push(item);
                continue;
            };
            let name = module.ident.to_string();
            let cfg = cfgs(&module.attrs);
            let public = is_pub(&module.vis) && !hidden(&module.attrs);
            let child_path = format!("{path}::{name}");
            let child = match module.content {
                Some((_, items)) => self.add(
                    files,
                    child_path,
                    Some(index),
                    cfg,
                    public,
                    items,
                    (format!("{dir}/{name}"), file.clone()),
                )?,
                None => {
                    let flat = format!("{dir}/{name}.rs");
                    let nested = format!("{dir}/{name}/mod.rs");
                    let source = if files.contains_key(&flat) {
                        flat
                    } else if files.contains_key(&nested) {
                        nested
                    } else {
                        return Err(format!(
                            "{file}: `mod {name};` has no file ({flat} or {nested})"
                        ));
                    };
                    let parsed = parse_file(files, &source)?;
                    self.add(
                        files,
                        child_path,
                        Some(index),
                        cfg,
                        public,
                        parsed,
                        (format!("{dir}/{name}"), source),
                    )?
                }
            };
            self.modules[index].children.insert(name, child);
        }
        self.modules[index].items = kept;
        Ok(index)
    }

    /// What `segments`, written in module `from`, refers to; `None` when it names nothing the
    /// crate defines or imports (a generic parameter, a prelude name).
    pub fn resolve(&self, from: usize, segments: &[String]) -> Option<Res> {
        self.resolve_depth(from, segments, 0)
    }

    fn resolve_depth(&self, from: usize, segments: &[String], depth: usize) -> Option<Res> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (first, rest) = segments.split_first()?;
        let mut current = match first.as_str() {
            "crate" => Res::Module(0),
            "self" => Res::Module(from),
            "super" => Res::Module(self.modules[from].parent?),
            // A leading `::` is kept as an empty first segment: always another crate.
            "" => return Some(Res::External(rest.join("::"))),
            name => match self.lookup(from, name, depth + 1) {
                Some(res) => res,
                // An unknown first segment of a longer path is another crate (`std::…`).
                None if !rest.is_empty() => Res::External(name.to_owned()),
                None => return None,
            },
        };
        for segment in rest {
            current = match current {
                Res::Module(m) if segment == "super" => Res::Module(self.modules[m].parent?),
                Res::Module(m) => self.lookup(m, segment, depth + 1)?,
                Res::External(path) => Res::External(format!("{path}::{segment}")),
                // Associated items are not resolved further.
                Res::Item(..) => return None,
            };
        }
        Some(current)
    }

    /// A name in the scope of module `m`: its child modules, its items and its imports.
    fn lookup(&self, m: usize, name: &str, depth: usize) -> Option<Res> {
        let module = &self.modules[m];
        if let Some(&child) = module.children.get(name) {
            return Some(Res::Module(child));
        }
        if module
            .items
            .iter()
            .any(|item| item_name(item).as_deref() == Some(name))
        {
            return Some(Res::Item(m, name.to_owned()));
        }
        let mut globs = Vec::new();
        for item in &module.items {
            let Item::Use(import) = item else { continue };
            for leaf in use_leaves(&import.tree) {
                match leaf.alias {
                    Some(alias) if alias == name => {
                        // `use other_crate as name;`: a name no module defines is a crate.
                        return self
                            .resolve_depth(m, &leaf.path, depth + 1)
                            .or_else(|| Some(Res::External(leaf.path.join("::"))));
                    }
                    None => globs.push(leaf.path),
                    Some(_) => {}
                }
            }
        }
        for glob in globs {
            if let Some(Res::Module(target)) = self.resolve_depth(m, &glob, depth + 1) {
                if let Some(res) = self.lookup(target, name, depth + 1) {
                    return Some(res);
                }
            }
        }
        None
    }
}

/// One name a `use` item brings in: `alias` is the name in scope, `None` for a glob.
pub struct UseLeaf {
    /// The imported path, as written.
    pub path: Vec<String>,
    /// The name it has in scope; `None` for `path::*`.
    pub alias: Option<String>,
}

/// Every name a `use` tree imports.
pub fn use_leaves(tree: &UseTree) -> Vec<UseLeaf> {
    let mut out = Vec::new();
    collect_leaves(tree, &mut Vec::new(), &mut out);
    out
}

fn collect_leaves(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<UseLeaf>) {
    match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            collect_leaves(&path.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(name) => {
            let ident = name.ident.to_string();
            // `use a::b::{self}` imports `b` itself.
            let (path, alias) = if ident == "self" {
                (prefix.clone(), prefix.last().cloned().unwrap_or_default())
            } else {
                let mut path = prefix.clone();
                path.push(ident.clone());
                (path, ident)
            };
            out.push(UseLeaf {
                path,
                alias: Some(alias),
            });
        }
        UseTree::Rename(rename) => {
            let mut path = prefix.clone();
            let ident = rename.ident.to_string();
            if ident != "self" {
                path.push(ident);
            }
            out.push(UseLeaf {
                path,
                alias: Some(rename.rename.to_string()),
            });
        }
        UseTree::Glob(_) => out.push(UseLeaf {
            path: prefix.clone(),
            alias: None,
        }),
        UseTree::Group(group) => {
            for tree in &group.items {
                collect_leaves(tree, prefix, out);
            }
        }
    }
}

/// The name an item defines in its module's type or value namespace, if any.
pub fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Fn(i) => &i.sig.ident,
        Item::Static(i) => &i.ident,
        Item::Struct(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Union(i) => &i.ident,
        Item::Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Whether `vis` is plain `pub` (not `pub(crate)` and the like).
pub fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Whether the attributes hide the item from the documented API (`#[doc(hidden)]`).
pub fn hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && matches!(&attr.meta, syn::Meta::List(list) if list.tokens.to_string() == "hidden")
    })
}

/// The item's `#[cfg(...)]` conditions, as tidy text (`feature = "jobs"`).
pub fn cfgs(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::List(list) => Some(super::render::tidy(&list.tokens.to_string())),
            _ => None,
        })
        .collect()
}

fn parse_file(files: &BTreeMap<String, String>, path: &str) -> Result<Vec<Item>, String> {
    let source = files
        .get(path)
        .ok_or_else(|| format!("{path}: missing from the crate"))?;
    let file = syn::parse_file(source).map_err(|e| format!("{path}: {e}"))?;
    Ok(file.items)
}
