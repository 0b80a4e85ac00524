#!/usr/bin/env bash
# Cross-builds libetna for 64-bit Windows with mingw-w64 (release, x86_64-pc-windows-gnu).
#
#   scripts/build-windows.sh [--out DIR]     default DIR: <cargo target dir>/windows-x64
#       bin/etna.dll                          the library (needs Windows 10+, as Rust's std does)
#       lib/etna.lib                          its import library for MSVC (link.exe, CMake, vcxproj)
#       lib/libetna.dll.a                     its import library for mingw-w64 (-letna)
#       lib/libetna.a                         static library, mingw-w64 only, with the system
#                                             libraries of lib/etna-static-libs.txt after it
#       lib/etna.def                          the exports (etna_* only) etna.lib was made from
#       include/etna.h, etna_version.h, etna.hpp   the headers, the same as on Linux
#
# Needs: rustup target add x86_64-pc-windows-gnu; apt-get install gcc-mingw-w64-x86-64.
# Honours CARGO_TARGET_DIR.
set -euo pipefail

usage() { sed -n '2,15s/^# \{0,1\}//p' "$0"; }
die() { echo "build-windows.sh: $*" >&2; exit 1; }

out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$out" in ""|/*) ;; *) out="$PWD/$out" ;; esac
cd "$(dirname "$0")/.."

triple=x86_64-pc-windows-gnu
prefix=x86_64-w64-mingw32
[ -d "$(rustc --print sysroot)/lib/rustlib/$triple/lib" ] \
  || die "Rust's $triple target is not installed (rustup target add $triple)"
for tool in "$prefix-gcc" "$prefix-dlltool" "$prefix-objdump"; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install gcc-mingw-w64-x86-64)"
done

target=$(cargo metadata --format-version 1 --no-deps | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
built="$target/$triple/release"
out=${out:-$target/windows-x64}

echo "== cargo rustc --release --target $triple: etna.dll, libetna.dll.a, libetna.a"
mkdir -p "$target"
log=$(mktemp "$target/windows-build.XXXXXX")
trap 'rm -f "$log"' EXIT
cargo rustc --release --lib -p etna --target "$triple" -- --print native-static-libs 2>&1 | tee "$log"
native=$(sed -n 's/^note: native-static-libs: //p' "$log" | tail -n 1)
[ -n "$native" ] || die "rustc printed no native-static-libs (its output is above)"
for f in etna.dll libetna.dll.a libetna.a; do [ -f "$built/$f" ] || die "$built/$f was not built"; done

# The export table, as the .def MSVC's import library is made from. Only etna_* may be there:
# anything else would be an accident of the toolchain that programs could come to depend on.
exports=$("$prefix-objdump" -p "$built/etna.dll" \
  | awk '/^\[Ordinal\/Name Pointer\] Table/ { t = 1; next } t && /^\t\[/ { print $NF; next } { t = 0 }')
[ -n "$exports" ] || die "no exports found in $built/etna.dll"
stray=$(grep -v '^etna_' <<<"$exports" || true)
[ -z "$stray" ] || die "etna.dll exports more than etna_*: $(tr '\n' ' ' <<<"$stray")"

echo "== $out"
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib" "$out/include"
cp "$built/etna.dll" "$out/bin/"
cp "$built/libetna.dll.a" "$built/libetna.a" "$out/lib/"
{ echo "LIBRARY etna.dll"; echo "EXPORTS"; sed 's/^/    /' <<<"$exports"; } >"$out/lib/etna.def"
# In lib/: dlltool names the archive's members after the path it is given.
(cd "$out/lib" && "$prefix-dlltool" -m i386:x86-64 -d etna.def -D etna.dll -l etna.lib)
echo "$native" >"$out/lib/etna-static-libs.txt"
cp include/etna.h include/etna_version.h include/etna.hpp "$out/include/"
echo "$(wc -l <<<"$exports") functions exported"
(cd "$out" && find . -type f | sort | sed 's|^\./|   |')
echo "== done"
