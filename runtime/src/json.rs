//! Success bodies that are a bare JSON array or scalar rather than an object.
//!
//! [`decode_json`] reads an empty body as `{}` (object
//! responses whose fields are all optional). For the other shapes that stand-in would fail with
//! a confusing "expected a sequence, found a map"; these decoders give it a meaning instead: an
//! empty list, as the vendor SDKs leave a list unset when the body is empty, or a clear
//! [`Error::Decode`] for a scalar.

use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::operation::{decode_json, RawResponse};
use crate::Error;

/// Decodes a bare JSON array body; an empty body is an empty list.
pub async fn decode_list<T: DeserializeOwned>(response: RawResponse) -> Result<Vec<T>, Error> {
    decode_json::<List<T>>(response).await.map(|list| list.0)
}

/// Decodes a bare JSON scalar body (a number, a boolean or a string); an empty body is an
/// [`Error::Decode`] that says so.
pub async fn decode_scalar<T: DeserializeOwned>(response: RawResponse) -> Result<T, Error> {
    decode_json::<Scalar<T>>(response)
        .await
        .map(|scalar| scalar.0)
}

/// A JSON array, or the `{}` that stands for an empty body.
struct List<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = List<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON array")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(List(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<T>, A::Error> {
                match map.next_key::<serde::de::IgnoredAny>()? {
                    None => Ok(List(Vec::new())),
                    Some(_) => Err(A::Error::custom("expected a JSON array, found an object")),
                }
            }
        }

        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

/// A JSON scalar; the `{}` that stands for an empty body is an error naming that.
struct Scalar<T>(T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Scalar<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Object(map) if map.is_empty() => Err(D::Error::custom(
                "the body is empty, but the operation documents a JSON value",
            )),
            value => T::deserialize(value).map(Scalar).map_err(D::Error::custom),
        }
    }
}
