//! `src/rate_limit.rs`: the API gateway's throttling classes as a Rust enum, and each request
//! type's `RATE_LIMIT_CLASS`, so that callers and the polling helpers can pace themselves.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, Operation};

/// One class: its name in the spec, the Rust variant, the reading of its name as (calls per
/// caller, calls in all) per minute where the name has numbers, and what it is bound to.
pub struct Class {
    /// `x-rate-limit-class` value.
    pub name: &'static str,
    /// Rust variant.
    pub variant: &'static str,
    /// `(per caller, overall)` calls per minute, as the name reads; `None` when it has no numbers.
    pub per_minute: Option<(u32, u32)>,
    /// Which operations the vendor binds to it.
    pub bound_to: &'static str,
}

/// Every class of [`RATE_LIMIT_CLASSES`](crate::ir::RATE_LIMIT_CLASSES), with what is known
/// (`spec/README.md`, "Rate-limit class").
pub const CLASSES: &[Class] = &[
    Class {
        name: "cloudbuild_ext",
        variant: "CloudbuildExt",
        per_minute: None,
        bound_to: "the legacy `/v3` and `/v4` endpoints (every legacy and to-be-offline operation but the `/v1` batch delete); the vendor publishes no numbers for it",
    },
    Class {
        name: "five_50_min",
        variant: "Five50Min",
        per_minute: Some((5, 50)),
        bound_to: "most POST and DELETE operations: creating, copying, updating, running, disabling and deleting jobs, the recycle bin, keystore and template writes, and the POST queries",
    },
    Class {
        name: "ten_20_min",
        variant: "Ten20Min",
        per_minute: Some((10, 20)),
        bound_to: "following and unfollowing jobs and templates, and the full log download",
    },
    Class {
        name: "ten_50_min",
        variant: "Ten50Min",
        per_minute: Some((10, 50)),
        bound_to: "most GET operations",
    },
    Class {
        name: "ten_120_min",
        variant: "Ten120Min",
        per_minute: Some((10, 120)),
        bound_to: "record lists and details, the group tree, build parameter lists, report repositories and branches, and permission queries",
    },
    Class {
        name: "ten_180_min",
        variant: "Ten180Min",
        per_minute: Some((10, 180)),
        bound_to: "the current real-time log",
    },
];

/// The class named `name`, if the generator knows it.
pub fn class(name: &str) -> Option<&'static Class> {
    CLASSES.iter().find(|c| c.name == name)
}

/// `src/rate_limit.rs`.
pub fn file(api: &Api) -> TokenStream {
    // Generic code sees an operation through `Operation::SPEC.id`: let it find the class too.
    let by_id: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|op| {
            let class = class(op.rate_limit_class.as_deref()?)?;
            let (id, variant) = (&op.id, format_ident!("{}", class.variant));
            Some(quote!(#id => ::std::option::Option::Some(RateLimitClass::#variant),))
        })
        .collect();
    // A spec without classes has nothing to match on (a lone `_` arm is a lint).
    let of_operation = if by_id.is_empty() {
        quote! {
            let _ = operation_id;
            ::std::option::Option::None
        }
    } else {
        quote! {
            match operation_id {
                #( #by_id )*
                _ => ::std::option::Option::None,
            }
        }
    };
    let variants = CLASSES.iter().map(|c| {
        let variant = format_ident!("{}", c.variant);
        let reading = match c.per_minute {
            Some((caller, all)) => format!(
                " Read as {caller} calls per caller and {all} in all per minute; polling helpers space their calls by {:.3} s.",
                60.0 / f64::from(all)
            ),
            None => " Its numbers are unknown; polling helpers keep their own pace.".to_owned(),
        };
        let doc = format!(" `{}`: {}.", c.name, c.bound_to);
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #reading]
            #variant,
        }
    });
    let all = CLASSES.iter().map(|c| format_ident!("{}", c.variant));
    let names = CLASSES.iter().map(|c| {
        let (variant, name) = (format_ident!("{}", c.variant), c.name);
        quote!(RateLimitClass::#variant => #name,)
    });
    let parse = CLASSES.iter().map(|c| {
        let (variant, name) = (format_ident!("{}", c.variant), c.name);
        quote!(#name => ::std::result::Result::Ok(RateLimitClass::#variant),)
    });
    let per_minute = CLASSES.iter().map(|c| {
        let variant = format_ident!("{}", c.variant);
        match c.per_minute {
            Some((caller, all)) => {
                quote!(RateLimitClass::#variant => ::std::option::Option::Some((#caller, #all)),)
            }
            None => quote!(RateLimitClass::#variant => ::std::option::Option::None,),
        }
    });
    quote! {
        #![doc = " The API gateway's throttling classes (`x-rate-limit-class` in the spec)."]

        use ::std::time::Duration;

        /// The throttling policy of the vendor's API gateway that an operation is bound to (the
        /// vendor's `x-apigateway-ratelimit`); each request type has it as `RATE_LIMIT_CLASS`.
        ///
        /// Calls beyond a policy are refused with HTTP 429 (gateway error `APIG.0308`), which the
        /// client retries with backoff. The vendor does not publish the numbers behind the
        /// classes; their names read as "calls per caller, calls in all, per minute"
        /// ([`per_minute`](Self::per_minute)), a reading that fits the gateway's policy model
        /// but is not confirmed. The polling helpers use it only to pace themselves: a
        /// paginator spaces its page requests by [`pace`](Self::pace) and a log follower
        /// polls every [`follow_interval`](Self::follow_interval) unless told otherwise. Several
        /// helpers (or processes) sharing one account share its budget; 429 backoff remains the
        /// safety net.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RateLimitClass {
            #( #variants )*
        }

        impl RateLimitClass {
            /// Every class, in the order of the spec's documentation.
            pub const ALL: &'static [RateLimitClass] = &[ #( RateLimitClass::#all ),* ];

            /// The class's name as the spec and the vendor write it (`ten_50_min`).
            pub const fn name(self) -> &'static str {
                match self {
                    #( #names )*
                }
            }

            /// `(calls per caller, calls in all)` per minute as the class's name reads, or
            /// `None` for a class whose name has no numbers. Not confirmed by the vendor.
            pub const fn per_minute(self) -> ::std::option::Option<(u32, u32)> {
                match self {
                    #( #per_minute )*
                }
            }

            /// The least time between two calls that keeps one caller within the class's overall
            /// count per minute (60 s divided by it, rounded up to the millisecond), or `None`
            /// when the numbers are unknown. Paginators wait at least this long between the
            /// starts of two page requests.
            pub const fn pace(self) -> ::std::option::Option<Duration> {
                match self.per_minute() {
                    ::std::option::Option::Some((_, all)) => ::std::option::Option::Some(
                        Duration::from_millis(60_000_u64.div_ceil(all as u64)),
                    ),
                    ::std::option::Option::None => ::std::option::Option::None,
                }
            }

            /// The class of the operation with this operationId (`OperationSpec::id`, as in
            /// `<R as Operation>::SPEC.id`), or `None` for an id the spec does not know or an
            /// operation without a class. The request types have it as `RATE_LIMIT_CLASS`.
            pub fn of_operation(operation_id: &str) -> ::std::option::Option<RateLimitClass> {
                #of_operation
            }

            /// The default pause of a log follower polling an operation of this class: the
            /// runtime's [`DEFAULT_POLL_INTERVAL`](crate::runtime::follow::DEFAULT_POLL_INTERVAL),
            /// or the class's [`pace`](Self::pace) when that is longer.
            pub fn follow_interval(self) -> Duration {
                let default = crate::runtime::follow::DEFAULT_POLL_INTERVAL;
                self.pace().map_or(default, |pace| pace.max(default))
            }
        }

        impl ::std::fmt::Display for RateLimitClass {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        /// The error of [`RateLimitClass::from_str`](::std::str::FromStr::from_str) for a name
        /// that is not a known class.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownRateLimitClass(pub ::std::string::String);

        impl ::std::fmt::Display for UnknownRateLimitClass {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "unknown rate-limit class {:?}", self.0)
            }
        }

        impl ::std::error::Error for UnknownRateLimitClass {}

        impl ::std::str::FromStr for RateLimitClass {
            type Err = UnknownRateLimitClass;

            fn from_str(name: &str) -> ::std::result::Result<Self, Self::Err> {
                match name {
                    #( #parse )*
                    other => ::std::result::Result::Err(UnknownRateLimitClass(::std::borrow::ToOwned::to_owned(other))),
                }
            }
        }
    }
}

/// The expression `Option<RateLimitClass>` of an operation.
pub fn of(op: &Operation) -> TokenStream {
    match op.rate_limit_class.as_deref().and_then(class) {
        Some(c) => {
            let variant = format_ident!("{}", c.variant);
            quote!(::std::option::Option::Some(crate::RateLimitClass::#variant))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// `impl <Request> { pub const RATE_LIMIT_CLASS }`.
pub fn request_const(op: &Operation, request: &syn::Ident) -> TokenStream {
    let value = of(op);
    let doc = match &op.rate_limit_class {
        Some(name) => format!(
            " The API gateway rate-limit class of this operation: `{name}` (see [`RateLimitClass`](crate::RateLimitClass))."
        ),
        None => " The API gateway rate-limit class of this operation: the spec does not say.".to_owned(),
    };
    quote! {
        impl #request {
            #[doc = #doc]
            pub const RATE_LIMIT_CLASS: ::std::option::Option<crate::RateLimitClass> = #value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::RATE_LIMIT_CLASSES;

    #[test]
    fn every_accepted_class_is_described() {
        let described: Vec<&str> = CLASSES.iter().map(|c| c.name).collect();
        assert_eq!(described, RATE_LIMIT_CLASSES);
        for c in CLASSES {
            // The variant is the PascalCase form of the name, as for every other enum.
            assert_eq!(crate::naming::pascal(c.name), c.variant);
        }
    }
}
