//! Callback keys read from a file (or standard input) instead of the command line, where other
//! users of the machine can read them (`ps`). Errors name the file and line, never the key.

use std::io::Read;
use std::path::Path;

/// One key of a key file: its label (from `LABEL=KEY`, else the file and line) and the key.
#[derive(Debug)]
pub struct FileKey {
    pub label: String,
    pub key: tencent_live::Secret,
}

fn read_text(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("the key could not be read from standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("the key file {} could not be read: {e}", path.display()))
}

/// Every key of the file: one `LABEL=KEY` or `KEY` per line; blank lines and `#` comments skipped.
pub fn read(path: &Path) -> Result<Vec<FileKey>, String> {
    let text = read_text(path)?;
    let name = if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (label, key) = match line.split_once('=') {
            Some((l, k)) if !l.trim().is_empty() => (l.trim().to_owned(), k.trim()),
            _ => (format!("{name} line {}", i + 1), line),
        };
        if key.is_empty() {
            return Err(format!("{name} line {}: {label}= has no key after it", i + 1));
        }
        keys.push(FileKey {
            label,
            key: tencent_live::Secret::new(key),
        });
    }
    if keys.is_empty() {
        return Err(format!("{name} holds no key (one KEY or LABEL=KEY per line)"));
    }
    Ok(keys)
}

/// The one key of a file that must hold exactly one.
pub fn read_one(path: &Path) -> Result<tencent_live::Secret, String> {
    let mut keys = read(path)?;
    if keys.len() > 1 {
        return Err(format!(
            "{} holds {} keys; give a file with just the one to use",
            path.display(),
            keys.len()
        ));
    }
    Ok(keys.remove(0).key)
}
