//! What this build is: its version and the commit it was built from (`build.rs`), shown by
//! `livehook --version` and the app's About dialog.

use serde::Serialize;
use ts_rs::TS;

/// The version of every LiveHook crate and binary (the workspace's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The commit's short hash, or "unknown" when built outside a git checkout without `LIVEHOOK_COMMIT`.
pub const COMMIT: &str = env!("LIVEHOOK_COMMIT");
/// `0.1.0 (commit 0123456789ab)`, as `--version` prints it.
pub const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("LIVEHOOK_COMMIT"), ")");

/// The About dialog's facts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct About {
    pub version: String,
    pub commit: String,
    /// The operating system and architecture the binary was built for, e.g. `linux x86_64`.
    pub platform: String,
}

pub fn about() -> About {
    About {
        version: VERSION.to_owned(),
        commit: COMMIT.to_owned(),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_version_names_the_version_and_a_commit() {
        assert!(LONG_VERSION.starts_with(VERSION));
        assert!(!COMMIT.is_empty());
        // In this repository the build script finds the checkout's commit: a short hash, not "unknown".
        if std::env::var_os("LIVEHOOK_COMMIT").is_none()
            && std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../.git")).exists()
        {
            assert_eq!(COMMIT.len(), 12, "{COMMIT}");
            assert!(COMMIT.chars().all(|c| c.is_ascii_hexdigit()), "{COMMIT}");
        }
        assert_eq!(about().version, VERSION);
    }
}
