# mockd container image for CI: `mockd start` on ports 4280 (mocks) and 4290 (admin API).
#
# The wheel is NOT compiled in here. The CI step before this build runs the host's Rust toolchain
# (`maturin build --release -o dist` or `pip wheel . -w dist --no-deps`) and this Dockerfile installs that
# wheel. Why: the extension needs PyO3 0.30, i.e. a recent rustc, and the only way to get one in a build
# stage is rustup from static.rust-lang.org (Debian bookworm's rustc 1.63 is far too old). Our CI hosts
# cannot reach that, nor any container registry, while they already have the toolchain and build the wheel
# for the tests anyway. Installing the tested wheel also means the image runs exactly the code CI tested.
#
#   maturin build --release -o dist          # or: pip wheel . -w dist --no-deps
#   docker build -t mockd .                  # podman: see docs/docker.md
#
# The wheel is CPython 3.11 / glibc x86_64 only, so BASE_IMAGE must have Python 3.11 and glibc >= 2.34
# (bookworm: 2.36). Where no registry is reachable, docker/make-base-image.sh builds an equivalent base from
# Debian packages; pass it with --build-arg BASE_IMAGE=localhost/mockd-base:bookworm-py311.
# The wheel can also come from elsewhere than ./dist: --build-context wheels=/path/to/dir (replaces the
# `wheels` stage below; BuildKit and podman/buildah both support this).

ARG BASE_IMAGE=docker.io/library/python:3.11-slim-bookworm

FROM scratch AS wheels
COPY dist/*.whl /

# The venv is made in a stage of its own on the same base, so that the wheel file, pip and setuptools stay
# out of the runtime image; the venv's python symlink points at the base's python3 in both stages.
FROM ${BASE_IMAGE} AS install
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
COPY --from=wheels / /tmp/wheels/
# PyPI dependencies (granian, pydantic, orjson, ...) come from the wheel's metadata. Exactly one mockd wheel
# is expected; several would make pip fail on conflicting requirements.
# Behind a TLS-intercepting proxy, hand pip the host's CA bundle for this step only (it is not stored in any
# layer): --secret id=pip-cert,src=/etc/ssl/certs/ca-certificates.crt. Without that secret pip uses its default.
RUN --mount=type=secret,id=pip-cert \
    if [ -s /run/secrets/pip-cert ]; then export PIP_CERT=/run/secrets/pip-cert; fi \
    && python3 -m venv /opt/mockd \
    && /opt/mockd/bin/pip install /tmp/wheels/mockd-*.whl \
    && /opt/mockd/bin/pip uninstall -y pip setuptools \
    && /opt/mockd/bin/mockd version

FROM ${BASE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="mockd" \
      org.opencontainers.image.description="API mock server for integration and performance testing" \
      org.opencontainers.image.licenses="Apache-2.0"

# A fixed numeric uid/gid, so that `runAsNonRoot` checks and mounted-file permissions are predictable.
RUN useradd --uid 10001 --user-group --home-dir /home/mockd --create-home \
        --shell /usr/sbin/nologin mockd \
    && mkdir -p /mocks /etc/mockd

COPY --from=install /opt/mockd /opt/mockd
COPY examples/quickstart.yaml /etc/mockd/quickstart.yaml

ENV PATH=/opt/mockd/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

USER 10001:10001
WORKDIR /home/mockd
EXPOSE 4280 4290

# The admin port's /health needs no API key. Changing the admin port with MOCKD_ADMIN_PORT keeps this check
# right; `-a/--admin-port` on the command line does not (the check cannot see it). Proxies are bypassed.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/opt/mockd/bin/python", "-c", "import os, urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:%s/health' % os.environ.get('MOCKD_ADMIN_PORT', '4290'), timeout=2)"]

# mockd runs as PID 1 and installs its own SIGTERM/SIGINT handlers: `docker stop` ends it with exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["mockd"]
# Admin auth stays on by default: a per-run key is printed to stderr (set MOCKD_API_KEY to fix it). Compose
# files whose tests call the admin API from another container add --no-auth (see docs/docker.md).
CMD ["start", "--config", "/etc/mockd/quickstart.yaml"]
