//! Callback bodies: every shipped sample decodes into its type's model, the other types decode from
//! bodies built from the documented field tables, and `sign`/`t` verification gives every outcome.

use serde_json::{json, Value};
use tencent_live::callback::{
    interruption_reason, verify, Callback, CallbackEvent, EventType, ExpiryPolicy, KeyMatch, Verification,
};
use tencent_live::secret::Secret;

const SAMPLE_KEY: &str = "adasda131312";

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/callback-samples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_sample_decodes_into_its_model() {
    let dir = format!("{}/tests/data/callback-samples", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("samples dir") {
        let path = entry.expect("entry").path();
        let body = std::fs::read(&path).expect("read");
        let cb = Callback::parse(&body).expect("sample parses");
        assert!(
            !matches!(cb.event, CallbackEvent::Unknown { .. }),
            "{}: decoded as Unknown: {:?}",
            path.display(),
            cb.event
        );
        assert!(cb.t.is_some() && cb.sign.is_some(), "{}: t and sign", path.display());
        // Every sample is signed with the API example key; their t lies in the past.
        let v: Value = serde_json::from_slice(&body).expect("json");
        let result = verify(
            &v,
            &[Secret::new(SAMPLE_KEY)],
            cb.t.expect("t") - 10,
            ExpiryPolicy::default(),
        );
        assert!(result.is_valid(), "{}: {result:?}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 5, "five samples shipped");
}

#[test]
fn push_and_interruption_fields() {
    let cb = Callback::parse(&sample("event_1_stream_begin.json")).expect("parses");
    let CallbackEvent::StreamBegin(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(e.sequence, "2210464508206756938");
    assert_eq!(e.errcode, Some(0));
    assert_eq!(e.inside_mainland(), Some(true));
    assert_eq!(cb.stream_id(), Some("test_stream"));
    assert_eq!(cb.domain_and_app(), (Some("test.domain.com"), Some("live")));

    let cb = Callback::parse(&sample("event_0_stream_end.json")).expect("parses");
    let CallbackEvent::StreamEnd(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert!(
        e.push_duration.is_some(),
        "push_duration (a string of ms) decodes: {e:?}"
    );
    let (en, zh) = interruption_reason(e.errcode.expect("errcode"));
    assert!(!en.is_empty() && !zh.is_empty());
    assert_eq!(interruption_reason(1).0, "The client stopped pushing");
    assert_eq!(interruption_reason(99).0, "Unknown reason");
}

#[test]
fn string_fields_that_contain_json_are_parsed() {
    let cb = Callback::parse(&sample("event_100_record_file.json")).expect("parses");
    let CallbackEvent::RecordFile(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(e.file_size, Some(277_941_079));
    assert_eq!(e.duration, Some(154));
    let ext = e.callback_ext.parsed.as_ref().expect("callback_ext parsed");
    assert_eq!((ext.video_codec.as_str(), ext.resolution.as_str()), ("h264", "640x480"));
    assert!(e.callback_ext.raw.starts_with('{'), "raw text kept");

    let cb = Callback::parse(&sample("event_332_record_status.json")).expect("parses");
    let CallbackEvent::RecordStatus(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(e.record_event, "record_ended");
    let detail = e.record_detail.parsed.as_ref().expect("record_detail parsed");
    assert_eq!(detail.format_name(), "HLS");

    let cb = Callback::parse(&sample("event_200_snapshot.json")).expect("parses");
    let CallbackEvent::Snapshot(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert!(!e.pic_full_url.is_empty());
}

fn parse(v: Value) -> Callback {
    Callback::from_value(v).expect("object")
}

#[test]
fn types_without_samples_decode_from_the_documented_fields() {
    let cb = parse(
        json!({"event_type": 317, "appid": 1, "streamId": "s1", "channelId": "s1",
        "img": "http://x/1.jpg", "type": [1], "socre": [95], "suggestion": "Block", "label": "Porn",
        "subLabel": "PornHigh", "labelResults": null, "screenshotTime": 1700000000, "sendTime": "1700000001",
        "t": "1700000600", "sign": "x"}),
    );
    let CallbackEvent::ImageAudit(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(e.score, vec![95], "the documented misspelling `socre` is read as score");
    assert_eq!(e.types, vec![1]);
    assert_eq!(e.send_time, Some(1_700_000_001));
    assert_eq!(cb.t, Some(1_700_000_600), "t as a string");
    assert_eq!(cb.stream_id(), Some("s1"));

    let cb = parse(
        json!({"event_type": 315, "appid": 1, "stream_id": "s2", "domain": "d", "path": "live",
        "HitFlag": 1, "Score": 88, "task_id": 12345, "suggestion": "Review", "label": "Moan",
        "text_results": [{"Label": "Ad", "Keywords": ["x"]}], "t": 1, "sign": "y"}),
    );
    let CallbackEvent::AudioAudit(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!((e.hit_flag, e.score, e.task_id.as_str()), (Some(1), Some(88), "12345"));
    assert_eq!(cb.domain_and_app(), (Some("d"), Some("live")));

    let cb = parse(
        json!({"event_type": 321, "appid": 1, "domain": "d", "path": "live", "stream_id": "s3",
        "sequence": "99", "abnormal_event": [{"count": 2, "type": 6, "type_desc_en": "video frame gap",
        "detail": [{"desc": "gap 3500ms", "occur_time": 1700000000123_i64}]}], "t": 1, "sign": "y"}),
    );
    let CallbackEvent::PushException(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(e.abnormal_event[0].exception_type, Some(6));
    assert_eq!(e.abnormal_event[0].detail[0].occur_time, Some(1_700_000_000_123));

    let cb = parse(
        json!({"event_type": 341, "appid": 1, "stream_id": "s4", "session_id": "x",
        "file_format": "MP4", "timestamp": 1700000000, "exception_level": "error",
        "exception": {"type": -16, "occurs": 3, "desc": "pull failed"}, "t": 1, "sign": "y"}),
    );
    let CallbackEvent::RecordException(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(e.exception.exception_type, Some(-16));
    assert_eq!(
        tencent_live::callback::record_exception_description(-16).0,
        "Pulling the stream failed"
    );

    let cb = parse(
        json!({"event_type": 348, "appid": 1, "domain": "d", "path": "live", "stream_id": "s5",
        "begin_time": 1, "end_time": 2, "title": "t", "summary": "s", "key_words": ["a"], "key_points": [],
        "t": 1, "sign": "y"}),
    );
    assert!(matches!(cb.event, CallbackEvent::LiveSummary(_)));

    let cb = parse(json!({"event_type": 314, "appid": 1, "callback_event": "TaskExit",
        "source_urls": "[\"http://a/1.mp4\"]", "msg": "{\"task_exit_time\": 1700000000000, \"code\": 0}",
        "task_id": "tk", "stream_id": "s6"}));
    let CallbackEvent::Relay(e) = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert_eq!(
        e.source_urls.parsed.as_deref(),
        Some(&["http://a/1.mp4".to_owned()][..])
    );
    assert_eq!(
        e.msg.parsed.as_ref().and_then(|m| m.task_exit_time),
        Some(1_700_000_000_000)
    );
    assert_eq!(cb.t, None, "relay events carry no t");
}

#[test]
fn unknown_types_keep_the_raw_json() {
    let raw = json!({"event_type": 999, "stream_id": "s", "anything": [1, 2]});
    let cb = parse(raw.clone());
    assert_eq!(cb.event, CallbackEvent::Unknown { raw, problem: None });
    assert_eq!(cb.stream_id(), Some("s"));
    // A known type whose fields do not fit is kept too, with the reason.
    let cb = parse(json!({"event_type": 1, "stream_id": {"nested": true}, "appid": "abc"}));
    let CallbackEvent::Unknown { problem, .. } = &cb.event else {
        panic!("{:?}", cb.event)
    };
    assert!(problem.is_some());
    assert!(Callback::parse(b"not json").is_err());
    assert!(Callback::parse(b"[1]").is_err());
}

#[test]
fn event_type_names_and_codes() {
    for e in EventType::ALL {
        assert_eq!(EventType::from_code(e.code()), Some(e));
        assert_eq!(EventType::parse(e.slug()), Some(e));
        assert_eq!(EventType::parse(&e.code().to_string()), Some(e));
    }
    for e in EventType::ALL {
        let (en, zh) = e.names();
        assert_eq!(EventType::parse(en), Some(e), "{en}");
        assert_eq!(EventType::parse(&en.to_uppercase().replace(' ', "_")), Some(e), "{en}");
        assert_eq!(EventType::parse(zh), Some(e), "{zh}");
    }
    assert_eq!(EventType::parse("interruption"), Some(EventType::StreamEnd));
    assert_eq!(EventType::parse("recording-file"), Some(EventType::RecordFile));
    assert_eq!(EventType::parse("porn detection"), Some(EventType::ImageAudit));
    assert_eq!(EventType::parse("interrupt"), None);
    assert_eq!(EventType::parse("7"), None);
    assert_eq!(EventType::label(0), "Interruption (0)");
    assert_eq!(EventType::label(7), "7");
    assert_eq!(EventType::from_code(318), None, "318 is not audio audit; 315 is");
    assert_eq!(EventType::AudioAudit.code(), 315);
}

fn signed(key: &str, t: i64) -> Value {
    json!({"event_type": 1, "t": t, "sign": tencent_live::callback::sign(&Secret::new(key), t)})
}

#[test]
fn verification_outcomes() {
    let now = 1_700_000_000;
    let keys = [Secret::new("other"), Secret::new("abc123")];
    let p = ExpiryPolicy::default();

    let r = verify(&signed("abc123", now + 600), &keys, now, p);
    assert_eq!(
        r,
        Verification::Valid {
            key: KeyMatch { index: 1 },
            expires_in: 600
        }
    );

    let r = verify(&signed("abc123", now - 3600), &keys, now, p);
    assert_eq!(
        r,
        Verification::Expired {
            key: KeyMatch { index: 1 },
            ago: 3600
        }
    );

    // Within the skew allowance it is still valid.
    assert!(verify(&signed("abc123", now - 20), &keys, now, p).is_valid());

    let r = verify(&signed("abc123", now + 7200), &keys, now, p);
    assert_eq!(
        r,
        Verification::NotYetValid {
            key: KeyMatch { index: 1 },
            ahead: 7200
        }
    );

    assert_eq!(
        verify(&signed("wrong", now + 600), &keys, now, p),
        Verification::BadSign
    );
    assert_eq!(verify(&signed("abc123", now + 600), &[], now, p), Verification::BadSign);
    assert_eq!(
        verify(&json!({"event_type": 1, "t": now}), &keys, now, p),
        Verification::Unsigned
    );
    assert_eq!(
        verify(&json!({"event_type": 1, "sign": "abc"}), &keys, now, p),
        Verification::Unsigned
    );
    assert_eq!(
        verify(&json!({"t": "soon", "sign": "abc"}), &keys, now, p),
        Verification::Unsigned
    );

    // t as a string and an upper-case sign are both accepted.
    let mut v = signed("abc123", now + 60);
    v["t"] = json!((now + 60).to_string());
    v["sign"] = json!(v["sign"].as_str().expect("sign").to_uppercase());
    assert!(verify(&v, &keys, now, p).is_valid());

    // The literal reading of "no key": md5("" + t).
    let r = verify(&signed("", 1_700_000_600), &[Secret::new("")], 1_700_000_000, p);
    assert!(r.is_valid(), "{r:?}");
    assert_eq!(
        tencent_live::callback::sign(&Secret::new(""), 1_700_000_600),
        "5ebd8362121e0bc17b5f2c6bd90dc0b2"
    );
}
