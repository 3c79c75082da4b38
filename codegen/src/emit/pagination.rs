//! `paginate()` for operations with `x-pagination`: a [`Paginator`](crate::ir::Pagination)
//! over every item, built on the runtime's generic `paginate`.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{borrow_path, from_u64, take_path, to_u64};
use super::rust::{ident, ty};
use crate::ir::{Operation, PageField, PageLocation, PageStyle, Pagination, TypeRef};

/// How a paging field is read from the request (`self`), as a `u64`.
enum Read {
    /// An expression of type `u64`: the field is always there.
    Always(TokenStream),
    /// An expression of type `Option<u64>`: unset, or a string that is not a number.
    Maybe(TokenStream),
}

fn read(location: PageLocation, f: &PageField) -> Read {
    let field = ident(&f.field);
    let text = f.ty == TypeRef::String;
    let parse = quote!(.trim().parse::<u64>().ok());
    let int = |value: TokenStream| to_u64(value);
    match location {
        PageLocation::Query
        | PageLocation::Body {
            optional_body: false,
        } => {
            let place = match location {
                PageLocation::Query => quote!(self.#field),
                _ => quote!(self.body.#field),
            };
            match (text, f.required) {
                (false, true) => Read::Always(int(place)),
                (false, false) => {
                    let conv = int(quote!(v));
                    Read::Maybe(quote!(#place.map(|v| #conv)))
                }
                (true, true) => Read::Maybe(quote!(#place #parse)),
                (true, false) => Read::Maybe(quote!(#place.as_deref().and_then(|v| v #parse))),
            }
        }
        PageLocation::Body {
            optional_body: true,
        } => Read::Maybe(match (text, f.required) {
            (false, true) => {
                let conv = int(quote!(body.#field));
                quote!(self.body.as_ref().map(|body| #conv))
            }
            (false, false) => {
                let conv = int(quote!(v));
                quote!(self.body.as_ref().and_then(|body| body.#field).map(|v| #conv))
            }
            (true, true) => quote!(self.body.as_ref().and_then(|body| body.#field #parse)),
            (true, false) => {
                quote!(self.body.as_ref().and_then(|body| body.#field.as_deref()).and_then(|v| v #parse))
            }
        }),
    }
}

/// The statement setting the position field of `request` to `position` (a `u64`).
fn write(location: PageLocation, f: &PageField) -> TokenStream {
    let field = ident(&f.field);
    let value = match f.ty {
        TypeRef::String => quote!(::std::string::ToString::to_string(&position)),
        _ => from_u64(quote!(position), &f.ty),
    };
    let value = if f.required {
        value
    } else {
        quote!(::std::option::Option::Some(#value))
    };
    match location {
        PageLocation::Query => quote!(request.#field = #value;),
        PageLocation::Body {
            optional_body: false,
        } => quote!(request.body.#field = #value;),
        PageLocation::Body {
            optional_body: true,
        } => quote!(request.body.get_or_insert_default().#field = #value;),
    }
}

/// `paginate` on the request and on the fluent builder.
pub(super) fn paginate(
    op: &Operation,
    p: &Pagination,
    request: &syn::Ident,
    fluent: &syn::Ident,
) -> TokenStream {
    let item = ty(&p.item_ty);
    let style = match p.style {
        PageStyle::Page => quote!(crate::PageStyle::PageNumber),
        PageStyle::OffsetLimit => quote!(crate::PageStyle::OffsetLimit),
    };
    let first_page = p.first_page;
    let first = match read(p.location, &p.position) {
        Read::Always(value) => value,
        Read::Maybe(value) => quote!(#value.unwrap_or(#first_page)),
    };
    let size_default = documented_size(op, p);
    let page_size = match (read(p.location, &p.size), size_default) {
        (Read::Always(value), _) => quote!(::std::option::Option::Some(#value)),
        // Unset: the service applies its documented default, so the paginator can still tell
        // a short (last) page.
        (Read::Maybe(value), Some(size)) => quote!(#value.or(::std::option::Option::Some(#size))),
        (Read::Maybe(value), None) => value,
    };
    let start_unset = start_unset(p, size_default);
    let mutable = (!start_unset.is_empty()).then(|| quote!(mut));
    let set = write(p.location, &p.position);
    let total = match &p.total {
        Some((steps, TypeRef::String)) => {
            let path = borrow_path(quote!(page), steps);
            quote!(#path.and_then(|total| total.trim().parse::<u64>().ok()))
        }
        Some((steps, TypeRef::F64)) => {
            // Some vendor models type the total as a double.
            let path = borrow_path(quote!(page), steps);
            quote!(#path.copied().filter(|total| total.is_finite() && *total >= 0.0).map(|total| total as u64))
        }
        Some((steps, _)) => {
            let path = borrow_path(quote!(page), steps);
            quote!(#path.copied().and_then(|total| u64::try_from(total).ok()))
        }
        None => quote!(::std::option::Option::None),
    };
    let items = match take_path(quote!(page), &p.items) {
        (expr, true) => quote!(#expr.unwrap_or_default()),
        // A bare JSON array reply is a `ListOutput`: its items are the page.
        (expr, false) if p.items.is_empty() => quote!(#expr.into_inner()),
        (expr, false) => expr,
    };
    let numbered_from = (p.first_page != 0).then(|| quote!(.first_page(#first_page)));
    let what = match (p.style, p.first_page) {
        (PageStyle::Page, 0) => "page number (the first page is 0)",
        (PageStyle::Page, _) => "page number (the first page is 1)",
        (PageStyle::OffsetLimit, _) => "item offset",
    };
    let place = match p.location {
        PageLocation::Query => "",
        PageLocation::Body { .. } => " of the body",
    };
    let end = if p.total.is_some() {
        "an empty or short page, or the reported total"
    } else {
        "an empty page, or a page shorter than the page size"
    };
    let doc = format!(
        " Every item of every page, fetched lazily: starts at this request's {what} (`{}`{place}) and asks for the following pages as the stream is consumed, until {end}. Bound it with [`Paginator::max_pages`](crate::Paginator::max_pages); a page that repeats the previous one ends it with [`Error::Pagination`](crate::Error::Pagination).",
        p.position.field.trim_start_matches("r#")
    );
    let fluent_doc = format!(
        " Builds the request and streams every item of every page; see [`{request}::paginate`]. Without a position it starts at the first page, and without a page size it asks for the documented default."
    );
    // Pages of an operation with a known rate-limit class are spaced by the class's pace:
    // the wait before a request is what is left of the pace since the previous one started.
    let paced = op
        .rate_limit_class
        .as_deref()
        .and_then(super::rate_limit::class)
        .is_some_and(|c| c.per_minute.is_some());
    let (pace_init, pace_wait, pace_sleep, pace_doc) = if paced {
        (
            quote! {
                let pace = Self::RATE_LIMIT_CLASS.and_then(crate::RateLimitClass::pace).unwrap_or_default();
                let mut previous: ::std::option::Option<::std::time::Instant> = ::std::option::Option::None;
            },
            quote! {
                let wait = previous.map_or(::std::time::Duration::ZERO, |at| pace.saturating_sub(at.elapsed()));
                previous = ::std::option::Option::Some(::std::time::Instant::now() + wait);
            },
            quote! {
                if !wait.is_zero() {
                    ::tokio::time::sleep(wait).await;
                }
            },
            format!(
                " Page requests are spaced by the [`pace`](crate::RateLimitClass::pace) of the operation's rate-limit class (`{}`), so that paging alone stays within it.",
                op.rate_limit_class.as_deref().unwrap_or_default()
            ),
        )
    } else {
        (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            String::new(),
        )
    };
    let pace_doc = (!pace_doc.is_empty()).then(|| quote!(#[doc = ""] #[doc = #pace_doc]));
    quote! {
        impl #request {
            #[doc = #doc]
            #pace_doc
            pub fn paginate(self, client: &crate::Client) -> crate::Paginator<#item> {
                let client = ::std::clone::Clone::clone(client);
                let first = #first;
                let page_size = #page_size;
                #pace_init
                crate::runtime::paginate::paginate(#style, first, page_size, move |position| {
                    let client = ::std::clone::Clone::clone(&client);
                    let mut request = ::std::clone::Clone::clone(&self);
                    #set
                    #pace_wait
                    async move {
                        #pace_sleep
                        let page = client.send(request).await?;
                        let total = #total;
                        ::std::result::Result::Ok(crate::Page { items: #items, total })
                    }
                })
                #numbered_from
            }
        }

        impl #fluent {
            #[doc = #fluent_doc]
            pub fn paginate(#mutable self) -> ::std::result::Result<crate::Paginator<#item>, crate::Error> {
                #start_unset
                let client = ::std::clone::Clone::clone(&self.client);
                ::std::result::Result::Ok(self.build()?.paginate(&client))
            }
        }
    }
}

/// The documented default page size of a query-parameter paginator.
fn documented_size(op: &Operation, p: &Pagination) -> Option<u64> {
    if p.location != PageLocation::Query {
        return None;
    }
    let param = op.params.iter().find(|param| param.field == p.size.field)?;
    match param.default.as_ref()? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
    .filter(|size| *size > 0)
}

/// A literal of the paging field's type holding `value`, for its builder setter.
fn literal(value: u64, f: &PageField) -> TokenStream {
    match f.ty {
        TypeRef::String => {
            let text = value.to_string();
            quote!(#text)
        }
        TypeRef::I64 => {
            let v = proc_macro2::Literal::i64_suffixed(i64::try_from(value).unwrap_or(i64::MAX));
            quote!(#v)
        }
        _ => {
            let v = proc_macro2::Literal::i32_suffixed(i32::try_from(value).unwrap_or(i32::MAX));
            quote!(#v)
        }
    }
}

/// Statements of the fluent `paginate()` that fill in an unset position (the first page) and
/// an unset page size (the documented default), so that a required paging parameter does not
/// make `build()` fail. Only query parameters: a body is built by the caller as a whole.
fn start_unset(p: &Pagination, size_default: Option<u64>) -> TokenStream {
    if p.location != PageLocation::Query {
        return TokenStream::new();
    }
    let position = ident(&p.position.field);
    let first = literal(p.first_page, &p.position);
    let size = size_default.map(|size| {
        let field = ident(&p.size.field);
        let value = literal(size, &p.size);
        quote! {
            if self.inner.#field.is_none() {
                self.inner = self.inner.#field(#value);
            }
        }
    });
    quote! {
        if self.inner.#position.is_none() {
            self.inner = self.inner.#position(#first);
        }
        #size
    }
}
