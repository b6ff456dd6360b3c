// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The desktop package installs /usr/bin/livehook as a link to this binary rather than a second copy
    // of the libraries both are made of (its .deb in xz: 7.2 MB, against 8.2 MB with both binaries):
    // started by that name, the app is the command line.
    let name = std::env::args_os().next();
    if name
        .as_deref()
        .and_then(|n| Path::new(n).file_stem())
        .is_some_and(|n| n == "livehook")
    {
        return livehook_cli::run();
    }
    livehook_desktop_lib::run();
    ExitCode::SUCCESS
}
