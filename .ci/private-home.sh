# Sourced (after `cd` to the repository) by the scripts that start the app, its keyring or its window:
# a temporary HOME with its XDG folders and a private runtime directory, removed on exit, so nothing
# they run touches the real user's files. Leaves its path in $home.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
