#!/usr/bin/env bash
# Runs a command with a real, throwaway, unlocked gnome-keyring (Secret Service) in a private
# D-Bus session, so keychain tests touch neither the user's keyring nor need a display.
# Works as root in CI without $DISPLAY. Exits with the command's exit code.
#
#   scripts/with-keychain.sh npx vitest run --project keychain
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: scripts/with-keychain.sh COMMAND [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "with-keychain: '$tool' is missing; install the apt packages dbus, dbus-x11 and gnome-keyring." >&2
    exit 127
  fi
done

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$home/data" "$home/runtime" "$home/config"
chmod 700 "$home/runtime"
export XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime" XDG_CONFIG_HOME="$home/config"
export FLOWSTEAD_THROWAWAY_KEYCHAIN=1
unset DISPLAY

# Inside the session the daemon runs in the foreground under a pid we know, so it is always
# stopped afterwards: a daemonized one outlives short commands (it is still starting when the
# bus closes). The command starts only once the Secret Service owns its bus name; otherwise
# D-Bus activation would start a second, locked daemon.
session='
printf %s throwaway | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
keyring=$!
tries=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$keyring" 2>/dev/null; then
    echo "with-keychain: gnome-keyring did not start its Secret Service within 10 s." >&2
    kill "$keyring" 2>/dev/null
    exit 1
  fi
  sleep 0.1
done
status=0
"$@" || status=$?
kill "$keyring" 2>/dev/null
wait "$keyring" 2>/dev/null
exit "$status"
'
status=0
dbus-run-session -- sh -c "$session" sh "$@" || status=$?
exit "$status"
