FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ASSISTANTS_DATABASE_URL=sqlite:////data/assistants.db \
    ASSISTANTS_STORAGE_URL=/data/files

RUN useradd --create-home --uid 10001 assistants \
    && mkdir /data && chown assistants:assistants /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && rm -rf /root/.cache
COPY docker/entrypoint.sh /usr/local/bin/assistants-entrypoint

USER assistants
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
ENTRYPOINT ["assistants-entrypoint"]
