#!/usr/bin/env bash
# Install an agentform release: download the archive for this machine, check
# it against the release's SHA-256 checksum file, unpack the binary.
#
#   scripts/install.sh resolve VERSION   print the release tag VERSION names
#                                         ("latest", "v1.2.3" or "1.2.3")
#   scripts/install.sh platform          print the os_arch to download (linux_amd64, ...)
#   scripts/install.sh download TAG DIR  download, verify and unpack TAG into DIR,
#                                         then print the binary's path
#
# Environment:
#   AGENTFORM_REPOSITORY  GitHub repository of the releases (default agentform/agentform)
#   AGENTFORM_MIRROR      download from MIRROR/TAG/FILE instead of
#                         https://github.com/REPOSITORY/releases/download/TAG/FILE
#                         ("latest" needs GitHub: give a tag with a mirror)
#   AGENTFORM_PLATFORM    os_arch to download instead of this machine's
#
# The file names are GoReleaser's (.goreleaser.yaml):
#   agentform_<version>_<os>_<arch>.tar.gz (.zip on windows), agentform_<version>_checksums.txt
# action.yml runs this script; it needs bash, curl, tar (unzip on windows) and
# sha256sum or shasum.
set -euo pipefail

repository=${AGENTFORM_REPOSITORY:-agentform/agentform}

die() {
  echo "install agentform: $*" >&2
  exit 1
}

fetch() { # URL FILE
  curl -fsSL --retry 3 --retry-connrefused --connect-timeout 20 -o "$2" "$1" ||
    die "cannot download $1"
}

# resolve VERSION: "latest" follows github.com's redirect to the newest
# release (no API call, so no token and no API rate limit).
resolve() {
  local v=$1 url
  case "$v" in
    latest)
      [ -z "${AGENTFORM_MIRROR:-}" ] || die "version latest cannot be resolved on a mirror: give a tag such as v1.2.3"
      url=$(curl -fsSLI --retry 3 --retry-connrefused -o /dev/null -w '%{url_effective}' "https://github.com/$repository/releases/latest") ||
        die "cannot reach https://github.com/$repository/releases/latest"
      v=${url##*/tag/}
      [ "$v" != "$url" ] || die "$repository has no release yet"
      ;;
    v*) ;;
    [0-9]*) v=v$v ;;
  esac
  [[ "$v" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$ ]] ||
    die "version \"$1\": want latest or a release tag such as v1.2.3"
  echo "$v"
}

platform() {
  if [ -n "${AGENTFORM_PLATFORM:-}" ]; then
    echo "$AGENTFORM_PLATFORM"
    return
  fi
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=windows ;;
    *) die "no release for the operating system $(uname -s): build from source (go install github.com/$repository/cmd/agentform@TAG)" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no release for the architecture $(uname -m): build from source" ;;
  esac
  echo "${os}_${arch}"
}

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

download() {
  local tag=$1 dir=$2 plat ext archive sums base tmp want got bin
  plat=$(platform)
  ext=tar.gz
  bin=agentform
  case "$plat" in windows_*)
    ext=zip
    bin=agentform.exe
    ;;
  esac
  archive="agentform_${tag#v}_${plat}.${ext}"
  sums="agentform_${tag#v}_checksums.txt"
  base=${AGENTFORM_MIRROR:-https://github.com/$repository/releases/download}
  base="${base%/}/$tag"

  tmp=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" EXIT
  fetch "$base/$sums" "$tmp/$sums"
  fetch "$base/$archive" "$tmp/$archive"
  want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/$sums")
  [ -n "$want" ] || die "$sums lists no $archive"
  got=$(sha256 "$tmp/$archive")
  [ "$got" = "$want" ] || die "checksum mismatch for $archive: got $got, $sums says $want"

  mkdir -p "$dir"
  case "$ext" in
    tar.gz) tar -xzf "$tmp/$archive" -C "$dir" "$bin" ;;
    zip)
      if command -v unzip >/dev/null; then
        unzip -q -o "$tmp/$archive" "$bin" -d "$dir"
      else
        pwsh -NoProfile -Command "Expand-Archive -Force -Path '$tmp/$archive' -DestinationPath '$dir'"
      fi
      ;;
  esac
  [ -f "$dir/$bin" ] || die "$archive holds no $bin"
  chmod +x "$dir/$bin"
  echo "$dir/$bin"
}

case "${1:-}" in
  resolve) [ $# -eq 2 ] || die "usage: $0 resolve VERSION"; resolve "$2" ;;
  platform) [ $# -eq 1 ] || die "usage: $0 platform"; platform ;;
  download) [ $# -eq 3 ] || die "usage: $0 download TAG DIR"; download "$(resolve "$2")" "$3" ;;
  *) die "usage: $0 resolve VERSION | platform | download TAG DIR" ;;
esac
