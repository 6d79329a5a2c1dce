#!/bin/sh
# ssh-poke.sh HOST REPO-PATH REMOTE-NAME
#
# Tells the Tether daemon on another machine that this one has changes, so it pulls at once instead of
# waiting for its retry timer: runs `tether -C REPO-PATH poke REMOTE-NAME` on HOST over ssh.
# REMOTE-NAME is the name THIS machine has in the peer's config (its `remotes:` entry for us).
#
# Attach it (in .tether/config.yml):
#   hooks:
#     - name: poke-server
#       events: [commit]
#       command: ["/path/to/hooks/ssh-poke.sh", "me@server.example", "/home/me/Tether", "laptop"]
#       timeout: 20s
# or copy it to .tether/hooks/commit.d/ with the three values set below.
#
# Needs: ssh with key authentication to HOST (BatchMode: it never asks for a password), and `tether`
# on HOST's PATH (or set TETHER_REMOTE_COMMAND to its path, the variable tether itself uses). TETHER_SSH overrides the ssh program.
# ssh joins its arguments into one command line for the remote shell, so each value is single-quoted
# here: a path or name with spaces, quotes or $( ) arrives as it is and never runs anything.
set -eu

host=${1:?usage: ssh-poke.sh HOST REPO-PATH REMOTE-NAME}
path=${2:?usage: ssh-poke.sh HOST REPO-PATH REMOTE-NAME}
name=${3:?usage: ssh-poke.sh HOST REPO-PATH REMOTE-NAME}

# POSIX single-quoting: 'it'\''s'
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

exec "${TETHER_SSH:-ssh}" -o BatchMode=yes -o ConnectTimeout=10 -- "$host" \
  "$(quote "${TETHER_REMOTE_COMMAND:-tether}") -C $(quote "$path") poke $(quote "$name")"
