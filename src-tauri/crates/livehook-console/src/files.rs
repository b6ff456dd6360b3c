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
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(std::fs::DirBuilder::new().recursive(true), 0o700).create(dir)?;
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Make `dir` (and its missing parents) readable by the owner only; an existing folder is narrowed
/// to 0700 too, so call it only on the app's own folders.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        if std::fs::metadata(dir)?.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
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
