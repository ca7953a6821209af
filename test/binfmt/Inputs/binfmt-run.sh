#!/bin/bash
# Registers xlat-run with binfmt_misc under a private name, runs a foreign
# program directly and inside a chroot, and removes the registration on
# every way out.
#   binfmt-run.sh XLAT-BINFMT STATIC-PROG DYNAMIC-PROG WORKDIR
set -u
binfmt=$1 static=$2 dynamic=$3 work=$4
name=xlat-test-$$
trap '"$binfmt" --remove --isa riscv64 --name "$name" >/dev/null 2>&1' EXIT INT TERM
"$binfmt" --install --isa riscv64 --name "$name" >/dev/null || exit 1
"$binfmt" --status --isa riscv64 --name "$name" | sed 's/xlat-test-[0-9]*/NAME/'

echo "== direct"
(SHOW_STATUS=3 exec -a typed-argv0 "$static" one two)
echo "status=$?"

# A root with nothing but the riscv64 sysroot's libraries as /lib, and the
# host pieces xlat-run itself is made of, bound in from outside in a mount
# namespace of the test's own (gone when it ends). The F flag opened
# xlat-run at registration; its own libraries come from the root.
echo "== chroot"
rm -rf "$work" && mkdir -p "$work/lib" "$work/usr/lib/x86_64-linux-gnu" \
  "$work/lib64" "$work/etc" "$work/bin" "$work/proc" "$work$(dirname "$binfmt")/../lib"
cp "$dynamic" "$work/bin/show"
touch "$work/lib64/ld-linux-x86-64.so.2"
echo in-the-root > "$work/etc/xlat-binfmt-test"
unshare --mount --propagation private sh -c '
  work=$1 tools=$(dirname "$2")/../lib
  mount --bind /usr/riscv64-linux-gnu/lib "$work/lib" &&
  mount --bind /usr/lib/x86_64-linux-gnu "$work/usr/lib/x86_64-linux-gnu" &&
  mount --bind "$(realpath /lib64/ld-linux-x86-64.so.2)" "$work/lib64/ld-linux-x86-64.so.2" &&
  mount --bind "$tools" "$work$tools" &&
  mount -t proc proc "$work/proc" || exit 1
  SHOW_STATUS=4 chroot "$work" /bin/show in-root
  echo "status=$?"' sh "$work" "$binfmt"
