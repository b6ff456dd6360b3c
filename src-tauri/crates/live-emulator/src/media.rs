//! Pictures for the emulated screenshots and image audits: a served emulator answers
//! `GET /__media/<path>.jpg` with a real JPEG drawn for that path (colour bars with a band whose place
//! follows the path, so consecutive screenshots differ), and the bodies it sends point there, so a
//! receiver can show the picture offline. Without a served address the bodies keep Tencent's host names.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The picture's width and height (16:9, like the 1280 × 720 the bodies report, scaled down).
pub const WIDTH: u16 = 320;
pub const HEIGHT: u16 = 180;

/// A JPEG for `path`: eight colour bars, a dark band placed by the path's hash, and a light frame.
pub fn jpeg_for(path: &str) -> Vec<u8> {
    let hash = path
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let band = (hash % u32::from(HEIGHT - 24)) as u16;
    const BARS: [[u8; 3]; 8] = [
        [235, 235, 235],
        [235, 235, 16],
        [16, 235, 235],
        [16, 235, 16],
        [235, 16, 235],
        [235, 16, 16],
        [16, 16, 235],
        [16, 16, 16],
    ];
    let mut pixels = Vec::with_capacity(usize::from(WIDTH) * usize::from(HEIGHT) * 3);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let frame = x < 3 || y < 3 || x >= WIDTH - 3 || y >= HEIGHT - 3;
            let rgb = if frame {
                [250, 250, 250]
            } else if (band..band + 24).contains(&y) {
                let shade = (40 + (x * 120 / WIDTH)) as u8;
                [shade, shade / 2, 90]
            } else {
                BARS[usize::from(x / (WIDTH / 8)).min(7)]
            };
            pixels.extend_from_slice(&rgb);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&pixels, WIDTH, HEIGHT, jpeg_encoder::ColorType::Rgb)
        .expect("encoding a picture in memory cannot fail");
    out
}

/// `GET /__media/<path>`: the picture for `path` (only `.jpg` paths exist).
pub async fn serve(Path(path): Path<String>) -> Response {
    if !path.ends_with(".jpg") {
        return (StatusCode::NOT_FOUND, "only .jpg pictures are served here").into_response();
    }
    ([(header::CONTENT_TYPE, "image/jpeg")], jpeg_for(&path)).into_response()
}

/// Point a body's picture URLs (`pic_full_url` of a screenshot, `img` of an image audit) at `base`,
/// keeping their paths.
pub fn rehome(body: &mut Value, base: &str) {
    for key in ["pic_full_url", "img"] {
        if let Some(Value::String(url)) = body.get_mut(key) {
            if let Ok(parsed) = url::Url::parse(url) {
                *url = format!("{base}/__media{}", parsed.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_real_jpegs_that_differ_by_path() {
        let a = jpeg_for("/s/s-1-1.jpg");
        let b = jpeg_for("/s/s-1-2.jpg");
        assert_eq!(&a[..3], &[0xFF, 0xD8, 0xFF], "JPEG start of image");
        assert_eq!(&a[a.len() - 2..], &[0xFF, 0xD9], "JPEG end of image");
        assert_ne!(a, b);
    }

    #[test]
    fn picture_urls_move_to_the_emulator() {
        let mut body =
            serde_json::json!({"pic_full_url": "http://1.picsh.myqcloud.com/s/a.jpg", "pic_url": "/s/a.jpg"});
        rehome(&mut body, "http://127.0.0.1:9000");
        assert_eq!(body["pic_full_url"], "http://127.0.0.1:9000/__media/s/a.jpg");
        assert_eq!(body["pic_url"], "/s/a.jpg");
    }
}
