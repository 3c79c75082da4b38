//! `src/waiters.rs`: `is_terminal` / `is_success` on build status enums (`x-build-state`), the
//! client's `wait_for_*` methods (`x-waiters`) and `run_build` (`x-build-workflow`), all thin
//! glue over the runtime's `waiter` and `workflow` modules.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::features;
use super::operations::{borrow_path, take_path};
use super::rust::{ident, ty};
use crate::ir::{Api, BuildState, BuildWorkflow, TypeRef, Until, Waiter};

/// Whether the spec declares any of the three hints (else the file is only its docs).
pub fn declared(api: &Api) -> bool {
    !api.build_states.is_empty() || !api.waiters.is_empty() || api.build_workflow.is_some()
}

/// The whole file.
pub fn file(api: &Api) -> TokenStream {
    let docs = docs::inner_attrs(&[
        "Waiting for the service: `is_terminal` and `is_success` on build states, the client's `wait_for_*` methods, and the build-run workflow ([`Client::run_build`](crate::Client)) when the spec declares one.".to_owned(),
        "Every wait is a [`Waiter`](crate::Waiter): await it, or adjust its interval and deadline first. Dropping it cancels the wait.".to_owned(),
    ]);
    let states = api.build_states.iter().map(build_state);
    let waiters = api.waiters.iter().map(waiter);
    let workflow = api.build_workflow.as_ref().map(workflow);
    quote! {
        #docs
        #(#states)*
        #(#waiters)*
        #workflow
    }
}

fn build_state(s: &BuildState) -> TokenStream {
    let cfg = features::cfg(&s.areas);
    let name = ident(&s.ty);
    let variants = |names: &[String]| -> TokenStream {
        if names.is_empty() {
            return quote!(false);
        }
        let v = names.iter().map(|n| ident(n));
        quote!(::std::matches!(self, #( Self::#v )|*))
    };
    let terminal = variants(&s.terminal);
    let success = variants(&s.success);
    let list = |names: &[String]| {
        names
            .iter()
            .map(|n| format!("[`{n}`](Self::{n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let terminal_doc = format!(
        " The build is over and its state no longer changes: {}. An unknown value is not terminal.",
        list(&s.terminal)
    );
    let success_doc = format!(" The build is over and passed: {}.", list(&s.success));
    quote! {
        #cfg
        impl crate::types::#name {
            #[doc = #terminal_doc]
            pub fn is_terminal(&self) -> bool {
                #terminal
            }
            #[doc = #success_doc]
            pub fn is_success(&self) -> bool {
                #success
            }
        }

        #cfg
        impl crate::runtime::workflow::BuildState for crate::types::#name {
            fn is_terminal(&self) -> bool {
                crate::types::#name::is_terminal(self)
            }
            fn is_success(&self) -> bool {
                crate::types::#name::is_success(self)
            }
        }
    }
}

/// `Duration`: the first poll interval of an operation of `class`, the runtime's default or the
/// class's pace when that is longer.
fn interval(class: Option<&str>) -> TokenStream {
    let default = quote!(crate::runtime::waiter::DEFAULT_POLL_INTERVAL);
    match class.and_then(super::rate_limit::class) {
        Some(c) if c.per_minute.is_some() => {
            let variant = format_ident!("{}", c.variant);
            quote!(crate::RateLimitClass::#variant.pace().map_or(#default, |pace| pace.max(#default)))
        }
        _ => default,
    }
}

fn waiter(w: &Waiter) -> TokenStream {
    let cfg = features::cfg(w.area.as_slice());
    let method = ident(&w.method);
    let operation = ident(&w.operation);
    let result_ty = ty(&w.result_ty);
    let mut args = Vec::new();
    let mut owned = Vec::new();
    let mut setters = Vec::new();
    for input in &w.inputs {
        let name = ident(&input.field);
        if input.build_number {
            args.push(quote!(#name: crate::BuildNumber));
            setters.push(quote!(.#name(#name)));
        } else {
            let t = ty(&input.ty);
            if input.ty == TypeRef::String {
                args.push(quote!(#name: impl ::std::convert::Into<::std::string::String>));
                owned.push(quote!(let #name: ::std::string::String = #name.into();));
            } else {
                args.push(quote!(#name: #t));
            }
            setters.push(quote!(.#name(::std::clone::Clone::clone(&#name))));
        }
    }
    let (value, optional) = take_path(quote!(reply), &w.result);
    let value = if optional {
        let what = format!("the reply of {} has no value to wait on", w.operation);
        quote! {
            #value.ok_or_else(|| crate::Error::Decode {
                status: 200,
                message: ::std::borrow::ToOwned::to_owned(#what),
                body: ::std::string::String::new(),
                request_id: ::std::option::Option::None,
            })?
        }
    } else {
        value
    };
    let state = borrow_path(quote!(value), &w.state);
    let mut done = match &w.until {
        Until::Terminal => quote!(#state.is_some_and(|state| state.is_terminal())),
        Until::Equals(v) => {
            let text = v.to_string();
            quote! {
                #state.and_then(|state| ::serde_json::to_value(state).ok())
                    == ::serde_json::from_str::<::serde_json::Value>(#text).ok()
            }
        }
    };
    if let Some(steps) = &w.finished_when {
        let finished = borrow_path(quote!(value), steps);
        done = quote!(#done || #finished.is_some_and(|v| !v.is_empty()));
    }
    let allow = w.deprecated.then(|| quote!(#[allow(deprecated)]));
    let pace = interval(w.rate_limit_class.as_deref());
    let mut doc = vec![w.summary.clone()];
    doc.push(format!(
        "Polls [`{}`](crate::Client::{}) until {}, and returns the last value it read. The first pause is the longer of 2 s and the pace of the operation's rate-limit class, and grows by half after each poll up to 30 s; the wait ends after an hour with [`WaitError::Timeout`](crate::WaitError::Timeout), carrying the last value seen. Change either on the returned [`Waiter`](crate::Waiter) before awaiting it.",
        w.operation,
        w.operation,
        match &w.until {
            Until::Terminal => "its state is terminal".to_owned(),
            Until::Equals(v) => format!("its state is `{v}`"),
        }
    ));
    let doc = docs::attrs(&doc);
    quote! {
        #cfg
        impl crate::Client {
            #doc
            #allow
            pub fn #method(&self, #(#args),*) -> crate::Waiter<#result_ty> {
                let client = ::std::clone::Clone::clone(self);
                #(#owned)*
                crate::runtime::waiter::Waiter::new(#pace, move || {
                    let call = client.#operation() #(#setters)*;
                    async move {
                        let reply = call.send().await?;
                        let value = #value;
                        let done = #done;
                        ::std::result::Result::Ok(if done {
                            crate::runtime::waiter::Check::Done(value)
                        } else {
                            crate::runtime::waiter::Check::Pending(value)
                        })
                    }
                })
            }
        }
    }
}

/// The statement setting the wire path `path` of the JSON `body` to `value`.
fn set_path(path: &[String], value: TokenStream) -> TokenStream {
    quote!(crate::runtime::workflow::set_json_path(&mut body, &[ #(#path),* ], #value);)
}

fn workflow(w: &BuildWorkflow) -> TokenStream {
    let cfg = match w.areas.as_slice() {
        [] => TokenStream::new(),
        areas => quote!(#[cfg(all( #( feature = #areas ),* ))]),
    };
    let start = ident(&w.start);
    let body_ty = ty(&w.start_body);
    let started_ty = ty(&w.started_ty);
    let record_ty = ty(&w.record_ty);
    let status_ty = ident(&w.status.1);
    let wait = ident(&w.wait);
    let stop = ident(&w.stop);
    let log = ident(&w.log);
    let [stop_job, stop_build] = w.stop_fields.clone().map(|f| ident(&f));
    let [log_job, log_build] = w.log_fields.clone().map(|f| ident(&f));
    let log_defaults = w.log_defaults.iter().map(|(field, value)| {
        let f = ident(field);
        quote!(.#f(#value))
    });
    let set_job = set_path(
        &w.job_id,
        quote!(::serde_json::Value::String(::std::clone::Clone::clone(
            &build.job_id
        ))),
    );
    let set_params = set_path(
        &w.parameters,
        quote!(::serde_json::Value::Array(parameters)),
    );
    let set_tag = set_path(
        &w.tag,
        quote!(::serde_json::Value::String(::std::clone::Clone::clone(tag))),
    );
    let set_commit = set_path(
        &w.commit,
        quote!(::serde_json::Value::String(::std::clone::Clone::clone(
            commit
        ))),
    );
    let (pname, pvalue, branch) = (&w.parameter_name, &w.parameter_value, &w.branch_parameter);
    let number = borrow_path(quote!(started), &w.build_number.0);
    let number_wire = &w.build_number_wire;
    let read_number = match w.build_number.1 {
        TypeRef::String => quote!(crate::BuildNumber::from_reply(#number_wire, #number)),
        _ => quote! {
            crate::BuildNumber::from_reply(#number_wire, #number.map(::std::string::ToString::to_string))
        },
    };
    let status = borrow_path(quote!(record), &w.status.0);
    let duration = borrow_path(quote!(record), &w.duration);
    let accessor_doc = format!(
        " The new build's number, read from `{number_wire}`; a reply without a valid number is an [`Error::Decode`](crate::Error::Decode), never a default."
    );
    let run_doc = docs::attrs(&[
        format!("Starts building job `job_id` through [`{}`](crate::Client::{}): set parameters, a branch, tag or commit on the returned [`RunBuild`], then `start().await` it for a [`BuildHandle`] that follows the log, waits for the verdict ([`{}`](crate::Client::{})) or stops the build ([`{}`](crate::Client::{})).", w.start, w.start, w.wait, w.wait, w.stop, w.stop),
        format!("`branch(b)` sets the custom parameter `{branch}`. Starting is sent once: a retried start can queue a second build, so retries are off unless [`RunBuild::retry_start`] turns them on."),
    ]);
    let start_cfg = features::cfg(w.start_area.as_slice());
    let bn_impl = quote! {
        #start_cfg
        impl #started_ty {
            #[doc = #accessor_doc]
            pub fn build_no(&self) -> ::std::result::Result<crate::BuildNumber, crate::Error> {
                let started = self;
                #read_number
            }
        }
    };
    quote! {
        #bn_impl

        /// A build about to be started by [`Client::run_build`](crate::Client::run_build).
        #cfg
        pub type RunBuild = crate::runtime::workflow::RunBuild<crate::Client>;

        /// A started build: its number, log, verdict and stop.
        #cfg
        pub type BuildHandle = crate::runtime::workflow::BuildHandle<crate::Client>;

        /// The verdict of a finished build: its status, duration and final record.
        #cfg
        pub type BuildOutcome = crate::runtime::workflow::BuildOutcome<#record_ty, crate::types::#status_ty>;

        #cfg
        impl crate::Client {
            #run_doc
            pub fn run_build(&self, job_id: impl ::std::convert::Into<::std::string::String>) -> RunBuild {
                crate::runtime::workflow::RunBuild::new(::std::clone::Clone::clone(self), job_id)
            }
        }

        #cfg
        impl crate::runtime::workflow::BuildApi for crate::Client {
            type Record = #record_ty;
            type Status = crate::types::#status_ty;
            type Started = #started_ty;

            fn start_build(
                &self,
                build: &crate::runtime::workflow::StartBuild,
                options: crate::CallOptions,
            ) -> crate::runtime::workflow::BoxFuture<::std::result::Result<(Self::Started, crate::BuildNumber), crate::Error>> {
                let mut body = ::serde_json::Value::Null;
                #set_job
                let mut parameters: ::std::vec::Vec<::serde_json::Value> = build
                    .parameters
                    .iter()
                    .map(|(name, value)| ::serde_json::json!({ #pname: name, #pvalue: value }))
                    .collect();
                if let ::std::option::Option::Some(branch) = &build.branch {
                    parameters.push(::serde_json::json!({ #pname: #branch, #pvalue: branch }));
                }
                if !parameters.is_empty() {
                    #set_params
                }
                if let ::std::option::Option::Some(tag) = &build.tag {
                    #set_tag
                }
                if let ::std::option::Option::Some(commit) = &build.commit {
                    #set_commit
                }
                let call = ::serde_json::from_value::<#body_ty>(body)
                    .map_err(|e| crate::Error::invalid("body", ::std::string::ToString::to_string(&e)))
                    .map(|body| self.#start().body(body));
                ::std::boxed::Box::pin(async move {
                    let started = call?.send_with(options).await?;
                    let number = started.build_no()?;
                    ::std::result::Result::Ok((started, number))
                })
            }

            fn wait_build(&self, job_id: &str, build_no: crate::BuildNumber) -> crate::Waiter<Self::Record> {
                self.#wait(job_id, build_no)
            }

            fn stop_build(&self, job_id: &str, build_no: crate::BuildNumber) -> crate::runtime::workflow::BoxFuture<::std::result::Result<(), crate::Error>> {
                let call = self.#stop().#stop_job(job_id).#stop_build(build_no);
                ::std::boxed::Box::pin(async move {
                    call.send_with(crate::CallOptions::new().max_attempts(1)).await?;
                    ::std::result::Result::Ok(())
                })
            }

            fn follow_build_log(&self, job_id: &str, build_no: crate::BuildNumber) -> ::std::result::Result<crate::LogFollow, crate::Error> {
                self.#log().#log_job(job_id).#log_build(build_no) #(#log_defaults)* .follow()
            }

            fn record_status(record: &Self::Record) -> ::std::option::Option<Self::Status> {
                #status.cloned()
            }

            fn record_duration(record: &Self::Record) -> ::std::option::Option<::std::time::Duration> {
                #duration
                    .and_then(|ms| u64::try_from(*ms).ok())
                    .map(::std::time::Duration::from_millis)
            }
        }
    }
}
