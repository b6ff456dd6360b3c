//! Writing the console's files: whole or not at all, readable by the owner only.

use std::io::Write;
use std::path::Path;

use crate::error::{AppError, AppErrorKind};

/// Write `bytes` to `path` through a temporary file in the same folder (created if missing), flushed
/// to disk and then renamed over the old file, so a crash leaves the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `path` may take an export: a full path ending in `.{extension}`, in a folder that exists,
/// and not an existing file unless `overwrite` (the UI asks first).
pub fn check_export_path(path: &Path, overwrite: bool, extension: &str) -> Result<(), AppError> {
    if !path.is_absolute() || path.extension().is_none_or(|e| e != extension) {
        return Err(AppError::new(
            AppErrorKind::Validation,
            format!(
                "Save to a full path ending in .{extension}, such as /home/me/export.{extension}; not {}.",
                path.display()
            ),
        ));
    }
    if path.exists() && !overwrite {
        return Err(AppError::new(
            AppErrorKind::AlreadyExists,
            format!("{} already exists.", path.display()),
        ));
    }
    if !path.parent().is_some_and(|d| d.is_dir()) {
        return Err(AppError::new(
            AppErrorKind::NotFound,
            format!("The folder of {} does not exist.", path.display()),
        ));
    }
    Ok(())
}

/// Save a file the user asked for, after [`check_export_path`]. Written whole or not at all.
pub fn save_export(path: &Path, bytes: &[u8], overwrite: bool, extension: &str) -> Result<(), AppError> {
    check_export_path(path, overwrite, extension)?;
    write_atomic(path, bytes).map_err(|e| {
        AppError::new(
            AppErrorKind::Internal,
            format!("Could not write {}: {e}", path.display()),
        )
    })
}
