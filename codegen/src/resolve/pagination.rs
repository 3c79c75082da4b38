//! `x-pagination`: how a list operation pages, resolved against its parameters, request body
//! and response. The vocabulary is documented in `spec/README.md` (keep the two in step).

use super::operations::steps;
use super::schemas::Registry;
use crate::diag::{Diagnostics, Pointer};
use crate::ir::{
    Body, Location, PageField, PageLocation, PageStyle, Pagination, Param, ResponseKind, TypeKind,
    TypeRef,
};
use crate::openapi;

/// The path of `items` that names the response itself (a bare JSON array).
const WHOLE_BODY: &str = "$";

/// Resolves the hint `p` at `at`; every problem is reported, `None` when there was one.
pub(super) fn resolve(
    p: &openapi::Pagination,
    params: &[Param],
    body: Option<&Body>,
    response: &ResponseKind,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    let (style, position, size, foreign) = match p.style.as_str() {
        "page" => (
            PageStyle::Page,
            ("page-param", p.page_param.as_deref()),
            ("size-param", p.size_param.as_deref()),
            [
                ("offset-param", p.offset_param.is_some()),
                ("limit-param", p.limit_param.is_some()),
            ],
        ),
        "offset-limit" => (
            PageStyle::OffsetLimit,
            ("offset-param", p.offset_param.as_deref()),
            ("limit-param", p.limit_param.as_deref()),
            [
                ("page-param", p.page_param.is_some()),
                ("size-param", p.size_param.is_some()),
            ],
        ),
        other => {
            diags.error(
                &at.join("style"),
                format!("unknown paging style {other:?} (page or offset-limit)"),
            );
            return None;
        }
    };
    let mut ok = true;
    for (key, present) in foreign {
        if present {
            diags.error(
                &at.join(key),
                format!("`{key}` does not belong to style {:?}", p.style),
            );
            ok = false;
        }
    }
    let first_page = match (p.first_page, style) {
        (None, _) => 0,
        (Some(first @ (0 | 1)), PageStyle::Page) => first,
        (Some(first), PageStyle::Page) => {
            diags.error(
                &at.join("first-page"),
                format!("the first page is numbered 0 or 1, not {first}"),
            );
            ok = false;
            0
        }
        (Some(_), PageStyle::OffsetLimit) => {
            diags.error(
                &at.join("first-page"),
                "`first-page` belongs to style \"page\"; an offset counts items from 0",
            );
            ok = false;
            0
        }
    };
    let fields = match p.location.as_deref() {
        None | Some("query") => query_fields(params, position, size, at, diags),
        Some("body") => body_fields(body, position, size, at, registry, diags),
        Some(other) => {
            diags.error(
                &at.join("in"),
                format!("paging fields are `in: query` or `in: body`, not {other:?}"),
            );
            None
        }
    };
    let items_at = at.join("items");
    let (items, item_ty) = if p.items == WHOLE_BODY {
        match response {
            ResponseKind::Json(TypeRef::Array(item)) => (Vec::new(), (**item).clone()),
            _ => {
                diags.error(
                    &items_at,
                    "`items: '$'` needs a response that is a JSON array",
                );
                return None;
            }
        }
    } else {
        match steps(&p.items, response, &items_at, registry, diags)? {
            (steps, TypeRef::Array(item)) => (steps, *item),
            _ => {
                diags.error(&items_at, "the items property must be an array");
                return None;
            }
        }
    };
    let total = match &p.total {
        Some(total) => {
            let total_at = at.join("total");
            match steps(total, response, &total_at, registry, diags) {
                Some((
                    steps,
                    ty @ (TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::String),
                )) => Some((steps, ty)),
                Some(_) => {
                    diags.error(
                        &total_at,
                        "the total must be a number (or numeric string) property",
                    );
                    return None;
                }
                None => return None,
            }
        }
        None => None,
    };
    let (location, position, size) = fields?;
    if !ok {
        return None;
    }
    Some(Pagination {
        style,
        location,
        position,
        size,
        first_page,
        items,
        item_ty,
        total,
    })
}

type Key<'a> = (&'static str, Option<&'a str>);

/// Whether a paging field may have type `ty`: an integer, or a string of digits (some vendor
/// operations declare `page` as a numeric string).
fn paging_type(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::String)
}

fn query_fields(
    params: &[Param],
    position: Key,
    size: Key,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<(PageLocation, PageField, PageField)> {
    let mut find = |(key, name): Key| {
        let Some(name) = name else {
            diags.error(at, format!("`{key}` is missing"));
            return None;
        };
        let found = params
            .iter()
            .find(|p| p.wire == name && p.location == Location::Query && paging_type(&p.ty));
        if found.is_none() {
            diags.error(
                &at.join(key),
                format!("{name:?} is not an integer (or numeric string) query parameter of this operation"),
            );
        }
        found.map(|p| PageField {
            field: p.field.clone(),
            ty: p.ty.clone(),
            required: p.required,
        })
    };
    let position = find(position);
    let size = find(size);
    Some((PageLocation::Query, position?, size?))
}

/// The paging fields as top-level integer properties of the JSON request body.
fn body_fields(
    body: Option<&Body>,
    position: Key,
    size: Key,
    at: &Pointer,
    registry: &Registry,
    diags: &mut Diagnostics,
) -> Option<(PageLocation, PageField, PageField)> {
    let fields = body.and_then(|b| match &b.ty {
        TypeRef::Named(name) => match &registry.get(name)?.kind {
            TypeKind::Struct(fields) => Some(fields),
            TypeKind::Enum(_) => None,
        },
        _ => None,
    });
    let (Some(body), Some(fields)) = (body, fields) else {
        diags.error(
            &at.join("in"),
            "`in: body` needs a JSON request body that is an object",
        );
        return None;
    };
    if !body.required && !fields.iter().all(|f| f.optional()) {
        diags.error(
            &at.join("in"),
            "`in: body` with an optional request body whose type has required fields: the paginator could not create the body; make the request body `required: true`",
        );
        return None;
    }
    let mut find = |(key, name): Key| {
        let Some(name) = name else {
            diags.error(at, format!("`{key}` is missing"));
            return None;
        };
        let found = fields.iter().find(|f| f.wire == name && paging_type(&f.ty));
        if found.is_none() {
            diags.error(
                &at.join(key),
                format!(
                    "{name:?} is not an integer (or numeric string) property of the request body"
                ),
            );
        }
        found.map(|f| PageField {
            field: f.name.clone(),
            ty: f.ty.clone(),
            required: !f.optional(),
        })
    };
    let position = find(position);
    let size = find(size);
    Some((
        PageLocation::Body {
            optional_body: !body.required,
        },
        position?,
        size?,
    ))
}
