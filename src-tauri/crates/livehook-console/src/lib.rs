//! The desktop console's logic, without a window: profiles in a settings file with their secrets in the
//! OS keyring, the session (a profile or the offline demo), the console workflow and the error shape
//! that crosses to the UI. The desktop app's commands only call into this; `livehook --profile` reads
//! the same profiles.

pub mod about;
pub mod bindings;
pub mod commands;
pub mod deliveries;
pub mod error;
pub mod files;
pub mod images;
pub mod inspector;
pub mod liveness;
pub mod ops;
pub mod profiles;
pub mod secrets;
pub mod session;
pub mod transfer;

pub use error::{AppError, AppErrorKind};
pub use profiles::{config_dir, NewProfile, Profile, ProfileChanges, ProfileError, ProfileStore, ProfileView, APP_ID};
pub use secrets::{KeyringStore, MemoryStore, SecretError, SecretKind, SecretStore, INSPECTOR_OWNER};
pub use session::Console;
