#!/bin/sh
# in-mount-ns.sh ro|full DIR CMD [ARGS...]
# Runs CMD in a mount namespace of its own (unshare -m: root), where DIR is
# read-only (ro: bound onto itself, read-only) or a file system of one
# page (full: a 4 KiB tmpfs, mode 0700). Nothing is mounted outside it.
kind=$1 dir=$2
shift 2
case $kind in
  ro) setup='mount --bind "$1" "$1" && mount -o remount,ro,bind "$1"' ;;
  full) setup='mount -t tmpfs -o size=4k,mode=0700 none "$1"' ;;
  *) echo "in-mount-ns.sh: ro or full, not $kind" >&2; exit 2 ;;
esac
exec unshare -m sh -c "$setup"' && shift && exec "$@"' sh "$dir" "$@"
