//! `src/region.rs` and `src/error_codes.rs`: enums over the spec's servers and error codes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::ident;
use crate::ir::{Api, Endpoint, ErrorCode};

/// `src/region.rs`.
pub fn region_file(api: &Api) -> TokenStream {
    let regions = &api.regions;
    let pattern = api.region_pattern.as_ref();
    let variants: Vec<_> = regions.iter().map(|r| ident(&r.variant)).collect();
    let ids: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
    let urls: Vec<&str> = regions.iter().map(|r| r.url.as_str()).collect();
    let docs = regions.iter().map(|r| {
        let name = r
            .description
            .as_deref()
            .map(docs::escape)
            .unwrap_or_else(|| r.id.clone());
        docs::attrs(&[format!("{name} (`{}`), endpoint `{}`.", r.id, r.url)])
    });
    let endpoints = endpoint_docs(&api.endpoints);
    let Some(pattern) = pattern else {
        return listed_regions(&variants, &ids, &urls, docs, &endpoints);
    };
    // In backticks, so not escaped: the URL is shown as it is.
    let host = pattern.url("{region}");
    let enum_doc = docs::attrs(&[
        "A region of the service; selects the endpoint the client talks to.".to_owned(),
        format!("The regions the spec lists are variants; any other region id is [`Region::Other`] (from [`Region::new`] or [`str::parse`]), whose endpoint follows the service's host pattern `{host}`, so a region newer than this crate needs no new release."),
    ]);
    let (prefix, suffix) = (&pattern.prefix, &pattern.suffix);
    let common = region_common(
        "The error of [`Region::new`] for an id that cannot be a region id.",
        "The id that was refused.",
        quote!(Region::new(id)),
        quote! {
            write!(f, "invalid region id {:?}: a region id is lower-case letters and digits in `-`-separated groups, such as cn-north-4", self.id)
        },
    );
    quote! {
        #![doc = " Regions where the service is available, from the spec's `servers`."]
        #endpoints

        #enum_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Region {
            #( #docs #variants, )*
            /// A region the spec does not list, by id; its endpoint follows the host pattern.
            Other(OtherRegion),
        }

        /// A region id the spec does not list, with the endpoint the host pattern gives it;
        /// made by [`Region::new`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct OtherRegion {
            id: ::std::boxed::Box<str>,
            endpoint: ::std::boxed::Box<str>,
        }

        impl OtherRegion {
            /// The region id.
            pub fn id(&self) -> &str {
                &self.id
            }

            /// The base URL of the region's endpoint.
            pub fn endpoint(&self) -> &str {
                &self.endpoint
            }
        }

        impl Region {
            /// Every region the spec lists.
            pub const ALL: &'static [Region] = &[#( Region::#variants ),*];

            /// The region `id`: the variant of a listed region, else [`Region::Other`] with
            /// the endpoint from the host pattern.
            ///
            /// Fails only for an id that cannot be part of a host name: region ids are
            /// lower-case letters and digits in `-`-separated groups (`cn-north-4`).
            pub fn new(id: &str) -> ::std::result::Result<Region, UnknownRegion> {
                match id {
                    #( #ids => ::std::result::Result::Ok(Region::#variants), )*
                    other if crate::runtime::service::is_region_id(other) => ::std::result::Result::Ok(Region::Other(OtherRegion {
                        id: ::std::convert::From::from(other),
                        endpoint: ::std::convert::From::from(::std::format!("{}{}{}", #prefix, other, #suffix)),
                    })),
                    other => ::std::result::Result::Err(UnknownRegion { id: ::std::borrow::ToOwned::to_owned(other) }),
                }
            }

            /// The region id, such as `cn-north-4`.
            pub fn id(&self) -> &str {
                match self {
                    #( Region::#variants => #ids, )*
                    Region::Other(other) => other.id(),
                }
            }

            /// The base URL of the region's endpoint.
            pub fn endpoint(&self) -> &str {
                match self {
                    #( Region::#variants => #urls, )*
                    Region::Other(other) => other.endpoint(),
                }
            }
        }

        #common
    }
}

/// Inner doc lines listing the endpoint-only servers, if any.
fn endpoint_docs(endpoints: &[Endpoint]) -> TokenStream {
    if endpoints.is_empty() {
        return TokenStream::new();
    }
    let mut lines = vec![
        String::new(),
        "Other endpoints of the service, for `ClientBuilder::endpoint`:".to_owned(),
    ];
    for e in endpoints {
        match &e.description {
            Some(d) => lines.push(format!("- `{}`: {}", e.url, docs::escape(d))),
            None => lines.push(format!("- `{}`", e.url)),
        }
    }
    let lines = lines.iter().map(|l| format!(" {l}").trim_end().to_owned());
    quote!(#( #![doc = #lines] )*)
}

/// `src/region.rs` of a spec without a host pattern: exactly the listed regions.
fn listed_regions(
    variants: &[proc_macro2::Ident],
    ids: &[&str],
    urls: &[&str],
    docs: impl Iterator<Item = TokenStream>,
    endpoints: &TokenStream,
) -> TokenStream {
    let unknown = |id: TokenStream| quote!(::std::result::Result::Err(UnknownRegion { id: ::std::borrow::ToOwned::to_owned(#id) }));
    // Without regions every id is unknown; a `match` with only a catch-all arm is a lint.
    let parse = if variants.is_empty() {
        unknown(quote!(id))
    } else {
        let unknown = unknown(quote!(other));
        quote! {
            match id {
                #( #ids => ::std::result::Result::Ok(Region::#variants), )*
                other => #unknown,
            }
        }
    };
    // A `match` on a reference to an enum without variants needs the place itself.
    let scrutinee = if variants.is_empty() {
        quote!(*self)
    } else {
        quote!(self)
    };
    let common = region_common(
        "The error of [`Region::from_str`](std::str::FromStr::from_str) for an id the spec does not list.",
        "The id that was not recognised.",
        parse,
        quote! {
            write!(f, "unknown region {:?}; known regions: ", self.id)?;
            for (i, region) in Region::ALL.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(region.id())?;
            }
            ::std::result::Result::Ok(())
        },
    );
    quote! {
        #![doc = " Regions where the service is available, from the spec's `servers`."]
        #endpoints

        /// A region of the service; selects the endpoint the client talks to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Region {
            #( #docs #variants, )*
        }

        impl Region {
            /// Every region the spec lists.
            pub const ALL: &'static [Region] = &[#( Region::#variants ),*];

            /// The region id, such as `cn-north-4`.
            pub fn id(&self) -> &'static str {
                match #scrutinee {
                    #( Region::#variants => #ids, )*
                }
            }

            /// The base URL of the region's endpoint.
            pub fn endpoint(&self) -> &'static str {
                match #scrutinee {
                    #( Region::#variants => #urls, )*
                }
            }
        }

        #common
    }
}

/// What both kinds of `src/region.rs` share: `Display` and `FromStr` for `Region` (`parse` is
/// the body of `from_str`) and the `UnknownRegion` error (`display` the body of its `fmt`).
fn region_common(
    error_doc: &str,
    id_doc: &str,
    parse: TokenStream,
    display: TokenStream,
) -> TokenStream {
    let error_doc = docs::attrs(&[error_doc.to_owned()]);
    let id_doc = docs::attrs(&[id_doc.to_owned()]);
    quote! {
        impl ::std::fmt::Display for Region {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl ::std::str::FromStr for Region {
            type Err = UnknownRegion;

            fn from_str(id: &str) -> ::std::result::Result<Self, Self::Err> {
                #parse
            }
        }

        #error_doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownRegion {
            id: ::std::string::String,
        }

        impl UnknownRegion {
            #id_doc
            pub fn id(&self) -> &str {
                &self.id
            }
        }

        impl ::std::fmt::Display for UnknownRegion {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for UnknownRegion {}
    }
}

/// `src/error_codes.rs`.
pub fn error_codes_file(codes: &[ErrorCode]) -> TokenStream {
    let variants: Vec<_> = codes.iter().map(|c| ident(&c.variant)).collect();
    let code_strs: Vec<&str> = codes.iter().map(|c| c.code.as_str()).collect();
    let statuses: Vec<u16> = codes.iter().map(|c| c.status).collect();
    let messages: Vec<&str> = codes.iter().map(|c| c.message.as_str()).collect();
    let retryable: Vec<bool> = codes.iter().map(|c| c.retryable).collect();
    let docs = codes.iter().map(|c| {
        docs::attrs(&[format!(
            "`{}` (HTTP {}): {}",
            c.code,
            c.status,
            docs::escape(&c.message)
        )])
    });
    let from_code = if codes.is_empty() {
        quote! {
            let _ = code;
            ::std::option::Option::None
        }
    } else {
        quote! {
            match code {
                #( #code_strs => ::std::option::Option::Some(ErrorCode::#variants), )*
                _ => ::std::option::Option::None,
            }
        }
    };
    // `match *self` (not `match self`) so that an empty catalogue still compiles.
    quote! {
        #![doc = " The service's error codes, from the spec's `x-error-codes`."]

        /// A documented error code of the service; see [`Error::code`](crate::Error::code).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #( #docs #variants, )*
        }

        impl ErrorCode {
            /// Every documented code.
            pub const ALL: &'static [ErrorCode] = &[#( ErrorCode::#variants ),*];

            /// The code for an `error_code` value, if it is documented.
            pub fn from_code(code: &str) -> ::std::option::Option<Self> {
                #from_code
            }

            /// The code as the service sends it, such as `CB.00060200`.
            pub fn code(&self) -> &'static str {
                match *self {
                    #( ErrorCode::#variants => #code_strs, )*
                }
            }

            /// The HTTP status the code comes with.
            pub fn http_status(&self) -> u16 {
                match *self {
                    #( ErrorCode::#variants => #statuses, )*
                }
            }

            /// What the code means.
            pub fn meaning(&self) -> &'static str {
                match *self {
                    #( ErrorCode::#variants => #messages, )*
                }
            }

            /// Whether retrying the same request later can succeed.
            pub fn is_retryable(&self) -> bool {
                match *self {
                    #( ErrorCode::#variants => #retryable, )*
                }
            }
        }

        impl ::std::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    }
}
