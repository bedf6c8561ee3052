#!/usr/bin/env bash
# Builds the stand-in Debian base without any registry: debootstrap --variant=minbase | docker import.
# Prints the image name (sentiflow-local/debian:bookworm-<hash>) on stdout.
source "$(dirname "$0")/lib.sh"

suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tag="sentiflow-local/debian:${suite}-$(content_hash "$0" "$CONTAINER_DIR/lib.sh" "$suite" "$mirror")"
if image_exists "$tag"; then
  note "debian base: $tag (cached)"
  echo "$tag"
  exit 0
fi
command -v debootstrap >/dev/null || { echo 'debootstrap is not installed (scripts/container/ensure-tools.sh)' >&2; exit 1; }
root="$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")"
trap 'rm -rf "$root"' EXIT
note "debootstrap --variant=minbase $suite (about a minute)"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$CACHE_DIR/debootstrap.log" 2>&1 ||
  { tail -n 20 "$CACHE_DIR/debootstrap.log" >&2; exit 1; }
# Like the official images: no apt caches or lists, the security suite and updates configured.
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
SOURCES
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90sentiflow"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'CMD ["bash"]' - "$tag" >/dev/null
note "debian base: $tag (built)"
echo "$tag"
