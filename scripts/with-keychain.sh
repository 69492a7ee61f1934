#!/usr/bin/env bash
# Runs a command with a real, throwaway, unlocked gnome-keyring (Secret Service) in a private
# D-Bus session, so keychain tests touch neither the user's keyring nor need a display.
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: scripts/with-keychain.sh COMMAND [ARGS...]" >&2
  exit 2
fi
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/data" "$home/runtime" "$home/config"
chmod 700 "$home/runtime"
export XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime" XDG_CONFIG_HOME="$home/config"
unset DISPLAY
status=0
dbus-run-session -- sh -c 'echo -n flowstead-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@" || status=$?
exit "$status"
