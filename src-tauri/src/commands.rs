//! The Tauri commands: one per row of `livehook_console::command_table!`, each unpacking its arguments
//! and calling `livehook_console::commands`, its failures logged in one place. Nothing is declared here
//! a second time; `handler()` is the table's `generate_handler!`.

use livehook_console::commands::{self as cmd, Handles, Progress};
use livehook_console::AppError;
use tauri::ipc::Channel;
use tauri::State;

/// A command's progress channel. JSON crosses it; the message type is the table's, checked where
/// `Progress<T>` is sent to.
trait Message {
    type Channel;
}
impl<T> Message for T {
    type Channel = Channel<serde_json::Value>;
}
type ProgressChannel<T> = <T as Message>::Channel;

fn progress_of<T: serde::Serialize>(channel: Channel<serde_json::Value>) -> Progress<T> {
    Progress::new(std::sync::Arc::new(move |m| channel.send(m).is_ok()))
}

macro_rules! tauri_commands {
    ($( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty $(, progress $p:ty)? ; )*) => {
        $(
            #[tauri::command]
            async fn $name(
                state: State<'_, Handles>,
                $($arg: $ty,)*
                $(progress: ProgressChannel<$p>,)?
            ) -> Result<$ret, AppError> {
                cmd::log_failure(
                    stringify!($name),
                    cmd::$name(&state, $($arg,)* $(progress_of::<$p>(progress))?).await,
                )
            }
        )*

        /// Every command of the table, for `invoke_handler`.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

livehook_console::command_table!(tauri_commands);
