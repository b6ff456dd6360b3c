//! The committed TypeScript bindings must match the Rust types. After changing a type that crosses to
//! the UI, run `UPDATE_BINDINGS=1 cargo test -p livehook-console --test bindings` and commit the file.

use std::path::PathBuf;

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/bindings/index.ts");
    let want = livehook_console::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, &want).expect("write bindings");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/bindings/index.ts is out of date; run UPDATE_BINDINGS=1 cargo test -p livehook-console --test bindings"
    );
}
