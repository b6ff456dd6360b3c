//! What the CLI's tests share: a long-running `livehook ... serve` process whose first line of output
//! names the address it listens on, killed when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

pub struct Served {
    pub child: Child,
    /// `http://127.0.0.1:PORT` from the banner.
    pub url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `cmd` (stdout piped) and read the address from its first line.
pub fn spawn_served(cmd: Command) -> Served {
    spawn_served_with_output(cmd).0
}

/// [`spawn_served`], keeping the rest of its output to read.
pub fn spawn_served_with_output(mut cmd: Command) -> (Served, BufReader<ChildStdout>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("livehook runs");
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    out.read_line(&mut line).expect("banner");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("address in {line:?}"))
        .trim_end_matches(',')
        .to_owned();
    (Served { child, url }, out)
}
