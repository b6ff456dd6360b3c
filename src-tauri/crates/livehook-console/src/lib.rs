//! The desktop console's logic, without a window: profiles in a settings file with their secrets in the
//! OS keyring. The desktop app and the `livehook --profile` command line share it.

pub mod profiles;
pub mod secrets;

pub use profiles::{config_dir, NewProfile, Profile, ProfileChanges, ProfileError, ProfileStore, ProfileView, APP_ID};
pub use secrets::{KeyringStore, MemoryStore, SecretError, SecretKind, SecretStore};
