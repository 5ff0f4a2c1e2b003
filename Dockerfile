# OpenCTPAT image: `docker build -t openctpat .` (docs/deploy.md).
# Two stages: the first resolves the locked dependencies into a virtual environment with uv;
# the second is Debian slim with only what runs the portal (Pango for WeasyPrint's PDFs,
# ICU for the screening engine, the PostgreSQL 15 client for `ctpat backup`) and that
# environment, run as a non-root user.

# BASE: any Debian bookworm image with Python 3.11 and pip. The default is the public
# python image; where Docker Hub cannot be reached, a base made from Debian's own packages
# works the same (docs/deploy.md, "Building the image without Docker Hub").
ARG BASE=python:3.11-slim-bookworm

FROM ${BASE} AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never PIP_NO_CACHE_DIR=1
# --break-system-packages: Debian's own Python marks itself externally managed; uv only
# builds the virtual environment below and is not copied into the runtime stage.
# PyICU (through the screening engine's name normalisation) publishes no wheels: it builds
# against Debian's ICU here, and the runtime stage carries the matching libicu72.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config libicu-dev python3-dev \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m pip install --no-compile --break-system-packages "uv>=0.8"
WORKDIR /app
# Dependencies first: this layer is reused until pyproject.toml or uv.lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN uv sync --frozen --no-dev \
 && rm -rf .git var test-artifacts e2e bench */tests

FROM ${BASE} AS runtime
# The client's major version matches the PostgreSQL server of deploy/compose.yaml (15):
# pg_dump refuses a newer server.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client-15 libicu72 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ctpat \
 && useradd --system --uid 10001 --gid ctpat --home-dir /app --shell /usr/sbin/nologin ctpat \
 && mkdir -p /data /srv/shared-data /tmp/prometheus \
 && chown ctpat:ctpat /data /tmp/prometheus
COPY --from=build --chown=root:root /app /app
WORKDIR /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    CTPAT_DATA_DIR=/data \
    CTPAT_SHARED_DATA_DIR=/srv/shared-data \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    BIND=0.0.0.0:8000
# Static files are collected at build time into the image (WhiteNoise serves them).
ENV CTPAT_STATIC_ROOT=/app/static
RUN SECRET_KEY=build-only CTPAT_DATA_DIR=/tmp/build-data ctpat collectstatic --no-input -v0 \
 && rm -rf /tmp/build-data && chmod -R a+rX /app
USER ctpat
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
