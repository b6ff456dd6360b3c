//! Properties on generated inputs: parsing and verifying callbacks, the TC3 canonical request and
//! signature, and decoding API answers. `make test` runs each briefly, `make fuzz` for a set time.

use hmac::{Hmac, Mac};
use livehook_properties::check;
use livehook_properties::proptest::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tencent_live::api::{
    CallbackTemplate, DescribeLiveCallbackRulesResponse, DescribeLiveCallbackTemplatesResponse,
    DescribeLiveDomainsResponse,
};
use tencent_live::callback::{sign as callback_sign, verify, Callback, ExpiryPolicy, Verification};
use tencent_live::secret::Secret;
use tencent_live::sign::{derive_keys, sign, ParsedAuthorization, Payload, SignInput};

/// Any JSON value, nested a few levels, numbers at the limits included.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::from),
        prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(0), Just(-1)].prop_map(|n| Value::String(n.to_string())),
    ];
    leaf.prop_recursive(3, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,12}", inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A callback-like object: the documented field names with any values, plus others.
fn callback_like() -> impl Strategy<Value = Value> {
    let field = prop_oneof![
        Just("event_type"),
        Just("t"),
        Just("sign"),
        Just("stream_id"),
        Just("app"),
        Just("appname"),
        Just("sequence"),
        Just("event_time"),
        Just("file_size"),
        Just("duration"),
        Just("start_time"),
        Just("end_time"),
        Just("pic_full_url"),
        Just("width"),
        Just("height"),
        Just("seq"),
        Just("score"),
        Just("type"),
        Just("asr_text"),
        Just("other"),
    ];
    prop::collection::vec((field, json_value()), 0..12)
        .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

#[test]
fn any_bytes_or_json_parse_to_a_callback_or_an_error() {
    check(
        "callback parse (bytes)",
        prop::collection::vec(any::<u8>(), 0..512),
        |bytes| {
            let _ = Callback::parse(&bytes);
            Ok(())
        },
    );
    check("callback parse (json)", callback_like(), |v| {
        let _ = Callback::from_value(v.clone());
        let _ = tencent_live::callback::expiry_of(&v);
        Ok(())
    });
}

#[test]
fn a_callback_signed_with_a_key_verifies_with_that_key_and_no_other() {
    let input = (
        "[A-Za-z0-9]{1,32}",
        "[A-Za-z0-9]{1,32}",
        any::<i64>(),
        any::<i64>(),
        callback_like(),
    );
    check("callback verify", input, |(key, other, t, now, mut body)| {
        prop_assume!(key != other);
        let key = Secret::new(key);
        let other = Secret::new(other);
        body["t"] = json!(t);
        body["sign"] = json!(callback_sign(&key, t));
        let policy = ExpiryPolicy::default();
        let with_key = verify(&body, &[other.clone(), key.clone()], now, policy);
        prop_assert!(
            matches!(
                with_key,
                Verification::Valid { .. } | Verification::Expired { .. } | Verification::NotYetValid { .. }
            ),
            "{with_key:?}"
        );
        prop_assert_eq!(with_key.key().map(|k| k.index), Some(1));
        if let Verification::Valid { expires_in, .. } = with_key {
            prop_assert!(expires_in >= -policy.skew && expires_in <= policy.max_validity + policy.skew);
        }
        prop_assert_eq!(verify(&body, &[other], now, policy), Verification::BadSign);
        body["sign"] = json!(callback_sign(&key, t.wrapping_add(1)));
        prop_assert_eq!(verify(&body, &[key], now, policy), Verification::BadSign);
        Ok(())
    });
}

fn hmac_hex(key: &[u8], data: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn the_tc3_signature_is_the_documented_chain_over_the_canonical_request() {
    let header_value = "[ -~]{0,40}";
    let input = (
        prop_oneof![Just("POST"), Just("GET")],
        "/[a-z0-9/]{0,20}",
        "[a-zA-Z0-9=&%._-]{0,40}",
        // Header names are unique, as SignInput asks.
        (
            header_value,
            header_value,
            prop::collection::btree_map("x-tc-[a-z]{1,10}", header_value, 0..4),
        ),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..256)),
        0i64..4_102_444_800,
        ("AKID[A-Za-z0-9]{4,32}", "[ -~]{1,40}", "[a-z]{1,12}"),
    );
    check(
        "tc3 sign",
        input,
        |(method, path, query, (ctype, host, extra), body, timestamp, (id, key, service))| {
            let mut headers: Vec<(&str, &str)> = vec![("Content-Type", &ctype), ("Host", &host)];
            headers.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let payload = match &body {
                Some(b) => Payload::Bytes(b),
                None => Payload::Unsigned,
            };
            let signed = sign(
                &SignInput {
                    method,
                    path: &path,
                    query: &query,
                    headers: &headers,
                    payload,
                    timestamp,
                    service: &service,
                },
                &id,
                &Secret::new(key.clone()),
            );
            // The canonical request: method, path, query, sorted lower-case headers, the signed names, the hash.
            let lines: Vec<&str> = signed.canonical_request.split('\n').collect();
            prop_assert_eq!(lines[0], method);
            prop_assert_eq!(lines[1], if path.is_empty() { "/" } else { path.as_str() });
            prop_assert_eq!(lines[2], query.as_str());
            let payload_hash = match &body {
                Some(b) => hex::encode(Sha256::digest(b)),
                None => hex::encode(Sha256::digest(b"UNSIGNED-PAYLOAD")),
            };
            prop_assert_eq!(*lines.last().expect("hash line"), payload_hash.as_str());
            let names: Vec<&str> = signed.signed_headers.split(';').collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(&names, &sorted, "signed headers are sorted and unique");
            prop_assert!(names.contains(&"content-type") && names.contains(&"host"));
            // The string to sign and the key chain, computed here from the documented steps.
            let date = tencent_live::sign::utc_date(timestamp);
            let scope = format!("{date}/{service}/tc3_request");
            let expected_sts = format!(
                "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
                hex::encode(Sha256::digest(signed.canonical_request.as_bytes()))
            );
            prop_assert_eq!(&signed.string_to_sign, &expected_sts);
            let k_date = <Hmac<Sha256> as Mac>::new_from_slice(format!("TC3{key}").as_bytes())
                .expect("key")
                .chain_update(date.as_bytes())
                .finalize()
                .into_bytes();
            let k_service = <Hmac<Sha256> as Mac>::new_from_slice(&k_date)
                .expect("key")
                .chain_update(service.as_bytes())
                .finalize()
                .into_bytes();
            let k_signing = <Hmac<Sha256> as Mac>::new_from_slice(&k_service)
                .expect("key")
                .chain_update(b"tc3_request")
                .finalize()
                .into_bytes();
            prop_assert_eq!(
                derive_keys(&Secret::new(key.clone()), &date, &service)[2],
                <[u8; 32]>::from(k_signing)
            );
            prop_assert_eq!(&signed.signature, &hmac_hex(&k_signing, &expected_sts));
            // What a server reads back from the Authorization header.
            let parsed =
                ParsedAuthorization::parse(&signed.authorization).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&parsed.secret_id, &id);
            prop_assert_eq!(&parsed.date, &date);
            prop_assert_eq!(&parsed.service, &service);
            prop_assert!(parsed.signature_matches(&signed.signature));
            Ok(())
        },
    );
}

#[test]
fn any_api_answer_decodes_or_fails_without_a_panic() {
    check("api decode", json_value(), |v| {
        let _ = serde_json::from_value::<CallbackTemplate>(v.clone());
        let _ = serde_json::from_value::<DescribeLiveCallbackTemplatesResponse>(v.clone());
        let _ = serde_json::from_value::<DescribeLiveCallbackRulesResponse>(v.clone());
        let _ = serde_json::from_value::<DescribeLiveDomainsResponse>(v.clone());
        let wrapped = json!({ "Templates": [v.clone()], "Rules": [v.clone()], "DomainList": [v], "AllCount": 1 });
        let _ = serde_json::from_value::<DescribeLiveCallbackTemplatesResponse>(wrapped.clone());
        let _ = serde_json::from_value::<DescribeLiveCallbackRulesResponse>(wrapped.clone());
        let _ = serde_json::from_value::<DescribeLiveDomainsResponse>(wrapped);
        Ok(())
    });
}
