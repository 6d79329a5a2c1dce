#!/bin/sh
# log-jsonl.sh FILE
#
# Appends each event (the JSON on stdin) as one line to FILE: a JSON-lines log to grep, tail or feed to jq.
#
# Attach it (in .tether/config.yml):
#   hooks:
#     - name: log
#       events: [change, commit, push, receive, conflict, transfer, remote-connected, remote-disconnected, error]
#       command: ["/path/to/hooks/log-jsonl.sh", "/home/me/tether-events.jsonl"]
#
# Needs: nothing beyond sh (flock from util-linux, when present, keeps concurrent appends whole).
# The JSON Tether sends is one line; raw newlines cannot occur inside JSON strings, so removing them is safe.
set -eu

file=${1:?usage: log-jsonl.sh FILE}
line=$(tr -d '\n')
[ -n "$line" ] || exit 0
if command -v flock >/dev/null 2>&1; then
  { flock 9; printf '%s\n' "$line" >&9; } 9>>"$file"
else
  printf '%s\n' "$line" >>"$file"
fi
