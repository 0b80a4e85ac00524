#!/usr/bin/env bash
# Installs libetna like a native library, and packs its NuGet package.
#
#   scripts/install.sh --prefix DIR     release build, then into DIR:
#       include/etna.h, etna_version.h, etna.hpp
#       lib/libetna.so.X.Y.Z (SONAME libetna.so.X), libetna.so.X and libetna.so (symlinks), libetna.a
#       lib/pkgconfig/etna.pc              pkg-config --cflags --libs etna
#       lib/cmake/etna/etnaConfig.cmake    find_package(etna CONFIG): etna::etna, etna::etna_static
#   scripts/install.sh --nuget DIR      Etna.X.Y.Z.nupkg into DIR, a local folder feed (needs mcs
#                                       and nuget): Etna.dll, runtimes/linux-x64/native/libetna.so
#                                       and, cross-built by scripts/build-windows.sh when mingw-w64
#                                       and Rust's Windows target are here (ETNA_REQUIRE_WINDOWS=1:
#                                       must be), runtimes/win-x64/native/etna.dll
#
# Options: --libdir DIR (default PREFIX/lib; relative to PREFIX unless absolute); --destdir DIR
# (staging for packagers: files go to DESTDIR/PREFIX, and name PREFIX). Honours CARGO_TARGET_DIR.
# The templates are in packaging/; what each choice follows is said there.
set -euo pipefail

usage() { sed -n '2,19s/^# \{0,1\}//p' "$0"; }
die() { echo "install.sh: $*" >&2; exit 1; }
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

prefix="" libdir="" destdir="" nuget=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$(absolute "${2:?--prefix needs a directory}"); shift 2 ;;
    --prefix=*) prefix=$(absolute "${1#*=}"); shift ;;
    --libdir) libdir="${2:?--libdir needs a directory}"; shift 2 ;;
    --libdir=*) libdir="${1#*=}"; shift ;;
    --destdir) destdir=$(absolute "${2:?--destdir needs a directory}"); shift 2 ;;
    --destdir=*) destdir=$(absolute "${1#*=}"); shift ;;
    --nuget) nuget=$(absolute "${2:?--nuget needs a directory}"); shift 2 ;;
    --nuget=*) nuget=$(absolute "${1#*=}"); shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -n "$prefix" ] || [ -n "$nuget" ] || { usage >&2; die "say --prefix DIR, --nuget DIR or both"; }
[ "$(uname -s)" = Linux ] || die "installs the Linux library (libetna.so); $(uname -s) is not supported yet"
cd "$(dirname "$0")/.."
root=$PWD

# The version, from Cargo.toml's [package] (what etna_version() and etna_version.h say too).
version=$(awk '/^\[/ { p = ($0 == "[package]") } p && /^version *=/ { gsub(/.*= *"|".*/, ""); print; exit }' Cargo.toml)
[[ "$version" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]] || die "no version in Cargo.toml's [package]"
major=${BASH_REMATCH[1]}
numeric=${BASH_REMATCH[0]}
target=$(cargo metadata --format-version 1 --no-deps | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
out="$target/release"

# The release build, with the SONAME (ETNA_SONAME=1, read by build.rs), printing the system
# libraries a program linking libetna.a needs: they go into etna.pc and etnaConfig.cmake.
echo "== cargo rustc --release: libetna.so (SONAME libetna.so.$major), libetna.a"
mkdir -p "$target"
log=$(mktemp "$target/install-build.XXXXXX")  # one per run: two installs may build at once
trap 'rm -f "$log"' EXIT
ETNA_SONAME=1 cargo rustc --release --lib -p etna -- --print native-static-libs 2>&1 | tee "$log"
native=$(sed -n 's/^note: native-static-libs: //p' "$log" | tail -n 1)
[ -n "$native" ] || die "rustc printed no native-static-libs (its output is above)"
for f in libetna.so libetna.a; do [ -f "$out/$f" ] || die "$out/$f was not built"; done
if command -v readelf >/dev/null; then
  readelf -d "$out/libetna.so" | grep -q "Library soname: \[libetna.so.$major\]" \
    || die "$out/libetna.so has no SONAME libetna.so.$major"
fi

# Fills a template of packaging/: @NAME@ from the variables below.
fill() {
  sed -e "s|@VERSION@|$version|g" -e "s|@VERSION_NUMERIC@|$numeric|g" -e "s|@MAJOR@|$major|g" \
      -e "s|@PC_LIBDIR@|${pc_libdir:-}|g" -e "s|@PREFIX@|$prefix|g" \
      -e "s|@NATIVE_STATIC_LIBS@|$native|g" -e "s|@CMAKE_NATIVE_STATIC_LIBS@|${cmake_native:-}|g" \
      -e "s|@CMAKE_TO_PREFIX@|${cmake_to_prefix:-}|g" -e "s|@LIBDIR_FROM_PREFIX@|${libdir_rel:-}|g" \
      -e "s|@NATIVE_RIDS@|${native_rids:-}|g" -e "s|@WINDOWS_FILE@|${windows_file:-}|g" \
      "$root/packaging/$1"
}

if [ -n "$prefix" ]; then
  case "$libdir" in "") libdir="$prefix/lib" ;; /*) ;; *) libdir="$prefix/$libdir" ;; esac
  libdir_rel=$(realpath -m --relative-to="$prefix" "$libdir")
  cmakedir="$libdir/cmake/etna"
  cmake_to_prefix=$(realpath -m --relative-to="$cmakedir" "$prefix")
  case "$libdir_rel" in ../*) pc_libdir=$libdir ;; *) pc_libdir="\${prefix}/$libdir_rel" ;; esac
  # -lgcc_s -lutil ... as CMake names libraries: gcc_s;util;...
  cmake_native=$(for w in $native; do case "$w" in -l*) printf '%s;' "${w#-l}" ;; *) printf '%s;' "$w" ;; esac; done)
  cmake_native=${cmake_native%;}
  so="libetna.so.$version"
  echo "== installing into ${destdir}$prefix"
  install -d "$destdir$prefix/include" "$destdir$libdir/pkgconfig" "$destdir$cmakedir"
  install -m 644 include/etna.h include/etna_version.h include/etna.hpp "$destdir$prefix/include/"
  install -m 755 "$out/libetna.so" "$destdir$libdir/$so"
  ln -sfn "$so" "$destdir$libdir/libetna.so.$major"
  ln -sfn "libetna.so.$major" "$destdir$libdir/libetna.so"
  install -m 644 "$out/libetna.a" "$destdir$libdir/libetna.a"
  fill etna.pc.in >"$destdir$libdir/pkgconfig/etna.pc"
  fill cmake/etnaConfig.cmake.in >"$destdir$cmakedir/etnaConfig.cmake"
  fill cmake/etnaConfigVersion.cmake.in >"$destdir$cmakedir/etnaConfigVersion.cmake"
  chmod 644 "$destdir$libdir/pkgconfig/etna.pc" "$destdir$cmakedir"/*.cmake
  (cd "$destdir$prefix" && find . ! -type d | sort | sed 's|^\./|   |')
fi

if [ -n "$nuget" ]; then
  for tool in mcs nuget; do
    command -v "$tool" >/dev/null || die "--nuget needs $tool (apt-get install mono-mcs nuget)"
  done
  stage="$target/nuget/Etna.$version"
  rm -rf "$stage"
  mkdir -p "$stage/lib/netstandard2.0" "$stage/runtimes/linux-x64/native" "$stage/build" \
           "$stage/buildTransitive" "$nuget"
  echo "== mcs: Etna.dll $version (bindings/csharp/Etna.cs)"
  fill nuget/AssemblyInfo.cs.in >"$stage/AssemblyInfo.cs"
  mcs -target:library -langversion:6 -warnaserror -nowarn:1591 -optimize+ \
      -out:"$stage/lib/netstandard2.0/Etna.dll" -doc:"$stage/lib/netstandard2.0/Etna.xml" \
      bindings/csharp/Etna.cs "$stage/AssemblyInfo.cs"
  rm "$stage/AssemblyInfo.cs"
  cp packaging/nuget/Etna.dll.config "$stage/lib/netstandard2.0/"
  cp "$out/libetna.so" "$stage/runtimes/linux-x64/native/libetna.so"
  # etna.dll for Windows, where most of the C# tools run, when it can be cross-built here.
  native_rids="linux-x64" windows_file=""
  if [ -d "$(rustc --print sysroot)/lib/rustlib/x86_64-pc-windows-gnu/lib" ] \
     && command -v x86_64-w64-mingw32-gcc >/dev/null; then
    scripts/build-windows.sh --out "$target/nuget/windows-x64"
    mkdir -p "$stage/runtimes/win-x64/native"
    cp "$target/nuget/windows-x64/bin/etna.dll" "$stage/runtimes/win-x64/native/etna.dll"
    native_rids="linux-x64 win-x64"
    windows_file='<file src="runtimes/win-x64/native/etna.dll" target="runtimes/win-x64/native" />'
  elif [ "${ETNA_REQUIRE_WINDOWS:-}" = 1 ]; then
    die "ETNA_REQUIRE_WINDOWS=1 but etna.dll cannot be built here (rustup target add x86_64-pc-windows-gnu; apt-get install gcc-mingw-w64-x86-64)"
  else
    echo "== no Windows toolchain (mingw-w64, Rust's x86_64-pc-windows-gnu): the package has no etna.dll"
  fi
  cp packaging/nuget/Etna.targets "$stage/build/"
  cp packaging/nuget/Etna.targets "$stage/buildTransitive/"
  fill nuget/Etna.nuspec.in >"$stage/Etna.nuspec"
  echo "== nuget pack: $nuget/Etna.$version.nupkg"
  # HOME and XDG_* keep NuGet 2.x's own config and caches out of the user's; nothing is fetched.
  home="$target/nuget/home"
  mkdir -p "$home"
  (cd "$stage" && HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
     nuget pack Etna.nuspec -OutputDirectory "$nuget" -NoPackageAnalysis -NonInteractive)
  [ -f "$nuget/Etna.$version.nupkg" ] || die "nuget made no $nuget/Etna.$version.nupkg"
fi
echo "== done"
