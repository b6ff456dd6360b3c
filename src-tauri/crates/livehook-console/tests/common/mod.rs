//! What the console's tests share: an emulator on a loopback port with one account, and a client of it.

use std::sync::Arc;

use live_emulator::{Account, Emulator, EmulatorConfig, RunningEmulator};
use tencent_live::{Client, ClientConfig, Credentials};

/// The emulator with the account `id`/`key` (and `configure`'s changes), and a client signed with it.
pub async fn emulator_with(
    id: &str,
    key: &str,
    configure: impl FnOnce(&mut EmulatorConfig),
) -> (RunningEmulator, Client) {
    let mut config = EmulatorConfig::new(vec![Account::new(id, key)]);
    configure(&mut config);
    let emu = Emulator::new(config)
        .expect("emulator")
        .start("127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("start");
    let client_config = ClientConfig {
        endpoint: emu.endpoint(),
        ..ClientConfig::default()
    };
    let client = Client::new(client_config, Arc::new(Credentials::new(id, key))).expect("client");
    (emu, client)
}
