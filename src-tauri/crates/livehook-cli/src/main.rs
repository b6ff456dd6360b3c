//! `livehook`: the LiveHook libraries, headless, for scripts and CI.

use std::process::ExitCode;

// glibc's malloc took about a fifth of the receiver's CPU under load (frees on another thread than the
// allocation, consolidation); with mimalloc the receiver without storage answers a quarter more
// callbacks a second (`make bench`, "HTTP alone").
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    livehook_cli::run()
}
