# syntax=docker/dockerfile:1
#
# The outreach service: `outreach run` (migrations, reference data, GET /healthz on :8080).
#
#   docker build -t outreach-1540 .
#   docker run -d -p 127.0.0.1:8080:8080 -v outreach-data:/data outreach-1540
#   docker run --rm -v outreach-data:/data outreach-1540 outreach status
#
# Any `outreach` command can replace the default one: the image has no ENTRYPOINT.

ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: the project's wheel and every dependency as wheels, nothing installed ---------
FROM ${PYTHON_IMAGE} AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# Only what the package build needs; README.md is pyproject's `readme`.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY storage ./storage
COPY templates ./templates

RUN python -m pip wheel --wheel-dir /wheels .

# --- runtime -----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="outreach-1540" \
      org.opencontainers.image.description="Outreach coordination bot for the UN 1540 Committee" \
      org.opencontainers.image.licenses="Apache-2.0"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# The Arabic and Chinese charts' fonts (without them those charts keep English words).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 outreach \
 && useradd --system --uid 10001 --gid outreach --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin outreach

# Offline install from the builder's wheels; the bind mount keeps them out of the image.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m venv "$VIRTUAL_ENV" \
 && pip install --no-index --find-links=/wheels outreach-1540 \
 && outreach --help > /dev/null

# /data: the SQLite database (when OUTREACH_DATABASE_URL is unset), written mail and reports.
# A new named volume copies this directory's ownership; a bind mount must be writable by 10001.
RUN mkdir -p /data /app && chown outreach:outreach /data

# The home directory is not writable: matplotlib (the /stats and report charts) keeps its font
# cache in /tmp instead of warning on every start.
ENV OUTREACH_DATA_DIR=/data \
    OUTREACH_HTTP_HOST=0.0.0.0 \
    OUTREACH_HTTP_PORT=8080 \
    MPLCONFIGDIR=/tmp/matplotlib

VOLUME ["/data"]
WORKDIR /app
USER 10001:10001
EXPOSE 8080

# No curl in slim images: Python's urllib. Any error or non-2xx answer (503: database
# unreachable) raises, and an uncaught exception exits 1, i.e. unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('OUTREACH_HTTP_PORT', '8080'), timeout=4)"]

# Exec form: `outreach` receives SIGTERM from `docker stop` directly. Prefer `docker run --init`
# (compose: `init: true`): as PID 1 without it, a SIGTERM during start-up migrations, before the
# service installs its handler, is ignored until Docker's SIGKILL.
CMD ["outreach", "run"]
