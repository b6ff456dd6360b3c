//! Serde helpers for decoding what the cloud (and its examples) actually send: numbers as strings,
//! `null` where a value is documented, absent fields, strings that contain JSON.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            // Past i64 (a u64 over i64::MAX, or 1e300) is no value rather than a wrapped or clamped one.
            .or_else(|| n.as_u64().and_then(|u| i64::try_from(u).ok()))
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= -9.223_372_036_854_775e18 && *f < 9.223_372_036_854_775e18)
                    .map(|f| f as i64)
            }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// An integer that may arrive as a number, a numeric string, or `null`/absent (→ `None`).
/// Anything else is an error: a silently dropped field is worse than a clear decode error.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(None),
        Value::String(ref s) if s.trim().is_empty() => Ok(None),
        // A whole number past i64 (from the network) is no value, not a wrapped one.
        Value::Number(ref n)
            if value_to_i64(&v).is_none() && (n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)) =>
        {
            Ok(None)
        }
        other => value_to_i64(&other)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("expected an integer, got {other}"))),
    }
}

/// Like [`opt_i64`] but `null`/absent become 0.
pub fn i64_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    opt_i64(d).map(|v| v.unwrap_or(0))
}

/// A string that may arrive as `null` (→ `""`) or as a number or boolean (→ its text).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => String::new(),
        Value::String(s) => s,
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    })
}

/// A float that may arrive as number or numeric string.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A list that may arrive as `null` (→ empty).
pub fn vec<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(Vec::new()),
        other => serde_json::from_value(other).map_err(serde::de::Error::custom),
    }
}

/// A list of integers, each as number or numeric string; a lone integer counts as a one-element list.
pub fn i64_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(value_to_i64).collect(),
        Value::Null => Vec::new(),
        other => value_to_i64(&other).into_iter().collect(),
    })
}

/// A field documented as "a string containing JSON". Keeps the text as received and, when it parses,
/// the typed value. Also accepts the JSON inline (an object instead of a string).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonString<T> {
    pub raw: String,
    pub parsed: Option<T>,
}

impl<T> Default for JsonString<T> {
    fn default() -> Self {
        JsonString {
            raw: String::new(),
            parsed: None,
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for JsonString<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => JsonString::default(),
            Value::String(raw) => {
                let parsed = serde_json::from_str(&raw).ok();
                JsonString { raw, parsed }
            }
            inline => JsonString {
                raw: inline.to_string(),
                parsed: serde_json::from_value(inline).ok(),
            },
        })
    }
}

impl<T> Serialize for JsonString<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "string")]
        s: String,
        #[serde(default, deserialize_with = "i64_vec")]
        v: Vec<i64>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).expect(json)
    }

    #[test]
    fn integers_as_numbers_strings_null_or_absent() {
        assert_eq!(probe(r#"{"n": 7}"#).n, Some(7));
        assert_eq!(probe(r#"{"n": "1000"}"#).n, Some(1000));
        assert_eq!(probe(r#"{"n": null}"#).n, None);
        assert_eq!(probe(r#"{}"#).n, None);
        assert_eq!(
            probe(r#"{"n": 18446744073709551615}"#).n,
            None,
            "past i64: no value, never a wrapped one"
        );
        assert_eq!(probe(r#"{"n": 1e300}"#).n, None);
        assert_eq!(probe(r#"{"n": 9223372036854775807}"#).n, Some(i64::MAX));
        assert!(serde_json::from_str::<Probe>(r#"{"n": "abc"}"#).is_err());
    }

    #[test]
    fn strings_from_null_and_numbers() {
        assert_eq!(probe(r#"{"s": null}"#).s, "");
        assert_eq!(probe(r#"{"s": 12}"#).s, "12");
        assert_eq!(probe(r#"{"s": "x"}"#).s, "x");
    }

    #[test]
    fn integer_lists_are_tolerant() {
        assert_eq!(probe(r#"{"v": [1, "2", null]}"#).v, vec![1, 2]);
        assert_eq!(probe(r#"{"v": 5}"#).v, vec![5]);
    }

    #[test]
    fn json_strings_parse_or_keep_raw() {
        let j: JsonString<Value> = serde_json::from_str(r#""{\"a\":1}""#).expect("string");
        assert_eq!(j.parsed, Some(serde_json::json!({"a": 1})));
        let j: JsonString<Value> = serde_json::from_str(r#""not json""#).expect("string");
        assert_eq!((j.raw.as_str(), j.parsed), ("not json", None));
        let j: JsonString<Value> = serde_json::from_str(r#"{"a":2}"#).expect("inline");
        assert_eq!(j.parsed, Some(serde_json::json!({"a": 2})));
    }
}
