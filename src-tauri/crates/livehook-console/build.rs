//! Records the commit this build was made from, for `livehook --version` and the app's About dialog:
//! `LIVEHOOK_COMMIT` from the environment when set (a release pipeline or a source package without
//! `.git`), else `git rev-parse` of the checkout, else "unknown".

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=LIVEHOOK_COMMIT");
    let commit = std::env::var("LIVEHOOK_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.trim().chars().take(12).collect())
        .or_else(from_git)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=LIVEHOOK_COMMIT={commit}");
}

fn from_git() -> Option<String> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let out = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(&manifest)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let commit = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    // Build again when HEAD moves: HEAD itself, the branch it names and the packed refs.
    if let Some(git_dir) = git_path(&manifest, "--git-dir") {
        // Only files that exist: cargo takes a missing one as changed and would run this every build.
        let watch = |p: PathBuf| {
            if p.exists() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        };
        let head = git_dir.join("HEAD");
        watch(head.clone());
        if let Ok(text) = std::fs::read_to_string(&head) {
            if let Some(branch) = text.strip_prefix("ref: ") {
                let common = git_path(&manifest, "--git-common-dir").unwrap_or(git_dir.clone());
                let branch = common.join(branch.trim());
                // The branch's folder too: a commit in a fresh clone writes the branch file anew.
                if let Some(folder) = branch.parent() {
                    watch(folder.to_path_buf());
                }
                watch(branch);
                watch(common.join("packed-refs"));
            }
        }
    }
    (!commit.is_empty()).then_some(commit)
}

fn git_path(dir: &Path, which: &str) -> Option<PathBuf> {
    let out = Command::new("git")
        .args(["rev-parse", which])
        .current_dir(dir)
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    Some(if p.is_absolute() { p } else { dir.join(p) })
}
