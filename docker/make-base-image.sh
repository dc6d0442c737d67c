#!/bin/sh
# Build a local Debian bookworm base image with Python 3.11 and import it into podman.
#
# Why: the Dockerfile's default base (docker.io/library/python:3.11-slim-bookworm) cannot be pulled where no
# registry is reachable. This script makes an equivalent base from Debian's own packages (Debian bookworm's
# python3 is 3.11, the interpreter the cp311 wheel is built for) with mmdebstrap, then `podman import`s it.
# Pass the result to the build as `--build-arg BASE_IMAGE=localhost/mockd-base:bookworm-py311`.
#
# Usage: docker/make-base-image.sh [--force] [IMAGE]      (default IMAGE: localhost/mockd-base:bookworm-py311)
#   Reuses IMAGE when podman already has it, unless --force.
#   MOCKD_DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org).
# Needs (Debian): mmdebstrap podman; run as root (mmdebstrap's root mode).
set -eu

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
image="${1:-localhost/mockd-base:bookworm-py311}"
mirror="${MOCKD_DEBIAN_MIRROR:-http://deb.debian.org}"

if [ "$force" = 0 ] && podman image exists "$image"; then
    echo "base image $image already present (use --force to rebuild)"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM

# minbase = Debian's Priority:required set plus apt (what debian:bookworm-slim holds, including useradd);
# documentation, man pages and locales are left out by dpkg path excludes, the apt lists removed afterwards.
mmdebstrap --variant=minbase --mode=root --format=tar \
    --include=python3,python3-venv,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$work/rootfs.tar" \
    "deb $mirror/debian bookworm main" \
    "deb $mirror/debian bookworm-updates main" \
    "deb $mirror/debian-security bookworm-security main"

podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    --message "Debian bookworm minbase + python3 python3-venv ca-certificates (mmdebstrap)" \
    "$work/rootfs.tar" "$image"
podman image ls "$image"
