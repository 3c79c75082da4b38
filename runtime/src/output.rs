//! What every successful call returns besides its body: the [`ResponseMetadata`] (request id,
//! HTTP status, headers), the [`ResponseMeta`] trait that reaches it, and the output types of
//! operations whose body is not a JSON object ([`ListOutput`], [`ValueOutput`],
//! [`EmptyOutput`]).
//!
//! Generated response structs carry the metadata in a hidden field that takes no part in
//! (de)serialization or equality, so `output.field` and moving fields out keep working.

use std::ops::{Deref, DerefMut};

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::operation::{RawResponse, StatusEnvelope};
use crate::Error;

/// The request id, HTTP status and headers of one successful response.
///
/// A value that did not come from a response (built with `Default`, e.g. in a test) has status
/// 0, no request id and no headers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseMetadata {
    status: u16,
    request_id: Option<String>,
    headers: HeaderMap,
}

impl ResponseMetadata {
    /// Metadata with these parts, e.g. for an output built in a test.
    pub fn new(status: u16, request_id: Option<String>, headers: HeaderMap) -> Self {
        ResponseMetadata {
            status,
            request_id,
            headers,
        }
    }

    /// The `X-Request-Id` header: the id a support ticket asks for.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status code (0 when the value did not come from a response).
    pub fn http_status(&self) -> u16 {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// Implemented by every operation's output: the metadata of the response it came from.
///
/// Outputs also have the same methods as inherent methods, so calling them needs no import;
/// the trait is for code generic over outputs.
pub trait ResponseMeta {
    /// The response's request id, status and headers.
    fn response_metadata(&self) -> &ResponseMetadata;

    /// Stores the metadata of the response the output was decoded from.
    #[doc(hidden)]
    fn set_response_metadata(&mut self, metadata: ResponseMetadata);

    /// The `X-Request-Id` response header.
    fn request_id(&self) -> Option<&str> {
        self.response_metadata().request_id()
    }

    /// The HTTP status code.
    fn http_status(&self) -> u16 {
        self.response_metadata().http_status()
    }

    /// The response headers.
    fn headers(&self) -> &HeaderMap {
        self.response_metadata().headers()
    }
}

/// The hidden field of generated response structs: holds the [`ResponseMetadata`] but compares
/// equal to any other slot, so that two outputs with the same fields are equal whichever
/// responses they came from.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct MetadataSlot(ResponseMetadata);

impl MetadataSlot {
    /// The metadata held.
    pub fn get(&self) -> &ResponseMetadata {
        &self.0
    }

    /// Replaces the metadata held.
    pub fn set(&mut self, metadata: ResponseMetadata) {
        self.0 = metadata;
    }
}

impl PartialEq for MetadataSlot {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for MetadataSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseMetadata")
            .field("status", &self.0.status)
            .field("request_id", &self.0.request_id)
            .finish_non_exhaustive()
    }
}

/// Implements the accessors of an output holding its metadata in a field named `metadata`.
macro_rules! metadata_accessors {
    () => {
        /// The response's request id, status and headers.
        pub fn response_metadata(&self) -> &ResponseMetadata {
            &self.metadata
        }

        /// The `X-Request-Id` response header.
        pub fn request_id(&self) -> Option<&str> {
            self.metadata.request_id()
        }

        /// The HTTP status code.
        pub fn http_status(&self) -> u16 {
            self.metadata.http_status()
        }

        /// The response headers.
        pub fn headers(&self) -> &HeaderMap {
            self.metadata.headers()
        }
    };
}

/// The output of an operation whose body is a bare JSON array: the items (reached through
/// `Deref` to `Vec<T>`, or taken with [`into_inner`](Self::into_inner)) and the response's
/// metadata. Equality compares the items only.
#[derive(Debug, Clone, Default)]
pub struct ListOutput<T> {
    items: Vec<T>,
    metadata: ResponseMetadata,
}

impl<T> ListOutput<T> {
    /// An output of these items, with metadata from no response (e.g. for tests).
    pub fn new(items: Vec<T>) -> Self {
        ListOutput {
            items,
            metadata: ResponseMetadata::default(),
        }
    }

    /// The items, without the metadata.
    pub fn into_inner(self) -> Vec<T> {
        self.items
    }

    metadata_accessors!();
}

impl<T> Deref for ListOutput<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

impl<T> DerefMut for ListOutput<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.items
    }
}

impl<T> From<Vec<T>> for ListOutput<T> {
    fn from(items: Vec<T>) -> Self {
        ListOutput::new(items)
    }
}

impl<T> From<ListOutput<T>> for Vec<T> {
    fn from(output: ListOutput<T>) -> Self {
        output.items
    }
}

impl<T> IntoIterator for ListOutput<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ListOutput<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: PartialEq> PartialEq for ListOutput<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for ListOutput<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        &self.items == other
    }
}

impl<T: Serialize> Serialize for ListOutput<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ListOutput<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::deserialize(deserializer).map(ListOutput::new)
    }
}

impl<T> ResponseMeta for ListOutput<T> {
    fn response_metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    fn set_response_metadata(&mut self, metadata: ResponseMetadata) {
        self.metadata = metadata;
    }
}

/// The output of an operation whose body is a JSON value that is neither an object with
/// declared fields nor an array (a map, a string, a number): the value (reached through
/// `Deref`, or taken with [`into_inner`](Self::into_inner)) and the response's metadata.
/// Equality compares the values only.
#[derive(Debug, Clone, Default)]
pub struct ValueOutput<T> {
    value: T,
    metadata: ResponseMetadata,
}

impl<T> ValueOutput<T> {
    /// An output of this value, with metadata from no response (e.g. for tests).
    pub fn new(value: T) -> Self {
        ValueOutput {
            value,
            metadata: ResponseMetadata::default(),
        }
    }

    /// The value, without the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }

    metadata_accessors!();
}

impl<T> Deref for ValueOutput<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for ValueOutput<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: PartialEq> PartialEq for ValueOutput<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Serialize> Serialize for ValueOutput<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ValueOutput<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(ValueOutput::new)
    }
}

impl<T> ResponseMeta for ValueOutput<T> {
    fn response_metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    fn set_response_metadata(&mut self, metadata: ResponseMetadata) {
        self.metadata = metadata;
    }
}

/// The output of an operation whose reply has no body: only the response's metadata. All
/// empty outputs are equal.
#[derive(Debug, Clone, Default)]
pub struct EmptyOutput {
    metadata: ResponseMetadata,
}

impl EmptyOutput {
    metadata_accessors!();
}

impl PartialEq for EmptyOutput {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl ResponseMeta for EmptyOutput {
    fn response_metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    fn set_response_metadata(&mut self, metadata: ResponseMetadata) {
        self.metadata = metadata;
    }
}

/// Decodes a JSON object body into a generated response struct and stores the response's
/// metadata in it; with an `envelope`, a body reporting failure is an [`Error::Service`] (see
/// [`decode_json`](crate::operation::decode_json) and
/// [`decode_json_enveloped`](crate::operation::decode_json_enveloped)).
pub async fn decode_output<T: DeserializeOwned + ResponseMeta>(
    response: RawResponse,
    envelope: Option<&'static StatusEnvelope>,
) -> Result<T, Error> {
    let metadata = response.metadata();
    let mut output: T = match envelope {
        Some(envelope) => crate::operation::decode_json_enveloped(response, envelope).await?,
        None => crate::operation::decode_json(response).await?,
    };
    output.set_response_metadata(metadata);
    Ok(output)
}

/// Decodes a bare JSON array body ([`decode_list`](crate::json::decode_list)) with the
/// response's metadata.
pub async fn decode_list_output<T: DeserializeOwned>(
    response: RawResponse,
) -> Result<ListOutput<T>, Error> {
    let metadata = response.metadata();
    let items = crate::json::decode_list(response).await?;
    Ok(ListOutput { items, metadata })
}

/// Decodes a bare JSON scalar body ([`decode_scalar`](crate::json::decode_scalar)) with the
/// response's metadata.
pub async fn decode_scalar_output<T: DeserializeOwned>(
    response: RawResponse,
) -> Result<ValueOutput<T>, Error> {
    let metadata = response.metadata();
    let value = crate::json::decode_scalar(response).await?;
    Ok(ValueOutput { value, metadata })
}

/// Decodes any other JSON body (a map, a free-form value) with the response's metadata; an
/// empty body is read as `{}`, as in [`decode_json`](crate::operation::decode_json).
pub async fn decode_value_output<T: DeserializeOwned>(
    response: RawResponse,
) -> Result<ValueOutput<T>, Error> {
    let metadata = response.metadata();
    let value = crate::operation::decode_json(response).await?;
    Ok(ValueOutput { value, metadata })
}

/// Checks a reply that has no documented body
/// ([`decode_empty`](crate::operation::decode_empty)) and keeps its metadata.
pub async fn decode_empty_output(response: RawResponse) -> Result<EmptyOutput, Error> {
    let metadata = response.metadata();
    crate::operation::decode_empty(response).await?;
    Ok(EmptyOutput { metadata })
}
