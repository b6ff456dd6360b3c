//! Where the client sends signed requests: never on through a redirect, and over plain http only to
//! this machine unless asked.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tencent_live::client::RetryPolicy;
use tencent_live::secret::Credentials;
use tencent_live::{Client, ClientConfig, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server that answers every request with `answer` and counts the requests.
async fn server(answer: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(answer.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, hits)
}

fn config(endpoint: &str) -> ClientConfig {
    ClientConfig {
        endpoint: endpoint.to_owned(),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        rate_limit: false,
        ..ClientConfig::default()
    }
}

fn creds() -> Arc<Credentials> {
    Arc::new(Credentials::new("AKIDtransport0001", "key").with_token("sts-token"))
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_says_where_it_pointed() {
    let (elsewhere, elsewhere_hits) = server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".into()).await;
    let (endpoint, _) = server(format!(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {elsewhere}/\r\nContent-Length: 0\r\n\r\n"
    ))
    .await;
    let client = Client::new(config(&endpoint), creds()).expect("client");
    let e = client.templates().await.expect_err("a redirect is an error");
    assert!(
        matches!(&e, Error::Redirect { status: 307, location, .. } if location.starts_with(&elsewhere)),
        "{e:?}"
    );
    assert!(e.to_string().contains("does not follow redirects"), "{e}");
    assert_eq!(
        elsewhere_hits.load(Ordering::SeqCst),
        0,
        "the signed request (and its token) went on"
    );
}

#[tokio::test]
async fn plain_http_goes_only_to_this_machine_unless_allowed() {
    for endpoint in [
        "http://live.example.com",
        "http://10.0.0.8:9000",
        "http://[2001:db8::1]/",
    ] {
        let e = Client::new(config(endpoint), creds()).expect_err(endpoint);
        assert!(matches!(&e, Error::InsecureEndpoint(_)), "{endpoint}: {e:?}");
        assert!(e.to_string().contains("--allow-insecure-http"), "{e}");
        assert_eq!(e.kind(), tencent_live::ErrorKind::Validation);
    }
    for endpoint in [
        "http://127.0.0.1:9",
        "http://127.8.0.1:9",
        "http://localhost:9",
        "http://[::1]:9",
        "https://live.example.com",
    ] {
        Client::new(config(endpoint), creds()).unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
    let allowed = ClientConfig {
        allow_insecure_http: true,
        ..config("http://live.example.com")
    };
    Client::new(allowed, creds()).expect("allowed on purpose");
}
