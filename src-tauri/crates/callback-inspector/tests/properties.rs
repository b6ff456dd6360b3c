//! Properties on generated inputs: examining any request never panics, and a stored callback's cURL
//! command (run by a real shell) and HAR entry give back the request exactly. `make test` runs each
//! briefly, `make fuzz` for a set time.

use std::process::Command;

use callback_inspector::tools::{self, Format};
use callback_inspector::{event, Answer, Captured, Check, Facts, NamedKey, StoredEvent};
use livehook_properties::check;
use livehook_properties::proptest::prelude::*;
use serde_json::Value;
use tencent_live::callback::ExpiryPolicy;

type Request = (String, String, String, Vec<(String, String)>, String);

/// Where the exports say the request went: the base, the path and the query.
fn url_of(path: &str, query: &str) -> String {
    if query.is_empty() {
        format!("http://127.0.0.1:9{path}")
    } else {
        format!("http://127.0.0.1:9{path}?{query}")
    }
}

/// The request as the receiver stores it.
fn stored((method, path, query, headers, body): &Request) -> StoredEvent {
    StoredEvent {
        id: 1,
        request: Captured {
            received_at: 1_700_000_000_000,
            method: method.clone(),
            path: path.clone(),
            query: query.clone(),
            headers: headers.clone(),
            remote: "127.0.0.1:1".into(),
            body_size: body.len() as u64,
            body: body.clone().into_bytes(),
            too_large: false,
        },
        facts: Facts::default(),
        check: Check::Unsigned,
        group: "g".into(),
        attempt: 1,
        answer: Answer::ok(),
    }
}

/// A request as the receiver may store it: any method token, printable path and query, headers with
/// any text, a body of any text (no NUL: a shell word cannot hold one).
fn request() -> impl Strategy<Value = Request> {
    (
        "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,16}",
        "/[!-~]{0,40}",
        "[!-~]{0,30}",
        prop::collection::vec(("x-[a-z0-9-]{1,10}", "[^\u{0}\r\n]{0,30}"), 0..5),
        "[^\u{0}]{0,200}",
    )
}

#[test]
fn examining_any_request_never_panics() {
    let keys = vec![NamedKey::new("k", "key123")];
    let input = (
        "[^\u{0}]{0,60}",
        prop::collection::vec(any::<u8>(), 0..400),
        any::<i64>(),
    );
    check("examine", input, |(path, body, now)| {
        let _ = event::examine(&path, &body, &keys, now, ExpiryPolicy::default());
        let _ = event::group_key(&path, &body);
        Ok(())
    });
}

#[test]
fn the_curl_command_runs_as_one_curl_with_exactly_the_request() {
    check("curl through sh", request(), |request| {
        let e = stored(&request);
        let (method, path, query, headers, body) = request;
        let command = tools::curl(&e, "http://127.0.0.1:9");
        // `curl` is a shell function that prints its arguments, NUL-separated, and nothing else runs.
        let out = Command::new("/bin/sh")
            .arg("-c")
            .arg(format!(
                "curl() {{ for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }}\n{command}"
            ))
            .env_clear()
            .env("PATH", "/nonexistent")
            .output()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let args: Vec<String> = out
            .stdout
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let mut expected = vec!["-X".to_owned(), method, url_of(&path, &query)];
        for (k, v) in &headers {
            expected.push("-H".into());
            expected.push(format!("{k}: {v}"));
        }
        if !body.is_empty() {
            expected.push("--data-raw".into());
            expected.push(body);
        }
        expected.push(String::new()); // after the last NUL
        prop_assert_eq!(args, expected);
        Ok(())
    });
}

#[test]
fn the_har_entry_gives_back_the_request() {
    check("har round trip", request(), |request| {
        let e = stored(&request);
        let (method, path, query, headers, body) = request;
        let har: Value = serde_json::from_str(&tools::export(&[e], Format::Har, "http://127.0.0.1:9"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let request = &har["log"]["entries"][0]["request"];
        prop_assert_eq!(request["method"].as_str(), Some(method.as_str()));
        let url = url_of(&path, &query);
        prop_assert_eq!(request["url"].as_str(), Some(url.as_str()));
        let got: Vec<(String, String)> = request["headers"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| {
                (
                    h["name"].as_str().unwrap_or_default().to_owned(),
                    h["value"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        prop_assert_eq!(got, headers);
        prop_assert_eq!(request["postData"]["text"].as_str(), Some(body.as_str()));
        Ok(())
    });
}
