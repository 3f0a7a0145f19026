FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=8000 \
    ASSISTANTS_DATABASE_URL=sqlite:////data/assistants.db \
    ASSISTANTS_STORAGE_URL=/data/files \
    ASSISTANTS_CODE_DIR=/tmp/code

RUN useradd --create-home --uid 10001 assistants \
    && mkdir /data && chown 10001:10001 /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
# the server, with code_interpreter's sandbox (a static bwrap), numpy, pandas, matplotlib, and
# tracing (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set); versions are pinned in pyproject.toml
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[otel]" && rm -rf /root/.cache
COPY docker/entrypoint.sh /usr/local/bin/assistants-entrypoint

USER 10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\")"]
ENTRYPOINT ["assistants-entrypoint"]
